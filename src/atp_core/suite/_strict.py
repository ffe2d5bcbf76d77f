"""Strict type checks of config values against an attrs config class.

cattrs converts leniently (``bool({"a": 1})`` is ``True``, ``int("3")`` is 3); a suite
file should say exactly what it means, so scalars must already have the declared type.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any

import attrs

from atp_core.suite._fields import kind
from atp_core.suite._problems import did_you_mean
from atp_core.suite._yaml import Path

_SCALARS: dict[Any, tuple[str, tuple[type, ...]]] = {
    bool: ("true or false", (bool,)),
    int: ("an integer", (int,)),
    float: ("a number", (int, float)),
    str: ("a string", (str,)),
}


def type_errors(tp: Any, value: Any, at: Path = ()) -> Iterator[tuple[Path, str]]:
    """Each place in ``value`` that does not have the type ``tp`` declares, and why."""
    if value is None:
        return
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:
            yield from type_errors(options[0], value, at)
    elif tp in _SCALARS:
        yield from _scalar(tp, value, at)
    elif origin is typing.Literal:
        if value not in args:
            names = ", ".join(str(a) for a in args)
            hint = did_you_mean(str(value), [str(a) for a in args])
            yield at, f"expected one of {names}{hint}"
    elif origin in (list, tuple) and args and isinstance(value, list):
        for index, item in enumerate(value):
            yield from type_errors(args[0], item, (*at, index))
    elif isinstance(tp, type) and attrs.has(tp) and isinstance(value, dict):
        yield from _fields(tp, value, at)


def _scalar(tp: Any, value: Any, at: Path) -> Iterator[tuple[Path, str]]:
    expected, accepted = _SCALARS[tp]
    if (isinstance(value, bool) and tp is not bool) or not isinstance(value, accepted):
        yield at, f"expected {expected}, got {kind(value)}"


def _fields(cls: type, value: dict[str, Any], at: Path) -> Iterator[tuple[Path, str]]:
    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError):
        return
    for field in attrs.fields(cls):
        if field.name in value:
            yield from type_errors(hints.get(field.name), value[field.name], (*at, field.name))

"""Checking and converting one configuration value against its declared type.

YAML gives typed values, which must already have the right type. Environment
variables, ``.env`` lines and command-line flags give text, which is converted:
``true``/``false`` (also ``1``/``0``, ``yes``/``no``, ``on``/``off``), integers,
numbers, JSON for mappings, and empty text or ``null`` for "unset".
"""

from __future__ import annotations

import difflib
import json
import math
import types
import typing
from typing import Any

from atp_core.config._secret import Secret

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}
_NULL = {"", "null", "none"}


class Invalid(ValueError):
    """A value does not fit its setting; the message never contains a secret."""


def did_you_mean(name: str, known: typing.Iterable[str]) -> str:
    """A ``; did you mean 'x'?`` suffix when a known name is close to ``name``."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def kind(value: Any) -> str:
    """A value's type in words, for messages that must not echo the value."""
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
             list: "a list", dict: "a mapping", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def coerce(value: Any, tp: Any, *, text: bool) -> Any:
    """``value`` as an instance of ``tp``; ``text`` says the value came as a string.

    Raises:
        Invalid: the value does not fit.
    """
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None or (text and isinstance(value, str) and value.strip().lower() in _NULL):
            return None
        inner = [a for a in args if a is not type(None)]
        return coerce(value, inner[0], text=text)
    if value is None:
        raise Invalid("must not be null")
    if origin is typing.Literal:
        return _literal(value, args)
    if origin is dict:
        return _mapping(value, args[1], text=text)
    if tp is Secret:
        return _secret(value)
    converter = _SCALARS.get(tp)
    if converter is None:
        raise Invalid(f"cannot be set to {kind(value)}")
    return converter(value, text)


def _literal(value: Any, choices: tuple[Any, ...]) -> Any:
    if isinstance(value, str):
        for choice in choices:
            if value == choice or value.lower() == str(choice).lower():
                return choice
        shown = ", ".join(repr(c) for c in choices)
        raise Invalid(f"must be one of {shown}, got {_short(value)}"
                      f"{did_you_mean(value.lower(), [str(c) for c in choices])}")
    raise Invalid(f"must be one of {', '.join(repr(c) for c in choices)}, got {kind(value)}")


def _mapping(value: Any, value_type: Any, *, text: bool) -> dict[str, Any]:
    if text and isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except json.JSONDecodeError as exc:
            raise Invalid(f"expected a JSON object ({exc.msg})") from None
    if not isinstance(value, dict):
        raise Invalid(f"expected a mapping, got {kind(value)}")
    return {str(k): coerce(v, value_type, text=text) for k, v in value.items()}


def _secret(value: Any) -> Secret:
    if isinstance(value, Secret):
        return value
    if not isinstance(value, str):
        raise Invalid(f"expected a string, got {kind(value)}")
    return Secret(str(value))


def _short(value: str) -> str:
    """Echo short values only, so a misplaced secret is not repeated in full."""
    return repr(value) if len(value) <= 24 else f"a string of {len(value)} characters"


def _bool(value: Any, text: bool) -> bool:
    if isinstance(value, bool):
        return value
    if text and isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise Invalid(f"expected true or false, got {_short(value)}")
    raise Invalid(f"expected true or false, got {kind(value)}")


def _int(value: Any, text: bool) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if text and isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            raise Invalid(f"expected an integer, got {_short(value)}") from None
    raise Invalid(f"expected an integer, got {kind(value)}")


def _float(value: Any, text: bool) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif text and isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise Invalid(f"expected a number, got {_short(value)}") from None
    else:
        raise Invalid(f"expected a number, got {kind(value)}")
    if not math.isfinite(number):
        raise Invalid("must be a finite number")
    return number


def _str(value: Any, text: bool) -> str:
    if isinstance(value, str):
        return str(value)
    raise Invalid(f"expected a string, got {kind(value)}")


_SCALARS: dict[Any, typing.Callable[[Any, bool], Any]] = {
    bool: _bool, int: _int, float: _float, str: _str,
}

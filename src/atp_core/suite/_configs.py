"""Validate an assertion's or adapter's ``config`` and place each error on its own line.

The registries structure configs with cattrs; its error paths (``$.limit``,
``$.expected_tool_calls[0]``) are mapped back onto the marks of the suite file.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from typing import Any

import attrs
import cattrs
from cattrs.v import format_exception

from atp_core.errors import ConfigError
from atp_core.suite._problems import Problems, did_you_mean
from atp_core.suite._strict import type_errors
from atp_core.suite._yaml import Path

_PART = re.compile(r"\.([^.\[]+)|\[(\d+)\]|\['([^']*)'\]")
_EXTRA = re.compile(r"^extra fields found \((?P<names>.*)\)$")


def load_failure(exc: Exception) -> str:
    """Why a plugin module could not be imported, in one line."""
    return f"{type(exc).__name__}: {exc}"


@attrs.frozen(kw_only=True)
class ConfigCheck:
    """One config to validate: what it is for, where it is, and how to validate it."""

    what: str
    path: Path
    config_type: Any
    validate: Callable[[], object]
    skip_under: tuple[str, ...] = ()


def check_config(problems: Problems, check: ConfigCheck, config: dict[str, Any]) -> None:
    """Check ``config`` strictly, then run ``check.validate``; locate each error reported.

    Errors under a key in ``skip_under`` (or naming one) are dropped: the caller checks
    those parts itself (the nested assertions of ``composite``).
    """
    seen: set[Path] = set()
    for rel, message in type_errors(check.config_type, config):
        if not (rel and rel[0] in check.skip_under):
            seen.add(rel)
            problems.at((*check.path, *rel), f"{message} (config of {check.what})")
    try:
        check.validate()
    except ConfigError as exc:
        cause = exc.__cause__
        if isinstance(cause, cattrs.BaseValidationError):
            for line in cattrs.transform_error(cause, format_exception=_format):
                _report(problems, check, line, seen, config)
        else:
            _report(problems, check, str(exc), seen, config)
    except (ImportError, AttributeError) as exc:
        problems.at(check.path, f"{check.what} cannot be loaded: {load_failure(exc)}")
    except (ValueError, TypeError) as exc:
        problems.at(check.path, f"invalid config for {check.what}: {exc}")


def _format(exc: BaseException, type_: type | None) -> str:
    # Validators' own words say more than cattrs' generic "invalid value for type".
    if isinstance(exc, ConfigError | ValueError) and str(exc):
        return str(exc)
    return format_exception(exc, type_)


def _report(
    problems: Problems, check: ConfigCheck, line: str, seen: set[Path], config: dict[str, Any]
) -> None:
    message, _, where = line.rpartition(" @ ")
    if not message:
        message, where = line, "$"
    rel = _parse_path(where)
    first_word = message.split(" ", 1)[0]
    if not rel and first_word in config:
        # A validator's message such as "endpoint must be ..." names the key it is about.
        rel = (first_word,)
    if (rel and rel[0] in check.skip_under) or any(rel[: len(s)] == s for s in seen if s):
        return
    nested = tuple(f"{key}{sep}" for key in check.skip_under for sep in "[:")
    if not rel and message.startswith(nested):
        return
    path = (*check.path, *rel)
    extra = _EXTRA.match(message)
    if extra:
        known = _field_names(_attrs_at(check.config_type, rel))
        for name in extra.group("names").split(", "):
            hint = did_you_mean(name, known)
            problems.at_key((*path, name), f"unknown config key {name!r} for {check.what}{hint}")
    elif message == "required field missing" and rel:
        problems.at(path[:-1], f"missing required config key {rel[-1]!r} for {check.what}")
    else:
        problems.at(path, f"{message} (config of {check.what})")


def _parse_path(where: str) -> Path:
    out: list[str | int] = []
    for match in _PART.finditer(where.removeprefix("$")):
        field, index, key = match.groups()
        out.append(int(index) if index is not None else (field if field is not None else key))
    return tuple(out)


def _field_names(cls: Any) -> list[str]:
    return [a.name for a in attrs.fields(cls)] if cls is not None else []


def _attrs_at(tp: Any, rel: Path) -> Any:
    """The attrs class found at ``rel`` inside ``tp``, or ``None``."""
    for part in rel:
        tp = _unwrap(tp)
        if isinstance(part, int):
            args = typing.get_args(tp)
            tp = args[0] if args else None
        elif isinstance(tp, type) and attrs.has(tp):
            tp = typing.get_type_hints(tp).get(part)
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and attrs.has(tp) else None


def _unwrap(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return options[0] if len(options) == 1 else None
    return tp

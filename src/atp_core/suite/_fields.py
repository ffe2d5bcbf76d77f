"""Typed reads of suite values; a bad value becomes a located problem, never a crash."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from atp_core.suite._problems import Problems, did_you_mean
from atp_core.suite._yaml import Path

T = TypeVar("T")
Check = Callable[[Any], T]


class Invalid(ValueError):
    """A value does not fit; ``at`` is the offending part relative to the value."""

    def __init__(self, message: str, at: Path = ()) -> None:
        super().__init__(message)
        self.at = at


def kind(value: Any) -> str:
    """The YAML name of a value's type, for messages that must not echo the value."""
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


def text(value: Any) -> str:
    """A string."""
    if not isinstance(value, str):
        raise Invalid(f"expected a string, got {kind(value)}")
    return value


def non_empty_text(value: Any) -> str:
    """A string with something in it."""
    if not text(value).strip():
        raise Invalid("must not be empty")
    return str(value)


def boolean(value: Any) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {kind(value)}")
    return value


def integer(minimum: int) -> Check[int]:
    """An integer that is at least ``minimum``."""

    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"expected an integer, got {kind(value)}")
        if value < minimum:
            raise Invalid(f"must be at least {minimum}, got {value}")
        return value

    return check


def number(low: float = -math.inf, high: float = math.inf, *, above: bool = False) -> Check[float]:
    """A finite number in ``[low, high]`` (``(low, high]`` when ``above``)."""

    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid(f"expected a number, got {kind(value)}")
        if not math.isfinite(value):
            raise Invalid("must be a finite number")
        too_low = value <= low if above else value < low
        if too_low or value > high:
            raise Invalid(f"must be {_range(low, high, above)}, got {value}")
        return float(value)

    return check


def _range(low: float, high: float, above: bool) -> str:
    if math.isinf(high):
        return f"greater than {low:g}" if above else f"at least {low:g}"
    return f"{'above' if above else 'between'} {low:g} {'and at most' if above else 'and'} {high:g}"


def text_list(value: Any) -> list[str]:
    """A list of strings."""
    if not isinstance(value, list):
        raise Invalid(f"expected a list of strings, got {kind(value)}")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise Invalid(f"expected a string, got {kind(item)}", at=(index,))
    return list(value)


def mapping(value: Any) -> dict[str, Any]:
    """A mapping."""
    if not isinstance(value, dict):
        raise Invalid(f"expected a mapping, got {kind(value)}")
    return value


class Reader:
    """Reads keys of mappings with checks, recording every problem in ``problems``."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def check(self, value: Any, path: Path, check: Check[T], default: T) -> T:
        """``check(value)``, or ``default`` after recording why it failed."""
        try:
            return check(value)
        except Invalid as exc:
            self.problems.at((*path, *exc.at), str(exc))
            return default

    def get(self, data: Mapping[str, Any], path: Path, key: str, check: Check[T], default: T) -> T:
        """The checked value of ``data[key]``; absent or null gives ``default``."""
        if data.get(key) is None:
            return default
        return self.check(data[key], (*path, key), check, default)

    def require(
        self, data: Mapping[str, Any], path: Path, key: str, check: Check[T], default: T
    ) -> T:
        """Like ``get``, but a missing or null key is a problem."""
        if data.get(key) is None:
            self.problems.at(path, f"missing required key {key!r}")
            return default
        return self.check(data[key], (*path, key), check, default)

    def keys(
        self,
        data: Any,
        path: Path,
        known: Collection[str],
        later: Collection[str] = (),
    ) -> dict[str, Any]:
        """``data`` as a mapping whose unknown keys are reported (``{}`` if not one).

        Keys in ``later`` belong to features a later version brings; they are
        rejected as not available yet rather than ignored.
        """
        if not isinstance(data, dict):
            self.problems.at(path, f"expected a mapping, got {kind(data)}")
            return {}
        for key in data:
            name = str(key)
            if name in later:
                self.problems.at_key((*path, name), f"key {name!r} is not available yet")
            elif name not in known:
                hint = did_you_mean(name, known)
                self.problems.at_key((*path, name), f"unknown key {name!r}{hint}")
        return {str(k): v for k, v in data.items() if str(k) in known}

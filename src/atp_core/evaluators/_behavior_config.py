"""Configs of the behavior checks, validated at load time."""

from __future__ import annotations

import enum
import functools
from typing import Any, Literal

import attrs

from atp_core.errors import ConfigError

ToolCallOrder = Literal["any", "expected", "strict", "subset", "superset"]


class Unset(enum.Enum):
    """Marks ``equals`` as not given, since ``equals: null`` is a real expectation."""

    UNSET = "unset"


UNSET = Unset.UNSET


@functools.lru_cache(maxsize=256)
def parse_jsonpath(path: str) -> Any:
    """Parse a JSONPath (extended syntax, with filters); ``ConfigError`` if invalid."""
    from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError
    from jsonpath_ng.ext.parser import parse

    try:
        return parse(path)
    except (JsonPathLexerError, JsonPathParserError, ValueError, AttributeError) as exc:
        raise ConfigError(f"invalid JSONPath {path!r}: {exc}") from exc


@attrs.frozen(kw_only=True)
class Matcher:
    """A JSONPath and exactly one of ``equals``, ``exists`` or ``absent``."""

    path: str
    equals: Any = UNSET
    exists: bool | None = None
    absent: bool | None = None

    def __attrs_post_init__(self) -> None:
        given = [
            name
            for name, on in (
                ("equals", self.equals is not UNSET),
                ("exists", self.exists is not None),
                ("absent", self.absent is not None),
            )
            if on
        ]
        if len(given) != 1:
            raise ConfigError(
                f"matcher {self.path!r} needs exactly one of equals, exists, absent "
                f"(got {', '.join(given) or 'none'})"
            )
        parse_jsonpath(self.path)


@attrs.frozen(kw_only=True)
class ExpectedToolCall:
    """A tool call the agent should make, with optional input/output matchers and status."""

    tool: str
    input_matches: list[Matcher] = attrs.Factory(list)
    output_matches: list[Matcher] = attrs.Factory(list)
    status: Literal["success", "error"] | None = None


@attrs.frozen(kw_only=True)
class ForbiddenToolCall:
    """A tool call the agent must not make: the tool, optionally narrowed by its input."""

    tool: str
    input_matches: list[Matcher] = attrs.Factory(list)


def _tools(name: str, tools: list[str] | None) -> None:
    if tools is not None and not [t for t in tools if t]:
        raise ConfigError(f"{name} must list at least one tool")


def _limit(name: str, limit: int | None) -> None:
    if limit is not None and limit < 0:
        raise ConfigError(f"{name} must be 0 or more, got {limit}")
    if name == "min_tool_calls" and limit == 0:
        raise ConfigError("min_tool_calls of 0 can never fail; use 1 or more")


@attrs.frozen(kw_only=True)
class BehaviorConfig:
    """``behavior``: any of the tool-call checks, in one assertion."""

    must_use_tools: list[str] | None = None
    forbidden_tools: list[str] | None = None
    min_tool_calls: int | None = None
    max_tool_calls: int | None = None
    no_errors: bool | None = None
    expected_tool_calls: list[ExpectedToolCall] | None = None
    tool_call_order: ToolCallOrder | None = None
    forbidden_tool_calls: list[ForbiddenToolCall] | None = None

    def __attrs_post_init__(self) -> None:
        _tools("must_use_tools", self.must_use_tools)
        _tools("forbidden_tools", self.forbidden_tools)
        _limit("min_tool_calls", self.min_tool_calls)
        _limit("max_tool_calls", self.max_tool_calls)
        self._check_expected()
        if self.forbidden_tool_calls is not None and not self.forbidden_tool_calls:
            raise ConfigError("forbidden_tool_calls must list at least one call")
        if not self.checks():
            raise ConfigError(
                "behavior needs at least one check: must_use_tools, forbidden_tools, "
                "min_tool_calls, max_tool_calls, no_errors, expected_tool_calls, "
                "forbidden_tool_calls"
            )

    def _check_expected(self) -> None:
        if self.tool_call_order is not None and self.expected_tool_calls is None:
            raise ConfigError("tool_call_order needs expected_tool_calls")
        if self.expected_tool_calls == [] and self.order not in ("strict", "subset"):
            raise ConfigError(
                f"expected_tool_calls is empty, which with tool_call_order {self.order!r} "
                "can never fail (use strict or subset to require no tool calls)"
            )

    @property
    def order(self) -> ToolCallOrder:
        """The order rule for expected_tool_calls (``any`` unless given)."""
        return self.tool_call_order or "any"

    def checks(self) -> list[str]:
        """The names of the checks this block asks for, in evaluation order."""
        wanted = {
            "must_use_tools": self.must_use_tools is not None,
            "forbidden_tools": self.forbidden_tools is not None,
            "min_tool_calls": self.min_tool_calls is not None,
            "max_tool_calls": self.max_tool_calls is not None,
            "no_errors": bool(self.no_errors),
            "expected_tool_calls": self.expected_tool_calls is not None,
            "forbidden_tool_calls": self.forbidden_tool_calls is not None,
        }
        return [name for name, on in wanted.items() if on]


@attrs.frozen(kw_only=True)
class ToolsConfig:
    """``must_use_tools`` / ``forbidden_tools``: the tool names."""

    tools: list[str]

    def __attrs_post_init__(self) -> None:
        _tools("tools", self.tools)


@attrs.frozen(kw_only=True)
class MinLimitConfig:
    """``min_tool_calls``: the least number of tool calls."""

    limit: int

    def __attrs_post_init__(self) -> None:
        _limit("min_tool_calls", self.limit)


@attrs.frozen(kw_only=True)
class MaxLimitConfig:
    """``max_tool_calls``: the most tool calls allowed."""

    limit: int

    def __attrs_post_init__(self) -> None:
        _limit("max_tool_calls", self.limit)


@attrs.frozen(kw_only=True)
class NoErrorsConfig:
    """``no_errors`` takes no keys."""

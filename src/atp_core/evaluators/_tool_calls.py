"""Tool calls as the agent streamed them, and matching them against expectations."""

from __future__ import annotations

from typing import Any

import attrs

from atp_core.evaluators._behavior_config import (
    UNSET,
    ExpectedToolCall,
    ForbiddenToolCall,
    Matcher,
    parse_jsonpath,
)
from atp_core.evaluators._outcome import shown
from atp_core.protocol import EvalContext


@attrs.frozen(kw_only=True)
class ToolCall:
    """One ``tool_call`` event's payload."""

    tool: str
    sequence: int
    input: Any = None
    output: Any = None
    status: str = "success"
    error: str | None = None

    @property
    def label(self) -> str:
        """How the call is named in messages: tool and event sequence."""
        return f"{self.tool}@{self.sequence}"


def tool_calls(ctx: EvalContext) -> list[ToolCall]:
    """The run's tool calls in sequence order."""
    events = sorted(
        (e for e in ctx.events if e.event_type == "tool_call"), key=lambda e: e.sequence
    )
    return [_call(e.payload, e.sequence) for e in events]


def _call(payload: dict[str, Any], sequence: int) -> ToolCall:
    error = payload.get("error")
    status = payload.get("status") or ("error" if error else "success")
    return ToolCall(
        tool=str(payload.get("tool") or "<unnamed>"),
        sequence=sequence,
        input=payload.get("input"),
        output=payload.get("output"),
        status=str(status),
        error=None if error is None else str(error),
    )


def untraced(ctx: EvalContext) -> str | None:
    """Why nothing at all is known of the run's tool calls, or ``None`` when something is.

    Checks that could only pass on the absence of calls (forbidden tools, a maximum) are
    undecidable then, as the runner's ``allowed_tools`` constraint is.
    """
    if not ctx.events and ctx.response.metrics.tool_calls is None:
        return "the agent sent no events and reported no tool_calls count"
    return None


def unstreamed(ctx: EvalContext, calls: list[ToolCall]) -> str | None:
    """Why call-level checks cannot be decided, or ``None`` when they can."""
    reported = ctx.response.metrics.tool_calls
    if not calls and reported:
        return f"agent reported {reported} tool calls but streamed no tool_call events"
    return None


def call_count(ctx: EvalContext, calls: list[ToolCall]) -> tuple[int, str]:
    """How many tool calls the agent made, and where that number comes from.

    An agent may stream fewer events than it makes calls, so the larger of the streamed
    count and the reported ``metrics.tool_calls`` is used.
    """
    reported = ctx.response.metrics.tool_calls
    if reported is not None and reported > len(calls):
        return reported, f"reported by the agent, {len(calls)} streamed"
    return len(calls), "streamed"


def json_equal(left: Any, right: Any) -> bool:
    """JSON equality: ``1 == 1.0`` but ``true != 1``, recursively."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equal(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(json_equal, left, right))
    return type(left) is type(right) and bool(left == right)


def matcher_failure(matcher: Matcher, value: Any, where: str) -> str | None:
    """Why ``matcher`` does not hold on ``value`` (the call's input or output), or ``None``."""
    found = [m.value for m in parse_jsonpath(matcher.path).find(value)]
    at = f"{where} {matcher.path}"
    if matcher.equals is not UNSET:
        if any(json_equal(v, matcher.equals) for v in found):
            return None
        actual = "nothing" if not found else shown(found[0] if len(found) == 1 else found)
        return f"{at}: expected {shown(matcher.equals)}, got {actual}"
    want_present = matcher.exists if matcher.exists is not None else not matcher.absent
    if bool(found) == want_present:
        return None
    if want_present:
        return f"{at}: expected to exist, found nothing"
    return f"{at}: expected absent, found {shown(found[0] if len(found) == 1 else found)}"


def call_mismatch(expected: ExpectedToolCall | ForbiddenToolCall, call: ToolCall) -> str | None:
    """Why ``call`` does not match ``expected``, or ``None`` if it does."""
    if call.tool != expected.tool:
        return f"{call.label}: tool is {call.tool!r}, not {expected.tool!r}"
    for matcher in expected.input_matches:
        reason = matcher_failure(matcher, call.input, "input")
        if reason:
            return f"{call.label}: {reason}"
    if isinstance(expected, ExpectedToolCall):
        if expected.status is not None and call.status != expected.status:
            return f"{call.label}: status is {call.status!r}, not {expected.status!r}"
        for matcher in expected.output_matches:
            reason = matcher_failure(matcher, call.output, "output")
            if reason:
                return f"{call.label}: {reason}"
    return None


def closest_miss(expected: ExpectedToolCall, calls: list[ToolCall]) -> str:
    """Why no call matches ``expected``: the first same-tool call's mismatch, or the tools used."""
    for call in calls:
        if call.tool == expected.tool:
            return call_mismatch(expected, call) or f"{call.label} was matched by another entry"
    used = sorted({c.tool for c in calls})
    return f"no call of {expected.tool!r} (tools called: {', '.join(used) or 'none'})"

"""The tool-call checks shared by ``behavior`` and the single-purpose assertion types."""

from __future__ import annotations

from typing import Any

import attrs

from atp_core.evaluators._behavior_config import BehaviorConfig, ForbiddenToolCall
from atp_core.evaluators._call_order import expected_calls_outcome
from atp_core.evaluators._outcome import Outcome, failed, names, passed, skipped
from atp_core.evaluators._tool_calls import (
    ToolCall,
    call_count,
    call_mismatch,
    tool_calls,
    unstreamed,
    untraced,
)
from atp_core.protocol import EvalContext


@attrs.frozen(kw_only=True)
class Trace:
    """What the checks look at: the run's tool calls and error evidence."""

    ctx: EvalContext
    calls: list[ToolCall]
    undecidable: str | None

    @classmethod
    def of(cls, ctx: EvalContext) -> Trace:
        """The trace of one run."""
        calls = tool_calls(ctx)
        return cls(ctx=ctx, calls=calls, undecidable=unstreamed(ctx, calls))

    @property
    def used(self) -> list[str]:
        """Tool names called, first call first, without repeats."""
        return list(dict.fromkeys(c.tool for c in self.calls))


def must_use_tools(tools: list[str], trace: Trace) -> Outcome:
    """Every tool in ``tools`` was called at least once (with any status)."""
    if trace.undecidable:
        return skipped(trace.undecidable)
    missing = [t for t in tools if t not in trace.used]
    score = (len(tools) - len(missing)) / len(tools)
    if missing:
        return failed(
            f"required tools not used: {names(missing)} (used: {names(trace.used)})",
            score=score,
            missing=missing,
        )
    return passed(f"all required tools used: {names(tools)}", score=score)


def forbidden_tools(tools: list[str], trace: Trace) -> Outcome:
    """No tool in ``tools`` was called."""
    if why := trace.undecidable or untraced(trace.ctx):
        return skipped(why)
    hits = [c.label for c in trace.calls if c.tool in tools]
    if hits:
        return failed(f"forbidden tools used: {names(hits)}", violations=hits)
    return passed(f"none of the forbidden tools used ({names(tools)})")


def min_tool_calls(limit: int, trace: Trace) -> Outcome:
    """At least ``limit`` tool calls."""
    count, source = call_count(trace.ctx, trace.calls)
    if count >= limit:
        return passed(f"{count} tool calls ({source}), at least {limit} required", actual=count)
    return failed(
        f"{count} tool calls ({source}), at least {limit} required",
        score=count / limit,
        actual=count,
    )


def max_tool_calls(limit: int, trace: Trace) -> Outcome:
    """At most ``limit`` tool calls."""
    if why := untraced(trace.ctx):
        return skipped(why)
    count, source = call_count(trace.ctx, trace.calls)
    if count <= limit:
        return passed(f"{count} tool calls ({source}), at most {limit} allowed", actual=count)
    return failed(
        f"{count} tool calls ({source}), at most {limit} allowed",
        score=limit / count,
        actual=count,
    )


def _error_text(payload: dict[str, Any]) -> str:
    kind = payload.get("error_type")
    message = str(payload.get("message") or "no message")
    return f"{kind}: {message}" if kind else message


def no_errors(trace: Trace) -> Outcome:
    """No error event, no tool call with status error, and no error in the response."""
    found = [
        f"error event @{e.sequence}: {_error_text(e.payload)}"
        for e in trace.ctx.events
        if e.event_type == "error"
    ]
    found += [
        f"tool call {c.label} failed: {c.error or 'no message'}"
        for c in trace.calls
        if c.status == "error"
    ]
    if trace.ctx.response.error:
        found.append(f"response error: {trace.ctx.response.error}")
    if found:
        return failed(f"{len(found)} errors: {names(found, limit=3)}", errors=found[:20])
    return passed("no error events, failed tool calls or response error")


def forbidden_tool_calls(rules: list[ForbiddenToolCall], trace: Trace) -> Outcome:
    """No call matches any forbidden rule (its tool and all its input matchers)."""
    if why := trace.undecidable or untraced(trace.ctx):
        return skipped(why)
    hits = [
        f"{call.label} (rule #{index + 1})"
        for call in trace.calls
        for index, rule in enumerate(rules)
        if call_mismatch(rule, call) is None
    ]
    if hits:
        return failed(f"forbidden tool calls made: {names(hits)}", violations=hits)
    return passed(f"no call matched the {len(rules)} forbidden tool call rules")


def behavior_outcomes(config: BehaviorConfig, trace: Trace) -> list[tuple[str, Outcome]]:
    """Each check the behavior block asks for, with its outcome."""
    out: list[tuple[str, Outcome]] = []
    for name in config.checks():
        out.append((name, _one(name, config, trace)))
    return out


def _one(name: str, config: BehaviorConfig, trace: Trace) -> Outcome:
    if name == "must_use_tools":
        return must_use_tools(config.must_use_tools or [], trace)
    if name == "forbidden_tools":
        return forbidden_tools(config.forbidden_tools or [], trace)
    if name == "min_tool_calls":
        return min_tool_calls(config.min_tool_calls or 0, trace)
    if name == "max_tool_calls":
        return max_tool_calls(config.max_tool_calls or 0, trace)
    if name == "no_errors":
        return no_errors(trace)
    if name == "forbidden_tool_calls":
        return forbidden_tool_calls(config.forbidden_tool_calls or [], trace)
    if trace.undecidable:
        return skipped(trace.undecidable)
    if not config.expected_tool_calls and (why := untraced(trace.ctx)):
        return skipped(why)  # expecting no calls at all
    return expected_calls_outcome(config.expected_tool_calls or [], trace.calls, config.order)


def combine(outcomes: list[tuple[str, Outcome]]) -> Outcome:
    """One outcome for several checks: any failure fails, else any skip skips."""
    details = {
        "checks": {
            name: {"status": o.status, "score": o.score, "message": o.message}
            for name, o in outcomes
        }
    }
    scores = [o.score for _, o in outcomes if o.score is not None]
    score = sum(scores) / len(scores) if scores else 0.0
    bad = [f"{name}: {o.message}" for name, o in outcomes if o.status == "failed"]
    unknown = [f"{name}: {o.message}" for name, o in outcomes if o.status == "skipped"]
    if bad:
        tail = f" (undecided: {'; '.join(unknown)})" if unknown else ""
        return failed("; ".join(bad) + tail, score=score, **details)
    if unknown:
        return skipped("; ".join(unknown), **details)
    return passed("; ".join(f"{name}: {o.message}" for name, o in outcomes), score=score, **details)

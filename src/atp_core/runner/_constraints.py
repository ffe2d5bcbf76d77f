"""Constraint checks: each set constraint becomes a check named after it (SPEC §3).

A constraint that nothing measured is ``skipped`` with the reason, never ``passed``.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from atp_core.protocol import CheckResult, CheckStatus, Constraints, Event, Metrics
from atp_core.runner._measure import cost_of, steps_of, tokens_of, tools_used

KIND = "constraint"


@attrs.frozen(kw_only=True)
class Observed:
    """What one run did, as far as the constraints care."""

    metrics: Metrics
    events: tuple[Event, ...]
    duration_seconds: float
    deadline_passed: bool


def check_constraints(constraints: Constraints, seen: Observed) -> list[CheckResult]:
    """One check per constraint the test sets, in a fixed order."""
    out: list[CheckResult] = []
    if constraints.max_steps is not None:
        out.append(
            _limit(
                "max_steps",
                constraints.max_steps,
                steps_of(seen.metrics, seen.events),
                "steps",
                "the agent reported no steps and sent no events",
            )
        )
    if constraints.max_tokens is not None:
        out.append(
            _limit(
                "max_tokens",
                constraints.max_tokens,
                tokens_of(seen.metrics, seen.events),
                "tokens",
                "the agent reported no token counts",
            )
        )
    if constraints.budget_usd is not None:
        out.append(
            _limit(
                "budget_usd",
                constraints.budget_usd,
                cost_of(seen.metrics),
                "USD",
                "the agent reported no cost",
            )
        )
    if constraints.allowed_tools is not None:
        out.append(_allowed_tools(constraints.allowed_tools, seen))
    if constraints.timeout_seconds is not None:
        out.append(_deadline(constraints.timeout_seconds, seen))
    return out


def _check(name: str, status: CheckStatus, message: str, **details: object) -> CheckResult:
    return CheckResult(
        name=name,
        status=status,
        message=message,
        score=None,
        details={"kind": KIND, **details},
    )


def _limit(name: str, limit: float, used: float | None, unit: str, why: str) -> CheckResult:
    if used is None:
        return _check(name, "skipped", f"cannot check {name}: {why}", limit=limit)
    if used > limit:
        return _check(
            name, "failed", f"used {used} {unit}, over the limit of {limit}", limit=limit, used=used
        )
    return _check(name, "passed", f"used {used} {unit} of {limit}", limit=limit, used=used)


def _allowed_tools(allowed: Sequence[str], seen: Observed) -> CheckResult:
    name = "allowed_tools"
    if not seen.events:
        if seen.metrics.tool_calls == 0:
            return _check(name, "passed", "the agent reported no tool calls")
        return _check(
            name, "skipped", "cannot check allowed_tools: the agent sent no event trace to check"
        )
    used = tools_used(seen.events)
    bad = sorted({t for t in used if t not in allowed})
    if bad:
        return _check(
            name,
            "failed",
            f"used tools not allowed: {', '.join(map(repr, bad))}",
            forbidden=bad,
            allowed=list(allowed),
        )
    return _check(
        name, "passed", f"all {len(used)} tool calls used allowed tools", allowed=list(allowed)
    )


def _deadline(timeout: float, seen: Observed) -> CheckResult:
    name = "timeout_seconds"
    if seen.deadline_passed:
        return _check(
            name, "failed", f"no response within the deadline of {timeout} s", limit=timeout
        )
    return _check(
        name,
        "passed",
        f"answered in {seen.duration_seconds:.3f} s of {timeout} s",
        limit=timeout,
        used=seen.duration_seconds,
    )

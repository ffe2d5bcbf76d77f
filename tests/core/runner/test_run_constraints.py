"""Constraint checks from response metrics and the event trace."""

from __future__ import annotations

from atp_core.protocol import Constraints, Event, Metrics
from atp_core.runner._constraints import Observed, check_constraints
from atp_core.runner._measure import steps_of, tokens_of


def ev(event_type: str, n: int, **payload: object) -> Event:
    """An event of the given type and payload."""
    return Event(
        task_id="t",
        event_type=event_type,
        timestamp="2025-01-01T00:00:00Z",  # type: ignore[arg-type]
        sequence=n,
        payload=dict(payload),
    )


def seen(
    metrics: Metrics | None = None, events: tuple[Event, ...] = (), deadline: bool = False
) -> Observed:
    """What a run did."""
    return Observed(
        metrics=metrics or Metrics(), events=events, duration_seconds=1.5, deadline_passed=deadline
    )


def by_name(constraints: Constraints, observed: Observed) -> dict[str, tuple[str, str]]:
    """Check status and message by check name."""
    return {c.name: (c.status, c.message) for c in check_constraints(constraints, observed)}


def test_steps_come_from_metrics_then_call_counts_then_the_trace() -> None:
    """total_steps wins; else tool+LLM call counts; else tool_call and llm_request events."""
    trace = (ev("tool_call", 0, tool="a"), ev("reasoning", 1), ev("llm_request", 2))
    assert steps_of(Metrics(total_steps=7), trace) == 7
    assert steps_of(Metrics(tool_calls=2, llm_calls=3), trace) == 5
    assert steps_of(Metrics(), trace) == 2
    assert steps_of(Metrics(), ()) is None


def test_tokens_come_from_metrics_then_llm_events() -> None:
    """total_tokens wins; else input+output; else summed from llm_request events."""
    trace = (ev("llm_request", 0, input_tokens=10, output_tokens=5), ev("llm_request", 1))
    assert tokens_of(Metrics(total_tokens=9), trace) == 9
    assert tokens_of(Metrics(input_tokens=4), trace) == 4
    assert tokens_of(Metrics(), trace) == 15
    assert tokens_of(Metrics(), (ev("llm_request", 0),)) is None


def test_breaches_are_failed_checks_named_after_the_constraint() -> None:
    """Going over max_steps, max_tokens or budget_usd fails the check of that name."""
    limits = Constraints(max_steps=2, max_tokens=100, budget_usd=0.1)
    out = by_name(limits, seen(Metrics(total_steps=3, total_tokens=101, cost_usd=0.2)))
    assert out["max_steps"] == ("failed", "used 3 steps, over the limit of 2")
    assert out["max_tokens"][0] == "failed"
    assert out["budget_usd"][0] == "failed"


def test_limits_met_pass() -> None:
    """Usage at the limit passes."""
    limits = Constraints(max_steps=2, max_tokens=100, budget_usd=0.1)
    out = by_name(limits, seen(Metrics(total_steps=2, total_tokens=100, cost_usd=0.1)))
    assert {name: status for name, (status, _) in out.items()} == {
        "max_steps": "passed",
        "max_tokens": "passed",
        "budget_usd": "passed",
    }


def test_unmeasurable_constraints_are_skipped_with_a_reason() -> None:
    """Nothing reported means skipped, never passed."""
    limits = Constraints(max_steps=2, max_tokens=100, budget_usd=0.1, allowed_tools=["a"])
    out = by_name(limits, seen())
    assert {s for s, _ in out.values()} == {"skipped"}
    assert out["budget_usd"][1] == "cannot check budget_usd: the agent reported no cost"


def test_allowed_tools_checks_every_tool_call_in_the_trace() -> None:
    """A tool outside allowed_tools fails the check and is named."""
    trace = (ev("tool_call", 0, tool="read"), ev("tool_call", 1, tool="rm"))
    out = by_name(Constraints(allowed_tools=["read"]), seen(events=trace))
    assert out["allowed_tools"] == ("failed", "used tools not allowed: 'rm'")
    ok = by_name(Constraints(allowed_tools=["read", "rm"]), seen(events=trace))
    assert ok["allowed_tools"][0] == "passed"


def test_allowed_tools_passes_when_the_agent_reports_zero_tool_calls() -> None:
    """Without a trace, a reported tool_calls of 0 decides the check."""
    out = by_name(Constraints(allowed_tools=["x"]), seen(Metrics(tool_calls=0)))
    assert out["allowed_tools"][0] == "passed"


def test_timeout_constraint_fails_when_the_deadline_passed() -> None:
    """timeout_seconds is a check too: failed when the hard deadline cut the run."""
    assert (
        by_name(Constraints(timeout_seconds=5), seen(deadline=True))["timeout_seconds"][0]
        == "failed"
    )
    assert by_name(Constraints(timeout_seconds=5), seen())["timeout_seconds"][0] == "passed"

"""run_suite end to end with a scripted agent: verdicts, errors, constraints and events."""

from __future__ import annotations

from typing import Any

import pytest

from atp_core import protocol as proto
from atp_core.errors import AgentCrashed, AgentUnreachable
from atp_core.protocol import (
    Constraints,
    Metrics,
    PassPolicy,
    RunFinished,
    RunStarted,
    Scoring,
    SuiteFinished,
    SuiteStarted,
)
from atp_core.runner import exit_code
from atp_core.testing import Reply

pytestmark = pytest.mark.anyio


async def test_every_run_is_judged_and_aggregated(kit: Any) -> None:
    """All runs of a test are recorded and judged, not only the first."""
    script = {"t1": [Reply(), Reply(status="failed", error="gave up"), Reply()]}
    result, agent, _ = await kit.run(kit.suite(kit.case(runs=3)), script, kit.options())
    (test,) = result.tests
    assert [r.verdict for r in test.runs] == ["passed", "failed", "passed"]
    assert test.runs[1].checks[0].message == "the agent reported status 'failed': gave up"
    assert test.stats.passed == 2
    assert test.stats.flaky
    assert test.verdict == "failed"
    assert test.reason == "2/3 runs passed; policy all requires every run to pass"
    assert exit_code(result) == 1
    assert len(agent.requests) == 3
    assert agent.closed


async def test_runs_option_overrides_runs_per_test(kit: Any) -> None:
    """RunOptions.runs replaces the suite's number of runs."""
    result, agent, _ = await kit.run(kit.suite(kit.case(runs=5)), Reply(), kit.options(runs=2))
    assert result.tests[0].stats.n == 2
    assert len(agent.requests) == 2
    assert exit_code(result) == 0


async def test_request_carries_unique_task_id_constraints_and_metadata(kit: Any) -> None:
    """Each request has its own task id, the test's constraints, workspace and metadata."""
    test = kit.case("weird id/1", runs=2, constraints=Constraints(max_steps=4), timeout_seconds=9.0)
    _, agent, _ = await kit.run(
        kit.suite(test), Reply(metrics=Metrics(total_steps=1)), kit.options()
    )
    first, second = agent.requests
    assert first.task_id == "weird_id_1-r1-id1"
    assert first.task_id != second.task_id
    assert first.constraints == Constraints(max_steps=4, timeout_seconds=9.0)
    assert first.metadata == {
        "test_id": "weird id/1",
        "test_name": "Test weird id/1",
        "run_number": 1,
        "total_runs": 2,
        "suite": "runner-suite",
    }
    assert first.context is not None
    assert first.context.workspace_path == str(kit.tmp_path / "ws" / "weird_id_1-1")


async def test_evaluator_crash_gives_verdict_error_not_pass(kit: Any) -> None:
    """A crashing evaluator makes the check and the run 'error', and the exit code 3."""
    test = kit.case(assertions=[kit.check(), kit.check(crash=True)])
    result, _, _ = await kit.run(kit.suite(test), Reply(), kit.options())
    run_record = result.tests[0].runs[0]
    assert run_record.verdict == "error"
    crashed = [c for c in run_record.checks if c.status == "error"]
    assert crashed[0].message == "evaluator crashed: RuntimeError: evaluator exploded"
    assert result.tests[0].verdict == "error"
    assert exit_code(result) == 3


async def test_evaluator_that_cannot_be_built_is_an_error_check(kit: Any) -> None:
    """An evaluator factory that raises is recorded as an error check."""

    def broken(spec: object) -> object:
        raise ValueError("no such evaluator")

    result, _, _ = await kit.run(
        kit.suite(kit.case()), Reply(), kit.options(evaluator_factory=broken)
    )
    assert result.tests[0].runs[0].verdict == "error"


async def test_skipped_assertion_never_passes_the_run(kit: Any) -> None:
    """A run whose only doubt is a skipped check fails, even with a low threshold."""
    test = kit.case(assertions=[kit.check(), kit.check("skipped")], pass_threshold=0.1)
    result, _, _ = await kit.run(kit.suite(test), Reply(), kit.options())
    assert result.tests[0].runs[0].verdict == "failed"
    assert result.tests[0].verdict == "failed"


async def test_a_test_without_checks_is_not_silently_passed(kit: Any) -> None:
    """No assertions and no expected artifacts: a skipped 'checks' check and score 0."""
    result, _, _ = await kit.run(kit.suite(kit.case(assertions=[])), Reply(), kit.options())
    record = result.tests[0].runs[0]
    assert record.verdict == "failed"
    assert record.score == 0.0
    assert any(c.name == "checks" and c.status == "skipped" for c in record.checks)


async def test_unreachable_agent_is_an_error_run_and_the_suite_goes_on(kit: Any) -> None:
    """An infrastructure failure is a run with status failed, an error kind and verdict error."""
    script = {"t1": Reply(raises=AgentUnreachable("connection refused")), "t2": Reply()}
    result, _, _ = await kit.run(kit.suite(kit.case("t1"), kit.case("t2")), script, kit.options())
    broken, fine = result.tests
    record = broken.runs[0]
    assert (record.status, record.error_kind, record.verdict) == ("failed", "unreachable", "error")
    assert record.error == "connection refused"
    assert fine.verdict == "passed"
    assert exit_code(result) == 3


async def test_crash_still_evaluates_every_assertion(kit: Any) -> None:
    """Assertions are evaluated even when the agent crashed."""
    test = kit.case(assertions=[kit.check(), kit.check("failed")])
    result, _, _ = await kit.run(
        kit.suite(test), Reply(raises=AgentCrashed("exit 1")), kit.options()
    )
    names = [c.name for c in result.tests[0].runs[0].checks]
    assert names == ["agent_status", "outcome", "outcome"]


async def test_deadline_is_hard_and_a_timeout_is_a_failed_run(kit: Any) -> None:
    """A run past timeout_seconds is stopped: status timeout, verdict failed."""
    test = kit.case(timeout_seconds=0.05, constraints=Constraints(timeout_seconds=0.05))
    result, agent, _ = await kit.run(kit.suite(test), Reply(delay=30), kit.options())
    record = result.tests[0].runs[0]
    assert (record.status, record.error_kind, record.verdict) == ("timeout", "timeout", "failed")
    assert agent.cancelled == 1
    statuses = {c.name: c.status for c in record.checks}
    assert statuses["timeout_seconds"] == "failed"
    assert statuses["agent_status"] == "failed"


async def test_constraint_breach_fails_the_run_even_above_threshold(kit: Any) -> None:
    """max_steps breached: a failed 'max_steps' check fails the run despite a good score."""
    test = kit.case(constraints=Constraints(max_steps=2), pass_threshold=0.1)
    reply = Reply(metrics=Metrics(total_steps=3))
    result, _, _ = await kit.run(kit.suite(test), reply, kit.options())
    record = result.tests[0].runs[0]
    assert record.verdict == "failed"
    assert [c.status for c in record.checks if c.name == "max_steps"] == ["failed"]
    assert record.components.efficiency == pytest.approx(0.25)


async def test_allowed_tools_is_checked_against_streamed_events(kit: Any) -> None:
    """A tool call outside allowed_tools in the event trace fails the run."""
    test = kit.case(constraints=Constraints(allowed_tools=["read"]))
    events = ({"event_type": "tool_call", "payload": {"tool": "delete"}},)
    result, _, _ = await kit.run(kit.suite(test), Reply(events=events), kit.options())
    record = result.tests[0].runs[0]
    assert record.verdict == "failed"
    assert len(record.events) == 1
    assert record.events[0].task_id == result.tests[0].runs[0].events[0].task_id


async def test_unmeasured_components_spread_weight_in_the_run_score(kit: Any) -> None:
    """Without steps or cost, the score is quality and completeness reweighted."""
    test = kit.case(
        assertions=[kit.check(score=0.5), kit.check("failed", score=0.0)],
        scoring=Scoring(
            quality_weight=0.5, completeness_weight=0.1, efficiency_weight=0.2, cost_weight=0.2
        ),
    )
    result, _, _ = await kit.run(kit.suite(test), Reply(), kit.options())
    record = result.tests[0].runs[0]
    assert record.components.efficiency is None
    assert record.components.cost is None
    assert record.score == pytest.approx((0.5 * 0.25 + 0.1 * 0.5) / 0.6)


async def test_pass_policy_any_passes_a_flaky_test(kit: Any) -> None:
    """With policy any, one passing run of three passes the test."""
    test = kit.case(runs=3, pass_policy=PassPolicy(kind="any"))
    script = {"t1": [Reply(status="failed"), Reply(), Reply(status="failed")]}
    result, _, _ = await kit.run(kit.suite(test), script, kit.options())
    assert result.tests[0].verdict == "passed"
    assert result.tests[0].pass_policy == "any"


async def test_runner_events_arrive_in_order(kit: Any) -> None:
    """Sinks see SuiteStarted, then run and test events, then SuiteFinished with the result."""
    result, _, memory = await kit.run(kit.suite(kit.case(runs=2)), Reply(), kit.options())
    kinds = [type(e) for e in memory.events]
    assert kinds == [
        SuiteStarted,
        RunStarted,
        RunStarted,
        RunFinished,
        RunFinished,
        proto.TestFinished,
        SuiteFinished,
    ] or kinds == [
        SuiteStarted,
        RunStarted,
        RunFinished,
        RunStarted,
        RunFinished,
        proto.TestFinished,
        SuiteFinished,
    ]
    assert memory.of_type(SuiteStarted)[0].total_runs == 2
    assert memory.of_type(SuiteFinished)[0].result == result


async def test_a_raising_sink_stops_neither_the_run_nor_other_sinks(kit: Any) -> None:
    """A sink that raises is logged; the other sinks still receive every event."""

    class Broken:
        async def handle(self, event: object) -> None:
            raise RuntimeError("sink down")

    result, _, memory = await kit.run(
        kit.suite(kit.case()), Reply(), kit.options(), sinks=[Broken()]
    )
    assert result.status == "completed"
    assert len(memory.events) == 5


async def test_a_sink_with_handles_gets_only_those_event_types(kit: Any) -> None:
    """``handles`` narrows what a sink is given (subclasses count); others still get all."""

    class Picky:
        handles = (proto.TestFinished, SuiteFinished)

        def __init__(self) -> None:
            self.seen: list[type] = []

        async def handle(self, event: object) -> None:
            self.seen.append(type(event))

    picky = Picky()
    _, _, memory = await kit.run(kit.suite(kit.case(runs=2)), Reply(), kit.options(), sinks=[picky])
    assert picky.seen == [proto.TestFinished, SuiteFinished]
    assert len(memory.events) == 7


async def test_a_sink_with_handle_now_is_called_through_it(kit: Any) -> None:
    """``handle_now`` replaces awaiting ``handle``; if it raises, the run goes on."""

    class Plain:
        def __init__(self) -> None:
            self.calls: list[str] = []

        async def handle(self, event: object) -> None:
            self.calls.append("handle")

        def handle_now(self, event: object) -> None:
            self.calls.append("now")
            if isinstance(event, proto.RunFinished):
                raise RuntimeError("sink down")

    plain = Plain()
    result, _, memory = await kit.run(kit.suite(kit.case()), Reply(), kit.options(), sinks=[plain])
    assert result.status == "completed"
    assert plain.calls == ["now"] * 5
    assert len(memory.events) == 5


async def test_agent_config_secrets_are_masked_in_the_record(kit: Any) -> None:
    """The adapter reference stored with a run masks secret-looking config values."""
    import attrs

    from atp_core.protocol import AgentSpec
    from atp_core.runner import run_suite
    from atp_core.testing import ScriptedAgent

    agent = AgentSpec(
        name="a",
        type="http",
        config={"endpoint": "http://x", "headers": {"Authorization": "Bearer s3"}, "api_key": "k"},
    )
    opts = attrs.evolve(kit.options(), adapter_factory=lambda _: ScriptedAgent(Reply()))
    result = await run_suite(kit.suite(kit.case()), agent, opts)
    ref = result.tests[0].runs[0].adapter
    assert ref is not None
    assert ref.config == {
        "endpoint": "http://x",
        "headers": {"Authorization": "***"},
        "api_key": "***",
    }

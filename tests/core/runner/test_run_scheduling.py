"""Scheduling: round-robin order, the parallel bound, fail-fast, stopping, cancelling, resuming."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from atp_core.protocol import PassPolicy, Request, RunFinished, RunStarted, SuiteFinished
from atp_core.runner import exit_code
from atp_core.testing import Reply, ScriptedAgent

pytestmark = pytest.mark.anyio


def order(agent: ScriptedAgent) -> list[str]:
    """Requests as ``test_id#run`` in the order the agent got them."""
    return [f"{r.metadata['test_id']}#{r.metadata['run_number']}" for r in agent.requests]


async def test_runs_go_round_robin_across_tests(kit: Any) -> None:
    """Run 1 of every test comes before run 2 of any, so a long test does not hold the rest."""
    the_suite = kit.suite(kit.case("a", runs=3), kit.case("b", runs=1), kit.case("c", runs=2))
    _, agent, _ = await kit.run(the_suite, Reply(), kit.options(parallel=1))
    assert order(agent) == ["a#1", "b#1", "c#1", "a#2", "c#2", "a#3"]


async def test_parallel_bound_is_respected_and_reached(kit: Any) -> None:
    """No more than ``parallel`` runs execute at once, and the bound is used."""
    the_suite = kit.suite(*(kit.case(f"t{i}", runs=3) for i in range(4)))
    result, agent, _ = await kit.run(the_suite, Reply(delay=0.02), kit.options(parallel=3))
    assert agent.max_active == 3
    assert sum(t.stats.n for t in result.tests) == 12


async def test_fail_fast_starts_no_runs_after_a_test_cannot_pass(kit: Any) -> None:
    """With fail_fast, the first failure under policy all stops new runs: stopped_early."""
    the_suite = kit.suite(kit.case("a", runs=3), kit.case("b"), kit.case("c"))
    script = {"a": Reply(status="failed"), "b": Reply(), "c": Reply()}
    result, agent, _ = await kit.run(the_suite, script, kit.options(parallel=1, fail_fast=True))
    assert order(agent) == ["a#1"]
    assert result.status == "stopped_early"
    assert [t.test_id for t in result.tests] == ["a"]
    assert result.tests[0].verdict == "failed"
    assert exit_code(result) == 1


async def test_fail_fast_waits_while_the_policy_can_still_pass(kit: Any) -> None:
    """Under policy any, one failed run does not stop the suite."""
    the_suite = kit.suite(kit.case("a", runs=2, pass_policy=PassPolicy(kind="any")), kit.case("b"))
    script = {"a": [Reply(status="failed"), Reply()], "b": Reply()}
    result, agent, _ = await kit.run(the_suite, script, kit.options(parallel=1, fail_fast=True))
    assert result.status == "completed"
    assert len(agent.requests) == 3


async def test_stop_event_stops_agents_and_keeps_finished_runs(kit: Any) -> None:
    """Setting stop_event cancels the running agent, starts nothing new, keeps what finished."""
    stop = anyio.Event()

    def script(request: Request) -> Reply:
        if request.metadata["test_id"] == "c":
            stop.set()
            return Reply(delay=30)
        return Reply()

    the_suite = kit.suite(kit.case("a"), kit.case("b"), kit.case("c"), kit.case("d"))
    opts = kit.options(parallel=1, stop_event=stop)
    result, agent, memory = await kit.run(the_suite, script, opts)
    assert result.status == "interrupted"
    assert [t.test_id for t in result.tests] == ["a", "b"]
    assert agent.cancelled == 1
    assert order(agent) == ["a#1", "b#1", "c#1"]
    assert exit_code(result) == 130
    assert memory.of_type(SuiteFinished)[0].result.status == "interrupted"
    assert list((kit.tmp_path / "ws").iterdir()) == []


async def test_cancelled_caller_still_gets_suite_finished(kit: Any) -> None:
    """When the caller's scope is cancelled, sinks still receive SuiteFinished (interrupted)."""
    from atp_core.testing import MemorySink

    memory = MemorySink()
    the_suite = kit.suite(kit.case("a"), kit.case("b"))
    with anyio.CancelScope() as scope:

        def script(request: Request) -> Reply:
            if request.metadata["test_id"] == "b":
                scope.cancel()
                return Reply(delay=30)
            return Reply()

        await kit.run(the_suite, script, kit.options(parallel=1), sinks=[memory])
    assert scope.cancelled_caught
    final = memory.of_type(SuiteFinished)
    assert len(final) == 1
    assert final[0].result.status == "interrupted"
    assert [t.test_id for t in final[0].result.tests] == ["a"]


async def test_partially_run_test_has_no_verdict_when_the_rest_would_decide(kit: Any) -> None:
    """A test interrupted after 1 of 3 passing runs gets verdict error, not passed."""
    stop = anyio.Event()
    calls = {"n": 0}

    def script(request: Request) -> Reply:
        calls["n"] += 1
        if calls["n"] == 2:
            stop.set()
            return Reply(delay=30)
        return Reply()

    result, _, _ = await kit.run(
        kit.suite(kit.case("a", runs=3)), script, kit.options(parallel=1, stop_event=stop)
    )
    (test,) = result.tests
    assert test.stats.n == 1
    assert test.verdict == "error"
    assert "only 1 of 3 runs finished" in test.reason


async def test_resume_skips_completed_runs_and_counts_them(kit: Any) -> None:
    """Runs passed in ``completed`` are not run again but are part of the aggregates."""
    first, _, _ = await kit.run(
        kit.suite(kit.case("a", runs=1)), Reply(status="failed"), kit.options()
    )
    done = first.tests[0].runs
    result, agent, memory = await kit.run(
        kit.suite(kit.case("a", runs=3)), Reply(), kit.options(completed=done)
    )
    assert order(agent) == ["a#2", "a#3"]
    (test,) = result.tests
    assert [r.verdict for r in test.runs] == ["failed", "passed", "passed"]
    assert test.stats.n == 3
    assert [e.run_number for e in memory.of_type(RunStarted)] == [2, 3]
    assert len(memory.of_type(RunFinished)) == 2


async def test_filters_select_tests_by_id_and_tag(kit: Any) -> None:
    """test_ids and tag_filter both narrow the tests that run."""
    the_suite = kit.suite(
        kit.case("a", tags=("smoke",)), kit.case("b"), kit.case("c", tags=("smoke",))
    )
    opts = kit.options(test_ids=frozenset({"a", "b"}), tag_filter=lambda tags: "smoke" in tags)
    result, _, _ = await kit.run(the_suite, Reply(), opts)
    assert [t.test_id for t in result.tests] == ["a"]


async def test_suite_result_carries_ids_and_times_from_injected_clock(kit: Any) -> None:
    """The suite run id and timestamps come from the injected id factory and clock."""
    result, _, _ = await kit.run(kit.suite(kit.case()), Reply(), kit.options(suite_run_id="sr-1"))
    assert result.id == "sr-1"
    assert result.started_at == "2025-01-01T00:00:00+00:00"
    assert result.agent == "scripted"

"""The runner's fast paths keep its semantics: background workspace removal, cached stats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sps

from atp_core.protocol import FileArtifact, TestFinished
from atp_core.runner._reaper import Reaper
from atp_core.runner._stats import wilson_interval
from atp_core.testing import Reply

TOL = 1e-9


def _entries(directory: Path) -> list[Path]:
    return list(directory.iterdir())


@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_wilson_interval_equals_scipy_binomtest(nc: tuple[int, int]) -> None:
    """The closed-form Wilson interval agrees with scipy's binomtest to 1e-9."""
    n, c = nc
    ref = sps.binomtest(c, n).proportion_ci(confidence_level=0.95, method="wilson")
    low, high = wilson_interval(c, n)
    assert low == pytest.approx(float(ref.low), abs=TOL)
    assert high == pytest.approx(float(ref.high), abs=TOL)


def test_wilson_interval_rejects_impossible_counts() -> None:
    """More passes than runs is a caller error, not a number."""
    with pytest.raises(ValueError, match="passed <= n"):
        wilson_interval(3, 2)


@pytest.mark.anyio
async def test_reaper_removes_empty_and_full_workspaces_once_closed(tmp_path: Path) -> None:
    """Queued workspaces, empty or holding files, are gone when the reaper's run returns."""
    empty, full = tmp_path / "a-1", tmp_path / "b-1"
    empty.mkdir()
    (full / "deep").mkdir(parents=True)
    (full / "deep" / "f.txt").write_text("x")
    reaper = Reaper()
    async with anyio.create_task_group() as tg:
        tg.start_soon(reaper.run)
        reaper.discard(empty)
        reaper.discard(full)
        reaper.close()
    assert _entries(tmp_path) == []


@pytest.mark.anyio
async def test_reaper_finishes_its_queue_when_cancelled(tmp_path: Path) -> None:
    """Cancelling the reaper's scope still removes every workspace handed over before close."""
    paths = [tmp_path / f"w-{i}" for i in range(20)]
    reaper = Reaper()
    with anyio.CancelScope() as scope:
        async with anyio.create_task_group() as tg:
            tg.start_soon(reaper.run)
            for path in paths:
                path.mkdir()
                reaper.discard(path)
            scope.cancel()
            reaper.close()
    assert not any(p.exists() for p in paths)


@pytest.mark.anyio
async def test_workspaces_with_agent_files_are_removed_by_the_time_run_suite_returns(
    kit: Any,
) -> None:
    """Workspaces holding written artifacts are gone when run_suite returns."""
    reply = Reply(artifacts=(FileArtifact(path="out/x.txt", content="hi"),))
    await kit.run(kit.suite(kit.case(runs=3)), reply, kit.options(parallel=2))
    assert list((kit.tmp_path / "ws").iterdir()) == []


@pytest.mark.anyio
async def test_published_and_final_test_results_are_the_same(kit: Any) -> None:
    """The TestFinished aggregate and the final result's aggregate of a test are equal."""
    result, _, sink = await kit.run(kit.suite(kit.case(runs=3)), Reply(), kit.options())
    published = [e.result for e in sink.events if isinstance(e, TestFinished)]
    assert published == list(result.tests)


@pytest.mark.anyio
async def test_each_assertion_evaluator_is_built_once_per_suite_run(kit: Any) -> None:
    """Ten runs of two tests build one evaluator per assertion, not one per run."""
    from tests.core.runner.conftest import check, evaluators

    built: list[str] = []

    def counting(spec: Any) -> Any:
        built.append(spec.type)
        return evaluators(spec)

    suite = kit.suite(
        kit.case("a", runs=5, assertions=[check()]), kit.case("b", runs=5, assertions=[check()])
    )
    result, _, _ = await kit.run(suite, Reply(), kit.options(evaluator_factory=counting))
    assert all(t.verdict == "passed" for t in result.tests)
    assert built == ["outcome", "outcome"]


@pytest.mark.anyio
async def test_a_failed_evaluator_build_is_an_error_in_every_run(kit: Any) -> None:
    """A build that raises is not cached as a success: each run records the error."""
    calls: list[int] = []

    def broken(spec: Any) -> Any:
        calls.append(1)
        raise RuntimeError("no such evaluator")

    test = kit.case(runs=3)
    result, _, _ = await kit.run(kit.suite(test), Reply(), kit.options(evaluator_factory=broken))
    assert [r.verdict for r in result.tests[0].runs] == ["error"] * 3
    assert len(calls) == 3


@pytest.mark.anyio
async def test_sinks_get_events_while_runs_that_never_wait_are_still_going(kit: Any) -> None:
    """An in-process agent never yields, yet sinks see most runs before the suite ends."""
    from atp_core.protocol import RunFinished, SuiteFinished

    seen: list[str] = []

    class Order:
        async def handle(self, event: Any) -> None:
            if isinstance(event, RunFinished):
                seen.append("run")
            elif isinstance(event, SuiteFinished):
                seen.append("end")

    class Spy:
        def __init__(self, spec: Any) -> None:
            pass

        async def evaluate(self, ctx: Any) -> Any:
            from atp_core.protocol import CheckResult

            seen.append("evaluated")
            return CheckResult(name="spy", status="passed")

    from atp_core.protocol import AssertionSpec

    test = kit.case(runs=200, assertions=[AssertionSpec(type="spy")])
    options = kit.options(parallel=1, evaluator_factory=Spy)
    await kit.run(kit.suite(test), Reply(), options, sinks=[Order()])
    last_evaluation = max(i for i, s in enumerate(seen) if s == "evaluated")
    delivered_before = seen[:last_evaluation].count("run")
    assert delivered_before >= 150
    assert seen[-1] == "end"


@pytest.mark.anyio
async def test_an_adapter_whose_own_deadline_is_looser_still_gets_the_tests(kit: Any) -> None:
    """enforces_deadline only spares the runner's scope when the request's deadline is at
    least as tight as the test's: a hanging adapter is stopped at the test's timeout."""
    import attrs

    from atp_core.protocol import Adapter, Constraints

    class Hangs(Adapter):
        enforces_deadline = True

        async def execute(self, request: Any, sink: Any) -> Any:
            await anyio.sleep_forever()

    test = attrs.evolve(
        kit.case(), timeout_seconds=0.2, constraints=Constraints(timeout_seconds=30.0)
    )
    options = kit.options(adapter_factory=lambda _spec: Hangs())
    from tests.core.runner.conftest import AGENT

    from atp_core.runner import run_suite

    with anyio.fail_after(10):
        result = await run_suite(kit.suite(test), AGENT, options)
    (run,) = result.tests[0].runs
    assert run.status == "timeout"

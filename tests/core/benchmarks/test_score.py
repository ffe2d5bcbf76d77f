"""Benchmark scores from real runs of the reference agents, in process."""

from __future__ import annotations

import pytest

from atp_core.agents import builtin_spec
from atp_core.benchmarks import benchmark_score, select_benchmarks
from atp_core.runner import RunOptions, run_suite
from atp_core.suite import load_suite


@pytest.mark.anyio
@pytest.mark.parametrize(("agent", "expected"), [("ref-solver", 100.0), ("ref-cheater", 0.0)])
async def test_the_score_is_the_percentage_of_passed_runs(agent: str, expected: float) -> None:
    """The solver passes every mathematical run, the cheater none; the score says so."""
    (bench,) = select_benchmarks("mathematical")
    result = await run_suite(load_suite(bench.suite_path), builtin_spec(agent),
                             RunOptions(parallel=4))
    score = benchmark_score(result)
    assert (score.score, score.total_runs, score.version) == (expected, 15, "1.0")
    assert score.passed_runs == round(expected * 15 / 100)


@pytest.mark.anyio
async def test_a_partly_right_agent_scores_in_between() -> None:
    """The calculator agent solves only the arithmetic problems: a score strictly inside."""
    (bench,) = select_benchmarks("mathematical")
    result = await run_suite(load_suite(bench.suite_path), builtin_spec("calculator"),
                             RunOptions(parallel=4))
    score = benchmark_score(result)
    assert 0 < score.passed_runs < score.total_runs
    assert score.score == round(100 * score.passed_runs / score.total_runs, 2)

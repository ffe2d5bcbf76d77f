"""Builders of suite run results with chosen run scores and verdicts."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from atp_core.protocol import RunRecord, SuiteRunResult, TestResult, TestStats

Runs = dict[str, list[tuple[float, str]]]


def build_suite_result(suite_run_id: str, runs: Runs) -> SuiteRunResult:
    """A suite run whose tests have exactly the given (score, verdict) runs."""
    tests = []
    for test_id, pairs in runs.items():
        records = tuple(
            RunRecord(test_id=test_id, run_number=i + 1, agent="flaky", status="completed",
                      verdict=verdict, score=score,  # type: ignore[arg-type]
                      started_at="2024-05-01T10:00:00Z", duration_seconds=0.1)
            for i, (score, verdict) in enumerate(pairs)
        )
        passed = sum(v == "passed" for _, v in pairs)
        n = len(pairs)
        mean = sum(s for s, _ in pairs) / n if n else 0.0
        stats = TestStats(
            n=n, passed=passed, pass_rate=passed / n if n else 0.0, pass_rate_ci=(0.0, 1.0),
            k=n, pass_at_k=0.0, pass_hat_k=0.0, mean_score=mean, std_score=0.0,
            score_ci=(0.0, 1.0), min_score=0.0, max_score=1.0, mean_duration=0.1,
            mean_tokens=None, total_cost=None, flaky=0 < passed < n,
        )
        tests.append(TestResult(
            test_id=test_id, name=f"Test {test_id}",
            verdict="passed" if passed == n else "failed", reason="", stats=stats,
            runs=records,
        ))
    return SuiteRunResult(
        id=suite_run_id, suite="demo", agent="flaky", started_at="2024-05-01T10:00:00Z",
        finished_at="2024-05-01T10:01:00Z", status="completed", tests=tuple(tests),
    )


def flaky_runs(failure_rate: float, n: int, seed: int) -> list[tuple[float, str]]:
    """Runs of an agent that fails with ``failure_rate``: passing runs score near 1."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        if rng.random() < failure_rate:
            out.append((round(rng.uniform(0.0, 0.3), 3), "failed"))
        else:
            out.append((round(rng.uniform(0.8, 1.0), 3), "passed"))
    return out


@pytest.fixture
def suite_result() -> Callable[[str, Runs], SuiteRunResult]:
    """Build a suite run result from (score, verdict) runs per test."""
    return build_suite_result


@pytest.fixture
def flaky() -> Callable[[float, int, int], list[tuple[float, str]]]:
    """Runs of a flaky agent with a given failure rate."""
    return flaky_runs

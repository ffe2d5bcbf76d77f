"""The benchmark score: the percentage of runs that passed, 0 to 100."""

from __future__ import annotations

import attrs

from atp_core.protocol import SuiteRunResult


@attrs.frozen(kw_only=True)
class BenchmarkScore:
    """A benchmark run reduced to its score; ``errors`` counts runs with verdict ``error``."""

    score: float
    passed_runs: int
    total_runs: int
    errors: int
    version: str


def benchmark_score(result: SuiteRunResult) -> BenchmarkScore:
    """100 x passed runs / all runs of ``result`` (0 when nothing ran), rounded to 0.01.

    A run passes only when every check passes, so partial answers, skipped checks and
    agent errors all count against the score; the run's weighted score (which also rewards
    cheap and short runs) is deliberately not used.
    """
    runs = [run for test in result.tests for run in test.runs]
    passed = sum(run.verdict == "passed" for run in runs)
    errors = sum(run.verdict == "error" for run in runs)
    score = round(100.0 * passed / len(runs), 2) if runs else 0.0
    return BenchmarkScore(
        score=score,
        passed_runs=passed,
        total_runs=len(runs),
        errors=errors,
        version=result.suite_version,
    )

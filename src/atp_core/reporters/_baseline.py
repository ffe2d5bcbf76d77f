"""Comparison of a suite run with a baseline: per-test change of pass rate and mean score.

A baseline is a previous ``SuiteRunResult`` (for example read back from a JSON report
with ``load_json_report``) or a mapping from test id to that test's ``TestResult`` or
``TestStats`` (what a results store keeps). Deciding whether a change is a statistically
significant regression is the store's job; reports show the deltas.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from atp_core.protocol import SuiteRunResult, TestResult, TestStats

DeltaStatus = Literal["compared", "new"]


@attrs.frozen(kw_only=True)
class TestDelta:
    """How one test moved against the baseline; ``new`` when the baseline lacks it."""

    test_id: str
    status: DeltaStatus
    baseline_pass_rate: float | None = None
    pass_rate_delta: float | None = None
    baseline_mean_score: float | None = None
    mean_score_delta: float | None = None


@attrs.frozen(kw_only=True)
class BaselineComparison:
    """Every test of the run against the baseline, and baseline tests this run lacks."""

    baseline_id: str | None
    tests: tuple[TestDelta, ...]
    missing: tuple[str, ...] = ()

    def delta(self, test_id: str) -> TestDelta | None:
        """The delta of one test, if it is part of this comparison."""
        return next((d for d in self.tests if d.test_id == test_id), None)


def compare_baseline(result: SuiteRunResult, baseline: object) -> BaselineComparison:
    """Compare ``result`` with ``baseline``; ``TypeError`` if the baseline is not usable."""
    baseline_id, stats = _baseline_stats(baseline)
    deltas = []
    for test in result.tests:
        old = stats.get(test.test_id)
        if old is None:
            deltas.append(TestDelta(test_id=test.test_id, status="new"))
            continue
        deltas.append(TestDelta(
            test_id=test.test_id,
            status="compared",
            baseline_pass_rate=old.pass_rate,
            pass_rate_delta=test.stats.pass_rate - old.pass_rate,
            baseline_mean_score=old.mean_score,
            mean_score_delta=test.stats.mean_score - old.mean_score,
        ))
    current = {t.test_id for t in result.tests}
    missing = tuple(sorted(tid for tid in stats if tid not in current))
    return BaselineComparison(baseline_id=baseline_id, tests=tuple(deltas), missing=missing)


def _baseline_stats(baseline: object) -> tuple[str | None, dict[str, TestStats]]:
    if isinstance(baseline, SuiteRunResult):
        return baseline.id, {t.test_id: t.stats for t in baseline.tests}
    if isinstance(baseline, Mapping):
        stats: dict[str, TestStats] = {}
        for key, value in baseline.items():
            if isinstance(value, TestResult):
                value = value.stats
            if not (isinstance(key, str) and isinstance(value, TestStats)):
                raise TypeError(
                    "a baseline mapping must map test ids (str) to TestResult or TestStats, "
                    f"got {type(key).__name__} -> {type(value).__name__}"
                )
            stats[key] = value
        return None, stats
    raise TypeError(
        "baseline must be a SuiteRunResult or a mapping of test id to TestResult/TestStats, "
        f"got {type(baseline).__name__}"
    )

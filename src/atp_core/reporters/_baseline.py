"""Comparison of a suite run with a baseline: per-test change of pass rate and mean score.

A baseline is one of:

- a previous ``SuiteRunResult`` (read back from a JSON report with ``load_json_report``,
  or from the store with ``Store.load_suite_run_result``);
- a mapping from test id to that test's ``TestResult`` or ``TestStats``;
- a statistical comparison from ``atp_core.baseline.compare`` (recognised by its shape,
  because that package sits above the reporters): its per-test ``direction``
  (regression, improvement, ...) and ``reason`` are then shown as well.

Reports never decide significance themselves; they show deltas, and directions when given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from atp_core.protocol import SuiteRunResult, TestResult, TestStats

DeltaStatus = Literal["compared", "new"]


@attrs.frozen(kw_only=True)
class TestDelta:
    """How one test moved against the baseline; ``new`` when the baseline lacks it.

    ``direction`` and ``reason`` come from a statistical comparison, when one was given.
    """

    __test__ = False  # not a pytest test class, despite the name

    test_id: str
    status: DeltaStatus
    baseline_pass_rate: float | None = None
    pass_rate_delta: float | None = None
    baseline_mean_score: float | None = None
    mean_score_delta: float | None = None
    direction: str | None = None
    reason: str | None = None


@attrs.frozen(kw_only=True)
class BaselineComparison:
    """Every test of the run against the baseline, and baseline tests this run lacks."""

    baseline_id: str | None
    tests: tuple[TestDelta, ...]
    missing: tuple[str, ...] = ()

    def delta(self, test_id: str) -> TestDelta | None:
        """The delta of one test, if it is part of this comparison."""
        return next((d for d in self.tests if d.test_id == test_id), None)

    @property
    def has_directions(self) -> bool:
        """Whether a statistical comparison judged the tests (not just deltas)."""
        return any(d.direction is not None for d in self.tests)

    @property
    def regressions(self) -> tuple[TestDelta, ...]:
        """Tests a statistical comparison judged to have regressed."""
        return tuple(d for d in self.tests if d.direction == "regression")


@attrs.frozen(kw_only=True)
class _Before:
    """What the baseline says about one test."""

    pass_rate: float | None
    mean_score: float | None
    direction: str | None = None
    reason: str | None = None


def compare_baseline(result: SuiteRunResult, baseline: object) -> BaselineComparison:
    """Compare ``result`` with ``baseline``; ``TypeError`` if the baseline is not usable."""
    baseline_id, before = _baseline_view(baseline)
    deltas = []
    for test in result.tests:
        old = before.get(test.test_id)
        if old is None:
            deltas.append(TestDelta(test_id=test.test_id, status="new"))
            continue
        deltas.append(TestDelta(
            test_id=test.test_id,
            status="compared",
            baseline_pass_rate=old.pass_rate,
            pass_rate_delta=_minus(test.stats.pass_rate, old.pass_rate),
            baseline_mean_score=old.mean_score,
            mean_score_delta=_minus(test.stats.mean_score, old.mean_score),
            direction=old.direction,
            reason=old.reason,
        ))
    current = {t.test_id for t in result.tests}
    missing = tuple(sorted(tid for tid in before if tid not in current))
    return BaselineComparison(baseline_id=baseline_id, tests=tuple(deltas), missing=missing)


def _minus(now: float, before: float | None) -> float | None:
    return None if before is None else now - before


def _from_stats(stats: TestStats) -> _Before:
    return _Before(pass_rate=stats.pass_rate, mean_score=stats.mean_score)


def _baseline_view(baseline: object) -> tuple[str | None, dict[str, _Before]]:
    if isinstance(baseline, SuiteRunResult):
        return baseline.id, {t.test_id: _from_stats(t.stats) for t in baseline.tests}
    if isinstance(baseline, Mapping):
        return None, _from_mapping(baseline)
    if hasattr(baseline, "baseline_id") and hasattr(baseline, "tests"):
        return _from_statistical(baseline)
    raise TypeError(
        "baseline must be a SuiteRunResult, a mapping of test id to TestResult/TestStats, "
        f"or an atp_core.baseline comparison; got {type(baseline).__name__}"
    )


def _from_mapping(baseline: Mapping[object, object]) -> dict[str, _Before]:
    out: dict[str, _Before] = {}
    for key, value in baseline.items():
        stats = value.stats if isinstance(value, TestResult) else value
        if not (isinstance(key, str) and isinstance(stats, TestStats)):
            raise TypeError(
                "a baseline mapping must map test ids (str) to TestResult or TestStats, "
                f"got {type(key).__name__} -> {type(value).__name__}"
            )
        out[key] = _from_stats(stats)
    return out


def _from_statistical(comparison: Any) -> tuple[str | None, dict[str, _Before]]:
    """Read an ``atp_core.baseline.Comparison`` by its documented attributes."""
    try:
        out = {}
        for t in comparison.tests:
            n, passed = t.baseline_n, t.baseline_passed
            if not n:
                continue  # the baseline never ran this test: it is new here
            out[str(t.test_id)] = _Before(
                pass_rate=passed / n, mean_score=t.baseline_mean,
                direction=str(t.direction), reason=str(t.reason or "") or None,
            )
        return str(comparison.baseline_id), out
    except (AttributeError, TypeError) as exc:
        raise TypeError(f"baseline comparison {type(comparison).__name__} is not usable: "
                        f"{exc}") from exc

"""Comparing a run with a baseline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from atp_core.baseline import compare
from atp_core.protocol import RunRecord, SuiteRunResult
from atp_core.reporters import TestDelta, compare_baseline, load_json_report, render_report

if TYPE_CHECKING:
    from .conftest import Make


def test_deltas_are_current_minus_baseline(make: Make) -> None:
    """Pass rate and mean score deltas are measured from the baseline."""
    current = make.suite(make.test(stats=make.stats(pass_rate=0.5, mean_score=0.6)))
    base = make.suite(make.test(stats=make.stats(pass_rate=1.0, mean_score=0.9)), id="b")
    comparison = compare_baseline(current, base)
    delta = comparison.delta("t-001")
    assert comparison.baseline_id == "b"
    assert delta is not None
    assert delta.status == "compared"
    assert delta.pass_rate_delta == pytest.approx(-0.5)
    assert delta.mean_score_delta == pytest.approx(-0.3)
    assert delta.baseline_mean_score == 0.9


def test_new_and_missing_tests_are_reported(make: Make) -> None:
    """Tests only in the run are new; tests only in the baseline are missing."""
    current = make.suite(make.test(test_id="a"), make.test(test_id="b"))
    base = make.suite(make.test(test_id="b"), make.test(test_id="z"), make.test(test_id="c"))
    comparison = compare_baseline(current, base)
    assert [d.status for d in comparison.tests] == ["new", "compared"]
    assert comparison.missing == ("c", "z")


def test_mapping_of_results_or_stats_is_accepted(make: Make) -> None:
    """A store can pass test id → TestResult or TestStats."""
    current = make.suite(make.test(), make.test(test_id="t-2"))
    comparison = compare_baseline(current, {"t-001": make.test(), "t-2": make.stats()})
    assert comparison.baseline_id is None
    assert [d.status for d in comparison.tests] == ["compared", "compared"]


def test_mapping_with_wrong_values_is_refused(make: Make) -> None:
    """A mapping whose values are not results or stats is a TypeError naming the types."""
    with pytest.raises(TypeError, match="str -> float"):
        compare_baseline(make.suite(), {"t-001": 0.5})


def test_a_json_report_can_serve_as_baseline(make: Make) -> None:
    """A JSON report read back is a valid baseline for the next run's reports."""
    previous = load_json_report(render_report(make.suite(), "json"))
    text = render_report(make.suite(), "markdown", baseline=previous)
    assert "| +0.0 pp | +0.00 |" in text


def statistical_pair(make: Make) -> tuple[SuiteRunResult, SuiteRunResult]:
    """A baseline where t-001 scored 0.9 on every run, and a run where it scores 0.2."""
    def runs(score: float, verdict: str) -> tuple[RunRecord, ...]:
        return tuple(make.run(run_number=i, score=score + i / 1000, verdict=verdict)
                     for i in range(1, 7))

    before = make.suite(make.test(runs=runs(0.9, "passed"),
                                  stats=make.stats(n=6, passed=6, mean_score=0.9)),
                        make.test(test_id="t-old", runs=runs(0.5, "passed")), id="base")
    now = make.suite(make.test(verdict="failed", reason="6 of 6 runs failed",
                               runs=runs(0.2, "failed"),
                               stats=make.stats(n=6, passed=0, pass_rate=0.0, mean_score=0.2)),
                     make.test(test_id="t-new"), id="now")
    return now, before


def test_statistical_comparison_adds_directions_and_reasons(make: Make) -> None:
    """A comparison from atp_core.baseline brings each test's direction and reason."""
    now, before = statistical_pair(make)
    comparison = compare_baseline(now, compare(now, before))
    delta = comparison.delta("t-001")
    assert delta is not None
    assert delta.direction == "regression"
    assert delta.reason
    assert delta.baseline_pass_rate == 1.0
    assert delta.pass_rate_delta == pytest.approx(-1.0)
    assert comparison.delta("t-new") == TestDelta(test_id="t-new", status="new")
    assert comparison.missing == ("t-old",)
    assert comparison.baseline_id == "base"


def test_regressions_are_named_in_every_human_format(make: Make) -> None:
    """Console, Markdown and HTML show the direction column and the regression's reason."""
    now, before = statistical_pair(make)
    comparison = compare(now, before)
    reason = compare_baseline(now, comparison).regressions[0].reason or ""
    for fmt in ("console", "markdown", "html"):
        text = render_report(now, fmt, baseline=comparison)
        assert "Regression against the baseline: t" in text
        assert "regression" in text
    assert reason.split()[0] in render_report(now, "console", baseline=comparison)
    junit = render_report(now, "junit", baseline=comparison)
    assert 'name="baseline_direction" value="regression"' in junit


def test_unusable_comparison_object_is_a_type_error(make: Make) -> None:
    """An object that looks like a comparison but lacks its fields is refused clearly."""
    class Odd:
        baseline_id = "x"
        tests = (object(),)

    with pytest.raises(TypeError, match="Odd is not usable"):
        compare_baseline(make.suite(), Odd())

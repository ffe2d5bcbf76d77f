"""Comparing a run with a baseline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from atp_core.reporters import compare_baseline, load_json_report, render_report

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

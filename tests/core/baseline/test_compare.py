"""compare: exact scipy p-values, directions with reasons, zero variance, corrections."""

from __future__ import annotations

import json
import math
from collections.abc import Callable

import pytest
from scipy import stats

from atp_core.baseline import compare, render_comparison
from atp_core.protocol import SuiteRunResult

Build = Callable[[str, dict[str, list[tuple[float, str]]]], SuiteRunResult]
Flaky = Callable[[float, int, int], list[tuple[float, str]]]


def test_degraded_agent_is_a_regression_with_scipys_p_values(
    suite_result: Build, flaky: Flaky
) -> None:
    """A flaky agent failing more often than its baseline is flagged, with scipy's p-values."""
    healthy, degraded = flaky(0.1, 30, 1), flaky(0.6, 30, 2)
    base = suite_result("base", {"t1": healthy})
    cur = suite_result("cur", {"t1": degraded})
    result = compare(cur, base, correction="holm")
    (t,) = result.tests
    assert t.direction == "regression"
    assert result.has_regression
    welch = stats.ttest_ind([s for s, _ in degraded], [s for s, _ in healthy], equal_var=False)
    assert t.score_p == float(welch.pvalue)
    assert t.t_statistic == float(welch.statistic)
    passes = lambda runs: sum(v == "passed" for _, v in runs)  # noqa: E731
    table = [[passes(degraded), 30 - passes(degraded)], [passes(healthy), 30 - passes(healthy)]]
    assert t.pass_p == float(stats.fisher_exact(table).pvalue)
    low, high = sorted([t.score_p, t.pass_p])
    first = min(1.0, 2 * low)
    assert sorted([t.score_p_adjusted, t.pass_p_adjusted]) == [first, max(first, high)]
    assert "significantly worse" in t.reason


def test_same_agent_against_its_own_baseline_is_not_a_regression(
    suite_result: Build, flaky: Flaky
) -> None:
    """Two samples of the same healthy agent compare as no change."""
    base = suite_result("base", {"t1": flaky(0.1, 30, 3), "t2": flaky(0.1, 30, 4)})
    cur = suite_result("cur", {"t1": flaky(0.1, 30, 5), "t2": flaky(0.1, 30, 6)})
    result = compare(cur, base)
    assert [t.direction for t in result.tests] == ["no_change", "no_change"]
    assert not result.has_regression
    assert all("no significant difference" in t.reason for t in result.tests)


def test_improvement_is_reported_as_such(suite_result: Build, flaky: Flaky) -> None:
    """A better agent than the baseline is an improvement, never a regression."""
    result = compare(suite_result("c", {"t1": flaky(0.05, 30, 7)}),
                     suite_result("b", {"t1": flaky(0.7, 30, 8)}))
    assert result.tests[0].direction == "improvement"


def test_equal_constant_scores_are_no_change_with_p_one(suite_result: Build) -> None:
    """Zero variance on both sides with equal means is no change, p = 1, no t statistic."""
    runs = [(1.0, "passed")] * 5
    (t,) = compare(suite_result("c", {"t1": runs}), suite_result("b", {"t1": runs})).tests
    assert t.direction == "no_change"
    assert t.score_p == 1.0
    assert t.t_statistic is None
    assert t.pass_p == 1.0


def test_different_constant_scores_are_a_deterministic_difference(suite_result: Build) -> None:
    """Zero variance with different means is a deterministic regression, never an infinite t."""
    cur = suite_result("c", {"t1": [(0.5, "passed")] * 5})
    base = suite_result("b", {"t1": [(0.9, "passed")] * 5})
    (t,) = compare(cur, base).tests
    assert t.direction == "regression"
    assert t.deterministic
    assert t.t_statistic is None
    assert t.score_p is None
    assert t.effect_size is None
    assert "deterministic difference" in t.reason
    assert t.pass_p == 1.0


def test_too_few_runs_or_missing_tests_are_insufficient_data(suite_result: Build) -> None:
    """A test with one run, or absent on one side, is insufficient data with the reason."""
    cur = suite_result("c", {"one": [(1.0, "passed")], "new": [(1.0, "passed")] * 3})
    base = suite_result("b", {"one": [(0.0, "failed")] * 3, "gone": [(1.0, "passed")] * 3})
    by_id = {t.test_id: t for t in compare(cur, base).tests}
    assert {t.direction for t in by_id.values()} == {"insufficient_data"}
    assert "at least 2 runs on each side (has 1 now, 3 before)" in by_id["one"].reason
    assert by_id["new"].reason == "the test is not in the baseline"
    assert by_id["gone"].reason == "the test has no runs in the current suite run"


def test_effect_size_is_hedges_g(suite_result: Build) -> None:
    """The effect size is Cohen's d on the pooled deviation times Hedges' correction."""
    a, b = [0.9, 0.8, 0.7, 0.95], [0.5, 0.6, 0.4, 0.55, 0.45]
    cur = suite_result("c", {"t": [(s, "passed") for s in a]})
    base = suite_result("b", {"t": [(s, "passed") for s in b]})
    (t,) = compare(cur, base).tests
    va, vb = stats.tvar(a), stats.tvar(b)
    pooled = math.sqrt(((len(a) - 1) * va + (len(b) - 1) * vb) / (len(a) + len(b) - 2))
    d = (sum(a) / len(a) - sum(b) / len(b)) / pooled
    assert t.effect_size == pytest.approx(d * (1 - 3 / (4 * (len(a) + len(b)) - 9)))


def test_correction_method_is_stated_and_applied(suite_result: Build, flaky: Flaky) -> None:
    """Holm and BH adjust the same raw p-values differently and the result names the method."""
    cur = suite_result("c", {f"t{i}": flaky(0.3, 12, i) for i in range(4)})
    base = suite_result("b", {f"t{i}": flaky(0.3, 12, 10 + i) for i in range(4)})
    holm, bh = compare(cur, base, correction="holm"), compare(cur, base, correction="bh")
    assert "Holm" in holm.method
    assert "Benjamini-Hochberg" in bh.method
    raw = [p for t in holm.tests for p in (t.score_p, t.pass_p)]
    expected = stats.false_discovery_control(raw, method="bh")
    got = [p for t in bh.tests for p in (t.score_p_adjusted, t.pass_p_adjusted)]
    assert got == pytest.approx(list(expected))


def test_alpha_outside_zero_one_is_refused(suite_result: Build) -> None:
    """alpha must be a probability strictly between 0 and 1."""
    r = suite_result("c", {"t": [(1.0, "passed")] * 2})
    with pytest.raises(ValueError, match="alpha must be between 0 and 1"):
        compare(r, r, alpha=1.5)


def test_renderings_carry_the_verdicts_and_the_method(suite_result: Build, flaky: Flaky) -> None:
    """Console, JSON and Markdown all show the direction, p-values and the correction."""
    cmp = compare(suite_result("c", {"t1": flaky(0.6, 30, 2)}),
                  suite_result("b", {"t1": flaky(0.1, 30, 1)}))
    console = render_comparison(cmp, "console")
    assert "REGRESSION" in console
    assert "Holm" in console
    data = json.loads(render_comparison(cmp, "json"))
    assert data["has_regression"] is True
    assert data["tests"][0]["direction"] == "regression"
    assert data["correction"] == "holm"
    markdown = render_comparison(cmp, "markdown")
    assert "| t1 | REGRESSION |" in markdown
    assert "1 regression(s)" in markdown
    with pytest.raises(ValueError, match="unknown comparison format 'xml'"):
        render_comparison(cmp, "xml")

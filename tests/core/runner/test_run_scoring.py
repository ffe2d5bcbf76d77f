"""Score components, unmeasured weight spreading and run verdicts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atp_core.protocol import CheckResult, Constraints, ScoreComponents, Scoring
from atp_core.runner._scoring import (
    components,
    run_verdict,
    threshold_check,
    usage_score,
    weighted_score,
)


def chk(status: str, kind: str = "assertion", **fields: object) -> CheckResult:
    """A check of the given status and kind."""
    return CheckResult(
        name=f"{kind}-{status}",
        status=status,  # type: ignore[arg-type]
        details={"kind": kind},
        **fields,
    )  # type: ignore[arg-type]


def test_quality_is_the_weighted_mean_and_skips_skipped() -> None:
    """Quality weighs scores by assertion weight, counts error as 0 and leaves out skipped."""
    checks = [
        chk("passed", score=1.0, weight=3.0),
        chk("failed", score=0.2, weight=1.0),
        chk("error", score=0.9, weight=1.0),
        chk("skipped", weight=5.0),
    ]
    parts = components(checks, Constraints(), (None, None, None))
    assert parts.quality == pytest.approx((3.0 + 0.2 + 0.0) / 5.0)


def test_completeness_counts_assertions_and_expected_artifacts_together() -> None:
    """Completeness is the share of assertion and artifact checks that passed; skipped is not."""
    checks = [
        chk("passed"),
        chk("skipped"),
        chk("passed", "artifact"),
        chk("failed", "artifact"),
        chk("failed", "constraint"),
        chk("passed", "agent"),
    ]
    assert components(checks, Constraints(), (None, None, None)).completeness == 0.5


def test_efficiency_and_cost_follow_the_documented_curve() -> None:
    """No usage scores 1, the whole allowance 0.5, twice the allowance or more 0."""
    assert usage_score(0, 10) == 1.0
    assert usage_score(10, 10) == 0.5
    assert usage_score(5, 10) == 0.75
    assert usage_score(40, 10) == 0.0
    assert usage_score(None, 10) is None
    assert usage_score(3, None) is None
    assert usage_score(0, 0) == 1.0
    assert usage_score(1, 0) == 0.0


def test_cost_prefers_budget_and_falls_back_to_tokens() -> None:
    """Cost uses cost_usd against budget_usd, else tokens against max_tokens."""
    both = Constraints(budget_usd=1.0, max_tokens=100)
    assert components([], both, (None, 100, 0.5)).cost == 0.75
    assert components([], both, (None, 100, None)).cost == 0.5
    assert components([], Constraints(budget_usd=1.0), (None, 100, None)).cost is None


def test_unmeasured_components_spread_their_weight_proportionally() -> None:
    """With efficiency and cost unmeasured, quality and completeness share all the weight."""
    parts = ScoreComponents(quality=0.5, completeness=1.0)
    expected = (0.4 * 0.5 + 0.3 * 1.0) / 0.7
    assert weighted_score(parts, Scoring()) == pytest.approx(expected)


def test_nothing_measured_scores_zero_not_one() -> None:
    """A run with no measurable component scores 0."""
    assert weighted_score(ScoreComponents(), Scoring()) == 0.0
    only_zero_weight = Scoring(
        quality_weight=0.0, completeness_weight=1.0, efficiency_weight=0.0, cost_weight=0.0
    )
    assert weighted_score(ScoreComponents(quality=1.0), only_zero_weight) == 0.0


unit = st.floats(0, 1, allow_nan=False)


@given(
    st.tuples(unit | st.none(), unit | st.none(), unit | st.none(), unit | st.none()),
    st.lists(st.floats(0.01, 1), min_size=4, max_size=4),
)
def test_weighted_score_stays_between_measured_extremes(
    values: tuple[float | None, ...], weights: list[float]
) -> None:
    """The score lies between the smallest and largest measured component."""
    total = sum(weights)
    w = [x / total for x in weights]
    scoring = Scoring(
        quality_weight=w[0], completeness_weight=w[1], efficiency_weight=w[2], cost_weight=w[3]
    )
    parts = ScoreComponents(
        quality=values[0], completeness=values[1], efficiency=values[2], cost=values[3]
    )
    measured = [v for v in values if v is not None]
    score = weighted_score(parts, scoring)
    if measured:
        assert min(measured) - 1e-9 <= score <= max(measured) + 1e-9
    else:
        assert score == 0.0


def test_any_error_check_makes_the_verdict_error() -> None:
    """An evaluator crash beats every other outcome."""
    assert run_verdict([chk("passed"), chk("error"), chk("failed")], None) == "error"


def test_a_skipped_check_never_lets_a_run_pass() -> None:
    """Skipped checks block a pass, with or without a threshold."""
    assert run_verdict([chk("passed"), chk("skipped")], None) == "failed"
    assert run_verdict([chk("passed"), chk("skipped", "constraint")], 0.1) == "failed"


def test_without_threshold_every_check_must_pass() -> None:
    """Without pass_threshold one failed assertion fails the run."""
    assert run_verdict([chk("passed"), chk("failed")], None) == "failed"
    assert run_verdict([chk("passed"), chk("passed", "constraint")], None) == "passed"


def test_with_threshold_only_critical_assertions_and_strict_checks_block() -> None:
    """With pass_threshold a non-critical failure only costs score; critical ones fail outright."""
    ok_threshold = threshold_check(0.8, 0.7)
    assert run_verdict([chk("failed"), ok_threshold], 0.7) == "passed"
    assert run_verdict([chk("failed", critical=True), ok_threshold], 0.7) == "failed"
    assert run_verdict([chk("failed", "constraint"), ok_threshold], 0.7) == "failed"
    assert run_verdict([chk("failed", "agent"), ok_threshold], 0.7) == "failed"
    assert run_verdict([chk("passed"), threshold_check(0.6, 0.7)], 0.7) == "failed"


def test_threshold_check_reports_score_and_threshold() -> None:
    """The threshold check says the score and the minimum."""
    result = threshold_check(0.625, 0.7)
    assert result.status == "failed"
    assert result.message == "score 0.625 is under the pass threshold 0.7"

"""The benchmarks' interval for a ratio of medians, and the verdict drawn from it."""

from __future__ import annotations

import random
import statistics

import _spread as spread  # on the path by conftest.py
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

times = st.floats(min_value=0.1, max_value=10.0, allow_nan=False)


@st.composite
def rounds(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    n = draw(st.integers(min_value=spread.MIN_ROUNDS, max_value=30))
    return draw(st.lists(times, min_size=n, max_size=n)), draw(
        st.lists(times, min_size=n, max_size=n)
    )


@settings(max_examples=50, deadline=None)
@given(rounds())
def test_interval_lies_within_what_any_resample_could_give(pair: tuple[list[float], list[float]]):
    num, den = pair
    interval = spread.ratio_interval(num, den)
    assert interval is not None
    low, high = interval
    assert min(num) / max(den) <= low <= high <= max(num) / min(den)


@settings(max_examples=50, deadline=None)
@given(rounds(), st.floats(min_value=0.5, max_value=4.0))
def test_interval_scales_with_the_numerator(pair: tuple[list[float], list[float]], c: float):
    num, den = pair
    low, high = spread.ratio_interval(num, den)  # type: ignore[misc]
    scaled_low, scaled_high = spread.ratio_interval([x * c for x in num], den)  # type: ignore[misc]
    assert scaled_low == pytest.approx(low * c)
    assert scaled_high == pytest.approx(high * c)


def test_quiet_samples_give_the_exact_ratio() -> None:
    assert spread.ratio_interval([1.1] * 8, [1.0] * 8) == pytest.approx((1.1, 1.1))
    assert spread.spread([2.0] * 8) == 0.0


def test_matches_scipys_percentile_bootstrap() -> None:
    rng = random.Random(7)
    den = [rng.gauss(300, 30) for _ in range(20)]
    num = [d * 1.08 + rng.gauss(0, 15) for d in den]
    ours = spread.ratio_interval(num, den)
    assert ours is not None

    def statistic(a: list[float], b: list[float], axis: int = -1) -> float:
        return statistics.median(a) / statistics.median(b)

    theirs = stats.bootstrap(
        (num, den),
        statistic,
        paired=True,
        vectorized=False,
        method="percentile",
        n_resamples=4000,
        random_state=1,
    ).confidence_interval
    # Different random resamples: the bounds agree to Monte Carlo error.
    assert ours[0] == pytest.approx(theirs.low, rel=0.015)
    assert ours[1] == pytest.approx(theirs.high, rel=0.015)
    assert spread.ratio_of_medians(num, den) == pytest.approx(
        statistics.median(num) / statistics.median(den)
    )


def test_verdict_claims_only_what_the_interval_shows() -> None:
    assert spread.judge((1.02, 1.08), 1.10) == "meets"
    assert spread.judge((1.10, 1.20), 1.10) == "MISSES"
    assert spread.judge((1.05, 1.12), 1.10) == "undecided"
    assert spread.judge(None, 1.10).startswith("undecided")
    assert spread.ratio_interval([1.0] * 4, [1.0] * 4) is None
    with pytest.raises(ValueError, match="per round"):
        spread.ratio_interval([1.0] * 6, [1.0] * 5)

"""What a comparison with a baseline says, per test and overall."""

from __future__ import annotations

from typing import Literal

import attrs

Direction = Literal["regression", "improvement", "no_change", "insufficient_data"]


@attrs.frozen(kw_only=True)
class TestComparison:
    """One test, current runs against baseline runs.

    ``score_p`` is Welch's t-test on run scores, ``pass_p`` Fisher's exact test on pass
    counts (both two-sided, exact from scipy); ``*_adjusted`` are after the correction for
    multiple tests. ``deterministic`` marks constant but different scores on both sides.
    """

    __test__ = False

    test_id: str
    name: str
    direction: Direction
    reason: str
    current_n: int
    baseline_n: int
    current_passed: int
    baseline_passed: int
    current_mean: float | None = None
    baseline_mean: float | None = None
    current_std: float | None = None
    baseline_std: float | None = None
    t_statistic: float | None = None
    score_p: float | None = None
    score_p_adjusted: float | None = None
    pass_p: float | None = None
    pass_p_adjusted: float | None = None
    effect_size: float | None = None
    deterministic: bool = False


@attrs.frozen(kw_only=True)
class Comparison:
    """A suite run compared with a baseline suite run, test by test."""

    suite: str
    current_id: str
    baseline_id: str
    alpha: float
    correction: str
    method: str
    tests: tuple[TestComparison, ...]

    def by_direction(self, direction: Direction) -> tuple[TestComparison, ...]:
        """The tests whose direction is ``direction``."""
        return tuple(t for t in self.tests if t.direction == direction)

    @property
    def has_regression(self) -> bool:
        """Whether any test regressed (what ``--fail-on-regression`` checks)."""
        return any(t.direction == "regression" for t in self.tests)

"""The per-test statistics of a comparison: Welch's t-test, Fisher's exact test, Hedges' g."""

from __future__ import annotations

import math

import attrs

# Means closer than this are equal: scores are sums of float weights, not exact decimals.
EQUAL_MEANS = 1e-9


@attrs.frozen(kw_only=True)
class Sample:
    """One side of a comparison: the run scores and pass count of one test."""

    scores: tuple[float, ...]
    passed: int

    @property
    def n(self) -> int:
        """Number of runs."""
        return len(self.scores)

    @property
    def mean(self) -> float:
        """Mean run score."""
        return math.fsum(self.scores) / self.n

    @property
    def std(self) -> float:
        """Sample standard deviation of the run scores (0 for one run)."""
        if self.n < 2:
            return 0.0
        mean = self.mean
        return math.sqrt(math.fsum((s - mean) ** 2 for s in self.scores) / (self.n - 1))


@attrs.frozen(kw_only=True)
class ScoreTest:
    """Welch's t-test on run scores; ``t`` is None when both sides have no variance."""

    t: float | None
    p: float | None
    deterministic: bool


def welch(current: Sample, baseline: Sample) -> ScoreTest:
    """Welch's unequal-variance t-test, with zero variance on both sides handled apart.

    Equal constant scores: no difference, p = 1. Different constant scores: a deterministic
    difference with no p-value (the t statistic would be infinite).
    """
    if current.std == 0.0 and baseline.std == 0.0:
        if abs(current.mean - baseline.mean) <= EQUAL_MEANS:
            return ScoreTest(t=None, p=1.0, deterministic=False)
        return ScoreTest(t=None, p=None, deterministic=True)
    from scipy.stats import ttest_ind

    res = ttest_ind(current.scores, baseline.scores, equal_var=False)
    return ScoreTest(t=float(res.statistic), p=float(res.pvalue), deterministic=False)


def fisher(current: Sample, baseline: Sample) -> float:
    """Two-sided p-value of Fisher's exact test on the pass/fail counts."""
    from scipy.stats import fisher_exact

    table = [
        [current.passed, current.n - current.passed],
        [baseline.passed, baseline.n - baseline.passed],
    ]
    return float(fisher_exact(table, alternative="two-sided").pvalue)


def hedges_g(current: Sample, baseline: Sample) -> float | None:
    """Hedges' g of current minus baseline scores; None when the pooled spread is zero."""
    dof = current.n + baseline.n - 2
    if dof <= 0:
        return None
    pooled = math.sqrt(
        ((current.n - 1) * current.std**2 + (baseline.n - 1) * baseline.std**2) / dof
    )
    if pooled == 0.0:
        return None
    correction = 1 - 3 / (4 * (current.n + baseline.n) - 9)
    return (current.mean - baseline.mean) / pooled * correction

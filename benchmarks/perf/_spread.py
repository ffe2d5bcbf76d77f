"""How sure a benchmark's ratio is, on a machine whose speed wanders.

A benchmark that times modes A and B in rounds (each round one sample of each, in a
shuffled order) estimates B/A as the ratio of the medians. ``ratio_interval`` gives a
percentile bootstrap interval for it, resampling whole rounds, so samples taken close
together in time stay together. ``judge`` turns an interval into a verdict that never
claims more than the samples show: ``meets`` only when the whole interval is under the
target, ``MISSES`` only when it is all at or over it, ``undecided`` otherwise.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence

from _common import verdict

MIN_ROUNDS = 5  # fewer rounds give no interval worth the name
RESAMPLES = 2000


def ratio_of_medians(numerator: Sequence[float], denominator: Sequence[float]) -> float:
    """``median(numerator) / median(denominator)``."""
    return statistics.median(numerator) / statistics.median(denominator)


def ratio_interval(
    numerator: Sequence[float],
    denominator: Sequence[float],
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float] | None:
    """Percentile bootstrap interval of ``ratio_of_medians`` over paired rounds.

    ``numerator[i]`` and ``denominator[i]`` are round ``i``'s samples. ``None`` with fewer
    than ``MIN_ROUNDS`` rounds.
    """
    if len(numerator) != len(denominator):
        raise ValueError("one sample of each mode per round")
    n = len(numerator)
    if n < MIN_ROUNDS:
        return None
    pick = random.Random(seed).choices
    rounds = range(n)
    ratios = []
    for _ in range(RESAMPLES):
        chosen = pick(rounds, k=n)
        ratios.append(
            ratio_of_medians([numerator[i] for i in chosen], [denominator[i] for i in chosen])
        )
    ratios.sort()
    tail = (1 - confidence) / 2
    low = ratios[int(tail * (RESAMPLES - 1))]
    high = ratios[int((1 - tail) * (RESAMPLES - 1) + 0.5)]
    return low, high


def judge(interval: tuple[float, float] | None, target: float) -> str:
    """``meets`` (all under ``target``), ``MISSES`` (all at or over) or ``undecided``."""
    if interval is None:
        return f"undecided (under {MIN_ROUNDS} rounds)"
    low, high = interval
    if high < target or low >= target:
        return verdict(high < target)
    return "undecided"


def spread(samples: Sequence[float]) -> float:
    """Interquartile range over median: how much one sample wanders (0 on a quiet machine)."""
    if len(samples) < 2:
        return 0.0
    q1, _, q3 = statistics.quantiles(samples, n=4, method="inclusive")
    return (q3 - q1) / statistics.median(samples)

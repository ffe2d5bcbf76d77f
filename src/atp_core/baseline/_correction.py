"""Multiple-testing corrections: Holm (family-wise error) and Benjamini-Hochberg (FDR)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

Correction = Literal["holm", "bh"]

METHOD_NAMES: dict[str, str] = {
    "holm": "Holm step-down (controls the family-wise error rate)",
    "bh": "Benjamini-Hochberg step-up (controls the false discovery rate)",
}


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm-adjusted p-values, in the input order.

    The i-th smallest p-value is multiplied by ``m - i + 1`` (i from 1), made
    non-decreasing in rank order, and capped at 1.
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (scipy's ``false_discovery_control``)."""
    if not p_values:
        return []
    from scipy.stats import false_discovery_control

    return [float(p) for p in false_discovery_control(list(p_values), method="bh")]


def adjust(p_values: Sequence[float], method: Correction) -> list[float]:
    """Adjust ``p_values`` with ``method`` (``holm`` or ``bh``)."""
    if method == "holm":
        return holm(p_values)
    if method == "bh":
        return benjamini_hochberg(p_values)
    raise ValueError(f"unknown correction {method!r}; use 'holm' or 'bh'")

"""Holm and Benjamini-Hochberg adjusted p-values agree with the procedures' definitions."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from atp_core.baseline import benjamini_hochberg, holm
from atp_core.baseline._correction import adjust

p_lists = st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=12)
alphas = st.sampled_from([0.01, 0.05, 0.1, 0.2])


def holm_rejects(ps: list[float], alpha: float) -> set[int]:
    """Holm by definition: reject in rank order while p(j) * (m - j + 1) <= alpha."""
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    rejected: set[int] = set()
    for rank, i in enumerate(order):
        if ps[i] * (m - rank) > alpha:
            break
        rejected.add(i)
    return rejected


def bh_rejects(ps: list[float], alpha: float) -> set[int]:
    """BH by definition: reject the k smallest, k the largest rank with p(k) * m / k <= alpha."""
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    k = max((r + 1 for r, i in enumerate(order) if ps[i] * (m / (r + 1)) <= alpha), default=0)
    return set(order[:k])


def near_boundary(values: list[float], alpha: float) -> bool:
    """Whether a scaled p-value sits within rounding of alpha (either answer is right)."""
    return any(abs(v - alpha) < 1e-9 for v in values)


@settings(deadline=None)
@given(p_lists, alphas)
def test_holm_rejects_exactly_what_the_step_down_procedure_rejects(
    ps: list[float], alpha: float
) -> None:
    """Adjusted Holm p-values <= alpha mark exactly the hypotheses Holm rejects."""
    m = len(ps)
    assume(not near_boundary([p * k for p in ps for k in range(1, m + 1)], alpha))
    adjusted = holm(ps)
    assert {i for i, a in enumerate(adjusted) if a <= alpha} == holm_rejects(ps, alpha)
    assert all(p <= a <= 1.0 for p, a in zip(ps, adjusted, strict=True))


@settings(deadline=None)
@given(p_lists, alphas)
def test_bh_rejects_exactly_what_the_step_up_procedure_rejects(
    ps: list[float], alpha: float
) -> None:
    """Adjusted BH p-values <= alpha mark exactly the hypotheses BH rejects."""
    m = len(ps)
    assume(not near_boundary([p * (m / k) for p in ps for k in range(1, m + 1)], alpha))
    adjusted = benjamini_hochberg(ps)
    assert {i for i, a in enumerate(adjusted) if a <= alpha} == bh_rejects(ps, alpha)
    assert all(p <= a + 1e-15 for p, a in zip(ps, adjusted, strict=True))


def test_holm_of_a_known_example() -> None:
    """Holm multiplies by m, m-1, ... in rank order and keeps the result monotone."""
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_empty_families_and_unknown_methods() -> None:
    """No p-values adjust to none; an unknown method is refused by name."""
    assert holm([]) == []
    assert benjamini_hochberg([]) == []
    with pytest.raises(ValueError, match="unknown correction 'bonf'"):
        adjust([0.1], "bonf")  # type: ignore[arg-type]

"""Three-valued logic checked against its truth table: decided only when every completion agrees."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from hypothesis import given
from hypothesis import strategies as st

from atp_core.evaluators._kleene import (
    COMPARATORS,
    Truth,
    k_and,
    k_not,
    k_or,
    k_score_threshold,
    k_threshold,
)

truths = st.sampled_from([True, False, None])
comparators = st.sampled_from(sorted(COMPARATORS))


def oracle(values: Sequence[Truth], decide: Callable[[list[bool]], bool]) -> Truth:
    """The value every way of settling the unknowns agrees on, else unknown."""
    unknown = [i for i, v in enumerate(values) if v is None]
    outcomes = set()
    for fill in itertools.product([True, False], repeat=len(unknown)):
        settled = [bool(v) for v in values]
        for i, f in zip(unknown, fill, strict=True):
            settled[i] = f
        outcomes.add(decide(settled))
    return outcomes.pop() if len(outcomes) == 1 else None


@given(st.lists(truths, min_size=1, max_size=7))
def test_and_matches_the_truth_table(values: list[Truth]) -> None:
    """k_and is false on any false, unknown on any unknown, else true."""
    assert k_and(values) == oracle(values, all)


@given(st.lists(truths, min_size=1, max_size=7))
def test_or_matches_the_truth_table(values: list[Truth]) -> None:
    """k_or is true on any true, unknown on any unknown, else false."""
    assert k_or(values) == oracle(values, any)


@given(truths)
def test_not_flips_known_values_and_keeps_unknown(value: Truth) -> None:
    """k_not negates true and false and leaves unknown alone."""
    assert k_not(value) == oracle([value], lambda v: not v[0])


@given(
    st.lists(truths, min_size=1, max_size=7),
    st.sampled_from([0.0, 0.25, 0.5, 0.6, 2 / 3, 0.75, 1.0]),
    comparators,
)
def test_threshold_is_decided_only_when_unknowns_cannot_change_it(
    values: list[Truth], value: float, name: str
) -> None:
    """k_threshold agrees with comparing the share passed over every completion."""
    compare, _ = COMPARATORS[name]

    def decide(settled: list[bool]) -> bool:
        return compare(sum(settled) / len(settled), value)

    assert k_threshold(values, value, name) == oracle(values, decide)


def test_threshold_tolerates_rounded_shares() -> None:
    """Two of three passing meets a written 0.6666666667 and equals 2/3."""
    assert k_threshold([True, True, False], 0.6666666667, "gte") is True
    assert k_threshold([True, True, False], 2 / 3, ">=") is True
    assert k_threshold([True, True, False], 2 / 3, "eq") is True


@given(st.floats(min_value=0, max_value=1), st.floats(min_value=0, max_value=1), comparators)
def test_score_threshold_of_a_known_score_is_the_comparison(
    score: float, value: float, name: str
) -> None:
    """A known score is simply compared."""
    compare, _ = COMPARATORS[name]
    assert k_score_threshold(score, value, name) == compare(score, value)


def test_score_threshold_of_an_unknown_score_is_unknown_unless_trivial() -> None:
    """An unknown score decides only comparisons that hold for every score in 0..1."""
    assert k_score_threshold(None, 0.5, "gte") is None
    assert k_score_threshold(None, 0.0, "gte") is True
    assert k_score_threshold(None, 0.0, "lt") is False
    assert k_score_threshold(None, 0.5, "eq") is None

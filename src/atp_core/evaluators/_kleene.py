"""Three-valued (Kleene) logic for composite assertions.

``True`` is passed, ``False`` failed and ``None`` unknown (skipped or error). An operator
is decided only when no way of settling the unknowns could change its value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Truth = bool | None

# Shares like 2/3 never equal a written 0.6667 exactly; compare with a small tolerance.
EPSILON = 1e-9
COMPARATORS: dict[str, tuple[Callable[[float, float], bool], str]] = {
    "gte": (lambda a, b: a >= b - EPSILON, ">="),
    "gt": (lambda a, b: a > b + EPSILON, ">"),
    "lte": (lambda a, b: a <= b + EPSILON, "<="),
    "lt": (lambda a, b: a < b - EPSILON, "<"),
    "eq": (lambda a, b: abs(a - b) <= EPSILON, "=="),
}
ALIASES = {">=": "gte", ">": "gt", "<=": "lte", "<": "lt", "==": "eq"}


def comparator(name: str) -> tuple[Callable[[float, float], bool], str]:
    """The comparison named ``name`` (``gte`` or ``>=`` alike) and its symbol."""
    return COMPARATORS[ALIASES.get(name, name)]


def k_and(values: Sequence[Truth]) -> Truth:
    """False if any is false, else unknown if any is unknown, else true."""
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def k_or(values: Sequence[Truth]) -> Truth:
    """True if any is true, else unknown if any is unknown, else false."""
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def k_not(value: Truth) -> Truth:
    """Flips true and false; unknown stays unknown."""
    return None if value is None else not value


def k_threshold(values: Sequence[Truth], value: float, name: str) -> Truth:
    """Whether the share of true values compares to ``value``, for every settling of unknowns."""
    compare, _ = comparator(name)
    total = len(values)
    yes = sum(v is True for v in values)
    unknown = sum(v is None for v in values)
    outcomes = {compare((yes + k) / total, value) for k in range(unknown + 1)}
    return outcomes.pop() if len(outcomes) == 1 else None


def k_score_threshold(score: float | None, value: float, name: str) -> Truth:
    """Whether ``score`` compares to ``value``; an unknown score ranges over 0..1."""
    compare, _ = comparator(name)
    if score is not None:
        return compare(score, value)
    low, high = compare(0.0, value), compare(1.0, value)
    if ALIASES.get(name, name) == "eq":
        return False if not 0.0 <= value <= 1.0 else None
    return low if low == high else None

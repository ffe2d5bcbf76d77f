"""``expected_tool_calls`` under each ``tool_call_order``.

- ``any`` / ``superset``: every expected entry is matched by a different actual call, in
  any order; other calls are allowed.
- ``expected``: the expected entries are matched, in their listed order, by a
  subsequence of the actual calls; other calls may come between them.
- ``strict``: the actual calls are exactly the expected entries, one for one, in order.
- ``subset``: every actual call matches some expected entry; an entry may go unused.
"""

from __future__ import annotations

from atp_core.evaluators._behavior_config import ExpectedToolCall, ToolCallOrder
from atp_core.evaluators._outcome import Outcome, failed, names, passed
from atp_core.evaluators._tool_calls import ToolCall, call_mismatch, closest_miss


def _entry(index: int, expected: ExpectedToolCall) -> str:
    return f"expected call #{index + 1} ({expected.tool})"


def assign(expected: list[ExpectedToolCall], calls: list[ToolCall]) -> dict[int, int]:
    """A largest one-to-one matching of expected entries to calls (augmenting paths)."""
    fits = [[call_mismatch(e, c) is None for c in calls] for e in expected]
    owner: dict[int, int] = {}

    def augment(entry: int, seen: set[int]) -> bool:
        for call, fit in enumerate(fits[entry]):
            if fit and call not in seen:
                seen.add(call)
                if call not in owner or augment(owner[call], seen):
                    owner[call] = entry
                    return True
        return False

    for entry in range(len(expected)):
        augment(entry, set())
    return {entry: call for call, entry in owner.items()}


def _unordered(expected: list[ExpectedToolCall], calls: list[ToolCall]) -> Outcome:
    matched = assign(expected, calls)
    missing = [i for i in range(len(expected)) if i not in matched]
    score = len(matched) / len(expected)
    if not missing:
        return passed(f"all {len(expected)} expected tool calls matched", score=score)
    first = missing[0]
    return failed(
        f"{len(missing)} of {len(expected)} expected tool calls not matched; "
        f"{_entry(first, expected[first])}: {closest_miss(expected[first], calls)}",
        score=score,
        missing=[expected[i].tool for i in missing],
    )


def _in_order(expected: list[ExpectedToolCall], calls: list[ToolCall]) -> Outcome:
    start = 0
    for index, entry in enumerate(expected):
        hit = next(
            (j for j in range(start, len(calls)) if call_mismatch(entry, calls[j]) is None), None
        )
        if hit is None:
            after = f" after {calls[start - 1].label}" if start else ""
            return failed(
                f"{_entry(index, entry)} not found in order{after}: "
                f"{closest_miss(entry, calls[start:])}",
                score=index / len(expected),
            )
        start = hit + 1
    return passed(f"all {len(expected)} expected tool calls matched in order")


def _strict(expected: list[ExpectedToolCall], calls: list[ToolCall]) -> Outcome:
    pairs = list(zip(expected, calls, strict=False))
    good = sum(call_mismatch(e, c) is None for e, c in pairs)
    score = good / max(len(expected), len(calls)) if expected or calls else 1.0
    for index, (entry, call) in enumerate(pairs):
        reason = call_mismatch(entry, call)
        if reason:
            return failed(f"{_entry(index, entry)} does not match: {reason}", score=score)
    if len(calls) > len(expected):
        extra = [c.label for c in calls[len(expected) :]]
        return failed(
            f"expected exactly {len(expected)} tool calls, got {len(calls)} "
            f"(extra: {names(extra)})",
            score=score,
        )
    if len(calls) < len(expected):
        return failed(
            f"expected exactly {len(expected)} tool calls, got {len(calls)}; "
            f"{_entry(len(calls), expected[len(calls)])} never came",
            score=score,
        )
    return passed(f"the {len(calls)} tool calls match the expected sequence exactly")


def _subset(expected: list[ExpectedToolCall], calls: list[ToolCall]) -> Outcome:
    stray = [c for c in calls if all(call_mismatch(e, c) is not None for e in expected)]
    score = 1 - len(stray) / len(calls) if calls else 1.0
    if not stray:
        return passed(f"all {len(calls)} tool calls match an expected entry", score=score)
    return failed(
        f"{len(stray)} tool calls match no expected entry: {names([c.label for c in stray])}",
        score=score,
        unexpected=[c.label for c in stray],
    )


def expected_calls_outcome(
    expected: list[ExpectedToolCall], calls: list[ToolCall], order: ToolCallOrder
) -> Outcome:
    """Judge ``calls`` against ``expected`` under ``order``."""
    if order == "expected":
        return _in_order(expected, calls)
    if order == "strict":
        return _strict(expected, calls)
    if order == "subset":
        return _subset(expected, calls)
    return _unordered(expected, calls)

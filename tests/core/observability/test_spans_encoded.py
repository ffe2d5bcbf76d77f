"""Spans planned with their attributes encoded at once equal those planned, then encoded."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from atp_core.observability._otlp import SpanEncoder
from atp_core.observability._redact import Redactor
from atp_core.observability._spans import Planner

TRACE = 0x0AF7651916CD43DD8448EB211C80319C
SECRET = "sk-planted-0123456789abcdef"

# Texts that repeat (so caches hit), secrets, long messages and odd characters.
texts = st.one_of(
    st.sampled_from(["passed", "echo", "python", f"key {SECRET}", "Bearer abc.def", "x" * 1500]),
    st.text(max_size=12),
)
# Whatever an agent or evaluator may put where a row holds Any: numbers of every kind
# (True, 1 and 1.0 are equal in Python but encode differently), None, other objects.
anything = st.one_of(
    st.none(),
    texts,
    st.booleans(),
    st.integers(min_value=-(1 << 70), max_value=1 << 70),
    st.floats(),
    st.sampled_from([1, 1.0, True, 0, 0.0, False]),
    st.builds(list),
)
maybe_text = st.none() | texts
maybe_count = st.none() | st.integers(min_value=0, max_value=10**6)
timestamps = st.sampled_from(["2026-12-05T18:38:59.488151+00:00", "2026-12-05T18:39:00", "bad"])


@st.composite
def check_rows(draw: Any) -> tuple[Any, ...]:
    return (
        draw(texts),
        draw(st.sampled_from(["passed", "failed", "error", "skipped"])),
        draw(st.none() | st.floats(0, 1) | st.sampled_from([0, 1, True])),
        draw(st.booleans()),
        draw(texts),
        draw(anything),
        draw(anything),
    )


@st.composite
def llm_rows(draw: Any) -> tuple[Any, ...]:
    return (
        draw(timestamps),
        draw(st.integers(0, 50)),
        draw(anything),
        draw(anything),
        draw(anything),
        draw(anything),
        draw(anything),
    )


@st.composite
def run_rows(draw: Any, test_id: str) -> tuple[Any, ...]:
    return (
        test_id,
        draw(st.integers(1, 5)),
        draw(texts),
        draw(st.sampled_from(["completed", "failed", "timeout"])),
        draw(st.sampled_from(["passed", "failed", "error"])),
        draw(st.floats(0, 1)),
        draw(timestamps),
        draw(st.floats(0, 100)),
        draw(maybe_text),
        draw(maybe_text),
        draw(st.none() | st.just("0af7651916cd43dd8448eb211c80319c")),
        draw(maybe_text),
        draw(texts),
        draw(maybe_count),
        draw(maybe_count),
        draw(maybe_count),
        draw(st.none() | st.floats(0, 10)),
        tuple(draw(st.lists(check_rows(), max_size=3))),
        tuple(draw(st.lists(llm_rows(), max_size=2))),
    )


@st.composite
def finished_tests(draw: Any) -> tuple[Any, ...]:
    test_id = draw(st.sampled_from(["t1", "t2", f"t-{SECRET}"]))
    runs = tuple(draw(st.lists(run_rows(test_id), max_size=3)))
    return (
        test_id,
        draw(texts),
        draw(st.sampled_from(["passed", "failed", "error"])),
        draw(texts),
        len(runs),
        draw(st.integers(0, 3)),
        draw(st.floats(0, 1)),
        runs,
    )


def _encoded(planner: Planner, encoder: SpanEncoder, rows: list[Any]) -> list[bytes]:
    ids = itertools.count(1)
    out: list[bytes] = []
    suite = {"atp.suite_run.id": "run-1", "atp.suite.name": f"s {SECRET}", "atp.runs.total": 3}
    for row in rows:
        out += encoder.spans(planner.test("run-1", row, 10**18), TRACE, 7, ids)
    out += encoder.spans(planner.suite("run-1", suite, 1, 2), TRACE, None, ids)
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(finished_tests(), min_size=1, max_size=4))
def test_attributes_encoded_while_planning_give_the_same_bytes(rows: list[Any]) -> None:
    """Same spans, byte for byte, for any rows: redaction, left-out values, number types."""
    redactor = Redactor([SECRET])
    expected = _encoded(Planner(redactor), SpanEncoder(), rows * 2)
    encoder = SpanEncoder()
    assert _encoded(Planner(redactor, encoder), encoder, rows * 2) == expected
    assert not any(SECRET.encode() in span for span in expected)


def test_odd_numbers_from_agents_plan_and_encode() -> None:
    """Infinite durations and times before 1970 or past 2554 neither raise nor wrap."""
    llm = ("1900-01-01T00:00:00", 1, "m", "p", 1, 2, float("inf"))
    check = ("c", "passed", 1.0, False, "ok", "assertion", 1e300)
    run: Any = ("t1", 1, "a", "completed", "passed", 1.0, "9999-12-31T23:59:59", 1e12)
    run += (None, None, None, None, "a", None, None, None, None, (check,), (llm,))
    encoder = SpanEncoder()
    plan = Planner(Redactor(), encoder).test("r", ("t1", "T", "passed", "ok", 1, 1, 1.0, (run,)), 0)
    spans = encoder.spans(plan, TRACE, 7, iter(range(1, 9)))
    assert len(spans) == 5

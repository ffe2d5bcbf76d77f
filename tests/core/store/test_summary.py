"""Store.load_suite_run_summary: verdicts and scores without checks, events or artifacts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import attrs
import pytest

from atp_core.baseline import compare
from atp_core.protocol import RunRecord, SuiteFinished, SuiteRunResult
from atp_core.store import Store, StoreSink, open_store

pytestmark = pytest.mark.anyio

Builder = Callable[..., RunRecord]
ResultBuilder = Callable[..., SuiteRunResult]

_LEFT_OUT = (
    "components",
    "checks",
    "metrics",
    "events",
    "artifacts",
    "protocol_warnings",
    "adapter",
)


async def save(store: Store, result: SuiteRunResult) -> None:
    """Store a finished suite run."""
    async with StoreSink(store) as sink:
        await sink.handle(SuiteFinished(suite_run_id=result.id, result=result))


def summarised(record: RunRecord) -> RunRecord:
    """What the summary gives back for ``record``: its nested parts at their defaults."""
    defaults = RunRecord(
        test_id="x",
        run_number=1,
        agent="a",
        status="completed",
        verdict="passed",
        score=0.0,
        started_at="",
        duration_seconds=0.0,
    )
    return attrs.evolve(record, **{name: getattr(defaults, name) for name in _LEFT_OUT})


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    """An open store on an empty database."""
    async with open_store(db_url, inline_limit=100) as opened:
        yield opened


async def test_summary_keeps_tests_and_run_scalars_and_drops_nested_parts(
    store: Store, make_record: Builder, make_result: ResultBuilder
) -> None:
    """Every test and run comes back in order with its verdict and score, minus nested data."""
    result = make_result(
        "sr-sum",
        {
            "t2": [
                make_record("t2", 1, score=0.2, verdict="failed"),
                make_record("t2", 2, score=0.9),
            ],
            "t1": [make_record("t1", 1, verdict="error", score=0.0)],
        },
    )
    await save(store, result)
    summary = await store.load_suite_run_summary("sr-sum")
    expected = attrs.evolve(
        result,
        tests=tuple(
            attrs.evolve(t, runs=tuple(summarised(r) for r in t.runs)) for t in result.tests
        ),
    )
    assert summary == expected
    assert summary is not None
    runs = [r for t in summary.tests for r in t.runs]
    assert all(r.events == () for r in runs)
    assert all(r.checks == () for r in runs)
    assert all(r.artifacts == () for r in runs)


async def test_summary_of_an_unknown_or_foreign_suite_run_is_none(
    db_url: str, store: Store, make_record: Builder, make_result: ResultBuilder
) -> None:
    """A missing id, or another tenant's suite run, gives None."""
    await save(store, make_result("sr-own", {"t1": [make_record("t1", 1)]}))
    assert await store.load_suite_run_summary("missing") is None
    async with open_store(db_url, tenant="acme") as other:
        assert await other.load_suite_run_summary("sr-own") is None


async def test_comparison_of_summaries_equals_comparison_of_full_results(
    store: Store, make_record: Builder, make_result: ResultBuilder
) -> None:
    """compare() gives the same answer on summaries as on fully rebuilt suite runs."""
    before = make_result(
        "sr-a",
        {
            "t1": [make_record("t1", i, score=0.9 + i / 100) for i in range(1, 6)],
            "t2": [make_record("t2", i, score=0.5) for i in range(1, 4)],
        },
    )
    after = make_result(
        "sr-b",
        {
            "t1": [
                make_record("t1", i, score=0.2 + i / 100, verdict="failed") for i in range(1, 6)
            ],
            "t2": [make_record("t2", i, score=0.5) for i in range(1, 4)],
        },
    )
    await save(store, before)
    await save(store, after)
    full = [await store.load_suite_run_result(s) for s in ("sr-a", "sr-b")]
    light = [await store.load_suite_run_summary(s) for s in ("sr-a", "sr-b")]
    assert full[0] is not None
    assert full[1] is not None
    assert light[0] is not None
    assert light[1] is not None
    expected = compare(full[1], full[0])
    assert compare(light[1], light[0]) == expected
    assert [t.direction for t in expected.tests] == ["regression", "no_change"]

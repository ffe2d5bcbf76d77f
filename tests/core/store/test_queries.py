"""The query API: paged suite runs, one suite run, one test, one run, events, artifacts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import attrs
import pytest

from atp_core.protocol import FileArtifact, RunRecord, StructuredArtifact, SuiteRunResult
from atp_core.store import BaselineRecord, Store, StoreSink, open_store

pytestmark = pytest.mark.anyio

Builder = Callable[..., RunRecord]
ResultBuilder = Callable[..., SuiteRunResult]


async def save(store: Store, result: SuiteRunResult) -> None:
    """Store a finished suite run."""
    from atp_core.protocol import SuiteFinished

    async with StoreSink(store) as sink:
        await sink.handle(SuiteFinished(suite_run_id=result.id, result=result))


def at(result: SuiteRunResult, minute: int, **changes: object) -> SuiteRunResult:
    """``result`` started at a given minute, with other fields changed."""
    stamp = f"2024-05-01T10:{minute:02d}:00+00:00"
    return attrs.evolve(result, started_at=stamp, **changes)  # type: ignore[arg-type]


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    """An open store on an empty database."""
    async with open_store(db_url, inline_limit=100) as opened:
        yield opened


async def test_suite_runs_are_listed_newest_first_filtered_and_paged(
    store: Store, make_record: Builder, make_result: ResultBuilder
) -> None:
    """Filters narrow the list, pages split it, and total counts every match."""
    base = make_result("x", {"t1": [make_record("t1", 1)]})
    for i in range(5):
        agent = "echo" if i % 2 == 0 else "calc"
        await save(store, at(base, i, id=f"sr-{i}", agent=agent))
    await save(store, at(base, 9, id="sr-int", suite="other", status="interrupted"))
    page = await store.list_suite_runs(limit=2)
    assert [h.id for h in page.items] == ["sr-int", "sr-4"]
    assert page.total == 6
    second = await store.list_suite_runs(limit=2, offset=2)
    assert [h.id for h in second.items] == ["sr-3", "sr-2"]
    echo = await store.list_suite_runs(suite="demo", agent="echo")
    assert [h.id for h in echo.items] == ["sr-4", "sr-2", "sr-0"]
    assert echo.total == 3
    since = await store.list_suite_runs(since="2024-05-01T10:03:00+00:00")
    assert [h.id for h in since.items] == ["sr-int", "sr-4", "sr-3"]
    interrupted = await store.list_suite_runs(status="interrupted")
    assert [h.id for h in interrupted.items] == ["sr-int"]


async def test_one_suite_run_has_its_tests_in_suite_order(
    store: Store, make_record: Builder, make_result: ResultBuilder
) -> None:
    """The detail of a suite run lists each test with verdict and statistics."""
    result = make_result("sr-d", {
        "b": [make_record("b", 1), make_record("b", 2, verdict="failed", score=0.1)],
        "a": [make_record("a", 1)],
    })
    await save(store, result)
    detail = await store.get_suite_run("sr-d")
    assert detail is not None
    assert [t.test_id for t in detail.tests] == ["b", "a"]
    assert detail.tests[0].stats == result.tests[0].stats
    assert detail.tests[0].verdict == "failed"
    assert detail.tests[0].tags == ("smoke",)
    assert await store.get_suite_run("missing") is None


async def test_one_test_has_every_run_with_checks(
    store: Store, make_record: Builder, make_result: ResultBuilder
) -> None:
    """A test's detail carries all its runs in order, each with its checks."""
    await save(store, make_result("sr-t", {"t1": [make_record("t1", n) for n in (2, 1, 3)]}))
    detail = await store.get_test("sr-t", "t1")
    assert detail is not None
    assert [r.record.run_number for r in detail.runs] == [1, 2, 3]
    assert detail.runs[0].checks[0].details == {"matches": [1, 2]}
    assert detail.runs[0].checks[1].status == "skipped"
    assert detail.test is not None
    assert detail.test.reason == "3/3 runs passed"
    assert await store.get_test("sr-t", "nope") is None


async def test_one_run_has_artifact_metadata_and_paged_events(
    store: Store, make_record: Builder, make_result: ResultBuilder
) -> None:
    """A run shows artifact metadata; its events come back a page at a time, in order."""
    record = make_record("t1", 1, events=25, content="y" * 500)
    await save(store, make_result("sr-r", {"t1": [record]}))
    detail = await store.get_test("sr-r", "t1")
    assert detail is not None
    run = await store.get_run(detail.runs[0].id)
    assert run is not None
    assert [(a.kind, a.path, a.stored) for a in run.artifacts] == [
        ("file", "out.txt", "blob"), ("structured", "summary", "inline"),
        ("reference", "https://example.org/x", "none")]
    assert run.event_count == 25
    assert run.record.events == ()
    page = await store.list_events(run.id, offset=20, limit=10)
    assert page.total == 25
    assert [e.sequence for e in page.items] == [20, 21, 22, 23, 24]
    assert await store.get_run("nope") is None


async def test_artifacts_come_back_with_content_from_inline_or_blob(
    store: Store, make_record: Builder, make_result: ResultBuilder
) -> None:
    """Large content kept apart and small content kept inline both come back whole."""
    record = make_record("t1", 1, content="z" * 500)
    await save(store, make_result("sr-a", {"t1": [record]}))
    detail = await store.get_test("sr-a", "t1")
    assert detail is not None
    run_id = detail.runs[0].id
    big = await store.get_artifact(run_id, "out.txt")
    assert isinstance(big, FileArtifact)
    assert big.content == "z" * 500
    small = await store.get_artifact(run_id, "summary")
    assert small == StructuredArtifact(name="summary", data={"ok": True, "n": 3})
    assert await store.get_artifact(run_id, "absent.txt") is None


async def test_trend_lists_a_pairs_latest_runs_oldest_first(
    store: Store, make_record: Builder, make_result: ResultBuilder
) -> None:
    """A trend keeps the latest suite runs of one suite/agent pair with their averages."""
    for i, score in enumerate([0.2, 0.4, 0.6]):
        result = make_result(f"sr-{i}", {"t1": [make_record("t1", 1, score=score)],
                                         "t2": [make_record("t2", 1, score=1.0)]})
        await save(store, at(result, i))
    await save(store, at(make_result("other", {"t1": [make_record("t1", 1)]}), 5, agent="x"))
    points = await store.trend("demo", "echo", limit=2)
    assert [p.suite_run_id for p in points] == ["sr-1", "sr-2"]
    assert points[1].mean_score == pytest.approx(0.8)
    assert points[1].pass_rate == 1.0


async def test_whole_result_round_trips_through_the_store(
    store: Store,
    make_record: Builder,
    make_result: ResultBuilder,
    as_stored: Callable[[RunRecord], RunRecord],
) -> None:
    """load_suite_run_result rebuilds the runner's result (secrets masked)."""
    result = make_result("sr-full", {"t1": [make_record("t1", 1), make_record("t1", 2)],
                                     "t2": [make_record("t2", 1, verdict="error")]})
    await save(store, result)
    expected = attrs.evolve(result, tests=tuple(
        attrs.evolve(t, runs=tuple(as_stored(r) for r in t.runs)) for t in result.tests))
    assert await store.load_suite_run_result("sr-full") == expected
    assert await store.load_suite_run_result("missing") is None


async def test_other_tenants_see_nothing(
    db_url: str, store: Store, make_record: Builder, make_result: ResultBuilder
) -> None:
    """Rows belong to the tenant that wrote them."""
    await save(store, make_result("sr-own", {"t1": [make_record("t1", 1)]}))
    async with open_store(db_url, tenant="acme") as other:
        assert (await other.list_suite_runs()).total == 0
        assert await other.get_suite_run("sr-own") is None
        assert await other.completed_runs("sr-own") == ()
    assert (await store.list_suite_runs()).total == 1


async def test_baselines_are_saved_replaced_and_listed(
    store: Store, make_record: Builder, make_result: ResultBuilder
) -> None:
    """A baseline name points at one suite run; saving it again replaces it."""
    await save(store, make_result("sr-1", {"t1": [make_record("t1", 1)]}))
    await save(store, make_result("sr-2", {"t1": [make_record("t1", 1)]}))
    first = BaselineRecord(name="main", suite="demo", agent="echo", created_at="t0",
                           suite_run_id="sr-1", snapshot={"tests": {"t1": [1.0]}})
    await store.put_baseline(first)
    await store.put_baseline(attrs.evolve(first, suite_run_id="sr-2"))
    await store.put_baseline(attrs.evolve(first, name="alt", suite="other"))
    got = await store.get_baseline("main")
    assert got is not None
    assert got.suite_run_id == "sr-2"
    assert got.snapshot == {"tests": {"t1": [1.0]}}
    assert [b.name for b in await store.list_baselines()] == ["alt", "main"]
    assert [b.name for b in await store.list_baselines(suite="demo")] == ["main"]
    assert await store.get_baseline("none") is None

"""Recent suite/agent pairs and several pairs' trends read at once, on both engines."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import attrs
import pytest

from atp_core.protocol import RunRecord, SuiteFinished, SuiteRunResult
from atp_core.store import Store, StoreSink, open_store

pytestmark = pytest.mark.anyio

Builder = Callable[..., RunRecord]
ResultBuilder = Callable[..., SuiteRunResult]


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    """An open store on an empty database."""
    async with open_store(db_url) as opened:
        yield opened


async def save(
    store: Store, result: SuiteRunResult, minute: int, *, suite: str, agent: str
) -> None:
    """Store ``result`` as a finished suite run of suite/agent started at ``minute``."""
    stamped = attrs.evolve(
        result, suite=suite, agent=agent, started_at=f"2024-05-01T10:{minute:02d}:00+00:00"
    )
    async with StoreSink(store) as sink:
        await sink.handle(SuiteFinished(suite_run_id=stamped.id, result=stamped))


@pytest.fixture
async def filled(store: Store, make_record: Builder, make_result: ResultBuilder) -> Store:
    """Suite runs of three pairs: (a, x) at 0-3, (b, x) at 4, (a, y) at 5."""
    for minute in range(4):
        scores = {
            "t1": [make_record("t1", 1, score=0.1 * minute)],
            "t2": [make_record("t2", 1, score=1.0, verdict="failed" if minute else "passed")],
        }
        await save(store, make_result(f"ax-{minute}", scores), minute, suite="a", agent="x")
    await save(store, make_result("bx", {"t1": [make_record("t1", 1)]}), 4, suite="b", agent="x")
    await save(store, make_result("ay", {"t1": [make_record("t1", 1)]}), 5, suite="a", agent="y")
    return store


async def test_recent_pairs_are_ordered_by_their_latest_suite_run(filled: Store) -> None:
    """Each pair appears once, the pair run most recently first, cut at the limit."""
    assert await filled.recent_pairs() == (("a", "y"), ("b", "x"), ("a", "x"))
    assert await filled.recent_pairs(limit=2) == (("a", "y"), ("b", "x"))
    assert await filled.recent_pairs(limit=0) == ()


async def test_recent_pairs_of_one_agent_leave_out_the_others(filled: Store) -> None:
    """With an agent, only that agent's pairs are listed; an unknown agent has none."""
    assert await filled.recent_pairs(agent="x") == (("b", "x"), ("a", "x"))
    assert await filled.recent_pairs(agent="nobody") == ()


async def test_trends_of_several_pairs_equal_each_pairs_trend(filled: Store) -> None:
    """One trends() call gives, per pair, exactly what trend() gives for that pair."""
    pairs = [("a", "x"), ("b", "x"), ("a", "y"), ("missing", "x"), ("a", "x")]
    for limit in (1, 3, 50):
        found = await filled.trends(pairs, limit=limit)
        assert list(found) == [("a", "x"), ("b", "x"), ("a", "y"), ("missing", "x")]
        for (suite, agent), points in found.items():
            assert points == await filled.trend(suite, agent, limit=limit)
    assert await filled.trends([], limit=5) == {}
    assert await filled.trends([("a", "x")], limit=0) == {("a", "x"): ()}


async def test_trend_points_carry_pass_rates_and_mean_scores_oldest_first(
    filled: Store,
) -> None:
    """A pair's points run oldest to newest with its tests' pass rate and mean score."""
    points = (await filled.trends([("a", "x")], limit=3))["a", "x"]
    assert [p.suite_run_id for p in points] == ["ax-1", "ax-2", "ax-3"]
    assert [p.mean_score for p in points] == pytest.approx([0.55, 0.6, 0.65])
    assert [p.pass_rate for p in points] == [0.5, 0.5, 0.5]


async def test_trends_of_more_pairs_than_one_query_holds_are_all_read(
    store: Store, make_record: Builder, make_result: ResultBuilder
) -> None:
    """Pairs beyond one query's share are read by the next query, none dropped."""
    from atp_core.store import _read_trends

    count = _read_trends.PAIRS_PER_QUERY + 2
    for i in range(count):
        result = make_result(f"sr-{i}", {"t1": [make_record("t1", 1)]})
        await save(store, result, i % 60, suite=f"s{i}", agent="x")
    pairs = await store.recent_pairs(limit=count + 5)
    assert len(pairs) == count
    found = await store.trends(pairs, limit=2)
    assert all(len(points) == 1 for points in found.values())
    assert {points[0].suite_run_id for points in found.values()} == {
        f"sr-{i}" for i in range(count)
    }


async def test_pairs_and_trends_belong_to_their_tenant(db_url: str, filled: Store) -> None:
    """Another tenant sees neither the pairs nor the trends of this one."""
    async with open_store(db_url, tenant="acme") as other:
        assert await other.recent_pairs() == ()
        assert await other.trends([("a", "x")]) == {("a", "x"): ()}

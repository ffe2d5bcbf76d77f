"""Queries the store has no single method for, built from its public query API."""

from __future__ import annotations

import attrs

from atp_core.store import Store, SuiteRunHeader, TrendPoint

MAX_PAIRS = 500
MAX_TRENDS = 8
TREND_POINTS = 30


@attrs.frozen(kw_only=True)
class Trend:
    """The recent history of one suite/agent pair."""

    suite: str
    agent: str
    points: tuple[TrendPoint, ...]


async def trends(store: Store, agent: str | None = None) -> list[Trend]:
    """Pass-rate and score trends of the most recently run suite/agent pairs.

    Two queries whatever the number of pairs: under a hundred concurrent clients the number
    of queries per page, not their size, set its latency (docs/dashboard.md, Performance).
    """
    pairs = await store.recent_pairs(limit=MAX_TRENDS, agent=agent)
    found = await store.trends(pairs, limit=TREND_POINTS)
    return [Trend(suite=suite, agent=name, points=found[suite, name]) for suite, name in pairs]


async def known_agents(store: Store) -> list[str]:
    """Agents of the most recently run suite/agent pairs, by name."""
    return sorted({agent for _, agent in await store.recent_pairs(limit=MAX_PAIRS)})


async def suite_runs_sorted(
    store: Store, *, order: str, limit: int, offset: int, **filters: str | None
) -> tuple[list[SuiteRunHeader], int]:
    """A page of suite runs, newest or oldest first, and the number that match.

    The store lists newest first; oldest first reads the mirrored page and reverses it.
    """
    if order == "newest":
        page = await store.list_suite_runs(limit=limit, offset=offset, **filters)
        return list(page.items), page.total
    total = (await store.list_suite_runs(limit=1, **filters)).total  # type: ignore[arg-type]
    start = max(total - offset - limit, 0)
    size = max(min(limit, total - offset), 0)
    if size == 0:
        return [], total
    page = await store.list_suite_runs(limit=size, offset=start, **filters)
    return list(reversed(page.items)), total

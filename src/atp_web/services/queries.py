"""Queries the store has no single method for, built from its public query API."""

from __future__ import annotations

import anyio
import attrs

from atp_core.store import Store, SuiteRunHeader, TrendPoint

SCAN = 500
MAX_TRENDS = 8
TREND_POINTS = 30


@attrs.frozen(kw_only=True)
class Trend:
    """The recent history of one suite/agent pair."""

    suite: str
    agent: str
    points: tuple[TrendPoint, ...]


async def recent_pairs(store: Store, agent: str | None = None) -> list[tuple[str, str]]:
    """Suite/agent pairs of the latest suite runs, most recent first, once each."""
    page = await store.list_suite_runs(agent=agent, limit=SCAN)
    seen: dict[tuple[str, str], None] = {}
    for header in page.items:
        seen.setdefault((header.suite, header.agent), None)
    return list(seen)


async def trends(store: Store, agent: str | None = None) -> list[Trend]:
    """Pass-rate and score trends of the most recently run suite/agent pairs.

    The pairs' trends are read at once: one after the other they were most of the home
    page's time (docs/dashboard.md, Performance).
    """
    pairs = (await recent_pairs(store, agent))[:MAX_TRENDS]
    found: dict[tuple[str, str], Trend] = {}

    async def read(suite: str, name: str) -> None:
        points = await store.trend(suite, name, limit=TREND_POINTS)
        found[suite, name] = Trend(suite=suite, agent=name, points=points)

    async with anyio.create_task_group() as group:
        for suite, name in pairs:
            group.start_soon(read, suite, name)
    return [found[pair] for pair in pairs]


async def known_agents(store: Store) -> list[str]:
    """Agents of the latest suite runs, by name."""
    return sorted({agent for _, agent in await recent_pairs(store)})


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

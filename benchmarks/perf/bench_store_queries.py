"""Query latency of the results store with 1,000,000 stored runs, on SQLite and PostgreSQL.

For each engine a fresh database is seeded with ``seed_store.seed`` (2,000 suite runs x 10
tests x 50 runs by default; ``--quick``: 100,000 runs), then each query of the API is
called ``--calls`` times on random suite runs and tests, through ``Store`` as the dashboard
and CLI call it: ``list_suite_runs`` (the newest page of 50, and filtered by suite and
agent), ``get_suite_run`` (header and its 10 tests), ``get_test`` (a test with its 50 runs
and their checks). Reported: p50 and p95 in ms. Target (issue 3): p95 ≤ 50 ms. PostgreSQL
is the server on 127.0.0.1:5432 (a scratch database, dropped afterwards); unreachable, its
rows say so. ``--db URL`` measures an already seeded store instead.

Usage: ``python benchmarks/perf/bench_store_queries.py [--runs N] [--quick] [--db URL]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import anyio
from _common import table, verdict
from seed_store import AGENTS, SUITES, seed

from atp_core.store import Store, open_store

TARGET_MS = 50.0
PG = "postgresql://postgres@127.0.0.1:5432/"


async def _pg_admin(sql: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect(host="127.0.0.1", user="postgres", database="postgres", timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _timed(calls: int, query: Callable[[], Awaitable[Any]]) -> tuple[float, float]:
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        found = await query()
        times.append((time.perf_counter() - start) * 1000)
        if found is None:
            raise SystemExit("bench_store_queries: a seeded item was not found")
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


async def measure(url: str, calls: int) -> list[tuple[str, float, float]]:
    """p50 and p95 (ms) of each query on the store at ``url``."""
    rng = random.Random(7)
    async with open_store(url) as store:
        ids = [h.id for h in (await store.list_suite_runs(limit=10_000)).items]
        tests = (await store.get_suite_run(ids[0])).tests  # type: ignore[union-attr]
        test_ids = [t.test_id for t in tests]
        queries: dict[str, Callable[[], Awaitable[Any]]] = {
            "list_suite_runs (newest 50)": lambda: store.list_suite_runs(),
            "list_suite_runs (suite+agent)": lambda: store.list_suite_runs(
                suite=f"suite-{rng.randrange(SUITES)}", agent=f"agent-{rng.randrange(AGENTS)}"
            ),
            "get_suite_run": lambda: store.get_suite_run(rng.choice(ids)),
            "get_test (50 runs)": lambda: store.get_test(rng.choice(ids), rng.choice(test_ids)),
        }
        await _warm(store, ids)
        return [(name, *await _timed(calls, q)) for name, q in queries.items()]


async def _warm(store: Store, ids: list[str]) -> None:
    for sid in ids[:5]:
        await store.get_suite_run(sid)


def _engine_rows(engine: str, runs: int, calls: int) -> list[tuple[str, str, str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        if engine == "sqlite":
            url, drop = f"sqlite:///{Path(tmp) / 'bench.db'}", None
        else:
            name = f"atp_bench_{uuid.uuid4().hex[:10]}"
            try:
                anyio.run(_pg_admin, f"CREATE DATABASE {name}")
            except (OSError, TimeoutError) as exc:
                why = f"skipped: PostgreSQL on 127.0.0.1:5432 unreachable ({exc})"
                return [(f"{engine}: all queries", why, f"<= {TARGET_MS:g} ms", "-")]
            url, drop = PG + name, f"DROP DATABASE {name} WITH (FORCE)"
        try:
            suite_runs, seconds = anyio.run(seed, url, runs)
            print(
                f"{engine}: seeded {runs:,} runs ({suite_runs:,} suite runs) in {seconds:.0f} s",
                file=sys.stderr,
            )
            results = anyio.run(measure, url, calls)
        finally:
            if drop is not None:
                anyio.run(_pg_admin, drop)
    return _rows(engine, results)


def _rows(engine: str, results: list[tuple[str, float, float]]) -> list[tuple[str, str, str, str]]:
    return [
        (
            f"{engine}: {name}",
            f"p95 {p95:.1f} ms (p50 {p50:.1f})",
            f"p95 <= {TARGET_MS:g} ms",
            verdict(p95 <= TARGET_MS),
        )
        for name, p50, p95 in results
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Seed, measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--quick", action="store_true", help="100,000 runs")
    parser.add_argument("--db", help="measure this already seeded store instead")
    args = parser.parse_args(argv)
    runs = 100_000 if args.quick else args.runs
    if args.db:
        rows = _rows(args.db.split(":", 1)[0], anyio.run(measure, args.db, args.calls))
        runs_text = "an existing store"
    else:
        rows = [r for e in args.engines.split(",") for r in _engine_rows(e, runs, args.calls)]
        runs_text = f"{runs:,} stored runs"
    print(table(f"store queries: {runs_text}, {args.calls} calls each", rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

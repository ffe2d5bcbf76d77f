"""Server time of every dashboard page and API route on a store with 1,000,000 runs.

For each engine (SQLite, and PostgreSQL on 127.0.0.1:5432 as a scratch database) a fresh
store is seeded with ``seed_store.seed`` (2,000 suite runs x 10 tests x 50 runs;
``--quick``: 100,000 runs). The real app (``atp_web.app.create_app``, its lifespan run as
uvicorn would) is called in-process through ``httpx.ASGITransport``, so the time measured
is the app's own: routing, store queries, rendering, with no socket in between. Each route
is requested ``--calls`` times with random real ids, after one warm-up call each.
Reported: p50 and p95 in ms per route. Target: p95 <= 100 ms. ``--db URL`` measures an
already seeded store instead (it gains one StoreSink-written suite run and a baseline).

Usage: ``python benchmarks/perf/bench_web_server.py [--quick] [--runs N] [--db URL]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import anyio
import httpx
from _common import verdict
from bench_web_support import Route, p50_p95, pick_ids, routes, seeded_store, suites_dir

from atp_web import WebSettings, create_app

TARGET_MS = 100.0


async def _time_routes(url: str, all_routes: list[Route], calls: int) -> list[
    tuple[str, float, float]
]:
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        settings = WebSettings(database_url=url, suites_dirs=(suites_dir(Path(tmp)),))
        app = create_app(settings)
        transport = httpx.ASGITransport(app=app)
        async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1"
        ) as client:
            out = []
            for name, make in all_routes:
                await _get(client, make(rng))
                times = []
                for _ in range(calls):
                    target = make(rng)
                    start = time.perf_counter()
                    await _get(client, target)
                    times.append((time.perf_counter() - start) * 1000)
                out.append((name, *p50_p95(times)))
            return out


async def _get(client: httpx.AsyncClient, target: str) -> None:
    response = await client.get(target)
    if response.status_code != 200:
        raise SystemExit(f"bench_web_server: GET {target} gave {response.status_code}: "
                         f"{response.text[:300]}")


def measure(url: str, calls: int) -> list[tuple[str, float, float]]:
    """p50 and p95 (ms) of every route on the store at ``url``."""
    ids = anyio.run(pick_ids, url)
    return anyio.run(_time_routes, url, routes(ids), calls)


def _rows(engine: str, results: list[tuple[str, float, float]]) -> list[tuple[str, ...]]:
    return [
        (f"{engine}: {name}", f"{p50:.1f} ms", f"{p95:.1f} ms", f"<= {TARGET_MS:g} ms",
         verdict(p95 <= TARGET_MS))
        for name, p50, p95 in results
    ]


def route_table(title: str, rows: Sequence[tuple[str, ...]]) -> str:
    """A plain-text table of (route, p50, p95, target, verdict) rows under a title."""
    header = ("route", "p50", "p95", "target", "verdict")
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    out = [title, line, "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    out.append(line)
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Seed, measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=60, help="requests per route")
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--quick", action="store_true", help="100,000 runs, 30 calls")
    parser.add_argument("--db", help="measure this already seeded store instead")
    args = parser.parse_args(argv)
    runs = 100_000 if args.quick else args.runs
    calls = 30 if args.quick else args.calls
    rows: list[tuple[str, ...]] = []
    if args.db:
        rows = _rows(args.db.split(":", 1)[0], measure(args.db, calls))
        what = "an existing store"
    else:
        for engine in args.engines.split(","):
            with seeded_store(engine, runs) as url:
                if url is None:
                    rows.append((f"{engine}: all routes", "-", "skipped: unreachable",
                                 f"<= {TARGET_MS:g} ms", "-"))
                    continue
                rows += _rows(engine, measure(url, calls))
        what = f"{runs:,} stored runs"
    print(route_table(f"dashboard server time: {what}, {calls} requests per route "
                      "(in-process ASGI)", rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

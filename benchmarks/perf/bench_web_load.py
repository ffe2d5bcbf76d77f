"""100 concurrent API clients against the dashboard on loopback, on a seeded store.

The store (SQLite by default; ``--engines sqlite,postgres``) is seeded with
``seed_store.seed`` (1,000,000 runs; ``--quick``: 100,000) and served by ``atp serve
--workers N`` (``--workers``, default 2: one uvicorn process per core here) on 127.0.0.1.
``--clients`` clients (100), each with its own keep-alive connection, request random JSON
API routes with real ids for ``--seconds`` (30; ``--quick``: 10). Each client paces itself
to one request every ``--pace`` seconds (1: 100 requests/s offered in all), like people
with dashboards open, and the whole run is bounded by
``--max-requests``. The comparison route is left out, as in the first measurements, so
figures stay comparable. Reported: p50/p95/p99 latency, requests served, errors (non-200
answers and failed connections). Targets: p95 <= 200 ms, 0 errors.
``--db URL`` measures an already seeded store instead.

Usage: ``python benchmarks/perf/bench_web_load.py [--quick] [--clients N] [--workers N]
[--db URL]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence

import anyio
import attrs
import httpx
from _common import table, verdict
from bench_web_support import Route, atp_serve, percentile, pick_ids, routes, seeded_store

TARGET_MS = 200.0


@attrs.frozen(kw_only=True)
class Load:
    """How hard to push."""

    clients: int
    seconds: float
    pace: float
    max_requests: int
    workers: int


@attrs.define
class Tally:
    """What the clients saw."""

    times: list[float] = attrs.Factory(list)
    errors: dict[str, int] = attrs.Factory(dict)
    sent: int = 0

    def error(self, kind: str) -> None:
        """Count one error of ``kind``."""
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def _client(base: str, api: list[Route], load: Load, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    deadline = time.monotonic() + load.seconds
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        await anyio.sleep(rng.random() * load.pace)  # spread the clients' first requests
        while time.monotonic() < deadline and tally.sent < load.max_requests:
            tally.sent += 1
            start = time.perf_counter()
            try:
                response = await client.get(rng.choice(api)[1](rng))
            except httpx.HTTPError as exc:
                tally.error(type(exc).__name__)
            else:
                tally.times.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    tally.error(f"HTTP {response.status_code}")
            await anyio.sleep(max(0.0, load.pace - (time.perf_counter() - start)))


async def _drive(base: str, api: list[Route], load: Load) -> tuple[Tally, float]:
    tally = Tally()
    start = time.perf_counter()
    async with anyio.create_task_group() as group:
        for i in range(load.clients):
            group.start_soon(_client, base, api, load, tally, i)
    return tally, time.perf_counter() - start


def measure(url: str, load: Load) -> tuple[Tally, float]:
    """Serve ``url`` and drive the clients against it; the tally and the wall time."""
    ids = anyio.run(pick_ids, url)
    api = [r for r in routes(ids) if r[0].startswith("/api/v1/") and "compare" not in r[0]]
    with atp_serve(url, load.workers) as base:
        return anyio.run(_drive, base, api, load)


def _rows(engine: str, tally: Tally, wall: float) -> list[tuple[str, str, str, str]]:
    times = tally.times
    p50, p95, p99 = (percentile(times, q) for q in (0.5, 0.95, 0.99)) if times else (0, 0, 0)
    errors = sum(tally.errors.values())
    detail = ", ".join(f"{k}: {v}" for k, v in sorted(tally.errors.items())) or "none"
    return [
        (f"{engine}: latency", f"p95 {p95:.0f} ms (p50 {p50:.0f}, p99 {p99:.0f})",
         f"p95 <= {TARGET_MS:g} ms", verdict(bool(times) and p95 <= TARGET_MS)),
        (f"{engine}: errors", f"{errors} of {tally.sent} ({detail})", "0", verdict(errors == 0)),
        (f"{engine}: throughput", f"{len(times) / wall:.0f} requests/s over {wall:.0f} s",
         "-", "-"),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Seed, serve, load and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--pace", type=float, default=1.0, help="seconds between a client's "
                        "requests (0: as fast as answers come)")
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--engines", default="sqlite")
    parser.add_argument("--workers", type=int, default=2, help="atp serve --workers N")
    parser.add_argument("--quick", action="store_true", help="100,000 runs, 10 s")
    parser.add_argument("--db", help="measure this already seeded store instead")
    args = parser.parse_args(argv)
    runs = 100_000 if args.quick else args.runs
    load = Load(clients=args.clients, seconds=10.0 if args.quick else args.seconds,
                pace=args.pace, max_requests=args.max_requests, workers=args.workers)
    rows: list[tuple[str, str, str, str]] = []
    if args.db:
        rows = _rows(args.db.split(":", 1)[0], *measure(args.db, load))
        what = "an existing store"
    else:
        for engine in args.engines.split(","):
            with seeded_store(engine, runs) as url:
                if url is None:
                    rows.append((f"{engine}: load", "skipped: unreachable", "-", "-"))
                    continue
                rows += _rows(engine, *measure(url, load))
        what = f"{runs:,} stored runs"
    print(table(f"dashboard API under load: {load.clients} clients on loopback, one request "
                f"each per {load.pace:g} s, {load.seconds:g} s, {load.workers} server "
                f"worker(s), {what}", rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run every performance benchmark once and print their tables (nox session ``bench``).

Each benchmark runs in its own fresh interpreter, one after the other, so that none
inherits another's imports, memory or logging setup. ``--quick`` uses smaller sizes
(about three minutes instead of about ten); ``--only NAME`` runs the named ones.
Figures are printed, never asserted: a missed target shows as ``MISSES`` in its table.
The exit status is non-zero only when a benchmark itself fails to run.

Usage: ``python benchmarks/perf/run_all.py [--quick] [--only overhead,memory,...]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence

import anyio
from _common import HERE

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/"

# name -> (script, arguments, quick arguments)
BENCHES: dict[str, tuple[str, list[str], list[str]]] = {
    "overhead": ("bench_overhead.py", [], ["--quick"]),
    "memory": ("bench_memory.py", [], ["--quick"]),
    "startup": ("bench_startup.py", [], ["--quick"]),
    "http": ("bench_http_concurrency.py", [], ["--quick"]),
    "observability": ("bench_observability.py", [], ["--repeat", "5"]),
    "ingest-sqlite": ("bench_store_ingest.py", ["--runs", "20000"], ["--runs", "5000"]),
    "ingest-postgres": ("bench_store_ingest.py", ["--runs", "20000"], ["--runs", "5000"]),
    "store-queries": ("bench_store_queries.py", [], ["--quick"]),
    "web-server": ("bench_web_server.py", [], ["--quick"]),
    "web-browser": ("bench_web_browser.py", [], ["--quick"]),
    "web-load": ("bench_web_load.py", [], ["--quick"]),
}


async def _pg_admin(sql: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect(host="127.0.0.1", user="postgres", database="postgres", timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _run(name: str, quick: bool) -> bool:
    script, full, small = BENCHES[name]
    argv = [sys.executable, str(HERE / script), *(small if quick else full)]
    drop = None
    if name == "ingest-postgres":
        db = f"atp_bench_{uuid.uuid4().hex[:10]}"
        try:
            anyio.run(_pg_admin, f"CREATE DATABASE {db}")
        except (OSError, TimeoutError) as exc:
            print(f"== {name}: skipped, PostgreSQL on 127.0.0.1:5432 unreachable ({exc})")
            return True
        argv += ["--db", PG_ADMIN + db]
        drop = f"DROP DATABASE {db} WITH (FORCE)"
    print(f"== {name}: {' '.join(argv[1:])}", flush=True)
    start = time.perf_counter()
    try:
        done = subprocess.run(argv, cwd=HERE.parent.parent, env=dict(os.environ))
    finally:
        if drop is not None:
            anyio.run(_pg_admin, drop)
    print(f"   ({time.perf_counter() - start:.0f} s)\n", flush=True)
    return done.returncode == 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected benchmarks; return 1 if any of them failed to run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    parser.add_argument("--only", default=",".join(BENCHES), help="comma-separated names")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHES)}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"ATP benchmarks {'(quick) ' if args.quick else ''}on {dt.date.today()}: "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}; "
        f"load average before: {load} (other work on the machine skews the timings)\n"
    )
    failed = [n for n in names if not _run(n, args.quick)]
    if failed:
        print(f"benchmarks that failed to run: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

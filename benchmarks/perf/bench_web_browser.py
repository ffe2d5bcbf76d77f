"""Real-browser load time of the dashboard's home and suite-run pages on a seeded store.

The store (SQLite by default; ``--engines sqlite,postgres``) is seeded with
``seed_store.seed`` (1,000,000 runs; ``--quick``: 100,000) and served by ``atp serve`` on
127.0.0.1. Debian's Chromium (/usr/bin/chromium, driven by playwright, never a downloaded
browser) loads each page ``--loads`` times in a fresh tab with a cold cache; the time is
the Navigation Timing ``loadEventEnd`` (navigation start to the end of the load event: HTML,
CSS, htmx and its extensions, and the page's script). Reported: median and p95 in ms.
Target: p95 <= 1 s. ``--db URL`` measures an already seeded store instead.

Usage: ``python benchmarks/perf/bench_web_browser.py [--quick] [--loads N] [--db URL]``.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path

import anyio
from _common import table, verdict
from bench_web_support import atp_serve, p50_p95, pick_ids, seeded_store

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TARGET_MS = 1000.0
LOAD_TIME = "performance.getEntriesByType('navigation')[0].loadEventEnd"


def load_times(base: str, paths: dict[str, list[str]], loads: int) -> dict[str, list[float]]:
    """``loads`` cold loads of each page (its URLs taken in turn), in ms."""
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {name: [] for name in paths}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for name, urls in paths.items():
                for i in range(loads + 1):
                    context = browser.new_context()
                    tab = context.new_page()
                    tab.goto(base + urls[i % len(urls)], wait_until="load")
                    tab.wait_for_function(f"{LOAD_TIME} > 0")
                    if i:  # the first load of each page warms the server, not the browser
                        out[name].append(float(tab.evaluate(LOAD_TIME)))
                    context.close()
        finally:
            browser.close()
    return out


def measure(url: str, loads: int) -> list[tuple[str, float, float]]:
    """Median and p95 (ms) of the home page and of suite-run pages served from ``url``."""
    ids = anyio.run(pick_ids, url)
    rng = random.Random(3)
    paths = {"home /": ["/"],
             "suite run /runs/{id}": [f"/runs/{rng.choice(ids.suite_runs)}"
                                      for _ in range(loads + 1)]}
    with atp_serve(url) as base:
        times = load_times(base, paths, loads)
    return [(name, *p50_p95(values)) for name, values in times.items()]


def _rows(engine: str, results: list[tuple[str, float, float]]) -> list[tuple[str, str, str, str]]:
    return [
        (f"{engine}: {name}", f"p95 {p95:.0f} ms (median {p50:.0f})", f"p95 <= {TARGET_MS:g} ms",
         verdict(p95 <= TARGET_MS))
        for name, p50, p95 in results
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Seed, serve, load the pages in Chromium and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--loads", type=int, default=20, help="loads per page")
    parser.add_argument("--engines", default="sqlite")
    parser.add_argument("--quick", action="store_true", help="100,000 runs, 8 loads")
    parser.add_argument("--db", help="measure this already seeded store instead")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"bench_web_browser: skipped, {CHROMIUM} is missing (scripts/ensure-system.sh)")
        return 0
    runs = 100_000 if args.quick else args.runs
    loads = 8 if args.quick else args.loads
    rows: list[tuple[str, str, str, str]] = []
    if args.db:
        rows = _rows(args.db.split(":", 1)[0], measure(args.db, loads))
        what = "an existing store"
    else:
        for engine in args.engines.split(","):
            with seeded_store(engine, runs) as url:
                if url is None:
                    rows.append((f"{engine}: pages", "skipped: unreachable",
                                 f"p95 <= {TARGET_MS:g} ms", "-"))
                    continue
                rows += _rows(engine, measure(url, loads))
        what = f"{runs:,} stored runs"
    print(table(f"dashboard in Chromium: navigation to load event, {what}, {loads} cold loads "
                "per page", rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

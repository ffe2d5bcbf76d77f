"""The work of ``atp results``: read suite runs back out of the store."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio

from atp_cli._run import load_config_for
from atp_cli._store import database_url, require_positive
from atp_core.errors import ConfigError
from atp_core.protocol import SuiteRunResult


def with_store(args: argparse.Namespace, work: Callable[[Any], Awaitable[int]]) -> int:
    """Open the configured store, run ``work(store)``, close it."""
    from atp_core.store import open_store

    url = database_url(load_config_for(args))

    async def main() -> int:
        async with open_store(url) as store:
            return await work(store)

    return anyio.run(main)


async def load_result(store: Any, suite_run_id: str) -> SuiteRunResult:
    """A stored suite run rebuilt in full; ``ConfigError`` if there is none."""
    result: SuiteRunResult | None = await store.load_suite_run_result(suite_run_id)
    if result is None:
        raise ConfigError(f"no suite run {suite_run_id!r} in the results store")
    return result


def _since(value: str | None) -> dt.datetime | None:
    """``--since`` as a moment; ``ConfigError`` (exit 2) unless it is ISO-8601."""
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(
            f"--since expects an ISO-8601 date or time (e.g. 2026-11-25T04:00), got {value!r}"
        ) from None


def list_runs(args: argparse.Namespace) -> int:
    """``atp results list``."""
    require_positive(args.limit, "--limit")
    since = _since(args.since)

    async def work(store: Any) -> int:
        page = await store.list_suite_runs(suite=args.suite, agent=args.agent, since=since,
                                           status=args.status, limit=args.limit)
        print(f"{'SUITE RUN':<34} {'STARTED':<20} {'STATUS':<12} {'TESTS P/F/E':<12} "
              f"{'RUNS':<9} SUITE / AGENT")
        for h in page.items:
            counts = f"{h.tests_passed}/{h.tests_failed}/{h.tests_error}"
            runs = f"{h.runs_done}/{h.total_runs}"
            print(f"{h.id:<34} {h.started_at[:19]:<20} {h.status:<12} {counts:<12} {runs:<9} "
                  f"{h.suite} / {h.agent}")
        print(f"{len(page.items)} of {page.total} suite runs")
        return 0

    return with_store(args, work)


def show_run(args: argparse.Namespace) -> int:
    """``atp results show``."""
    from atp_core.reporters import render_report

    async def work(store: Any) -> int:
        result = await load_result(store, args.id)
        sys.stdout.write(render_report(result, "console", color=sys.stdout.isatty()))
        return 0

    return with_store(args, work)


def export_run(args: argparse.Namespace) -> int:
    """``atp results export``."""
    if args.format == "xlsx" and not args.output:
        raise ConfigError("--format xlsx needs --output PATH")

    results: list[SuiteRunResult] = []

    async def work(store: Any) -> int:
        results.append(await load_result(store, args.id))
        return 0

    with_store(args, work)
    data = render_export(results[0], args.format)
    if args.output:
        path = Path(args.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"atp: wrote {args.format} export to {path}", file=sys.stderr)
    else:
        sys.stdout.write(data.decode("utf-8"))
    return 0


def render_export(result: SuiteRunResult, fmt: str) -> bytes:
    """A suite run as bytes: the report formats, or a per-run table as CSV or XLSX."""
    from atp_core.reporters._tables import runs_table, to_csv, to_xlsx

    if fmt == "csv":
        return to_csv(runs_table(result))
    if fmt == "xlsx":
        return to_xlsx(runs_table(result), sheet=result.suite[:31] or "runs")
    from atp_core.reporters import render_report

    return render_report(result, fmt).encode("utf-8")

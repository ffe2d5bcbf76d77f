"""Reading runs back: details for views, full run records for resume and export."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from atp_core.protocol import Artifact, Event, RunRecord
from atp_core.store._codec import (
    Row,
    artifact_from_row,
    artifact_meta,
    event_from_row,
    record_from_rows,
)
from atp_core.store._tables import Tables
from atp_core.store._types import Page, RunDetail

_CHUNK = 500


async def _children(table: Any, run_ids: Sequence[str]) -> dict[str, list[Row]]:
    """Rows of a per-run table for ``run_ids``, grouped by run and in position order."""
    out: dict[str, list[Row]] = defaultdict(list)
    for i in range(0, len(run_ids), _CHUNK):
        chunk = list(run_ids[i : i + _CHUNK])
        rows = await table.select().where(table.run_id.is_in(chunk)).order_by(
            table.run_id, table.position
        )
        for row in rows:
            out[row["run_id"]].append(row)
    return out


async def _blob_contents(tables: Tables, keys: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    if not keys:
        return {}
    blobs = await _children(tables.artifact_blobs, sorted({rid for rid, _ in keys}))
    wanted = set(keys)
    return {
        (rid, b["position"]): b["content"]
        for rid, rows in blobs.items()
        for b in rows
        if (rid, b["position"]) in wanted
    }


async def _artifacts(tables: Tables, rows: list[Row]) -> list[Artifact]:
    blobs = await _blob_contents(
        tables, [(r["run_id"], r["position"]) for r in rows if r["stored"] == "blob"]
    )
    return [
        artifact_from_row(r, blobs.get((r["run_id"], r["position"]), r["content"]))
        for r in rows
    ]


async def full_records(tables: Tables, runs: list[Row]) -> list[RunRecord]:
    """Rebuild complete run records (checks, events, artifacts) from run rows."""
    ids = [r["id"] for r in runs]
    checks = await _children(tables.checks, ids)
    events = await _children(tables.events, ids)
    artifact_rows = await _children(tables.artifacts, ids)
    flat = [a for rid in ids for a in artifact_rows.get(rid, [])]
    rebuilt = iter(await _artifacts(tables, flat))
    out = []
    for run in runs:
        arts = tuple(next(rebuilt) for _ in artifact_rows.get(run["id"], []))
        evs = tuple(event_from_row(e) for e in events.get(run["id"], []))
        out.append(record_from_rows(run, checks.get(run["id"], []), evs, arts))
    return out


async def runs_of_suite_run(tables: Tables, tenant: str, suite_run_id: str) -> list[Row]:
    """Every run row of a suite run, by test and run number."""
    t = tables.runs
    rows: list[Row] = await t.select().where(
        (t.tenant_id == tenant) & (t.suite_run_id == suite_run_id)
    ).order_by(t.test_id, t.run_number)
    return rows


async def run_details(tables: Tables, runs: list[Row]) -> list[RunDetail]:
    """Runs with their checks and artifact metadata (no events, no artifact content)."""
    ids = [r["id"] for r in runs]
    checks = await _children(tables.checks, ids)
    arts = await _children(tables.artifacts, ids)
    return [
        RunDetail(
            id=r["id"], suite_run_id=r["suite_run_id"],
            record=record_from_rows(r, checks.get(r["id"], [])),
            artifacts=tuple(artifact_meta(a) for a in arts.get(r["id"], [])),
            event_count=r["event_count"],
        )
        for r in runs
    ]


async def run_row(tables: Tables, tenant: str, run_id: str) -> Row | None:
    """One run row, or None."""
    t = tables.runs
    row: Row | None = await t.select().where(
        (t.tenant_id == tenant) & (t.id == run_id)
    ).first()
    return row


async def list_events(
    tables: Tables, tenant: str, run_id: str, offset: int, limit: int
) -> Page[Event]:
    """One page of a run's events, in the order the agent sent them."""
    run = await run_row(tables, tenant, run_id)
    if run is None:
        return Page(items=(), total=0, offset=offset, limit=limit)
    t = tables.events
    rows = await t.select().where(
        (t.run_id == run_id) & (t.position >= offset) & (t.position < offset + limit)
    ).order_by(t.position)
    return Page(
        items=tuple(event_from_row(r) for r in rows), total=run["event_count"],
        offset=offset, limit=limit,
    )


async def get_artifact(tables: Tables, tenant: str, run_id: str, path: str) -> Artifact | None:
    """A run's artifact by path (or structured name), with its content."""
    if await run_row(tables, tenant, run_id) is None:
        return None
    t = tables.artifacts
    row = await t.select().where((t.run_id == run_id) & (t.path == path)).order_by(
        t.position
    ).first()
    if row is None:
        return None
    return (await _artifacts(tables, [row]))[0]

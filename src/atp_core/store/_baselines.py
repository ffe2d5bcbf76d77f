"""Named baselines kept in the store."""

from __future__ import annotations

import json

from atp_core.store._codec import Row, dumps, stable_id
from atp_core.store._db import Db
from atp_core.store._tables import Tables
from atp_core.store._types import BaselineRecord
from atp_core.store._write import Writer


def _record(row: Row) -> BaselineRecord:
    return BaselineRecord(
        name=row["name"], suite=row["suite"], agent=row["agent"],
        created_at=row["created_at"], suite_run_id=row["suite_run_id"],
        snapshot=json.loads(row["snapshot"]),
    )


async def put_baseline(db: Db, tables: Tables, tenant: str, record: BaselineRecord) -> None:
    """Store ``record``, replacing a baseline of the same name."""
    row = {
        "id": stable_id(tenant, "baseline", record.name), "tenant_id": tenant,
        "name": record.name, "suite": record.suite, "agent": record.agent,
        "created_at": record.created_at, "suite_run_id": record.suite_run_id,
        "snapshot": dumps(record.snapshot),
    }
    async with db.transaction("saving a baseline") as tx:
        await tx.execute("DELETE FROM baselines WHERE id = ?", row["id"])
        await Writer(tables=tables, tenant=tenant).insert(tx, tables.baselines, [row])


async def get_baseline(tables: Tables, tenant: str, name: str) -> BaselineRecord | None:
    """The baseline called ``name``, or None."""
    t = tables.baselines
    row = await t.select().where((t.tenant_id == tenant) & (t.name == name)).first()
    return None if row is None else _record(row)


async def list_baselines(
    tables: Tables, tenant: str, suite: str | None
) -> tuple[BaselineRecord, ...]:
    """Every baseline (of ``suite`` when given), by name."""
    t = tables.baselines
    where = t.tenant_id == tenant
    if suite is not None:
        where &= t.suite == suite
    rows = await t.select().where(where).order_by(t.name)
    return tuple(_record(r) for r in rows)

"""Schema version 2: events and checks lose their per-row foreign key on PostgreSQL only."""

from __future__ import annotations

import pytest

from atp_core.store import Store, open_store
from atp_core.store._migrate import upgrade
from atp_core.store._schema import MIGRATIONS

pytestmark = pytest.mark.anyio


async def _foreign_keys(store: Store, table: str) -> list[str]:
    """The tables ``table`` references through foreign keys."""
    async with store.db.transaction("reading foreign keys") as tx:
        if tx.dialect == "sqlite":
            rows = await tx.fetch(f"SELECT * FROM pragma_foreign_key_list('{table}')")
            return sorted(r["table"] for r in rows)
        rows = await tx.fetch(
            "SELECT confrelid::regclass::text AS target FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ?::regclass",
            table,
        )
        return sorted(r["target"] for r in rows)


async def test_events_and_checks_keep_their_foreign_key_only_on_sqlite(db_url: str) -> None:
    """At the latest schema, PostgreSQL has no FK from events/checks; runs keep theirs."""
    async with open_store(db_url) as store:
        expected = ["runs"] if store.db.dialect == "sqlite" else []
        assert await _foreign_keys(store, "events") == expected
        assert await _foreign_keys(store, "checks") == expected
        assert await _foreign_keys(store, "runs") == ["suite_runs"]
        assert await _foreign_keys(store, "artifacts") == ["runs"]


async def test_a_version_1_database_upgrades_to_version_2_keeping_its_rows(
    db_url: str,
) -> None:
    """A database made at version 1, with a run and its events, upgrades in place."""
    store = await Store.open(db_url, check_schema=False)
    try:
        async with store.db.transaction("making a version 1 database") as tx:
            await tx.execute(
                "CREATE TABLE atp_schema_version (version INTEGER PRIMARY KEY, "
                "description TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            for statement in MIGRATIONS[0].statements(tx.dialect):
                await tx.execute(statement)
            await tx.execute("INSERT INTO atp_schema_version VALUES (1, 'initial schema', 'then')")
            await tx.execute(
                "INSERT INTO suite_runs (id, suite, suite_version, agent, status, started_at, "
                "started_ts, total_runs, test_ids) VALUES ('s1', 'x', '1', 'a', 'completed', "
                "'then', 0, 1, '[]')"
            )
        assert await upgrade(store.db) == (1, MIGRATIONS[-1].version)
        async with store.db.transaction("reading") as tx:
            rows = await tx.fetch("SELECT id FROM suite_runs")
        assert [r["id"] for r in rows] == ["s1"]
    finally:
        await store.aclose()

"""Apply the schema migrations and report the schema version of a database."""

from __future__ import annotations

import datetime as dt

from atp_core.errors import StorageError
from atp_core.store._db import Db, Tx
from atp_core.store._schema import LATEST_VERSION, MIGRATIONS

_VERSION_TABLE = """CREATE TABLE IF NOT EXISTS atp_schema_version (
    version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"""


async def _has_version_table(tx: Tx) -> bool:
    if tx.dialect == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?"
    else:
        sql = "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() " \
            "AND tablename = ?"
    return bool(await tx.fetch(sql, "atp_schema_version"))


async def _current(tx: Tx) -> int:
    if not await _has_version_table(tx):
        return 0
    rows = await tx.fetch("SELECT MAX(version) AS v FROM atp_schema_version")
    return int(rows[0]["v"] or 0)


def newer_error(current: int) -> StorageError:
    """The error for a database written by a newer ATP."""
    return StorageError(
        f"database schema version {current} is newer than this ATP ({LATEST_VERSION}); "
        "upgrade ATP"
    )


async def schema_version(db: Db) -> int:
    """The schema version the database is at (0 for an empty database)."""
    async with db.transaction("reading the schema version") as tx:
        return await _current(tx)


async def upgrade(db: Db) -> tuple[int, int]:
    """Apply every pending migration in one transaction; return (before, after)."""
    async with db.transaction("upgrading the schema") as tx:
        await tx.execute(_VERSION_TABLE)
        if tx.dialect == "postgres":
            # Two processes upgrading at once must not both apply the same migration.
            await tx.execute("LOCK TABLE atp_schema_version IN EXCLUSIVE MODE")
        before = await _current(tx)
        if before > LATEST_VERSION:
            raise newer_error(before)
        now = dt.datetime.now(dt.UTC).isoformat()
        for migration in MIGRATIONS:
            if migration.version <= before:
                continue
            for statement in migration.statements(tx.dialect):
                await tx.execute(statement)
            await tx.execute(
                "INSERT INTO atp_schema_version (version, description, applied_at) "
                "VALUES (?, ?, ?)",
                migration.version,
                migration.description,
                now,
            )
        return before, LATEST_VERSION

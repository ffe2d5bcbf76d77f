"""Opening a store: engines, URLs, schema versions and the one-line errors."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import atp_core.store as store_pkg
from atp_core.errors import StorageError
from atp_core.store import LATEST_VERSION, Store, open_store
from atp_core.store._schema import MIGRATIONS

pytestmark = pytest.mark.anyio


async def test_default_url_creates_atp_db_under_dot_atp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no URL the store is ./.atp/atp.db, created with its directory."""
    monkeypatch.chdir(tmp_path)
    async with open_store() as store:
        assert await store.schema_status() == (LATEST_VERSION, LATEST_VERSION)
    assert (tmp_path / ".atp" / "atp.db").is_file()


async def test_new_sqlite_file_is_at_current_schema_in_wal_mode(tmp_path: Path) -> None:
    """A new SQLite file gets every migration and uses write-ahead logging."""
    path = tmp_path / "new.db"
    async with open_store(f"sqlite:///{path}"):
        pass
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        versions = [r[0] for r in conn.execute("SELECT version FROM atp_schema_version")]
    finally:
        conn.close()
    assert versions == [m.version for m in MIGRATIONS]


async def test_upgrade_brings_an_empty_database_to_the_latest_version(db_url: str) -> None:
    """Opened without schema checks, an empty database reports 0 until upgraded."""
    async with open_store(db_url, check_schema=False) as store:
        assert await store.schema_status() == (0, LATEST_VERSION)
        assert await store.upgrade() == (0, LATEST_VERSION)
        assert await store.schema_status() == (LATEST_VERSION, LATEST_VERSION)
        assert await store.upgrade() == (LATEST_VERSION, LATEST_VERSION)


async def test_database_from_a_newer_atp_is_refused(db_url: str) -> None:
    """A schema version above the code's stops the store with an upgrade hint."""
    async with open_store(db_url) as store, store.db.transaction("test") as tx:
        await tx.execute(
            "INSERT INTO atp_schema_version (version, description, applied_at) "
            "VALUES (?, 'future', 'now')", LATEST_VERSION + 1)
    with pytest.raises(StorageError) as err:
        await Store.open(db_url)
    assert str(err.value) == (
        f"database schema version {LATEST_VERSION + 1} is newer than this ATP "
        f"({LATEST_VERSION}); upgrade ATP"
    )
    async with open_store(db_url, check_schema=False) as store:
        with pytest.raises(StorageError, match="newer than this ATP"):
            await store.upgrade()


async def test_every_table_matches_its_piccolo_class(db_url: str) -> None:
    """The migrated columns are exactly the columns the piccolo tables declare."""
    async with open_store(db_url) as store, store.db.transaction("test") as tx:
        for table in store.tables.all():
            name = table._meta.tablename
            if tx.dialect == "sqlite":
                rows = await tx.fetch(f"SELECT name FROM pragma_table_info('{name}')")
            else:
                rows = await tx.fetch(
                    "SELECT column_name AS name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = ?", name)
            declared = {c._meta.db_column_name for c in table._meta.columns}
            assert {r["name"] for r in rows} == declared, name
            assert "tenant_id" in declared


async def test_unsupported_urls_are_refused_with_the_accepted_forms() -> None:
    """A URL that is neither SQLite nor PostgreSQL names the forms that work."""
    with pytest.raises(StorageError, match=r"use sqlite:///PATH or postgresql://"):
        await Store.open("mysql://root@localhost/db")
    with pytest.raises(StorageError, match="SQLite URL"):
        await Store.open("sqlite:///:memory:")


async def test_unreachable_postgres_is_one_line_without_the_password() -> None:
    """A server that is not listening gives one line saying what to check, no secret."""
    with pytest.raises(StorageError) as err:
        await Store.open("postgresql://alice:hunter2@127.0.0.1:1/atp", timeout=2)
    message = str(err.value)
    assert "\n" not in message
    assert "hunter2" not in message
    assert message.startswith("cannot connect to the results database "
                              "postgresql://alice@127.0.0.1:1/atp")
    assert "check that PostgreSQL is running" in message


async def test_locked_sqlite_file_is_reported_as_locked(tmp_path: Path) -> None:
    """Another process holding the write lock stops the store after the busy timeout."""
    path = tmp_path / "locked.db"
    async with open_store(f"sqlite:///{path}"):
        pass
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError, match="is locked by another process"):
            await Store.open(f"sqlite:///{path}", timeout=0.1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.fixture
def immutable_db(tmp_path: Path) -> Iterator[Path]:
    """An SQLite file that even root cannot write (the immutable attribute)."""
    path = tmp_path / "ro.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (y INTEGER)")
    conn.commit()
    conn.close()
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot make a read-only file here: {made.stderr.decode().strip()}")
    yield path
    subprocess.run(["chattr", "-i", str(path)], check=True)


async def test_read_only_sqlite_file_is_reported_as_read_only(immutable_db: Path) -> None:
    """A file that cannot be written stops the store with a read-only message."""
    with pytest.raises(StorageError, match="read-only; make the file"):
        await Store.open(f"sqlite:///{immutable_db}", timeout=0.1)


async def test_a_file_that_is_not_sqlite_is_reported(tmp_path: Path) -> None:
    """Pointing the store at some other file says it is not an SQLite database."""
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not a database at all, just some text" * 50)
    with pytest.raises(StorageError, match="is not an SQLite database"):
        await Store.open(f"sqlite:///{path}")


async def test_directory_that_cannot_be_created_is_reported(tmp_path: Path) -> None:
    """A path under a regular file cannot hold the database; the error says so."""
    (tmp_path / "file").write_text("x")
    with pytest.raises(StorageError, match="cannot create the directory"):
        await Store.open(f"sqlite:///{tmp_path / 'file' / 'sub' / 'atp.db'}")


def test_public_names_are_sorted_and_exported() -> None:
    """``__all__`` is sorted (constants, classes, functions) and every name in it exists."""
    order = sorted(store_pkg.__all__, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    assert store_pkg.__all__ == order
    assert all(hasattr(store_pkg, name) for name in store_pkg.__all__)

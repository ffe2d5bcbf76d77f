"""Database URLs, engines, and the checks that run before anything else touches a database."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import anyio
import attrs

from atp_core.errors import StorageError
from atp_core.store._db import Db

DEFAULT_URL = "sqlite:///./.atp/atp.db"
_FIX = "fix --db or ATP_DATABASE_URL"


@attrs.frozen(kw_only=True)
class Target:
    """A parsed database URL; ``display`` never shows a password."""

    dialect: str
    display: str
    path: Path | None = None
    config: dict[str, Any] = attrs.Factory(dict)


def parse_url(url: str | None) -> Target:
    """Parse ``sqlite:///PATH`` or ``postgresql://user@host:port/db`` (None: the default)."""
    url = url or DEFAULT_URL
    if url.startswith("sqlite:///"):
        raw = url.removeprefix("sqlite:///")
        if not raw or raw == ":memory:" or "?" in raw:
            raise StorageError(f"unsupported SQLite URL {url!r}; use sqlite:///PATH to a file")
        return Target(dialect="sqlite", display=url, path=Path(raw))
    parts = urlsplit(url)
    if parts.scheme in ("postgresql", "postgres"):
        if parts.query or not parts.path.strip("/"):
            raise StorageError(
                f"unsupported PostgreSQL URL; use postgresql://user@host:port/db ({_FIX})"
            )
        config: dict[str, Any] = {
            "host": parts.hostname or "127.0.0.1",
            "port": parts.port or 5432,
            "user": unquote(parts.username or "postgres"),
            "database": unquote(parts.path.strip("/")),
        }
        if parts.password:
            config["password"] = unquote(parts.password)
        display = f"postgresql://{config['user']}@{config['host']}:{config['port']}/" \
            f"{config['database']}"
        return Target(dialect="postgres", display=display, config=config)
    scheme = url.split(":", 1)[0] if ":" in url else url
    raise StorageError(
        f"unsupported database URL scheme {scheme!r}; use sqlite:///PATH or "
        f"postgresql://user@host:port/db ({_FIX})"
    )


def _sqlite_problem(path: Path, exc: sqlite3.Error) -> StorageError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        what = "is locked by another process; wait for it to finish or use another database"
    elif "readonly" in text or "read-only" in text:
        what = "is read-only; make the file and its directory writable or use another database"
    elif "not a database" in text:
        what = "is not an SQLite database; point --db or ATP_DATABASE_URL at an ATP database"
    else:
        what = f"cannot be opened ({exc}); check the path and its permissions"
    return StorageError(f"results database {path} {what}")


def _probe_sqlite(path: Path, busy_timeout: float) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"cannot create the directory {path.parent} for the results database: "
            f"{exc.strerror}; choose another path ({_FIX})"
        ) from exc
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise _sqlite_problem(path, exc) from exc
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        # A write lock proves the file is neither read-only nor held by another writer.
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TABLE IF NOT EXISTS atp_probe (x INTEGER)")
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        raise _sqlite_problem(path, exc) from exc
    finally:
        conn.close()


async def _open_sqlite(target: Target, busy_timeout: float) -> Db:
    from atp_core.store._sqlite_engine import ReusingSQLiteEngine

    assert target.path is not None
    await anyio.to_thread.run_sync(_probe_sqlite, target.path, busy_timeout)
    engine = ReusingSQLiteEngine(str(target.path), timeout=busy_timeout)
    return Db(engine=engine, dialect="sqlite")


async def _open_postgres(target: Target, connect_timeout: float) -> Db:
    try:
        import asyncpg  # type: ignore[import-untyped]
        from piccolo.engine.postgres import PostgresEngine
    except ImportError as exc:
        raise StorageError(
            "PostgreSQL support is not installed; pip install 'atp-platform[postgres]'"
        ) from exc

    class _Engine(PostgresEngine):
        async def check_version(self) -> None:
            """Skip piccolo's blocking version probe: ``_open_postgres`` connects first."""

    config = {**target.config, "timeout": connect_timeout}
    try:
        conn = await asyncpg.connect(**config)
        await conn.close()
        engine = _Engine(config=config)
        await engine.start_connection_pool(min_size=1, max_size=8)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as exc:
        reason = str(exc) or type(exc).__name__
        raise StorageError(
            f"cannot connect to the results database {target.display}: {reason}; "
            f"check that PostgreSQL is running and {_FIX}"
        ) from exc
    return Db(engine=engine, dialect="postgres")


async def open_db(target: Target, timeout: float) -> Db:
    """Connect to ``target`` and prove it is usable, or raise one clear ``StorageError``."""
    if target.dialect == "sqlite":
        return await _open_sqlite(target, timeout)
    return await _open_postgres(target, timeout)

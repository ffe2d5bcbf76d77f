"""A thin handle on a piccolo engine: dialect, transactions and driver-error translation.

Reads go through the piccolo tables; bulk writes use the transaction's own connection
(``executemany``), because building one piccolo object per event row is far slower.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Literal

import attrs

from atp_core.errors import StorageError

Dialect = Literal["sqlite", "postgres"]
_PLACEHOLDER = re.compile(r"\?")


def driver_errors() -> tuple[type[BaseException], ...]:
    """The exception types a database driver raises for database failures."""
    errors: list[type[BaseException]] = [sqlite3.Error, OSError]
    try:
        import asyncpg  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - asyncpg is an optional extra
        return tuple(errors)
    errors.extend([asyncpg.PostgresError, asyncpg.InterfaceError])
    return tuple(errors)


@contextmanager
def translated(action: str) -> Iterator[None]:
    """Turn a driver exception raised while doing ``action`` into a ``StorageError``."""
    try:
        yield
    except StorageError:
        raise
    except driver_errors() as exc:
        raise StorageError(f"results store: {action} failed: {exc}") from exc


@attrs.frozen(kw_only=True)
class Tx:
    """One open transaction; SQL uses ``?`` placeholders on both dialects."""

    connection: Any
    dialect: Dialect

    def _sql(self, sql: str) -> str:
        if self.dialect == "sqlite":
            return sql
        counter = iter(range(1, 1_000_000))
        return _PLACEHOLDER.sub(lambda _: f"${next(counter)}", sql)

    async def execute(self, sql: str, *args: Any) -> None:
        """Run one statement."""
        await self.connection.execute(self._sql(sql), *self._args(args))

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each row."""
        if rows:
            await self.connection.executemany(self._sql(sql), rows)

    async def fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        """Run a query and return its rows as dicts."""
        if self.dialect == "postgres":
            return [dict(r) for r in await self.connection.fetch(self._sql(sql), *args)]
        async with self.connection.execute(sql, args) as cursor:
            rows: list[dict[str, Any]] = await cursor.fetchall()
        return rows

    def _args(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        # aiosqlite takes the parameters as one sequence, asyncpg as positional arguments.
        return (args,) if self.dialect == "sqlite" else args


@attrs.frozen(kw_only=True)
class Db:
    """An engine bound to this store, with its dialect."""

    engine: Any
    dialect: Dialect

    @asynccontextmanager
    async def transaction(self, action: str) -> AsyncIterator[Tx]:
        """Open a write transaction; driver errors become ``StorageError``."""
        with translated(action):
            if self.dialect == "sqlite":
                from piccolo.engine.sqlite import TransactionType

                cm = self.engine.transaction(transaction_type=TransactionType.immediate)
            else:
                cm = self.engine.transaction()
            async with cm as tr:
                yield Tx(connection=tr.connection, dialect=self.dialect)

    async def aclose(self) -> None:
        """Close the connection pool (PostgreSQL) or the idle read connections (SQLite)."""
        if self.dialect == "sqlite" or self.engine.pool is not None:
            with translated("closing the connection pool"):
                await self.engine.close_connection_pool()

"""A piccolo SQLite engine that keeps a few read connections open between queries.

piccolo's ``SQLiteEngine`` opens a new aiosqlite connection for every query outside a
transaction: a new thread, the file opened, a PRAGMA, then the query. For a dashboard
page of ten small queries that setup was most of the time. This engine runs ``SELECT``
statements on idle connections kept from earlier reads instead, each in a single call to
the connection's thread. Each connection is in autocommit mode (``isolation_level=None``),
so every ``SELECT`` is its own read transaction and sees everything committed before it,
exactly like a fresh connection would. Writes and transactions are left to piccolo unchanged.
"""

from __future__ import annotations

from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, dict_factory

MAX_IDLE = 8


def _is_read(query: str) -> bool:
    return query.lstrip().upper().startswith("SELECT")


class ReusingSQLiteEngine(SQLiteEngine):
    """``SQLiteEngine`` whose reads reuse up to ``max_idle`` open connections.

    Close it with ``close_connection_pool()``; connections still busy then are closed when
    their query ends.
    """

    def __init__(self, path: str, *, max_idle: int = MAX_IDLE, **connection_kwargs: Any) -> None:
        super().__init__(path=path, **connection_kwargs)
        self._idle: list[aiosqlite.Connection] = []
        self._max_idle = max_idle
        self._closed = False

    async def _connect(self) -> aiosqlite.Connection:
        connection = aiosqlite.connect(**self.connection_kwargs)
        # A store left unclosed must not keep the interpreter alive at exit.
        connection._thread.daemon = True
        await connection
        connection.row_factory = dict_factory  # type: ignore[assignment]  # stubs want a type
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        if not _is_read(query):
            return await super()._run_in_new_connection(query, args, query_type, table)
        connection = self._idle.pop() if self._idle else await self._connect()
        try:
            # One hop to the connection's thread and back, not three (execute, fetch, close):
            # under load each hop waits for a turn of a busy event loop.
            rows = list(await connection.execute_fetchall(query, args or []))
        except BaseException:
            # A failed or cancelled read may leave the connection mid-statement: drop it.
            connection.stop()
            raise
        if self._closed or len(self._idle) >= self._max_idle:
            await connection.close()
        else:
            self._idle.append(connection)
        return rows

    async def close_connection_pool(self) -> None:
        """Close the idle read connections; later reads open and close their own."""
        self._closed = True
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()

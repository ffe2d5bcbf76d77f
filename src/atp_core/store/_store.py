"""The Store: one database, one tenant, the schema checks and the query API."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Self

from atp_core.errors import StorageError
from atp_core.protocol import Artifact, Event, RunRecord, SuiteRunResult
from atp_core.store import _baselines, _read, _read_runs, _read_summary, _read_trends
from atp_core.store._db import Db, translated
from atp_core.store._migrate import newer_error, schema_version, upgrade
from atp_core.store._open import open_db, parse_url
from atp_core.store._schema import LATEST_VERSION
from atp_core.store._tables import Tables, make_tables
from atp_core.store._types import (
    BaselineRecord,
    Page,
    RunDetail,
    SuiteRunDetail,
    SuiteRunHeader,
    TestDetail,
    TrendPoint,
)

DEFAULT_INLINE_LIMIT = 64 * 1024


class Store:
    """The results store on one database, seen as one tenant.

    Open it with ``open_store(url)`` (an async context manager) or ``await Store.open(url)``
    and ``aclose()``. Every failure is a ``StorageError`` with one line saying what to do.
    """

    def __init__(self, *, db: Db, url: str, tenant: str, inline_limit: int) -> None:
        self.db = db
        self.url = url
        self.tenant = tenant
        self.inline_limit = inline_limit
        self.tables: Tables = make_tables(db.engine)

    @classmethod
    async def open(
        cls,
        url: str | None = None,
        *,
        tenant: str = "default",
        check_schema: bool = True,
        timeout: float = 5.0,
        inline_limit: int = DEFAULT_INLINE_LIMIT,
    ) -> Store:
        """Connect, prove the database is writable and check its schema.

        Args:
            url: ``sqlite:///PATH`` or ``postgresql://user@host:port/db``; None is
                ``sqlite:///./.atp/atp.db``.
            tenant: whose rows this store reads and writes.
            check_schema: create an empty database at the current schema, refuse one at
                another version; False leaves that to ``upgrade`` (``atp db`` commands).
            timeout: seconds to wait for a locked SQLite file or a PostgreSQL connection.
            inline_limit: artifact content up to this many bytes is kept with its metadata;
                larger content goes to a separate table.
        """
        target = parse_url(url)
        db = await open_db(target, timeout)
        store = cls(db=db, url=target.display, tenant=tenant, inline_limit=inline_limit)
        try:
            if check_schema:
                await store._check_schema()
        except BaseException:
            await db.aclose()
            raise
        return store

    async def _check_schema(self) -> None:
        current = await schema_version(self.db)
        if current == 0:
            await upgrade(self.db)
        elif current > LATEST_VERSION:
            raise newer_error(current)
        elif current < LATEST_VERSION:
            raise StorageError(
                f"database schema version {current} is older than this ATP "
                f"({LATEST_VERSION}); run 'atp db upgrade'"
            )

    async def aclose(self) -> None:
        """Release the connection pool."""
        await self.db.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def upgrade(self) -> tuple[int, int]:
        """Apply pending migrations; return the schema version (before, after)."""
        return await upgrade(self.db)

    async def schema_status(self) -> tuple[int, int]:
        """The database's schema version and the newest this ATP knows."""
        return await schema_version(self.db), LATEST_VERSION

    async def list_suite_runs(
        self,
        suite: str | None = None,
        agent: str | None = None,
        since: dt.datetime | str | None = None,
        limit: int = 50,
        offset: int = 0,
        status: str | None = None,
    ) -> Page[SuiteRunHeader]:
        """Suite runs, newest first; ``since`` is a datetime or ISO-8601 text."""
        flt = _read.SuiteRunFilter(suite=suite, agent=agent, since=since, status=status)
        with translated("listing suite runs"):
            return await _read.list_suite_runs(self.tables, self.tenant, flt, limit, offset)

    async def suite_run_header(self, suite_run_id: str) -> SuiteRunHeader | None:
        """One suite run's header (what ``atp run --resume`` needs), or None."""
        with translated("reading a suite run"):
            row = await _read.header_row(self.tables, self.tenant, suite_run_id)
        return None if row is None else _read.header_from_row(row)

    async def get_suite_run(self, suite_run_id: str) -> SuiteRunDetail | None:
        """One suite run with its finished tests, or None."""
        with translated("reading a suite run"):
            return await _read.get_suite_run(self.tables, self.tenant, suite_run_id)

    async def get_test(self, suite_run_id: str, test_id: str) -> TestDetail | None:
        """One test of a suite run with every run and its checks, or None."""
        with translated("reading a test"):
            return await _read.get_test(self.tables, self.tenant, suite_run_id, test_id)

    async def get_run(self, run_id: str) -> RunDetail | None:
        """One run with its checks and artifact metadata, or None."""
        with translated("reading a run"):
            row = await _read_runs.run_row(self.tables, self.tenant, run_id)
            if row is None:
                return None
            return (await _read_runs.run_details(self.tables, [row]))[0]

    async def list_events(self, run_id: str, offset: int = 0, limit: int = 100) -> Page[Event]:
        """One page of a run's events, in order."""
        with translated("reading events"):
            return await _read_runs.list_events(self.tables, self.tenant, run_id, offset, limit)

    async def get_artifact(self, run_id: str, path: str) -> Artifact | None:
        """A run's artifact by path (or structured name) with its content, or None."""
        with translated("reading an artifact"):
            return await _read_runs.get_artifact(self.tables, self.tenant, run_id, path)

    async def trend(self, suite: str, agent: str, limit: int = 50) -> tuple[TrendPoint, ...]:
        """The latest ``limit`` suite runs of a suite/agent pair, oldest first."""
        with translated("reading a trend"):
            return await _read.trend(self.tables, self.tenant, suite, agent, limit)

    async def recent_pairs(
        self, limit: int = 8, agent: str | None = None
    ) -> tuple[tuple[str, str], ...]:
        """Up to ``limit`` suite/agent pairs (of ``agent`` when given), newest latest run first.

        One ``GROUP BY`` over the suite runs' pair index, whatever the number of runs.
        """
        with translated("listing suite/agent pairs"):
            return await _read_trends.recent_pairs(self.tables, self.tenant, limit, agent)

    async def trends(
        self, pairs: Sequence[tuple[str, str]], limit: int = 50
    ) -> dict[tuple[str, str], tuple[TrendPoint, ...]]:
        """``trend`` of several suite/agent pairs at once, keyed by pair (in the given order).

        A pair with no suite runs maps to an empty trend. Up to 100 pairs are one query.
        """
        with translated("reading trends"):
            return await _read_trends.trends(self.tables, self.tenant, pairs, limit)

    async def completed_runs(self, suite_run_id: str) -> tuple[RunRecord, ...]:
        """Every stored run of a suite run, rebuilt, once each (for ``RunOptions.completed``)."""
        with translated("reading completed runs"):
            return await _read.completed_runs(self.tables, self.tenant, suite_run_id)

    async def load_suite_run_result(self, suite_run_id: str) -> SuiteRunResult | None:
        """Rebuild a whole suite run result (export, baseline comparison), or None."""
        with translated("reading a suite run"):
            return await _read.load_suite_run_result(self.tables, self.tenant, suite_run_id)

    async def load_suite_run_summary(self, suite_run_id: str) -> SuiteRunResult | None:
        """A suite run's tests and runs with verdicts and scores only, or None.

        Like ``load_suite_run_result`` but its run records carry no checks, events,
        artifacts, metrics, components or adapter (their defaults): enough for
        ``atp_core.baseline.compare`` and far cheaper to read.
        """
        with translated("reading a suite run summary"):
            return await _read_summary.load_suite_run_summary(
                self.tables, self.tenant, suite_run_id
            )

    async def put_baseline(self, record: BaselineRecord) -> None:
        """Store a baseline, replacing one of the same name."""
        await _baselines.put_baseline(self.db, self.tables, self.tenant, record)

    async def get_baseline(self, name: str) -> BaselineRecord | None:
        """The baseline called ``name``, or None."""
        with translated("reading a baseline"):
            return await _baselines.get_baseline(self.tables, self.tenant, name)

    async def list_baselines(self, suite: str | None = None) -> tuple[BaselineRecord, ...]:
        """Every baseline (of ``suite`` when given), by name."""
        with translated("listing baselines"):
            return await _baselines.list_baselines(self.tables, self.tenant, suite)


@asynccontextmanager
async def open_store(
    url: str | None = None,
    *,
    tenant: str = "default",
    check_schema: bool = True,
    timeout: float = 5.0,
    inline_limit: int = DEFAULT_INLINE_LIMIT,
) -> AsyncIterator[Store]:
    """Open the results store at ``url`` for the length of an ``async with`` block.

    See ``Store.open`` for the arguments. Raises ``StorageError`` before anything else
    happens when the database is unreachable, locked, read-only or at another schema.
    """
    store = await Store.open(
        url, tenant=tenant, check_schema=check_schema, timeout=timeout,
        inline_limit=inline_limit,
    )
    try:
        yield store
    finally:
        await store.aclose()

"""The versioned schema: an ordered list of migrations, each a list of DDL per dialect.

Statements of a released version are frozen: a change to the schema is a new entry at the
end of ``MIGRATIONS``, never an edit of an old one (docs/adr/0002-store-migrations.md).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from atp_core.store._db import Dialect

_TYPES: dict[Dialect, dict[str, str]] = {
    "sqlite": {
        "SERIAL": "INTEGER PRIMARY KEY AUTOINCREMENT",
        "REAL": "REAL",
        "BIGINT": "INTEGER",
        "BOOL": "BOOLEAN",
    },
    "postgres": {
        "SERIAL": "BIGSERIAL PRIMARY KEY",
        "REAL": "DOUBLE PRECISION",
        "BIGINT": "BIGINT",
        "BOOL": "BOOLEAN",
    },
}

_TENANT = "tenant_id TEXT NOT NULL DEFAULT 'default'"

_V1 = [
    f"""CREATE TABLE suites (
        id TEXT PRIMARY KEY, {_TENANT}, name TEXT NOT NULL, version TEXT NOT NULL,
        content_hash TEXT)""",
    f"""CREATE TABLE agents (
        id TEXT PRIMARY KEY, {_TENANT}, name TEXT NOT NULL, adapter_type TEXT NOT NULL,
        config TEXT NOT NULL)""",
    f"""CREATE TABLE suite_runs (
        id TEXT PRIMARY KEY, {_TENANT},
        suite_id TEXT REFERENCES suites(id), agent_id TEXT REFERENCES agents(id),
        suite TEXT NOT NULL, suite_version TEXT NOT NULL, agent TEXT NOT NULL,
        status TEXT NOT NULL, started_at TEXT NOT NULL, started_ts {{REAL}} NOT NULL,
        finished_at TEXT, total_runs INTEGER NOT NULL, runs_done INTEGER NOT NULL DEFAULT 0,
        test_ids TEXT NOT NULL, tests_total INTEGER NOT NULL DEFAULT 0,
        tests_passed INTEGER NOT NULL DEFAULT 0, tests_failed INTEGER NOT NULL DEFAULT 0,
        tests_error INTEGER NOT NULL DEFAULT 0, created_by TEXT, host TEXT,
        atp_version TEXT NOT NULL DEFAULT '', git_commit TEXT,
        result_version INTEGER NOT NULL DEFAULT 1)""",
    f"""CREATE TABLE tests (
        id TEXT PRIMARY KEY, {_TENANT},
        suite_run_id TEXT NOT NULL REFERENCES suite_runs(id), position INTEGER NOT NULL,
        test_id TEXT NOT NULL, name TEXT NOT NULL, tags TEXT NOT NULL, verdict TEXT NOT NULL,
        reason TEXT NOT NULL, pass_policy TEXT NOT NULL, n INTEGER NOT NULL,
        passed INTEGER NOT NULL, errors INTEGER NOT NULL, pass_rate {{REAL}} NOT NULL,
        mean_score {{REAL}} NOT NULL, std_score {{REAL}} NOT NULL, flaky {{BOOL}} NOT NULL,
        stats TEXT NOT NULL)""",
    f"""CREATE TABLE runs (
        id TEXT PRIMARY KEY, {_TENANT},
        suite_run_id TEXT NOT NULL REFERENCES suite_runs(id), test_id TEXT NOT NULL,
        run_number INTEGER NOT NULL, agent TEXT NOT NULL, status TEXT NOT NULL,
        verdict TEXT NOT NULL, score {{REAL}} NOT NULL, components TEXT NOT NULL,
        started_at TEXT NOT NULL, duration_seconds {{REAL}} NOT NULL, total_tokens {{BIGINT}},
        cost_usd {{REAL}}, metrics TEXT NOT NULL, error TEXT, error_kind TEXT,
        protocol_warnings TEXT NOT NULL, trace_id TEXT, adapter TEXT, workspace TEXT,
        version INTEGER NOT NULL, check_count INTEGER NOT NULL, event_count INTEGER NOT NULL,
        artifact_count INTEGER NOT NULL)""",
    f"""CREATE TABLE checks (
        id {{SERIAL}}, {_TENANT}, run_id TEXT NOT NULL REFERENCES runs(id),
        position INTEGER NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL,
        score {{REAL}}, message TEXT NOT NULL, critical {{BOOL}} NOT NULL,
        weight {{REAL}} NOT NULL, details TEXT NOT NULL)""",
    f"""CREATE TABLE events (
        id {{SERIAL}}, {_TENANT}, run_id TEXT NOT NULL REFERENCES runs(id),
        position INTEGER NOT NULL, sequence {{BIGINT}} NOT NULL, event_type TEXT NOT NULL,
        timestamp TEXT NOT NULL, task_id TEXT NOT NULL, version TEXT NOT NULL,
        payload TEXT NOT NULL)""",
    f"""CREATE TABLE artifacts (
        id {{SERIAL}}, {_TENANT}, run_id TEXT NOT NULL REFERENCES runs(id),
        position INTEGER NOT NULL, kind TEXT NOT NULL, path TEXT NOT NULL,
        content_type TEXT, size_bytes {{BIGINT}}, content_hash TEXT, meta TEXT NOT NULL,
        stored TEXT NOT NULL, content_size {{BIGINT}}, content TEXT)""",
    f"""CREATE TABLE artifact_blobs (
        id {{SERIAL}}, {_TENANT}, run_id TEXT NOT NULL REFERENCES runs(id),
        position INTEGER NOT NULL, content TEXT NOT NULL)""",
    f"""CREATE TABLE baselines (
        id TEXT PRIMARY KEY, {_TENANT}, name TEXT NOT NULL, suite TEXT NOT NULL,
        agent TEXT NOT NULL, created_at TEXT NOT NULL,
        suite_run_id TEXT NOT NULL REFERENCES suite_runs(id), snapshot TEXT NOT NULL)""",
    "CREATE INDEX suite_runs_by_time ON suite_runs (tenant_id, started_ts)",
    "CREATE INDEX suite_runs_by_pair ON suite_runs (tenant_id, suite, agent, started_ts)",
    "CREATE INDEX suite_runs_by_agent ON suite_runs (tenant_id, agent, started_ts)",
    "CREATE INDEX suite_runs_by_status ON suite_runs (tenant_id, status, started_ts)",
    "CREATE UNIQUE INDEX tests_key ON tests (suite_run_id, test_id)",
    "CREATE INDEX tests_order ON tests (suite_run_id, position)",
    "CREATE UNIQUE INDEX runs_key ON runs (suite_run_id, test_id, run_number)",
    "CREATE UNIQUE INDEX checks_key ON checks (run_id, position)",
    "CREATE UNIQUE INDEX events_key ON events (run_id, position)",
    "CREATE UNIQUE INDEX artifacts_key ON artifacts (run_id, position)",
    "CREATE UNIQUE INDEX artifact_blobs_key ON artifact_blobs (run_id, position)",
    "CREATE UNIQUE INDEX baselines_key ON baselines (tenant_id, name)",
]


@attrs.frozen(kw_only=True)
class Migration:
    """One schema version: what it changes and the statements that do it."""

    version: int
    description: str
    statements: Callable[[Dialect], list[str]]


def _template(statements: list[str]) -> Callable[[Dialect], list[str]]:
    def render(dialect: Dialect) -> list[str]:
        return [s.format(**_TYPES[dialect]) for s in statements]

    return render


def _v2(dialect: Dialect) -> list[str]:
    # Checks and events are only ever written in the transaction that writes their run, so
    # the per-row foreign key check bought nothing; on PostgreSQL it cost ~20% of the ingest
    # rate (docs/performance.md). SQLite would need a table rebuild and gained nothing.
    if dialect == "sqlite":
        return []
    return [
        "ALTER TABLE events DROP CONSTRAINT IF EXISTS events_run_id_fkey",
        "ALTER TABLE checks DROP CONSTRAINT IF EXISTS checks_run_id_fkey",
    ]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(version=1, description="initial schema", statements=_template(_V1)),
    Migration(
        version=2,
        description="PostgreSQL: no per-row foreign key from events and checks to runs",
        statements=_v2,
    ),
)
LATEST_VERSION = MIGRATIONS[-1].version

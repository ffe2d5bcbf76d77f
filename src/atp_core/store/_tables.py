"""Piccolo tables of the store, made per engine so that no global configuration is needed.

``make_tables(engine)`` builds a fresh set of table classes bound to ``engine``; two stores
on two databases never share a binding. The columns mirror the DDL in ``_schema``; a test
checks the two agree.
"""

from __future__ import annotations

from typing import Any

import attrs
from piccolo.columns import BigInt, BigSerial, Boolean, DoublePrecision, Integer, Text
from piccolo.table import Table


@attrs.frozen(kw_only=True)
class Tables:
    """The table classes bound to one engine."""

    suites: Any
    agents: Any
    suite_runs: Any
    tests: Any
    runs: Any
    checks: Any
    events: Any
    artifacts: Any
    artifact_blobs: Any
    baselines: Any

    def all(self) -> tuple[Any, ...]:
        """Every table, parents before children."""
        return tuple(getattr(self, f.name) for f in attrs.fields(Tables))


def _content_tables(engine: Any) -> dict[str, Any]:
    class Checks(Table, tablename="checks", db=engine):
        id = BigSerial(primary_key=True)
        tenant_id = Text()
        run_id = Text()
        position = Integer()
        name = Text()
        status = Text()
        score = DoublePrecision(null=True)
        message = Text()
        critical = Boolean()
        weight = DoublePrecision()
        details = Text()

    class Events(Table, tablename="events", db=engine):
        id = BigSerial(primary_key=True)
        tenant_id = Text()
        run_id = Text()
        position = Integer()
        sequence = BigInt()
        event_type = Text()
        timestamp = Text()
        task_id = Text()
        version = Text()
        payload = Text()

    class Artifacts(Table, tablename="artifacts", db=engine):
        id = BigSerial(primary_key=True)
        tenant_id = Text()
        run_id = Text()
        position = Integer()
        kind = Text()
        path = Text()
        content_type = Text(null=True)
        size_bytes = BigInt(null=True)
        content_hash = Text(null=True)
        meta = Text()
        stored = Text()
        content_size = BigInt(null=True)
        content = Text(null=True)

    class ArtifactBlobs(Table, tablename="artifact_blobs", db=engine):
        id = BigSerial(primary_key=True)
        tenant_id = Text()
        run_id = Text()
        position = Integer()
        content = Text()

    return {"checks": Checks, "events": Events, "artifacts": Artifacts,
            "artifact_blobs": ArtifactBlobs}


def _run_tables(engine: Any) -> dict[str, Any]:
    class Tests(Table, tablename="tests", db=engine):
        id = Text(primary_key=True)
        tenant_id = Text()
        suite_run_id = Text()
        position = Integer()
        test_id = Text()
        name = Text()
        tags = Text()
        verdict = Text()
        reason = Text()
        pass_policy = Text()
        n = Integer()
        passed = Integer()
        errors = Integer()
        pass_rate = DoublePrecision()
        mean_score = DoublePrecision()
        std_score = DoublePrecision()
        flaky = Boolean()
        stats = Text()

    class Runs(Table, tablename="runs", db=engine):
        id = Text(primary_key=True)
        tenant_id = Text()
        suite_run_id = Text()
        test_id = Text()
        run_number = Integer()
        agent = Text()
        status = Text()
        verdict = Text()
        score = DoublePrecision()
        components = Text()
        started_at = Text()
        duration_seconds = DoublePrecision()
        total_tokens = BigInt(null=True)
        cost_usd = DoublePrecision(null=True)
        metrics = Text()
        error = Text(null=True)
        error_kind = Text(null=True)
        protocol_warnings = Text()
        trace_id = Text(null=True)
        adapter = Text(null=True)
        workspace = Text(null=True)
        version = Integer()
        check_count = Integer()
        event_count = Integer()
        artifact_count = Integer()

    return {"tests": Tests, "runs": Runs}


def _header_tables(engine: Any) -> dict[str, Any]:
    class Suites(Table, tablename="suites", db=engine):
        id = Text(primary_key=True)
        tenant_id = Text()
        name = Text()
        version = Text()
        content_hash = Text(null=True)

    class Agents(Table, tablename="agents", db=engine):
        id = Text(primary_key=True)
        tenant_id = Text()
        name = Text()
        adapter_type = Text()
        config = Text()

    class SuiteRuns(Table, tablename="suite_runs", db=engine):
        id = Text(primary_key=True)
        tenant_id = Text()
        suite_id = Text(null=True)
        agent_id = Text(null=True)
        suite = Text()
        suite_version = Text()
        agent = Text()
        status = Text()
        started_at = Text()
        started_ts = DoublePrecision()
        finished_at = Text(null=True)
        total_runs = Integer()
        runs_done = Integer()
        test_ids = Text()
        tests_total = Integer()
        tests_passed = Integer()
        tests_failed = Integer()
        tests_error = Integer()
        created_by = Text(null=True)
        host = Text(null=True)
        atp_version = Text()
        git_commit = Text(null=True)
        result_version = Integer()

    class Baselines(Table, tablename="baselines", db=engine):
        id = Text(primary_key=True)
        tenant_id = Text()
        name = Text()
        suite = Text()
        agent = Text()
        created_at = Text()
        suite_run_id = Text()
        snapshot = Text()

    return {"suites": Suites, "agents": Agents, "suite_runs": SuiteRuns,
            "baselines": Baselines}


def make_tables(engine: Any) -> Tables:
    """Build the store's tables bound to ``engine``."""
    return Tables(**_header_tables(engine), **_run_tables(engine), **_content_tables(engine))


def insert_columns(table: Any) -> tuple[str, ...]:
    """The columns a writer supplies (every column but a generated serial key)."""
    return tuple(
        c._meta.db_column_name
        for c in table._meta.columns
        if not isinstance(c, BigSerial)
    )

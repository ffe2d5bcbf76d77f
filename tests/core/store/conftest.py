"""Store fixtures: a database URL per engine (SQLite file, PostgreSQL scratch database)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import anyio
import pytest

from atp_core.protocol import (
    CheckResult,
    ComponentRef,
    Event,
    FileArtifact,
    Metrics,
    ReferenceArtifact,
    RunRecord,
    ScoreComponents,
    StructuredArtifact,
    SuiteRunResult,
    TestResult,
    TestStats,
)

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


async def _pg(sql: str, database: str = "test") -> None:
    import asyncpg

    conn = await asyncpg.connect(**PG, database=database, timeout=3)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A scratch PostgreSQL database for this test session, dropped at the end."""
    name = f"atp_test_{uuid.uuid4().hex[:12]}"
    try:
        anyio.run(_pg, f"CREATE DATABASE {name}")
    except (OSError, TimeoutError) as exc:
        if os.environ.get("ATP_REQUIRE_SERVICES"):
            pytest.fail(f"PostgreSQL on 127.0.0.1:5432 is unreachable and CI requires it: {exc}")
        pytest.skip(f"PostgreSQL on 127.0.0.1:5432 is unreachable: {exc}")
    yield name
    anyio.run(_pg, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'atp.db'}"
    name = request.getfixturevalue("pg_database")
    anyio.run(_pg, "DROP SCHEMA public CASCADE; CREATE SCHEMA public", name)
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def build_record(
    test_id: str = "t1",
    run_number: int = 1,
    *,
    score: float = 0.75,
    verdict: str = "passed",
    events: int = 3,
    content: str = "hello",
) -> RunRecord:
    """A run record using every field the store keeps."""
    return RunRecord(
        test_id=test_id, run_number=run_number, agent="echo", status="completed",
        verdict=verdict,  # type: ignore[arg-type]
        score=score, started_at=f"2024-05-01T10:00:{run_number:02d}+00:00",
        duration_seconds=1.25 + run_number,
        components=ScoreComponents(quality=0.5, completeness=1.0, efficiency=None, cost=0.25),
        checks=(
            CheckResult(name="contains", status="passed", score=1.0, message="found",
                        critical=True, weight=2.0, details={"matches": [1, 2]}),
            CheckResult(name="llm_eval", status="skipped", message="not available"),
        ),
        error=None, error_kind=None,
        metrics=Metrics(total_tokens=120, input_tokens=100, output_tokens=20, cost_usd=0.003),
        events=tuple(
            Event(task_id=f"{test_id}-{run_number}", event_type="tool_call",
                  timestamp=f"2024-05-01T10:00:0{i}Z", sequence=i,
                  payload={"tool": "write_file", "input": {"i": i}})
            for i in range(events)
        ),
        artifacts=(
            FileArtifact(path="out.txt", content_type="text/plain", size_bytes=len(content),
                         content=content),
            StructuredArtifact(name="summary", data={"ok": True, "n": 3}),
            ReferenceArtifact(path="https://example.org/x", size_bytes=10),
        ),
        protocol_warnings=("unknown field $.extra ignored",),
        trace_id="trace-1",
        adapter=ComponentRef(name="echo", type="http",
                             config={"endpoint": "http://127.0.0.1:1", "api_key": "sk-secret"}),
        workspace="/tmp/ws",
    )


def build_stats(scores: list[float], passed: int) -> TestStats:
    """Plausible statistics for a test (the store keeps them as given)."""
    n = len(scores)
    mean = sum(scores) / n
    return TestStats(
        n=n, passed=passed, pass_rate=passed / n, pass_rate_ci=(0.1, 0.9), k=n,
        pass_at_k=1.0, pass_hat_k=0.5, mean_score=mean, std_score=0.1,
        score_ci=(mean - 0.1, mean + 0.1), min_score=min(scores), max_score=max(scores),
        mean_duration=2.0, mean_tokens=120.0, total_cost=0.01, flaky=0 < passed < n,
    )


def build_result(
    suite_run_id: str, runs: dict[str, list[RunRecord]], *, status: str = "completed"
) -> SuiteRunResult:
    """A suite run result over the given runs per test."""
    tests = []
    for test_id, records in runs.items():
        passed = sum(r.verdict == "passed" for r in records)
        verdict = "passed" if passed == len(records) else "failed"
        tests.append(TestResult(
            test_id=test_id, name=f"Test {test_id}", verdict=verdict,  # type: ignore[arg-type]
            reason=f"{passed}/{len(records)} runs passed",
            stats=build_stats([r.score for r in records], passed), runs=tuple(records),
            tags=("smoke",),
        ))
    return SuiteRunResult(
        id=suite_run_id, suite="demo", agent="echo", started_at="2024-05-01T10:00:00+00:00",
        finished_at="2024-05-01T10:05:00+00:00", status=status,  # type: ignore[arg-type]
        tests=tuple(tests), atp_version="0.1.0",
    )


@pytest.fixture
def make_record() -> Callable[..., RunRecord]:
    """Build a run record."""
    return build_record


@pytest.fixture
def make_result() -> Callable[..., SuiteRunResult]:
    """Build a suite run result."""
    return build_result


def masked(record: RunRecord) -> RunRecord:
    """What the store gives back for ``record``: the same, with secrets masked."""
    import attrs

    from atp_core.store import mask_secrets

    if record.adapter is None:
        return record
    ref = attrs.evolve(record.adapter, config=mask_secrets(record.adapter.config))
    return attrs.evolve(record, adapter=ref)


@pytest.fixture
def as_stored() -> Callable[[RunRecord], RunRecord]:
    """Turn a record into what the store returns for it."""
    return masked



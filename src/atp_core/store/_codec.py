"""Run records to table rows and back, exactly (apart from masked secrets)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import attrs

from atp_core.protocol import (
    Artifact,
    CheckResult,
    ComponentRef,
    Event,
    Metrics,
    RunRecord,
    ScoreComponents,
    TestResult,
    TestStats,
    structure,
    unstructure,
)
from atp_core.store._secrets import mask_secrets
from atp_core.store._types import ArtifactMeta, TestRow

Row = dict[str, Any]


def dumps(value: Any) -> str:
    """Compact JSON text of ``value``."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


def stable_id(*parts: object) -> str:
    """A deterministic identifier from ``parts`` (so a re-sent row is recognised)."""
    return hashlib.sha256(dumps(list(parts)).encode()).hexdigest()[:32]


def run_id(tenant: str, suite_run_id: str, test_id: str, run_number: int) -> str:
    """The identifier of one run of one test in one suite run."""
    return stable_id(tenant, suite_run_id, test_id, run_number)


@attrs.frozen(kw_only=True)
class RunRows:
    """The rows one run record becomes."""

    run: Row
    checks: list[Row]
    events: list[Row]
    artifacts: list[Row]
    blobs: list[Row]


def _adapter(ref: ComponentRef | None) -> str | None:
    if ref is None:
        return None
    data = unstructure(ref)
    data["config"] = mask_secrets(data["config"])
    return dumps(data)


def _check_row(tenant: str, rid: str, i: int, check: CheckResult) -> Row:
    return {
        "tenant_id": tenant, "run_id": rid, "position": i, "name": check.name,
        "status": check.status, "score": check.score, "message": check.message,
        "critical": check.critical, "weight": float(check.weight),
        "details": dumps(check.details),
    }


def _event_row(tenant: str, rid: str, i: int, event: Event) -> Row:
    return {
        "tenant_id": tenant, "run_id": rid, "position": i, "sequence": event.sequence,
        "event_type": event.event_type, "timestamp": event.timestamp,
        "task_id": event.task_id, "version": event.version, "payload": dumps(event.payload),
    }


def _artifact_rows(
    tenant: str, rid: str, i: int, artifact: Artifact, inline_limit: int
) -> tuple[Row, Row | None]:
    data = unstructure(artifact)
    content: str | None
    if data["type"] == "structured":
        content, path = dumps(data.pop("data")), data["name"]
    else:
        content, path = data.pop("content", None), data["path"]
    size = None if content is None else len(content.encode())
    stored = "none" if size is None else "inline" if size <= inline_limit else "blob"
    row = {
        "tenant_id": tenant, "run_id": rid, "position": i, "kind": data["type"],
        "path": path, "content_type": data.get("content_type"),
        "size_bytes": data.get("size_bytes"), "content_hash": data.get("content_hash"),
        "meta": dumps(data), "stored": stored, "content_size": size,
        "content": content if stored == "inline" else None,
    }
    blob = None
    if stored == "blob":
        blob = {"tenant_id": tenant, "run_id": rid, "position": i, "content": content}
    return row, blob


def run_rows(tenant: str, suite_run_id: str, record: RunRecord, inline_limit: int) -> RunRows:
    """The rows of one run record; artifact content over ``inline_limit`` bytes goes apart."""
    rid = run_id(tenant, suite_run_id, record.test_id, record.run_number)
    run = {
        "id": rid, "tenant_id": tenant, "suite_run_id": suite_run_id,
        "test_id": record.test_id, "run_number": record.run_number, "agent": record.agent,
        "status": record.status, "verdict": record.verdict, "score": float(record.score),
        "components": dumps(unstructure(record.components)), "started_at": record.started_at,
        "duration_seconds": float(record.duration_seconds),
        "total_tokens": record.metrics.total_tokens,
        "cost_usd": None if record.metrics.cost_usd is None else float(record.metrics.cost_usd),
        "metrics": dumps(unstructure(record.metrics)), "error": record.error,
        "error_kind": record.error_kind,
        "protocol_warnings": dumps(list(record.protocol_warnings)),
        "trace_id": record.trace_id, "adapter": _adapter(record.adapter),
        "workspace": record.workspace, "version": record.version,
        "check_count": len(record.checks), "event_count": len(record.events),
        "artifact_count": len(record.artifacts),
    }
    pairs = [
        _artifact_rows(tenant, rid, i, a, inline_limit) for i, a in enumerate(record.artifacts)
    ]
    return RunRows(
        run=run,
        checks=[_check_row(tenant, rid, i, c) for i, c in enumerate(record.checks)],
        events=[_event_row(tenant, rid, i, e) for i, e in enumerate(record.events)],
        artifacts=[a for a, _ in pairs],
        blobs=[b for _, b in pairs if b is not None],
    )


def encode_test(tenant: str, suite_run_id: str, position: int, result: TestResult) -> Row:
    """The row of one finished test."""
    s = result.stats
    return {
        "id": stable_id(tenant, suite_run_id, result.test_id), "tenant_id": tenant,
        "suite_run_id": suite_run_id, "position": position, "test_id": result.test_id,
        "name": result.name, "tags": dumps(list(result.tags)), "verdict": result.verdict,
        "reason": result.reason, "pass_policy": result.pass_policy, "n": s.n,
        "passed": s.passed, "errors": s.errors, "pass_rate": float(s.pass_rate),
        "mean_score": float(s.mean_score), "std_score": float(s.std_score),
        "flaky": s.flaky, "stats": dumps(unstructure(s)),
    }


def check_from_row(row: Row) -> CheckResult:
    """Rebuild a check."""
    return CheckResult(
        name=row["name"], status=row["status"], score=row["score"], message=row["message"],
        critical=bool(row["critical"]), weight=row["weight"], details=json.loads(row["details"]),
    )


def event_from_row(row: Row) -> Event:
    """Rebuild an event."""
    return Event(
        task_id=row["task_id"], event_type=row["event_type"], timestamp=row["timestamp"],
        sequence=row["sequence"], payload=json.loads(row["payload"]), version=row["version"],
    )


def artifact_from_row(row: Row, content: str | None) -> Artifact:
    """Rebuild an artifact from its row and its content (inline or from the blob table)."""
    data = json.loads(row["meta"])
    if row["kind"] == "structured":
        data["data"] = json.loads(content) if content is not None else {}
    elif row["kind"] == "file":
        data["content"] = content
    return structure(data, Artifact)  # type: ignore[arg-type]


def artifact_meta(row: Row) -> ArtifactMeta:
    """The metadata of an artifact row."""
    return ArtifactMeta(
        position=row["position"], kind=row["kind"], path=row["path"],
        content_type=row["content_type"], size_bytes=row["size_bytes"],
        content_hash=row["content_hash"], stored=row["stored"],
        content_size=row["content_size"],
    )


def record_from_rows(
    run: Row,
    checks: list[Row],
    events: tuple[Event, ...] = (),
    artifacts: tuple[Artifact, ...] = (),
) -> RunRecord:
    """Rebuild a run record from its row, its check rows, events and artifacts."""
    adapter = run["adapter"]
    return RunRecord(
        test_id=run["test_id"], run_number=run["run_number"], agent=run["agent"],
        status=run["status"], verdict=run["verdict"], score=run["score"],
        started_at=run["started_at"], duration_seconds=run["duration_seconds"],
        version=run["version"],
        components=structure(json.loads(run["components"]), ScoreComponents),
        checks=tuple(check_from_row(c) for c in checks), error=run["error"],
        error_kind=run["error_kind"], metrics=structure(json.loads(run["metrics"]), Metrics),
        events=events, artifacts=artifacts,
        protocol_warnings=tuple(json.loads(run["protocol_warnings"])),
        trace_id=run["trace_id"],
        adapter=None if adapter is None else structure(json.loads(adapter), ComponentRef),
        workspace=run["workspace"],
    )


def decode_test(row: Row) -> TestRow:
    """Rebuild a test's verdict and statistics."""
    return TestRow(
        test_id=row["test_id"], name=row["name"], verdict=row["verdict"],
        reason=row["reason"], stats=structure(json.loads(row["stats"]), TestStats),
        tags=tuple(json.loads(row["tags"])), pass_policy=row["pass_policy"],
    )

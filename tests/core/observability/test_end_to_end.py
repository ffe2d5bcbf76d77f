"""Logs, traces and metrics on together for one real suite run: IDs everywhere, secrets nowhere."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import structlog

from atp_core.observability import (
    AtpMetrics,
    MetricsSink,
    Redactor,
    TracingSink,
    configure_logging,
    render_latest,
    setup_tracing,
)
from atp_core.protocol import Request
from atp_core.testing import Reply

from .conftest import SECRET, OtlpReceiver, known_script, run_known

pytestmark = pytest.mark.anyio


async def test_all_three_on_carry_ids_and_leak_no_secret(
    tmp_path: Path, otlp: OtlpReceiver
) -> None:
    """Adapter log lines carry suite/test/run IDs; the secret is in no line, span or metric."""
    out = io.StringIO()
    configure_logging(fmt="json", stream=out, secrets=[SECRET])
    log = structlog.get_logger("atp_core.adapters.scripted")

    def script(request: Request) -> Reply:
        log.info("calling agent", headers={"Authorization": f"Bearer {SECRET}"}, note=SECRET)
        return known_script(request)

    provider = setup_tracing(
        {
            "OTEL_TRACES_EXPORTER": "otlp",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": f"{otlp.endpoint}/v1/traces",
        }
    )
    assert provider is not None
    metrics = AtpMetrics()
    redactor = Redactor([SECRET])
    try:
        result, _ = await run_known(
            tmp_path,
            [TracingSink(provider, redactor=redactor), MetricsSink(metrics)],
            script=script,
        )
    finally:
        provider.shutdown()
        configure_logging(level="WARNING", fmt="json", stream=io.StringIO())
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    calls = [line for line in lines if line["event"] == "calling agent"]
    assert len(calls) == 3
    assert {(c["suite_run_id"], c["test_id"]) for c in calls} == {
        (result.id, "chat"),
        (result.id, "broken"),
    }
    assert len({c["run_id"] for c in calls}) == 3
    exported = [str(s) for s in otlp.spans]
    assert len(exported) == 19
    scanned = [out.getvalue(), *exported, render_latest(metrics).decode()]
    assert all(SECRET not in text for text in scanned)

"""Rows: the few fields of a finished test that its spans need, as plain tuples.

``TracingSink`` turns each finished test into one ``TestRow`` and nothing more: plain
tuples of strings and numbers cost about a microsecond per run to build and to marshal for
the span export process, where attributes, redaction, span objects and OTLP encoding
happen. ``_spans`` unpacks them in the order given here.
"""

from __future__ import annotations

from typing import Any

from atp_core.protocol import Event, RunRecord, TestResult

# name, status, score, critical, message, details["kind"], details["duration_ms"]
CheckRow = tuple[str, str, float | None, bool, str, Any, Any]
# timestamp, sequence, payload: model, provider, input_tokens, output_tokens, duration_ms
LlmRow = tuple[str, int, Any, Any, Any, Any, Any]
RunRow = tuple[
    str,  # test_id
    int,  # run_number
    str,  # agent
    str,  # status
    str,  # verdict
    float,  # score
    str,  # started_at
    float,  # duration_seconds
    str | None,  # error
    str | None,  # error_kind
    str | None,  # trace_id (the agent's own)
    str | None,  # adapter type
    str,  # adapter name (the agent's name without an adapter reference)
    int | None,  # input_tokens
    int | None,  # output_tokens
    int | None,  # total_tokens
    float | None,  # cost_usd
    tuple[CheckRow, ...],
    tuple[LlmRow, ...],
]
# test_id, name, verdict, reason, runs, passed, pass_rate, run rows
TestRow = tuple[str, str, str, str, int, int, float, tuple[RunRow, ...]]


def _llm_row(event: Event) -> LlmRow:
    payload = event.payload
    return (
        event.timestamp,
        event.sequence,
        payload.get("model"),
        payload.get("provider"),
        payload.get("input_tokens"),
        payload.get("output_tokens"),
        payload.get("duration_ms"),
    )


def run_row(record: RunRecord) -> RunRow:
    """The fields of a run that its spans show."""
    metrics, ref, events = record.metrics, record.adapter, record.events
    return (
        record.test_id,
        record.run_number,
        record.agent,
        record.status,
        record.verdict,
        record.score,
        record.started_at,
        record.duration_seconds,
        record.error,
        record.error_kind,
        record.trace_id,
        ref.type if ref else None,
        ref.name if ref else record.agent,
        metrics.input_tokens,
        metrics.output_tokens,
        metrics.total_tokens,
        metrics.cost_usd,
        # One CheckRow per check, built inline: this runs for every check of every run.
        tuple(
            [
                (
                    c.name,
                    c.status,
                    c.score,
                    c.critical,
                    c.message,
                    d.get("kind"),
                    d.get("duration_ms"),
                )
                for c in record.checks
                for d in (c.details,)
            ]
        ),
        tuple([_llm_row(e) for e in events if e.event_type == "llm_request"]) if events else (),
    )


def test_row(result: TestResult) -> TestRow:
    """The fields of a finished test and of its runs that their spans show."""
    stats = result.stats
    return (
        result.test_id,
        result.name,
        result.verdict,
        result.reason,
        stats.n,
        stats.passed,
        stats.pass_rate,
        tuple([run_row(r) for r in result.runs]),
    )

"""What goes on a span: times in nanoseconds and attributes, from runner records.

Pure functions of the records, so the span layout is the same however the spans are
exported. GenAI attributes follow the OpenTelemetry semantic conventions for generative AI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from atp_core.observability._redact import Redactor
from atp_core.protocol import CheckResult, Event, RunRecord, TestResult

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MESSAGE_LIMIT = 1_000

AttributeValue = str | bool | int | float
Attributes = dict[str, AttributeValue]


def to_ns(timestamp: str) -> int | None:
    """Nanoseconds since the epoch of an ISO 8601 time (UTC when it has no zone)."""
    try:
        moment = dt.datetime.fromisoformat(timestamp)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return (moment - _EPOCH) // dt.timedelta(microseconds=1) * 1_000


def seconds_ns(seconds: float) -> int:
    """A non-negative duration in seconds as whole nanoseconds."""
    return max(0, round(seconds * 1e9))


@attrs.frozen(kw_only=True)
class Window:
    """A start and end time in nanoseconds since the epoch."""

    start: int
    end: int


def run_window(record: RunRecord, fallback: int) -> Window:
    """When the agent call of a run took place (from ``started_at`` and its duration)."""
    start = to_ns(record.started_at)
    start = fallback if start is None else start
    return Window(start=start, end=start + seconds_ns(record.duration_seconds))


def test_window(result: TestResult, fallback: int) -> Window:
    """From the first run's start to the last run's end."""
    windows = [run_window(r, fallback) for r in result.runs]
    if not windows:
        return Window(start=fallback, end=fallback)
    return Window(start=min(w.start for w in windows), end=max(w.end for w in windows))


def check_windows(
    checks: tuple[CheckResult, ...], after: int
) -> Iterator[tuple[CheckResult, Window]]:
    """Checks laid end to end after the agent call, each as long as its ``duration_ms``.

    A check with no recorded duration gets a zero-length span at its place in the order.
    """
    at = after
    for check in checks:
        duration = amount(check.details.get("duration_ms"))
        length = 0 if duration is None else seconds_ns(duration / 1000)
        yield check, Window(start=at, end=at + length)
        at += length


def llm_window(event: Event, fallback: Window) -> Window:
    """An LLM call ends at its event's timestamp and lasts its ``duration_ms``."""
    end = to_ns(event.timestamp)
    if end is None:
        end = fallback.end
    duration = amount(event.payload.get("duration_ms"))
    length = 0 if duration is None else seconds_ns(duration / 1000)
    return Window(start=end - length, end=end)


def amount(value: object) -> float | None:
    """``value`` if it is a non-negative number (not a bool), else ``None``."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return None


class AttributeMaker:
    """Builds redacted span attributes; ``None`` values are left out."""

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor

    def __call__(self, values: Mapping[str, Any]) -> Attributes:
        """Keep the values a span can carry, with strings redacted and messages shortened."""
        out: Attributes = {}
        for key, value in values.items():
            if isinstance(value, str):
                out[key] = self.redactor.text(value[:_MESSAGE_LIMIT])
            elif isinstance(value, bool | int | float):
                out[key] = value
        return out

    def run(self, suite_run_id: str, record: RunRecord) -> Attributes:
        """Attributes of a run span."""
        metrics = record.metrics
        return self(
            {
                "atp.suite_run.id": suite_run_id,
                "atp.test.id": record.test_id,
                "atp.run.number": record.run_number,
                "atp.run.status": record.status,
                "atp.run.verdict": record.verdict,
                "atp.run.score": record.score,
                "atp.run.duration_seconds": record.duration_seconds,
                "atp.run.error_kind": record.error_kind,
                "atp.agent.name": record.agent,
                "atp.agent.trace_id": record.trace_id,
                "gen_ai.usage.input_tokens": metrics.input_tokens,
                "gen_ai.usage.output_tokens": metrics.output_tokens,
                "atp.usage.total_tokens": metrics.total_tokens,
                "atp.usage.cost_usd": metrics.cost_usd,
            }
        )

    def adapter(self, record: RunRecord) -> Attributes:
        """Attributes of the agent-call span."""
        ref = record.adapter
        return self(
            {
                "atp.adapter.type": ref.type if ref else None,
                "atp.adapter.name": ref.name if ref else record.agent,
                "atp.agent.status": record.status,
                "atp.agent.trace_id": record.trace_id,
                "error.type": record.error_kind,
            }
        )

    def check(self, check: CheckResult) -> Attributes:
        """Attributes of one check span."""
        return self(
            {
                "atp.check.name": check.name,
                "atp.check.kind": check.details.get("kind"),
                "atp.check.status": check.status,
                "atp.check.score": check.score,
                "atp.check.critical": check.critical,
                "atp.check.message": check.message,
            }
        )

    def llm(self, event: Event) -> Attributes:
        """OpenTelemetry GenAI attributes of one ``llm_request`` event."""
        payload = event.payload
        provider = payload.get("provider")
        return self(
            {
                "gen_ai.operation.name": "chat",
                "gen_ai.request.model": payload.get("model"),
                "gen_ai.system": provider,
                "gen_ai.provider.name": provider,
                "gen_ai.usage.input_tokens": _count(payload.get("input_tokens")),
                "gen_ai.usage.output_tokens": _count(payload.get("output_tokens")),
                "atp.event.sequence": event.sequence,
            }
        )


def _count(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None

"""What goes on a span: the span tree of a finished test, planned from its rows.

Pure functions of the rows (``_rows``), so the layout is the same whether the spans are
started through an SDK tracer in this process or built by the span export process. Times
are nanoseconds since the epoch; GenAI attributes follow the OpenTelemetry semantic
conventions for generative AI.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from atp_core.observability._context import SpanIds, run_span_ids, suite_span_ids
from atp_core.observability._redact import Redactor
from atp_core.observability._rows import CheckRow, LlmRow, RunRow, TestRow

if TYPE_CHECKING:
    from atp_core.observability._otlp import SpanEncoder

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_HUGE = 1 << 1000  # an int beyond any float: float() of it would raise
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
    """A non-negative duration in seconds as whole nanoseconds (0 if not finite)."""
    return max(0, round(seconds * 1e9)) if math.isfinite(seconds) else 0


def amount(value: object) -> float | None:
    """``value`` if it is a finite non-negative number (not a bool), else ``None``."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        number = float(value) if value < _HUGE else math.inf
        return number if number < math.inf else None
    return None


def _count(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _length(duration_ms: object) -> int:
    duration = amount(duration_ms)
    return 0 if duration is None else seconds_ns(duration / 1000)


@attrs.define(kw_only=True)
class SpanPlan:
    """One span to record, with its children.

    ``ids`` is set for spans whose IDs were planned (the suite span and the run spans,
    named in the ``traceparent`` sent to agents); the others get fresh IDs when recorded.
    ``attributes`` are already encoded (bytes) when planned for a ``SpanEncoder``.
    """

    name: str
    start: int
    end: int
    attributes: Attributes | bytes
    client: bool = False
    error: str | None = None
    ids: SpanIds | None = None
    children: list[SpanPlan] = attrs.Factory(list)


class Planner:
    """Plans the spans of a suite run, with strings redacted and messages shortened.

    With ``encoder`` (the span export process), span attributes are planned already
    encoded by it: one pass over the values instead of a dict of them and a second pass.
    """

    def __init__(self, redactor: Redactor, encoder: SpanEncoder | None = None) -> None:
        self.redactor = redactor
        self._encoder = encoder

    def _span_attributes(
        self, values: Mapping[str, Any], *, repeating: bool = False
    ) -> Attributes | bytes:
        # ``repeating``: the same values come back run after run (a check's, the agent
        # call's), so the encoder may keep their encoding whole.
        if self._encoder is None:
            return self.attributes(values)
        if repeating:
            return self._encoder.repeating_attributes(values, self.message)
        return self._encoder.attributes(values, self.message)

    def _value(self, value: object) -> AttributeValue | None:
        """``value`` as an attribute keeps it: redacted and shortened, or left out."""
        if isinstance(value, str):
            return self.message(value)
        return value if isinstance(value, bool | int | float) else None

    def attributes(self, values: Mapping[str, Any]) -> Attributes:
        """Keep the values a span can carry; ``None`` and other types are left out."""
        out: Attributes = {}
        for key, value in values.items():
            if isinstance(value, str):
                out[key] = self.redactor.text(value[:_MESSAGE_LIMIT])
            elif isinstance(value, bool | int | float):
                out[key] = value
        return out

    def message(self, text: str) -> str:
        """A status message: shortened and redacted."""
        return self.redactor.text(text[:_MESSAGE_LIMIT])

    def suite(self, suite_run_id: str, values: Mapping[str, Any], start: int, end: int) -> SpanPlan:
        """The root span of a suite run (its attributes as given, redacted)."""
        return SpanPlan(
            name="suite_run",
            start=start,
            end=end,
            attributes=self._span_attributes(values),
            ids=suite_span_ids(suite_run_id),
        )

    def test(self, suite_run_id: str, row: TestRow, now: int) -> SpanPlan:
        """The span of a finished test, with its runs below it."""
        test_id, name, verdict, reason, n, passed, pass_rate, runs = row
        values = {
            "atp.test.id": test_id,
            "atp.test.name": name,
            "atp.test.verdict": verdict,
            "atp.test.reason": reason,
            "atp.test.runs": n,
            "atp.test.passed": passed,
            "atp.test.pass_rate": pass_rate,
        }
        children = [self.run(suite_run_id, run, now) for run in runs]
        return SpanPlan(
            name="test",
            start=min([c.start for c in children] or [now]),
            end=max([c.end for c in children] or [now]),
            attributes=self._span_attributes(values),
            error=self.message(reason) if verdict == "error" else None,
            children=children,
        )

    def run(self, suite_run_id: str, row: RunRow, now: int) -> SpanPlan:
        """The span of one run: the agent call, each check, each LLM call below it."""
        test_id, number, agent, status, verdict, score, started_at, duration = row[:8]
        error, error_kind, trace_id, adapter_type, adapter_name = row[8:13]
        tokens_in, tokens_out, tokens, cost, checks, llm_calls = row[13:]
        start = to_ns(started_at)
        start = now if start is None else start
        end = start + seconds_ns(duration)
        call = SpanPlan(
            name="agent_call",
            start=start,
            end=end,
            client=True,
            attributes=self._span_attributes(
                repeating=True,
                values={
                    "atp.adapter.type": adapter_type,
                    "atp.adapter.name": adapter_name,
                    "atp.agent.status": status,
                    "atp.agent.trace_id": trace_id,
                    "error.type": error_kind,
                }
            ),
            error=None if error_kind is None else self.message(error or error_kind),
        )
        children = [call, *self._checks(checks, end), *(self._llm(c, end) for c in llm_calls)]
        values = {
            "atp.suite_run.id": suite_run_id,
            "atp.test.id": test_id,
            "atp.run.number": number,
            "atp.run.status": status,
            "atp.run.verdict": verdict,
            "atp.run.score": score,
            "atp.run.duration_seconds": duration,
            "atp.run.error_kind": error_kind,
            "atp.agent.name": agent,
            "atp.agent.trace_id": trace_id,
            "gen_ai.usage.input_tokens": tokens_in,
            "gen_ai.usage.output_tokens": tokens_out,
            "atp.usage.total_tokens": tokens,
            "atp.usage.cost_usd": cost,
        }
        return SpanPlan(
            name="run",
            start=start,
            end=max(c.end for c in children),
            attributes=self._span_attributes(values),
            error=self.message(error or "the run ended in error") if verdict == "error" else None,
            ids=run_span_ids(suite_run_id, test_id, number),
            children=children,
        )

    def _checks(self, checks: tuple[CheckRow, ...], after: int) -> Iterator[SpanPlan]:
        # Laid end to end after the agent call, each as long as its duration_ms (else 0).
        at = after
        for name, status, score, critical, message, kind, duration_ms in checks:
            length = _length(duration_ms)
            values = {
                "atp.check.name": name,
                "atp.check.kind": kind,
                "atp.check.status": status,
                "atp.check.score": score,
                "atp.check.critical": critical,
                "atp.check.message": message,
            }
            yield SpanPlan(
                name=f"check {self.redactor.text(name)}",
                start=at,
                end=at + length,
                attributes=self._span_attributes(values, repeating=True),
                error=self.message(message) if status == "error" else None,
            )
            at += length

    def _llm(self, row: LlmRow, fallback_end: int) -> SpanPlan:
        # An LLM call ends at its event's timestamp and lasts its duration_ms.
        timestamp, sequence, model, provider, tokens_in, tokens_out, duration_ms = row
        end = to_ns(timestamp)
        end = fallback_end if end is None else end
        values = {
            "gen_ai.operation.name": "chat",
            "gen_ai.request.model": model,
            "gen_ai.system": provider,
            "gen_ai.provider.name": provider,
            "gen_ai.usage.input_tokens": _count(tokens_in),
            "gen_ai.usage.output_tokens": _count(tokens_out),
            "atp.event.sequence": sequence,
        }
        shown = self._value(model)
        return SpanPlan(
            name=f"chat {'' if shown is None else shown}".strip(),
            start=end - _length(duration_ms),
            end=end,
            client=True,
            attributes=self._span_attributes(values),
        )

"""Correlation IDs: bound in contextvars for logs, and sent to agents as W3C trace context.

IDs bound with ``bind_ids`` appear in every log line written in that context, including
lines from child anyio tasks (a task starts with a copy of its parent's context); the
``merge_ids`` processor of ``configure_logging`` adds them.

The trace context sent to an agent names the span ATP records for that run. Span and
trace IDs of a suite run are derived from its id (``run_span_ids``), so the adapter that
calls the agent and the ``TracingSink`` that records the spans later agree on them
without sharing any state.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import secrets
import sys
from collections.abc import Iterator
from contextvars import ContextVar

import attrs
from structlog.typing import EventDict, WrappedLogger

RUN_ID_HEADER = "X-ATP-Run-Id"


@attrs.frozen(kw_only=True)
class SpanIds:
    """A trace ID (128 bits) and a span ID (64 bits), both non-zero."""

    trace_id: int
    span_id: int

    @property
    def traceparent(self) -> str:
        """The W3C ``traceparent`` value naming this span, sampled."""
        return f"00-{self.trace_id:032x}-{self.span_id:016x}-01"


# The run in progress: its span IDs (``current_run_span``) or, inside ``instrument``'s run
# scopes, the task's ``RunSlot`` holding the run's ``RunContext`` (IDs derived on demand).
_current_run: ContextVar[SpanIds | RunSlot | None] = ContextVar("atp_run_span", default=None)
# The correlation IDs of the current context, all in one variable: one set and one reset
# per run instead of one per ID with structlog's own context variables.
_log_ids: ContextVar[dict[str, str]] = ContextVar("atp_log_ids", default={})  # noqa: B039


@contextlib.contextmanager
def bind_ids(
    *,
    suite_run_id: str | None = None,
    test_id: str | None = None,
    run_id: str | None = None,
    request_id: str | None = None,
) -> Iterator[None]:
    """Bind correlation IDs to every log line written inside the block.

    Only the IDs given are bound; on exit the previous values come back.
    """
    ids = {
        "suite_run_id": suite_run_id,
        "test_id": test_id,
        "run_id": run_id,
        "request_id": request_id,
    }
    token = _log_ids.set({**_log_ids.get(), **{k: v for k, v in ids.items() if v is not None}})
    try:
        yield
    finally:
        _log_ids.reset(token)


def merge_ids(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    """A structlog processor adding the bound IDs (explicit fields win).

    Inside a run scope the run's own IDs come first, then those bound by ``bind_ids``.
    """
    slot = _current_run.get()
    run = slot.run if isinstance(slot, RunSlot) else None
    if run is not None:
        event.setdefault("suite_run_id", run.suite_run_id)
        event.setdefault("test_id", run.test_id)
        event.setdefault("run_id", run.run_id)
    for key, value in _log_ids.get().items():
        event.setdefault(key, value)
    return event


def _digest(*parts: str, size: int) -> int:
    data = "\0".join(parts).encode("utf-8", "surrogatepass")
    value = int.from_bytes(hashlib.sha256(data).digest()[:size], "big")
    return value or 1


@functools.lru_cache(maxsize=64)
def suite_span_ids(suite_run_id: str) -> SpanIds:
    """The trace of a suite run and the ID of its root span."""
    return SpanIds(
        trace_id=_digest("atp-trace", suite_run_id, size=16),
        span_id=_digest("atp-suite", suite_run_id, size=8),
    )


@functools.lru_cache(maxsize=4_096)
def run_span_ids(suite_run_id: str, test_id: str, run_number: int) -> SpanIds:
    """The trace of a suite run and the ID of the span of one of its runs."""
    return SpanIds(
        trace_id=suite_span_ids(suite_run_id).trace_id,
        span_id=_digest("atp-run", suite_run_id, test_id, str(run_number), size=8),
    )


class RunContext:
    """One run's identity, as the run scope of ``instrument`` makes it current.

    Log lines written inside the scope carry its IDs (``merge_ids``); it is the
    ``protocol.Outbound`` that adapters ask for the trace context to send. The span IDs are
    derived on first use: an in-process agent never asks, and its runs do not pay for them.
    """

    __slots__ = ("_ids", "run_id", "run_number", "suite_run_id", "test_id")

    def __init__(self, suite_run_id: str, test_id: str, run_number: int, run_id: str) -> None:
        self.suite_run_id, self.test_id = suite_run_id, test_id
        self.run_number, self.run_id = run_number, run_id
        self._ids: SpanIds | None = None

    @property
    def ids(self) -> SpanIds:
        """The run's span and its suite run's trace."""
        if self._ids is None:
            self._ids = run_span_ids(self.suite_run_id, self.test_id, self.run_number)
        return self._ids

    def headers(self) -> dict[str, str]:
        """W3C ``traceparent`` naming the run's span, and ``X-ATP-Run-Id``."""
        return _headers(self.ids, self.run_id)

    def environment(self) -> dict[str, str]:
        """``TRACEPARENT`` and ``ATP_RUN_ID`` for a stdio agent."""
        return _environment(self.ids, self.run_id)


class RunSlot:
    """The run a task is in (``run``), made current once for the task's whole life.

    ``instrument``'s run scopes put their run here and take it out again, instead of
    setting context variables per run. It is the ``protocol.Outbound`` of the task: with
    no run in it, adapters get no trace context. ``owner`` is the task it belongs to.
    """

    __slots__ = ("owner", "run")

    def __init__(self, owner: object | None) -> None:
        self.owner = owner
        self.run: RunContext | None = None

    def headers(self) -> dict[str, str]:
        """The run's ``headers()``; none between runs."""
        return {} if self.run is None else self.run.headers()

    def environment(self) -> dict[str, str]:
        """The run's ``environment()``; none between runs."""
        return {} if self.run is None else self.run.environment()


@contextlib.contextmanager
def current_run_span(ids: SpanIds) -> Iterator[None]:
    """Make ``ids`` the trace context ``traceparent_headers`` sends inside the block."""
    token = _current_run.set(ids)
    try:
        yield
    finally:
        _current_run.reset(token)


def _active_otel_span() -> SpanIds | None:
    # Looked up only when the OpenTelemetry API is already loaded: no import cost when off.
    trace = sys.modules.get("opentelemetry.trace")
    if trace is None:
        return None
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return SpanIds(trace_id=context.trace_id, span_id=context.span_id)


def _parse_trace_id(trace_id: str) -> int:
    value = int(trace_id, 16) if len(trace_id) == 32 else 0
    if not value:
        raise ValueError(f"a trace id is 32 hex digits, not all zero: {trace_id!r}")
    return value


def outbound_span(trace_id: str | None = None) -> SpanIds:
    """The span an agent call should name as its parent.

    In order: ``trace_id`` if given (with a fresh span ID); the run span set by
    ``current_run_span``; the active OpenTelemetry span; else fresh random IDs.
    """
    if trace_id is not None:
        return SpanIds(trace_id=_parse_trace_id(trace_id), span_id=_random_bits(64))
    run = _current_run.get()
    if isinstance(run, RunSlot):
        if run.run is not None:
            return run.run.ids
    elif run is not None:
        return run
    found = _active_otel_span()
    if found is not None:
        return found
    return SpanIds(trace_id=_random_bits(128), span_id=_random_bits(64))


def _random_bits(bits: int) -> int:
    return secrets.randbits(bits) or 1


def traceparent_headers(run_id: str, trace_id: str | None = None) -> dict[str, str]:
    """HTTP headers for an agent call: W3C ``traceparent`` and ``X-ATP-Run-Id``."""
    return _headers(outbound_span(trace_id), run_id)


def trace_env(run_id: str, trace_id: str | None = None) -> dict[str, str]:
    """Environment variables for a stdio agent: ``TRACEPARENT`` and ``ATP_RUN_ID``."""
    return _environment(outbound_span(trace_id), run_id)


def _headers(span: SpanIds, run_id: str) -> dict[str, str]:
    return {"traceparent": span.traceparent, RUN_ID_HEADER: run_id}


def _environment(span: SpanIds, run_id: str) -> dict[str, str]:
    return {"TRACEPARENT": span.traceparent, "ATP_RUN_ID": run_id}

"""The extension points of ATP. Each is tiny on purpose.

- ``Adapter``: talks to one agent (owns a connection or process; ``aclose``).
- ``Evaluator``: judges one run; a function of (test, run) with one async method.
- ``RunSink``: consumes runner events (store writer, progress bar, live feed, metrics).
- ``Clock``: time, injected so tests are deterministic.
"""

from __future__ import annotations

import abc
import datetime as dt
import time
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any, ClassVar, Protocol, Self, runtime_checkable

import attrs

from atp_core.protocol._results import CheckResult, RunnerEvent
from atp_core.protocol._suite import AssertionSpec, TestCase
from atp_core.protocol._wire import Event, Request, Response


class Outbound(Protocol):
    """The trace context an adapter passes on to the agent it calls.

    Set for each run by the observability layer (``OUTBOUND``); adapters that speak HTTP
    send ``headers()`` (W3C ``traceparent``, ``X-ATP-Run-Id``), adapters that start a
    process add ``environment()`` (``TRACEPARENT``, ``ATP_RUN_ID``). Both are computed only
    when asked for, so an in-process agent costs nothing.
    """

    def headers(self) -> Mapping[str, str]:
        """Extra HTTP headers for the agent call in progress."""
        ...

    def environment(self) -> Mapping[str, str]:
        """Extra environment variables for the agent process of the call in progress."""
        ...


OUTBOUND: ContextVar[Outbound | None] = ContextVar("atp_outbound", default=None)
_NOTHING: Mapping[str, str] = MappingProxyType({})


def outbound_headers() -> Mapping[str, str]:
    """The extra HTTP headers of the agent call in progress (none outside a run scope)."""
    outbound = OUTBOUND.get()
    return _NOTHING if outbound is None else outbound.headers()


def outbound_environment() -> Mapping[str, str]:
    """The extra environment of the agent call in progress (none outside a run scope)."""
    outbound = OUTBOUND.get()
    return _NOTHING if outbound is None else outbound.environment()


class EventSink(Protocol):
    """Where an adapter reports what the agent streams while it works."""

    def event(self, event: Event) -> None:
        """Record one well-formed event."""

    def warning(self, message: str) -> None:
        """Record a protocol warning (unknown field, malformed event, stray output)."""


class Adapter(abc.ABC):
    """Talks to one agent over one transport.

    ``execute`` returns the agent's response, or raises an ``AdapterError`` subclass for
    infrastructure failures. It must be cancellation safe: on cancel, stop the agent.
    """

    type_name: ClassVar[str] = ""
    config_type: ClassVar[type[Any]]
    # True when ``execute`` itself raises ``TimeoutError`` (e.g. ``AgentTimeout``) once the
    # request's ``constraints.timeout_seconds`` has passed: the runner then sets no deadline
    # of its own around the call (one cancel scope fewer per run). False is always safe.
    enforces_deadline: bool = False

    @abc.abstractmethod
    async def execute(self, request: Request, sink: EventSink) -> Response:
        """Send ``request`` to the agent and return its response."""

    async def health(self) -> None:  # noqa: B027 - optional hook, no-op by default
        """Raise ``AgentUnreachable`` if the agent is known to be down."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook, no-op by default
        """Release connections and processes."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


@attrs.frozen(kw_only=True)
class SandboxOptions:
    """How untrusted code (code_exec evaluators) is confined."""

    mode: str = "auto"  # auto | bwrap | container | none (explicit opt-in only)
    memory_mb: int = 1024
    cpu_seconds: int = 60
    max_processes: int = 64
    container_image: str = "atp-sandbox:latest"  # used by mode container only


@attrs.frozen(kw_only=True)
class EvalContext:
    """Everything an evaluator may look at for one run."""

    test: TestCase
    request: Request
    response: Response
    events: tuple[Event, ...]
    workspace: Path
    sandbox: SandboxOptions = attrs.Factory(SandboxOptions)


@runtime_checkable
class Evaluator(Protocol):
    """Judges one run against one assertion."""

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Return the check's result; raise only for a real evaluator failure."""
        ...


class EvaluatorFactory(Protocol):
    """Builds an evaluator from its validated config and the assertion that names it."""

    def __call__(self, config: Any, spec: AssertionSpec) -> Evaluator: ...


class RunSink(Protocol):
    """Consumes the runner's event stream.

    A sink may also have a ``handles`` attribute, a tuple of the event types it wants
    (``(TestFinished, SuiteFinished)``, say): it is then given only events of those types
    (subclasses included), and the runner does not call it for the others. Without one it
    gets every event. A sink whose handling never waits may also have a plain
    ``handle_now(event)`` method doing the same as ``handle``: the runner then calls that,
    saving a coroutine per event.
    """

    async def handle(self, event: RunnerEvent) -> None:
        """React to one runner event; must not raise for ordinary conditions."""


class Clock(Protocol):
    """Wall time for records, monotonic time for durations."""

    def now(self) -> dt.datetime: ...

    def monotonic(self) -> float: ...


class SystemClock:
    """The real clock."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    # The C function itself: read several times per run, it costs no Python call.
    monotonic = staticmethod(time.monotonic)


def workspace_file(ctx: EvalContext, relative: str) -> Path:
    """Resolve ``relative`` inside the run's workspace, refusing escapes."""
    root = ctx.workspace.resolve()
    target = (root / relative).resolve()
    if target != root and root not in target.parents:
        raise ValueError(f"path {relative!r} escapes the workspace")
    return target

"""``instrument``: run options whose adapter and evaluators are observed.

It plugs in through the factories of ``RunOptions`` and changes no runner code. The
agent call runs with the run's correlation IDs bound and its trace context current, so
adapters' log lines carry the IDs and ``traceparent_headers`` names the run's span;
every assertion's time goes into ``CheckResult.details["duration_ms"]``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from atp_core.observability._context import (
    RUN_ID_HEADER,
    _current_run,
    _log_ids,
    run_span_ids,
)
from atp_core.protocol import (
    OUTBOUND_HEADERS,
    Adapter,
    AgentSpec,
    AssertionSpec,
    CheckResult,
    Clock,
    Context,
    EvalContext,
    Evaluator,
    EventSink,
    Request,
    Response,
)

if TYPE_CHECKING:
    from atp_core.runner import RunOptions


def instrument(options: RunOptions) -> RunOptions:
    """``options`` with a fixed suite run id and observed adapter and evaluators."""
    suite_run_id = options.suite_run_id or options.new_id()
    return attrs.evolve(
        options,
        suite_run_id=suite_run_id,
        adapter_factory=functools.partial(_observed_adapter, options.adapter_factory, suite_run_id),
        evaluator_factory=functools.partial(
            _timed_evaluator, options.evaluator_factory, suite_run_id, options.clock
        ),
    )


class _RunScope:
    """The run's correlation IDs bound and its span current, for one agent or evaluator call.

    A plain class rather than ``bind_ids`` and ``current_run_span`` stacked: it sets the
    context variables once and resets them by token, at a fraction of the cost per run.
    """

    __slots__ = ("_bound", "_current", "ids", "test_id")

    def __init__(self, suite_run_id: str, request: Request) -> None:
        self.test_id = str(request.metadata.get("test_id", ""))
        run_number = request.metadata.get("run_number")
        number = run_number if isinstance(run_number, int) else 0
        self.ids = run_span_ids(suite_run_id, self.test_id, number)
        self._bound = _log_ids.set(
            {
                **_log_ids.get(),
                "suite_run_id": suite_run_id,
                "test_id": self.test_id,
                "run_id": request.task_id,
            }
        )
        self._current = _current_run.set(self.ids)

    def __enter__(self) -> _RunScope:
        return self

    def __exit__(self, *_exc: object) -> None:
        _current_run.reset(self._current)
        _log_ids.reset(self._bound)


class ObservedAdapter(Adapter):
    """Calls the wrapped adapter inside the run's correlation scope."""

    type_name: ClassVar[str] = "observed"
    config_type: ClassVar[type[Any]] = object

    def __init__(self, inner: Adapter, suite_run_id: str) -> None:
        self.inner = inner
        self.suite_run_id = suite_run_id
        self.enforces_deadline = inner.enforces_deadline

    async def execute(self, request: Request, sink: EventSink) -> Response:
        """Run the wrapped adapter's ``execute`` with the run's IDs bound.

        The agent gets the run's trace context: ``traceparent`` and ``X-ATP-Run-Id`` headers
        over HTTP, ``TRACEPARENT`` and ``ATP_RUN_ID`` in a stdio agent's environment.
        """
        with _RunScope(self.suite_run_id, request) as scope:
            run_id, traceparent = request.task_id, scope.ids.traceparent
            context = request.context or Context()
            environment = {
                **(context.environment or {}),
                "TRACEPARENT": traceparent,
                "ATP_RUN_ID": run_id,
            }
            request = attrs.evolve(request, context=attrs.evolve(context, environment=environment))
            token = OUTBOUND_HEADERS.set({"traceparent": traceparent, RUN_ID_HEADER: run_id})
            try:
                return await self.inner.execute(request, sink)
            finally:
                OUTBOUND_HEADERS.reset(token)

    async def health(self) -> None:
        """The wrapped adapter's health check."""
        await self.inner.health()

    async def aclose(self) -> None:
        """Close the wrapped adapter."""
        await self.inner.aclose()


def _observed_adapter(
    factory: Callable[[AgentSpec], Adapter], suite_run_id: str, spec: AgentSpec
) -> Adapter:
    return ObservedAdapter(factory(spec), suite_run_id)


class TimedEvaluator:
    """Runs the wrapped evaluator with the run's IDs bound and records its time."""

    def __init__(self, inner: Evaluator, suite_run_id: str, clock: Clock) -> None:
        self.inner = inner
        self.suite_run_id = suite_run_id
        self.clock = clock

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """The wrapped result, with ``details["duration_ms"]`` added."""
        with _RunScope(self.suite_run_id, ctx.request):
            start = self.clock.monotonic()
            result = await self.inner.evaluate(ctx)
            elapsed = max(0.0, self.clock.monotonic() - start)
        if not isinstance(result, CheckResult):
            return result
        return attrs.evolve(result, details={**result.details, "duration_ms": elapsed * 1000})


def _timed_evaluator(
    factory: Callable[[AssertionSpec], Evaluator],
    suite_run_id: str,
    clock: Clock,
    spec: AssertionSpec,
) -> Evaluator:
    return TimedEvaluator(factory(spec), suite_run_id, clock)

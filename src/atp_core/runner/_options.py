"""How a suite is run: the options of ``run_suite``."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from pathlib import Path
from typing import Protocol

import anyio
import attrs

from atp_core.protocol import (
    Adapter,
    AgentSpec,
    AssertionSpec,
    Clock,
    Evaluator,
    EventSink,
    RunRecord,
    SandboxOptions,
    SystemClock,
)


def _new_id() -> str:
    # 128 random bits as 32 hex digits, like uuid4().hex without building a UUID.
    return os.urandom(16).hex()


def _create_adapter(spec: AgentSpec) -> Adapter:
    from atp_core.adapters import create_adapter

    return create_adapter(spec)


def _build_evaluator(spec: AssertionSpec) -> Evaluator:
    from atp_core.evaluators import build_evaluator

    return build_evaluator(spec)


def _positive(_: object, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and value < 1:
        raise ValueError(f"{attribute.name} must be at least 1, got {value}")


class RunScope(Protocol):
    """Entered around each run's agent call and judging (``instrument`` binds IDs with it)."""

    def __call__(
        self, suite_run_id: str, test_id: str, run_number: int, task_id: str, /
    ) -> AbstractContextManager[object]:
        """The scope of one run."""
        ...


class RunTools(Protocol):
    """Tools served to the agent during each run (``atp_core.tools.ToolServer`` is one)."""

    def serve(self, task_id: str, sink: EventSink) -> AbstractAsyncContextManager[str]:
        """Serve one run: yield its ``tools_endpoint`` URL; report each call to ``sink``."""
        ...


@attrs.frozen(kw_only=True)
class RunOptions:
    """Options of one suite run.

    Attributes:
        runs: Runs per test, overriding the suite.
        parallel: How many runs may execute at once.
        tag_filter: Keeps a test when it returns true for the test's tags.
        test_ids: Keeps only these tests.
        fail_fast: Start no new runs once some test can no longer pass.
        keep_workspaces: Leave run workspaces on disk after evaluation.
        workspace_root: Where run workspaces go; a fresh temporary directory by default.
        sandbox: How untrusted code in evaluators is confined.
        clock: Wall and monotonic time.
        new_id: Makes unique ids (suite run id, task id suffixes).
        suite_run_id: The id of this suite run; ``new_id()`` by default.
        completed: Runs already done (resume): not run again, included in the aggregates.
        adapter_factory: Builds the adapter for the agent.
        evaluator_factory: Builds the evaluator for an assertion.
        k: The k of pass@k and pass^k; the test's number of runs by default.
        stop_event: When set, running agents are stopped, no new runs start, and the
            result is ``interrupted`` with every finished run kept.
        max_events_per_run: Events kept per run; later ones are counted in a warning.
        record_filter: Applied to each finished, evaluated run before it is published and
            aggregated, e.g. to redact secrets from what sinks and reports see.
        run_scope: Entered around each run, from the agent call to the last check, in the
            run's own task; ``observability.instrument`` binds the run's correlation IDs
            and trace context with it.
        time_checks: Record each assertion's time in its ``details["duration_ms"]``.
    """

    runs: int | None = attrs.field(default=None, validator=_positive)
    parallel: int = attrs.field(default=4, validator=attrs.validators.ge(1))
    tag_filter: Callable[[Iterable[str]], bool] | None = None
    test_ids: frozenset[str] | None = None
    fail_fast: bool = False
    keep_workspaces: bool = False
    workspace_root: Path | None = None
    sandbox: SandboxOptions = attrs.Factory(SandboxOptions)
    clock: Clock = attrs.Factory(SystemClock)
    new_id: Callable[[], str] = _new_id
    suite_run_id: str | None = None
    completed: tuple[RunRecord, ...] = attrs.field(default=(), converter=tuple)
    adapter_factory: Callable[[AgentSpec], Adapter] = _create_adapter
    evaluator_factory: Callable[[AssertionSpec], Evaluator] = _build_evaluator
    k: int | None = attrs.field(default=None, validator=_positive)
    stop_event: anyio.Event | None = None
    max_events_per_run: int = 10_000
    tools: RunTools | None = None
    record_filter: Callable[[RunRecord], RunRecord] | None = None
    run_scope: RunScope | None = None
    time_checks: bool = False

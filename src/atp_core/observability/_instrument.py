"""``instrument``: run options whose runs are observed.

It plugs in through ``RunOptions.run_scope`` and ``RunOptions.time_checks``. Each run,
from the agent call to its last check, runs with its correlation IDs bound (its log lines
carry them) and its trace context current: ``traceparent`` and ``X-ATP-Run-Id`` go to an
HTTP agent, ``TRACEPARENT`` and ``ATP_RUN_ID`` into a stdio agent's environment, and
``traceparent_headers`` names the run's span. Every assertion's time goes into
``CheckResult.details["duration_ms"]``.

One scope per run, entered by the runner, rather than wrappers around the adapter and each
evaluator; the trace context is derived only when an adapter asks for it (on 1,000
in-process runs the wrappers cost ~37 µs per run). Setting and resetting context
variables for every run cost ~9,000 instructions (each change copies the task context's
map of variables), so each task that runs scopes makes a ``RunSlot`` current once, in its
own context, and a scope only puts its run in the slot and takes it out again.
"""

from __future__ import annotations

import asyncio
from contextvars import Token
from typing import TYPE_CHECKING

import attrs

from atp_core.observability._context import RunContext, RunSlot, _current_run
from atp_core.protocol import OUTBOUND, Outbound

if TYPE_CHECKING:
    from atp_core.observability._context import SpanIds
    from atp_core.runner import RunOptions

_Tokens = tuple["Token[SpanIds | RunSlot | None]", "Token[Outbound | None]"]


def instrument(options: RunOptions) -> RunOptions:
    """``options`` with a fixed suite run id, each run in its scope, and timed checks."""
    return attrs.evolve(
        options,
        suite_run_id=options.suite_run_id or options.new_id(),
        run_scope=ObservedRun,
        time_checks=True,
    )


class ObservedRun(RunContext):
    """A run's ``RunContext`` made current for the run's agent call and checks."""

    __slots__ = ("_previous", "_slot", "_tokens")

    def __enter__(self) -> ObservedRun:
        slot = _current_run.get()
        try:
            task: object | None = asyncio.current_task()
        except RuntimeError:  # no asyncio loop running here
            task = None
        if task is None or not isinstance(slot, RunSlot) or slot.owner is not task:
            # This task's first run (or no task to own a slot): its slot, for good.
            slot = RunSlot(task)
            tokens: _Tokens = (_current_run.set(slot), OUTBOUND.set(slot))
            self._tokens = tokens if task is None else None
        else:
            self._tokens = None
        self._slot, self._previous = slot, slot.run
        slot.run = self
        return self

    def __exit__(self, *_exc: object) -> None:
        self._slot.run = self._previous
        if self._tokens is not None:  # not in a task: the variables go back as they were
            OUTBOUND.reset(self._tokens[1])
            _current_run.reset(self._tokens[0])

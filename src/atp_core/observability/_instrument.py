"""``instrument``: run options whose runs are observed.

It plugs in through ``RunOptions.run_scope`` and ``RunOptions.time_checks``. Each run,
from the agent call to its last check, runs with its correlation IDs bound (its log lines
carry them) and its trace context current: ``traceparent`` and ``X-ATP-Run-Id`` go to an
HTTP agent, ``TRACEPARENT`` and ``ATP_RUN_ID`` into a stdio agent's environment, and
``traceparent_headers`` names the run's span. Every assertion's time goes into
``CheckResult.details["duration_ms"]``.

One scope per run, entered by the runner, rather than wrappers around the adapter and each
evaluator: it sets two context variables and resets them by token, the request and the
check results are not copied, and the trace context is derived only when an adapter asks
for it (on 1,000 in-process runs the wrappers cost ~37 µs per run, this ~2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from atp_core.observability._context import RunContext, _current_run
from atp_core.protocol import OUTBOUND

if TYPE_CHECKING:
    from atp_core.runner import RunOptions


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

    __slots__ = ("_outbound", "_run")

    def __enter__(self) -> ObservedRun:
        self._run = _current_run.set(self)
        self._outbound = OUTBOUND.set(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        OUTBOUND.reset(self._outbound)
        _current_run.reset(self._run)

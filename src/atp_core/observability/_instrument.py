"""``instrument``: run options whose runs are observed.

It plugs in through ``RunOptions.run_scope`` and ``RunOptions.time_checks``. Each run,
from the agent call to its last check, runs with its correlation IDs bound (its log lines
carry them) and its trace context current: ``traceparent`` and ``X-ATP-Run-Id`` go to an
HTTP agent, ``TRACEPARENT`` and ``ATP_RUN_ID`` into a stdio agent's environment, and
``traceparent_headers`` names the run's span. Every assertion's time goes into
``CheckResult.details["duration_ms"]``.

One scope per run, entered by the runner, rather than wrappers around the adapter and each
evaluator: it sets its context variables once and resets them by token, and the request
and the check results are not copied (on 1,000 in-process runs the wrappers cost ~37 µs
per run, this ~5).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from atp_core.observability._context import RUN_ID_HEADER, _current_run, _log_ids, run_span_ids
from atp_core.protocol import OUTBOUND_ENV, OUTBOUND_HEADERS

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


class ObservedRun:
    """The run's correlation IDs bound and its trace context current, for one run."""

    __slots__ = ("_env", "_headers", "_ids", "_log", "_run")

    def __init__(self, suite_run_id: str, test_id: str, run_number: int, task_id: str) -> None:
        ids = run_span_ids(suite_run_id, test_id, run_number)
        traceparent = ids.traceparent
        self._log = _log_ids.set(
            {**_log_ids.get(), "suite_run_id": suite_run_id, "test_id": test_id, "run_id": task_id}
        )
        self._run = _current_run.set(ids)
        self._headers = OUTBOUND_HEADERS.set({"traceparent": traceparent, RUN_ID_HEADER: task_id})
        self._env = OUTBOUND_ENV.set({"TRACEPARENT": traceparent, "ATP_RUN_ID": task_id})

    def __enter__(self) -> ObservedRun:
        return self

    def __exit__(self, *_exc: object) -> None:
        OUTBOUND_ENV.reset(self._env)
        OUTBOUND_HEADERS.reset(self._headers)
        _current_run.reset(self._run)
        _log_ids.reset(self._log)

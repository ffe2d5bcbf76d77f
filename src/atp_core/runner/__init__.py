"""The runner: runs a suite against an agent, judges every run, aggregates with statistics.

``run_suite`` is the entry point; ``RunOptions`` says how; ``exit_code`` maps a result to
the process exit code; ``ProgressSink`` shows progress on a terminal;
``collector_tuned_for_runs`` is the garbage-collector setting ``atp run`` uses.
"""

from atp_core.runner._exit import (
    EXIT_ERROR,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_PASSED,
    exit_code,
)
from atp_core.runner._gc import collector_tuned_for_runs
from atp_core.runner._options import RunOptions, RunScope
from atp_core.runner._progress import ProgressSink
from atp_core.runner._scheduler import run_suite

__all__ = [
    "EXIT_ERROR",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_PASSED",
    "ProgressSink",
    "RunOptions",
    "RunScope",
    "collector_tuned_for_runs",
    "exit_code",
    "run_suite",
]

"""Fewer cyclic garbage collections while suites run, for the process that runs them.

A run allocates a few hundred container objects (records, checks, events, parsed JSON),
almost all freed by reference counting. With the interpreter's default thresholds
(700, 10, 10) the cyclic collector still ran often enough to take about a fifth of the
CPU of a run against a fast agent (docs/performance.md). Raising the first threshold
makes its passes rarer; memory is unchanged in practice, since what the collector would
find is garbage only in cycles, which runs rarely make.

It changes interpreter-wide state, so only the application calls it (``atp run``), never
``run_suite`` itself: a process that embeds the runner keeps its own settings.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

RUN_THRESHOLDS = (20_000, 20, 50)


@contextmanager
def collector_tuned_for_runs() -> Iterator[None]:
    """Raise the collector's thresholds for the block; restore the previous ones after."""
    previous = gc.get_threshold()
    gc.set_threshold(*RUN_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)

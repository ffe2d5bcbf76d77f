"""Instructions per run, counted by callgrind: a figure that the machine's noise cannot move.

Wall time on a shared machine wanders by tens of percent from one suite run to the next;
the number of instructions a process executes does not. ``per_run`` runs a benchmark's
own command under ``valgrind --tool=callgrind`` twice per mode, once with ``FEW`` and once
with ``MANY`` suite runs, and divides the difference by the runs in between: imports, the
cold first suite run and the exit cancel out. Child processes (the span export process)
run outside valgrind, so the count is the measured process's alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

FEW, MANY = 2, 4  # suite runs per process: the first is cold, the rest are counted


def available() -> bool:
    """Whether valgrind is on the PATH."""
    return shutil.which("valgrind") is not None


def summary(text: str) -> int:
    """The total of a callgrind output file (its ``summary:`` or ``totals:`` line)."""
    for line in text.splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise ValueError("no summary line in the callgrind output")


def _count(command: Sequence[str], out: Path) -> int:
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *command],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} under callgrind failed:\n{done.stderr[-2000:]}")
    return summary(out.read_text())


def per_run(
    command: Callable[[str, int], Sequence[str]], modes: Sequence[str], runs_per_suite: int
) -> dict[str, float]:
    """Instructions per warm run of each mode; ``command(mode, suites)`` runs ``suites``."""
    jobs = [(mode, n) for mode in modes for n in (FEW, MANY)]
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        counts = dict(
            zip(
                jobs,
                pool.map(lambda job: _count(command(*job), Path(tmp) / f"{job[0]}.{job[1]}"), jobs),
                strict=True,
            )
        )
    runs = (MANY - FEW) * runs_per_suite
    return {mode: (counts[mode, MANY] - counts[mode, FEW]) / runs for mode in modes}

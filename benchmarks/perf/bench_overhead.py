"""Per-run framework overhead with the in-process echo agent over a 1,000-test suite.

Overhead per run = (wall time of ``run_suite`` - time of calling the echo function
directly as many times) / runs. The suite is built in memory (one ``contains`` assertion
per test); the agent goes through the real ``python`` adapter. Measured at parallel 1 (no
overlap: the plain cost of a run) and at parallel 4 (the CLI default); the best of
``--repeat`` suite runs is reported (the machine is shared; the fastest is the least
disturbed). Suites run with the garbage-collector setting ``atp run`` uses
(``collector_tuned_for_runs``). Target (issue 2): ≤ 1 ms per run.

Usage: ``python benchmarks/perf/bench_overhead.py [--tests N] [--repeat N] [--quick]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

import anyio
from _common import ECHO, echo_path, echo_suite, table, verdict

from atp_core.protocol import Request, TaskSpec
from atp_core.runner import RunOptions, collector_tuned_for_runs, run_suite

TARGET_MS = 1.0


async def _direct(calls: int) -> float:
    """Seconds to await the echo function ``calls`` times with ready-made requests."""
    from _agents import echo

    requests = [
        Request(task_id=f"t{i}", task=TaskSpec(description=f"hello {i}")) for i in range(calls)
    ]
    start = time.perf_counter()
    for request in requests:
        await echo(request)
    return time.perf_counter() - start


async def _atp(tests: int, parallel: int) -> float:
    """Seconds for ``run_suite`` over ``tests`` one-run tests; every run must pass."""
    suite = echo_suite(tests)
    start = time.perf_counter()
    result = await run_suite(suite, ECHO, RunOptions(parallel=parallel))
    elapsed = time.perf_counter() - start
    passed = sum(t.verdict == "passed" for t in result.tests)
    if passed != tests:
        raise SystemExit(f"bench_overhead: only {passed} of {tests} tests passed")
    return elapsed


def measure(tests: int, parallel: int, repeat: int) -> tuple[float, float]:
    """Best ATP seconds and best direct seconds over ``repeat`` tries."""
    echo_path()
    with collector_tuned_for_runs():  # as ``atp run`` does
        atp = [anyio.run(_atp, tests, parallel) for _ in range(repeat)]
    direct = [anyio.run(_direct, tests) for _ in range(repeat)]
    return min(atp), min(direct)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print the table; exit status 0 even when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one repeat")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else args.repeat
    rows = []
    for parallel in (1, 4):
        atp, direct = measure(args.tests, parallel, repeat)
        per_run_ms = (atp - direct) / args.tests * 1e3
        rows.append(
            (
                f"overhead per run, parallel {parallel}",
                f"{per_run_ms:.3f} ms (ATP {atp:.3f} s, direct {direct * 1e3:.2f} ms)",
                f"<= {TARGET_MS:g} ms",
                verdict(per_run_ms <= TARGET_MS),
            )
        )
    title = f"framework overhead: {args.tests} tests x 1 run, echo agent in-process, "
    print(table(title + f"best of {repeat}", rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

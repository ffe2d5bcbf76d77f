"""Speed-up of runs against an HTTP agent that answers in 100 ms, by concurrency.

The agent (``_http_agent.py``) runs in its own process on 127.0.0.1 and echoes the task.
ATP runs a suite of one-run tests (one ``contains`` assertion each) through the real
``http`` adapter at parallel 1, 32 and 256. Parallel 1 runs ``--serial-runs`` (100) tests
and is scaled to 1,000 (1,000 x 0.1 s would take 100 s); the others run 1,000.
Speed-up = scaled serial time / time at that concurrency. Each time is the best of
``--repeat`` (3) tries: the machine is shared, and the fastest try is the least disturbed.
Suites run with the garbage-collector setting ``atp run`` uses (``collector_tuned_for_runs``).
Targets (issue 2): ≥ 28x at 32, ≥ 180x at 256.

Usage: ``python benchmarks/perf/bench_http_concurrency.py [--runs N] [--quick]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import anyio
from _common import HERE, echo_suite, table, verdict

from atp_core.protocol import AgentSpec
from atp_core.runner import RunOptions, collector_tuned_for_runs, run_suite

DELAY = 0.1
TARGETS = {32: 28.0, 256: 180.0}


@contextmanager
def http_agent(delay: float) -> Iterator[str]:
    """Start the delayed agent in a subprocess; yield its endpoint."""
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "_http_agent.py"), str(delay)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def timed(endpoint: str, runs: int, parallel: int) -> float:
    """Seconds for ``runs`` one-run tests at ``parallel``; every run must pass."""
    agent = AgentSpec(name="delayed", type="http", config={"endpoint": endpoint})
    suite = echo_suite(runs)
    start = time.perf_counter()
    result = await run_suite(suite, agent, RunOptions(parallel=parallel))
    elapsed = time.perf_counter() - start
    passed = sum(t.verdict == "passed" for t in result.tests)
    if passed != runs:
        raise SystemExit(f"bench_http_concurrency: {passed} of {runs} runs passed")
    return elapsed


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--serial-runs", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="parallel 1 on 30 runs, 1 try")
    args = parser.parse_args(argv)
    serial_runs = 30 if args.quick else args.serial_runs
    repeat = 1 if args.quick else args.repeat

    def best(runs: int, parallel: int) -> float:
        with collector_tuned_for_runs():  # as ``atp run`` does
            return min(anyio.run(timed, endpoint, runs, parallel) for _ in range(repeat))

    with http_agent(DELAY) as endpoint:
        anyio.run(timed, endpoint, 20, 20)  # warm-up: imports, first connections
        serial = best(serial_runs, 1) * args.runs / serial_runs
        rows = [
            (
                f"parallel 1 ({serial_runs} runs, scaled to {args.runs})",
                f"{serial:.1f} s",
                f">= {args.runs * DELAY:.0f} s (agent time)",
                "-",
            )
        ]
        for parallel, target in TARGETS.items():
            elapsed = best(args.runs, parallel)
            speedup = serial / elapsed
            rows.append(
                (
                    f"parallel {parallel} ({args.runs} runs)",
                    f"{elapsed:.2f} s, speed-up {speedup:.1f}x",
                    f">= {target:g}x (ideal {min(parallel, args.runs)}x)",
                    verdict(speedup >= target),
                )
            )
    title = (
        f"HTTP concurrency: agent answers in {DELAY * 1000:.0f} ms, one run per test, "
        f"best of {repeat}"
    )
    print(table(title, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

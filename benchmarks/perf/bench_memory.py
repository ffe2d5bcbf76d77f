"""Peak memory (RSS) of one suite run over 1,000, 5,000 and 10,000 runs.

Each size runs in a fresh interpreter (``--child N FORMAT``): N/10 tests x 10 runs of the
in-process echo agent at parallel 4, then the report rendered as ``atp run`` does by default
(console), and the peak RSS read from ``resource.getrusage(RUSAGE_SELF).ru_maxrss``. The
largest size is measured once more with the JSON report, whose rendering is the peak.
Targets (issue 2): ≤ 150 MB at 10,000 runs, and flat as runs grow: here the peak at the
largest size may be at most 1.5 times the peak at the smallest (growth per 1,000 runs shown).

Usage: ``python benchmarks/perf/bench_memory.py [--sizes 1000,5000,10000] [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from collections.abc import Sequence

import anyio
from _common import ECHO, HERE, echo_path, echo_suite, table, verdict

TARGET_MB = 150.0
FLAT_RATIO = 1.5
RUNS_PER_TEST = 10


async def _child(runs: int, fmt: str) -> dict[str, float]:
    import tempfile
    from pathlib import Path

    from atp_core.reporters import render_report, write_report
    from atp_core.runner import RunOptions, run_suite

    echo_path()
    suite = echo_suite(runs // RUNS_PER_TEST, RUNS_PER_TEST)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = await run_suite(suite, ECHO, RunOptions(parallel=4))
    if fmt == "json":  # as `atp run --report json:PATH` does: streamed to the file
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "report.json"
            write_report(result, fmt, path)
            report_mb = path.stat().st_size / 2**20
    else:
        report_mb = len(render_report(result, fmt)) / 2**20
    done = sum(t.stats.n for t in result.tests)
    if done != runs:
        raise SystemExit(f"bench_memory: {done} of {runs} runs finished")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"runs": runs, "peak_mb": peak, "start_mb": before, "report_mb": report_mb}


def measure(runs: int, fmt: str = "console") -> dict[str, float]:
    """Run one size in a fresh interpreter and return its figures."""
    out = subprocess.run(
        [sys.executable, str(HERE / "bench_memory.py"), "--child", str(runs), fmt],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def _row(r: dict[str, float], fmt: str) -> tuple[str, str, str, str]:
    return (
        f"peak RSS, {int(r['runs']):,} runs, {fmt} report",
        f"{r['peak_mb']:.1f} MB (at start {r['start_mb']:.1f}, report {r['report_mb']:.1f})",
        f"<= {TARGET_MB:g} MB",
        verdict(r["peak_mb"] <= TARGET_MB),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--quick", action="store_true", help="sizes 1000 and 5000 only")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(anyio.run(_child, int(args.child[0]), args.child[1])))
        return 0
    sizes = [1000, 5000] if args.quick else [int(s) for s in args.sizes.split(",")]
    results = [measure(n) for n in sizes]
    rows = [_row(r, "console") for r in results]
    first, last = results[0], results[-1]
    slope = (last["peak_mb"] - first["peak_mb"]) / (last["runs"] - first["runs"]) * 1000
    ratio = last["peak_mb"] / first["peak_mb"]
    rows.append(
        (
            f"peak {int(last['runs']):,} / peak {int(first['runs']):,} runs",
            f"{ratio:.2f} ({slope:.2f} MB per 1,000 runs)",
            f"<= {FLAT_RATIO:g} (flat)",
            verdict(ratio <= FLAT_RATIO),
        )
    )
    rows.append(_row(measure(sizes[-1], "json"), "json"))
    print(table(f"peak memory: tests x {RUNS_PER_TEST} runs, echo agent in-process", rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

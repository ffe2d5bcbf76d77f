"""Store ingest rate: runs per second through StoreSink, 10 events per run.

Usage: python benchmarks/perf/bench_store_ingest.py [--db URL] [--runs N]
(default: a fresh SQLite file in a temporary directory, 5,000 runs). Targets from issue 3:
>= 5,000 runs/s on SQLite, >= 3,000 on PostgreSQL.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import anyio

from atp_core.protocol import (
    CheckResult,
    Event,
    Metrics,
    RunFinished,
    RunRecord,
    SuiteFinished,
    SuiteRunResult,
    SuiteStarted,
)
from atp_core.store import StoreSink, open_store


def record(i: int) -> RunRecord:
    """One run with two checks and ten events."""
    return RunRecord(
        test_id=f"t{i // 10}", run_number=i % 10 + 1, agent="bench", status="completed",
        verdict="passed", score=0.9, started_at="2024-05-01T10:00:00Z", duration_seconds=0.5,
        checks=(CheckResult(name="contains", status="passed", score=1.0),
                CheckResult(name="behavior", status="passed", score=1.0)),
        metrics=Metrics(total_tokens=100, cost_usd=0.001),
        events=tuple(Event(task_id="x", event_type="progress", timestamp="2024-05-01T10:00:00Z",
                           sequence=s, payload={"message": "step", "n": s}) for s in range(10)),
    )


async def ingest(url: str, runs: int) -> float:
    """Write ``runs`` runs through a StoreSink; return runs per second."""
    suite_run_id = f"bench-{time.time_ns()}"
    records = [record(i) for i in range(runs)]
    async with open_store(url) as store, StoreSink(store) as sink:
        start = time.perf_counter()
        await sink.handle(SuiteStarted(
            suite_run_id=suite_run_id, suite="bench", agent="bench", total_runs=runs,
            test_ids=tuple(sorted({r.test_id for r in records})),
            started_at="2024-05-01T10:00:00Z"))
        for r in records:
            await sink.handle(RunFinished(suite_run_id=suite_run_id, record=r))
        await sink.handle(SuiteFinished(suite_run_id=suite_run_id, result=SuiteRunResult(
            id=suite_run_id, suite="bench", agent="bench", started_at="2024-05-01T10:00:00Z",
            finished_at="2024-05-01T10:01:00Z", status="completed", tests=())))
        elapsed = time.perf_counter() - start
    return runs / elapsed


def main() -> None:
    """Run the benchmark and print the rate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="database URL (default: temporary SQLite)")
    parser.add_argument("--runs", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        rate = anyio.run(ingest, url, args.runs)
    print(f"store ingest: {rate:,.0f} runs/s ({args.runs} runs, 10 events each) on {url}")


if __name__ == "__main__":
    main()

"""Overhead of logging + tracing + metrics on the core issue's 1,000-run benchmark.

Two workloads (``_obs_workloads``), each run three ways:

- bare: no observability at all (structlog defaults, INFO dropped);
- off:  logging configured at WARNING, tracing and metrics off, exactly as
        ``setup_tracing`` leaves them by default;
- on:   JSON logs at INFO with redaction, ``instrument``, ``TracingSink`` exporting OTLP
        over HTTP to a receiver on 127.0.0.1 (in a process of its own), and
        ``MetricsSink``.

``core`` is the workload the target is set on (issue 4: "the 1,000-run in-process
benchmark of the core issue"): the echo agent through the python adapter, 1,000 one-run
tests, parallel 4. ``events`` (eight spans and one redacted log line per run) is printed
for information. Each time covers the whole suite run and, in "on", the tracer
provider's ``shutdown()`` (every span exported);
``setup_tracing`` is not timed. After one untimed round, each round times the three
modes once, in a shuffled order. Per mode: the median and the best time per run, and the
CPU time of this process (the export process is not in it); "on" also prints how long it
waited at the end for the export.

Targets: off within 1 % of bare, on within 10 %, judged on the ratio of the medians with a
95 % bootstrap interval over the rounds (``_spread``): ``meets`` when the whole interval is
under the target, ``MISSES`` when it is all over, ``undecided`` when the machine's noise
is wider than the margin. Times are printed, never asserted.
With ``--instructions`` it also counts the instructions per warm run of each mode with
callgrind (``_instructions``): slow, but untouched by the machine's noise.

Usage: ``python benchmarks/perf/bench_observability.py [--repeat N] [--workload W]
[--instructions]``.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TextIO

import _instructions
import anyio
import structlog
from _common import table
from _obs_workloads import Times, Workload
from _spread import judge, ratio_interval, ratio_of_medians, spread

from atp_core.observability import (
    AtpMetrics,
    MetricsSink,
    Redactor,
    TracingSink,
    configure_logging,
    instrument,
    setup_tracing,
)
from atp_core.protocol import RunSink
from atp_core.runner import collector_tuned_for_runs

MODES = ("bare", "off", "on")
OFF_TARGET, ON_TARGET = 1.01, 1.10


class _Discard(BaseHTTPRequestHandler):
    # Keep-alive, as OTLP collectors do: the exporter's session reuses its connection.
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


def _receive(connection: Connection) -> None:
    """Serve OTLP/HTTP POSTs (and drop them) on a free port, sent back through ``connection``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Discard)
    connection.send(server.server_port)
    server.serve_forever()


def _timed(work: Workload, mode: str, root: Path, endpoint: str, null: TextIO) -> Times:
    options = work.options(root)
    if mode == "bare":
        # structlog's own defaults, with INFO dropped as in "off": no ATP pipeline at all.
        structlog.reset_defaults()
        structlog.configure(
            logger_factory=structlog.PrintLoggerFactory(null),
            wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
        )
        return anyio.run(work.run, options, [])
    if mode == "off":
        configure_logging(level="WARNING", fmt="json", stream=null)
        return anyio.run(work.run, options, [])
    configure_logging(level="INFO", fmt="json", stream=null, secrets=["bench-secret"])
    provider = setup_tracing(
        {"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint}
    )
    assert provider is not None
    sinks: list[RunSink] = [
        TracingSink(provider, redactor=Redactor(["bench-secret"])),
        MetricsSink(AtpMetrics()),
    ]
    # Timed up to the last span exported and the export process ended (shutdown).
    times: Times = anyio.run(work.run, instrument(options), sinks, provider.shutdown)
    return times


@contextlib.contextmanager
def _setting() -> Iterator[tuple[TextIO, str]]:
    """Where suite runs go (a null stream, a scratch directory), the collector tuned as
    ``atp run`` tunes it."""
    with (
        open(os.devnull, "w") as null,
        tempfile.TemporaryDirectory() as tmp,
        collector_tuned_for_runs(),
    ):
        yield null, tmp


def measure(work: Workload, repeat: int, endpoint: str) -> dict[str, list[Times]]:
    """Each mode's times over ``repeat`` rounds, the modes in a shuffled order each round."""
    samples: dict[str, list[Times]] = {mode: [] for mode in MODES}
    order = list(MODES)
    shuffle = random.Random(len(work.name) * repeat).shuffle
    with _setting() as (null, tmp):
        # One untimed round first: the first suite run of a process pays for imports and
        # warming caches, which would flatter whichever mode came second.
        for mode in MODES:
            _timed(work, mode, Path(tmp) / f"warm-{mode}", endpoint, null)
        for i in range(repeat):
            # Shuffled: a mode always timed right after "on" (its export process exiting,
            # its garbage) would pay for it.
            shuffle(order)
            for mode in order:
                samples[mode].append(_timed(work, mode, Path(tmp) / f"{i}-{mode}", endpoint, null))
    return samples


def _rows(work: Workload, samples: dict[str, list[Times]]) -> list[tuple[str, str, str, str]]:
    def us(seconds: float) -> str:
        return f"{seconds / work.runs * 1e6:.1f} µs"

    wall = {m: [t[0] for t in samples[m]] for m in MODES}
    cpu = {m: [t[1] for t in samples[m]] for m in MODES}
    rows = [
        (
            f"{m} per run: median, best (best CPU of this process)",
            f"{us(statistics.median(wall[m]))}, {us(min(wall[m]))} ({us(min(cpu[m]))})",
            "",
            "",
        )
        for m in MODES
    ]
    end_wait = statistics.median(t[2] for t in samples["on"])
    rows.append(("on: waiting for the span export at the end, median", us(end_wait), "", ""))
    rows.append(
        ("noise: spread of bare's times (IQR / median)", f"{spread(wall['bare']):.3f}", "", "")
    )
    judged = work.name == "core"
    for mode, target in (("off", OFF_TARGET), ("on", ON_TARGET)):
        interval = ratio_interval(wall[mode], wall["bare"])
        shown = f"{ratio_of_medians(wall[mode], wall['bare']):.3f}"
        if interval is not None:
            shown += f" ({interval[0]:.3f}-{interval[1]:.3f})"
        rows.append(
            (
                f"{mode}/bare time per run, medians (95 % interval)",
                shown,
                f"< {target:.2f}",
                judge(interval, target) if judged else "(information)",
            )
        )
        best = min(wall[mode]) / min(wall["bare"])
        rows.append((f"{mode}/bare time per run, best of each", f"{best:.3f}", "", ""))
    on_cpu = min(cpu["on"]) / min(cpu["bare"])
    rows.append(("on/bare, best CPU of this process", f"{on_cpu:.3f}", "", ""))
    return rows


def _suites(name: str, mode: str, suites: int, endpoint: str) -> None:
    """Run ``suites`` suite runs of one mode, untimed (what callgrind counts)."""
    work = Workload(name)
    with _setting() as (null, tmp):
        for i in range(suites):
            _timed(work, mode, Path(tmp) / str(i), endpoint, null)


def _instruction_rows(work: Workload, endpoint: str) -> list[tuple[str, str, str, str]]:
    def command(mode: str, suites: int) -> list[str]:
        script = str(Path(__file__).resolve())
        return [sys.executable, script, "--workload", work.name, "--endpoint", endpoint,
                "--suites-of", f"{mode}:{suites}"]  # fmt: skip

    counts = _instructions.per_run(command, MODES, work.runs)
    rows = [(f"{m} instructions per run", f"{counts[m]:,.0f}", "", "") for m in MODES]
    for mode in ("off", "on"):
        ratio = counts[mode] / counts["bare"]
        rows.append((f"{mode}/bare instructions per run", f"{ratio:.3f}", "", "(information)"))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each workload and print its table; exit status 0 even when a target is missed."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="rounds (at least 5 for a verdict)")
    parser.add_argument("--workload", choices=("core", "events", "both"), default="both")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count instructions per run with callgrind (valgrind; about 5 minutes)",
    )
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    parser.add_argument("--suites-of", help=argparse.SUPPRESS)  # MODE:N, run under callgrind
    args = parser.parse_args(argv)
    names = ("core", "events") if args.workload == "both" else (args.workload,)
    if args.suites_of:
        mode, suites = args.suites_of.split(":")
        _suites(names[0], mode, int(suites), args.endpoint)
        return 0
    # The receiver runs in a process of its own: its work is not ATP's overhead.
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    receiver = context.Process(target=_receive, args=(theirs,), daemon=True)
    receiver.start()
    endpoint = f"http://127.0.0.1:{ours.recv()}"
    try:
        for name in names:
            work = Workload(name)
            samples = measure(work, args.repeat, endpoint)
            title = f"observability overhead, workload {name} ({work.runs} runs), "
            print(table(title + f"{args.repeat} rounds", _rows(work, samples)), flush=True)
            if args.instructions and not _instructions.available():
                print("valgrind not found: instructions not counted", flush=True)
            elif args.instructions:
                title += "this process under callgrind, per warm run"
                print(table(title, _instruction_rows(work, endpoint)), flush=True)
    finally:
        receiver.terminate()
        receiver.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())

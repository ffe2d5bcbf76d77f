"""The span export process: rows in on standard input, OTLP spans out over HTTP.

Started by ``SpanExportProcess`` as ``python -m atp_core.observability._export_child``.
It reads a configuration, answers ``ready``, then reads messages from ``TracingSink``
until its input closes: ``start``/``set``/``end`` of a suite run, ``test`` (the rows of
a finished test), ``batch`` (several of those) and ``flush`` (export everything, then
answer ``flushed N``). At the end of its input it exports what is left, answers ``done``
and exits. Spans are planned by ``Planner``, encoded as OTLP protobuf by ``SpanEncoder``
(``_otlp``) and sent in batches by ``Sender`` through the SDK's ``OTLPSpanExporter``
(``_otlp_send``). Problems go to standard error, which the parent reads when the child
ends.
"""

from __future__ import annotations

import gc
import logging
import marshal
import os
import pickle
import random
import sys
from collections.abc import Iterator
from typing import IO, Any

import attrs

from atp_core.observability._context import suite_span_ids
from atp_core.observability._otlp import SpanEncoder, resource_spans_head
from atp_core.observability._otlp_send import Sender, encoded_export
from atp_core.observability._spans import Planner, SpanPlan


@attrs.define
class _Suite:
    values: dict[str, Any]
    start: int
    planner: Planner  # plans attributes already encoded by ``encoder``
    encoder: SpanEncoder


def _fresh_ids() -> Iterator[int]:
    while True:
        yield random.getrandbits(64) or 1


class Builder:
    """Keeps the open suite runs; plans and encodes their spans for the sender."""

    def __init__(self, sender: Sender) -> None:
        self.sender = sender
        self.suites: dict[str, _Suite] = {}
        self._ids = _fresh_ids()

    def handle(self, message: tuple[Any, ...]) -> None:
        """Apply one message from ``TracingSink``."""
        kind, suite_run_id = message[0], message[1]
        if kind == "batch":
            for one in message[1]:
                self.handle(one)
        elif kind == "start":
            _, _, values, start, redactor = message
            encoder = SpanEncoder()
            self.suites[suite_run_id] = _Suite(
                dict(values), start, Planner(redactor, encoder), encoder
            )
        elif kind == "set":
            self.suites[suite_run_id].values.update(message[2])
        elif kind == "test":
            suite = self.suites[suite_run_id]
            plan = suite.planner.test(suite_run_id, message[2], message[3])
            self.add(suite, suite_run_id, plan, suite_span_ids(suite_run_id).span_id)
        elif kind == "end":
            _, _, end, error = message
            suite = self.suites.pop(suite_run_id)
            plan = suite.planner.suite(suite_run_id, suite.values, suite.start, end)
            if error is not None:
                plan.error = error
            self.add(suite, suite_run_id, plan, None)
            self.sender.push()  # the suite run's last spans go now, not at the next tick

    def add(self, suite: _Suite, suite_run_id: str, plan: SpanPlan, parent: int | None) -> None:
        """Encode ``plan`` and its children in the suite run's trace and queue them."""
        trace_id = suite_span_ids(suite_run_id).trace_id
        self.sender.add(suite.encoder.spans(plan, trace_id, parent, self._ids))


def _read(stream: IO[bytes]) -> Any:
    """The next message ``frame`` wrote, or ``None`` at the end of the input."""
    header = stream.read(4)
    if len(header) < 4:
        return None
    data = memoryview(stream.read(int.from_bytes(header, "big")))
    # Only the parent that started this process writes to its standard input.
    if data[0] == 0x4D:  # "M"
        return marshal.loads(data[1:])  # noqa: S302
    return pickle.loads(data[1:])  # noqa: S301


def main() -> int:
    """Serve one parent until its pipe closes."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    answer = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # stray prints must not mix into the answers
    source = sys.stdin.buffer
    config = _read(source)
    _keep_off(config.get("parent_cpu"))  # before the sender's thread starts: it inherits this
    builder = Builder(_sender(config))
    # Spans make many short-lived objects and no cycles: collect rarely, and never scan
    # the modules loaded so far.
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    answer.write(b"ready\n")
    while (message := _read(source)) is not None:
        if message[0] == "flush":
            builder.sender.flush()
            answer.write(b"flushed %d\n" % message[1])
        else:
            builder.handle(message)

    def exported() -> None:
        if builder.sender.failed:
            # Read by the parent, which logs the end of this output as a warning.
            print(
                f"{builder.sender.failed} span export request(s) failed; their spans are lost",
                file=sys.stderr,
            )
            sys.stderr.flush()
        # Everything is exported: the parent may go on while the exporter closes.
        answer.write(b"done\n")

    builder.sender.shutdown(exported)  # exports what is left
    return 0


def _keep_off(cpu: int | None) -> None:
    """Run on any allowed CPU but ``cpu`` (the parent's), if that leaves one (Linux)."""
    if cpu is None or not hasattr(os, "sched_setaffinity"):
        return
    others = os.sched_getaffinity(0) - {cpu}
    if others:
        os.sched_setaffinity(0, others)


def _sender(config: dict[str, Any]) -> Sender:
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource

    exporter = OTLPSpanExporter(endpoint=config.get("endpoint") or None)
    resource = Resource.create(config["resource"])
    values = {
        k: v for k, v in resource.attributes.items() if isinstance(v, str | bool | int | float)
    }
    head = resource_spans_head(values, config["scope"], config["version"])
    return Sender(encoded_export(exporter), head, exporter.shutdown)


if __name__ == "__main__":
    code = main()
    sys.stderr.flush()
    # Everything is exported and said: skip the interpreter's teardown, which the parent,
    # waiting for this process to end, would otherwise pay for.
    os._exit(code)

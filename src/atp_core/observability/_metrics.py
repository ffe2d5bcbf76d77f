"""``AtpMetrics``: ATP's Prometheus metrics, on a registry of their own.

Never the process-global registry: two ATP runs (or ATP inside another program) do not
share or clash over series. Exposed by ``serve_metrics``, ``write_textfile`` (the
node-exporter textfile collector) or ``render_latest`` (the web app's ``/metrics``).

The metrics are ATP's own light series (``_series``), registered on the registry as
collectors, not prometheus_client's ``Counter``/``Histogram``/``Gauge``: creating a
labelled prometheus_client ``Histogram`` child per test cost ~30 µs per run on a 1,000-test
benchmark. The exposition (names, help, labels, buckets, samples) is unchanged.
"""

from __future__ import annotations

import threading
from pathlib import Path
from wsgiref.simple_server import WSGIServer

import attrs
from prometheus_client import (
    CollectorRegistry,
    generate_latest,
    start_http_server,
    write_to_textfile,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from atp_core.observability._series import CounterMetric, GaugeMetric, HistogramMetric

RUN_BUCKETS = (0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0)
EVALUATOR_BUCKETS = (0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0)
CONTENT_TYPE = CONTENT_TYPE_LATEST


class AtpMetrics:
    """The metrics of REQ-103, plus runs in flight.

    Attributes:
        registry: The registry holding them.
        tests_total: ``atp_tests_total{suite,status}``: tests finished, by verdict.
        test_duration: ``atp_test_duration_seconds{suite,test}``: agent time of each run.
        evaluator_duration: ``atp_evaluator_duration_seconds{type}``: time of each assertion.
        llm_calls: ``atp_llm_calls_total{provider,model}``: ``llm_request`` events.
        llm_tokens: ``atp_llm_tokens_total{provider,type}``: tokens, ``type`` input|output.
        adapter_errors: ``atp_adapter_errors_total{adapter,error}``: runs whose agent
            could not be used, by adapter type and error kind.
        runs_in_flight: ``atp_runs_in_flight``: runs started and not yet finished
            (its ``value`` is the current count).
    """

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        reg = self.registry
        self.tests_total = CounterMetric(
            "atp_tests", "Tests finished, by suite and verdict.", ["suite", "status"], registry=reg
        )
        self.test_duration = HistogramMetric(
            "atp_test_duration_seconds",
            "Time the agent took on each run of a test.",
            ["suite", "test"],
            buckets=RUN_BUCKETS,
            registry=reg,
        )
        self.evaluator_duration = HistogramMetric(
            "atp_evaluator_duration_seconds",
            "Time each evaluator took on one run, by assertion type.",
            ["type"],
            buckets=EVALUATOR_BUCKETS,
            registry=reg,
        )
        self.llm_calls = CounterMetric(
            "atp_llm_calls", "LLM calls agents reported.", ["provider", "model"], registry=reg
        )
        self.llm_tokens = CounterMetric(
            "atp_llm_tokens", "LLM tokens agents reported.", ["provider", "type"], registry=reg
        )
        self.adapter_errors = CounterMetric(
            "atp_adapter_errors",
            "Runs whose agent could not be used, by adapter and error kind.",
            ["adapter", "error"],
            registry=reg,
        )
        self.runs_in_flight = GaugeMetric(
            "atp_runs_in_flight", "Runs started and not yet finished.", registry=reg
        )


def render_latest(metrics: AtpMetrics) -> bytes:
    """The Prometheus text exposition of ``metrics`` (serve it as ``CONTENT_TYPE``)."""
    return generate_latest(metrics.registry)


@attrs.frozen(kw_only=True)
class MetricsServer:
    """A running ``/metrics`` HTTP endpoint; ``close()`` stops it."""

    host: str
    port: int
    _server: WSGIServer
    _thread: threading.Thread

    def close(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def serve_metrics(metrics: AtpMetrics, host: str = "127.0.0.1", port: int = 0) -> MetricsServer:
    """Serve ``metrics`` over HTTP from a daemon thread; port 0 picks a free port."""
    server, thread = start_http_server(port, addr=host, registry=metrics.registry)
    return MetricsServer(host=host, port=server.server_port, server=server, thread=thread)


def write_textfile(metrics: AtpMetrics, path: Path | str) -> None:
    """Write ``metrics`` for node-exporter's textfile collector, atomically.

    The file is written beside ``path`` and renamed over it, so a reader never sees half
    of it. node-exporter reads only files whose names end in ``.prom``.
    """
    write_to_textfile(str(path), metrics.registry)

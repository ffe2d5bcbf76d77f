"""Logs, traces and metrics for a CLI run (``--log-level``, ``OTEL_*``, ``--metrics-*``)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import attrs


def add_observability_flags(parser: argparse.ArgumentParser) -> None:
    """Flags of ``atp run`` (and ``atp demo``) for logs and metrics."""
    parser.add_argument("--log-level", metavar="LEVEL",
                        help="minimum log level: DEBUG, INFO, WARNING, ERROR (config log.level)")
    parser.add_argument("--log-format", choices=["auto", "json", "console"],
                        help="log renderer (config log.format; auto: console on a terminal)")
    parser.add_argument("--metrics-port", type=int, metavar="PORT",
                        help="serve Prometheus metrics on 127.0.0.1:PORT while running")
    parser.add_argument("--metrics-file", metavar="PATH",
                        help="write Prometheus metrics as a node-exporter text file at the end")


def secret_values(config: Any) -> list[str]:
    """Every secret value of the configuration (for redaction)."""
    from atp_core.config import secrets_of

    return [s.get_secret_value() for s in secrets_of(config)]


def configure_logs(config: Any) -> None:
    """Structured logs to stderr per the configuration, secrets redacted."""
    from atp_core.observability import configure_logging

    log = config.log
    # Libraries log every request at INFO; they speak up only when asked for per module.
    levels = {"httpx": "WARNING", "httpcore": "WARNING", "piccolo": "WARNING",
              "aiosqlite": "WARNING", "urllib3": "WARNING", "asyncio": "WARNING", **log.levels}
    configure_logging(level=log.level, fmt=log.format, levels=levels,
                      secrets=secret_values(config))


@attrs.define
class Observability:
    """The sinks and hooks one CLI run adds, and what to close afterwards."""

    sinks: list[Any] = attrs.Factory(list)
    provider: Any = None
    metrics: Any = None
    server: Any = None
    metrics_file: Path | None = None
    instrumented: bool = False
    secrets: list[str] = attrs.Factory(list)

    def redactor(self) -> Any:
        """The redactor for this run: configured secrets plus credential patterns."""
        from atp_core.observability import Redactor

        return Redactor(self.secrets)

    def wrap(self, options: Any) -> Any:
        """Run options that mask secrets in every finished run (what sinks and reports see)
        and, when observing, bind correlation IDs and trace context to every agent call."""
        import functools

        from atp_core.observability import instrument, redact_record

        redact = functools.partial(redact_record, self.redactor())
        options = attrs.evolve(options, record_filter=redact)
        return instrument(options) if self.instrumented else options

    def close(self) -> None:
        """Write the metrics file, stop the metrics server, flush traces."""
        if self.metrics is not None and self.metrics_file is not None:
            from atp_core.observability import write_textfile

            write_textfile(self.metrics, self.metrics_file)
        if self.server is not None:
            self.server.close()
        if self.provider is not None:
            self.provider.shutdown()


def start_observability(config: Any, args: argparse.Namespace) -> Observability:
    """Tracing from ``OTEL_*`` (off by default), metrics when a port or file is given."""
    metrics_file = getattr(args, "metrics_file", None)
    obs = Observability(metrics_file=Path(metrics_file) if metrics_file else None,
                        secrets=secret_values(config))
    from atp_core.observability import LogSink, Redactor, setup_tracing

    obs.sinks.append(LogSink())
    obs.provider = setup_tracing(os.environ)
    if obs.provider is not None:
        from atp_core.observability import TracingSink

        redactor = Redactor(secret_values(config))
        obs.sinks.append(TracingSink(obs.provider, redactor=redactor))
    port = getattr(args, "metrics_port", None)
    if port is not None or obs.metrics_file is not None:
        from atp_core.observability import AtpMetrics, MetricsSink, serve_metrics

        obs.metrics = AtpMetrics()
        obs.sinks.append(MetricsSink(obs.metrics))
        if port is not None:
            obs.server = serve_metrics(obs.metrics, "127.0.0.1", port)
    obs.instrumented = len(obs.sinks) > 1 or config.log.level.upper() == "DEBUG"
    return obs

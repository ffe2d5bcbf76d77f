"""``/metrics``: ATP's run metrics plus the dashboard's request counts, on one own registry."""

from __future__ import annotations

from atp_core.observability import AtpMetrics, render_latest


class WebMetrics:
    """The dashboard's Prometheus metrics (never the process-global registry)."""

    def __init__(self) -> None:
        from prometheus_client import Counter

        self.atp = AtpMetrics()
        self.requests = Counter(
            "atp_web_requests", "Dashboard HTTP requests, by route and status code.",
            ["route", "status"], registry=self.atp.registry,
        )

    def render(self) -> bytes:
        """The text exposition."""
        return render_latest(self.atp)

    @property
    def content_type(self) -> str:
        """The media type of ``render``'s output."""
        from atp_core.observability import CONTENT_TYPE

        return str(CONTENT_TYPE)

    def sink(self) -> object:
        """A run sink keeping the ATP metrics up to date for runs started in the server."""
        from atp_core.observability import MetricsSink

        return MetricsSink(self.atp)

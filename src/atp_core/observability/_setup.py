"""``setup_tracing``: whether tracing is on, decided without importing the OpenTelemetry SDK.

Importing the SDK costs ~20 ms of start-up, and tracing is off unless ``OTEL_*`` asks for
it: only when it is on does ``_otel`` (and so the SDK) get imported.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

EXPORTERS = ("otlp", "console", "none")


def setup_tracing(env: Mapping[str, str] | None = None) -> TracerProvider | None:
    """A tracer provider as the ``OTEL_*`` variables ask, or ``None`` when tracing is off.

    ``OTEL_TRACES_EXPORTER`` is ``otlp`` (OTLP over HTTP to
    ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``, or ``OTEL_EXPORTER_OTLP_ENDPOINT`` + ``/v1/traces``),
    ``console`` (to standard error), or ``none`` (the default). ``OTEL_SDK_DISABLED=true``
    turns tracing off; ``OTEL_SERVICE_NAME`` names the service (``atp`` by default). The
    provider is not made global; call its ``shutdown()`` to flush. With ``otlp`` it starts
    the span export process and waits until it is ready (a few tenths of a second); if it
    cannot start, a warning is logged and spans are exported from this process instead.

    Raises:
        ValueError: For an exporter other than otlp, console or none.
    """
    env = os.environ if env is None else env
    name = env.get("OTEL_TRACES_EXPORTER", "none").strip().lower() or "none"
    if name not in EXPORTERS:
        raise ValueError(f"OTEL_TRACES_EXPORTER={name!r} is not one of {', '.join(EXPORTERS)}")
    if name == "none" or env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    from atp_core.observability._otel import start_tracing

    return start_tracing(name, env)

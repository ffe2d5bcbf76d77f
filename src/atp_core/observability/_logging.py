"""``configure_logging``: one structlog pipeline for ATP's logs and its dependencies' logs.

structlog loggers and standard-library loggers (httpx, piccolo, ...) both end in one
handler on the root logger whose ``ProcessorFormatter`` merges the bound correlation IDs,
adds level, logger name and timestamp, formats exceptions, redacts, then renders JSON
or console text. Levels are standard-library levels, so they apply per module.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Mapping
from typing import TextIO

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from atp_core.observability._redact import Redactor

FORMATS = ("auto", "json", "console")

# Loggers whose level we set, so reconfiguring can put them back.
_configured: set[str] = set()


class _AtpHandler(logging.StreamHandler[TextIO]):
    """The handler ``configure_logging`` installs (found again by its type)."""


class RedactProcessor:
    """A structlog processor that redacts every value of the event dict."""

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor

    def __call__(self, _logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
        """Return ``event`` with secrets masked."""
        redacted: EventDict = self.redactor.value(event)
        return redacted


def _level(name: str) -> int:
    value = logging.getLevelNamesMapping().get(name.upper())
    if value is None:
        raise ValueError(f"unknown log level {name!r}; use DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return value


def _renderer(fmt: str, stream: TextIO) -> Processor:
    if fmt not in FORMATS:
        raise ValueError(f"unknown log format {fmt!r}; use one of {', '.join(FORMATS)}")
    tty = bool(getattr(stream, "isatty", lambda: False)())
    if fmt == "json" or (fmt == "auto" and not tty):
        return structlog.processors.JSONRenderer(default=repr)
    return structlog.dev.ConsoleRenderer(
        colors=tty, exception_formatter=structlog.dev.plain_traceback
    )


def _shared() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.stdlib.ExtraAdder(),
    ]


def configure_logging(
    level: str = "INFO",
    fmt: str = "auto",
    levels: Mapping[str, str] | None = None,
    stream: TextIO | None = None,
    secrets: Iterable[object] = (),
) -> None:
    """Route structlog and standard-library logging through one redacting pipeline.

    Args:
        level: The root level (``DEBUG`` ... ``CRITICAL``).
        fmt: ``json``, ``console``, or ``auto`` (JSON unless ``stream`` is a terminal).
        levels: Levels per logger name, e.g. ``{"atp_core.adapters": "DEBUG"}``.
        stream: Where lines go; standard error by default.
        secrets: Values to mask in every line (strings or config ``Secret`` objects).

    Calling it again replaces the previous configuration.

    Raises:
        ValueError: For an unknown level or format.
    """
    stream = sys.stderr if stream is None else stream
    root_level = _level(level)
    per_module = {name: _level(value) for name, value in (levels or {}).items()}
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_shared(),
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            RedactProcessor(Redactor(secrets)),
            _renderer(fmt, stream),
        ],
    )
    handler = _AtpHandler(stream)
    handler.setFormatter(formatter)
    _install(handler, root_level, per_module)
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        # Calls below every configured level are dropped before any processor runs.
        wrapper_class=structlog.make_filtering_bound_logger(
            min([root_level, *per_module.values()])
        ),
        cache_logger_on_first_use=False,
    )


def _install(handler: logging.Handler, root_level: int, per_module: Mapping[str, int]) -> None:
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _AtpHandler)]:
        root.removeHandler(old)
        old.close()
    for name in _configured - set(per_module):
        logging.getLogger(name).setLevel(logging.NOTSET)
    root.addHandler(handler)
    root.setLevel(root_level)
    for name, value in per_module.items():
        logging.getLogger(name).setLevel(value)
    _configured.clear()
    _configured.update(per_module)

"""``configure_logging``: one structlog pipeline for ATP's logs and its dependencies' logs.

structlog loggers and standard-library loggers (httpx, piccolo, ...) both write to one
stream through the same processors: merge the bound correlation IDs, add level, logger
name and timestamp, format exceptions, redact, then render JSON or console text.
Standard-library records reach them through a handler on the root logger and its
``ProcessorFormatter``; structlog calls run them directly and write the rendered line
under that handler's lock, without a ``LogRecord`` (a third of the cost of a line).
Levels are standard-library levels, so they apply per module to both kinds of logger.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable, Mapping
from typing import TextIO

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from atp_core.observability._context import merge_ids
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
        return _render_json
    return structlog.dev.ConsoleRenderer(
        colors=tty, exception_formatter=structlog.dev.plain_traceback
    )


# One encoder for every line (structlog's JSONRenderer builds one per call).
_JSON = json.JSONEncoder(default=repr)


def _render_json(_logger: WrappedLogger, _method: str, event: EventDict) -> str:
    return _JSON.encode(event)


def _stamps() -> list[Processor]:
    """Level, logger name and time: added after redaction, which they never need."""
    return [
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
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
    redactor, renderer = Redactor(secrets), _renderer(fmt, stream)
    # Only records of standard-library loggers (dependencies) take this formatter.
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            merge_ids,
            structlog.contextvars.merge_contextvars,
            *_stamps(),
            structlog.stdlib.ExtraAdder(),
        ],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            RedactProcessor(redactor),
            renderer,
        ],
    )
    handler = _AtpHandler(stream)
    handler.setFormatter(formatter)
    _install(handler, root_level, per_module)
    structlog.configure(
        processors=[
            _by_module_level,
            merge_ids,
            structlog.contextvars.merge_contextvars,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            RedactProcessor(redactor),
            *_stamps(),
            renderer,
        ],
        logger_factory=_LineLoggerFactory(handler),
        # Calls below every configured level are dropped before any processor runs.
        wrapper_class=structlog.make_filtering_bound_logger(
            min([root_level, *per_module.values()])
        ),
        cache_logger_on_first_use=False,
    )


class _LineLogger:
    """What structlog loggers write through: rendered lines straight to the handler's stream.

    Levels are those of the standard-library logger of the same name, so per-module levels
    apply alike to both kinds of logger; only the LogRecord and formatter round trip of the
    standard library is skipped.
    """

    __slots__ = ("_handler", "_stdlib", "name")

    def __init__(self, name: str, handler: _AtpHandler) -> None:
        self.name = name
        self._stdlib = logging.getLogger(name)
        self._handler = handler

    def isEnabledFor(self, level: int) -> bool:
        """Whether the standard-library logger of this name takes ``level``."""
        return self._stdlib.isEnabledFor(level)

    def msg(self, line: str) -> None:
        """Write one rendered line."""
        # The handler's lock: its own lines (from stdlib loggers, possibly in other threads)
        # and ours share one stream and must not interleave.
        self._handler.acquire()
        try:
            stream = self._handler.stream
            stream.write(line + "\n")
            stream.flush()
        finally:
            self._handler.release()

    debug = info = warning = warn = error = critical = exception = fatal = log = msg


_METHOD_LEVELS = {
    **{name.lower(): value for name, value in logging.getLevelNamesMapping().items()},
    "warn": logging.WARNING,
    "exception": logging.ERROR,
}


def _by_module_level(logger: _LineLogger, method_name: str, event: EventDict) -> EventDict:
    """Drop a call below its logger's standard-library level (per-module levels)."""
    if logger.isEnabledFor(_METHOD_LEVELS.get(method_name, logging.INFO)):
        return event
    raise structlog.DropEvent


class _LineLoggerFactory:
    def __init__(self, handler: _AtpHandler) -> None:
        self._handler = handler
        self._loggers: dict[str, _LineLogger] = {}

    def __call__(self, *args: object) -> _LineLogger:
        name = str(args[0]) if args else "root"
        found = self._loggers.get(name)
        if found is None:
            found = self._loggers[name] = _LineLogger(name, self._handler)
        return found


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

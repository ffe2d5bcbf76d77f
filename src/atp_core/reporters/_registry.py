"""The report formats by name, and the entry points that render and write reports."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from atp_core.protocol import SuiteRunResult
from atp_core.reporters._baseline import compare_baseline
from atp_core.reporters._options import Renderer, ReportOptions

_M = "atp_core.reporters."
BUILTIN_FORMATS: dict[str, str] = {
    "console": _M + "_console:render_console",
    "html": _M + "_html:render_html",
    "json": _M + "_json:render_json",
    "junit": _M + "_junit:render_junit",
    "markdown": _M + "_markdown:render_markdown",
}


def report_formats() -> list[str]:
    """Every format ``render_report`` accepts, sorted."""
    return sorted(BUILTIN_FORMATS)


def _renderer(fmt: str) -> Renderer:
    target = BUILTIN_FORMATS.get(fmt)
    if target is None:
        known = ", ".join(report_formats())
        raise ValueError(f"unknown report format {fmt!r}; known formats: {known}")
    module_name, _, attr = target.partition(":")
    renderer: Renderer = getattr(importlib.import_module(module_name), attr)
    return renderer


def render_report(
    result: SuiteRunResult, fmt: str, *, baseline: object | None = None, color: bool = False
) -> str:
    """Render ``result`` in format ``fmt`` (one of ``report_formats()``).

    Args:
        result: the suite run to report.
        fmt: ``console``, ``html``, ``json``, ``junit`` or ``markdown``.
        baseline: a previous ``SuiteRunResult``, or a mapping of test id to ``TestResult``
            or ``TestStats``; when given, every format shows each test's change against it.
        color: ANSI colours in the console format (ignored by the others).

    Raises:
        ValueError: ``fmt`` is not a known format.
        TypeError: ``baseline`` is of an unusable type.
    """
    renderer = _renderer(fmt)
    comparison = None if baseline is None else compare_baseline(result, baseline)
    return renderer(result, ReportOptions(color=color, baseline=comparison))


def write_report(
    result: SuiteRunResult,
    fmt: str,
    path: Path | None,
    *,
    baseline: object | None = None,
    color: bool = False,
) -> None:
    """Render ``result`` and write it as UTF-8 to ``path``, or to stdout when ``None``.

    Parent directories of ``path`` are created. Text that cannot be encoded (a lone
    surrogate in agent output) is replaced rather than failing the write.
    """
    text = render_report(result, fmt, baseline=baseline, color=color)
    data = text.encode("utf-8", errors="replace")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        buffer.write(data)
        buffer.flush()

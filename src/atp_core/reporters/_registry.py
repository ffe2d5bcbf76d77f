"""The report formats by name, and the entry points that render and write reports.

Formats are found through ``atp.reporters`` entry points; ATP's own are entry points of its
distribution too (``BUILTIN_FORMATS`` is used only when that metadata is missing). A
plugin reporter is a class with ``render(result) -> str``, built with its config from
``ATP_PLUGIN_<NAME>__<KEY>`` variables when it declares a ``config_type``.
"""

from __future__ import annotations

import inspect
import os
import sys
from pathlib import Path
from typing import Any

from atp_core.plugins import LoadedPlugin, build_plugin_config, entry_map, load_plugin
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
    return sorted(entry_map("reporter", BUILTIN_FORMATS))


def reporter_plugins() -> list[LoadedPlugin]:
    """Every registered report format, loaded and checked, by name."""
    return [load_plugin(e) for _, e in sorted(entry_map("reporter", BUILTIN_FORMATS).items())]


def _renderer(fmt: str) -> Renderer:
    entry = entry_map("reporter", BUILTIN_FORMATS).get(fmt)
    if entry is None:
        known = ", ".join(report_formats())
        raise ValueError(f"unknown report format {fmt!r}; known formats: {known}")
    plugin = load_plugin(entry)
    if not plugin.available:
        raise ValueError(f"report format {fmt!r} ({entry.distribution}) is unavailable: "
                         f"{plugin.reason}")
    if inspect.isfunction(plugin.obj):
        renderer: Renderer = plugin.obj
        return renderer
    return _class_renderer(fmt, plugin.obj)


def _class_renderer(fmt: str, cls: Any) -> Renderer:
    config_type = getattr(cls, "config_type", None)
    if config_type is None:
        instance = cls()
    else:
        instance = cls(build_plugin_config(fmt, config_type, {}, os.environ))

    def render(result: SuiteRunResult, options: ReportOptions) -> str:
        text = instance.render(result)
        if not isinstance(text, str):
            raise TypeError(f"reporter {fmt!r} returned {type(text).__name__}, not str")
        return text

    return render


def render_report(
    result: SuiteRunResult, fmt: str, *, baseline: object | None = None, color: bool = False
) -> str:
    """Render ``result`` in format ``fmt`` (one of ``report_formats()``).

    Args:
        result: the suite run to report.
        fmt: ``console``, ``html``, ``json``, ``junit``, ``markdown`` or a plugin's format.
        baseline: a previous ``SuiteRunResult``, or a mapping of test id to ``TestResult``
            or ``TestStats``; when given, every format shows each test's change against it.
        color: ANSI colours in the console format (ignored by the others).

    Raises:
        ValueError: ``fmt`` is not a known format, or its plugin is unavailable.
        ConfigError: a plugin reporter's config (from the environment) is invalid.
        TypeError: ``baseline`` is of an unusable type.
    """
    renderer = _renderer(fmt)
    comparison = None if baseline is None else compare_baseline(result, baseline)
    return renderer(result, ReportOptions(color=color, baseline=comparison))


def _write_json(result: SuiteRunResult, path: Path, baseline: object | None) -> None:
    """Stream the JSON report to ``path``: a large suite run is never one big string."""
    from atp_core.reporters._json import iter_json

    comparison = None if baseline is None else compare_baseline(result, baseline)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", errors="replace") as out:
        for piece in iter_json(result, ReportOptions(baseline=comparison)):
            out.write(piece)


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
    if path is not None and fmt == "json":
        _write_json(result, path, baseline)
        return
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

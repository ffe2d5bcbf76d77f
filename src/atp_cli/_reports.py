"""``--report FORMAT[:PATH]`` targets and writing them."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import attrs

from atp_core.errors import ConfigError
from atp_core.protocol import SuiteRunResult

FORMATS = ("console", "json", "junit", "html", "markdown")


@attrs.frozen
class ReportTarget:
    """One report: a format and a file (``None`` for standard output)."""

    fmt: str
    path: Path | None


def parse_report_targets(values: Sequence[str]) -> list[ReportTarget]:
    """Parse the ``--report`` flags; default is the console report on stdout."""
    targets = []
    for value in values or ["console"]:
        fmt, _, path = value.partition(":")
        if fmt not in FORMATS:
            raise ConfigError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")
        targets.append(ReportTarget(fmt=fmt, path=Path(path) if path else None))
    return targets


def write_reports(result: SuiteRunResult, targets: Sequence[ReportTarget]) -> None:
    """Render and write every requested report."""
    from atp_core.reporters import render_report

    for target in targets:
        if target.path is None:
            color = target.fmt == "console" and sys.stdout.isatty()
            text = (render_report(result, "console", color=color) if target.fmt == "console"
                    else render_report(result, target.fmt))
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
            sys.stdout.flush()
        else:
            target.path.parent.mkdir(parents=True, exist_ok=True)
            target.path.write_text(render_report(result, target.fmt), encoding="utf-8")
            print(f"atp: wrote {target.fmt} report to {target.path}", file=sys.stderr)

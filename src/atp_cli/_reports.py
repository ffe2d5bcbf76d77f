"""``--report FORMAT[:PATH]`` targets and writing them."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import attrs

from atp_core.errors import ConfigError
from atp_core.protocol import SuiteRunResult


@attrs.frozen
class ReportTarget:
    """One report: a format and a file (``None`` for standard output)."""

    fmt: str
    path: Path | None


def parse_report_targets(values: Sequence[str]) -> list[ReportTarget]:
    """Parse the ``--report`` flags; default is the console report on stdout."""
    from atp_core.reporters import report_formats

    formats = report_formats()
    targets = []
    for value in values or ["console"]:
        fmt, _, path = value.partition(":")
        if fmt not in formats:
            raise ConfigError(f"unknown report format {fmt!r}; choose from {', '.join(formats)}")
        if path:
            _check_writable(Path(path))
        targets.append(ReportTarget(fmt=fmt, path=Path(path) if path else None))
    return targets


def _check_writable(path: Path) -> None:
    """Refuse, before anything runs, a report path that can never become a file."""
    if path.is_dir():
        raise ConfigError(f"--report path {str(path)!r} is a directory")
    parent = path.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise ConfigError(f"--report path {str(path)!r}: {str(parent)!r} is not a directory")


def write_reports(
    result: SuiteRunResult, targets: Sequence[ReportTarget], baseline: object | None = None
) -> bool:
    """Render and write every requested report (with the baseline comparison, if any).

    A report file that cannot be written is said so on stderr and the other reports are
    still written; returns ``False`` when any could not be.
    """
    from atp_core.reporters import render_report, write_report

    written = True
    for target in targets:
        if target.path is None:
            color = target.fmt == "console" and sys.stdout.isatty()
            text = render_report(result, target.fmt, baseline=baseline, color=color)
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
            sys.stdout.flush()
            continue
        try:
            write_report(result, target.fmt, target.path, baseline=baseline)
        except OSError as exc:
            written = False
            print(f"atp: error: cannot write the {target.fmt} report to {target.path}: "
                  f"{exc.strerror or exc}", file=sys.stderr)
            continue
        print(f"atp: wrote {target.fmt} report to {target.path}", file=sys.stderr)
    return written

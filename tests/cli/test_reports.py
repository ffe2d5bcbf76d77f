"""``--report FORMAT:PATH``: report files that cannot be written lose nothing else."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Atp

SUITE = """\
test_suite: "reports"
tests:
  - id: "t"
    name: "echo"
    task: {description: "hello"}
    assertions: [{type: "contains", config: {pattern: "hello"}}]
"""


def _suite(tmp_path: Path) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(SUITE, encoding="utf-8")
    return path


def test_report_path_under_a_file_is_refused_before_anything_runs(atp: Atp, tmp_path: Path) -> None:
    """A report path that can never be a file is a command-line error (exit 2), not exit 70."""
    (tmp_path / "taken").write_text("x")
    out = atp(
        "run",
        str(_suite(tmp_path)),
        "--agent",
        "builtin:echo",
        "--no-store",
        "--no-progress",
        "--report",
        "json:taken/r.json",
    )
    assert out.returncode == 2, out.stderr
    assert "'taken/r.json'" in out.stderr
    assert "is not a directory" in out.stderr
    assert "internal error" not in out.stderr
    assert "ATP suite" not in out.stdout


def test_report_path_that_is_a_directory_is_refused(atp: Atp, tmp_path: Path) -> None:
    """A directory given as a report file is a command-line error (exit 2)."""
    (tmp_path / "out").mkdir()
    out = atp(
        "run",
        str(_suite(tmp_path)),
        "--agent",
        "builtin:echo",
        "--no-store",
        "--no-progress",
        "--report",
        "html:out",
    )
    assert out.returncode == 2, out.stderr
    assert "is a directory" in out.stderr


def test_failed_report_write_keeps_the_other_reports_and_exits_3(atp: Atp, tmp_path: Path) -> None:
    """A report that fails to write (disk full) is said so; the others are written; exit 3."""
    out = atp(
        "run",
        str(_suite(tmp_path)),
        "--agent",
        "builtin:echo",
        "--no-store",
        "--no-progress",
        "--report",
        "markdown:/dev/full",
        "--report",
        "json:r.json",
    )
    assert out.returncode == 3, out.stderr
    assert "cannot write the markdown report to /dev/full" in out.stderr
    assert "internal error" not in out.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["suite_run"]["tests"][0]["verdict"] == "passed"

"""The format registry, render_report and write_report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import atp_core.reporters as reporters
from atp_core.protocol import SuiteRunResult
from atp_core.reporters import render_report, report_formats, write_report

if TYPE_CHECKING:
    from .conftest import Make


def test_report_formats_lists_every_builtin_format() -> None:
    """The five built-in formats are offered, sorted."""
    assert report_formats() == ["console", "html", "json", "junit", "markdown"]


def test_public_names_are_sorted_and_exist() -> None:
    """The facade's ``__all__`` is sorted (constants, classes, functions) and resolves."""
    def order(name: str) -> tuple[bool, bool, str]:
        return (not name.isupper(), not name[0].isupper(), name)

    assert reporters.__all__ == sorted(reporters.__all__, key=order)
    for name in reporters.__all__:
        assert getattr(reporters, name) is not None


def test_every_format_renders_a_nonempty_document(mixed: SuiteRunResult) -> None:
    """Each format produces text that ends with a newline."""
    for fmt in report_formats():
        text = render_report(mixed, fmt)
        assert text.strip()
        assert text.endswith("\n")


def test_unknown_format_names_the_known_ones(mixed: SuiteRunResult) -> None:
    """An unknown format is a ValueError listing what is available."""
    with pytest.raises(ValueError, match=r"unknown report format 'pdf'.*console, html"):
        render_report(mixed, "pdf")


def test_unusable_baseline_is_a_type_error(mixed: SuiteRunResult) -> None:
    """A baseline that is neither a run nor a mapping of stats is refused."""
    with pytest.raises(TypeError, match="baseline must be a SuiteRunResult"):
        render_report(mixed, "console", baseline=[1, 2])


def test_write_report_creates_parent_directories(mixed: SuiteRunResult, tmp_path: Path) -> None:
    """Writing to a path creates its directory and stores the rendered text as UTF-8."""
    target = tmp_path / "out" / "nested" / "report.json"
    write_report(mixed, "json", target)
    assert json.loads(target.read_text("utf-8"))["suite_run"]["id"] == "run-1"


def test_write_report_without_path_prints_to_stdout(
    mixed: SuiteRunResult, capsys: pytest.CaptureFixture[str]
) -> None:
    """``path=None`` writes the report to standard output."""
    write_report(mixed, "markdown", None)
    assert "| Verdict | Test |" in capsys.readouterr().out


def test_write_report_survives_lone_surrogates(make: Make, tmp_path: Path) -> None:
    """Agent text with a lone surrogate is replaced on writing, never a UnicodeEncodeError."""
    run = make.run(verdict="failed", error="bad \ud800 text", error_kind="agent_failed")
    result = make.suite(make.test(verdict="failed", runs=(run,)))
    for fmt in report_formats():
        target = tmp_path / f"report.{fmt}"
        write_report(result, fmt, target)
        assert target.read_bytes().decode("utf-8")


def test_reporters_import_no_terminal_library_and_no_jsonschema() -> None:
    """Rendering every format imports neither rich nor (eagerly) jsonschema."""
    code = (
        "import sys\n"
        "from atp_core.reporters import render_report, report_formats\n"
        "from atp_core.protocol import SuiteRunResult\n"
        "r = SuiteRunResult(id='i', suite='s', agent='a', started_at='x', finished_at='y',"
        " status='completed', tests=())\n"
        "for f in report_formats(): render_report(r, f)\n"
        "print(sorted(m for m in ('rich', 'jsonschema', 'scipy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_docs_describe_every_format_and_junit_property(mixed: SuiteRunResult) -> None:
    """docs/reports.md has a section per format and names every JUnit testcase property."""
    import re
    import xml.etree.ElementTree as ET

    docs = (Path(__file__).parents[3] / "docs" / "reports.md").read_text("utf-8")
    for fmt in report_formats():
        assert f"\n### {fmt}\n" in docs
    case = ET.fromstring(render_report(mixed, "junit")).find("testsuite/testcase")
    assert case is not None
    named = set(re.findall(r"`(\w+)`", docs))
    assert {p.get("name") for p in case.iterfind("properties/property")} <= named

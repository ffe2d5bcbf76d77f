"""The Markdown report for pull-request comments."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from atp_core.protocol import SuiteRunResult
from atp_core.reporters import render_report
from atp_core.reporters._markdown import MAX_FAILURE_LINES, MAX_MESSAGE, md

if TYPE_CHECKING:
    from .conftest import Make


def table_rows(text: str) -> list[str]:
    """The body rows of the first table (after header and separator)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|---"))
    rows = []
    for line in lines[start + 1:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def cells(row: str) -> list[str]:
    """Split a table row on unescaped pipes."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]


def test_summary_uses_status_words_without_emoji(mixed: SuiteRunResult) -> None:
    """The status is a word; no emoji or pictographs appear anywhere."""
    text = render_report(mixed, "markdown")
    assert "**ERROR**: 2 of 4 tests passed (1 failed, 1 error); 7 runs" in text
    assert all(ord(ch) < 0x2190 or ch in "Δ" for ch in text)


def test_one_table_row_per_test_with_its_statistics(mixed: SuiteRunResult) -> None:
    """The table has a row per test holding verdict, rate, pass^k, mean ± CI and flakiness."""
    rows = table_rows(render_report(mixed, "markdown"))
    assert len(rows) == 4
    assert cells(rows[1]) == ["**failed**", "t-002 Flaky one", "50% [9%, 91%] (1/2)",
                              "0.25 (k=2)", "0.70 [0.78, 1.00]", "flaky"]


def test_failures_section_gives_reasons(mixed: SuiteRunResult) -> None:
    """Failed checks, skipped checks and agent errors appear under Failures."""
    text = render_report(mixed, "markdown")
    failures = text[text.index("#### Failures"):]
    assert "hello.txt was not produced" in failures
    assert r"\[skipped\] schema: no structured artifact to validate" in failures
    assert "agent error crashed: process exited with code 139" in failures
    assert r"\[skipped\] lint: ruff is not installed" in failures


def test_no_failures_section_when_everything_passed(make: Make) -> None:
    """A clean run has no Failures heading."""
    assert "Failures" not in render_report(make.suite(), "markdown")


def test_pipes_and_newlines_cannot_break_the_table(hostile: SuiteRunResult) -> None:
    """A test name with pipes and a newline stays in one cell of one row."""
    text = render_report(hostile, "markdown")
    rows = table_rows(text)
    assert len(rows) == 1
    assert len(cells(rows[0])) == 6
    assert "a\\|b" in rows[0]
    assert "<br>line2" in rows[0]


def test_html_from_agents_is_escaped(hostile: SuiteRunResult) -> None:
    """``<script>`` from an agent is shown as text, never as markup."""
    text = render_report(hostile, "markdown")
    assert "<script>" not in text
    assert "&lt;script&gt;" in text


def test_escaping_keeps_text_readable() -> None:
    """Only characters Markdown would interpret are escaped."""
    assert md("t-001 ran 2.5s (ok)") == "t-001 ran 2.5s (ok)"
    assert md("- item") == "\\- item"
    assert md("1. first") == "1\\. first"
    assert md("[x](javascript:y)") == "\\[x\\](javascript:y)"
    assert md("a & b\nc") == "a &amp; b<br>c"


def test_long_messages_and_many_failures_are_capped(make: Make) -> None:
    """A huge message is cut and a long failure list says how much was left out."""
    runs = tuple(
        make.run(run_number=i, verdict="failed",
                 checks=(make.check(status="failed", message="x" * 5000),))
        for i in range(1, 41)
    )
    result = make.suite(make.test(verdict="failed", runs=runs))
    text = render_report(result, "markdown")
    assert "x" * (MAX_MESSAGE + 1) not in text
    assert "more characters)" in text
    assert re.search(r"\d+ more lines not shown", text)
    assert len(text.splitlines()) < MAX_FAILURE_LINES + 30


def test_no_tests_gives_no_table(make: Make) -> None:
    """A run without tests says so instead of printing an empty table."""
    text = render_report(make.suite(tests=()), "markdown")
    assert "No tests were run." in text
    assert "|---" not in text

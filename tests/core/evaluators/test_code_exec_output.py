"""Parsing what code_exec tools print: JUnit XML, ruff and eslint JSON, the score line."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atp_core.evaluators._code_exec_output import (
    parse_eslint,
    parse_junit,
    parse_ruff,
    parse_score,
)

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests">
  <testsuite name="pytest" errors="1" failures="2" skipped="3" tests="10" time="0.1"/>
</testsuites>"""


def test_junit_counts_errors_as_failures() -> None:
    """Failures and errors both fail; skipped tests are counted apart."""
    counts = parse_junit(JUNIT)
    assert (counts.total, counts.failed, counts.skipped) == (10, 3, 3)
    assert (counts.passed, counts.ran) == (4, 7)


def test_junit_sums_every_testsuite_and_accepts_a_bare_one() -> None:
    """Several suites add up; a root <testsuite> works too."""
    two = "<testsuites><testsuite tests='2'/><testsuite tests='3' failures='1'/></testsuites>"
    assert parse_junit(two).total == 5
    assert parse_junit("<testsuite tests='1' failures='1'/>").failed == 1


@pytest.mark.parametrize("text", [
    "not xml",
    "<testsuites/>",
    "<testsuite tests='x'/>",
    "<testsuite tests='1' failures='2'/>",
])
def test_unreadable_junit_is_an_error_not_zero_tests(text: str) -> None:
    """Garbage, no suite, non-numbers and impossible counts raise instead of reading as 0."""
    with pytest.raises(ValueError, match="JUnit"):
        parse_junit(text)


def test_ruff_findings_mark_syntax_errors() -> None:
    """Every finding is a violation; invalid-syntax ones are errors too."""
    report = json.dumps([
        {"code": "F401", "message": "`os` imported but unused", "filename": "/w/a.py",
         "location": {"row": 1, "column": 8}},
        {"code": "invalid-syntax", "message": "Expected ':'", "filename": "/w/b.py",
         "location": {"row": 2, "column": 1}},
    ])
    found = parse_ruff(report)
    assert [(v.code, v.is_error) for v in found] == [("F401", False), ("invalid-syntax", True)]
    assert str(found[0]) == "/w/a.py:1: F401 `os` imported but unused"


def test_eslint_severity_two_is_an_error() -> None:
    """eslint's messages are violations; severity 2 marks an error."""
    report = json.dumps([{"filePath": "/w/a.js", "messages": [
        {"ruleId": "no-unused-vars", "severity": 2, "message": "unused", "line": 1},
        {"ruleId": "semi", "severity": 1, "message": "semicolon", "line": 2},
    ]}])
    assert [(v.code, v.is_error) for v in parse_eslint(report)] == [
        ("no-unused-vars", True), ("semi", False)
    ]


@pytest.mark.parametrize("text", ["", "{}", "[1,"])
def test_a_linter_report_that_is_not_a_json_list_is_rejected(text: str) -> None:
    """No report is not the same as a clean report."""
    with pytest.raises(ValueError, match="ruff"):
        parse_ruff(text)


@pytest.mark.parametrize(("stdout", "score"), [
    ("0.8", 0.8),
    ("log line\nscore: 0.25\n\n", 0.25),
    ("Score=1", 1.0),
    (".5", 0.5),
    ("1e-1", 0.1),
])
def test_score_is_read_from_the_last_non_empty_line(stdout: str, score: float) -> None:
    """A bare number or 'score: N' on the last line is the score."""
    assert parse_score(stdout) == score


@pytest.mark.parametrize("stdout", ["", "score: 0.9\ndone", "0.8 points", "score:"])
def test_a_last_line_that_is_not_a_score_is_rejected(stdout: str) -> None:
    """Only the last line counts, and it must be nothing but the score."""
    with pytest.raises(ValueError, match=r"score|nothing"):
        parse_score(stdout)


@given(st.floats(min_value=0, max_value=1), st.sampled_from(["{}", "score: {}", "SCORE={}"]))
def test_any_printed_score_reads_back_exactly(value: float, form: str) -> None:
    """Python's repr of a float in any accepted form parses back to the same float."""
    assert parse_score("output\n" + form.format(repr(value))) == value

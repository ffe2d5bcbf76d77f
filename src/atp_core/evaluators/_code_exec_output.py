"""Reading what code_exec tools print: pytest's JUnit XML, ruff/eslint JSON, a score line.

Every parser raises ``ValueError`` for output it cannot read, so the caller can tell
"the tool said nothing usable" apart from a real count of zero.
"""

from __future__ import annotations

import json
import re
from typing import Any

import attrs

_RUFF_SYNTAX_CODES = frozenset({"invalid-syntax", "syntax-error", "E999"})
_SCORE_LINE = re.compile(
    r"(?:score\s*[:=]\s*)?([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)", re.IGNORECASE
)


@attrs.frozen(kw_only=True)
class TestCounts:
    """How many tests a pytest run collected, and how they ended."""

    __test__ = False  # not a pytest test class, whatever its name

    total: int
    failed: int
    skipped: int

    @property
    def passed(self) -> int:
        """Tests that ran and passed."""
        return self.total - self.failed - self.skipped

    @property
    def ran(self) -> int:
        """Tests that ran (passed or failed), skipped ones left out."""
        return self.total - self.skipped


def parse_junit(xml_text: str) -> TestCounts:
    """Sum the counts of every ``<testsuite>`` in a JUnit XML report."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(xml_text)  # noqa: S314 - written by pytest in the sandbox, read once
    except ET.ParseError as exc:
        raise ValueError(f"unreadable JUnit XML: {exc}") from exc
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    if not suites:
        raise ValueError("JUnit XML has no <testsuite>")
    total = failed = skipped = 0
    for suite in suites:
        try:
            total += int(suite.get("tests", "0"))
            failed += int(suite.get("failures", "0")) + int(suite.get("errors", "0"))
            skipped += int(suite.get("skipped", "0"))
        except ValueError as exc:
            raise ValueError(f"JUnit XML has a non-numeric count: {exc}") from exc
    if min(total, failed, skipped) < 0 or failed + skipped > total:
        raise ValueError(f"inconsistent JUnit counts: {total=} {failed=} {skipped=}")
    return TestCounts(total=total, failed=failed, skipped=skipped)


@attrs.frozen(kw_only=True)
class Violation:
    """One lint finding."""

    file: str
    line: int
    code: str
    message: str
    is_error: bool

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.code} {self.message}"


def _load_list(text: str, tool: str) -> list[Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{tool} printed no JSON report: {exc}") from exc
    if not isinstance(data, list):
        raise ValueError(f"{tool}'s JSON report is not a list")
    return data


def parse_ruff(text: str) -> list[Violation]:
    """Findings from ``ruff check --output-format json``; a syntax error is an error."""
    found = []
    for item in _load_list(text, "ruff"):
        code = item.get("code") or "invalid-syntax"
        found.append(
            Violation(
                file=str(item.get("filename", "?")),
                line=int((item.get("location") or {}).get("row", 0)),
                code=code,
                message=str(item.get("message", "")),
                is_error=code in _RUFF_SYNTAX_CODES,
            )
        )
    return found


def parse_eslint(text: str) -> list[Violation]:
    """Findings from ``eslint --format json``; severity 2 is an error, 1 a warning."""
    found = []
    for result in _load_list(text, "eslint"):
        for message in result.get("messages", []):
            found.append(
                Violation(
                    file=str(result.get("filePath", "?")),
                    line=int(message.get("line", 0) or 0),
                    code=str(message.get("ruleId") or "parse-error"),
                    message=str(message.get("message", "")),
                    is_error=message.get("severity") == 2,
                )
            )
    return found


def parse_score(stdout: str) -> float:
    """The number on the last non-empty line of ``stdout``: ``0.8`` or ``score: 0.8``."""
    lines = [line.strip() for line in stdout.splitlines() if line.strip()]
    if not lines:
        raise ValueError("the command printed nothing; expected a score on its last line")
    match = _SCORE_LINE.fullmatch(lines[-1])
    if match is None:
        raise ValueError(f"the last line {lines[-1][:80]!r} is not a score such as 'score: 0.8'")
    return float(match.group(1))

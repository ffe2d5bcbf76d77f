"""Property tests: every format renders any suite run, and each stays well-formed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atp_core import protocol as p
from atp_core.reporters import load_json_report, render_report, report_formats, report_json_schema

from .test_html import parse as parse_html
from .test_markdown import cells, table_rows

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Characters every format must escape, mixed with arbitrary ones so they really occur.
SPECIAL = "|<>&\"'`*_[]\\-#\n\r\t\x00\x07\x1b\x85\ufffe]]>"
text = st.text(alphabet=st.sampled_from(SPECIAL + "ab "), max_size=12) | st.text(max_size=20)
unit = st.floats(min_value=0, max_value=1)
number = st.floats(allow_nan=False, allow_infinity=False, width=32)
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000), text)
json_object = st.dictionaries(text, json_scalar, max_size=3)
VERDICTS = st.sampled_from(["passed", "failed", "error"])


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``None`` or a value of ``strategy``."""
    return st.none() | strategy


checks = st.builds(
    p.CheckResult, name=text, status=st.sampled_from(["passed", "failed", "skipped", "error"]),
    score=optional(unit), message=text, critical=st.booleans(), weight=number,
    details=json_object,
)
metrics = st.builds(p.Metrics, total_tokens=optional(st.integers(0, 10**6)),
                    cost_usd=optional(number), wall_time_seconds=optional(number))
task_ids = st.from_regex(r"\A[A-Za-z0-9_-]{1,20}\Z")
events = st.builds(p.Event, task_id=task_ids, event_type=st.sampled_from(p.EVENT_TYPES),
                   timestamp=text, sequence=st.integers(0, 100), payload=json_object)
artifacts = st.one_of(
    st.builds(p.FileArtifact, path=text, content=optional(text), size_bytes=optional(
        st.integers(0, 1000))),
    st.builds(p.StructuredArtifact, name=text, data=json_object),
    st.builds(p.ReferenceArtifact, path=text),
)
runs = st.builds(
    p.RunRecord, test_id=text, run_number=st.integers(1, 10), agent=text, status=text,
    verdict=VERDICTS, score=unit, started_at=text, duration_seconds=number,
    components=st.builds(p.ScoreComponents, quality=optional(unit), cost=optional(unit)),
    checks=st.lists(checks, max_size=3).map(tuple), error=optional(text),
    error_kind=optional(text), metrics=metrics, events=st.lists(events, max_size=2).map(tuple),
    artifacts=st.lists(artifacts, max_size=2).map(tuple),
    protocol_warnings=st.lists(text, max_size=2).map(tuple), trace_id=optional(text),
    adapter=optional(st.builds(p.ComponentRef, name=text, type=text, config=json_object)),
)
pairs = st.tuples(number, number)
stats = st.builds(
    p.TestStats, n=st.integers(0, 10), passed=st.integers(0, 10), pass_rate=unit,
    pass_rate_ci=pairs, k=st.integers(1, 10), pass_at_k=unit, pass_hat_k=unit,
    mean_score=number, std_score=number, score_ci=pairs, min_score=number, max_score=number,
    mean_duration=number, mean_tokens=optional(number), total_cost=optional(number),
    flaky=st.booleans(), errors=st.integers(0, 10),
)
tests = st.builds(p.TestResult, test_id=text, name=text, verdict=VERDICTS, reason=text,
                  stats=stats, runs=st.lists(runs, max_size=3).map(tuple),
                  tags=st.lists(text, max_size=2).map(tuple), pass_policy=text)
suite_runs = st.builds(
    p.SuiteRunResult, id=text, suite=text, agent=text, started_at=text, finished_at=text,
    status=st.sampled_from(["completed", "interrupted", "stopped_early"]),
    tests=st.lists(tests, min_size=1, max_size=4).map(tuple) | st.just(()),
    suite_version=text, atp_version=text,
)


def refuse_constant(name: str) -> None:
    """Strict JSON: NaN and Infinity literals are not allowed."""
    raise ValueError(f"non-standard JSON constant {name}")


@SETTINGS
@given(result=suite_runs, baseline=optional(suite_runs), color=st.booleans())
def test_every_format_renders_any_result(
    result: p.SuiteRunResult, baseline: p.SuiteRunResult | None, color: bool
) -> None:
    """No suite run, with or without a baseline, makes a renderer fail."""
    for fmt in report_formats():
        assert render_report(result, fmt, baseline=baseline, color=color).endswith("\n")


@SETTINGS
@given(result=suite_runs, baseline=optional(suite_runs))
def test_json_validates_and_round_trips(
    result: p.SuiteRunResult, baseline: p.SuiteRunResult | None
) -> None:
    """The JSON report validates against its schema and reads back to an equal result."""
    rendered = render_report(result, "json", baseline=baseline)
    jsonschema.Draft202012Validator(report_json_schema()).validate(json.loads(rendered))
    assert load_json_report(rendered) == result


@SETTINGS
@given(result=suite_runs, nan_at=st.sampled_from(["std", "ci", "score"]))
def test_json_with_non_finite_numbers_still_validates(
    result: p.SuiteRunResult, nan_at: str
) -> None:
    """NaN and infinities anywhere in the statistics keep the report valid JSON."""
    import attrs

    def poison(test: p.TestResult) -> p.TestResult:
        changes: dict[str, Any] = {
            "std": {"std_score": float("nan")},
            "ci": {"score_ci": (float("-inf"), float("inf"))},
            "score": {"mean_score": float("inf")},
        }[nan_at]
        return attrs.evolve(test, stats=attrs.evolve(test.stats, **changes))

    poisoned = attrs.evolve(result, tests=tuple(poison(t) for t in result.tests))
    rendered = render_report(poisoned, "json")
    doc = json.loads(rendered, parse_constant=refuse_constant)
    jsonschema.Draft202012Validator(report_json_schema()).validate(doc)
    assert len(load_json_report(rendered).tests) == len(result.tests)


@SETTINGS
@given(result=suite_runs)
def test_junit_parses_and_counts_match_verdicts(result: p.SuiteRunResult) -> None:
    """The JUnit XML parses and its counts equal the verdicts and the testcases."""
    suite = ET.fromstring(render_report(result, "junit")).find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert len(cases) == len(result.tests) == int(suite.get("tests", ""))
    failed = sum(t.verdict == "failed" for t in result.tests)
    errored = sum(t.verdict == "error" for t in result.tests)
    assert int(suite.get("failures", "")) == failed == len(suite.findall("testcase/failure"))
    assert int(suite.get("errors", "")) == errored == len(suite.findall("testcase/error"))
    assert suite.get("skipped") == "0"


@SETTINGS
@given(result=suite_runs, baseline=optional(suite_runs))
def test_markdown_has_one_row_per_test(
    result: p.SuiteRunResult, baseline: p.SuiteRunResult | None
) -> None:
    """The table has exactly one row per test, each with as many cells as the header."""
    text = render_report(result, "markdown", baseline=baseline)
    if not result.tests:
        assert "|---" not in text
        return
    rows = table_rows(text)
    header = next(line for line in text.splitlines() if line.startswith("| Verdict"))
    assert len(rows) == len(result.tests)
    assert all(len(cells(row)) == len(cells(header)) for row in rows)


HTML_TAGS = {
    "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "strong", "dl",
    "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "span", "a", "svg", "line",
    "text", "circle", "rect", "details", "summary", "pre", "ul", "li", "small", "section",
}


@SETTINGS
@given(result=suite_runs)
def test_html_is_balanced_and_never_scripted(result: p.SuiteRunResult) -> None:
    """The page nests properly, uses only our own tags and links only to its own anchors."""
    page = render_report(result, "html")
    tags = parse_html(page).tags
    assert {name for name, _ in tags} <= HTML_TAGS
    assert all((a.get("href") or "#").startswith("#test-") or "href" not in a
               for _, a in tags)
    assert not any("src" in a for _, a in tags)


@SETTINGS
@given(result=suite_runs)
def test_console_lists_every_test_and_no_escape_codes(result: p.SuiteRunResult) -> None:
    """Without colour the console report has no ESC at all, and a row per test."""
    text = render_report(result, "console")
    assert "\x1b" not in text
    if result.tests:
        lines = text.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("VERDICT"))
        assert all(line.split(" ", 1)[0] in ("passed", "failed", "error")
                   for line in lines[start + 1:start + 1 + len(result.tests)])


@given(result=suite_runs, baseline=optional(suite_runs))
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
def test_streamed_json_file_equals_the_rendered_report(
    result: p.SuiteRunResult, baseline: p.SuiteRunResult | None
) -> None:
    """write_report streams JSON test by test; the file is byte for byte render_report's."""
    import tempfile
    from pathlib import Path

    from atp_core.reporters import write_report

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.json"
        write_report(result, "json", path, baseline=baseline)
        expected = render_report(result, "json", baseline=baseline)
        assert path.read_text(encoding="utf-8") == expected

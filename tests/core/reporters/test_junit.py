"""The JUnit XML report."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from atp_core.protocol import SuiteRunResult
from atp_core.reporters import render_report

if TYPE_CHECKING:
    from .conftest import Make


def parse(result: SuiteRunResult) -> ET.Element:
    """Render and parse; returns the single ``<testsuite>``."""
    root = ET.fromstring(render_report(result, "junit").encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    return suites[0]


def test_counts_on_testsuite_match_its_testcases(mixed: SuiteRunResult) -> None:
    """tests/failures/errors/skipped agree with the testcases and with the verdicts."""
    suite = parse(mixed)
    cases = suite.findall("testcase")
    assert suite.get("tests") == str(len(cases)) == "4"
    assert suite.get("failures") == str(sum(c.find("failure") is not None for c in cases)) == "1"
    assert suite.get("errors") == str(sum(c.find("error") is not None for c in cases)) == "1"
    assert suite.get("skipped") == "0"
    assert float(suite.get("time", "")) == sum(float(c.get("time", "")) for c in cases)


def test_testcase_names_and_classname(mixed: SuiteRunResult) -> None:
    """One testcase per test; classname is the suite name."""
    cases = parse(mixed).findall("testcase")
    assert [c.get("name") for c in cases] == [
        "t-001 Create a file", "t-002 Flaky one", "t-003 Crashes", "t-004 Undecided"]
    assert {c.get("classname") for c in cases} == {"demo"}


def test_each_testcase_carries_its_statistics_as_properties(mixed: SuiteRunResult) -> None:
    """The statistics a CI dashboard needs are properties of the testcase."""
    case = parse(mixed).findall("testcase")[1]
    props = {p.get("name"): p.get("value") for p in case.iterfind("properties/property")}
    assert props["pass_rate"] == "0.5"
    assert props["pass_rate_ci"] == "0.0945,0.9055"
    assert props["pass_hat_k"] == "0.25"
    assert props["pass_at_k"] == "1.0"
    assert props["mean_score"] == "0.7"
    assert props["score_ci"] == "0.78,1.0"
    assert props["std"] == "0.05"
    assert props["flaky"] == "true"
    assert props["runs"] == "2"


def test_failure_and_error_elements_carry_the_reasons(mixed: SuiteRunResult) -> None:
    """Failure text lists failed and skipped checks; error text the agent error."""
    cases = parse(mixed).findall("testcase")
    failure = cases[1].find("failure")
    assert failure is not None
    assert failure.get("message") == "1 of 2 runs failed"
    assert "[failed] artifact_exists (critical): hello.txt was not produced" in (failure.text
                                                                                 or "")
    assert "[skipped] schema" in (failure.text or "")
    error = cases[2].find("error")
    assert error is not None
    assert "agent error crashed: process exited with code 139" in (error.text or "")
    assert cases[0].find("failure") is None
    assert cases[0].find("error") is None


def test_hostile_text_is_escaped_and_invalid_characters_removed(
    hostile: SuiteRunResult,
) -> None:
    """Markup, CDATA terminators and control characters survive as text; XML stays valid."""
    text = render_report(hostile, "junit")
    assert "\x00" not in text
    assert "\x1b" not in text
    assert "<script>" not in text
    case = parse(hostile).find("testcase")
    assert case is not None
    failure = case.find("failure")
    assert failure is not None
    assert "<script>alert(1)</script> ]]> | a|b \\x1b[31mred" in (failure.get("message") or "")
    assert "line2" in (failure.text or "")


def test_baseline_deltas_become_properties(make: Make) -> None:
    """With a baseline, each testcase records its change."""
    base = make.suite(make.test(stats=make.stats(pass_rate=0.5)))
    case = ET.fromstring(render_report(make.suite(), "junit", baseline=base)).find(
        "testsuite/testcase")
    assert case is not None
    props = {p.get("name"): p.get("value") for p in case.iterfind("properties/property")}
    assert props["baseline_status"] == "compared"
    assert props["pass_rate_delta"] == "0.5"

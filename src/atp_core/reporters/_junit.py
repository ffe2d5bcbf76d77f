"""The JUnit XML report: one ``<testsuite>``, one ``<testcase>`` per test.

Built with ElementTree, which escapes markup; characters XML cannot hold at all are
made visible (control characters) or dropped (the rest) before they reach the tree.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from atp_core.protocol import SuiteRunResult, TestResult
from atp_core.reporters import _facts as facts
from atp_core.reporters._options import ReportOptions
from atp_core.reporters._text import finite, printable, xml_safe


def _clean(text: str) -> str:
    return xml_safe(printable(text))


def _number(value: float | None) -> str:
    """A machine-readable number: ``repr``-exact, or ``nan``/``inf``/``none``."""
    if value is None:
        return "none"
    return repr(float(value)) if finite(value) else str(value).lower()


def _element(parent: ET.Element, tag: str, **attrib: str) -> ET.Element:
    return ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrib.items()})


def _properties(parent: ET.Element, values: dict[str, str]) -> None:
    props = ET.SubElement(parent, "properties")
    for name, value in values.items():
        _element(props, "property", name=name, value=value)


def _test_properties(test: TestResult, options: ReportOptions) -> dict[str, str]:
    st = test.stats
    values = {
        "test_id": test.test_id,
        "pass_rate": _number(st.pass_rate),
        "pass_rate_ci": f"{_number(st.pass_rate_ci[0])},{_number(st.pass_rate_ci[1])}",
        "pass_hat_k": _number(st.pass_hat_k),
        "pass_at_k": _number(st.pass_at_k),
        "k": str(st.k),
        "mean_score": _number(st.mean_score),
        "score_ci": f"{_number(st.score_ci[0])},{_number(st.score_ci[1])}",
        "std": _number(st.std_score),
        "flaky": "true" if st.flaky else "false",
        "runs": str(st.n),
        "pass_policy": test.pass_policy,
    }
    delta = None if options.baseline is None else options.baseline.delta(test.test_id)
    if delta is not None:
        values["baseline_status"] = delta.status
        values["pass_rate_delta"] = _number(delta.pass_rate_delta)
        values["mean_score_delta"] = _number(delta.mean_score_delta)
        if delta.direction is not None:
            values["baseline_direction"] = delta.direction
            values["baseline_reason"] = delta.reason or ""
    return values


def _testcase(suite: ET.Element, result: SuiteRunResult, test: TestResult,
              options: ReportOptions) -> str | None:
    """Add one testcase; return the kind of non-pass element it got, if any."""
    case = _element(suite, "testcase", classname=result.suite, name=facts.test_label(test),
                    time=f"{sum(r.duration_seconds for r in test.runs):.3f}")
    _properties(case, _test_properties(test, options))
    kind = None
    if test.verdict != "passed":
        kind = "failure" if test.verdict == "failed" else "error"
        item = facts.TestProblems(test=test, runs=facts.problems_of(test))
        body = "\n".join("  " * (d - 1) + line for d, line in facts.failure_lines(item))
        element = _element(case, kind, message=test.reason or test.verdict,
                           type=f"atp.{test.verdict}")
        element.text = _clean(body)
    out = ET.SubElement(case, "system-out")
    out.text = _clean("\n".join(facts.run_headline(r) for r in test.runs))
    return kind


def render_junit(result: SuiteRunResult, options: ReportOptions) -> str:
    """JUnit XML for CI systems, with each test's statistics as properties."""
    total_time = f"{sum(r.duration_seconds for t in result.tests for r in t.runs):.3f}"
    root = ET.Element("testsuites")
    suite = _element(root, "testsuite", name=result.suite, timestamp=result.started_at,
                     id=result.id)
    _properties(suite, {"agent": result.agent, "suite_run_id": result.id,
                        "status": result.status, "atp_version": result.atp_version})
    kinds = [_testcase(suite, result, t, options) for t in result.tests]
    counts = {
        "tests": str(len(result.tests)),
        "failures": str(kinds.count("failure")),
        "errors": str(kinds.count("error")),
        "skipped": "0",
        "time": total_time,
    }
    for element in (root, suite):
        element.attrib.update(counts)
    root.set("name", _clean(result.suite))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"

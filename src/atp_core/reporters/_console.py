"""The console report: plain text, ANSI colour only when asked for.

Agent text passes through ``printable`` so that an agent cannot send escape sequences
to the operator's terminal; the only escape sequences in the output are our colours.
"""

from __future__ import annotations

from atp_core.protocol import SuiteRunResult, TestResult
from atp_core.reporters import _facts as facts
from atp_core.reporters._options import ReportOptions
from atp_core.reporters._text import interval, money, num, pct, printable, seconds

_STYLES = {
    "passed": "32", "failed": "31", "error": "33", "skipped": "33",
    "bold": "1", "dim": "2", "flaky": "35",
}


def _paint(text: str, style: str, color: bool) -> str:
    return f"\x1b[{_STYLES[style]}m{text}\x1b[0m" if color else text


def _inline(text: str) -> str:
    """Agent or suite text on one line: control characters and line breaks made visible."""
    return printable(text).replace("\n", "\\n").replace("\t", " ")


def render_console(result: SuiteRunResult, options: ReportOptions) -> str:
    """Summary line, per-test table, then every failure with its reason."""
    lines = _header(result, options)
    lines += ["", *_table(result, options)]
    lines += _failures(result, options)
    lines += _undecided(result, options)
    lines += _baseline_notes(options)
    return "\n".join(lines) + "\n"


def _header(result: SuiteRunResult, options: ReportOptions) -> list[str]:
    s = facts.summarize(result)
    title = (f'ATP suite "{_inline(result.suite)}" against agent "{_inline(result.agent)}" '
             f"(run {_inline(result.id)}, {result.status})")
    status = _paint(s.status_word, "passed" if s.status_word == "PASSED" else "failed",
                    options.color)
    summary = (f"{status}: tests {s.passed} passed, {s.failed} failed, {s.error} error "
               f"of {s.tests}; runs {s.runs} ({s.runs_passed} passed, {s.runs_failed} failed, "
               f"{s.runs_error} error); duration {seconds(s.duration_seconds)}; "
               f"total cost {money(s.total_cost_usd)}")
    lines = [_paint(title, "bold", options.color), summary]
    if result.status != "completed":
        lines.append(f"Partial results: the suite run was {result.status.replace('_', ' ')}.")
    return lines


def _row(test: TestResult, options: ReportOptions) -> list[str]:
    st = test.stats
    row = [
        test.verdict,
        _inline(facts.test_label(test)),
        f"{pct(st.pass_rate)} {interval(st.pass_rate_ci, as_pct=True)} ({st.passed}/{st.n})",
        f"{num(st.pass_hat_k)} (k={st.k})",
        f"{num(st.mean_score)} {interval(st.score_ci)}",
        "FLAKY" if st.flaky else "no",
        seconds(st.mean_duration),
    ]
    if options.baseline is not None:
        row += facts.baseline_cells(options.baseline, test.test_id)
    return row


def _table(result: SuiteRunResult, options: ReportOptions) -> list[str]:
    head = ["VERDICT", "TEST", "PASS RATE [95% CI] (passed/runs)", "PASS^K",
            "MEAN SCORE [95% CI]", "FLAKY", "MEAN DURATION"]
    if options.baseline is not None:
        head += [h.upper() for h in facts.baseline_headers(options.baseline)]
    rows = [_row(t, options) for t in result.tests]
    if not rows:
        return ["(no tests were run)"]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    out = [_paint("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip(),
                  "bold", options.color)]
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=True)]
        cells[0] = _paint(cells[0], row[0], options.color)
        if row[5] == "FLAKY":
            cells[5] = _paint(cells[5], "flaky", options.color)
        out.append("  ".join(cells).rstrip())
    return out


def _indent(text: str, prefix: str) -> list[str]:
    """Indent every line of a possibly multi-line agent message."""
    parts = printable(text).split("\n") or [""]
    return [prefix + parts[0], *(prefix + "  " + p for p in parts[1:])]


def _failures(result: SuiteRunResult, options: ReportOptions) -> list[str]:
    found = facts.problems(result)
    if not found:
        return []
    out = ["", _paint("Failures", "bold", options.color)]
    for item in found:
        test = item.test
        verdict = _paint(test.verdict.upper(), test.verdict, options.color)
        out += ["", f"{verdict} {_inline(facts.test_label(test))}"]
        for depth, line in facts.failure_lines(item):
            out += _indent(line, "  " * depth)
    return out


def _undecided(result: SuiteRunResult, options: ReportOptions) -> list[str]:
    found = facts.undecided(result)
    if not found:
        return []
    out = ["", _paint("Skipped checks in passing runs (not counted as passed)", "bold",
                      options.color)]
    for test, run, check in found:
        out += _indent(f"{facts.test_label(test)} run {run.run_number}: "
                       f"{facts.check_line(check)}", "  ")
    return out


def _baseline_notes(options: ReportOptions) -> list[str]:
    notes = facts.baseline_notes(options.baseline)
    return ["", *(_inline(n) for n in notes)] if notes else []

"""The Markdown report: compact enough for a pull-request comment.

GitHub renders HTML inside Markdown, so agent text is HTML-escaped as well as
Markdown-escaped; a line break becomes ``<br>`` so that it cannot end a table row or a
list item. Long messages are cut and the failure list is capped, saying what was left out.
"""

from __future__ import annotations

import html
import re

from atp_core.protocol import SuiteRunResult, TestResult
from atp_core.reporters import _facts as facts
from atp_core.reporters._options import ReportOptions
from atp_core.reporters._text import clip, interval, money, num, pct, printable, seconds

MAX_MESSAGE = 300
MAX_FAILURE_LINES = 60
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_LIST_START = re.compile(r"^(\d+)([.)])")


def md(text: str) -> str:
    """Escape ``text`` for one Markdown line or table cell (never at a line start)."""
    escaped = _LIST_START.sub(r"\1\\\2", _SPECIAL.sub(r"\\\1", printable(text)))
    if escaped[:1] in ("-", "+", "#", ">", "="):
        escaped = "\\" + escaped
    return html.escape(escaped, quote=False).replace("\n", "<br>")


def render_markdown(result: SuiteRunResult, options: ReportOptions) -> str:
    """Summary line, a table with one row per test, and the failures with their reasons."""
    parts = [*_summary(result), "", *_table(result, options), *_failures(result)]
    notes = facts.baseline_notes(options.baseline)
    if notes:
        parts += ["", *(f"- {md(clip(n, MAX_MESSAGE))}" for n in notes)]
    return "\n".join(parts) + "\n"


def _summary(result: SuiteRunResult) -> list[str]:
    s = facts.summarize(result)
    line = (f"**{s.status_word}**: {s.passed} of {s.tests} tests passed ({s.failed} failed, "
            f"{s.error} error); {s.runs} runs ({s.runs_passed} passed, {s.runs_failed} failed, "
            f"{s.runs_error} error); duration {seconds(s.duration_seconds)}; "
            f"cost {money(s.total_cost_usd)}")
    out = [f"### ATP: {md(result.suite)} against {md(result.agent)}", "", line]
    if result.status != "completed":
        out += ["", f"Partial results: the suite run was {result.status.replace('_', ' ')}."]
    return out


def _row(test: TestResult, options: ReportOptions) -> str:
    st = test.stats
    cells = [
        f"**{test.verdict}**" if test.verdict != "passed" else test.verdict,
        md(facts.test_label(test)),
        f"{pct(st.pass_rate)} {interval(st.pass_rate_ci, as_pct=True)} ({st.passed}/{st.n})",
        f"{num(st.pass_hat_k)} (k={st.k})",
        f"{num(st.mean_score)} {interval(st.score_ci)}",
        "flaky" if st.flaky else "no",
    ]
    if options.baseline is not None:
        cells += facts.baseline_cells(options.baseline, test.test_id)
    return "| " + " | ".join(cells) + " |"


def _table(result: SuiteRunResult, options: ReportOptions) -> list[str]:
    if not result.tests:
        return ["No tests were run."]
    head = ["Verdict", "Test", "Pass rate [95% CI] (passed/runs)", "pass^k",
            "Mean score [95% CI]", "Flaky"]
    if options.baseline is not None:
        head += facts.baseline_headers(options.baseline)
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head),
            *(_row(t, options) for t in result.tests)]


def _failures(result: SuiteRunResult) -> list[str]:
    found = facts.problems(result)
    skipped = facts.undecided(result)
    if not found and not skipped:
        return []
    lines = []
    for item in found:
        lines.append(f"- **{item.test.verdict}** {md(facts.test_label(item.test))}")
        lines += [f"{'  ' * depth}- {md(clip(text, MAX_MESSAGE))}"
                  for depth, text in facts.failure_lines(item)]
    if skipped:
        lines.append("- Skipped checks in passing runs (never counted as passed):")
    for test, run, check in skipped:
        text = f"{facts.test_label(test)} run {run.run_number}: {facts.check_line(check)}"
        lines.append(f"  - {md(clip(text, MAX_MESSAGE))}")
    out = ["", "#### Failures", "", *lines[:MAX_FAILURE_LINES]]
    if len(lines) > MAX_FAILURE_LINES:
        out.append(f"\n{len(lines) - MAX_FAILURE_LINES} more lines not shown; "
                   "see the full report (console, HTML or JSON).")
    return out

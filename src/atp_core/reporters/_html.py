"""The HTML report: one self-contained file (inline CSS and SVG, no script, no URL).

Runs expand with ``<details>``; nothing is fetched from anywhere, so the file can be
attached to a CI job or mailed and still open offline.
"""

from __future__ import annotations

from atp_core.protocol import SuiteRunResult, TestResult
from atp_core.reporters import _facts as facts
from atp_core.reporters._html_runs import esc, test_section
from atp_core.reporters._html_svg import pass_rate_chart, score_chart
from atp_core.reporters._options import ReportOptions
from atp_core.reporters._text import interval, money, num, pct, seconds

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1d232a;
background:#fff}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{margin-top:2rem;border-bottom:1px solid #d8dde3}
h3{font-size:1.05rem;margin:1.5rem 0 .3rem}
table{border-collapse:collapse;margin:.5rem 0;width:100%}
th,td{border:1px solid #d8dde3;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f7}td.msg{white-space:pre-wrap;word-break:break-word}
pre{white-space:pre-wrap;word-break:break-word;background:#f6f8fa;padding:.4rem;margin:.2rem 0;
max-height:24rem;overflow:auto}
.badge{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-size:.8rem;
font-weight:600;color:#fff;background:#6b7785}
.badge.passed{background:#1f883d}.badge.failed{background:#cf222e}
.badge.error{background:#9a6700}.badge.skipped{background:#8250df}
tr.failed td,tr.error td{background:#fff5f5}tr.skipped td{background:#f8f5ff}
.summary{font-size:1.05rem}.status-PASSED{color:#1f883d}.status-FAILED,.status-ERROR{color:#cf222e}
details.run{margin:.4rem 0;padding:.3rem .6rem;border:1px solid #d8dde3;border-radius:.3rem}
details.run>summary{cursor:pointer;font-weight:600}.error{color:#9a6700}
.flaky{color:#8250df;font-weight:600}dl{display:grid;grid-template-columns:max-content auto;
gap:.1rem 1rem;margin:.5rem 0}dt{color:#57606a}dd{margin:0}
svg.chart{display:block;margin:1rem 0;max-width:100%;height:auto;font-size:12px}
svg .axis{stroke:#57606a}svg .grid{stroke:#e4e8ec}svg .ci{stroke:#1d232a;stroke-width:1.5}
svg .dot.passed,svg .bar.passed{fill:#1f883d}svg .dot.failed,svg .bar.failed{fill:#cf222e}
svg .dot.error,svg .bar.error{fill:#9a6700}svg .baseline{stroke:#0969da;stroke-width:3}
svg .chart-title{font-weight:600}svg .label,svg .value,svg .tick{fill:#1d232a}
"""


def render_html(result: SuiteRunResult, options: ReportOptions) -> str:
    """A full HTML page: summary, test table, charts, failures and every run."""
    body = [
        *_header(result),
        "<h2>Tests</h2>", _overview(result, options),
        "<h2>Charts</h2>",
        score_chart(result, options.baseline) if result.tests else "<p>No tests were run.</p>",
        pass_rate_chart(result) if result.tests else "",
        *_failures(result),
        "<h2>Runs</h2>", *(test_section(i, t) for i, t in enumerate(result.tests)),
    ]
    notes = facts.baseline_notes(options.baseline)
    if notes:
        body += ["<h2>Baseline</h2>", "<ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes)
                 + "</ul>"]
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>ATP report: {esc(result.suite)}</title><style>{CSS}</style></head>"
            "<body>" + "\n".join(body) + "</body></html>\n")


def _header(result: SuiteRunResult) -> list[str]:
    s = facts.summarize(result)
    summary = (f"<p class='summary'><strong class='status-{s.status_word}'>{s.status_word}"
               f"</strong>: tests {s.passed} passed, {s.failed} failed, {s.error} error of "
               f"{s.tests}; runs {s.runs} ({s.runs_passed} passed, {s.runs_failed} failed, "
               f"{s.runs_error} error); duration {seconds(s.duration_seconds)}; total cost "
               f"{money(s.total_cost_usd)}</p>")
    fields = [("Agent", result.agent), ("Suite run", result.id), ("Status", result.status),
              ("Started", result.started_at), ("Finished", result.finished_at),
              ("Suite version", result.suite_version), ("ATP version", result.atp_version)]
    meta = "".join(f"<dt>{k}</dt><dd>{esc(v)}</dd>" for k, v in fields)
    out = [f"<h1>ATP report: {esc(result.suite)}</h1>", summary, f"<dl>{meta}</dl>"]
    if result.status != "completed":
        out.append(f"<p class='error'>Partial results: the suite run was "
                   f"{esc(result.status.replace('_', ' '))}.</p>")
    return out


def _cells(index: int, test: TestResult, options: ReportOptions) -> list[str]:
    st = test.stats
    cells = [
        f"<span class='badge {test.verdict}'>{test.verdict}</span>",
        f"<a href='#test-{index}'>{esc(facts.test_label(test))}</a>",
        f"{pct(st.pass_rate)} {interval(st.pass_rate_ci, as_pct=True)} ({st.passed}/{st.n})",
        f"{num(st.pass_hat_k)} (k={st.k})",
        f"{num(st.pass_at_k)}",
        f"{num(st.mean_score)} {interval(st.score_ci)}",
        num(st.std_score),
        "<span class='flaky'>flaky</span>" if st.flaky else "no",
        seconds(st.mean_duration),
        num(st.mean_tokens, 0),
        money(st.total_cost),
    ]
    if options.baseline is not None:
        cells += [esc(c) for c in facts.baseline_cells(options.baseline, test.test_id)]
    return cells


def _overview(result: SuiteRunResult, options: ReportOptions) -> str:
    if not result.tests:
        return "<p>No tests were run.</p>"
    head = ["Verdict", "Test", "Pass rate [95% CI] (passed/runs)", "pass^k", "pass@k",
            "Mean score [95% CI]", "Std", "Flaky", "Mean duration", "Mean tokens", "Cost"]
    if options.baseline is not None:
        head += facts.baseline_headers(options.baseline)
    rows = "".join(
        f"<tr class='{t.verdict}'>" + "".join(f"<td>{c}</td>" for c in _cells(i, t, options))
        + "</tr>" for i, t in enumerate(result.tests)
    )
    heads = "".join(f"<th>{h}</th>" for h in head)
    return f"<table class='overview'><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>"


def _failures(result: SuiteRunResult) -> list[str]:
    found = facts.problems(result)
    skipped = facts.undecided(result)
    if not found and not skipped:
        return []
    items = []
    for item in found:
        lines = "\n".join("  " * (d - 1) + text for d, text in facts.failure_lines(item))
        items.append(f"<li><span class='badge {item.test.verdict}'>{item.test.verdict}</span> "
                     f"{esc(facts.test_label(item.test))}<pre>{esc(lines)}</pre></li>")
    for test, run, check in skipped:
        items.append(f"<li><span class='badge skipped'>skipped</span> "
                     f"{esc(facts.test_label(test))} run {run.run_number} (run passed): "
                     f"{esc(facts.check_line(check))}</li>")
    return ["<h2>Failures</h2>", f"<ul class='failures'>{''.join(items)}</ul>"]

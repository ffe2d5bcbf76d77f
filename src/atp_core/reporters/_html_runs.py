"""The per-test section of the HTML report: every run, expandable to its checks,
score components, agent error, protocol warnings, artifacts and events.

Everything an agent produced is untrusted and goes through ``esc``.
"""

from __future__ import annotations

import html
import json
from typing import Any

from atp_core.protocol import Artifact, CheckResult, RunRecord, TestResult, unstructure
from atp_core.reporters import _facts as facts
from atp_core.reporters._text import NA, clip, num, printable, seconds

MAX_CONTENT = 4000
MAX_PAYLOAD = 1000


def esc(text: object) -> str:
    """HTML-escape any value (quotes too), with control characters made visible."""
    return html.escape(printable(str(text)), quote=True)


def _json(data: Any, limit: int) -> str:
    return clip(json.dumps(data, indent=1, sort_keys=True, default=str), limit)


def _badge(status: str) -> str:
    return f'<span class="badge {esc(status)}">{esc(status)}</span>'


def _check_rows(checks: tuple[CheckResult, ...]) -> str:
    rows = []
    for c in checks:
        details = (f"<details><summary>details</summary><pre>{esc(_json(c.details, MAX_PAYLOAD))}"
                   "</pre></details>" if c.details else "")
        rows.append(
            f"<tr class='{esc(c.status)}'><td>{esc(c.name)}</td><td>{_badge(c.status)}</td>"
            f"<td>{num(c.score)}</td><td>{'yes' if c.critical else 'no'}</td>"
            f"<td>{num(c.weight)}</td><td class='msg'>{esc(c.message)}{details}</td></tr>"
        )
    return ("<table class='checks'><thead><tr><th>Check</th><th>Status</th><th>Score</th>"
            "<th>Critical</th><th>Weight</th><th>Message</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>") if rows else "<p>No checks were recorded.</p>"


def _artifact(artifact: Artifact) -> str:
    data = unstructure(artifact)
    body = data.pop("content", None) if artifact.type == "file" else None
    if artifact.type == "structured":
        body = _json(data.pop("data"), MAX_CONTENT)
    title = f"{artifact.type}: {getattr(artifact, 'path', None) or getattr(artifact, 'name', '')}"
    meta = ", ".join(f"{k}={v}" for k, v in data.items() if v is not None and k != "type")
    pre = f"<pre>{esc(clip(body, MAX_CONTENT))}</pre>" if body is not None else ""
    return f"<li><strong>{esc(title)}</strong> <small>{esc(meta)}</small>{pre}</li>"


def _events(run: RunRecord) -> str:
    rows = "".join(
        f"<tr><td>{e.sequence}</td><td>{esc(e.event_type)}</td><td>{esc(e.timestamp)}</td>"
        f"<td><pre>{esc(_json(e.payload, MAX_PAYLOAD))}</pre></td></tr>" for e in run.events
    )
    return ("<table class='events'><thead><tr><th>#</th><th>Event</th><th>Time</th>"
            f"<th>Payload</th></tr></thead><tbody>{rows}</tbody></table>")


def _run_details(run: RunRecord) -> str:
    parts = [f"<summary>{esc(facts.run_headline(run))}</summary>"]
    error = facts.agent_error(run)
    if error is not None:
        parts.append(f"<p class='error'>Agent error {esc(error)}</p>")
    parts.append(_check_rows(run.checks))
    comp = run.components
    parts.append("<p>Score components: " + ", ".join(
        f"{name} {num(value) if value is not None else 'unmeasured'}"
        for name, value in (("quality", comp.quality), ("completeness", comp.completeness),
                            ("efficiency", comp.efficiency), ("cost", comp.cost))
    ) + "</p>")
    if run.protocol_warnings:
        parts.append("<p>Protocol warnings:</p><ul>"
                     + "".join(f"<li>{esc(w)}</li>" for w in run.protocol_warnings) + "</ul>")
    if run.artifacts:
        parts.append(f"<p>Artifacts ({len(run.artifacts)}):</p><ul class='artifacts'>"
                     + "".join(_artifact(a) for a in run.artifacts) + "</ul>")
    if run.events:
        parts.append(f"<details><summary>Events ({len(run.events)})</summary>"
                     f"{_events(run)}</details>")
    open_attr = " open" if run.verdict != "passed" else ""
    return f"<details class='run'{open_attr}>{''.join(parts)}</details>"


def _run_row(run: RunRecord) -> str:
    m = run.metrics
    return (
        f"<tr class='{esc(run.verdict)}'><td>{run.run_number}</td><td>{_badge(run.verdict)}</td>"
        f"<td>{esc(run.status)}</td><td>{num(run.score)}</td>"
        f"<td>{seconds(run.duration_seconds)}</td>"
        f"<td>{m.total_tokens if m.total_tokens is not None else NA}</td>"
        f"<td>{num(m.cost_usd, 4)}</td>"
        f"<td class='msg'>{esc(facts.agent_error(run) or '')}</td></tr>"
    )


def test_section(index: int, test: TestResult) -> str:
    """One test: its verdict and reason, a table of its runs, then each run expandable."""
    st = test.stats
    tags = f" <small>tags: {esc(', '.join(test.tags))}</small>" if test.tags else ""
    head = (f"<section class='test' id='test-{index}'><h3>{_badge(test.verdict)} "
            f"{esc(facts.test_label(test))}{tags}</h3>"
            f"<p>{esc(test.reason or 'no reason given')} (pass policy {esc(test.pass_policy)}; "
            f"score std {num(st.std_score)}, min {num(st.min_score)}, max {num(st.max_score)}; "
            f"pass@k {num(st.pass_at_k)} with k={st.k})</p>")
    table = ("<table class='runs'><thead><tr><th>Run</th><th>Verdict</th><th>Agent status</th>"
             "<th>Score</th><th>Duration</th><th>Tokens</th><th>Cost (USD)</th><th>Error</th>"
             "</tr></thead><tbody>" + "".join(_run_row(r) for r in test.runs)
             + "</tbody></table>") if test.runs else "<p>No runs were recorded.</p>"
    return head + table + "".join(_run_details(r) for r in test.runs) + "</section>"

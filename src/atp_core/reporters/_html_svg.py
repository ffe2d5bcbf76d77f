"""Inline SVG charts for the HTML report: one row per test, on a 0..1 axis.

SVG inside HTML needs no ``xmlns`` attribute, so the report holds no URL at all.
"""

from __future__ import annotations

import html

from atp_core.protocol import SuiteRunResult, TestResult
from atp_core.reporters._baseline import BaselineComparison
from atp_core.reporters._text import finite, interval, num, pct, printable

LABEL_W = 220
PLOT_W = 400
ROW_H = 24
TOP = 28
VALUE_W = 150


def _x(value: float) -> float:
    return LABEL_W + max(0.0, min(1.0, value)) * PLOT_W


def _esc(text: str) -> str:
    return html.escape(printable(text), quote=True)


def _label(text: str) -> str:
    return text if len(text) <= 30 else text[:29] + "…"


def _frame(title: str, rows: int, body: list[str]) -> str:
    height = TOP + rows * ROW_H + 24
    width = LABEL_W + PLOT_W + VALUE_W
    axis = [f'<line class="axis" x1="{_x(0)}" y1="{TOP - 6}" x2="{_x(0)}" '
            f'y2="{height - 20}"/>']
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        axis.append(f'<line class="grid" x1="{_x(tick)}" y1="{TOP - 6}" x2="{_x(tick)}" '
                    f'y2="{height - 20}"/><text class="tick" x="{_x(tick)}" '
                    f'y="{height - 6}" text-anchor="middle">{tick:g}</text>')
    return (f'<svg class="chart" role="img" aria-label="{_esc(title)}" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}"><title>{_esc(title)}</title>'
            f'<text class="chart-title" x="0" y="16">{_esc(title)}</text>'
            + "".join(axis) + "".join(body) + "</svg>")


def _whisker(lo: float, hi: float, y: float) -> str:
    if not (finite(lo) and finite(hi)):
        return ""
    x1, x2 = _x(lo), _x(hi)
    return (f'<line class="ci" x1="{x1:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}"/>'
            f'<line class="ci" x1="{x1:.1f}" y1="{y - 5:.1f}" x2="{x1:.1f}" y2="{y + 5:.1f}"/>'
            f'<line class="ci" x1="{x2:.1f}" y1="{y - 5:.1f}" x2="{x2:.1f}" y2="{y + 5:.1f}"/>')


def _row_label(test: TestResult, y: float) -> str:
    return (f'<text class="label" x="{LABEL_W - 8}" y="{y + 4:.1f}" text-anchor="end">'
            f"<title>{_esc(test.test_id)}</title>{_esc(_label(test.test_id))}</text>")


def score_chart(result: SuiteRunResult, baseline: BaselineComparison | None) -> str:
    """Mean score per test as a dot with its 95% CI as error bars (baseline as a tick)."""
    body = []
    for i, test in enumerate(result.tests):
        st = test.stats
        y = TOP + i * ROW_H + ROW_H / 2
        body.append(_row_label(test, y))
        body.append(_whisker(*st.score_ci, y))
        if finite(st.mean_score):
            body.append(f'<circle class="dot {test.verdict}" cx="{_x(st.mean_score):.1f}" '
                        f'cy="{y:.1f}" r="5"/>')
        delta = baseline.delta(test.test_id) if baseline else None
        if delta is not None and finite(delta.baseline_mean_score):
            bx = _x(delta.baseline_mean_score)
            body.append(f'<line class="baseline" x1="{bx:.1f}" y1="{y - 9:.1f}" '
                        f'x2="{bx:.1f}" y2="{y + 9:.1f}"/>')
        body.append(f'<text class="value" x="{LABEL_W + PLOT_W + 8}" y="{y + 4:.1f}">'
                    f"{num(st.mean_score)} {interval(st.score_ci)}</text>")
    return _frame("Mean score per test (dot) with 95% confidence interval", len(result.tests),
                  body)


def pass_rate_chart(result: SuiteRunResult) -> str:
    """Pass rate per test as a bar with its 95% Wilson interval as error bars."""
    body = []
    for i, test in enumerate(result.tests):
        st = test.stats
        y = TOP + i * ROW_H + ROW_H / 2
        body.append(_row_label(test, y))
        if finite(st.pass_rate):
            width = _x(st.pass_rate) - _x(0)
            body.append(f'<rect class="bar {test.verdict}" x="{_x(0)}" y="{y - 7:.1f}" '
                        f'width="{width:.1f}" height="14"/>')
        body.append(_whisker(*st.pass_rate_ci, y))
        body.append(f'<text class="value" x="{LABEL_W + PLOT_W + 8}" y="{y + 4:.1f}">'
                    f"{pct(st.pass_rate)} {interval(st.pass_rate_ci, as_pct=True)}</text>")
    return _frame("Pass rate per test (bar) with 95% Wilson interval", len(result.tests), body)

"""A comparison as console text, JSON or Markdown."""

from __future__ import annotations

import json

from atp_core.baseline._types import Comparison, TestComparison
from atp_core.protocol import unstructure

_MARK = {"regression": "REGRESSION", "improvement": "improved", "no_change": "no change",
         "insufficient_data": "insufficient data"}
FORMATS = ("console", "json", "markdown")


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _p(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"


def _summary(c: Comparison) -> str:
    counts = {d: len(c.by_direction(d)) for d in _MARK}  # type: ignore[arg-type]
    return (
        f"{counts['regression']} regression(s), {counts['improvement']} improvement(s), "
        f"{counts['no_change']} unchanged, {counts['insufficient_data']} with too few runs"
    )


def _console_line(t: TestComparison) -> str:
    return (
        f"  {_MARK[t.direction]:<17} {t.test_id}  score {_num(t.baseline_mean)} -> "
        f"{_num(t.current_mean)}  passed {t.baseline_passed}/{t.baseline_n} -> "
        f"{t.current_passed}/{t.current_n}  g={_num(t.effect_size, 2)}\n"
        f"  {'':<17} {t.reason}"
    )


def _console(c: Comparison) -> str:
    lines = [
        f"Suite {c.suite}: run {c.current_id} against baseline run {c.baseline_id}",
        f"alpha={c.alpha}; {c.method}",
        *(_console_line(t) for t in c.tests),
        _summary(c),
    ]
    return "\n".join(lines) + "\n"


def _markdown(c: Comparison) -> str:
    head = [
        f"## Baseline comparison: {c.suite}",
        "",
        f"Run `{c.current_id}` against baseline run `{c.baseline_id}`; alpha = {c.alpha}.",
        f"Method: {c.method}.",
        "",
        "| Test | Direction | Mean score (before → now) | Passed (before → now) "
        "| Welch p (adj.) | Fisher p (adj.) | Hedges g | Reason |",
        "|---|---|---|---|---|---|---|---|",
    ]
    rows = [
        f"| {_cell(t.test_id)} | {_MARK[t.direction]} | {_num(t.baseline_mean)} → "
        f"{_num(t.current_mean)} | {t.baseline_passed}/{t.baseline_n} → "
        f"{t.current_passed}/{t.current_n} | {_p(t.score_p)} ({_p(t.score_p_adjusted)}) | "
        f"{_p(t.pass_p)} ({_p(t.pass_p_adjusted)}) | {_num(t.effect_size, 2)} | "
        f"{_cell(t.reason)} |"
        for t in c.tests
    ]
    return "\n".join([*head, *rows, "", _summary(c)]) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_comparison(comparison: Comparison, fmt: str = "console") -> str:
    """Render ``comparison`` as ``console`` text, ``json`` or ``markdown``."""
    if fmt == "console":
        return _console(comparison)
    if fmt == "markdown":
        return _markdown(comparison)
    if fmt == "json":
        data = unstructure(comparison)
        data["has_regression"] = comparison.has_regression
        return json.dumps(data, indent=2) + "\n"
    raise ValueError(f"unknown comparison format {fmt!r}; use one of {', '.join(FORMATS)}")

"""Two stored suite runs of one suite, compared test by test with the baseline statistics."""

from __future__ import annotations

import anyio

from atp_core.baseline import Comparison, compare
from atp_core.protocol import SuiteRunResult
from atp_core.store import Store
from atp_web.errors import BadRequest, NotFound
from atp_web.services.tables import Table


async def _load_both(store: Store, a: str, b: str) -> tuple[SuiteRunResult, SuiteRunResult]:
    """Both suite runs' summaries (verdicts and scores, what compare() reads), at once."""
    found: dict[str, SuiteRunResult | None] = {}

    async def load(side: str, suite_run_id: str) -> None:
        found[side] = await store.load_suite_run_summary(suite_run_id)

    async with anyio.create_task_group() as group:
        group.start_soon(load, "a", a)
        group.start_soon(load, "b", b)
    results = []
    for side, suite_run_id in (("a", a), ("b", b)):
        result = found[side]
        if result is None:
            raise NotFound(f"suite run {suite_run_id!r} (parameter {side!r}) is not in the store")
        results.append(result)
    return results[0], results[1]


async def compare_runs(store: Store, a: str, b: str, alpha: float) -> Comparison:
    """Compare suite run ``b`` (current) with suite run ``a`` (the baseline)."""
    base, current = await _load_both(store, a, b)
    if base.suite != current.suite:
        raise BadRequest(
            f"suite runs of different suites cannot be compared: a is {base.suite!r}, "
            f"b is {current.suite!r}"
        )
    return compare(current, base, alpha=alpha)


def comparison_table(comparison: Comparison) -> Table:
    """A comparison, one test per row."""
    return Table(
        name="comparison",
        columns=("test_id", "name", "direction", "baseline_mean", "current_mean", "delta",
                 "baseline_passed", "baseline_n", "current_passed", "current_n", "score_p",
                 "score_p_adjusted", "pass_p", "pass_p_adjusted", "effect_size", "reason"),
        rows=tuple(
            (t.test_id, t.name, t.direction, t.baseline_mean, t.current_mean,
             delta(t.current_mean, t.baseline_mean), t.baseline_passed, t.baseline_n,
             t.current_passed, t.current_n, t.score_p, t.score_p_adjusted, t.pass_p,
             t.pass_p_adjusted, t.effect_size, t.reason)
            for t in comparison.tests
        ),
    )


def delta(current: float | None, baseline: float | None) -> float | None:
    """current minus baseline, when both are known."""
    if current is None or baseline is None:
        return None
    return current - baseline

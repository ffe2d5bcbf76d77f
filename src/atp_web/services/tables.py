"""Tables as plain data: what a page shows, and what CSV and XLSX exports contain."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from atp_core.store import SuiteRunHeader, TestDetail, TestRow

Cell = str | int | float | bool | None


@attrs.frozen(kw_only=True)
class Table:
    """A titled grid of plain values."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _rate(passed: int, total: int) -> float | None:
    return passed / total if total else None


def suite_runs_table(headers: Sequence[SuiteRunHeader]) -> Table:
    """Suite runs, one per row."""
    return Table(
        name="suite-runs",
        columns=("id", "suite", "agent", "status", "started_at", "finished_at", "tests_total",
                 "tests_passed", "tests_failed", "tests_error", "pass_rate", "runs_done",
                 "total_runs"),
        rows=tuple(
            (h.id, h.suite, h.agent, h.status, h.started_at, h.finished_at, h.tests_total,
             h.tests_passed, h.tests_failed, h.tests_error, _rate(h.tests_passed, h.tests_total),
             h.runs_done, h.total_runs)
            for h in headers
        ),
    )


def tests_table(tests: Sequence[TestRow]) -> Table:
    """A suite run's tests with their statistics."""
    return Table(
        name="tests",
        columns=("test_id", "name", "verdict", "runs", "passed", "pass_rate", "pass_rate_ci_low",
                 "pass_rate_ci_high", "pass_hat_k", "k", "mean_score", "score_ci_low",
                 "score_ci_high", "std_score", "flaky", "reason"),
        rows=tuple(
            (t.test_id, t.name, t.verdict, t.stats.n, t.stats.passed, t.stats.pass_rate,
             t.stats.pass_rate_ci[0], t.stats.pass_rate_ci[1], t.stats.pass_hat_k, t.stats.k,
             t.stats.mean_score, t.stats.score_ci[0], t.stats.score_ci[1], t.stats.std_score,
             t.stats.flaky, t.reason)
            for t in tests
        ),
    )


def runs_table(detail: TestDetail) -> Table:
    """A test's runs side by side."""
    return Table(
        name="runs",
        columns=("run_id", "run_number", "verdict", "status", "score", "duration_seconds",
                 "error", "error_kind", "events", "artifacts"),
        rows=tuple(
            (r.id, r.record.run_number, r.record.verdict, r.record.status, r.record.score,
             r.record.duration_seconds, r.record.error, r.record.error_kind, r.event_count,
             len(r.artifacts))
            for r in detail.runs
        ),
    )


def checks_table(detail: TestDetail) -> Table:
    """Every check of every run of a test, with its reason."""
    return Table(
        name="checks",
        columns=("run_number", "check", "status", "score", "critical", "message"),
        rows=tuple(
            (r.record.run_number, c.name, c.status, c.score, c.critical, c.message)
            for r in detail.runs
            for c in r.checks
        ),
    )

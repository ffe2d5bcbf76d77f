"""What every report says, computed once: the summary and the list of failures.

Formats differ in syntax only; which runs count as failures, which checks are shown and
how a suite's duration and cost are derived is decided here.
"""

from __future__ import annotations

import datetime as dt

import attrs

from atp_core.protocol import CheckResult, RunRecord, SuiteRunResult, TestResult
from atp_core.reporters._baseline import BaselineComparison
from atp_core.reporters._text import num, seconds, signed


@attrs.frozen(kw_only=True)
class Summary:
    """Counts, duration and cost of a suite run."""

    tests: int
    passed: int
    failed: int
    error: int
    runs: int
    runs_passed: int
    runs_failed: int
    runs_error: int
    duration_seconds: float | None
    total_cost_usd: float | None

    @property
    def status_word(self) -> str:
        """``PASSED``, ``FAILED`` or ``ERROR`` for the suite as a whole."""
        if self.error:
            return "ERROR"
        if self.failed or self.tests == 0:
            return "FAILED"
        return "PASSED"


@attrs.frozen(kw_only=True)
class RunProblem:
    """One failed or error run, with every check that did not pass."""

    run: RunRecord
    checks: tuple[CheckResult, ...]


@attrs.frozen(kw_only=True)
class TestProblems:
    """A test that did not pass, or that has runs that did not pass."""

    test: TestResult
    runs: tuple[RunProblem, ...]


def summarize(result: SuiteRunResult) -> Summary:
    """Count tests and runs by verdict, and total the duration and cost."""
    runs = [r for t in result.tests for r in t.runs]
    counts = result.counts
    return Summary(
        tests=len(result.tests),
        passed=counts["passed"],
        failed=counts["failed"],
        error=counts["error"],
        runs=len(runs),
        runs_passed=sum(r.verdict == "passed" for r in runs),
        runs_failed=sum(r.verdict == "failed" for r in runs),
        runs_error=sum(r.verdict == "error" for r in runs),
        duration_seconds=_duration(result, runs),
        total_cost_usd=_cost(runs),
    )


def _duration(result: SuiteRunResult, runs: list[RunRecord]) -> float | None:
    """Wall time from the timestamps; the sum of run durations if they do not parse."""
    try:
        start = dt.datetime.fromisoformat(result.started_at)
        end = dt.datetime.fromisoformat(result.finished_at)
        return max((end - start).total_seconds(), 0.0)
    except (ValueError, TypeError):
        return sum(r.duration_seconds for r in runs) if runs else None


def _cost(runs: list[RunRecord]) -> float | None:
    """Total reported cost; ``None`` (not zero) when no run reported any."""
    costs = [r.metrics.cost_usd for r in runs if r.metrics.cost_usd is not None]
    return sum(costs) if costs else None


def problem_checks(run: RunRecord) -> tuple[CheckResult, ...]:
    """The checks of ``run`` that failed, errored or could not be decided."""
    return tuple(c for c in run.checks if c.status != "passed")


def problems(result: SuiteRunResult) -> tuple[TestProblems, ...]:
    """Every test with a non-passing verdict or run, each failed/error run listed."""
    out = []
    for test in result.tests:
        bad = problems_of(test)
        if bad or test.verdict != "passed":
            out.append(TestProblems(test=test, runs=bad))
    return tuple(out)


def problems_of(test: TestResult) -> tuple[RunProblem, ...]:
    """The failed and error runs of one test, each with its problem checks."""
    return tuple(
        RunProblem(run=r, checks=problem_checks(r)) for r in test.runs if r.verdict != "passed"
    )


def undecided(result: SuiteRunResult) -> tuple[tuple[TestResult, RunRecord, CheckResult], ...]:
    """Skipped checks in runs that passed anyway: shown separately, never as passes."""
    return tuple(
        (t, r, c) for t in result.tests for r in t.runs if r.verdict == "passed"
        for c in r.checks if c.status == "skipped"
    )


def run_headline(run: RunRecord) -> str:
    """``run 2: failed (agent status timeout), score 0.40, 1.20s``."""
    return (f"run {run.run_number}: {run.verdict} (agent status {run.status}), "
            f"score {num(run.score)}, {seconds(run.duration_seconds)}")


def agent_error(run: RunRecord) -> str | None:
    """The agent or infrastructure error of a run, with its kind, if there was one."""
    if run.error is None and run.error_kind is None:
        return None
    kind = run.error_kind or "error"
    return f"{kind}: {run.error}" if run.error else kind


def check_line(check: CheckResult) -> str:
    """``[failed] contains (critical): pattern not found``."""
    critical = " (critical)" if check.critical else ""
    reason = check.message or "no message given"
    return f"[{check.status}] {check.name}{critical}: {reason}"


def test_label(test: TestResult) -> str:
    """``t-001 Create a file``, or just the id when the name repeats it."""
    return test.test_id if test.name in ("", test.test_id) else f"{test.test_id} {test.name}"


def failure_lines(item: TestProblems) -> list[tuple[int, str]]:
    """The reason of a test and, per failed/error run, its agent error and problem checks.

    Each line comes with its nesting depth; agent text may itself span several lines.
    """
    lines = [(1, f"reason: {item.test.reason or 'no reason given'}")]
    for bad in item.runs:
        lines.append((1, run_headline(bad.run)))
        error = agent_error(bad.run)
        if error is not None:
            lines.append((2, f"agent error {error}"))
        lines += [(2, check_line(c)) for c in bad.checks]
        if error is None and not bad.checks:
            lines.append((2, "(no failed check recorded for this run)"))
    return lines


def baseline_headers(baseline: BaselineComparison) -> list[str]:
    """Column titles for the comparison with a baseline."""
    heads = ["Δ pass rate", "Δ mean score"]
    return [*heads, "vs baseline"] if baseline.has_directions else heads


def baseline_cells(baseline: BaselineComparison, test_id: str) -> list[str]:
    """A test's change against the baseline: ``new`` when the baseline lacks it."""
    delta = baseline.delta(test_id)
    width = len(baseline_headers(baseline))
    if delta is None or delta.status == "new":
        return ["new"] * width
    cells = [signed(delta.pass_rate_delta, as_points=True), signed(delta.mean_score_delta)]
    if baseline.has_directions:
        cells.append((delta.direction or "n/a").replace("_", " "))
    return cells


def baseline_notes(baseline: BaselineComparison | None) -> list[str]:
    """Regressions the comparison found (with reasons) and tests the run no longer has."""
    if baseline is None:
        return []
    notes = [f"Regression against the baseline: {d.test_id}: {d.reason or 'no reason given'}"
             for d in baseline.regressions]
    if baseline.missing:
        notes.append("In the baseline but not in this run: " + ", ".join(baseline.missing))
    return notes

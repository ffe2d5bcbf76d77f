"""The console report: summary, per-test table and every failure with its reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from atp_core.protocol import SuiteRunResult
from atp_core.reporters import render_report

if TYPE_CHECKING:
    from .conftest import Make


def test_summary_line_counts_tests_runs_duration_and_cost(mixed: SuiteRunResult) -> None:
    """The summary says how many tests and runs passed, failed and errored, time and cost."""
    text = render_report(mixed, "console")
    assert ("ERROR: tests 2 passed, 1 failed, 1 error of 4; runs 7 (5 passed, 1 failed, "
            "1 error); duration 12.5s; total cost $0.0700") in text


def test_cost_is_not_available_rather_than_zero_when_unreported(make: Make) -> None:
    """Runs that report no cost give ``n/a``, never ``$0``."""
    from atp_core.protocol import Metrics

    result = make.suite(make.test(runs=(make.run(metrics=Metrics()),)))
    assert "total cost n/a" in render_report(result, "console")


def test_table_row_shows_rate_ci_pass_hat_k_score_ci_flaky_and_duration(
    mixed: SuiteRunResult,
) -> None:
    """A flaky test's row holds every statistic the table promises."""
    row = next(line for line in render_report(mixed, "console").splitlines()
               if line.startswith("failed") and "t-002" in line)
    for part in ("50% [9%, 91%] (1/2)", "0.25 (k=2)", "0.70 [0.78, 1.00]", "FLAKY", "1.50s"):
        assert part in row


def test_undefined_interval_is_shown_as_not_available(mixed: SuiteRunResult) -> None:
    """A NaN confidence interval (one run) prints as ``n/a``, not ``nan``."""
    text = render_report(mixed, "console")
    assert "0.00 n/a" in text
    assert "nan" not in text.lower().replace("n/a", "")


def test_every_failed_run_lists_its_failed_and_skipped_checks(mixed: SuiteRunResult) -> None:
    """Failures show the reason, the run, and each non-passing check with its message."""
    text = render_report(mixed, "console")
    failures = text[text.index("Failures"):]
    assert "FAILED t-002 Flaky one" in failures
    assert "reason: 1 of 2 runs failed" in failures
    assert "run 2: failed (agent status completed), score 0.40, 1.50s" in failures
    assert "[failed] artifact_exists (critical): hello.txt was not produced" in failures
    assert "[skipped] schema: no structured artifact to validate" in failures
    assert "[passed]" not in failures


def test_agent_errors_show_their_kind_and_message(mixed: SuiteRunResult) -> None:
    """An error run shows ``error_kind: error``."""
    text = render_report(mixed, "console")
    assert "ERROR t-003 Crashes" in text
    assert "agent error crashed: process exited with code 139" in text


def test_skipped_checks_of_passing_runs_are_listed_as_skipped(mixed: SuiteRunResult) -> None:
    """A skipped check in a passing run is listed as skipped, not hidden among passes."""
    text = render_report(mixed, "console")
    section = text[text.index("Skipped checks in passing runs"):]
    assert "t-004 Undecided run 1: [skipped] lint: ruff is not installed" in section


def test_no_ansi_colour_unless_asked(mixed: SuiteRunResult) -> None:
    """Plain by default; with ``color=True`` verdicts are coloured."""
    assert "\x1b[" not in render_report(mixed, "console")
    coloured = render_report(mixed, "console", color=True)
    assert "\x1b[31mFAILED\x1b[0m t-002" in coloured
    assert "\x1b[32mpassed" in coloured


def test_agent_escape_sequences_cannot_reach_the_terminal(hostile: SuiteRunResult) -> None:
    """ESC, NUL and BEL from an agent are printed as visible escapes."""
    text = render_report(hostile, "console", color=True)
    assert "\x00" not in text
    assert "\x07" not in text
    assert "\\x1b[31mred\\x1b[0m" in text
    assert "\x1b[31mred" not in text


def test_multiline_messages_stay_indented_under_their_run(hostile: SuiteRunResult) -> None:
    """The second line of a multi-line message is indented, not flush left."""
    lines = render_report(hostile, "console").splitlines()
    assert "line2" not in [line.strip() for line in lines if not line.startswith(" ")]


def test_interrupted_run_is_announced_as_partial(make: Make) -> None:
    """An interrupted suite run says its results are partial."""
    result = make.suite(status="interrupted")
    assert "Partial results: the suite run was interrupted." in render_report(result, "console")


def test_baseline_adds_delta_columns_and_missing_tests(make: Make) -> None:
    """With a baseline, each test shows its change and absent baseline tests are named."""
    current = make.suite(make.test(stats=make.stats(pass_rate=0.5, mean_score=0.6)),
                         make.test(test_id="t-new"))
    base = make.suite(make.test(stats=make.stats(pass_rate=1.0, mean_score=0.9)),
                      make.test(test_id="t-gone"))
    text = render_report(current, "console", baseline=base)
    assert "Δ PASS RATE" in text
    row = next(line for line in text.splitlines() if "t-001" in line)
    assert row.endswith("-50.0 pp     -0.30")
    assert "new" in next(line for line in text.splitlines() if "t-new" in line)
    assert "In the baseline but not in this run: t-gone" in text

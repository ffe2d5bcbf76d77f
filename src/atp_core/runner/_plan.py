"""Which runs a suite run will do, in which order, and how finished runs add up."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from atp_core.protocol import RunRecord, Suite, TestCase, TestResult
from atp_core.runner._case import Job
from atp_core.runner._options import RunOptions
from atp_core.runner._stats import aggregate, decide, policy_met


@attrs.frozen(kw_only=True)
class Plan:
    """The selected tests, runs planned per test, and the runs still to do."""

    tests: tuple[TestCase, ...]
    planned: dict[str, int]
    jobs: tuple[Job, ...]
    done: dict[str, tuple[RunRecord, ...]]


def make_plan(suite: Suite, options: RunOptions) -> Plan:
    """Select tests and order pending runs round-robin: run 1 of every test, then run 2, ..."""
    tests = tuple(t for t in suite.tests if _selected(t, options))
    planned = {t.id: options.runs or t.runs for t in tests}
    done: dict[str, list[RunRecord]] = {t.id: [] for t in tests}
    for record in options.completed:
        if record.test_id in done and 1 <= record.run_number <= planned[record.test_id]:
            done[record.test_id].append(record)
    finished = {(r.test_id, r.run_number) for runs in done.values() for r in runs}
    jobs = tuple(
        Job(test=t, run_number=n, total_runs=planned[t.id])
        for n in range(1, max(planned.values(), default=0) + 1)
        for t in tests
        if n <= planned[t.id] and (t.id, n) not in finished
    )
    return Plan(
        tests=tests, planned=planned, jobs=jobs, done={k: tuple(v) for k, v in done.items()}
    )


def _selected(test: TestCase, options: RunOptions) -> bool:
    if options.test_ids is not None and test.id not in options.test_ids:
        return False
    return options.tag_filter is None or options.tag_filter(test.tags)


def build_test_result(
    test: TestCase, runs: Iterable[RunRecord], planned: int, k: int | None
) -> TestResult:
    """A test's result from its finished runs (at least one) out of ``planned``."""
    ordered = tuple(sorted(runs, key=lambda r: r.run_number))
    verdict, reason = decide(test.pass_policy, ordered, planned)
    return TestResult(
        test_id=test.id,
        name=test.name,
        verdict=verdict,
        reason=reason,
        stats=aggregate(ordered, k or planned),
        runs=ordered,
        tags=test.tags,
        pass_policy=str(test.pass_policy),
    )


def cannot_pass(test: TestCase, runs: Iterable[RunRecord], planned: int) -> bool:
    """Whether the test fails its policy even if every unfinished run passes."""
    records = list(runs)
    passed = sum(r.verdict == "passed" for r in records)
    return not policy_met(test.pass_policy, passed + planned - len(records), planned)

"""What the store's query API returns. Views and commands read these, never raw tables."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from atp_core.protocol import CheckResult, RunRecord, TestStats, Verdict

StoredStatus = Literal["running", "completed", "interrupted", "stopped_early"]


@attrs.frozen(kw_only=True)
class Page[T]:
    """One page of a longer list; ``total`` counts every matching item."""

    items: tuple[T, ...]
    total: int
    offset: int
    limit: int


@attrs.frozen(kw_only=True)
class SuiteRunHeader:
    """One suite run without its tests: who ran what, when, where and how it went."""

    id: str
    suite: str
    suite_version: str
    agent: str
    status: str
    started_at: str
    finished_at: str | None
    total_runs: int
    runs_done: int
    test_ids: tuple[str, ...]
    tests_total: int
    tests_passed: int
    tests_failed: int
    tests_error: int
    created_by: str | None = None
    host: str | None = None
    atp_version: str = ""
    git_commit: str | None = None


@attrs.frozen(kw_only=True)
class TestRow:
    """A test's verdict and statistics in one suite run (its runs are fetched apart)."""

    test_id: str
    name: str
    verdict: Verdict
    reason: str
    stats: TestStats
    tags: tuple[str, ...] = ()
    pass_policy: str = "all"  # noqa: S105 - a policy name, not a password


@attrs.frozen(kw_only=True)
class SuiteRunDetail:
    """One suite run with every finished test, in suite order."""

    header: SuiteRunHeader
    tests: tuple[TestRow, ...]


@attrs.frozen(kw_only=True)
class ArtifactMeta:
    """What is known about an artifact without loading its content.

    ``stored`` is ``none`` (no content), ``inline`` or ``blob`` (kept out of the hot tables).
    """

    position: int
    kind: str
    path: str
    content_type: str | None
    size_bytes: int | None
    content_hash: str | None
    stored: str
    content_size: int | None


@attrs.frozen(kw_only=True)
class RunDetail:
    """One stored run.

    ``record`` holds everything but events and artifacts (``record.events`` and
    ``record.artifacts`` are empty): page events with ``list_events`` and fetch content with
    ``get_artifact``.
    """

    id: str
    suite_run_id: str
    record: RunRecord
    artifacts: tuple[ArtifactMeta, ...]
    event_count: int

    @property
    def checks(self) -> tuple[CheckResult, ...]:
        """The run's checks, in evaluation order."""
        return self.record.checks


@attrs.frozen(kw_only=True)
class TestDetail:
    """One test of one suite run with all its runs and their checks."""

    suite_run_id: str
    test_id: str
    test: TestRow | None
    runs: tuple[RunDetail, ...]


@attrs.frozen(kw_only=True)
class TrendPoint:
    """One suite run of a suite/agent pair, for a trend over time."""

    suite_run_id: str
    started_at: str
    status: str
    tests_total: int
    tests_passed: int
    pass_rate: float | None
    mean_score: float | None


@attrs.frozen(kw_only=True)
class BaselineRecord:
    """A named baseline: a pointer to a suite run and a snapshot of its per-test results."""

    name: str
    suite: str
    agent: str
    created_at: str
    suite_run_id: str
    snapshot: dict[str, Any]


@attrs.frozen(kw_only=True)
class RunContext:
    """Who ran a suite, where, and with which ATP and source revision."""

    created_by: str | None = None
    host: str | None = None
    atp_version: str = ""
    git_commit: str | None = None

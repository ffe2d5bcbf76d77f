"""Hypothesis strategies for every protocol and result type, offered as a fixture.

(Test files are imported with pytest's importlib mode, so they share these through a fixture.)
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st

from atp_core.protocol import (
    EVENT_TYPES,
    RESPONSE_STATUSES,
    CheckResult,
    ComponentRef,
    Constraints,
    Context,
    Event,
    FileArtifact,
    Metrics,
    ReferenceArtifact,
    Request,
    Response,
    RunRecord,
    ScoreComponents,
    StructuredArtifact,
    SuiteRunResult,
    Task,
    TestResult,
    TestStats,
)
from atp_core.protocol._wire import TASK_ID_RE

text = st.text(max_size=20)
names = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12)
maybe_text = st.none() | text
counts = st.none() | st.integers(min_value=0, max_value=10**9)
reals = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
fractions = st.floats(min_value=0, max_value=1, allow_nan=False)
maybe_real = st.none() | reals
task_ids = st.from_regex(TASK_ID_RE, fullmatch=True)
versions = st.integers(0, 99).map(lambda minor: f"1.{minor}")

json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | reals | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)
json_objects = st.dictionaries(text, json_values, max_size=4)

tasks = st.builds(
    Task,
    description=st.text(max_size=200),
    input_data=st.none() | json_objects,
    expected_artifacts=st.none() | st.lists(names, max_size=3),
)
constraints = st.builds(
    Constraints, max_steps=counts, max_tokens=counts, timeout_seconds=maybe_real,
    allowed_tools=st.none() | st.lists(names, max_size=3), budget_usd=maybe_real,
)
contexts = st.builds(
    Context, tools_endpoint=maybe_text, workspace_path=maybe_text,
    environment=st.none() | st.dictionaries(names, text, max_size=3),
)
requests = st.builds(
    Request, task_id=task_ids, task=tasks, version=versions, constraints=constraints,
    context=st.none() | contexts, metadata=json_objects,
)
metrics = st.builds(
    Metrics, total_tokens=counts, input_tokens=counts, output_tokens=counts,
    cache_creation_tokens=counts, cache_read_tokens=counts, total_steps=counts,
    tool_calls=counts, llm_calls=counts, wall_time_seconds=maybe_real, cost_usd=maybe_real,
)
file_artifacts = st.builds(
    FileArtifact, path=names, content_type=maybe_text, size_bytes=counts,
    content_hash=maybe_text, content=maybe_text,
)
structured_artifacts = st.builds(
    StructuredArtifact, name=names, data=json_objects, content_type=maybe_text
)
reference_artifacts = st.builds(
    ReferenceArtifact, path=names, content_type=maybe_text, size_bytes=counts
)
artifacts = file_artifacts | structured_artifacts | reference_artifacts
responses = st.builds(
    Response, task_id=task_ids, status=st.sampled_from(RESPONSE_STATUSES), version=versions,
    artifacts=st.lists(artifacts, max_size=3), metrics=metrics, error=maybe_text,
    trace_id=maybe_text,
)
events = st.builds(
    Event, task_id=task_ids, event_type=st.sampled_from(EVENT_TYPES), timestamp=text,
    sequence=st.integers(0, 10**6), payload=json_objects, version=versions,
)
checks = st.builds(
    CheckResult, name=names, status=st.sampled_from(["passed", "failed", "skipped", "error"]),
    score=st.none() | fractions, message=text, critical=st.booleans(), weight=reals,
    details=json_objects,
)
components = st.builds(
    ScoreComponents, quality=st.none() | fractions, completeness=st.none() | fractions,
    efficiency=st.none() | fractions, cost=st.none() | fractions,
)
run_records = st.builds(
    RunRecord, test_id=names, run_number=st.integers(1, 100), agent=names, status=names,
    verdict=st.sampled_from(["passed", "failed", "error"]), score=fractions, started_at=text,
    duration_seconds=reals, components=components, checks=st.lists(checks, max_size=2).map(tuple),
    error=maybe_text, error_kind=maybe_text, metrics=metrics,
    events=st.lists(events, max_size=2).map(tuple),
    artifacts=st.lists(artifacts, max_size=2).map(tuple),
    protocol_warnings=st.lists(text, max_size=2).map(tuple), trace_id=maybe_text,
    adapter=st.none() | st.builds(ComponentRef, name=names, type=names, config=json_objects),
    workspace=maybe_text,
)
intervals = st.tuples(fractions, fractions)
test_stats = st.builds(
    TestStats, n=st.integers(0, 100), passed=st.integers(0, 100), pass_rate=fractions,
    pass_rate_ci=intervals, k=st.integers(1, 10), pass_at_k=fractions, pass_hat_k=fractions,
    mean_score=fractions, std_score=fractions, score_ci=intervals, min_score=fractions,
    max_score=fractions, mean_duration=reals, mean_tokens=maybe_real, total_cost=maybe_real,
    flaky=st.booleans(), errors=st.integers(0, 100),
)
test_results = st.builds(
    TestResult, test_id=names, name=names, verdict=st.sampled_from(["passed", "failed", "error"]),
    reason=text, stats=test_stats, runs=st.lists(run_records, max_size=2).map(tuple),
    tags=st.lists(names, max_size=2).map(tuple), pass_policy=st.sampled_from(["all", "any"]),
)
suite_results = st.builds(
    SuiteRunResult, id=names, suite=names, agent=names, started_at=text, finished_at=text,
    status=st.sampled_from(["completed", "interrupted", "stopped_early"]),
    tests=st.lists(test_results, max_size=2).map(tuple), suite_version=text, atp_version=text,
)

ALL: dict[type, st.SearchStrategy[Any]] = {
    Request: requests, Response: responses, Event: events, FileArtifact: file_artifacts,
    StructuredArtifact: structured_artifacts, ReferenceArtifact: reference_artifacts,
    Metrics: metrics, Constraints: constraints, Context: contexts, Task: tasks,
    CheckResult: checks, RunRecord: run_records, TestStats: test_stats,
    TestResult: test_results, SuiteRunResult: suite_results,
}


class Strategies(dict[type, st.SearchStrategy[Any]]):
    """The strategies by class, with a short repr for hypothesis failure reports."""

    def __repr__(self) -> str:
        return "<protocol strategies>"


@pytest.fixture(scope="session")
def strategies() -> dict[type, st.SearchStrategy[Any]]:
    """A strategy of valid instances for every protocol and result type."""
    return Strategies(ALL)

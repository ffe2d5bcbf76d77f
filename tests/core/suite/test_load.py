"""Loading valid suites: the original format, defaults inheritance and file identity."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from atp_core.errors import SuiteError
from atp_core.protocol import AgentSpec, AssertionSpec, Constraints, PassPolicy, Scoring, Suite
from atp_core.suite import load_suite

LoadText = Callable[..., Suite]


FIXTURES = Path(__file__).parents[2] / "fixtures" / "suites"
ORIGINAL = FIXTURES / "original_format.yaml"

MINIMAL = """\
test_suite: s
tests:
  - id: t1
    name: one
    task: {description: do it}
"""


def test_original_format_example_loads_unchanged() -> None:
    """The SPEC §2 example in the original format loads with every value in place."""
    suite = load_suite(ORIGINAL, env={})
    assert (suite.name, suite.version, suite.description) == ("name", "1.0", "...")
    assert suite.agents == (
        AgentSpec(
            name="file-agent", type="cli", config={"command": "python", "args": ["agent.py"]}
        ),
    )
    assert suite.defaults.runs_per_test == 3
    assert suite.defaults.timeout_seconds == 120
    (test,) = suite.tests
    assert (test.id, test.name, test.tags) == ("t-001", "Create a file", ("smoke",))
    assert test.task.input_data == {"greeting": "hello"}
    assert test.task.expected_artifacts == ["hello.txt"]
    assert test.assertions == (
        AssertionSpec(type="artifact_exists", config={"path": "hello.txt"}, critical=True),
    )
    assert test.pass_threshold == 0.7
    assert test.scoring == Scoring(
        quality_weight=0.5, completeness_weight=0.3, efficiency_weight=0.1, cost_weight=0.1
    )


def test_original_format_test_constraints_merge_over_defaults() -> None:
    """A test's constraints win key by key; keys it does not set come from the defaults."""
    (test,) = load_suite(ORIGINAL, env={}).tests
    assert test.constraints == Constraints(
        max_steps=3, timeout_seconds=30, allowed_tools=["write_file"], budget_usd=0.5
    )
    assert test.timeout_seconds == 30
    assert test.runs == 3


def test_workspace_fixture_is_resolved_next_to_the_suite_file() -> None:
    """A relative workspace_fixture becomes the absolute path of an existing directory."""
    (test,) = load_suite(ORIGINAL, env={}).tests
    assert test.task.workspace_fixture == str((FIXTURES / "fixtures" / "ws1").resolve())


def test_suite_records_its_source_and_the_hash_of_its_bytes() -> None:
    """Suite.source is the path given and content_hash the sha256 of the file's bytes."""
    suite = load_suite(ORIGINAL, env={})
    assert suite.source == str(ORIGINAL)
    assert suite.content_hash == hashlib.sha256(ORIGINAL.read_bytes()).hexdigest()


def test_minimal_suite_gets_every_default(load_text: LoadText) -> None:
    """Without a defaults block a test runs once, policy all, 120 s, default scoring."""
    (test,) = load_text(MINIMAL).tests
    assert test.runs == 1
    assert test.pass_policy == PassPolicy(kind="all")
    assert test.timeout_seconds == 120
    assert test.scoring == Scoring()
    assert test.constraints == Constraints()
    assert test.pass_threshold is None


def test_defaults_apply_to_tests_that_do_not_override_them(load_text: LoadText) -> None:
    """runs, pass_policy, pass_threshold, timeout and scoring are inherited from defaults."""
    suite = load_text(
        """\
        test_suite: s
        defaults:
          runs_per_test: 5
          timeout_seconds: 60
          pass_policy: {rate: 0.8}
          pass_threshold: 0.6
          scoring: {quality_weight: 1, completeness_weight: 0, efficiency_weight: 0, cost_weight: 0}
        tests:
          - id: inherits
            name: inherits
            task: {description: x}
          - id: overrides
            name: overrides
            task: {description: x}
            runs: 2
            pass_policy: majority
            pass_threshold: 0.9
            constraints: {timeout_seconds: 5}
            scoring: {quality_weight: 0.5, completeness_weight: 0.5,
                      efficiency_weight: 0, cost_weight: 0}
        """
    )
    inherits, overrides = suite.tests
    assert (inherits.runs, inherits.timeout_seconds, inherits.pass_threshold) == (5, 60, 0.6)
    assert inherits.pass_policy == PassPolicy(kind="rate", rate=0.8)
    assert inherits.scoring.quality_weight == 1
    assert (overrides.runs, overrides.timeout_seconds, overrides.pass_threshold) == (2, 5, 0.9)
    assert overrides.pass_policy == PassPolicy(kind="majority")
    assert overrides.scoring.completeness_weight == 0.5


def test_timeout_in_default_constraints_beats_default_timeout(load_text: LoadText) -> None:
    """defaults.constraints.timeout_seconds is more specific than defaults.timeout_seconds."""
    (test,) = load_text(
        """\
        test_suite: s
        defaults: {timeout_seconds: 60, constraints: {timeout_seconds: 10}}
        tests:
          - {id: t, name: t, task: {description: x}}
        """
    ).tests
    assert test.timeout_seconds == 10


def test_unquoted_version_number_is_kept_as_text(load_text: LoadText) -> None:
    """``version: 1.0`` (a YAML number) is accepted as the string "1.0"."""
    assert load_text("version: 1.0\n" + MINIMAL).version == "1.0"


def test_yaml_anchors_and_merge_keys_work(load_text: LoadText) -> None:
    """Merge keys reuse a block; the merged values load like written ones."""
    suite = load_text(
        """\
        test_suite: s
        tests:
          - &base {id: a, name: a, task: {description: x}, tags: [smoke]}
          - <<: *base
            id: b
        """
    )
    assert [(t.id, t.tags) for t in suite.tests] == [("a", ("smoke",)), ("b", ("smoke",))]


def test_missing_suite_file_is_a_suite_error(tmp_path: Path) -> None:
    """A file that cannot be read is reported as a SuiteError naming the file."""
    missing = tmp_path / "nope.yaml"
    with pytest.raises(SuiteError) as info:
        load_suite(missing)
    (problem,) = info.value.problems
    assert problem.file == str(missing)
    assert "cannot read suite file" in problem.message
    assert str(problem).startswith(f"{missing}: cannot read suite file")  # no made-up 0:0


def test_a_pass_threshold_of_zero_is_refused(tmp_path: Path) -> None:
    """A threshold of 0 would pass every run, so it is a located problem, as below 0 is."""
    suite = tmp_path / "s.yaml"
    suite.write_text(
        'test_suite: s\nversion: "1.0"\ntests:\n'
        "  - {id: a, name: a, task: {description: d}, pass_threshold: 0}\n"
    )
    with pytest.raises(SuiteError) as info:
        load_suite(suite)
    (problem,) = info.value.problems
    assert (problem.line, problem.path) == (4, "$.tests[0].pass_threshold")
    assert problem.message == "must be above 0 and at most 1, got 0"

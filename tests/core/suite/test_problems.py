"""Invalid suites: every problem is reported at once, each at its file:line:col."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from atp_core.errors import SuiteError, SuiteProblem
from atp_core.suite import load_suite

ProblemsOf = Callable[..., list[SuiteProblem]]


FIVE_MISTAKES = Path(__file__).parents[2] / "fixtures" / "suites" / "five_mistakes.yaml"


def located(problems: list[SuiteProblem]) -> list[tuple[int, int, str]]:
    """(line, column, message) of each problem."""
    return [(p.line, p.column, p.message) for p in problems]


def test_five_mistakes_give_five_located_errors() -> None:
    """Each of five different mistakes is reported with its exact line and column."""
    with pytest.raises(SuiteError) as info:
        load_suite(FIVE_MISTAKES, env={})
    problems = info.value.problems
    assert {p.file for p in problems} == {str(FIVE_MISTAKES)}
    assert located(problems) == [
        (2, 1, "unknown key 'descripton'; did you mean 'description'?"),
        (4, 18, "expected an integer, got a string"),
        (11, 15, "unknown assertion type 'artefact_exists'; did you mean 'artifact_exists'?"),
        (16, 11, "unknown config key 'regx' for assertion 'contains'; did you mean 'regex'?"),
        (17, 9, "duplicate test id 't-001' (first at line 6)"),
    ]
    assert [p.path for p in problems] == [
        "$.descripton",
        "$.defaults.runs_per_test",
        "$.tests[0].assertions[0].type",
        "$.tests[0].assertions[1].config.regx",
        "$.tests[1].id",
    ]
    assert str(problems[0]).startswith(f"{FIVE_MISTAKES}:2:1: unknown key 'descripton'")


def test_yaml_syntax_error_is_located(problems_of: ProblemsOf) -> None:
    """A YAML syntax error becomes one problem at the position the parser stopped."""
    (problem,) = problems_of("test_suite: s\ntests: [\n  {id: a}\n")
    assert problem.file == "suite.yaml"
    assert (problem.line, problem.column) == (4, 1)
    assert problem.message.startswith("invalid YAML: ")


def test_duplicate_yaml_key_is_located(problems_of: ProblemsOf) -> None:
    """A key written twice in one mapping is a syntax problem at the second one."""
    (problem,) = problems_of("test_suite: a\ntest_suite: b\n")
    assert (problem.line, problem.column) == (2, 1)
    assert "duplicate key" in problem.message


def test_file_that_is_not_a_mapping_is_rejected(problems_of: ProblemsOf) -> None:
    """A YAML list at the top is not a suite."""
    (problem,) = problems_of("- a\n- b\n")
    assert located([problem]) == [(1, 1, "a suite file must be a mapping, got a list")]


def test_missing_required_keys_are_reported_where_the_mapping_starts(
    problems_of: ProblemsOf,
) -> None:
    """test_suite, tests, and a test's id, name and task description are required."""
    problems = problems_of(
        """\
        version: "1.0"
        tests:
          - tags: []
            task: {input_data: {}}
        """
    )
    assert located(problems) == [
        (1, 1, "missing required key 'test_suite'"),
        (3, 5, "missing required key 'id'"),
        (3, 5, "missing required key 'name'"),
        (4, 11, "missing required key 'description'"),
    ]


def test_unknown_keys_at_every_level_suggest_close_names(problems_of: ProblemsOf) -> None:
    """Unknown keys in defaults, tests, tasks, constraints and assertions are located."""
    problems = problems_of(
        """\
        test_suite: s
        defaults: {run_per_test: 2}
        tests:
          - id: t
            name: t
            task: {description: x, input: {}}
            constraints: {max_step: 3}
            assertions:
              - type: artifact_exists
                config: {path: a}
                critcal: true
            wibble: 1
        """
    )
    assert located(problems) == [
        (2, 12, "unknown key 'run_per_test'; did you mean 'runs_per_test'?"),
        (6, 28, "unknown key 'input'; did you mean 'input_data'?"),
        (7, 19, "unknown key 'max_step'; did you mean 'max_steps'?"),
        (11, 9, "unknown key 'critcal'; did you mean 'critical'?"),
        (12, 5, "unknown key 'wibble'"),
    ]


def test_later_features_are_rejected_as_not_available_yet(problems_of: ProblemsOf) -> None:
    """Multi-agent mode and chaos blocks are refused, never silently ignored."""
    problems = problems_of(
        """\
        test_suite: s
        chaos: {}
        tests:
          - {id: t, name: t, task: {description: x}, mode: comparison}
        """
    )
    assert located(problems) == [
        (2, 1, "key 'chaos' is not available yet"),
        (4, 46, "key 'mode' is not available yet"),
    ]


def test_assertion_type_not_yet_available_is_an_error(problems_of: ProblemsOf) -> None:
    """llm_eval is refused with 'not available yet' at its type."""
    problems = problems_of(
        """\
        test_suite: s
        tests:
          - id: t
            name: t
            task: {description: x}
            assertions:
              - type: llm_eval
                config: {criteria: good}
        """
    )
    assert located(problems) == [(7, 15, "assertion type 'llm_eval' is not available yet")]


def test_unknown_assertion_type_without_close_match_has_no_suggestion(
    problems_of: ProblemsOf,
) -> None:
    """A type name far from every known one is reported without a guess."""
    problems = problems_of(
        """\
        test_suite: s
        tests:
          - id: t
            name: t
            task: {description: x}
            assertions: [{type: zzzzqqq}]
        """
    )
    assert located(problems) == [(6, 25, "unknown assertion type 'zzzzqqq'")]


def test_assertion_config_errors_point_at_the_offending_key(problems_of: ProblemsOf) -> None:
    """A missing config key points at the config; a wrongly typed one at its value."""
    problems = problems_of(
        """\
        test_suite: s
        tests:
          - id: t
            name: t
            task: {description: x}
            assertions:
              - type: artifact_exists
                config: {}
              - type: contains
                config:
                  pattern: x
                  regex: {not: bool}
        """
    )
    assert [(p.line, p.column, p.path) for p in problems] == [
        (8, 17, "$.tests[0].assertions[0].config"),
        (12, 18, "$.tests[0].assertions[1].config.regex"),
    ]
    assert (
        problems[0].message == "missing required config key 'path' for assertion 'artifact_exists'"
    )
    assert problems[1].message == (
        "expected true or false, got a mapping (config of assertion 'contains')"
    )


def test_composite_nested_conditions_are_checked_and_located(problems_of: ProblemsOf) -> None:
    """Nested assertions of composite are checked like top-level ones."""
    problems = problems_of(
        """\
        test_suite: s
        tests:
          - id: t
            name: t
            task: {description: x}
            assertions:
              - type: composite
                config:
                  operator: and
                  conditions:
                    - type: artifact_exist
                      config: {path: a}
                    - type: contains
                      config: {patten: x}
        """
    )
    assert [(p.line, p.column) for p in problems] == [(11, 21), (14, 23), (14, 24)]
    assert "did you mean 'artifact_exists'?" in problems[0].message
    assert problems[1].message == "missing required config key 'pattern' for assertion 'contains'"
    assert "did you mean 'pattern'?" in problems[2].message


def test_type_and_range_errors_are_located(problems_of: ProblemsOf) -> None:
    """Strings for numbers, negative runs and out-of-range thresholds are each reported."""
    problems = problems_of(
        """\
        test_suite: s
        defaults:
          runs_per_test: -1
          timeout_seconds: "soon"
          pass_threshold: 1.5
        tests:
          - id: t
            name: t
            task: {description: x, expected_artifacts: [ok.txt, ../escape.txt]}
            constraints: {max_tokens: 0, budget_usd: -2, allowed_tools: [1]}
            tags: smoke
            runs: 0
            assertions: [{type: artifact_exists, config: {path: a}, weight: -1, critical: "yes"}]
        """
    )
    assert located(problems) == [
        (3, 18, "must be at least 1, got -1"),
        (4, 20, "expected a number, got a string"),
        (5, 19, "must be above 0 and at most 1, got 1.5"),
        (9, 57, "expected artifact '../escape.txt' must be a relative path without '..'"),
        (10, 31, "must be at least 1, got 0"),
        (10, 46, "must be at least 0, got -2"),
        (10, 66, "expected a string, got an integer"),
        (11, 11, "expected a list of strings, got a string"),
        (12, 11, "must be at least 1, got 0"),
        (13, 69, "must be at least 0, got -1"),
        (13, 83, "expected true or false, got a string"),
    ]


def test_scoring_weights_must_sum_to_one(problems_of: ProblemsOf) -> None:
    """Weights summing to anything but 1 (within 1e-6) are one problem at the block."""
    problems = problems_of(
        """\
        test_suite: s
        tests:
          - id: t
            name: t
            task: {description: x}
            scoring: {quality_weight: 1.0}
        """
    )
    assert located(problems) == [
        (
            6,
            14,
            "scoring weights must sum to 1, got 1.6 (quality_weight=1, completeness_weight=0.3"
            " (default), efficiency_weight=0.2 (default), cost_weight=0.1 (default))",
        )
    ]


def test_scoring_weights_within_tolerance_are_accepted(problems_of: ProblemsOf) -> None:
    """Float rounding below 1e-6 is not an error, but a weight above 1 is."""
    problems = problems_of(
        """\
        test_suite: s
        defaults:
          scoring:
            quality_weight: 0.7
            completeness_weight: 0.1
            efficiency_weight: 0.1
            cost_weight: 0.1
        tests:
          - id: t
            name: t
            task: {description: x}
            scoring: {quality_weight: 2, completeness_weight: -1,
                      efficiency_weight: 0, cost_weight: 0}
        """
    )
    assert located(problems) == [
        (12, 31, "must be between 0 and 1, got 2"),
        (12, 55, "must be between 0 and 1, got -1"),
    ]


def test_bad_pass_policies_are_located(problems_of: ProblemsOf) -> None:
    """Unknown names, rates outside (0, 1] and unknown keys of a policy are errors."""
    problems = problems_of(
        """\
        test_suite: s
        defaults: {pass_policy: majorty}
        tests:
          - {id: a, name: a, task: {description: x}, pass_policy: {rate: 1.5}}
          - {id: b, name: b, task: {description: x}, pass_policy: {rat: 0.5}}
          - {id: c, name: c, task: {description: x}, pass_policy: "rate: 0"}
        """
    )
    assert located(problems) == [
        (
            2,
            25,
            "unknown pass_policy 'majorty'; use all, any, majority or rate: 0.8;"
            " did you mean 'majority'?",
        ),
        (4, 66, "pass_policy rate must be above 0 and at most 1, got 1.5"),
        (5, 65, "unknown pass_policy key 'rat'; did you mean 'rate'?"),
        (6, 59, "pass_policy rate must be above 0 and at most 1, got 0.0"),
    ]


def test_workspace_fixture_must_exist(problems_of: ProblemsOf, tmp_path: Path) -> None:
    """A workspace_fixture that is missing or is a file is a located error."""
    (tmp_path / "a_file").write_text("x")
    problems = problems_of(
        """\
        test_suite: s
        tests:
          - {id: a, name: a, task: {description: x, workspace_fixture: missing}}
          - {id: b, name: b, task: {description: x, workspace_fixture: a_file}}
        """
    )
    assert [(p.line, p.column) for p in problems] == [(3, 64), (4, 64)]
    assert problems[0].message.startswith("workspace_fixture 'missing' does not exist")
    assert problems[1].message.startswith("workspace_fixture 'a_file' is not a directory")


def test_agents_block_is_validated(problems_of: ProblemsOf) -> None:
    """Unknown adapter types, bad adapter config keys and duplicate names are located."""
    problems = problems_of(
        """\
        test_suite: s
        agents:
          - {name: a, type: clli, config: {command: x}}
          - name: b
            type: cli
            config: {command: x, arg: [y]}
          - {name: b, type: http, config: {endpoint: "http://127.0.0.1:1"}}
        tests:
          - {id: t, name: t, task: {description: x}}
        """
    )
    assert located(problems) == [
        (3, 21, "unknown adapter type 'clli'; did you mean 'cli'?"),
        (6, 26, "unknown config key 'arg' for adapter 'cli'; did you mean 'args'?"),
        (7, 12, "duplicate agent name 'b'"),
    ]


def test_empty_tests_list_is_an_error(problems_of: ProblemsOf) -> None:
    """A suite must have at least one test."""
    problems = problems_of("test_suite: s\ntests: []\n")
    assert located(problems) == [(2, 8, "'tests' must be a non-empty list of tests")]


def test_composite_inline_nested_composite_and_shape_errors(problems_of: ProblemsOf) -> None:
    """An inline ``{operator, ...}`` condition is checked as a composite; bad shapes are located."""
    problems = problems_of(
        """\
        test_suite: s
        tests:
          - id: t
            name: t
            task: {description: x}
            assertions:
              - type: composite
                config:
                  operator: or
                  conditions:
                    - operator: andd
                      conditions: [{type: artifact_exists, config: {path: a}}]
                    - operator: and
                      conditions: []
        """
    )
    assert [(p.line, p.column, p.path) for p in problems] == [
        (11, 25, "$.tests[0].assertions[0].config.conditions[0].operator"),
        (13, 15, "$.tests[0].assertions[0].config.conditions[1]"),
    ]
    assert problems[0].message.startswith(
        "expected one of and, or, not, threshold; did you mean 'and'?"
    )
    assert problems[1].message.startswith("and needs a non-empty conditions list")


def test_adapter_validator_message_points_at_the_key_it_names(problems_of: ProblemsOf) -> None:
    """A validator's own message is kept and placed at the config key it starts with."""
    problems = problems_of(
        """\
        test_suite: s
        agents:
          - name: a
            type: http
            config:
              endpoint: "ftp://example.invalid"
        tests:
          - {id: a, name: a, task: {description: x}}
        """
    )
    assert [(p.line, p.column, p.path) for p in problems] == [
        (6, 17, "$.agents[0].config.endpoint")
    ]
    assert problems[0].message.startswith("endpoint must be an http:// or https:// URL")

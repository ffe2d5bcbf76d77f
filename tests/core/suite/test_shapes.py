"""Blocks of the wrong shape, unusual YAML scalars and the default environment."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from atp_core.errors import SuiteProblem
from atp_core.protocol import Suite
from atp_core.suite import load_suite

LoadText = Callable[..., Suite]
ProblemsOf = Callable[..., list[SuiteProblem]]


def located(problems: list[SuiteProblem]) -> list[tuple[int, int, str]]:
    """(line, column, message) of each problem."""
    return [(p.line, p.column, p.message) for p in problems]


def test_lists_and_mappings_of_the_wrong_shape_are_errors(problems_of: ProblemsOf) -> None:
    """agents, assertions, task and a missing task are each reported."""
    problems = problems_of(
        """\
        test_suite: s
        agents: {name: a}
        tests:
          - {id: a, name: a, task: {description: x}, assertions: {type: contains}}
          - {id: b, name: b, task: "do it"}
          - {id: c, name: c}
        """
    )
    assert located(problems) == [
        (2, 9, "expected a list of agents"),
        (4, 58, "expected a list of assertions"),
        (5, 28, "expected a mapping, got a string"),
        (5, 28, "missing required key 'description'"),
        (6, 5, "missing required key 'task'"),
    ]


def test_pass_policy_forms(problems_of: ProblemsOf) -> None:
    """A number, a rate that is not a number and a mapping without rate are rejected."""
    problems = problems_of(
        """\
        test_suite: s
        tests:
          - {id: a, name: a, task: {description: x}, pass_policy: 1}
          - {id: b, name: b, task: {description: x}, pass_policy: "rate: lots"}
          - {id: c, name: c, task: {description: x}, pass_policy: {}}
        """
    )
    assert located(problems) == [
        (3, 59, "pass_policy must be all, any, majority or {rate: 0.8}, got an integer"),
        (4, 59, "pass_policy rate expected a number, got a string"),
        (5, 59, "pass_policy mapping needs 'rate'"),
    ]


def test_pass_policy_rate_text_is_accepted(load_text: LoadText) -> None:
    """The string form ``rate: 0.75`` means the same as ``{rate: 0.75}``."""
    suite = load_text(
        """\
        test_suite: s
        tests:
          - {id: a, name: a, task: {description: x}, pass_policy: "rate:0.75"}
        """
    )
    assert str(suite.tests[0].pass_policy) == "rate: 0.75"


def test_overlong_task_description_is_rejected(problems_of: ProblemsOf) -> None:
    """A description over 100,000 characters is an error at the description."""
    problems = problems_of(
        "test_suite: s\ntests:\n  - id: a\n    name: a\n    task:\n      description: "
        + "x" * 100_001
        + "\n"
    )
    assert located(problems) == [(6, 20, "task description is longer than 100000 characters")]


def test_anchored_booleans_and_dates_load_as_plain_values(load_text: LoadText) -> None:
    """An anchored ``true`` stays a boolean and a YAML date becomes ISO text."""
    suite = load_text(
        """\
        test_suite: s
        version: 2024-01-31
        tests:
          - id: a
            name: a
            task: {description: x}
            assertions:
              - {type: file_exists, config: {path: a}, critical: &yes true}
              - {type: file_exists, config: {path: b}, critical: *yes}
        """
    )
    assert suite.version == "2024-01-31"
    assert [a.critical for a in suite.tests[0].assertions] == [True, True]


def test_composite_not_with_a_single_condition_is_checked(problems_of: ProblemsOf) -> None:
    """The ``condition`` of a ``not`` composite is checked like any assertion."""
    problems = problems_of(
        """\
        test_suite: s
        tests:
          - id: a
            name: a
            task: {description: x}
            assertions:
              - type: composite
                config:
                  operator: not
                  condition: {type: file_exists, config: {path: 3}}
        """
    )
    assert located(problems) == [
        (10, 57, "expected a string, got an integer (config of assertion 'file_exists')")
    ]


def test_load_suite_reads_os_environ_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an env mapping, variables come from the process environment."""
    monkeypatch.setenv("ATP_TEST_SUITE_NAME", "from-environ")
    path = tmp_path / "s.yaml"
    path.write_text(
        "test_suite: ${ATP_TEST_SUITE_NAME}\ntests:\n  - {id: a, name: a, task: {description: x}}\n"
    )
    assert load_suite(path).name == "from-environ"

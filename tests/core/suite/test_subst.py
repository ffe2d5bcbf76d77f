"""``${VAR}`` substitution: properties of the string rule and its use in suite files."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atp_core.errors import SuiteProblem
from atp_core.protocol import Suite
from atp_core.suite import SubstitutionError, substitute

LoadText = Callable[..., Suite]
ProblemsOf = Callable[..., list[SuiteProblem]]


names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True)
values = st.text(max_size=30)
no_dollar = st.text(max_size=30).filter(lambda s: "$" not in s)
defaults = st.text(max_size=20).filter(lambda s: "}" not in s)
# ``${A:-x}`` is the ``:-`` form, so a ``:`` default cannot start with "-".
colon_defaults = defaults.filter(lambda s: not s.startswith("-"))


@given(no_dollar, st.dictionaries(names, values))
def test_text_without_dollar_is_unchanged(text: str, env: dict[str, str]) -> None:
    """Text with no ``$`` comes back exactly as it went in."""
    assert substitute(text, env) == text


@given(no_dollar, names, values, no_dollar)
def test_set_variable_is_replaced_in_place(pre: str, name: str, value: str, post: str) -> None:
    """``${NAME}`` becomes the variable's value, and the value is never substituted again."""
    assert substitute(f"{pre}${{{name}}}{post}", {name: value}) == pre + value + post


@given(names, colon_defaults)
def test_default_is_used_when_the_variable_is_unset(name: str, default: str) -> None:
    """Both default spellings give the default for an unset variable."""
    assert substitute(f"${{{name}:{default}}}", {}) == default
    assert substitute(f"${{{name}:-{default}}}", {}) == default


@given(names, defaults, values)
def test_default_is_ignored_when_the_variable_is_set(name: str, default: str, value: str) -> None:
    """A set, non-empty variable wins over its default in both spellings."""
    value = value or "v"
    assert substitute(f"${{{name}:{default}}}", {name: value}) == value
    assert substitute(f"${{{name}:-{default}}}", {name: value}) == value


@given(names, colon_defaults)
def test_colon_dash_default_also_replaces_an_empty_value(name: str, default: str) -> None:
    """``:-`` treats an empty variable as unset (as a shell does); ``:`` keeps it empty."""
    assert substitute(f"${{{name}:-{default}}}", {name: ""}) == default
    assert substitute(f"${{{name}:{default}}}", {name: ""}) == ""


@given(st.lists(names, min_size=1, max_size=4, unique=True))
def test_every_missing_variable_is_named(missing: list[str]) -> None:
    """An unset variable without a default is an error naming each such variable."""
    text = " ".join(f"${{{n}}}" for n in missing)
    with pytest.raises(SubstitutionError) as info:
        substitute(text, {})
    for name in missing:
        assert repr(name) in str(info.value)


@given(no_dollar.filter(lambda s: "{" not in s))
def test_double_dollar_writes_a_literal_reference(rest: str) -> None:
    """``$${`` is an escape for a literal ``${``."""
    assert substitute(f"$${{{rest}", {}) == "${" + rest


@given(st.text(alphabet="${}:-ab_ ", max_size=40), st.dictionaries(names, values, max_size=3))
def test_arbitrary_text_either_substitutes_or_raises_substitution_error(
    text: str, env: dict[str, str]
) -> None:
    """No input makes substitution fail with anything but SubstitutionError."""
    try:
        result = substitute(text, env)
    except SubstitutionError:
        return
    assert isinstance(result, str)


def test_dash_after_colon_dash_starts_the_default() -> None:
    """``${N:--1}`` has the default ``-1``; ``${N:-1}`` has the default ``1``."""
    assert substitute("${N:--1}", {}) == "-1"
    assert substitute("${N:-1}", {}) == "1"


def test_malformed_references_are_errors() -> None:
    """An unterminated ``${`` or a reference that is not a name is reported."""
    with pytest.raises(SubstitutionError, match="unterminated"):
        substitute("abc ${HOME", {"HOME": "/h"})
    with pytest.raises(SubstitutionError, match="invalid variable reference '\\$\\{1A\\}'"):
        substitute("${1A}", {})


SUITE = """\
test_suite: "${SUITE_NAME:demo}"
defaults:
  runs_per_test: ${RUNS:3}
tests:
  - id: t
    name: "${GREETING}"
    task: {description: "say ${GREETING} to ${WHO:-world}"}
"""


def test_suite_values_are_substituted_from_env(load_text: LoadText) -> None:
    """String values take variables from the env mapping, with defaults."""
    suite = load_text(SUITE, env={"GREETING": "hi", "WHO": ""})
    assert suite.name == "demo"
    assert suite.tests[0].name == "hi"
    assert suite.tests[0].task.description == "say hi to world"


def test_unquoted_substitution_is_read_as_a_yaml_scalar(load_text: LoadText) -> None:
    """``runs_per_test: ${RUNS:3}`` gives the integer, from the default or the variable."""
    assert load_text(SUITE, env={"GREETING": "x"}).defaults.runs_per_test == 3
    assert load_text(SUITE, env={"GREETING": "x", "RUNS": "7"}).tests[0].runs == 7


def test_quoted_substitution_stays_a_string(problems_of: ProblemsOf) -> None:
    """A quoted ``"${RUNS}"`` is a string, so a number field rejects it."""
    problems = problems_of(SUITE.replace("${RUNS:3}", '"${RUNS:3}"'), env={"GREETING": "x"})
    assert [(p.line, p.column, p.message) for p in problems] == [
        (3, 18, "expected an integer, got a string")
    ]


def test_unset_variable_is_a_located_error(problems_of: ProblemsOf) -> None:
    """A variable with no value and no default is reported at the value that uses it."""
    problems = problems_of(SUITE, env={})
    assert [(p.line, p.column, p.message) for p in problems] == [
        (6, 11, "environment variable 'GREETING' is not set and has no default"),
        (7, 25, "environment variable 'GREETING' is not set and has no default"),
    ]


def test_keys_are_not_substituted(problems_of: ProblemsOf) -> None:
    """A ``${VAR}`` in a key stays literal, so it is an unknown key."""
    problems = problems_of("test_suite: s\n${K}: 1\n", env={"K": "tests"})
    assert [(p.line, p.column, p.message) for p in problems] == [
        (1, 1, "missing required key 'tests'"),
        (2, 1, "unknown key '${K}'"),
    ]

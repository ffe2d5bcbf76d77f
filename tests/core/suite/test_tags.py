"""Tag filter expressions for ``--tags``."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atp_core.errors import ConfigError
from atp_core.suite import TagFilter, parse_tag_expr

TAGS = ["smoke", "fast", "slow", "api", "ui", "p1"]
tag_names = st.sampled_from(TAGS)
Tree = Any  # ("tag", name) | ("not", tree) | ("and" | "or", [tree, ...])

trees: st.SearchStrategy[Tree] = st.recursive(
    tag_names.map(lambda t: ("tag", t)),
    lambda inner: st.one_of(
        inner.map(lambda t: ("not", t)),
        st.tuples(st.sampled_from(["and", "or"]), st.lists(inner, min_size=2, max_size=3)),
    ),
    max_leaves=8,
)


def evaluate(tree: Tree, tags: set[str]) -> bool:
    """The meaning of a tree, computed directly."""
    kind, arg = tree
    if kind == "tag":
        return arg in tags
    if kind == "not":
        return not evaluate(arg, tags)
    results = [evaluate(t, tags) for t in arg]
    return all(results) if kind == "and" else any(results)


def render(tree: Tree, comma: bool) -> str:
    """Write a tree as an expression, parenthesising every nested operator."""
    kind, arg = tree
    if kind == "tag":
        return str(arg)
    if kind == "not":
        inner = render(arg, comma)
        return f"not ({inner})" if arg[0] in ("and", "or") else f"not {inner}"
    parts = [f"({render(t, comma)})" if t[0] in ("and", "or") else render(t, comma) for t in arg]
    joiner = "," if kind == "or" and comma else f" {kind} "
    return joiner.join(parts)


@given(trees, st.sets(tag_names), st.booleans())
def test_parsed_expression_means_what_it_says(tree: Tree, tags: set[str], comma: bool) -> None:
    """A rendered expression selects exactly the tag sets its tree selects."""
    assert parse_tag_expr(render(tree, comma))(tags) == evaluate(tree, tags)


@given(trees, st.sets(tag_names))
def test_normalised_form_parses_to_the_same_filter(tree: Tree, tags: set[str]) -> None:
    """``str(filter)`` is an expression with the same meaning."""
    expr = parse_tag_expr(render(tree, comma=True))
    assert parse_tag_expr(str(expr))(tags) == expr(tags)


@given(st.text(alphabet="abc(), !&notrd", max_size=25))
def test_any_text_parses_or_raises_config_error(text: str) -> None:
    """Arbitrary input yields a filter or a ConfigError, nothing else."""
    try:
        result = parse_tag_expr(text)
    except ConfigError:
        return
    assert isinstance(result, TagFilter)


@pytest.mark.parametrize(
    ("expr", "tags", "selected"),
    [
        ("smoke", {"smoke"}, True),
        ("smoke", {"fast"}, False),
        ("smoke,fast", {"fast"}, True),
        ("smoke, fast", set(), False),
        ("smoke and not slow", {"smoke"}, True),
        ("smoke and not slow", {"smoke", "slow"}, False),
        ("(a or b) and not c", {"b"}, True),
        ("(a or b) and not c", {"b", "c"}, False),
        ("a or b and c", {"a"}, True),
        ("not not a", {"a"}, True),
        ("area/api-v2", {"area/api-v2"}, True),
    ],
)
def test_examples(expr: str, tags: set[str], selected: bool) -> None:
    """Commas mean or, ``and`` binds tighter than ``or``, ``not`` tightest."""
    assert parse_tag_expr(expr)(tags) is selected


@pytest.mark.parametrize(
    ("expr", "why"),
    [
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("smoke and", "it ends too early"),
        ("(smoke", "it ends too early"),
        ("smoke)", "unexpected ')'"),
        ("and smoke", "unexpected 'and'"),
        ("smoke fast", "unexpected 'fast'"),
        ("smoke & fast", "unexpected '&'"),
        ("a,,b", "unexpected ','"),
    ],
)
def test_invalid_expressions_raise_config_error(expr: str, why: str) -> None:
    """Malformed expressions say what is wrong."""
    with pytest.raises(ConfigError) as info:
        parse_tag_expr(expr)
    assert str(info.value) == f"invalid tag expression {expr!r}: {why}"

"""plain(): attrs objects, containers and floats turned into JSON-ready values."""

from __future__ import annotations

import enum
import json
import math

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from atp_web.responses import plain


class Color(enum.StrEnum):
    """A str subclass, as protocol literals may be."""

    RED = "red"


@attrs.frozen(kw_only=True)
class Inner:
    """A nested attrs value."""

    score: float
    tags: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Outer:
    """An attrs value holding every kind of field."""

    name: str
    inner: Inner
    items: list[Inner]
    extra: dict[int, object]
    flag: bool = False
    missing: None = None


def test_attrs_values_become_dicts_with_lists_and_string_keys() -> None:
    """Nested attrs objects, tuples, lists and dicts come out as dicts, lists and str keys."""
    value = Outer(
        name="a",
        inner=Inner(score=0.5, tags=("x", "y")),
        items=[Inner(score=1.0)],
        extra={1: (Color.RED, 2)},
    )
    assert plain(value) == {
        "name": "a",
        "inner": {"score": 0.5, "tags": ["x", "y"]},
        "items": [{"score": 1.0, "tags": []}],
        "extra": {"1": ["red", 2]},
        "flag": False,
        "missing": None,
    }


def test_non_finite_floats_become_null_anywhere() -> None:
    """NaN and infinities, bare or nested, become None so the JSON stays valid."""
    assert plain(math.nan) is None
    assert plain([math.inf, Inner(score=-math.inf)]) == [None, {"score": None, "tags": []}]


@settings(deadline=None)  # a shared 2-CPU machine: timing is not what this checks
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    )
)
def test_any_json_like_value_encodes_strictly(value: object) -> None:
    """Whatever the nesting, the result encodes with allow_nan=False and keeps finite values."""
    encoded = json.dumps(plain(value), allow_nan=False)
    assert json.loads(encoded) == plain(value)

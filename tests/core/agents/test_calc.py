"""The calculator's safe arithmetic."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atp_core.agents._calc import CalcError, calculate, find_expression


@st.composite
def expressions(draw: st.DrawFn, depth: int = 3) -> str:
    """Random integer arithmetic with + - * and parentheses."""
    if depth == 0 or draw(st.booleans()):
        return str(draw(st.integers(min_value=-1000, max_value=1000)))
    op = draw(st.sampled_from(["+", "-", "*"]))
    return f"({draw(expressions(depth - 1))} {op} {draw(expressions(depth - 1))})"


@given(expressions())
def test_integer_arithmetic_matches_python(expression: str) -> None:
    """Whatever the nesting, the result equals Python's own arithmetic."""
    assert calculate(expression) == eval(expression)


@given(st.integers(-(10**6), 10**6), st.integers(1, 10**6))
def test_division_is_true_division_and_whole_results_are_ints(a: int, b: int) -> None:
    """a / b is true division; a whole quotient comes back as an int."""
    result = calculate(f"{a} / {b}")
    assert result == pytest.approx(a / b)
    assert isinstance(result, int) == (a % b == 0)


@pytest.mark.parametrize(
    ("expression", "answer"),
    [
        ("2 ^ 10", 1024),
        ("7 // 2", 3),
        ("7 % 4", 3),
        ("-(3)", -3),
        ("1.5 * 2", 3),
        ("0.1 + 0.2", 0.1 + 0.2),
    ],
)
def test_supported_operators(expression: str, answer: float) -> None:
    """Power (also as ^), floor division, modulo and unary minus work."""
    assert calculate(expression) == answer


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("__import__('os').system('true')", "unsupported syntax"),
        ("abs(-1)", "unsupported syntax"),
        ("x + 1", "unsupported syntax"),
        ("'a' * 3", "unsupported syntax"),
        ("1 / 0", "division by zero"),
        ("2 ** 100000", "exponent"),
        ("10.0 ** 300 * 10.0 ** 300", "too large"),
        ("(-8) ** 0.5", "not a real number"),
        ("1 +", "not an arithmetic expression"),
    ],
)
def test_anything_but_plain_arithmetic_is_refused(expression: str, message: str) -> None:
    """Names, calls, strings and out-of-bounds values are refused, never evaluated."""
    with pytest.raises(CalcError, match=message):
        calculate(expression)


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("What is (2 + 3) * 4?", "(2 + 3) * 4"),
        ("Compute 17 * 23.", "17 * 23"),
        ("What is 6 times 7 plus 1", "6 * 7 + 1"),
        ("Say hello", None),
    ],
)
def test_expression_is_found_in_prose(text: str, expression: str | None) -> None:
    """The longest arithmetic run in the task is the expression; number words are read."""
    assert find_expression(text) == expression

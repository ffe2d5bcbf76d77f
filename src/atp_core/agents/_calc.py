"""Safe arithmetic for the ``calculator`` agent: a whitelist over Python's ``ast``, no eval."""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable

Number = int | float

MAX_EXPRESSION_CHARS = 1_000
MAX_EXPONENT = 1_000
MAX_MAGNITUDE = 10.0**300

_BINARY: dict[type[ast.operator], Callable[[Number, Number], Number]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[Number], Number]] = {
    ast.UAdd: operator.pos,
    ast.USub: operator.neg,
}
_WORDS = (
    (r"\bmultiplied by\b", "*"),
    (r"\bdivided by\b", "/"),
    (r"\btimes\b", "*"),
    (r"\bplus\b", "+"),
    (r"\bminus\b", "-"),
    (r"\bmodulo\b", "%"),
    (r"\bto the power of\b", "**"),
)
_CANDIDATE = re.compile(r"[-+*/%^().\d\s]+")


class CalcError(ValueError):
    """The expression is not plain arithmetic, or its value is out of bounds."""


def find_expression(text: str) -> str | None:
    """The longest run of arithmetic in ``text`` that holds a number, or ``None``."""
    for pattern, symbol in _WORDS:
        text = re.sub(pattern, symbol, text, flags=re.IGNORECASE)
    candidates = [m.group().strip().rstrip(".").strip() for m in _CANDIDATE.finditer(text)]
    candidates = [c for c in candidates if any(ch.isdigit() for ch in c)]
    return max(candidates, key=len) if candidates else None


def calculate(expression: str) -> Number:
    """Evaluate ``expression`` (numbers, + - * / // % ** ^ and parentheses)."""
    if len(expression) > MAX_EXPRESSION_CHARS:
        raise CalcError(f"expression longer than {MAX_EXPRESSION_CHARS} characters")
    try:
        tree = ast.parse(expression.replace("^", "**"), mode="eval")
    except SyntaxError as exc:
        raise CalcError(f"not an arithmetic expression: {expression!r}") from exc
    return tidy(_value(tree.body))


def tidy(value: Number) -> Number:
    """Whole floats become ints, so ``6/3`` answers ``2``."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _value(node: ast.expr) -> Number:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        value: Number = node.value  # type: ignore[assignment]  # narrowed by the type check
        return _bounded(value)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_value(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _value(node.left), _value(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
            raise CalcError(f"exponent {right} is larger than {MAX_EXPONENT}")
        try:
            return _bounded(_BINARY[type(node.op)](left, right))
        except ZeroDivisionError as exc:
            raise CalcError("division by zero") from exc
        except OverflowError as exc:
            raise CalcError("result is too large") from exc
    raise CalcError(f"unsupported syntax: {ast.dump(node)[:80]}")


def _bounded(value: Number) -> Number:
    if isinstance(value, complex) or abs(value) > MAX_MAGNITUDE:
        raise CalcError("result is too large or not a real number")
    return value

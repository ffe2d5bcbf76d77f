"""Tag filters for ``--tags``: ``smoke``, ``smoke,fast``, ``(a or b) and not c``.

Grammar (``,`` is another spelling of ``or``; ``not`` binds tightest)::

    expr := term (("or" | ",") term)*
    term := factor ("and" factor)*
    factor := "not" factor | "(" expr ")" | TAG
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from atp_core.errors import ConfigError

KEYWORDS = frozenset({"and", "or", "not"})
TAG_PATTERN = r"[A-Za-z0-9_][A-Za-z0-9_.:/+-]*"
_TOKEN = re.compile(rf"\s*(?:(?P<punct>[(),])|(?P<word>{TAG_PATTERN})|(?P<bad>\S))")


@attrs.frozen
class _Tag:
    name: str

    def matches(self, tags: frozenset[str]) -> bool:
        return self.name in tags

    def __str__(self) -> str:
        return self.name


@attrs.frozen
class _Not:
    operand: _Node

    def matches(self, tags: frozenset[str]) -> bool:
        return not self.operand.matches(tags)

    def __str__(self) -> str:
        return f"not {_wrap(self.operand)}"


@attrs.frozen
class _Op:
    kind: str
    operands: tuple[_Node, ...]

    def matches(self, tags: frozenset[str]) -> bool:
        results = (o.matches(tags) for o in self.operands)
        return all(results) if self.kind == "and" else any(results)

    def __str__(self) -> str:
        return f" {self.kind} ".join(_wrap(o) for o in self.operands)


_Node = _Tag | _Not | _Op


def _wrap(node: _Node) -> str:
    return f"({node})" if isinstance(node, _Op) else str(node)


@attrs.frozen
class TagFilter:
    """A parsed tag expression; call it with a test's tags to see if the test is selected."""

    expression: _Node

    def __call__(self, tags: Iterable[str]) -> bool:
        return self.expression.matches(frozenset(tags))

    def __str__(self) -> str:
        return str(self.expression)


def parse_tag_expr(expr: str) -> TagFilter:
    """Parse a tag filter expression.

    Raises:
        ConfigError: the expression is empty or malformed.
    """
    parser = _Parser(expr, _tokens(expr))
    node = parser.expr()
    if parser.peek() is not None:
        parser.fail(f"unexpected {parser.peek()!r}")
    return TagFilter(node)


def _tokens(expr: str) -> list[str]:
    tokens: list[str] = []
    for match in _TOKEN.finditer(expr):
        if match.group("bad"):
            raise ConfigError(f"invalid tag expression {expr!r}: unexpected {match.group('bad')!r}")
        tokens.append(match.group("punct") or match.group("word"))
    return tokens


@attrs.define
class _Parser:
    text: str
    tokens: list[str]
    position: int = 0

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def fail(self, why: str) -> None:
        raise ConfigError(f"invalid tag expression {self.text!r}: {why}")

    def take(self) -> str:
        token = self.peek()
        if token is None:
            self.fail("it ends too early" if self.tokens else "it is empty")
        self.position += 1
        return str(token)

    def expr(self) -> _Node:
        operands = [self.term()]
        while self.peek() in ("or", ","):
            self.take()
            operands.append(self.term())
        return operands[0] if len(operands) == 1 else _Op("or", tuple(operands))

    def term(self) -> _Node:
        operands = [self.factor()]
        while self.peek() == "and":
            self.take()
            operands.append(self.factor())
        return operands[0] if len(operands) == 1 else _Op("and", tuple(operands))

    def factor(self) -> _Node:
        word = self.take()
        if word == "not":
            return _Not(self.factor())
        if word == "(":
            node = self.expr()
            if self.take() != ")":
                self.fail("expected ')'")
            return node
        if word in KEYWORDS or word in ("(", ")", ","):
            self.fail(f"unexpected {word!r}")
        return _Tag(word)

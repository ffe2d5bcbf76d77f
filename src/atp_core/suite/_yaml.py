"""Parse YAML into plain Python data plus the 1-based line:col of every key and value.

The round-trip loader of ruamel.yaml keeps marks on mappings and sequences; scalars do
not carry their own, so marks are read from the parent while walking the tree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scalarstring import ScalarString

from atp_core.errors import SuiteError, SuiteProblem

Path = tuple[str | int, ...]


@attrs.frozen
class Mark:
    """A 1-based position in the file."""

    line: int
    column: int


@attrs.frozen(kw_only=True)
class Document:
    """A parsed YAML document: plain data, where each part is, and which strings were quoted.

    ``values`` maps a path to where its value starts; ``keys`` maps a path to where its
    key is written. ``plain`` holds the paths of unquoted string scalars.
    """

    data: Any
    values: dict[Path, Mark]
    keys: dict[Path, Mark]
    plain: frozenset[Path]


def json_path(path: Path) -> str:
    """Render ``("tests", 0, "id")`` as ``$.tests[0].id``."""
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def parse_yaml(text: str, filename: str) -> Document:
    """Parse ``text``; a syntax error raises ``SuiteError`` with its location."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    try:
        root = yaml.load(text)
    except MarkedYAMLError as exc:
        raise SuiteError([_syntax_problem(exc, filename)]) from exc
    except YAMLError as exc:
        raise SuiteError([SuiteProblem(message=f"invalid YAML: {exc}", file=filename)]) from exc
    walker = _Walker()
    walker.values[()] = _root_mark(root)
    data = walker.walk(root, ())
    return Document(
        data=data, values=walker.values, keys=walker.keys, plain=frozenset(walker.plain)
    )


def _syntax_problem(exc: MarkedYAMLError, filename: str) -> SuiteProblem:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    context = f" ({exc.context})" if exc.context and exc.problem else ""
    return SuiteProblem(
        message=f"invalid YAML: {problem}{context}",
        file=filename,
        line=mark.line + 1 if mark is not None else 0,
        column=mark.column + 1 if mark is not None else 0,
    )


def _root_mark(root: Any) -> Mark:
    if isinstance(root, CommentedMap | CommentedSeq):
        return Mark(root.lc.line + 1, root.lc.col + 1)
    return Mark(1, 1)


@attrs.define
class _Walker:
    values: dict[Path, Mark] = attrs.Factory(dict)
    keys: dict[Path, Mark] = attrs.Factory(dict)
    plain: set[Path] = attrs.Factory(set)

    def walk(self, node: Any, path: Path) -> Any:
        if isinstance(node, CommentedMap):
            return self._mapping(node, path)
        if isinstance(node, CommentedSeq):
            return self._sequence(node, path)
        return self._scalar(node, path)

    def _mapping(self, node: CommentedMap, path: Path) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        own = Mark(node.lc.line + 1, node.lc.col + 1)
        for key, value in node.items():
            plain_key = self._scalar(key, None)
            child = (*path, str(plain_key))
            # Keys that came in through a ``<<`` merge have no marks of their own.
            key_mark = node.lc.data.get(key)
            if key_mark is None:
                self.keys[child] = self.values[child] = own
            else:
                self.keys[child] = Mark(key_mark[0] + 1, key_mark[1] + 1)
                self.values[child] = Mark(key_mark[2] + 1, key_mark[3] + 1)
            self._container_mark(value, child)
            out[plain_key] = self.walk(value, child)
        return out

    def _sequence(self, node: CommentedSeq, path: Path) -> list[Any]:
        out: list[Any] = []
        for index, value in enumerate(node):
            child = (*path, index)
            mark = node.lc.data.get(index)
            self.values[child] = (
                Mark(mark[0] + 1, mark[1] + 1) if mark is not None else self.values[path]
            )
            self._container_mark(value, child)
            out.append(self.walk(value, child))
        return out

    def _container_mark(self, value: Any, path: Path) -> None:
        # A block mapping's own mark is its first key, which reads better than the
        # position after the parent's colon when the mapping is on the next line.
        if isinstance(value, CommentedMap | CommentedSeq) and len(value) > 0:
            self.values[path] = Mark(value.lc.line + 1, value.lc.col + 1)

    def _scalar(self, node: Any, path: Path | None) -> Any:
        if isinstance(node, ScalarString):
            return str(node)
        if isinstance(node, str):
            if path is not None:
                self.plain.add(path)
            return str(node)
        if isinstance(node, bool) or node is None:
            return node
        if isinstance(node, ScalarBoolean):
            return bool(node)
        if isinstance(node, int):
            return int(node)
        if isinstance(node, float):
            return float(node)
        if isinstance(node, dt.date):
            return node.isoformat()
        return node

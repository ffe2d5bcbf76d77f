"""Collects located problems while a suite is checked."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import attrs

from atp_core.errors import SuiteProblem
from atp_core.suite._yaml import Document, Mark, Path, json_path


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """A ``; did you mean 'x'?`` suffix when a known name is close to ``name``."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


@attrs.define
class Problems:
    """Every problem found so far, each placed at a line and column of the file."""

    doc: Document
    file: str
    items: list[SuiteProblem] = attrs.Factory(list)

    def at(self, path: Path, message: str) -> None:
        """Record a problem with the value at ``path``."""
        self._add(path, message, self._value_mark(path))

    def at_key(self, path: Path, message: str) -> None:
        """Record a problem with the key that names ``path`` (e.g. an unknown key)."""
        mark = self.doc.keys.get(path) or self._value_mark(path)
        self._add(path, message, mark)

    def _value_mark(self, path: Path) -> Mark:
        # A value that came from a default or a merge may have no mark: use its parent's.
        for end in range(len(path), -1, -1):
            mark = self.doc.values.get(path[:end])
            if mark is not None:
                return mark
        return Mark(1, 1)

    def _add(self, path: Path, message: str, mark: Mark) -> None:
        problem = SuiteProblem(
            message=message,
            path=json_path(path),
            file=self.file,
            line=mark.line,
            column=mark.column,
        )
        if problem not in self.items:
            self.items.append(problem)

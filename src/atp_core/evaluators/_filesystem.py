"""Workspace checks: file_exists, file_not_exists, dir_exists, file_contains, file_count.

Paths are relative to the run's workspace. An absolute path or one that climbs out with
``..`` is rejected at load time; one that escapes only through a symlink fails the check.
A missing workspace makes every check undecidable (skipped), never passed.
"""

from __future__ import annotations

import abc
import operator as op
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Literal

import attrs

from atp_core.errors import ConfigError
from atp_core.evaluators._outcome import (
    Outcome,
    check_pattern,
    check_relative,
    failed,
    names,
    passed,
    pattern_found,
    shown,
    skipped,
)
from atp_core.protocol import AssertionSpec, CheckResult, EvalContext
from atp_core.protocol._interfaces import workspace_file

Comparison = Literal["eq", "gt", "gte", "lt", "lte"]
_COMPARE: dict[str, tuple[Callable[[int, int], bool], str]] = {
    "eq": (op.eq, "=="),
    "gt": (op.gt, ">"),
    "gte": (op.ge, ">="),
    "lt": (op.lt, "<"),
    "lte": (op.le, "<="),
}


@attrs.frozen(kw_only=True)
class PathConfig:
    """A path relative to the workspace."""

    path: str

    def __attrs_post_init__(self) -> None:
        check_relative(self.path)


@attrs.frozen(kw_only=True)
class FileContainsConfig:
    """``file_contains``: a workspace file and the pattern it must contain."""

    path: str
    pattern: str
    regex: bool = False

    def __attrs_post_init__(self) -> None:
        check_relative(self.path)
        check_pattern(self.pattern, self.regex)


@attrs.frozen(kw_only=True)
class FileCountConfig:
    """``file_count``: how many regular files lie directly in a workspace directory."""

    count: int
    path: str = "."
    operator: Comparison = "eq"

    def __attrs_post_init__(self) -> None:
        check_relative(self.path)
        if self.count < 0:
            raise ConfigError(f"count must be 0 or more, got {self.count}")


class _WorkspaceCheck(abc.ABC):
    """Shared plumbing: resolve the path, skip when there is no workspace."""

    config_type: ClassVar[type[Any]] = PathConfig

    def __init__(self, config: Any, spec: AssertionSpec) -> None:
        self.config = config
        self.spec = spec

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Judge the workspace path named by the config."""
        return self._resolve_and_judge(ctx).result(self.spec)

    def _resolve_and_judge(self, ctx: EvalContext) -> Outcome:
        if not ctx.workspace.is_dir():
            return skipped(f"the workspace {ctx.workspace} does not exist")
        try:
            target = workspace_file(ctx, self.config.path)
        except ValueError as exc:
            return failed(str(exc))
        return self._judge(target)

    @abc.abstractmethod
    def _judge(self, target: Path) -> Outcome:
        """Judge the resolved path inside an existing workspace."""


def _neighbours(target: Path) -> str:
    """The entries of the nearest existing parent, for messages."""
    parent = target.parent
    while not parent.is_dir():
        parent = parent.parent
    return names(sorted(p.name for p in parent.iterdir()))


class FileExists(_WorkspaceCheck):
    """The workspace has a regular file at ``path``."""

    def _judge(self, target: Path) -> Outcome:
        path = self.config.path
        if target.is_file():
            return passed(f"file {path!r} exists ({target.stat().st_size} bytes)")
        if target.is_dir():
            return failed(f"{path!r} is a directory, not a file")
        return failed(f"no file {path!r} in the workspace (next to it: {_neighbours(target)})")


class FileNotExists(_WorkspaceCheck):
    """Nothing (no file, no directory) is at ``path`` in the workspace."""

    def _judge(self, target: Path) -> Outcome:
        path = self.config.path
        if target.is_dir():
            return failed(f"{path!r} exists, as a directory")
        if target.exists():
            return failed(f"{path!r} exists ({target.stat().st_size} bytes)")
        return passed(f"{path!r} does not exist")


class DirExists(_WorkspaceCheck):
    """The workspace has a directory at ``path``."""

    def _judge(self, target: Path) -> Outcome:
        path = self.config.path
        if target.is_dir():
            return passed(f"directory {path!r} exists")
        if target.exists():
            return failed(f"{path!r} is a file, not a directory")
        return failed(f"no directory {path!r} (next to it: {_neighbours(target)})")


class FileContains(_WorkspaceCheck):
    """The workspace file at ``path`` contains ``pattern`` (substring or regex)."""

    config_type: ClassVar[type[Any]] = FileContainsConfig

    def _judge(self, target: Path) -> Outcome:
        cfg = self.config
        what = f"{'regex' if cfg.regex else 'pattern'} {cfg.pattern!r}"
        if not target.is_file():
            return failed(f"{what}: no file {cfg.path!r} in the workspace")
        try:
            text = target.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            return skipped(f"{what}: {cfg.path!r} is binary, not UTF-8 text")
        if pattern_found(cfg.pattern, cfg.regex, text):
            return passed(f"{what} found in {cfg.path!r}")
        return failed(f"{what} not found in {cfg.path!r}, which starts {shown(text[:60])}")


class FileCount(_WorkspaceCheck):
    """The number of regular files directly in ``path`` compares to ``count``."""

    config_type: ClassVar[type[Any]] = FileCountConfig

    def _judge(self, target: Path) -> Outcome:
        cfg = self.config
        if not target.is_dir():
            return failed(f"no directory {cfg.path!r} to count files in")
        files = sorted(p.name for p in target.iterdir() if p.is_file())
        compare, symbol = _COMPARE[cfg.operator]
        claim = f"{len(files)} files in {cfg.path!r}, expected {symbol} {cfg.count}"
        if compare(len(files), cfg.count):
            return passed(claim, actual=len(files))
        return failed(f"{claim} (files: {names(files)})", actual=len(files))

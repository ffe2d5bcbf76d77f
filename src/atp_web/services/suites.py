"""The suite files the dashboard may run: YAML files under the configured directories."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs

SKIP_DIRS = frozenset({"node_modules", "__pycache__", "site-packages", "venv"})
MAX_DEPTH = 4
SNIFF_BYTES = 8192


@attrs.frozen(kw_only=True)
class SuiteFile:
    """A suite file found on disk; ``key`` is how forms and URLs name it."""

    key: str
    path: Path


def _walk(root: Path, depth: int) -> Iterator[Path]:
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in SKIP_DIRS:
            continue
        if entry.is_dir() and not entry.is_symlink() and depth < MAX_DEPTH:
            yield from _walk(entry, depth + 1)
        elif entry.suffix in (".yaml", ".yml") and entry.is_file():
            yield entry


def _looks_like_suite(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError:
        return False
    return b"test_suite:" in head


def find_suites(dirs: Sequence[Path]) -> tuple[SuiteFile, ...]:
    """Every suite file under ``dirs``, once each, by key."""
    found: dict[Path, SuiteFile] = {}
    for base in dirs:
        root = base.resolve()
        for path in _walk(root, 0):
            real = path.resolve()
            if real in found or not _looks_like_suite(path):
                continue
            try:
                key = str(real.relative_to(Path.cwd().resolve()))
            except ValueError:
                key = str(real)
            found[real] = SuiteFile(key=key, path=real)
    return tuple(sorted(found.values(), key=lambda s: s.key))

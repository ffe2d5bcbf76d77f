"""Reading and listing files under one root (the ``read_file`` and ``list_files`` tools)."""

from __future__ import annotations

from pathlib import Path

MAX_READ_BYTES = 1_000_000


def inside(root: Path, relative: str) -> Path:
    """``relative`` resolved under ``root``; ``PermissionError`` if it escapes."""
    base = root.resolve()
    target = (base / relative).resolve()
    if target != base and base not in target.parents:
        raise PermissionError(f"path {relative!r} is outside the served files")
    return target


def read_file(root: Path, path: str) -> dict[str, object]:
    """The text of one file (at most ``MAX_READ_BYTES``; ``truncated`` says if cut)."""
    target = inside(root, path)
    if not target.is_file():
        raise LookupError(f"no file {path!r}")
    with target.open("rb") as handle:
        data = handle.read(MAX_READ_BYTES + 1)
    return {"path": path, "content": data[:MAX_READ_BYTES].decode("utf-8", errors="replace"),
            "truncated": len(data) > MAX_READ_BYTES}


def list_files(root: Path, path: str = ".") -> list[str]:
    """Every file under ``path``, relative to the root, sorted."""
    base = root.resolve()
    target = inside(root, path)
    if not target.is_dir():
        raise LookupError(f"no directory {path!r}")
    return sorted(p.relative_to(base).as_posix() for p in target.rglob("*") if p.is_file())

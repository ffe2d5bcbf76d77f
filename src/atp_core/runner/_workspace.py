"""Per-run workspace directories and writing file artifacts into them, safely.

Agent files land only inside the run's workspace: a path that is absolute, uses ``..`` or
resolves outside the workspace (say through a symlink) is refused with a protocol warning.
"""

from __future__ import annotations

import base64
import binascii
import re
import shutil
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

import anyio

from atp_core.protocol import Artifact, FileArtifact

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
TEXT_TYPES = (
    "application/json",
    "application/xml",
    "application/javascript",
    "application/yaml",
    "application/x-yaml",
    "application/toml",
)


def safe_name(name: str) -> str:
    """``name`` with every character outside ``[A-Za-z0-9_.-]`` replaced by ``_``."""
    cleaned = _UNSAFE.sub("_", name).strip(".")
    return cleaned or "_"


async def remove_workspace(path: Path) -> None:
    """Delete a workspace and everything in it."""
    await anyio.to_thread.run_sync(lambda: shutil.rmtree(path, ignore_errors=True))


async def write_artifacts(workspace: Path, artifacts: Sequence[Artifact]) -> list[str]:
    """Write every file artifact that carries content; return protocol warnings."""
    if not any(isinstance(a, FileArtifact) and a.content is not None for a in artifacts):
        return []
    return await anyio.to_thread.run_sync(_write_all, workspace, artifacts)


def _write_all(workspace: Path, artifacts: Sequence[Artifact]) -> list[str]:
    warnings: list[str] = []
    for artifact in artifacts:
        if isinstance(artifact, FileArtifact) and artifact.content is not None:
            warning = _write_one(workspace, artifact)
            if warning:
                warnings.append(warning)
    return warnings


def artifact_target(workspace: Path, relative: str) -> Path | None:
    """Where a file artifact goes inside ``workspace``, or ``None`` if the path escapes it."""
    pure = PurePosixPath(relative.replace("\\", "/"))
    if not relative or pure.is_absolute() or ".." in pure.parts or relative.startswith("~"):
        return None
    root = workspace.resolve()
    try:
        target = (root / pure).resolve()
    except (ValueError, OSError):  # a NUL byte, a symlink loop, a name too long
        return None
    if target == root or root not in target.parents:
        return None
    return target


def _write_one(workspace: Path, artifact: FileArtifact) -> str | None:
    target = artifact_target(workspace, artifact.path)
    if target is None:
        return f"file artifact path {artifact.path!r} refused: it leaves the workspace"
    data, warning = _decode(artifact)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as exc:
        return f"file artifact {artifact.path!r} could not be written: {exc.strerror}"
    return warning


def is_text(content_type: str | None) -> bool:
    """Whether content of this type travels as text rather than base64."""
    if content_type is None:
        return True
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime.startswith("text/") or mime in TEXT_TYPES or mime.endswith(("+json", "+xml"))


def _decode(artifact: FileArtifact) -> tuple[bytes, str | None]:
    content = artifact.content or ""
    if is_text(artifact.content_type):
        return content.encode("utf-8"), None
    try:
        return base64.b64decode(content, validate=True), None
    except (binascii.Error, ValueError):
        return content.encode("utf-8"), (
            f"file artifact {artifact.path!r} of type {artifact.content_type} is not valid "
            "base64; written as text"
        )

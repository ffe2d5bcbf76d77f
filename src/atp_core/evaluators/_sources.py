"""Where artifact checks read from: artifacts of the response and files of the workspace.

A ``Source`` is one readable thing with its text, or the reason it could not be read.
File artifacts carry text, or base64 when their content type is binary; structured
artifacts are searched as JSON text; reference artifacts and file artifacts without inline
content are read from the run's workspace when the file is there.
"""

from __future__ import annotations

import base64
import binascii
import json
from pathlib import Path

import attrs

from atp_core.evaluators._outcome import normal_path
from atp_core.protocol import (
    Artifact,
    EvalContext,
    FileArtifact,
    StructuredArtifact,
)
from atp_core.protocol._interfaces import workspace_file

_TEXT_HINTS = ("json", "xml", "yaml", "javascript", "csv", "markdown", "toml", "x-sh", "sql")


@attrs.frozen(kw_only=True)
class Source:
    """One artifact or workspace file: its text, or why it has none."""

    label: str
    text: str | None = None
    problem: str | None = None
    data: object = None


def artifact_key(artifact: Artifact) -> str:
    """The path of a file/reference artifact or the name of a structured one."""
    return artifact.name if isinstance(artifact, StructuredArtifact) else artifact.path


def artifact_label(artifact: Artifact) -> str:
    """How an artifact is named in messages."""
    return f"{artifact_key(artifact)} ({artifact.type})"


def matching_artifacts(ctx: EvalContext, path: str) -> list[Artifact]:
    """Artifacts whose path (file, reference) or name (structured) is ``path``."""
    wanted = normal_path(path)
    out: list[Artifact] = []
    for artifact in ctx.response.artifacts:
        if isinstance(artifact, StructuredArtifact):
            if artifact.name == path:
                out.append(artifact)
        elif normal_path(artifact.path) == wanted:
            out.append(artifact)
    return out


def workspace_path(ctx: EvalContext, path: str) -> Path | None:
    """The workspace file at ``path``, or ``None`` if it escapes or is not a file."""
    try:
        target = workspace_file(ctx, path)
    except ValueError:
        return None
    return target if target.is_file() else None


def is_text_type(content_type: str | None) -> bool:
    """Whether a content type names text (no type at all counts as text)."""
    if content_type is None:
        return True
    lowered = content_type.lower()
    return lowered.startswith("text/") or any(hint in lowered for hint in _TEXT_HINTS)


def decode_bytes(raw: bytes, label: str) -> Source:
    """UTF-8 text of ``raw``, or a source explaining it is binary."""
    try:
        return Source(label=label, text=raw.decode("utf-8"))
    except UnicodeDecodeError:
        return Source(label=label, problem=f"{label} is binary, not UTF-8 text")


def file_content(artifact: FileArtifact, label: str) -> Source:
    """The text of a file artifact's inline content (decoding base64 for binary types)."""
    content = artifact.content
    assert content is not None
    if is_text_type(artifact.content_type):
        return Source(label=label, text=content)
    try:
        raw = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        # Declared binary but not base64: the agent sent the text itself.
        return Source(label=label, text=content)
    return decode_bytes(raw, label)


def read_workspace(ctx: EvalContext, path: str, label: str) -> Source | None:
    """The workspace file at ``path`` as a source, or ``None`` if there is none."""
    target = workspace_path(ctx, path)
    if target is None:
        return None
    try:
        raw = target.read_bytes()
    except OSError as exc:
        return Source(label=label, problem=f"{label} could not be read: {exc.strerror}")
    return decode_bytes(raw, label)


def artifact_source(ctx: EvalContext, artifact: Artifact) -> Source:
    """The searchable text of one artifact, or why it has none."""
    label = artifact_label(artifact)
    if isinstance(artifact, StructuredArtifact):
        text = json.dumps(artifact.data, sort_keys=True, ensure_ascii=False)
        return Source(label=label, text=text, data=artifact.data)
    if isinstance(artifact, FileArtifact) and artifact.content is not None:
        return file_content(artifact, label)
    from_disk = read_workspace(ctx, artifact.path, label)
    if from_disk is not None:
        return from_disk
    return Source(label=label, problem=f"{label} has no inline content and is not in the workspace")


@attrs.frozen(kw_only=True)
class Gathered:
    """Sources found for a check: readable ones and unreadable ones."""

    readable: list[Source]
    unreadable: list[Source]
    missing: str | None = None


def gather(ctx: EvalContext, path: str | None) -> Gathered:
    """Every artifact (``path`` is None) or the artifact/workspace file at ``path``."""
    if path is None:
        sources = [artifact_source(ctx, a) for a in ctx.response.artifacts]
        if not sources:
            return Gathered(readable=[], unreadable=[], missing="the response has no artifacts")
    else:
        sources = [artifact_source(ctx, a) for a in matching_artifacts(ctx, path)]
        if not sources:
            on_disk = read_workspace(ctx, path, f"{path} (workspace file)")
            if on_disk is None:
                return Gathered(
                    readable=[],
                    unreadable=[],
                    missing=f"no artifact or workspace file {path!r} (artifacts: {available(ctx)})",
                )
            sources = [on_disk]
    return Gathered(
        readable=[s for s in sources if s.text is not None],
        unreadable=[s for s in sources if s.text is None],
    )


def available(ctx: EvalContext) -> str:
    """The artifacts of the response, for messages."""
    labels = [artifact_label(a) for a in ctx.response.artifacts]
    return ", ".join(labels[:10]) + (", ..." if len(labels) > 10 else "") if labels else "none"

"""How an artifact is shown: text, pretty JSON, an image, or a reference, never as HTML."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

import attrs

from atp_core.protocol import Artifact, FileArtifact, StructuredArtifact

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
MAX_SHOWN = 512 * 1024


@attrs.frozen(kw_only=True)
class Shown:
    """An artifact prepared for the viewer: ``kind`` is text, json, image, reference or empty."""

    kind: str
    name: str
    content_type: str | None
    text: str = ""
    truncated: bool = False


def _maybe_json(text: str, content_type: str | None, path: str) -> Any:
    if not (content_type or "").endswith("json") and not path.endswith(".json"):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def show(artifact: Artifact) -> Shown:
    """The viewer's form of an artifact."""
    if isinstance(artifact, StructuredArtifact):
        text = json.dumps(artifact.data, indent=2, sort_keys=True, ensure_ascii=False)
        return Shown(kind="json", name=artifact.name, content_type=artifact.content_type,
                     text=text)
    if not isinstance(artifact, FileArtifact):
        return Shown(kind="reference", name=artifact.path, content_type=artifact.content_type,
                     text=artifact.path)
    if artifact.content is None:
        return Shown(kind="empty", name=artifact.path, content_type=artifact.content_type)
    if artifact.content_type in IMAGE_TYPES:
        return Shown(kind="image", name=artifact.path, content_type=artifact.content_type)
    data = _maybe_json(artifact.content, artifact.content_type, artifact.path)
    if data is not None:
        text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
        return Shown(kind="json", name=artifact.path, content_type=artifact.content_type,
                     text=text)
    content = artifact.content
    return Shown(kind="text", name=artifact.path, content_type=artifact.content_type,
                 text=content[:MAX_SHOWN], truncated=len(content) > MAX_SHOWN)


def image_bytes(artifact: Artifact) -> bytes | None:
    """The decoded bytes of an image artifact (PNG, JPEG, GIF, WebP), or None."""
    if not isinstance(artifact, FileArtifact) or artifact.content_type not in IMAGE_TYPES:
        return None
    if artifact.content is None:
        return None
    try:
        return base64.b64decode(artifact.content, validate=True)
    except (binascii.Error, ValueError):
        return None

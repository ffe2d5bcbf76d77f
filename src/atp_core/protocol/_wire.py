"""ATP Protocol v1 messages: request, response, event and artifacts (SPEC §1)."""

from __future__ import annotations

import re
from typing import Any, Literal

import attrs

PROTOCOL_VERSION = "1.0"
TASK_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
MAX_DESCRIPTION = 100_000

ResponseStatus = Literal["completed", "failed", "timeout", "cancelled", "partial"]
EventType = Literal["tool_call", "llm_request", "reasoning", "error", "progress"]
RESPONSE_STATUSES: tuple[str, ...] = ("completed", "failed", "timeout", "cancelled", "partial")
EVENT_TYPES: tuple[str, ...] = ("tool_call", "llm_request", "reasoning", "error", "progress")


def _task_id(_: object, __: attrs.Attribute[str], value: str) -> None:
    if not TASK_ID_RE.match(value):
        raise ValueError(f"task_id must be 1-128 chars of [A-Za-z0-9_-], got {value!r}")


def _description(_: object, __: attrs.Attribute[str], value: str) -> None:
    if len(value) > MAX_DESCRIPTION:
        raise ValueError(f"task description longer than {MAX_DESCRIPTION} characters")


@attrs.frozen(kw_only=True)
class Task:
    """What the agent is asked to do."""

    description: str = attrs.field(validator=_description)
    input_data: dict[str, Any] | None = None
    expected_artifacts: list[str] | None = None


@attrs.frozen(kw_only=True)
class Constraints:
    """Limits the agent must respect; ATP checks them after the run."""

    max_steps: int | None = None
    max_tokens: int | None = None
    timeout_seconds: float | None = None
    allowed_tools: list[str] | None = None
    budget_usd: float | None = None


@attrs.frozen(kw_only=True)
class Context:
    """Where the agent works: tools endpoint, workspace and environment."""

    tools_endpoint: str | None = None
    workspace_path: str | None = None
    environment: dict[str, str] | None = None


@attrs.frozen(kw_only=True)
class Request:
    """ATP → agent."""

    task_id: str = attrs.field(validator=_task_id)
    task: Task
    version: str = PROTOCOL_VERSION
    constraints: Constraints = attrs.Factory(Constraints)
    context: Context | None = None
    metadata: dict[str, Any] = attrs.Factory(dict)


@attrs.frozen(kw_only=True)
class Metrics:
    """What the agent reports it consumed."""

    total_tokens: int | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    cache_creation_tokens: int | None = None
    cache_read_tokens: int | None = None
    total_steps: int | None = None
    tool_calls: int | None = None
    llm_calls: int | None = None
    wall_time_seconds: float | None = None
    cost_usd: float | None = None


@attrs.frozen(kw_only=True)
class FileArtifact:
    """A file the agent produced; ``content`` is text or base64 for binary."""

    path: str
    type: Literal["file"] = "file"
    content_type: str | None = None
    size_bytes: int | None = None
    content_hash: str | None = None
    content: str | None = None


@attrs.frozen(kw_only=True)
class StructuredArtifact:
    """Structured data the agent produced."""

    name: str
    data: dict[str, Any]
    type: Literal["structured"] = "structured"
    content_type: str | None = None


@attrs.frozen(kw_only=True)
class ReferenceArtifact:
    """A pointer to something the agent produced elsewhere (path or URL)."""

    path: str
    type: Literal["reference"] = "reference"
    content_type: str | None = None
    size_bytes: int | None = None


Artifact = FileArtifact | StructuredArtifact | ReferenceArtifact


@attrs.frozen(kw_only=True)
class Response:
    """Agent → ATP: the outcome of one task."""

    task_id: str = attrs.field(validator=_task_id)
    status: ResponseStatus
    version: str = PROTOCOL_VERSION
    artifacts: list[Artifact] = attrs.Factory(list)
    metrics: Metrics = attrs.Factory(Metrics)
    error: str | None = None
    trace_id: str | None = None


@attrs.frozen(kw_only=True)
class Event:
    """Agent → ATP while working. ``payload`` shape depends on ``event_type``."""

    task_id: str = attrs.field(validator=_task_id)
    event_type: EventType
    timestamp: str
    sequence: int = attrs.field(validator=attrs.validators.ge(0))
    payload: dict[str, Any] = attrs.Factory(dict)
    version: str = PROTOCOL_VERSION

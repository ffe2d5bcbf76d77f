"""The suite file, as data (SPEC §2). The loader in ``atp_core.suite`` builds these."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from atp_core.protocol._wire import Constraints


@attrs.frozen(kw_only=True)
class Scoring:
    """Weights of the four score components; they sum to 1."""

    quality_weight: float = 0.4
    completeness_weight: float = 0.3
    efficiency_weight: float = 0.2
    cost_weight: float = 0.1


@attrs.frozen(kw_only=True)
class PassPolicy:
    """How a test's runs combine into its verdict: all, any, majority or rate."""

    kind: Literal["all", "any", "majority", "rate"] = "all"
    rate: float | None = None

    def __str__(self) -> str:
        return f"rate: {self.rate}" if self.kind == "rate" else self.kind


@attrs.frozen(kw_only=True)
class AgentSpec:
    """An agent named in the suite's ``agents:`` block (or on the command line)."""

    name: str
    type: str
    config: dict[str, Any] = attrs.Factory(dict)


@attrs.frozen(kw_only=True)
class AssertionSpec:
    """One assertion: its type and raw config (validated against the evaluator's config)."""

    type: str
    config: dict[str, Any] = attrs.Factory(dict)
    critical: bool = False
    weight: float = 1.0


@attrs.frozen(kw_only=True)
class TaskSpec:
    """The task given to the agent; ``workspace_fixture`` is an absolute path once loaded."""

    description: str
    input_data: dict[str, Any] | None = None
    expected_artifacts: list[str] | None = None
    workspace_fixture: str | None = None


@attrs.frozen(kw_only=True)
class TestCase:
    """One test with its defaults already applied."""

    __test__ = False  # not a pytest test class, despite the name

    id: str
    name: str
    task: TaskSpec
    description: str | None = None
    tags: tuple[str, ...] = ()
    constraints: Constraints = attrs.Factory(Constraints)
    assertions: tuple[AssertionSpec, ...] = ()
    scoring: Scoring = attrs.Factory(Scoring)
    pass_threshold: float | None = None
    pass_policy: PassPolicy = attrs.Factory(PassPolicy)
    runs: int = 1
    timeout_seconds: float = 120.0


@attrs.frozen(kw_only=True)
class Defaults:
    """The suite's ``defaults:`` block."""

    runs_per_test: int = 1
    timeout_seconds: float = 120.0
    constraints: Constraints = attrs.Factory(Constraints)
    scoring: Scoring = attrs.Factory(Scoring)
    pass_policy: PassPolicy = attrs.Factory(PassPolicy)
    pass_threshold: float | None = None


@attrs.frozen(kw_only=True)
class SearchToolSpec:
    """The ``search`` tools: full-text search over a directory of text documents."""

    documents: str  # an absolute directory once loaded


@attrs.frozen(kw_only=True)
class FilesToolSpec:
    """The file tools: read and list files under one directory."""

    root: str  # an absolute directory once loaded


@attrs.frozen(kw_only=True)
class ToolsSpec:
    """The suite's ``tools:`` block: what ATP serves at ``context.tools_endpoint``."""

    search: SearchToolSpec | None = None
    files: FilesToolSpec | None = None


@attrs.frozen(kw_only=True)
class Suite:
    """A loaded, validated suite."""

    name: str
    tests: tuple[TestCase, ...]
    version: str = "1.0"
    description: str | None = None
    defaults: Defaults = attrs.Factory(Defaults)
    agents: tuple[AgentSpec, ...] = ()
    source: str | None = None
    content_hash: str | None = None
    tools: ToolsSpec | None = None

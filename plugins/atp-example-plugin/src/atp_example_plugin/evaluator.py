"""``example_json_value``: a key of a JSON artifact must equal a value."""

from __future__ import annotations

import json
from typing import Any, ClassVar

import attrs

from atp_core.protocol import (
    AssertionSpec,
    CheckResult,
    EvalContext,
    FileArtifact,
    StructuredArtifact,
)


@attrs.frozen(kw_only=True)
class JsonValueConfig:
    """Which value of which artifact to compare."""

    path: str = attrs.field(metadata={"description": "file artifact path or structured name",
                                      "example": "counts.json"})
    key: str = attrs.field(metadata={"description": "top-level key of the JSON object",
                                     "example": "total"})
    equals: int | float | str | bool = attrs.field(
        metadata={"description": "the value the key must hold", "example": 9})


class JsonValue:
    """Passes when ``key`` of the JSON artifact at ``path`` equals ``equals``."""

    atp_plugin_api: ClassVar[str] = ">=1.0,<2"
    config_type: ClassVar[type[JsonValueConfig]] = JsonValueConfig

    def __init__(self, config: JsonValueConfig, spec: AssertionSpec) -> None:
        self.config = config
        self.spec = spec

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Find the artifact, read the key, compare; say why when it fails."""
        data = _json_of(ctx, self.config.path)
        if data is None:
            return self._result("failed", 0.0, f"no JSON object artifact {self.config.path!r}")
        if self.config.key not in data:
            return self._result("failed", 0.0, f"{self.config.path} has no key "
                                f"{self.config.key!r}")
        actual = data[self.config.key]
        if actual == self.config.equals and type(actual) is type(self.config.equals):
            return self._result("passed", 1.0, f"{self.config.key} is {actual!r}")
        return self._result("failed", 0.0, f"{self.config.key} is {actual!r}, expected "
                            f"{self.config.equals!r}")

    def _result(self, status: Any, score: float, message: str) -> CheckResult:
        return CheckResult(name=self.spec.type, status=status, score=score, message=message,
                           critical=self.spec.critical, weight=self.spec.weight)


def _json_of(ctx: EvalContext, path: str) -> dict[str, Any] | None:
    for artifact in ctx.response.artifacts:
        if isinstance(artifact, StructuredArtifact) and artifact.name == path:
            return artifact.data
        if isinstance(artifact, FileArtifact) and artifact.path == path and artifact.content:
            try:
                loaded = json.loads(artifact.content)
            except ValueError:
                return None
            return loaded if isinstance(loaded, dict) else None
    return None

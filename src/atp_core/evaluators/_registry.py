"""The evaluator registry: assertion type → evaluator class, imported lazily.

An evaluator class has a ``config_type`` (an attrs class; unknown keys are errors) and is
built as ``cls(config, spec)``; it satisfies the ``Evaluator`` protocol.
"""

from __future__ import annotations

import importlib
from typing import Any

import cattrs

from atp_core.errors import ConfigError
from atp_core.protocol import AssertionSpec, Evaluator, converter
from atp_core.protocol._converter import format_exception

_M = "atp_core.evaluators."
BUILTIN_EVALUATORS: dict[str, str] = {
    "artifact_exists": _M + "_artifacts:ArtifactExists",
    "contains": _M + "_artifacts:Contains",
    "schema": _M + "_artifacts:SchemaCheck",
    "sections": _M + "_artifacts:Sections",
    "behavior": _M + "_behavior:Behavior",
    "must_use_tools": _M + "_behavior:MustUseTools",
    "forbidden_tools": _M + "_behavior:ForbiddenTools",
    "min_tool_calls": _M + "_behavior:MinToolCalls",
    "max_tool_calls": _M + "_behavior:MaxToolCalls",
    "no_errors": _M + "_behavior:NoErrors",
    "file_exists": _M + "_filesystem:FileExists",
    "file_not_exists": _M + "_filesystem:FileNotExists",
    "dir_exists": _M + "_filesystem:DirExists",
    "file_contains": _M + "_filesystem:FileContains",
    "file_count": _M + "_filesystem:FileCount",
    "composite": _M + "_composite:Composite",
    "pytest": _M + "_code_exec:PytestCheck",
    "custom_command": _M + "_code_exec:CustomCommand",
    "lint": _M + "_code_exec:LintCheck",
}

# Judgement types of the original format that later issues bring. A suite using one
# is rejected at load time, never run with the assertion ignored.
NOT_YET_AVAILABLE: frozenset[str] = frozenset(
    {"llm_eval", "security", "factuality", "style", "performance"}
)



def assertion_types() -> list[str]:
    """Every assertion type that can be used now."""
    return sorted(BUILTIN_EVALUATORS)


def evaluator_class(type_name: str) -> type[Any]:
    """The evaluator class for ``type_name``; ``ConfigError`` if unknown or not yet built."""
    if type_name in NOT_YET_AVAILABLE:
        raise ConfigError(f"assertion type {type_name!r} is not available yet")
    target = BUILTIN_EVALUATORS.get(type_name)
    if target is None:
        raise ConfigError(f"unknown assertion type {type_name!r}")
    module_name, _, attr = target.partition(":")
    cls: type[Any] = getattr(importlib.import_module(module_name), attr)
    return cls


def validate_config(type_name: str, config: dict[str, Any]) -> Any:
    """Structure ``config`` into the evaluator's config class, strictly."""
    cls = evaluator_class(type_name)
    try:
        return converter.structure(config, cls.config_type)
    except cattrs.BaseValidationError as exc:
        raise ConfigError(
            f"invalid config for {type_name!r}: "
            + "; ".join(cattrs.transform_error(exc, format_exception=format_exception))
        ) from exc


def build_evaluator(spec: AssertionSpec) -> Evaluator:
    """Build the evaluator for one assertion."""
    cls = evaluator_class(spec.type)
    evaluator: Evaluator = cls(validate_config(spec.type, spec.config), spec)
    return evaluator

"""The evaluator registry: assertion type → evaluator class, via ``atp.evaluators`` entry points.

An evaluator class has a ``config_type`` (an attrs class; unknown keys are errors) and is
built as ``cls(config, spec)``; it satisfies the ``Evaluator`` protocol. Built-ins are entry
points of ATP's own distribution; ``BUILTIN_EVALUATORS`` is used only when that
distribution's metadata is missing. Classes are imported when first used.
"""

from __future__ import annotations

import os
from typing import Any

from atp_core.errors import ConfigError
from atp_core.plugins import (
    LoadedPlugin,
    PluginEntry,
    build_plugin_config,
    entry_map,
    load_plugin,
)
from atp_core.protocol import AssertionSpec, Evaluator

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


def _entries() -> dict[str, PluginEntry]:
    return entry_map("evaluator", BUILTIN_EVALUATORS)


def assertion_types() -> list[str]:
    """Every assertion type registered (an unavailable plugin says why when used)."""
    return sorted(_entries())


def evaluator_plugins() -> list[LoadedPlugin]:
    """Every registered evaluator, loaded and checked, by name."""
    return [load_plugin(e) for _, e in sorted(_entries().items())]


def evaluator_class(type_name: str) -> type[Any]:
    """The evaluator class for ``type_name``.

    Raises:
        ConfigError: unknown, not yet built, or its plugin is unavailable (with the reason).
    """
    entry = _entries().get(type_name)
    if entry is None:
        if type_name in NOT_YET_AVAILABLE:
            raise ConfigError(f"assertion type {type_name!r} is not available yet")
        raise ConfigError(f"unknown assertion type {type_name!r}")
    plugin = load_plugin(entry)
    if not plugin.available:
        raise ConfigError(f"evaluator plugin {type_name!r} ({entry.distribution}) is "
                          f"unavailable: {plugin.reason}")
    cls: type[Any] = plugin.obj
    return cls


def validate_config(type_name: str, config: dict[str, Any]) -> Any:
    """Structure ``config`` into the evaluator's config class, strictly.

    Values missing from ``config`` may come from ``ATP_PLUGIN_<TYPE>__<KEY>`` variables.
    """
    cls = evaluator_class(type_name)
    return build_plugin_config(type_name, cls.config_type, config, os.environ)


def build_evaluator(spec: AssertionSpec) -> Evaluator:
    """Build the evaluator for one assertion."""
    cls = evaluator_class(spec.type)
    evaluator: Evaluator = cls(validate_config(spec.type, spec.config), spec)
    return evaluator

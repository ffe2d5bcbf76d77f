"""The adapter registry: type name → adapter class, imported lazily."""

from __future__ import annotations

import importlib
from typing import Any

import cattrs

from atp_core.errors import ConfigError
from atp_core.protocol import Adapter, AgentSpec, converter
from atp_core.protocol._converter import format_exception

BUILTIN_ADAPTERS: dict[str, str] = {
    "http": "atp_core.adapters._http:HttpAdapter",
    "cli": "atp_core.adapters._cli:CliAdapter",
    "python": "atp_core.adapters._python:PythonAdapter",
}


def adapter_types() -> list[str]:
    """Every adapter type name that can be used."""
    return sorted(BUILTIN_ADAPTERS)


def adapter_class(type_name: str) -> type[Adapter]:
    """The adapter class registered as ``type_name``; ``ConfigError`` if unknown."""
    target = BUILTIN_ADAPTERS.get(type_name)
    if target is None:
        known = ", ".join(adapter_types())
        raise ConfigError(f"unknown adapter type {type_name!r}; known: {known}")
    module_name, _, attr = target.partition(":")
    cls: type[Adapter] = getattr(importlib.import_module(module_name), attr)
    return cls


def build_config(type_name: str, config: dict[str, Any]) -> Any:
    """Validate ``config`` against the adapter's config class (unknown keys are errors)."""
    cls = adapter_class(type_name)
    try:
        return converter.structure(config, cls.config_type)
    except cattrs.BaseValidationError as exc:
        reasons = cattrs.transform_error(exc, format_exception=format_exception)
        message = f"invalid config for adapter {type_name!r}: " + "; ".join(reasons)
        raise ConfigError(message) from exc


def create_adapter(spec: AgentSpec) -> Adapter:
    """Build the adapter an agent spec names, with its validated config."""
    cls = adapter_class(spec.type)
    return cls(build_config(spec.type, spec.config))  # type: ignore[call-arg]

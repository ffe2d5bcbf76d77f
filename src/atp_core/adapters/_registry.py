"""The adapter registry: type name → adapter class, found through ``atp.adapters`` entry points.

Built-ins are entry points of ATP's own distribution too; ``BUILTIN_ADAPTERS`` is used only
when that distribution's metadata is missing (running from a source tree). Classes are
imported when first used.
"""

from __future__ import annotations

import os
from typing import Any

from atp_core.errors import ConfigError
from atp_core.plugins import LoadedPlugin, build_plugin_config, entry_map, load_plugin
from atp_core.protocol import Adapter, AgentSpec

BUILTIN_ADAPTERS: dict[str, str] = {
    "http": "atp_core.adapters._http:HttpAdapter",
    "cli": "atp_core.adapters._cli:CliAdapter",
    "python": "atp_core.adapters._python:PythonAdapter",
}


def adapter_types() -> list[str]:
    """Every adapter type name registered (an unavailable plugin says why when used)."""
    return sorted(entry_map("adapter", BUILTIN_ADAPTERS))


def adapter_plugins() -> list[LoadedPlugin]:
    """Every registered adapter, loaded and checked, by name."""
    return [load_plugin(e) for _, e in sorted(entry_map("adapter", BUILTIN_ADAPTERS).items())]


def adapter_class(type_name: str) -> type[Adapter]:
    """The adapter class registered as ``type_name``.

    Raises:
        ConfigError: the type is unknown, or its plugin is unavailable (with the reason).
    """
    entry = entry_map("adapter", BUILTIN_ADAPTERS).get(type_name)
    if entry is None:
        known = ", ".join(adapter_types())
        raise ConfigError(f"unknown adapter type {type_name!r}; known: {known}")
    plugin = load_plugin(entry)
    if not plugin.available:
        raise ConfigError(
            f"adapter plugin {type_name!r} ({entry.distribution}) is unavailable: {plugin.reason}"
        )
    cls: type[Adapter] = plugin.obj
    return cls


def build_config(type_name: str, config: dict[str, Any]) -> Any:
    """Validate ``config`` against the adapter's config class (unknown keys are errors).

    Values missing from ``config`` may come from ``ATP_PLUGIN_<TYPE>__<KEY>`` variables.
    """
    cls = adapter_class(type_name)
    try:
        return build_plugin_config(type_name, cls.config_type, config, os.environ)
    except ConfigError as exc:
        message = str(exc).replace(f"invalid config for {type_name!r}",
                                   f"invalid config for adapter {type_name!r}", 1)
        raise ConfigError(message) from exc.__cause__


def create_adapter(spec: AgentSpec) -> Adapter:
    """Build the adapter an agent spec names, with its validated config."""
    cls = adapter_class(spec.type)
    return cls(build_config(spec.type, spec.config))  # type: ignore[call-arg]

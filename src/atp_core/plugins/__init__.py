"""Plugins: adapters, evaluators and reporters found through entry points.

Groups ``atp.adapters``, ``atp.evaluators`` and ``atp.reporters``; ATP's built-ins are
registered the same way. Discovery reads metadata only and is cached per process; a
plugin's module is imported when it is used or listed, then checked (interface, plugin API
range, config) and kept as available or unavailable with its reason.
"""

from __future__ import annotations

from atp_core.plugins._api import PLUGIN_API_VERSION, api_problem
from atp_core.plugins._config import (
    ENV_PREFIX,
    build_plugin_config,
    config_schema,
    env_prefix,
    env_values,
    example_config,
)
from atp_core.plugins._discovery import (
    GROUPS,
    KINDS,
    PluginEntry,
    PluginKind,
    clear_discovery_cache,
    entry_map,
    plugin_entries,
)
from atp_core.plugins._docs import plugin_markdown, write_plugin_docs
from atp_core.plugins._load import LoadedPlugin, clear_load_cache, load_plugin

__all__ = [
    "ENV_PREFIX",
    "GROUPS",
    "KINDS",
    "PLUGIN_API_VERSION",
    "LoadedPlugin",
    "PluginEntry",
    "PluginKind",
    "api_problem",
    "build_plugin_config",
    "clear_caches",
    "clear_discovery_cache",
    "clear_load_cache",
    "config_schema",
    "entry_map",
    "env_prefix",
    "env_values",
    "example_config",
    "load_plugin",
    "plugin_entries",
    "plugin_markdown",
    "write_plugin_docs",
]


def clear_caches() -> None:
    """Forget discovered and loaded plugins (after installing one in this process)."""
    clear_discovery_cache()
    clear_load_cache()

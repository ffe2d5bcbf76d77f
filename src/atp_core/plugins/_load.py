"""Loading a plugin: import it, check its interface, API range and config; cache the outcome.

A plugin that fails any check is kept as unavailable with its reason; loading another
plugin never depends on it.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
from typing import Any

import attrs

from atp_core.errors import ConfigError
from atp_core.plugins._api import api_problem
from atp_core.plugins._config import build_plugin_config
from atp_core.plugins._discovery import PluginEntry
from atp_core.plugins._interface import interface_problems


@attrs.frozen(kw_only=True)
class LoadedPlugin:
    """A plugin after loading: its object when available, else why it is not.

    Attributes:
        entry: what the metadata says about it.
        obj: the adapter/evaluator/reporter class (or renderer function); ``None`` when
            unavailable.
        reason: why it is unavailable; ``None`` when available.
        api: the plugin API range it declares.
        description: its one-line description.
    """

    entry: PluginEntry
    obj: Any = None
    reason: str | None = None
    api: str = ""
    description: str = ""

    @property
    def available(self) -> bool:
        """Whether the plugin passed every check."""
        return self.reason is None

    @property
    def config_type(self) -> type | None:
        """The plugin's attrs config class, if it has one."""
        return getattr(self.obj, "config_type", None) if self.available else None


def load_plugin(entry: PluginEntry) -> LoadedPlugin:
    """Import and validate ``entry`` once per process; never raises for a broken plugin."""
    return _load(entry)


def clear_load_cache() -> None:
    """Forget loaded plugins (tests that change the environment of plugin configs)."""
    _load.cache_clear()


@functools.cache
def _load(entry: PluginEntry) -> LoadedPlugin:
    if entry.shadowed_by is not None:
        return LoadedPlugin(entry=entry, reason=f"the {entry.kind} named {entry.name!r} from "
                            f"{entry.shadowed_by} takes precedence")
    try:
        obj = _import(entry.target)
    except Exception as exc:  # a plugin's import may fail in any way; it must not spread
        return LoadedPlugin(entry=entry, reason=f"cannot be imported: {type(exc).__name__}: {exc}")
    declared = getattr(obj, "atp_plugin_api", None)
    api = declared if isinstance(declared, str) else ""
    description = _description(obj) or entry.summary
    problems = _problems(entry, obj, declared)
    reason = "; ".join(problems) if problems else None
    return LoadedPlugin(entry=entry, obj=None if reason else obj, reason=reason,
                        api=api or ("built in" if entry.builtin else ""),
                        description=description)


def _problems(entry: PluginEntry, obj: object, declared: object) -> list[str]:
    problems = interface_problems(entry.kind, obj)
    # Built-ins move with ATP itself, so they need not declare a range.
    if not (entry.builtin and declared is None):
        problem = api_problem(declared)
        if problem:
            problems.append(problem)
    config_type = getattr(obj, "config_type", None)
    if not problems and config_type is not None:
        problems += _config_problems(entry, config_type)
    return problems


def _config_problems(entry: PluginEntry, config_type: type) -> list[str]:
    from atp_core.plugins._config import config_schema, env_values

    try:
        env_values(entry.name, config_type, os.environ)
    except ConfigError as exc:
        return [f"bad config: {exc}"]
    # Some built-in configs use sentinels JSON Schema cannot express; ``atp plugins info``
    # says so for them, while a third-party config must be describable.
    if not entry.builtin:
        try:
            config_schema(config_type)
        except Exception as exc:  # the generator rejects types it cannot describe
            return [f"bad config: config_type cannot be described: {type(exc).__name__}: {exc}"]
    # A reporter's config comes from defaults and the environment alone, so it must build
    # now; adapters and evaluators get the rest from the suite.
    if entry.kind == "reporter":
        try:
            build_plugin_config(entry.name, config_type, {}, os.environ)
        except ConfigError as exc:
            return [f"bad config: {exc}"]
    return []


def _import(target: str) -> Any:
    module_name, _, attr = target.partition(":")
    obj: Any = importlib.import_module(module_name.strip())
    for part in attr.strip().split(".") if attr.strip() else ():
        obj = getattr(obj, part)
    return obj


def _description(obj: object) -> str:
    declared = getattr(obj, "atp_plugin_description", None)
    if isinstance(declared, str) and declared.strip():
        return declared.strip()
    doc = inspect.getdoc(obj)
    return doc.strip().splitlines()[0] if doc else ""

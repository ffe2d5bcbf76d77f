"""Plugin discovery, checks at load, configuration from the environment, and docs."""

from __future__ import annotations

import subprocess
import sys
from typing import Any, ClassVar

import attrs
import pytest

from atp_core.errors import ConfigError
from atp_core.plugins import (
    PLUGIN_API_VERSION,
    PluginEntry,
    api_problem,
    build_plugin_config,
    env_values,
    example_config,
    load_plugin,
    plugin_entries,
    plugin_markdown,
)
from atp_core.plugins._interface import interface_problems
from atp_core.protocol import Adapter


@attrs.frozen(kw_only=True)
class Settings:
    """A plugin config."""

    name: str = attrs.field(metadata={"example": "demo"})
    retries: int = 3
    tags: list[str] = attrs.Factory(list)


class GoodAdapter(Adapter):
    """Complies."""

    config_type: ClassVar[type[Any]] = Settings

    def __init__(self, config: Settings) -> None:
        self.config = config

    async def execute(self, request: Any, sink: Any) -> Any:
        raise NotImplementedError


class SyncEvaluator:
    """evaluate is not async."""

    config_type = Settings

    def __init__(self, config: Any, spec: Any) -> None: ...

    def evaluate(self, ctx: Any) -> Any: ...


class Reporter:
    """render takes no result."""

    def render(self) -> str:
        return ""


@pytest.mark.parametrize(
    ("declared", "problem"),
    [(">=1.0,<2", None), ("~=1.0", None), (">=2", "supports plugin API '>=2'"),
     ("1.0", "is not a PEP 440 version specifier"), (None, "declares no plugin API range")],
)
def test_api_range_is_checked_against_this_atp(declared: object, problem: str | None) -> None:
    """A range must be a PEP 440 specifier that contains PLUGIN_API_VERSION."""
    found = api_problem(declared)
    assert found is None if problem is None else problem in str(found)
    assert PLUGIN_API_VERSION == "1.0"


def test_compliant_adapter_has_no_interface_problems() -> None:
    """A subclass of Adapter with async execute and an attrs config passes."""
    assert interface_problems("adapter", GoodAdapter) == []


def test_interface_problems_name_what_is_wrong() -> None:
    """Wrong kind of class, sync evaluate and a render without result are each reported."""
    assert "not a subclass of atp_core.protocol.Adapter" in interface_problems(
        "adapter", SyncEvaluator)[0]
    assert interface_problems("evaluator", SyncEvaluator) == [
        "evaluate must be async: async evaluate(ctx)"]
    assert interface_problems("reporter", Reporter) == [
        "method render(result) must accept 2 positional arguments"]


def test_broken_plugins_load_as_unavailable_with_their_reason() -> None:
    """An import error or a missing API range becomes a reason, never an exception."""
    missing = load_plugin(PluginEntry(kind="adapter", name="m", target="no_such_mod:X",
                                      distribution="d"))
    no_api = load_plugin(PluginEntry(kind="adapter", name="s", distribution="d",
                                     target="atp_core.testing._agent:ScriptedAgent"))
    assert not missing.available
    assert "ModuleNotFoundError" in str(missing.reason)
    assert not no_api.available
    assert "declares no plugin API range" in str(no_api.reason)


def test_environment_values_fill_the_config_under_the_suite_values() -> None:
    """Defaults, then ATP_PLUGIN_<NAME>__<KEY> (JSON for non-strings), then the suite."""
    env = {"ATP_PLUGIN_MY_PLUGIN__RETRIES": "5", "ATP_PLUGIN_MY_PLUGIN__NAME": "env",
           "ATP_PLUGIN_MY_PLUGIN__TAGS": '["a"]', "ATP_PLUGIN_OTHER__X": "1"}
    assert env_values("my-plugin", Settings, env) == {"retries": 5, "name": "env",
                                                      "tags": ["a"]}
    built = build_plugin_config("my-plugin", Settings, {"name": "suite"}, env)
    assert built == Settings(name="suite", retries=5, tags=["a"])


def test_unknown_keys_from_environment_or_suite_are_rejected() -> None:
    """An undeclared key is an error wherever it comes from."""
    with pytest.raises(ConfigError, match="ATP_PLUGIN_P__COLOUR names no config key"):
        env_values("p", Settings, {"ATP_PLUGIN_P__COLOUR": "red"})
    with pytest.raises(ConfigError, match="invalid config for 'p'"):
        build_plugin_config("p", Settings, {"name": "x", "colour": "red"}, {})


def test_example_config_uses_examples_defaults_and_factories() -> None:
    """The documented example fills every key."""
    assert example_config(Settings) == {"name": "demo", "retries": 3, "tags": []}


def test_builtins_are_entry_points_of_atp_itself() -> None:
    """ATP's own adapters are found through the atp.adapters group and marked built in."""
    entries = {e.name: e for e in plugin_entries("adapter", {})}
    assert entries["http"].builtin
    assert entries["http"].target == "atp_core.adapters._http:HttpAdapter"


def test_fallback_table_is_used_only_without_builtin_metadata() -> None:
    """A fallback never adds entries when ATP's distribution declares its own."""
    entries = plugin_entries("adapter", {"fallback-only": "x:y"})
    assert "fallback-only" not in {e.name for e in entries}


def test_listing_entries_imports_no_plugin_module() -> None:
    """Discovery reads metadata only: no adapter module is imported by it."""
    code = ("import sys\nfrom atp_core.adapters import adapter_types\nadapter_types()\n"
            "print(sorted(m for m in sys.modules if m.startswith('atp_core.adapters._')"
            " and m != 'atp_core.adapters._registry'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_plugin_page_shows_metadata_config_and_example() -> None:
    """A plugin's page has its status, config table, schema and a suite example."""
    from atp_core.adapters._registry import adapter_plugins

    page = plugin_markdown(next(p for p in adapter_plugins() if p.entry.name == "cli"))
    assert page.startswith("# cli (adapter)")
    assert "| Status | available |" in page
    assert "ATP_PLUGIN_CLI__<KEY>" in page
    assert "### JSON Schema" in page
    assert "    type: cli\n" in page

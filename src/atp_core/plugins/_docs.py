"""Markdown documentation of plugins: metadata, config keys, schema and a usage example."""

from __future__ import annotations

import json
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from atp_core.plugins._config import config_schema, default_of, env_prefix, example_config
from atp_core.plugins._load import LoadedPlugin
from atp_core.protocol import converter


def usage_example(plugin: LoadedPlugin) -> str:
    """How a suite or the command line uses ``plugin``, with an example config."""
    name = plugin.entry.name
    config_type = plugin.config_type
    config = json.dumps(example_config(config_type)) if config_type is not None else "{}"
    if plugin.entry.kind == "adapter":
        return f"agents:\n  - name: my-agent\n    type: {name}\n    config: {config}\n"
    if plugin.entry.kind == "evaluator":
        return f"assertions:\n  - type: {name}\n    config: {config}\n"
    return f"atp run suite.yaml --report {name}:report.out\n"


def plugin_markdown(plugin: LoadedPlugin) -> str:
    """One plugin's page: what it is, where it comes from, its config and an example."""
    entry = plugin.entry
    lines = [f"# {entry.name} ({entry.kind})", ""]
    if plugin.description:
        lines += [plugin.description, ""]
    lines += [
        "| | |", "|---|---|",
        f"| Status | {'available' if plugin.available else 'unavailable: ' + str(plugin.reason)} |",
        f"| Distribution | {entry.distribution} {entry.version} |",
        f"| Author | {entry.author or '-'} |",
        f"| Plugin API | {plugin.api or '-'} |",
        f"| Object | `{entry.target}` |", "",
    ]
    config_type = plugin.config_type
    if config_type is not None:
        lines += _config_section(entry.name, config_type)
    if plugin.available:
        fence = "sh" if entry.kind == "reporter" else "yaml"
        lines += ["## Example", "", f"```{fence}", usage_example(plugin).rstrip(), "```", ""]
    return "\n".join(lines)


def _config_section(name: str, config_type: type) -> list[str]:
    hints = typing.get_type_hints(config_type)
    lines = ["## Configuration", "",
             f"Every key may also come from the environment as `{env_prefix(name)}<KEY>`.", "",
             "| Key | Type | Default | Description |", "|---|---|---|---|"]
    for field in attrs.fields(config_type):
        lines.append(f"| `{field.name}` | `{_type_name(hints[field.name])}` | "
                     f"{_default(field)} | {field.metadata.get('description', '')} |")
    try:
        schema = json.dumps(config_schema(config_type), indent=2, sort_keys=True)
    except Exception as exc:  # some built-in configs use sentinels a schema cannot express
        return [*lines, "", f"No JSON Schema: {type(exc).__name__}: {exc}", ""]
    return [*lines, "", "### JSON Schema", "", "```json", schema, "```", ""]


def _type_name(hint: Any) -> str:
    if isinstance(hint, type) and not typing.get_args(hint):
        return hint.__name__
    return str(hint).replace("typing.", "").replace("|", "\\|")


def _default(field: attrs.Attribute[Any]) -> str:
    default = default_of(field)
    if default is attrs.NOTHING:
        return "required"
    return f"`{json.dumps(converter.unstructure(default), default=str)}`"


def write_plugin_docs(plugins: Sequence[LoadedPlugin], directory: Path) -> list[Path]:
    """Write one page per plugin and an ``index.md`` into ``directory``; return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    index = ["# ATP plugins", "", "| Name | Kind | Distribution | Status |", "|---|---|---|---|"]
    for plugin in plugins:
        entry = plugin.entry
        page = directory / f"{entry.kind}-{entry.name}.md"
        page.write_text(plugin_markdown(plugin), encoding="utf-8")
        written.append(page)
        status = "available" if plugin.available else "unavailable"
        index.append(f"| [{entry.name}]({page.name}) | {entry.kind} | {entry.distribution} | "
                     f"{status} |")
    index_path = directory / "index.md"
    index_path.write_text("\n".join(index) + "\n", encoding="utf-8")
    return [index_path, *written]

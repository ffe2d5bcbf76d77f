"""``atp plugins list|info|docs``: the adapters, evaluators and reporters ATP can use."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

KINDS = ("adapter", "evaluator", "reporter")


def add_parser(commands: Any) -> None:
    """Register the command and its subcommands."""
    p = commands.add_parser("plugins", help="list and describe plugins",
                            description="Adapters, evaluators and reporters, built in or "
                            "installed as plugins (entry points atp.adapters, atp.evaluators, "
                            "atp.reporters).")
    sub = p.add_subparsers(title="subcommands", metavar="SUBCOMMAND", required=True)
    listing = sub.add_parser("list", help="list plugins and whether each is available")
    listing.add_argument("--type", choices=KINDS, help="only plugins of this kind")
    listing.set_defaults(handler=handle_list)
    info = sub.add_parser("info", help="metadata, config schema and an example of a plugin")
    info.add_argument("name", metavar="NAME")
    info.add_argument("--type", choices=KINDS, help="the kind, when several share NAME")
    info.set_defaults(handler=handle_info)
    docs = sub.add_parser("docs", help="write Markdown documentation of every plugin")
    docs.add_argument("--output", metavar="DIR", required=True, type=Path)
    docs.add_argument("--type", choices=KINDS, help="only plugins of this kind")
    docs.set_defaults(handler=handle_docs)


def loaded_plugins(kind: str | None = None) -> list[Any]:
    """Every plugin of ``kind`` (all kinds when ``None``), loaded and checked."""
    from atp_core.adapters._registry import adapter_plugins
    from atp_core.evaluators._registry import evaluator_plugins
    from atp_core.reporters._registry import reporter_plugins

    sources = {"adapter": adapter_plugins, "evaluator": evaluator_plugins,
               "reporter": reporter_plugins}
    return [p for k, load in sources.items() if kind in (None, k) for p in load()]


def handle_list(args: argparse.Namespace) -> int:
    """One line per plugin: kind, name, status, distribution and version, reason if broken."""
    plugins = loaded_plugins(args.type)
    for plugin in plugins:
        entry = plugin.entry
        status = "available" if plugin.available else "unavailable"
        line = (f"{entry.kind:<10} {entry.name:<18} {status:<12} "
                f"{entry.distribution} {entry.version}")
        print(line if plugin.available else f"{line}: {plugin.reason}")
    broken = sum(not p.available for p in plugins)
    print(f"{len(plugins)} plugins, {broken} unavailable")
    return 0


def handle_info(args: argparse.Namespace) -> int:
    """Print each matching plugin's page: metadata, config, JSON Schema and example."""
    from atp_core.errors import ConfigError
    from atp_core.plugins import plugin_markdown

    matches = [p for p in loaded_plugins(args.type) if p.entry.name == args.name]
    if not matches:
        raise ConfigError(f"no plugin named {args.name!r}; see 'atp plugins list'")
    for plugin in matches:
        print(plugin_markdown(plugin))
        if plugin.config_type is None and plugin.available:
            print("This plugin takes no configuration.\n")
    return 0


def handle_docs(args: argparse.Namespace) -> int:
    """Write ``index.md`` and one page per plugin into ``--output``."""
    from atp_core.plugins import write_plugin_docs

    written = write_plugin_docs(loaded_plugins(args.type), args.output)
    print(json.dumps({"written": len(written), "directory": str(args.output)}))
    return 0

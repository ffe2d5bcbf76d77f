"""``atp config show``: the effective configuration, secrets masked."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(commands: Any) -> None:
    """Register the command."""
    p = commands.add_parser("config", help="show the effective configuration",
                            description="Configuration: defaults, atp.config.yaml, "
                            "atp.config.<ATP_ENV>.yaml, .env, ATP_* variables, flags.")
    sub = p.add_subparsers(title="subcommands", metavar="SUBCOMMAND")
    p.set_defaults(handler=None)
    show = sub.add_parser("show", help="print the merged configuration (secrets masked)")
    show.add_argument("--config", metavar="K=V", action="append", default=[],
                      help="override a value, as on atp run")
    show.set_defaults(handler=handle_show)


def handle_show(args: argparse.Namespace) -> int:
    """Print the merged configuration as YAML-like JSON."""
    import json
    import os
    from pathlib import Path

    from atp_cli._run import config_overrides
    from atp_core.config import dump_config, load_config

    config = load_config(Path.cwd(), os.environ, config_overrides(args))
    print(json.dumps(dump_config(config), indent=2, sort_keys=True))
    return 0

"""``atp demo``: the demo suites against the built-in agents, over all three transports."""

from __future__ import annotations

import argparse
from typing import Any

from atp_cli._observe import add_observability_flags
from atp_cli._store import add_db_flag

HELP = """\
Run the demo suites of examples/demo against the built-in agents: file-ops over stdio,
calculator over HTTP (an SSE stream, served on a free loopback port for the demo) and the
flaky agent in-process, five runs per test. Prints each report."""


def add_parser(commands: Any) -> None:
    """Register the command."""
    p = commands.add_parser("demo", help="run the demo suites against the built-in agents",
                            description=HELP)
    p.add_argument("--report", metavar="FORMAT[:PATH]", action="append", default=[],
                   help="report format and optional file; repeatable (default console)")
    p.add_argument("--no-progress", action="store_true", help="do not draw a progress bar")
    add_db_flag(p)
    add_observability_flags(p)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Serve the HTTP agent, run the suites, stop the agent."""
    from atp_cli._demo import run_demo

    return run_demo(args)

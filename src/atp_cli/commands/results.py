"""``atp results list|show|export``: read the results store."""

from __future__ import annotations

import argparse
from typing import Any

from atp_cli._store import add_db_flag

EXPORT_FORMATS = ("json", "csv", "xlsx", "junit", "html", "markdown")


def add_parser(commands: Any) -> None:
    """Register the command and its subcommands."""
    p = commands.add_parser("results", help="list, show and export stored suite runs",
                            description="Read the results store.")
    p.set_defaults(handler=None)
    sub = p.add_subparsers(title="subcommands", metavar="SUBCOMMAND")
    ls = sub.add_parser("list", help="stored suite runs, newest first")
    ls.add_argument("--suite", help="only this suite")
    ls.add_argument("--agent", help="only this agent")
    ls.add_argument("--since", metavar="ISO-8601", help="only runs started at or after this")
    ls.add_argument("--status", help="only runs with this status (running, completed, ...)")
    ls.add_argument("--limit", type=int, default=20, help="how many (default 20)")
    add_db_flag(ls)
    ls.set_defaults(handler=handle_list)
    show = sub.add_parser("show", help="one suite run: its tests and statistics")
    show.add_argument("id", metavar="SUITE_RUN_ID")
    add_db_flag(show)
    show.set_defaults(handler=handle_show)
    export = sub.add_parser("export", help="export one suite run")
    export.add_argument("id", metavar="SUITE_RUN_ID")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="json")
    export.add_argument("--output", "-o", metavar="PATH", help="file (default: stdout; "
                        "required for xlsx)")
    add_db_flag(export)
    export.set_defaults(handler=handle_export)


def handle_list(args: argparse.Namespace) -> int:
    """Print one line per suite run."""
    from atp_cli._results import list_runs

    return list_runs(args)


def handle_show(args: argparse.Namespace) -> int:
    """Print a suite run as the console report."""
    from atp_cli._results import show_run

    return show_run(args)


def handle_export(args: argparse.Namespace) -> int:
    """Write a suite run in the chosen format."""
    from atp_cli._results import export_run

    return export_run(args)

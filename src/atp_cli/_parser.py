"""The argparse tree of ``atp``. Command modules are light; handlers import lazily."""

from __future__ import annotations

import argparse

from atp_cli.commands import (
    agent,
    baseline,
    benchmark,
    config_cmd,
    db,
    demo,
    listing,
    plugins,
    results,
    run,
    schema,
    serve,
    validate,
)

DESCRIPTION = """\
ATP, the Agent Test Platform: test AI agents the way CI tests code.

Exit codes: 0 all tests passed; 1 some test failed; 2 the suite or the command line is
invalid; 3 an agent or infrastructure error prevented a verdict; 130 interrupted."""


def _version() -> str:
    from atp_core import __version__

    return f"atp {__version__}"


def build_parser() -> argparse.ArgumentParser:
    """Build the full ``atp`` parser."""
    parser = argparse.ArgumentParser(
        prog="atp", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=_version())
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    parser.set_defaults(handler=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in (run, validate, listing, demo, results, baseline, db, agent, schema,
                   config_cmd, plugins, serve, benchmark):
        module.add_parser(commands)
    return parser

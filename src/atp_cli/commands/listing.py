"""``atp list SUITE``: show the tests a suite holds."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(commands: Any) -> None:
    """Register the command."""
    p = commands.add_parser("list", help="list the tests of a suite", description="List tests.")
    p.add_argument("suite", metavar="SUITE", help="suite file")
    p.add_argument("--tags", metavar="EXPR", help="only tests matching a tag expression")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Print one line per test: id, runs, assertions, tags and name."""
    from atp_cli._env import substitution_env
    from atp_core.suite import load_suite, parse_tag_expr

    suite = load_suite(args.suite, env=substitution_env())
    keep = parse_tag_expr(args.tags) if args.tags else None
    print(f"{suite.name} (version {suite.version})")
    for agent in suite.agents:
        print(f"  agent {agent.name} [{agent.type}]")
    shown = 0
    for test in suite.tests:
        if keep is not None and not keep(test.tags):
            continue
        shown += 1
        tags = ",".join(test.tags) or "-"
        print(f"  {test.id:<20} runs={test.runs:<3} checks={len(test.assertions):<3} "
              f"tags={tags:<20} {test.name}")
    print(f"{shown} of {len(suite.tests)} tests")
    return 0

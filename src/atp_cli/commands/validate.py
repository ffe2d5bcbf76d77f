"""``atp validate SUITE...``: check suite files and report every problem."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_parser(commands: Any) -> None:
    """Register the command."""
    p = commands.add_parser(
        "validate",
        help="check suite files, reporting every problem as file:line:col",
        description="Load each suite file and report every problem found, as file:line:col.",
    )
    p.add_argument("suites", nargs="+", metavar="SUITE", help="suite file(s) to check")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Validate each file; exit 2 if any is invalid."""
    from atp_cli._env import substitution_env
    from atp_core.errors import SuiteError
    from atp_core.suite import load_suite

    failed = 0
    for path in args.suites:
        try:
            suite = load_suite(path, env=substitution_env())
        except SuiteError as exc:
            failed += 1
            for problem in exc.problems:
                print(str(problem), file=sys.stderr)
            count = len(exc.problems)
            noun = "problem" if count == 1 else "problems"
            print(f"{path}: invalid ({count} {noun})", file=sys.stderr)
        except FileNotFoundError:
            failed += 1
            print(f"{path}: no such file", file=sys.stderr)
        else:
            runs = sum(t.runs for t in suite.tests)
            print(f"{path}: ok ({len(suite.tests)} tests, {runs} runs, {len(suite.agents)} agents)")
    return 2 if failed else 0

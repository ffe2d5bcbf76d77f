"""``atp run SUITE``: run a suite against its agent(s) and report."""

from __future__ import annotations

import argparse
from typing import Any

from atp_cli._observe import add_observability_flags
from atp_cli._store import add_db_flag

HELP = """\
Run every test of SUITE against the agent(s) of its agents: block (or the one chosen with
--agent), evaluate every run, aggregate the runs and print a report.

Agents: --agent NAME picks one of the suite's agents; --agent builtin:NAME[:TRANSPORT] uses a
built-in agent (transport python, cli or http); --adapter TYPE with --adapter-config KEY=VALUE
gives or overrides the adapter type and config (dotted keys nest; values may be JSON).

Reports: --report FORMAT[:PATH], repeatable; FORMAT is console, json, junit, html or markdown;
without PATH the report goes to standard output. Default: --report console.

Results are stored (default ./.atp/atp.db; --db or ATP_DATABASE_URL for another SQLite file
or PostgreSQL) unless --no-store. --resume SUITE_RUN_ID runs only the runs a stored suite run
is missing; --baseline NAME compares the result with a saved baseline and exits 1 on a
regression.

Observability: structured logs on stderr (--log-level, --log-format, ATP_LOG__LEVEL);
OpenTelemetry traces when OTEL_TRACES_EXPORTER=otlp|console (OTEL_EXPORTER_OTLP_ENDPOINT);
Prometheus metrics with --metrics-port PORT (served while running) or --metrics-file PATH."""


def add_parser(commands: Any) -> None:
    """Register the command."""
    p = commands.add_parser(
        "run", help="run a suite against an agent", description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("suite", metavar="SUITE", help="suite file")
    p.add_argument("--agent", metavar="NAME", help="agent from the suite, or builtin:NAME")
    p.add_argument("--adapter", metavar="TYPE", help="adapter type (http, cli, python, ...)")
    p.add_argument("--adapter-config", metavar="K=V", action="append", default=[],
                   help="adapter config value; repeatable")
    p.add_argument("--runs", type=int, metavar="N", help="runs per test (overrides the suite)")
    p.add_argument("--parallel", type=int, metavar="N", help="runs executing at once")
    p.add_argument("--tags", metavar="EXPR", help="tag filter, e.g. 'smoke and not slow'")
    p.add_argument("--fail-fast", action="store_true", help="stop after the first failed test")
    p.add_argument("--report", metavar="FORMAT[:PATH]", action="append", default=[],
                   help="report format and optional file; repeatable")
    p.add_argument("--keep-workspaces", action="store_true",
                   help="keep each run's workspace directory after evaluation")
    p.add_argument("--workspace-root", metavar="DIR", help="where run workspaces are created")
    p.add_argument("--sandbox", choices=["auto", "bwrap", "container", "none"],
                   help="how code_exec assertions confine agent code ('none' opts out)")
    p.add_argument("--no-progress", action="store_true", help="do not draw a progress bar")
    p.add_argument("--config", metavar="K=V", action="append", default=[],
                   help="override a config value, e.g. runner.parallel=8; repeatable")
    add_db_flag(p)
    add_observability_flags(p)
    p.add_argument("--no-store", action="store_true", help="do not store the results")
    p.add_argument("--resume", metavar="SUITE_RUN_ID",
                   help="run only what a stored suite run is missing (no duplicates)")
    p.add_argument("--baseline", metavar="NAME",
                   help="compare with a saved baseline; a regression fails the run (exit 1)")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Run the suite; exit per SPEC §3."""
    from atp_cli._run import execute

    return execute(args)

"""``python -m atp_core.agents``: run a built-in agent over stdio or HTTP, or list them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from atp_core.agents._catalog import AGENTS, parse_params
from atp_core.agents._http_server import MODES, make_http_server
from atp_core.agents._stdio import run_stdio
from atp_core.errors import ConfigError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m atp_core.agents", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list the built-in agents")
    for name, help_text in (("stdio", "answer one request on stdin"), ("serve", "serve HTTP")):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("agent", choices=sorted(AGENTS))
        sub.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
        if name == "serve":
            sub.add_argument("--host", default="127.0.0.1")
            sub.add_argument("--port", type=int, default=8000)
            sub.add_argument("--mode", choices=MODES, default="json")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "list":
            for name, info in sorted(AGENTS.items()):
                print(f"{name:14} {info.description}")
            return 0
        params = parse_params(args.param)
        if args.command == "stdio":
            return run_stdio(args.agent, params)
        server = make_http_server(args.agent, args.host, args.port, params, args.mode)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with server:
        print(f"serving {args.agent} at {server.url} ({args.mode})", file=sys.stderr, flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())

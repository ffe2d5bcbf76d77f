"""``atp agent list|serve|stdio``: the built-in agents, over HTTP or stdio."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(commands: Any) -> None:
    """Register the command and its subcommands."""
    p = commands.add_parser("agent", help="list or serve the built-in agents",
                            description="The built-in, deterministic, offline agents.")
    sub = p.add_subparsers(title="subcommands", metavar="SUBCOMMAND")
    p.set_defaults(handler=None)
    ls = sub.add_parser("list", help="list the built-in agents")
    ls.set_defaults(handler=handle_list)
    serve = sub.add_parser("serve", help="serve a built-in agent over HTTP")
    serve.add_argument("name", metavar="NAME")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765, metavar="P")
    serve.add_argument("--mode", choices=["json", "sse", "ndjson"], default="json",
                       help="reply as one JSON document, an SSE stream or NDJSON")
    serve.add_argument("--param", action="append", default=[], metavar="K=V",
                       help="agent parameter, e.g. failure_rate=0.3; repeatable")
    serve.set_defaults(handler=handle_serve)
    stdio = sub.add_parser("stdio", help="answer one request on stdin (ATP stdio transport)")
    stdio.add_argument("name", metavar="NAME")
    stdio.add_argument("--param", action="append", default=[], metavar="K=V")
    stdio.set_defaults(handler=handle_stdio)


def handle_list(args: argparse.Namespace) -> int:
    """Print each built-in agent with its description."""
    from atp_core.agents import AGENTS

    for name, info in sorted(AGENTS.items()):
        print(f"{name:<16} {info.description}")
    return 0


def handle_serve(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    from atp_cli._agents import parse_pairs
    from atp_core.agents import serve_http

    print(f"atp: serving agent {args.name} on http://{args.host}:{args.port}/ ({args.mode})")
    serve_http(args.name, args.host, args.port, parse_pairs(args.param, "--param"), mode=args.mode)
    return 0


def handle_stdio(args: argparse.Namespace) -> int:
    """Answer one request read from stdin."""
    from atp_cli._agents import parse_pairs
    from atp_core.agents import run_stdio

    return run_stdio(args.name, parse_pairs(args.param, "--param"))

"""``atp db upgrade|status``: the results store's schema."""

from __future__ import annotations

import argparse
from typing import Any

from atp_cli._store import add_db_flag


def add_parser(commands: Any) -> None:
    """Register the command and its subcommands."""
    p = commands.add_parser("db", help="create or upgrade the results database",
                            description="Schema migrations ship with ATP.")
    p.set_defaults(handler=None)
    sub = p.add_subparsers(title="subcommands", metavar="SUBCOMMAND")
    up = sub.add_parser("upgrade", help="apply pending migrations")
    add_db_flag(up)
    up.set_defaults(handler=handle_upgrade)
    st = sub.add_parser("status", help="show the schema version")
    add_db_flag(st)
    st.set_defaults(handler=handle_status)


def _open(args: argparse.Namespace, upgrade: bool) -> int:
    import anyio

    from atp_cli._run import load_config_for
    from atp_cli._store import database_url, public_url
    from atp_core.store import open_store

    url = database_url(load_config_for(args))

    async def main() -> int:
        async with open_store(url, check_schema=False) as store:
            if upgrade:
                before, after = await store.upgrade()
                print(f"atp: {public_url(url)}: schema {before} -> {after}")
                return 0
            current, latest = await store.schema_status()
            state = "up to date" if current == latest else (
                "newer than this ATP" if current > latest else "needs `atp db upgrade`")
            print(f"atp: {public_url(url)}: schema {current}, latest {latest} ({state})")
            return 0 if current == latest else 1

    return anyio.run(main)


def handle_upgrade(args: argparse.Namespace) -> int:
    """Apply migrations."""
    return _open(args, upgrade=True)


def handle_status(args: argparse.Namespace) -> int:
    """Print the schema version; exit 1 unless current."""
    return _open(args, upgrade=False)

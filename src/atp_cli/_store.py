"""Where ``atp`` commands find the results store: ``--db``, ``ATP_DATABASE_URL``, config."""

from __future__ import annotations

import argparse
from typing import Any

from atp_core.errors import ConfigError


def add_db_flag(parser: argparse.ArgumentParser) -> None:
    """The ``--db URL`` flag shared by every command that touches results."""
    parser.add_argument(
        "--db", metavar="URL",
        help="results database: sqlite:///PATH or postgresql://user@host:port/db "
        "(default: ATP_DATABASE_URL, then sqlite:///./.atp/atp.db)",
    )


def database_url(config: Any) -> str:
    """The effective database URL of a loaded configuration (secret, never printed)."""
    url: str = config.database.effective_url().get_secret_value()
    return url


def public_url(url: str) -> str:
    """``url`` without its password, for messages."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    userinfo, _, host = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}" if user else host))


def require_positive(value: int | None, flag: str) -> None:
    """Refuse a non-positive count given on the command line."""
    if value is not None and value < 1:
        raise ConfigError(f"{flag} must be at least 1")

"""Query parameters, parsed strictly: a malformed value is a ``BadRequest`` naming it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from starlette.datastructures import QueryParams

from atp_web.errors import BadRequest

MAX_LIMIT = 500


def text(params: QueryParams, name: str, max_length: int = 200) -> str | None:
    """An optional free-text parameter; empty means absent."""
    value = params.get(name)
    if value is None or value.strip() == "":
        return None
    if len(value) > max_length:
        raise BadRequest(f"query parameter {name!r} is longer than {max_length} characters")
    return value.strip()


def integer(params: QueryParams, name: str, default: int, low: int = 0, high: int = 10**9) -> int:
    """An integer parameter between ``low`` and ``high``."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"query parameter {name!r} must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise BadRequest(f"query parameter {name!r} must be between {low} and {high}, got {value}")
    return value


def choice(
    params: QueryParams, name: str, allowed: Sequence[str], default: str | None
) -> str | None:
    """One of ``allowed``, or ``default`` when absent."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if raw not in allowed:
        raise BadRequest(
            f"query parameter {name!r} must be one of {', '.join(allowed)}, got {raw!r}"
        )
    return raw


def moment(params: QueryParams, name: str) -> dt.datetime | None:
    """An ISO-8601 date or date-time; a date means its midnight UTC."""
    raw = text(params, name, max_length=40)
    if raw is None:
        return None
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise BadRequest(
            f"query parameter {name!r} must be an ISO-8601 date or date-time, got {raw!r}"
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def number(params: QueryParams, name: str, default: float, low: float, high: float) -> float:
    """A float parameter strictly between ``low`` and ``high``."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise BadRequest(f"query parameter {name!r} must be a number, got {raw!r}") from None
    if not low < value < high:
        raise BadRequest(f"query parameter {name!r} must be between {low} and {high}, got {raw}")
    return value

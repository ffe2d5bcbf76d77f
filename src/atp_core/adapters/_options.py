"""Pieces shared by the adapter config classes: validators, masking, deadlines."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from atp_core.protocol import Request

DEFAULT_TIMEOUT_SECONDS = 300.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def positive(_: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    """attrs validator: the number, if given, must be greater than zero."""
    if value is not None and value <= 0:
        raise ValueError(f"{attribute.name} must be greater than 0, got {value!r}")


def masked(mapping: Mapping[str, str]) -> str:
    """repr of a mapping whose values may be secrets: keys only."""
    return "{" + ", ".join(f"{key!r}: '***'" for key in mapping) + "}"


def run_deadline(configured: float | None, request: Request) -> float:
    """Seconds this run may take: the tighter of the adapter's and the request's limit."""
    limits = [t for t in (configured, request.constraints.timeout_seconds) if t is not None]
    return min(limits) if limits else float("inf")

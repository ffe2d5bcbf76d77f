"""The shared blocks of defaults and tests: constraints, scoring and pass policy."""

from __future__ import annotations

import math
import re
from typing import Any

import attrs

from atp_core.protocol import PassPolicy, Scoring
from atp_core.suite._fields import Invalid, Reader, integer, kind, number, text_list
from atp_core.suite._problems import did_you_mean
from atp_core.suite._yaml import Path

CONSTRAINT_CHECKS = {
    "max_steps": integer(1),
    "max_tokens": integer(1),
    "timeout_seconds": number(0, above=True),
    "allowed_tools": text_list,
    "budget_usd": number(0),
}
SCORING_KEYS = tuple(a.name for a in attrs.fields(Scoring))
POLICY_KINDS = ("all", "any", "majority")
_RATE_TEXT = re.compile(r"^rate\s*:\s*(?P<rate>\S+)$")
_WEIGHT_TOLERANCE = 1e-6


def read_constraints(reader: Reader, data: Any, path: Path) -> dict[str, Any]:
    """The constraints a block sets explicitly (absent keys are not in the result)."""
    block = reader.keys(data, path, CONSTRAINT_CHECKS)
    out: dict[str, Any] = {}
    for key, check in CONSTRAINT_CHECKS.items():
        value = reader.get(block, path, key, check, None)
        if value is not None:
            out[key] = value
    return out


def read_scoring(reader: Reader, data: Any, path: Path) -> Scoring:
    """A scoring block; weights not given keep their defaults and all four must sum to 1."""
    block = reader.keys(data, path, SCORING_KEYS)
    given = {
        key: reader.get(block, path, key, number(0, 1), math.nan)
        for key in SCORING_KEYS
        if block.get(key) is not None
    }
    if any(math.isnan(v) for v in given.values()):
        return Scoring()
    scoring = Scoring(**given)
    total = sum(getattr(scoring, key) for key in SCORING_KEYS)
    if abs(total - 1.0) > _WEIGHT_TOLERANCE:
        parts = ", ".join(
            f"{key}={getattr(scoring, key):g}{'' if key in given else ' (default)'}"
            for key in SCORING_KEYS
        )
        reader.problems.at(path, f"scoring weights must sum to 1, got {total:g} ({parts})")
    return scoring


def pass_policy(value: Any) -> PassPolicy:
    """``all``, ``any``, ``majority``, ``{rate: 0.8}`` or the string ``rate: 0.8``."""
    if isinstance(value, str):
        return _policy_text(value.strip())
    if isinstance(value, dict):
        unknown = [str(k) for k in value if k != "rate"]
        if unknown:
            hint = did_you_mean(unknown[0], ["rate"])
            raise Invalid(f"unknown pass_policy key {unknown[0]!r}{hint}", at=(unknown[0],))
        if "rate" not in value:
            raise Invalid("pass_policy mapping needs 'rate'")
        return PassPolicy(kind="rate", rate=_rate(value["rate"], ("rate",)))
    raise Invalid(f"pass_policy must be all, any, majority or {{rate: 0.8}}, got {kind(value)}")


def _policy_text(value: str) -> PassPolicy:
    if value in POLICY_KINDS:
        return PassPolicy(kind=value)  # type: ignore[arg-type]
    match = _RATE_TEXT.match(value)
    if match is None:
        hint = did_you_mean(value, [*POLICY_KINDS, "rate"])
        raise Invalid(f"unknown pass_policy {value!r}; use all, any, majority or rate: 0.8{hint}")
    try:
        rate: Any = float(match.group("rate"))
    except ValueError:
        rate = match.group("rate")
    return PassPolicy(kind="rate", rate=_rate(rate, ()))


def _rate(value: Any, at: Path) -> float:
    try:
        return number(0, 1, above=True)(value)
    except Invalid as exc:
        raise Invalid(f"pass_policy rate {exc}", at=at) from exc

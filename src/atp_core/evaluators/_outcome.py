"""Outcomes of deterministic checks and the config validators they share.

An ``Outcome`` is a check result without the assertion's identity; ``result`` binds it to
the assertion (name, critical, weight). Validators raise ``ConfigError`` so that the
message survives cattrs' error formatting at load time.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

import attrs

from atp_core.errors import ConfigError
from atp_core.protocol import AssertionSpec, CheckResult, CheckStatus

MAX_SHOWN = 80


@attrs.frozen(kw_only=True)
class Outcome:
    """A decided or undecided check, not yet bound to its assertion."""

    status: CheckStatus
    message: str
    score: float | None = None
    details: dict[str, Any] = attrs.Factory(dict)

    def result(self, spec: AssertionSpec) -> CheckResult:
        """The ``CheckResult`` of ``spec`` carrying this outcome."""
        return CheckResult(
            name=spec.type,
            status=self.status,
            score=self.score,
            message=self.message,
            critical=spec.critical,
            weight=spec.weight,
            details=self.details,
        )


def passed(message: str, score: float = 1.0, **details: Any) -> Outcome:
    """A check that holds."""
    return Outcome(status="passed", message=message, score=score, details=details)


def failed(message: str, score: float = 0.0, **details: Any) -> Outcome:
    """A check that does not hold."""
    return Outcome(status="failed", message=message, score=score, details=details)


def skipped(message: str, **details: Any) -> Outcome:
    """A check that could not be decided; never counts as passed."""
    return Outcome(status="skipped", message=message, score=None, details=details)


def shown(value: Any) -> str:
    """A short repr of ``value`` for messages."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def names(items: list[str], limit: int = 10) -> str:
    """A comma-separated list, cut after ``limit`` entries."""
    if not items:
        return "none"
    head = ", ".join(items[:limit])
    return head if len(items) <= limit else f"{head}, ... ({len(items) - limit} more)"


def check_regex(pattern: str) -> None:
    """Raise ``ConfigError`` if ``pattern`` is not a valid Python regular expression."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"invalid regex {pattern!r}: {exc}") from exc


def check_pattern(pattern: str, regex: bool) -> None:
    """Reject an empty pattern (it matches everything) and invalid regexes."""
    if not pattern:
        raise ConfigError("pattern must not be empty (it would match anything)")
    if regex:
        check_regex(pattern)


def pattern_found(pattern: str, regex: bool, text: str) -> bool:
    """Whether ``pattern`` (substring, or ``re.search`` when ``regex``) occurs in ``text``."""
    return re.search(pattern, text) is not None if regex else pattern in text


def check_relative(path: str) -> None:
    """Reject a workspace path that is empty, absolute or climbs out with ``..``."""
    if not path:
        raise ConfigError("path must not be empty")
    normal = posixpath.normpath(path.replace("\\", "/"))
    if posixpath.isabs(normal) or normal == ".." or normal.startswith("../"):
        raise ConfigError(f"path {path!r} escapes the workspace")


def normal_path(path: str) -> str:
    """``path`` in the form artifact paths are compared in (``./a//b`` → ``a/b``)."""
    return posixpath.normpath(path.replace("\\", "/"))

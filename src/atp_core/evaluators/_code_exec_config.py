"""Configs of the code_exec checks: exactly the keys of the suite format (SPEC §2)."""

from __future__ import annotations

import shlex
from typing import Literal

import attrs

from atp_core.errors import ConfigError
from atp_core.evaluators._outcome import check_regex, check_relative


def _check_common(timeout: float, threshold: float | None) -> None:
    if timeout <= 0:
        raise ConfigError(f"timeout must be more than 0 seconds, got {timeout}")
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise ConfigError(f"threshold must be between 0 and 1, got {threshold}")


@attrs.frozen(kw_only=True)
class PytestConfig:
    """``pytest``: run the tests at ``path``; pass when the pass rate reaches ``threshold``."""

    path: str = "."
    args: tuple[str, ...] = ()
    threshold: float = 1.0
    timeout: float = 300.0

    def __attrs_post_init__(self) -> None:
        check_relative(self.path)
        _check_common(self.timeout, self.threshold)


@attrs.frozen(kw_only=True)
class CustomCommandConfig:
    """``custom_command``: run ``command`` (split like a shell, run without one) and judge it.

    ``expect_zero`` requires exit status 0; ``success_pattern`` must match stdout
    (``re.search``, multiline); ``threshold`` requires the last stdout line to be a score
    in 0..1 (``0.8`` or ``score: 0.8``) at least that high. Every condition given must hold.
    """

    command: str
    expect_zero: bool = True
    success_pattern: str | None = None
    threshold: float | None = None
    timeout: float = 60.0

    def __attrs_post_init__(self) -> None:
        try:
            argv = shlex.split(self.command)
        except ValueError as exc:
            raise ConfigError(f"command {self.command!r} cannot be split: {exc}") from exc
        if not argv:
            raise ConfigError("command must not be empty")
        if self.success_pattern is not None:
            check_regex(self.success_pattern)
        if not self.expect_zero and self.success_pattern is None and self.threshold is None:
            raise ConfigError(
                "with expect_zero false, give success_pattern or threshold (nothing would decide)"
            )
        _check_common(self.timeout, self.threshold)


@attrs.frozen(kw_only=True)
class LintConfig:
    """``lint``: lint ``path``; pass when findings stay within the limits."""

    linter: Literal["ruff", "eslint"] = "ruff"
    path: str = "."
    max_violations: int = 0
    max_errors: int | None = None
    args: tuple[str, ...] = ()
    timeout: float = 120.0

    def __attrs_post_init__(self) -> None:
        check_relative(self.path)
        _check_common(self.timeout, None)
        if self.max_violations < 0 or (self.max_errors is not None and self.max_errors < 0):
            raise ConfigError("max_violations and max_errors must be 0 or more")

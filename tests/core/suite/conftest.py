"""Helpers for suite loader tests: load YAML text from a temporary directory."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from atp_core.errors import SuiteError, SuiteProblem
from atp_core.protocol import Suite
from atp_core.suite import load_suite_text

LoadText = Callable[..., Suite]
ProblemsOf = Callable[..., list[SuiteProblem]]


@pytest.fixture
def load_text(tmp_path: Path) -> LoadText:
    """Load dedented suite YAML whose fixtures are relative to ``tmp_path``."""

    def load(text: str, env: Mapping[str, str] | None = None) -> Suite:
        return load_suite_text(textwrap.dedent(text), "suite.yaml", tmp_path, env or {})

    return load


@pytest.fixture
def problems_of(load_text: LoadText) -> ProblemsOf:
    """Load dedented suite YAML that must fail and return its problems."""

    def problems(text: str, env: Mapping[str, str] | None = None) -> list[SuiteProblem]:
        with pytest.raises(SuiteError) as info:
            load_text(text, env)
        return info.value.problems

    return problems

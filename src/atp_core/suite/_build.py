"""The whole suite: top-level keys, defaults, agents and tests."""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Any

import attrs

from atp_core.protocol import Defaults, Scoring, Suite, TestCase
from atp_core.suite._agents import read_agents
from atp_core.suite._fields import Reader, integer, kind, non_empty_text, number, text
from atp_core.suite._policy import pass_policy, read_constraints, read_scoring
from atp_core.suite._tests import read_test
from atp_core.suite._tools import read_tools

SUITE_KEYS = ("test_suite", "version", "description", "defaults", "agents", "tests", "tools")
LATER_SUITE_KEYS = ("chaos",)
DEFAULTS_KEYS = (
    "runs_per_test",
    "timeout_seconds",
    "constraints",
    "scoring",
    "pass_policy",
    "pass_threshold",
)


def build_suite(
    reader: Reader, data: Any, base_dir: FsPath, default_timeout: float | None = None
) -> Suite:
    """Read a whole suite; problems go to ``reader.problems`` and the result is then unusable.

    ``default_timeout`` is the per-run deadline when neither the suite nor a test sets one.
    """
    if not isinstance(data, dict):
        reader.problems.at((), f"a suite file must be a mapping, got {kind(data)}")
        return Suite(name="", tests=())
    root = reader.keys(data, (), SUITE_KEYS, LATER_SUITE_KEYS)
    defaults = read_defaults(reader, root.get("defaults"), default_timeout)
    return Suite(
        name=reader.require(root, (), "test_suite", non_empty_text, ""),
        version=reader.get(root, (), "version", _version, "1.0"),
        description=reader.get(root, (), "description", text, None),
        defaults=defaults,
        agents=read_agents(reader, root.get("agents"), ("agents",)),
        tests=read_tests(reader, root, defaults, base_dir),
        tools=read_tools(reader, root.get("tools"), base_dir),
    )


def _version(value: Any) -> str:
    # ``version: 1.0`` unquoted is a YAML number; the original format accepted it.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return text(value)


def read_defaults(
    reader: Reader, data: Any, default_timeout: float | None = None
) -> Defaults:
    """The ``defaults:`` block (absent means every default)."""
    base = Defaults() if default_timeout is None else Defaults(timeout_seconds=default_timeout)
    if data is None:
        return base
    path = ("defaults",)
    block = reader.keys(data, path, DEFAULTS_KEYS)
    given = block.get("constraints")
    constraints = read_constraints(reader, {} if given is None else given, (*path, "constraints"))
    scoring = Scoring()
    if block.get("scoring") is not None:
        scoring = read_scoring(reader, block["scoring"], (*path, "scoring"))
    return Defaults(
        runs_per_test=reader.get(block, path, "runs_per_test", integer(1), base.runs_per_test),
        timeout_seconds=reader.get(
            block, path, "timeout_seconds", number(0, above=True), base.timeout_seconds
        ),
        constraints=attrs.evolve(base.constraints, **constraints),
        scoring=scoring,
        pass_policy=reader.get(block, path, "pass_policy", pass_policy, base.pass_policy),
        pass_threshold=reader.get(block, path, "pass_threshold", number(0, 1, above=True), None),
    )


def read_tests(
    reader: Reader, root: dict[str, Any], defaults: Defaults, base_dir: FsPath
) -> tuple[TestCase, ...]:
    """Every test; ids must be unique and a suite needs at least one test."""
    data = root.get("tests")
    if data is None:
        reader.problems.at((), "missing required key 'tests'")
        return ()
    if not isinstance(data, list) or not data:
        reader.problems.at(("tests",), "'tests' must be a non-empty list of tests")
        return ()
    tests: list[TestCase] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(data):
        test = read_test(reader, item, ("tests", index), defaults, base_dir)
        if test.id in seen:
            first = reader.problems.doc.values.get(("tests", seen[test.id], "id"))
            where = f" (first at line {first.line})" if first else ""
            reader.problems.at(("tests", index, "id"), f"duplicate test id {test.id!r}{where}")
        elif test.id:
            seen[test.id] = index
        tests.append(test)
    return tuple(tests)

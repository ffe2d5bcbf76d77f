"""One test of a suite, with the suite's defaults applied."""

from __future__ import annotations

from pathlib import Path as FsPath
from pathlib import PurePosixPath
from typing import Any

import attrs

from atp_core.protocol import Defaults, TaskSpec, TestCase
from atp_core.protocol._wire import MAX_DESCRIPTION
from atp_core.suite._assertions import read_assertions
from atp_core.suite._fields import (
    Invalid,
    Reader,
    integer,
    mapping,
    non_empty_text,
    number,
    text,
    text_list,
)
from atp_core.suite._policy import pass_policy, read_constraints, read_scoring
from atp_core.suite._yaml import Path

TEST_KEYS = (
    "id",
    "name",
    "description",
    "tags",
    "task",
    "constraints",
    "assertions",
    "scoring",
    "pass_threshold",
    "pass_policy",
    "runs",
)
# Multi-agent modes and chaos come with later issues (SPEC §2).
LATER_TEST_KEYS = ("agents", "mode", "chaos")
TASK_KEYS = ("description", "input_data", "expected_artifacts", "workspace_fixture")


def read_test(
    reader: Reader, data: Any, path: Path, defaults: Defaults, base_dir: FsPath
) -> TestCase:
    """A test case with constraints merged over the defaults, key by key."""
    block = reader.keys(data, path, TEST_KEYS, LATER_TEST_KEYS)
    given = read_constraints(reader, _or_empty(block.get("constraints")), (*path, "constraints"))
    constraints = attrs.evolve(defaults.constraints, **given)
    scoring = defaults.scoring
    if block.get("scoring") is not None:
        scoring = read_scoring(reader, block["scoring"], (*path, "scoring"))
    return TestCase(
        id=reader.require(block, path, "id", non_empty_text, ""),
        name=reader.require(block, path, "name", text, ""),
        description=reader.get(block, path, "description", text, None),
        tags=tuple(reader.get(block, path, "tags", text_list, [])),
        task=read_task(reader, block, path, base_dir),
        constraints=constraints,
        assertions=read_assertions(reader, block.get("assertions"), (*path, "assertions")),
        scoring=scoring,
        pass_threshold=reader.get(
            block, path, "pass_threshold", number(0, 1, above=True), defaults.pass_threshold
        ),
        pass_policy=reader.get(block, path, "pass_policy", pass_policy, defaults.pass_policy),
        runs=reader.get(block, path, "runs", integer(1), defaults.runs_per_test),
        timeout_seconds=(
            defaults.timeout_seconds
            if constraints.timeout_seconds is None
            else constraints.timeout_seconds
        ),
    )


def _or_empty(value: Any) -> Any:
    return {} if value is None else value


def read_task(reader: Reader, test: dict[str, Any], path: Path, base_dir: FsPath) -> TaskSpec:
    """The task; ``workspace_fixture`` becomes an absolute path to an existing directory."""
    if test.get("task") is None:
        reader.problems.at(path, "missing required key 'task'")
        return TaskSpec(description="")
    path = (*path, "task")
    block = reader.keys(test["task"], path, TASK_KEYS)
    fixture = reader.get(block, path, "workspace_fixture", non_empty_text, None)
    return TaskSpec(
        description=reader.require(block, path, "description", _description, ""),
        input_data=reader.get(block, path, "input_data", mapping, None),
        expected_artifacts=reader.get(block, path, "expected_artifacts", _relative_paths, None),
        workspace_fixture=(
            None
            if fixture is None
            else _fixture(reader, fixture, (*path, "workspace_fixture"), base_dir)
        ),
    )


def _description(value: Any) -> str:
    if len(text(value)) > MAX_DESCRIPTION:
        raise Invalid(f"task description is longer than {MAX_DESCRIPTION} characters")
    return str(value)


def _relative_paths(value: Any) -> list[str]:
    paths = text_list(value)
    for index, item in enumerate(paths):
        pure = PurePosixPath(item)
        if not item or pure.is_absolute() or ".." in pure.parts or "\\" in item:
            raise Invalid(
                f"expected artifact {item!r} must be a relative path without '..'", at=(index,)
            )
    return paths


def _fixture(reader: Reader, value: str, path: Path, base_dir: FsPath) -> str:
    resolved = (base_dir / value).resolve()
    if not resolved.is_dir():
        what = "is not a directory" if resolved.exists() else "does not exist"
        reader.problems.at(path, f"workspace_fixture {value!r} {what} (looked at {resolved})")
    return str(resolved)

"""Authoring of the coding benchmarks: code_generation (20), bug_fixing (15), code_review (15).

Hidden tests run through ``custom_command`` in the code_exec sandbox, carried inside the
command itself (see ``_common.hidden_tests_check``): they are neither in the request nor in
the workspace, so the agent cannot read or change them before evaluation.
"""

from __future__ import annotations

from typing import Any

from _common import hidden_tests_check, suite_dir, write_suite, write_text
from coding_bugs import BUGS
from coding_generation import TASKS
from coding_review import CATEGORIES, SNIPPETS, strip_marks

VERSION = "1.0"


def code_generation() -> None:
    """20 functions to write into solution.py, judged by hidden unit tests."""
    tests = []
    for test_id, signature, spec, hidden in TASKS:
        name = signature.split("(")[0]
        tests.append({
            "id": test_id,
            "name": f"write {name}",
            "tags": ["python"],
            "task": {
                "description": f"Write a Python module solution.py that defines `{signature}`: "
                               f"{spec} Use only the standard library. Return solution.py as "
                               "a file artifact (or write it into the workspace).",
                "expected_artifacts": ["solution.py"],
            },
            "constraints": {"timeout_seconds": 60},
            "assertions": [
                {"type": "file_exists", "config": {"path": "solution.py"}, "critical": True},
                hidden_tests_check(hidden),
            ],
        })
    write_suite("coding", "code_generation", version=VERSION, tests=tests,
                description="Write small Python functions from a specification; hidden unit "
                            "tests run in the sandbox.")


def bug_fixing() -> None:
    """15 modules with one planted bug each, given in the workspace; hidden tests judge."""
    base = suite_dir("coding", "bug_fixing")
    tests = []
    for test_id, path, source, fixed, buggy, symptom, hidden in BUGS:
        write_text(base / "fixtures" / test_id / path, source.replace(fixed, buggy))
        tests.append({
            "id": test_id,
            "name": f"fix {path}",
            "tags": ["python"],
            "task": {
                "description": f"The Python module {path} in the workspace has a bug: "
                               f"{symptom} Fix the bug without renaming anything, and return "
                               f"the corrected {path} as a file artifact (or rewrite it in the "
                               "workspace).",
                "expected_artifacts": [path],
                "workspace_fixture": f"fixtures/{test_id}",
            },
            "constraints": {"timeout_seconds": 60},
            "assertions": [hidden_tests_check(hidden)],
        })
    write_suite("coding", "bug_fixing", version=VERSION, tests=tests,
                description="Fix one planted bug in a small Python module; hidden unit tests "
                            "run in the sandbox.")


def review_check(found: list[tuple[int, str]]) -> dict[str, Any]:
    """A critical ``schema`` check: each planted issue reported (line within 1), few extras."""
    required = [
        {"contains": {"type": "object", "required": ["line", "category"], "properties": {
            "line": {"type": "integer", "minimum": line - 1, "maximum": line + 1},
            "category": {"const": category}}}}
        for line, category in found
    ]
    schema = {
        "type": "object",
        "required": ["findings"],
        "properties": {"findings": {
            "type": "array",
            "maxItems": len(found) + 2,
            "items": {"type": "object", "required": ["line", "category"], "properties": {
                "line": {"type": "integer"}, "category": {"enum": list(CATEGORIES)}}},
            "allOf": required,
        }},
    }
    return {"type": "schema", "config": {"path": "review", "schema": schema}, "critical": True}


def code_review() -> None:
    """15 snippets with planted issues; the review must name each by line and category."""
    tests = []
    for test_id, marked in SNIPPETS:
        code, found = strip_marks(marked)
        tests.append({
            "id": test_id,
            "name": f"review snippet {test_id[3:]}",
            "tags": sorted({category for _, category in found}),
            "task": {
                "description": "Review the Python code in input_data.code (lines are numbered "
                               "from 1). Report every real defect as a finding with its line "
                               "number and a category: bug, security or performance (style "
                               "remarks are not wanted; at most two findings beyond the real "
                               'ones are tolerated). Answer with a structured artifact named '
                               '"review" whose data is {"findings": [{"line": <int>, '
                               '"category": <str>, "message": <str>}, ...]}.',
                "input_data": {"code": code, "language": "python"},
            },
            "constraints": {"timeout_seconds": 30},
            "assertions": [review_check(found)],
        })
    write_suite("coding", "code_review", version=VERSION, tests=tests,
                description="Find the planted defects in short Python snippets; each must be "
                            "reported with its line and category.")


if __name__ == "__main__":
    code_generation()
    bug_fixing()
    code_review()

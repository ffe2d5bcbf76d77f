"""``ref-solver`` for coding: applies the known-solution table keyed by task id.

code_generation gets the reference ``solution.py``; bug_fixing reads the buggy file from the
workspace and applies the known fix; code_review reports the known findings.
"""

from __future__ import annotations

from pathlib import Path

from atp_core.agents._core import file_artifact
from atp_core.agents._reference_code_fixes import FINDINGS, FIXES
from atp_core.agents._reference_code_table import SOLUTIONS
from atp_core.protocol import Artifact, Request, StructuredArtifact


def _fixed(request: Request, test_id: str) -> list[Artifact]:
    path, buggy, fixed = FIXES[test_id]
    workspace = request.context.workspace_path if request.context else None
    if not workspace:
        raise ValueError("bug fixing needs context.workspace_path")
    source = (Path(workspace) / path).read_text(encoding="utf-8")
    if source.count(buggy) != 1:
        raise ValueError(f"the known bug is not in {path}")
    return [file_artifact(path, source.replace(buggy, fixed), "text/x-python")]


async def solve_coding(request: Request) -> list[Artifact]:
    """Solve a code_generation, bug_fixing or code_review task from the table."""
    test_id = str(request.metadata.get("test_id", ""))
    if test_id in SOLUTIONS:
        return [file_artifact("solution.py", SOLUTIONS[test_id], "text/x-python")]
    if test_id in FIXES:
        return _fixed(request, test_id)
    if test_id in FINDINGS:
        findings = [{"line": line, "category": category, "message": message}
                    for line, category, message in FINDINGS[test_id]]
        return [StructuredArtifact(name="review", data={"findings": findings})]
    raise ValueError(f"no known solution for {test_id!r}")

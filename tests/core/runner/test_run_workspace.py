"""Run workspaces: fixtures copied in, agent files kept inside, cleaned up afterwards."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atp_core.protocol import FileArtifact, Request, StructuredArtifact, TaskSpec
from atp_core.runner._workspace import artifact_target, safe_name
from atp_core.testing import Reply

pytestmark = pytest.mark.anyio


def file_has(path: str, text: str) -> Any:
    """An assertion that the workspace file ``path`` contains ``text``."""
    from atp_core.protocol import AssertionSpec

    return AssertionSpec(type="file_has", config={"path": path, "text": text})


async def test_file_artifacts_land_in_the_run_workspace_not_the_cwd(
    kit: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file artifact is written into the run's workspace; the caller's directory is untouched."""
    cwd = tmp_path / "caller"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    reply = Reply(artifacts=(FileArtifact(path="out/hello.txt", content="hi there"),))
    test = kit.case(assertions=[file_has("out/hello.txt", "hi there")])
    result, _, _ = await kit.run(kit.suite(test), reply, kit.options(keep_workspaces=True))
    record = result.tests[0].runs[0]
    assert record.verdict == "passed"
    assert record.workspace is not None
    assert (Path(record.workspace) / "out" / "hello.txt").read_text() == "hi there"
    assert list(cwd.iterdir()) == []


@pytest.mark.parametrize("bad", ["../escape.txt", "/tmp/abs.txt", "a/../../escape.txt", "~/x"])
async def test_escaping_artifact_paths_are_refused_with_a_warning(
    kit: Any, tmp_path: Path, bad: str
) -> None:
    """A path leaving the workspace is not written and is recorded as a protocol warning."""
    reply = Reply(artifacts=(FileArtifact(path=bad, content="x"),))
    result, _, _ = await kit.run(kit.suite(kit.case()), reply, kit.options())
    record = result.tests[0].runs[0]
    assert record.protocol_warnings == (
        f"file artifact path {bad!r} refused: it leaves the workspace",
    )
    assert not (tmp_path / "escape.txt").exists()
    assert not (tmp_path / "ws" / "escape.txt").exists()


async def test_symlink_in_fixture_cannot_lead_writes_outside(kit: Any, tmp_path: Path) -> None:
    """A fixture symlink pointing outside does not let an artifact escape the workspace."""
    fixture, outside = tmp_path / "fixture", tmp_path / "outside"
    fixture.mkdir()
    outside.mkdir()
    (fixture / "link").symlink_to(outside, target_is_directory=True)
    test = kit.case(task=TaskSpec(description="x", workspace_fixture=str(fixture)))
    reply = Reply(artifacts=(FileArtifact(path="link/pwned.txt", content="x"),))
    result, _, _ = await kit.run(kit.suite(test), reply, kit.options())
    assert list(outside.iterdir()) == []
    assert "refused" in result.tests[0].runs[0].protocol_warnings[0]


async def test_binary_artifacts_are_base64_decoded(kit: Any) -> None:
    """Content with a non-text content type is base64-decoded before writing."""
    payload = bytes(range(256))
    reply = Reply(
        artifacts=(
            FileArtifact(
                path="blob.bin",
                content_type="application/octet-stream",
                content=base64.b64encode(payload).decode(),
            ),
        )
    )
    result, _, _ = await kit.run(kit.suite(kit.case()), reply, kit.options(keep_workspaces=True))
    workspace = result.tests[0].runs[0].workspace
    assert (Path(workspace) / "blob.bin").read_bytes() == payload


async def test_invalid_base64_is_written_as_text_with_a_warning(kit: Any) -> None:
    """Bad base64 is kept as text and noted, not dropped."""
    reply = Reply(artifacts=(FileArtifact(path="b.png", content_type="image/png", content="%%"),))
    result, _, _ = await kit.run(kit.suite(kit.case()), reply, kit.options())
    assert "not valid base64" in result.tests[0].runs[0].protocol_warnings[0]


async def test_fixture_is_copied_into_each_run_and_runs_are_isolated(
    kit: Any, tmp_path: Path
) -> None:
    """Every run starts from a fresh copy of the fixture; one run's writes do not leak."""
    fixture = tmp_path / "fixture"
    fixture.mkdir()
    (fixture / "seed.txt").write_text("seed")
    seen: list[list[str]] = []

    def script(request: Request) -> Reply:
        assert request.context is not None
        assert request.context.workspace_path is not None
        ws = Path(request.context.workspace_path)
        seen.append(sorted(p.name for p in ws.iterdir()))
        (ws / "mine.txt").write_text("x")
        return Reply()

    test = kit.case(runs=2, task=TaskSpec(description="x", workspace_fixture=str(fixture)))
    await kit.run(kit.suite(test), script, kit.options(parallel=1))
    assert seen == [["seed.txt"], ["seed.txt"]]
    assert sorted(p.name for p in fixture.iterdir()) == ["seed.txt"]


async def test_workspaces_are_removed_after_evaluation_by_default(kit: Any) -> None:
    """Without keep_workspaces nothing is left under the workspace root."""
    result, _, _ = await kit.run(kit.suite(kit.case(runs=2)), Reply(), kit.options())
    assert list((kit.tmp_path / "ws").iterdir()) == []
    assert result.tests[0].runs[0].workspace is None


async def test_default_workspace_root_is_a_fresh_temp_dir_never_the_cwd(
    kit: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without workspace_root, workspaces go to a new temp directory, removed at the end."""
    monkeypatch.chdir(tmp_path)
    paths: list[str] = []

    def script(request: Request) -> Reply:
        assert request.context is not None
        assert request.context.workspace_path is not None
        paths.append(request.context.workspace_path)
        return Reply()

    await kit.run(kit.suite(kit.case()), script, kit.options(workspace_root=None))
    workspace = Path(paths[0])
    assert not workspace.is_relative_to(tmp_path)
    assert workspace.parent.name.startswith("atp-run-")
    assert not workspace.parent.exists()


async def test_missing_fixture_is_an_error_run(kit: Any, tmp_path: Path) -> None:
    """A workspace that cannot be prepared makes the run an error, not a crash of the suite."""
    test = kit.case(task=TaskSpec(description="x", workspace_fixture=str(tmp_path / "nope")))
    result, agent, _ = await kit.run(kit.suite(test), Reply(), kit.options())
    record = result.tests[0].runs[0]
    assert (record.verdict, record.error_kind) == ("error", "workspace")
    assert agent.requests == []


async def test_expected_artifacts_count_from_response_or_workspace(kit: Any) -> None:
    """Expected artifacts are found among the response's artifacts or in the workspace."""

    def script(request: Request) -> Reply:
        assert request.context is not None
        assert request.context.workspace_path is not None
        (Path(request.context.workspace_path) / "disk.txt").write_text("x")
        return Reply(artifacts=(StructuredArtifact(name="report", data={}),))

    task = TaskSpec(description="x", expected_artifacts=["disk.txt", "report", "absent.txt"])
    result, _, _ = await kit.run(
        kit.suite(kit.case(assertions=[], task=task)), script, kit.options()
    )
    record = result.tests[0].runs[0]
    statuses = [c.status for c in record.checks if c.name == "expected_artifact"]
    assert statuses == ["passed", "passed", "failed"]
    assert record.components.completeness == pytest.approx(2 / 3)
    assert record.verdict == "failed"


@given(st.text(max_size=40))
def test_artifact_target_never_leaves_the_workspace(relative: str) -> None:
    """Whatever the path, a resolved target is strictly inside the workspace."""
    root = Path(os.sep, "srv", "ws").resolve()
    target = artifact_target(root, relative)
    if target is not None:
        assert root in target.parents


@given(st.text(max_size=40))
def test_safe_name_only_keeps_portable_characters(name: str) -> None:
    """Workspace directory names use only [A-Za-z0-9_.-] and are never empty or dots."""
    out = safe_name(name)
    assert out
    assert out not in (".", "..")
    assert all(c.isascii() and (c.isalnum() or c in "_.-") for c in out)

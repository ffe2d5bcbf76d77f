"""Reused workspaces: an empty, untouched one is renamed for the next run, never a used one."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from atp_core.protocol import AssertionSpec, CheckResult, EvalContext, FileArtifact
from atp_core.runner._pool import WorkspacePool
from atp_core.runner._reaper import Reaper
from atp_core.testing import Reply

pytestmark = pytest.mark.anyio


class _Kept(Reaper):
    """A reaper that only remembers what it was handed."""

    def __init__(self) -> None:
        super().__init__()
        self.handed: list[Path] = []

    def discard(self, workspace: Path) -> None:
        self.handed.append(workspace)


async def test_an_empty_workspace_is_renamed_for_the_next_run(tmp_path: Path) -> None:
    """The second run gets the first run's empty directory under its own name."""
    reaper = _Kept()
    pool = WorkspacePool(tmp_path, reaper)
    first = await pool.make("t1", 1, None)
    inode = first.stat().st_ino
    pool.discard(first)
    second = await pool.make("t1", 2, None)
    assert second == tmp_path / "t1-2"
    assert second.stat().st_ino == inode
    assert not first.exists()
    assert reaper.handed == []


async def test_a_workspace_holding_anything_goes_to_the_reaper(tmp_path: Path) -> None:
    """A file left by the agent means the directory is removed, never handed on."""
    reaper = _Kept()
    pool = WorkspacePool(tmp_path, reaper)
    first = await pool.make("t1", 1, None)
    (first / "left.txt").write_text("from run 1")
    pool.discard(first)
    second = await pool.make("t1", 2, None)
    assert reaper.handed == [first]
    assert list(second.iterdir()) == []


async def test_a_workspace_whose_mode_changed_is_not_reused(tmp_path: Path) -> None:
    """An agent that chmods its workspace leaves a directory that is not handed on."""
    reaper = _Kept()
    pool = WorkspacePool(tmp_path, reaper)
    first = await pool.make("t1", 1, None)
    os.chmod(first, 0o777)
    pool.discard(first)
    await pool.make("t1", 2, None)
    assert reaper.handed == [first]


async def test_a_taken_name_gets_a_suffix_and_is_left_alone(tmp_path: Path) -> None:
    """An existing directory of the same name is neither replaced nor reused."""
    pool = WorkspacePool(tmp_path, _Kept())
    spare = await pool.make("t1", 1, None)
    pool.discard(spare)
    (tmp_path / "t2-1").mkdir()
    (tmp_path / "t2-1" / "mine.txt").write_text("keep")
    made = await pool.make("t2", 1, None)
    assert made == tmp_path / "t2-1.2"
    assert (tmp_path / "t2-1" / "mine.txt").read_text() == "keep"


async def test_close_hands_every_spare_to_the_reaper(tmp_path: Path) -> None:
    """Spare directories do not outlive the suite run."""
    reaper = _Kept()
    pool = WorkspacePool(tmp_path, reaper)
    spares = [await pool.make("t", n, None) for n in (1, 2)]
    for spare in spares:
        pool.discard(spare)
    await pool.aclose()
    assert sorted(reaper.handed) == sorted(spares)


async def test_a_missing_root_is_made(tmp_path: Path) -> None:
    """The root is created on first use when it does not exist yet."""
    pool = WorkspacePool(tmp_path / "a" / "b", _Kept())
    assert (await pool.make("t", 1, None)).is_dir()


async def test_runs_never_see_files_of_earlier_runs(kit: Any) -> None:
    """Across 20 runs, each writing a file, every run starts from an empty workspace."""
    seen: list[list[str]] = []

    class Lister:
        def __init__(self, spec: AssertionSpec) -> None:
            pass

        async def evaluate(self, ctx: EvalContext) -> CheckResult:
            seen.append(sorted(p.name for p in ctx.workspace.iterdir()))
            return CheckResult(name="lister", status="passed")

    reply = Reply(artifacts=(FileArtifact(path="out.txt", content="x"),))
    test = kit.case(runs=20, assertions=[AssertionSpec(type="lister")])
    options = kit.options(parallel=3, evaluator_factory=Lister)
    await kit.run(kit.suite(test), reply, options)
    assert seen == [["out.txt"]] * 20
    assert list((kit.tmp_path / "ws").iterdir()) == []


async def test_empty_workspaces_are_reused_and_removed_at_the_end(kit: Any) -> None:
    """Runs that leave nothing reuse directories, and none is left after the suite."""
    test = kit.case(runs=30)
    result, _, _ = await kit.run(kit.suite(test), Reply(), kit.options(parallel=2))
    assert [r.verdict for r in result.tests[0].runs] == ["passed"] * 30
    assert list((kit.tmp_path / "ws").iterdir()) == []


async def test_in_a_fresh_root_names_made_twice_get_suffixes(tmp_path: Path) -> None:
    """Two test ids that clean to one name still get two directories in a fresh root."""
    pool = WorkspacePool(tmp_path, _Kept(), fresh=True)
    spare = await pool.make("x", 1, None)
    pool.discard(spare)
    first = await pool.make("a b", 1, None)
    second = await pool.make("a_b", 1, None)
    assert (first.name, second.name) == ("a_b-1", "a_b-1.2")
    assert first.is_dir()
    assert second.is_dir()


async def test_no_spare_is_kept_when_no_run_is_left_to_use_it(tmp_path: Path) -> None:
    """With no runs to come, a finished run's empty workspace goes straight to the reaper."""
    reaper = _Kept()
    pool = WorkspacePool(tmp_path, reaper)
    first, second = await pool.make("t", 1, None), await pool.make("t", 2, None)
    pool.to_come = 1
    pool.discard(first)
    pool.discard(second)
    assert reaper.handed == [second]


def _premade(root: Path) -> int:
    return len(list(root.glob(".premade-*")))


def _wait_for_premade(root: Path, count: int) -> None:
    deadline = time.monotonic() + 10
    while _premade(root) < count and time.monotonic() < deadline:
        time.sleep(0.01)


def _names(root: Path) -> list[str]:
    return [p.name for p in root.iterdir()]


async def test_a_fresh_root_makes_the_first_wave_ahead_and_returns_what_is_left(
    tmp_path: Path,
) -> None:
    """With 40 runs at once in a fresh root, directories made ahead are renamed into place;
    the ones nobody took go to the reaper when the pool closes."""
    import anyio

    reaper = _Kept()
    pool = WorkspacePool(tmp_path, reaper, fresh=True, at_once=40)
    await anyio.to_thread.run_sync(_wait_for_premade, tmp_path, 40)
    made = [await pool.make("t", n, None) for n in range(1, 11)]
    assert [p.name for p in made] == [f"t-{n}" for n in range(1, 11)]
    assert _premade(tmp_path) == 30
    await pool.aclose()
    assert sorted(p.name for p in reaper.handed) == sorted(f".premade-{i}" for i in range(10, 40))


async def test_a_root_of_the_callers_gets_nothing_made_ahead(tmp_path: Path) -> None:
    """In a root ATP did not make, no name but the runs' own is ever created."""
    pool = WorkspacePool(tmp_path, _Kept(), fresh=False, at_once=100)
    await pool.make("t", 1, None)
    await pool.aclose()
    assert _names(tmp_path) == ["t-1"]

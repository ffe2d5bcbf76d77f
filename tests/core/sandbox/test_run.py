"""run_sandboxed's contract: exit codes, capped output, stdin, errors and mode none."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from atp_core.errors import SandboxError
from atp_core.sandbox import OUTPUT_CAP_BYTES, SandboxOptions, run_sandboxed

pytestmark = [pytest.mark.anyio, pytest.mark.sandbox, pytest.mark.usefixtures("bwrap_ready")]

BWRAP = SandboxOptions(mode="bwrap")


async def test_exit_status_is_reported_as_the_shell_does(workspace: Path) -> None:
    """A plain exit keeps its status; death by signal N is 128 + N with a reason."""
    plain = await run_sandboxed(["sh", "-c", "exit 3"], workspace=workspace, options=BWRAP,
                                timeout=20)
    killed = await run_sandboxed(["sh", "-c", "kill -TERM $$"], workspace=workspace,
                                 options=BWRAP, timeout=20)
    assert (plain.exit_code, plain.killed_reason, plain.ok) == (3, None, False)
    assert (killed.exit_code, killed.killed_reason) == (143, "signal 15")
    assert plain.mode == killed.mode == "bwrap"


async def test_output_beyond_the_cap_is_dropped_and_flagged(workspace: Path) -> None:
    """Both streams keep at most the cap and say they were truncated; short output is whole."""
    code = "import sys; sys.stdout.write('o' * 3_000_000); sys.stderr.write('e' * 10)"
    result = await run_sandboxed([sys.executable, "-c", code], workspace=workspace,
                                 options=BWRAP, timeout=20)
    assert result.ok
    assert result.stdout == "o" * OUTPUT_CAP_BYTES
    assert result.stdout_truncated
    assert (result.stderr, result.stderr_truncated) == ("e" * 10, False)


async def test_stdin_is_empty(workspace: Path) -> None:
    """The command reads end-of-file at once instead of waiting for input."""
    result = await run_sandboxed(["cat"], workspace=workspace, options=BWRAP, timeout=20)
    assert (result.exit_code, result.stdout, result.timed_out) == (0, "", False)


async def test_mode_none_runs_unconfined_when_chosen(workspace: Path, tmp_path: Path) -> None:
    """Mode none sees the host (it is no sandbox) but still keeps the deadline."""
    host_file = tmp_path / "host" / "visible.txt"
    host_file.write_text("host")
    options = SandboxOptions(mode="none")
    seen = await run_sandboxed(["cat", str(host_file)], workspace=workspace, options=options,
                               timeout=20)
    late = await run_sandboxed(["sleep", "30"], workspace=workspace, options=options,
                               timeout=1)
    assert (seen.mode, seen.stdout) == ("none", "host")
    assert late.timed_out
    assert late.killed_reason == "timeout"


async def test_an_empty_command_no_deadline_or_missing_workspace_is_a_sandbox_error(
    workspace: Path,
) -> None:
    """Nothing runs without a command, a positive deadline and a workspace directory."""
    with pytest.raises(SandboxError, match="empty"):
        await run_sandboxed([], workspace=workspace, options=BWRAP, timeout=5)
    with pytest.raises(SandboxError, match="more than 0 seconds"):
        await run_sandboxed(["true"], workspace=workspace, options=BWRAP, timeout=0)
    with pytest.raises(SandboxError, match="not a directory"):
        await run_sandboxed(["true"], workspace=workspace / "missing", options=BWRAP,
                            timeout=5)


async def test_a_missing_program_fails_inside_without_escaping(workspace: Path) -> None:
    """A command that does not exist is a failed run (bwrap's 1), not an exception."""
    result = await run_sandboxed(["no-such-program-here"], workspace=workspace,
                                 options=BWRAP, timeout=20)
    assert result.exit_code != 0
    assert "no-such-program-here" in result.stderr


def test_public_names_are_sorted_and_importable() -> None:
    """The facade's ``__all__`` is sorted and every name in it exists."""
    import atp_core.sandbox as facade

    assert facade.__all__ == sorted(facade.__all__)
    assert all(hasattr(facade, name) for name in facade.__all__)

"""Choosing a sandbox: bwrap, then a container, else refuse unless mode none is explicit."""

from __future__ import annotations

import pytest

from atp_core.errors import SandboxError
from atp_core.sandbox import SandboxProbe, choose_mode, probe_sandbox

NEITHER = SandboxProbe(bwrap_problem="bwrap missing", container_problem="no engine")
ONLY_CONTAINER = SandboxProbe(bwrap_problem="bwrap missing", container_problem=None)
BOTH = SandboxProbe(bwrap_problem=None, container_problem=None)


def test_auto_prefers_bwrap_then_the_container() -> None:
    """Auto takes bwrap when it works and falls back to the container."""
    assert choose_mode("auto", BOTH) == "bwrap"
    assert choose_mode("auto", ONLY_CONTAINER) == "container"


def test_auto_refuses_without_a_sandbox_and_says_how_to_opt_out() -> None:
    """With no sandbox, auto raises with both reasons and the explicit opt-in to mode none."""
    with pytest.raises(SandboxError) as info:
        choose_mode("auto", NEITHER)
    message = str(info.value)
    assert "bwrap missing" in message
    assert "no engine" in message
    assert "--sandbox none" in message
    assert "mode: none" in message


def test_an_explicit_mode_that_cannot_run_is_refused() -> None:
    """Asking for bwrap where it cannot run is an error, never a silent downgrade."""
    with pytest.raises(SandboxError, match="'bwrap' is unavailable: bwrap missing"):
        choose_mode("bwrap", ONLY_CONTAINER)
    assert choose_mode("container", ONLY_CONTAINER) == "container"


def test_mode_none_needs_no_sandbox_and_unknown_modes_are_errors() -> None:
    """None is honoured as chosen; a misspelt mode is rejected."""
    assert choose_mode("none", NEITHER) == "none"
    with pytest.raises(SandboxError, match="unknown sandbox mode 'bwarp'"):
        choose_mode("bwarp", BOTH)


@pytest.mark.anyio
async def test_probe_reports_missing_programs() -> None:
    """A probe with programs that do not exist finds no sandbox, and auto then refuses."""
    probe = await probe_sandbox(bwrap="/nonexistent/bwrap", docker="/nonexistent/docker")
    assert probe.available == ()
    assert probe.bwrap_problem is not None
    assert "not found" in probe.bwrap_problem
    assert "apt-get install bubblewrap" in probe.bwrap_problem
    assert probe.container_problem == "'/nonexistent/docker' not found"
    with pytest.raises(SandboxError, match="no sandbox is available"):
        choose_mode("auto", probe)


@pytest.mark.anyio
async def test_probe_is_cached_per_process() -> None:
    """A second probe returns the first answer without probing again."""
    first = await probe_sandbox(bwrap="/nonexistent/bwrap", docker="/nonexistent/docker")
    second = await probe_sandbox(bwrap="/nonexistent/bwrap", docker="/nonexistent/docker")
    assert second is first

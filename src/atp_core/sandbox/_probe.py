"""Which sandbox works on this machine: probed once per process, then cached."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import anyio
import attrs

from atp_core.errors import SandboxError
from atp_core.protocol import SandboxOptions
from atp_core.sandbox._bwrap import bwrap_argv

MODES = ("auto", "bwrap", "container", "none")

OPT_IN_HINT = (
    "to run untrusted code WITHOUT a sandbox, opt in explicitly with `sandbox: {mode: none}` "
    "in atp.config.yaml or `--sandbox none` on the command line"
)


@attrs.frozen(kw_only=True)
class SandboxProbe:
    """What the probe found: for each sandbox, ``None`` if it works, else why not."""

    bwrap_problem: str | None
    container_problem: str | None

    @property
    def available(self) -> tuple[str, ...]:
        """The sandbox modes that work here, preferred first."""
        found = {"bwrap": self.bwrap_problem, "container": self.container_problem}
        return tuple(mode for mode, problem in found.items() if problem is None)


_CACHE: dict[tuple[str, str, str], SandboxProbe] = {}


async def _run(argv: list[str], timeout: float) -> tuple[int, str]:
    with anyio.move_on_after(timeout):
        done = await anyio.run_process(argv, check=False, stdin=subprocess.DEVNULL)
        return done.returncode, (done.stderr or b"").decode(errors="replace").strip()
    return -1, f"no answer within {timeout:g} s"


async def _probe_bwrap(bwrap: str) -> str | None:
    if shutil.which(bwrap) is None:
        return (
            f"{bwrap!r} not found (Debian: `apt-get install bubblewrap`, "
            "or run scripts/ensure-system.sh as root)"
        )
    with tempfile.TemporaryDirectory(prefix="atp-probe-") as tmp:
        code, err = await _run(bwrap_argv(["true"], Path(tmp), bwrap=bwrap), 20)
    if code != 0:
        return f"bwrap cannot create a sandbox here: {err or f'exit status {code}'}"
    return None


async def _probe_container(docker: str, image: str) -> str | None:
    if shutil.which(docker) is None:
        return f"{docker!r} not found"
    code, err = await _run([docker, "version", "--format", "{{.Server.Version}}"], 15)
    if code != 0:
        first = err.splitlines()[0] if err else f"exit status {code}"
        return f"no container engine answers: {first}"
    code, _ = await _run([docker, "image", "inspect", image], 15)
    if code != 0:
        return f"container image {image!r} not found (build it locally)"
    return None


async def probe_sandbox(
    *,
    image: str = "atp-sandbox:latest",
    bwrap: str = "bwrap",
    docker: str = "docker",
    refresh: bool = False,
) -> SandboxProbe:
    """Find out which sandboxes work here; the answer is cached per process.

    Concurrent first calls may each probe; the answers agree, so no lock is needed.
    """
    key = (bwrap, docker, image)
    if refresh or key not in _CACHE:
        bwrap_problem = await _probe_bwrap(bwrap)
        # The container is only a fallback: don't wait for an engine when bwrap works.
        container_problem = (
            "not probed: bwrap works" if bwrap_problem is None
            else await _probe_container(docker, image)
        )
        _CACHE[key] = SandboxProbe(
            bwrap_problem=bwrap_problem, container_problem=container_problem
        )
    return _CACHE[key]


def choose_mode(mode: str, probe: SandboxProbe) -> str:
    """The concrete mode to use for the requested ``mode``; ``SandboxError`` if none fits."""
    if mode not in MODES:
        raise SandboxError(f"unknown sandbox mode {mode!r}; expected one of {', '.join(MODES)}")
    if mode == "none":
        return "none"
    problems = {"bwrap": probe.bwrap_problem, "container": probe.container_problem}
    if mode != "auto":
        problem = problems[mode]
        if problem is not None:
            raise SandboxError(f"sandbox mode {mode!r} is unavailable: {problem}; {OPT_IN_HINT}")
        return mode
    if probe.available:
        return probe.available[0]
    raise SandboxError(
        "no sandbox is available for untrusted code "
        f"(bwrap: {probe.bwrap_problem}; container: {probe.container_problem}); {OPT_IN_HINT}"
    )


async def resolve_mode(options: SandboxOptions) -> str:
    """The concrete mode ``run_sandboxed`` will use for ``options``."""
    if options.mode == "none":
        return "none"
    if options.mode == "container":
        probe = await _probe_container_only(options.container_image)
    else:
        probe = await probe_sandbox(image=options.container_image)
    return choose_mode(options.mode, probe)


async def _probe_container_only(image: str) -> SandboxProbe:
    key = ("", "docker", image)
    if key not in _CACHE:
        _CACHE[key] = SandboxProbe(
            bwrap_problem="not probed", container_problem=await _probe_container("docker", image)
        )
    return _CACHE[key]

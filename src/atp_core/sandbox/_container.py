"""The container fallback: ``docker run`` with no network, a read-only root and no caps.

Used only when bubblewrap cannot run here and a Docker-compatible engine answers. The
workspace is mounted at its own path (so commands name the same files in every mode)
and is the only writable place besides a private ``/tmp``. The image must be built
locally and contain the tools the checks run (``python``, ``pytest``, ``ruff``).
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import anyio

from atp_core.protocol import SandboxOptions
from atp_core.sandbox._bwrap import SANDBOX_TMP

DEFAULT_IMAGE = "atp-sandbox:latest"


def container_argv(
    argv: Sequence[str],
    workspace: Path,
    *,
    name: str,
    options: SandboxOptions,
    env: Mapping[str, str],
    image: str = DEFAULT_IMAGE,
    docker: str = "docker",
) -> list[str]:
    """The ``docker run`` command that runs ``argv`` confined to ``workspace``."""
    ws = str(workspace)
    memory = f"{options.memory_mb}m"
    cpu = options.cpu_seconds
    args = [
        docker, "run", "--rm", "--name", name,
        "--network", "none",
        "--read-only",
        "--cap-drop", "ALL",
        "--security-opt", "no-new-privileges",
        "--user", "65534:65534",
        "--memory", memory, "--memory-swap", memory,
        "--pids-limit", str(options.max_processes),
        "--cpus", "1",
        "--ulimit", f"cpu={cpu}:{cpu + 1}",
        "--tmpfs", SANDBOX_TMP,
        "-v", f"{ws}:{ws}",
        "-w", ws,
    ]
    for key, value in sorted(env.items()):
        args += ["-e", f"{key}={value}"]
    return [*args, image, *argv]


async def remove_container(name: str, *, docker: str = "docker") -> None:
    """Force-remove a container by name; a container already gone is fine."""
    with anyio.move_on_after(30):
        await anyio.run_process(
            [docker, "rm", "-f", name],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

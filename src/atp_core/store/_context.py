"""Where a suite run happens: user, host, ATP version and git commit."""

from __future__ import annotations

import getpass
import socket
import subprocess
from pathlib import Path

from atp_core.store._types import RunContext


def _git_commit(cwd: Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True,
            timeout=5, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and commit else None


def _user() -> str | None:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return None


def detect_run_context(cwd: Path | None = None) -> RunContext:
    """Describe the current user, host, ATP version and the git commit of ``cwd``."""
    from atp_core import __version__

    return RunContext(
        created_by=_user(),
        host=socket.gethostname(),
        atp_version=__version__,
        git_commit=_git_commit(cwd or Path.cwd()),
    )

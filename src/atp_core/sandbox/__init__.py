"""Running untrusted code (code_exec checks, benchmarks) confined, limited and on a deadline.

``run_sandboxed`` uses bubblewrap when it can run here, else a container with no network,
and refuses (``SandboxError``) when neither works, unless mode ``none`` was chosen
explicitly. See docs/sandbox.md.
"""

from __future__ import annotations

from atp_core.protocol import SandboxOptions
from atp_core.sandbox._probe import (
    MODES,
    SandboxProbe,
    choose_mode,
    probe_sandbox,
    resolve_mode,
)
from atp_core.sandbox._result import OUTPUT_CAP_BYTES, SandboxResult
from atp_core.sandbox._run import run_sandboxed, sandbox_env

__all__ = [
    "MODES",
    "OUTPUT_CAP_BYTES",
    "SandboxOptions",
    "SandboxProbe",
    "SandboxResult",
    "choose_mode",
    "probe_sandbox",
    "resolve_mode",
    "run_sandboxed",
    "sandbox_env",
]

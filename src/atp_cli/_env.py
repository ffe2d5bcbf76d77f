"""The environment used for ``${VAR}`` substitution in suite files."""

from __future__ import annotations

import os
import sys


def substitution_env() -> dict[str, str]:
    """``os.environ`` plus ``ATP_PYTHON`` (this interpreter) unless the user set it."""
    env = dict(os.environ)
    env.setdefault("ATP_PYTHON", sys.executable)
    return env

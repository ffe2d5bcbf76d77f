"""Measure the shipped baselines: every category against every reference agent.

Runs ``atp benchmark run CATEGORY --agent builtin:AGENT --update-baseline --no-store`` in a
scratch directory, so each benchmark's ``baseline.json`` records a measured score, the date,
the agent and the ATP version. Usage: ``python benchmarks/authoring/measure_baselines.py``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile

CATEGORIES = ("coding", "research", "reasoning", "data_processing")
AGENTS = ("ref-solver", "ref-trivial", "ref-cheater")

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as scratch:
        for agent in AGENTS:
            for category in CATEGORIES:
                subprocess.run(
                    [sys.executable, "-m", "atp_cli", "benchmark", "run", category, "--agent",
                     f"builtin:{agent}", "--update-baseline", "--no-store", "--parallel", "4",
                     "--no-progress", "--log-level", "error"],
                    cwd=scratch, check=True,
                )

"""The benchmarks' helper modules, importable by name as the benchmarks import each other."""

from __future__ import annotations

import sys
from pathlib import Path

PERF = str(Path(__file__).resolve().parents[2] / "benchmarks" / "perf")
if PERF not in sys.path:
    sys.path.insert(0, PERF)

"""Baselines and regression detection: compare a suite run with a saved one, test by test.

Per test, Welch's t-test on run scores and Fisher's exact test on pass counts (scipy,
imported when a comparison is computed), Hedges' g, and a direction with a plain-words
reason; p-values are corrected for the number of tests (Holm or Benjamini-Hochberg).
See docs/baselines.md.
"""

from atp_core.baseline._compare import MIN_RUNS, compare
from atp_core.baseline._correction import Correction, benjamini_hochberg, holm
from atp_core.baseline._render import FORMATS, render_comparison
from atp_core.baseline._saved import (
    compare_with_baseline,
    list_baselines,
    load_baseline,
    save_baseline,
)
from atp_core.baseline._types import Comparison, Direction, TestComparison

__all__ = [
    "FORMATS",
    "MIN_RUNS",
    "Comparison",
    "Correction",
    "Direction",
    "TestComparison",
    "benjamini_hochberg",
    "compare",
    "compare_with_baseline",
    "holm",
    "list_baselines",
    "load_baseline",
    "render_comparison",
    "save_baseline",
]

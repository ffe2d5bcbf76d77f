"""The benchmark suite registry: shipped benchmarks, their versions, scores and baselines.

A benchmark is a suite file under ``<root>/<category>/<name>/suite.yaml`` (root: the
repository's ``benchmarks/suites`` or, in an installed wheel, ``atp_core/benchmarks/_data``).
Its ``version:`` is the benchmark version: scores are comparable only between runs of the
same version. ``baseline.json`` next to it holds the measured scores of the reference agents.
"""

from atp_core.benchmarks._baseline import (
    BaselineEntry,
    Baselines,
    load_baselines,
    save_baselines,
    with_entry,
)
from atp_core.benchmarks._registry import (
    CATEGORIES,
    Benchmark,
    benchmarks_root,
    list_benchmarks,
    select_benchmarks,
)
from atp_core.benchmarks._score import BenchmarkScore, benchmark_score

__all__ = [
    "CATEGORIES",
    "BaselineEntry",
    "Baselines",
    "Benchmark",
    "BenchmarkScore",
    "benchmark_score",
    "benchmarks_root",
    "list_benchmarks",
    "load_baselines",
    "save_baselines",
    "select_benchmarks",
    "with_entry",
]

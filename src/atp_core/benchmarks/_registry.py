"""Finding the shipped benchmarks: one suite file per benchmark, grouped by category."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from atp_core.errors import ConfigError

CATEGORIES = ("coding", "research", "reasoning", "data_processing")
SUITE_FILE = "suite.yaml"
BASELINE_FILE = "baseline.json"


@attrs.frozen(kw_only=True)
class Benchmark:
    """One benchmark: ``category/name``, its version and where its files are."""

    name: str
    category: str
    version: str
    description: str
    test_count: int
    directory: Path

    @property
    def full_name(self) -> str:
        """``category/name``, e.g. ``reasoning/mathematical``."""
        return f"{self.category}/{self.name}"

    @property
    def suite_path(self) -> Path:
        """The benchmark's suite file."""
        return self.directory / SUITE_FILE

    @property
    def baseline_path(self) -> Path:
        """The benchmark's measured baselines (may not exist yet)."""
        return self.directory / BASELINE_FILE


def benchmarks_root() -> Path:
    """Where the shipped benchmarks are: the wheel's data, else the repository's directory."""
    packaged = Path(__file__).with_name("_data")
    if packaged.is_dir():
        return packaged
    repository = Path(__file__).resolve().parents[3] / "benchmarks" / "suites"
    if repository.is_dir():
        return repository
    raise ConfigError(f"no benchmark suites found (looked in {packaged} and {repository})")


def _read(path: Path, category: str) -> Benchmark:
    from ruamel.yaml import YAML

    data: Any = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("tests"), list):
        raise ConfigError(f"{path}: not a suite file with a tests: list")
    return Benchmark(
        name=path.parent.name,
        category=category,
        version=str(data.get("version", "1.0")),
        description=" ".join(str(data.get("description", "")).split()),
        test_count=len(data["tests"]),
        directory=path.parent,
    )


def list_benchmarks(root: Path | None = None, category: str | None = None) -> list[Benchmark]:
    """Every benchmark under ``root`` (default ``benchmarks_root()``), by category then name."""
    if category is not None and category not in CATEGORIES:
        raise ConfigError(f"unknown category {category!r}; choose from {', '.join(CATEGORIES)}")
    base = root if root is not None else benchmarks_root()
    found = []
    for cat in CATEGORIES:
        if category not in (None, cat):
            continue
        for suite in sorted((base / cat).glob(f"*/{SUITE_FILE}")):
            found.append(_read(suite, cat))
    return found


def select_benchmarks(selector: str, root: Path | None = None) -> list[Benchmark]:
    """The benchmarks a category, a ``name`` or a ``category/name`` designates."""
    everything = list_benchmarks(root)
    if selector in CATEGORIES:
        return [b for b in everything if b.category == selector]
    chosen = [b for b in everything if selector in (b.name, b.full_name)]
    if not chosen:
        known = ", ".join([*CATEGORIES, *(b.name for b in everything)])
        raise ConfigError(f"no benchmark or category {selector!r}; known: {known}")
    return chosen

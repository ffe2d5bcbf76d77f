"""The benchmark registry: shipped suites, counts, selection, versions and baselines."""

from __future__ import annotations

from pathlib import Path

import pytest

from atp_core.benchmarks import (
    CATEGORIES,
    BaselineEntry,
    Baselines,
    list_benchmarks,
    load_baselines,
    save_baselines,
    select_benchmarks,
    with_entry,
)
from atp_core.errors import ConfigError
from atp_core.suite import load_suite

EXPECTED = {
    "coding/code_generation": 20, "coding/code_review": 15, "coding/bug_fixing": 15,
    "research/web_research": 10, "research/summarization": 10,
    "reasoning/logical_reasoning": 20, "reasoning/mathematical": 15,
    "data_processing/csv_transform": 10, "data_processing/json_extraction": 10,
}
REFERENCE = {"builtin-ref-solver", "builtin-ref-trivial", "builtin-ref-cheater"}


def test_every_required_benchmark_ships_with_its_test_count() -> None:
    """The registry lists the benchmarks of the issue with exactly their test counts."""
    found = {b.full_name: b.test_count for b in list_benchmarks()}
    assert found == EXPECTED


def test_counts_agree_with_the_suite_loader() -> None:
    """Each listed count is what the suite loader loads (every suite is valid)."""
    for bench in list_benchmarks():
        assert len(load_suite(bench.suite_path).tests) == bench.test_count, bench.full_name


def test_category_filter_lists_only_that_category() -> None:
    """``category=`` keeps one category; an unknown one is a ConfigError."""
    assert {b.category for b in list_benchmarks(category="research")} == {"research"}
    with pytest.raises(ConfigError, match="unknown category"):
        list_benchmarks(category="poetry")


def test_selectors_name_a_category_a_benchmark_or_category_slash_name() -> None:
    """A category selects all of its benchmarks; a name or full name selects one."""
    assert len(select_benchmarks("coding")) == len(CATEGORIES) - 1
    assert [b.full_name for b in select_benchmarks("mathematical")] == ["reasoning/mathematical"]
    assert [b.name for b in select_benchmarks("research/summarization")] == ["summarization"]
    with pytest.raises(ConfigError, match="no benchmark or category 'nope'"):
        select_benchmarks("nope")


def test_each_benchmark_ships_measured_baselines_of_its_version() -> None:
    """baseline.json holds the three reference agents, for the suite's current version."""
    for bench in list_benchmarks():
        baselines = load_baselines(bench.baseline_path)
        assert baselines is not None, bench.full_name
        assert baselines.version == bench.version
        assert {e.agent for e in baselines.entries} == REFERENCE
        for entry in baselines.entries:
            assert entry.total_runs == bench.test_count
            assert entry.command.startswith(f"atp benchmark run {bench.full_name} --agent ")


def _entry(agent: str, score: float) -> BaselineEntry:
    return BaselineEntry(agent=agent, score=score, passed_runs=1, total_runs=2,
                         date="2025-01-01T00:00:00+00:00", atp_version="0.1.0", command="x")


def test_baselines_round_trip_through_the_file(tmp_path: Path) -> None:
    """What save_baselines writes, load_baselines reads back unchanged (entries sorted)."""
    original = Baselines(benchmark="a/b", version="2.0",
                         entries=(_entry("z", 50.0), _entry("a", 10.0)))
    save_baselines(tmp_path / "baseline.json", original)
    loaded = load_baselines(tmp_path / "baseline.json")
    assert loaded is not None
    assert [e.agent for e in loaded.entries] == ["a", "z"]
    assert loaded.get("z") == _entry("z", 50.0)


def test_a_missing_file_has_no_baselines_and_a_broken_one_is_an_error(tmp_path: Path) -> None:
    """No file is None; a file of another format is a ConfigError naming the path."""
    assert load_baselines(tmp_path / "absent.json") is None
    (tmp_path / "bad.json").write_text('{"format": 99}')
    with pytest.raises(ConfigError, match=r"bad\.json"):
        load_baselines(tmp_path / "bad.json")


def test_a_new_entry_replaces_the_agents_old_one_and_a_new_version_starts_afresh() -> None:
    """with_entry keeps other agents of the same version and drops those of another."""
    old = Baselines(benchmark="a/b", version="1.0",
                    entries=(_entry("x", 1.0), _entry("y", 2.0)))
    same = with_entry(old, "a/b", "1.0", _entry("x", 9.0))
    assert sorted((e.agent, e.score) for e in same.entries) == [("x", 9.0), ("y", 2.0)]
    bumped = with_entry(old, "a/b", "1.1", _entry("x", 9.0))
    assert [(e.agent, e.score) for e in bumped.entries] == [("x", 9.0)]

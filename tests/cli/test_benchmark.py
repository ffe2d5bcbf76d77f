"""``atp benchmark``: list, info, and runs that reproduce the shipped baselines."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from tests.cli.conftest import Atp

from atp_core.benchmarks import list_benchmarks, load_baselines

CATEGORIES = ("coding", "research", "reasoning", "data_processing")
QUIET = ("--no-progress", "--log-level", "error", "--parallel", "4")


def _scores(stdout: str) -> dict[str, float]:
    """``category/name`` -> score, from the table ``atp benchmark run`` prints."""
    rows = re.findall(r"^(\w+/\w+)\s+\S+\s+\S+\s+([\d.]+)\s+\d+/\d+", stdout, re.MULTILINE)
    return {name: float(score) for name, score in rows}


def test_list_shows_every_category_and_suite_with_its_test_count(atp: Atp) -> None:
    """Each category heads its suites; each suite line carries its test count."""
    out = atp("benchmark", "list")
    assert out.returncode == 0, out.stderr
    for category in CATEGORIES:
        assert re.search(rf"^{category}$", out.stdout, re.MULTILINE)
    for bench in list_benchmarks():
        assert re.search(rf"^  {bench.name}\s+v{re.escape(bench.version)}\s+"
                         rf"{bench.test_count} tests", out.stdout, re.MULTILINE), bench.name
    assert "9 benchmarks, 125 tests" in out.stdout


def test_list_with_a_category_shows_only_it(atp: Atp) -> None:
    """--category narrows the list; an unknown category is a usage error (exit 2)."""
    out = atp("benchmark", "list", "--category", "reasoning")
    assert "mathematical" in out.stdout
    assert "csv_transform" not in out.stdout
    assert atp("benchmark", "list", "--category", "poetry").returncode == 2


def test_info_shows_version_baselines_and_tests(atp: Atp) -> None:
    """info names the version, each measured baseline with its command, and every test."""
    out = atp("benchmark", "info", "web_research")
    assert out.returncode == 0, out.stderr
    assert "research/web_research (version 1.0)" in out.stdout
    assert re.search(r"baseline builtin-ref-solver: 100\.00 \(10/10 runs\)", out.stdout)
    assert "atp benchmark run research/web_research --agent builtin:ref-solver" in out.stdout
    assert "wr-010" in out.stdout
    assert atp("benchmark", "info", "coding").returncode == 2


@pytest.mark.parametrize("category", CATEGORIES)
@pytest.mark.parametrize("agent", ["ref-solver", "ref-trivial"])
def test_run_reproduces_the_shipped_baselines(atp: Atp, category: str, agent: str) -> None:
    """Each category run against a reference agent scores exactly its shipped baseline."""
    out = atp("benchmark", "run", category, "--agent", f"builtin:{agent}", "--no-store", *QUIET)
    assert out.returncode == 0, out.stderr
    scores = _scores(out.stdout)
    benches = [b for b in list_benchmarks() if b.category == category]
    assert set(scores) == {b.full_name for b in benches}
    for bench in benches:
        baselines = load_baselines(bench.baseline_path)
        assert baselines is not None
        entry = baselines.get(f"builtin-{agent}")
        assert entry is not None
        assert scores[bench.full_name] == entry.score, bench.full_name


@pytest.mark.parametrize("category", CATEGORIES)
def test_the_cheating_agent_scores_low_everywhere(atp: Atp, category: str) -> None:
    """Fixed text in the right format, no tool calls: under 10 on every benchmark."""
    out = atp("benchmark", "run", category, "--agent", "builtin:ref-cheater", "--no-store",
              *QUIET)
    assert out.returncode == 0, out.stderr
    scores = _scores(out.stdout)
    assert len(scores) == len([b for b in list_benchmarks() if b.category == category])
    assert all(score < 10 for score in scores.values()), scores


def test_run_stores_results_and_writes_requested_reports(atp: Atp, tmp_path: Path) -> None:
    """Without --no-store the suite run lands in the store; --report adds a report file."""
    db = tmp_path / "results.db"
    out = atp("benchmark", "run", "json_extraction", "--agent", "builtin:ref-solver",
              "--db", f"sqlite:///{db}", "--report", f"json:{tmp_path / 'r.json'}", *QUIET)
    assert out.returncode == 0, out.stderr
    assert _scores(out.stdout) == {"data_processing/json_extraction": 100.0}
    assert json.loads((tmp_path / "r.json").read_text())["suite_run"]["suite"] == \
        "json_extraction"
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type='table'")]
        assert any("suite_run" in t for t in tables), tables
    listed = atp("results", "list", "--db", f"sqlite:///{db}")
    assert "json_extraction" in listed.stdout, listed.stdout + listed.stderr


def test_update_baseline_writes_a_measured_entry(atp: Atp, tmp_path: Path) -> None:
    """--update-baseline records the agent's score, runs, date, ATP version and command."""
    (bench,) = [b for b in list_benchmarks() if b.name == "mathematical"]
    copy = tmp_path / "bench" / "reasoning" / "mathematical"
    copy.mkdir(parents=True)
    (copy / "suite.yaml").write_text(bench.suite_path.read_text())
    out = atp("benchmark", "run", "mathematical", "--dir", str(tmp_path / "bench"),
              "--agent", "builtin:calculator", "--update-baseline", "--no-store", *QUIET)
    assert out.returncode == 0, out.stderr
    baselines = load_baselines(copy / "baseline.json")
    assert baselines is not None
    assert baselines.version == "1.0"
    (entry,) = baselines.entries
    assert entry.agent == "builtin-calculator"
    assert 0 < entry.passed_runs < entry.total_runs == 15
    assert entry.score == _scores(out.stdout)["reasoning/mathematical"]
    assert entry.date[:4].isdigit()
    assert entry.atp_version
    assert entry.command == ("atp benchmark run reasoning/mathematical --agent "
                             "builtin:calculator --update-baseline")


def test_update_baseline_refuses_an_agent_that_is_not_built_in(atp: Atp) -> None:
    """Only built-in agents make reproducible baselines: anything else is exit 2."""
    out = atp("benchmark", "run", "mathematical", "--adapter", "http", "--adapter-config",
              "endpoint=http://127.0.0.1:9", "--update-baseline", "--no-store")
    assert out.returncode == 2
    assert "builtin" in out.stderr

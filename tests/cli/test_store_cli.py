"""``atp run`` with the results store: durability under kill -9, resume, baselines, bad DBs."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

SLOW_AGENT = '''
import time
from atp_core.protocol import Response, StructuredArtifact

def answer(request, delay=0.05):
    time.sleep(delay)
    return Response(task_id=request.task_id, status="completed",
                    artifacts=[StructuredArtifact(name="out", data={"text": "ok"})])
'''


def _suite(tmp_path: Path, tests: int, runs: int) -> Path:
    lines = ['test_suite: "durable"', f"defaults: {{runs_per_test: {runs}}}", "agents:",
             '  - {name: "slow", type: "python", config: {target: "slowagent:answer"}}', "tests:"]
    for i in range(tests):
        lines.append(f'  - {{id: "t{i:03d}", name: "t{i}", task: {{description: "go"}}, '
                     'assertions: [{type: "contains", config: {pattern: "ok"}}]}')
    path = tmp_path / "suite.yaml"
    path.write_text("\n".join(lines) + "\n")
    (tmp_path / "slowagent.py").write_text(SLOW_AGENT)
    return path


def _runs(db: Path) -> list[tuple[str, str, int]]:
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT suite_run_id, test_id, run_number FROM runs").fetchall()
    except sqlite3.OperationalError:  # the file exists before its tables do
        return []


def test_kill_9_mid_suite_then_resume_stores_every_run_exactly_once(atp, tmp_path: Path) -> None:
    """Runs finished before SIGKILL survive; --resume completes the suite with no duplicates."""
    suite = _suite(tmp_path, tests=40, runs=5)
    db = tmp_path / "atp.db"
    url = f"sqlite:///{db}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "atp_cli", "run", str(suite), "--db", url, "--no-progress",
         "--parallel", "2"], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if db.exists() and len(_runs(db)) >= 40:
            break
        time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    before = _runs(db)
    assert 40 <= len(before) < 200, "the kill must land mid-suite"
    assert len(set(before)) == len(before)
    suite_run_id = before[0][0]
    out = atp("run", str(suite), "--db", url, "--no-progress", "--resume", suite_run_id,
              "--report", "json:r.json")
    assert out.returncode == 0, out.stderr
    after = _runs(db)
    assert len(after) == 200
    assert len(set(after)) == 200
    assert set(before) <= set(after)
    report = json.loads((tmp_path / "r.json").read_text())["suite_run"]
    assert report["id"] == suite_run_id
    assert sum(len(t["runs"]) for t in report["tests"]) == 200


FLAKY = """\
test_suite: "regress"
defaults: {{runs_per_test: 12}}
agents:
  - name: "flaky"
    type: "python"
    config:
      target: "atp_core.agents.entry:run"
      kwargs: {{agent: "flaky", failure_rate: {rate}, seed: {seed}}}
tests:
  - id: "t"
    name: "echo"
    task: {{description: "hello"}}
    assertions: [{{type: "contains", config: {{pattern: "hello"}}}}]
"""


def _run_flaky(atp, tmp_path: Path, url: str, rate: float, seed: int, *extra: str):
    suite = tmp_path / f"flaky-{rate}-{seed}.yaml"
    suite.write_text(FLAKY.format(rate=rate, seed=seed))
    return atp("run", str(suite), "--db", url, "--no-progress", "--report",
               f"json:{suite.stem}.json", *extra)


def test_degraded_agent_is_a_regression_against_a_healthy_baseline(atp, tmp_path: Path) -> None:
    """A much flakier agent regresses against the healthy baseline with scipy's own p-value."""
    from scipy import stats

    url = f"sqlite:///{tmp_path / 'atp.db'}"
    healthy = _run_flaky(atp, tmp_path, url, 0.0, 1)
    assert healthy.returncode == 0, healthy.stderr
    healthy_id = json.loads((tmp_path / "flaky-0.0-1.json").read_text())["suite_run"]["id"]
    saved = atp("baseline", "save", healthy_id, "--name", "healthy", "--db", url)
    assert saved.returncode == 0, saved.stderr

    same = _run_flaky(atp, tmp_path, url, 0.0, 2, "--baseline", "healthy")
    assert same.returncode == 0, same.stdout + same.stderr
    assert "0 regression" in same.stdout

    degraded = _run_flaky(atp, tmp_path, url, 0.8, 3, "--baseline", "healthy")
    assert degraded.returncode == 1
    report = json.loads((tmp_path / "flaky-0.8-3.json").read_text())["suite_run"]
    passed = report["tests"][0]["stats"]["passed"]
    cmp = atp("baseline", "compare", report["id"], "--baseline", "healthy", "--format", "json",
              "--db", url, "--fail-on-regression")
    assert cmp.returncode == 1
    test = json.loads(cmp.stdout)["tests"][0]
    assert test["direction"] == "regression"
    expected = stats.fisher_exact([[passed, 12 - passed], [12, 0]]).pvalue
    assert test["pass_p"] == pytest.approx(expected, rel=1e-12)
    healthy_scores = _scores(tmp_path / "flaky-0.0-1.json")
    degraded_scores = _scores(tmp_path / "flaky-0.8-3.json")
    with warnings.catch_warnings():  # the healthy side is constant: scipy warns, still exact
        warnings.simplefilter("ignore", RuntimeWarning)
        welch = stats.ttest_ind(degraded_scores, healthy_scores, equal_var=False).pvalue
    assert test["score_p"] == pytest.approx(welch, rel=1e-12)


def _scores(report: Path) -> list[float]:
    tests = json.loads(report.read_text())["suite_run"]["tests"]
    return [run["score"] for run in tests[0]["runs"]]


def test_unreachable_postgres_stops_before_any_agent_runs(atp, tmp_path: Path) -> None:
    """A database that cannot be reached is one clear line, exit 3, and no agent is called."""
    suite = _suite(tmp_path, tests=1, runs=1)
    marker = tmp_path / "called"
    (tmp_path / "slowagent.py").write_text(SLOW_AGENT.replace(
        "time.sleep(delay)", f"open({str(marker)!r}, 'w').close()"))
    out = atp("run", str(suite), "--db", "postgresql://nobody:s3cret-pw@127.0.0.1:1/none")
    assert out.returncode == 3
    assert "s3cret-pw" not in out.stderr
    assert len([ln for ln in out.stderr.splitlines() if ln.strip()]) == 1, out.stderr
    assert not marker.exists()


def test_read_only_and_newer_sqlite_files_stop_the_run(atp, tmp_path: Path) -> None:
    """A read-only SQLite file and one from a newer schema each stop atp run with exit 3."""
    suite = _suite(tmp_path, tests=1, runs=1)
    db = tmp_path / "ro.db"
    assert atp("db", "upgrade", "--db", f"sqlite:///{db}").returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE atp_schema_version SET version = version + 5")
    newer = atp("run", str(suite), "--db", f"sqlite:///{db}")
    assert newer.returncode == 3
    assert "newer" in newer.stderr
    ro_dir = tmp_path / "ro"
    ro_dir.mkdir()
    ro = ro_dir / "atp.db"
    assert atp("db", "upgrade", "--db", f"sqlite:///{ro}").returncode == 0
    with _read_only(ro_dir, ro):
        out = atp("run", str(suite), "--db", f"sqlite:///{ro}")
    assert out.returncode == 3, out.stderr
    assert "permissions" in out.stderr or "read-only" in out.stderr


@contextlib.contextmanager
def _read_only(directory: Path, db: Path) -> Iterator[None]:
    """Make the database and its directory unwritable, even for root (chattr +i)."""
    if os.geteuid() != 0:
        db.chmod(0o444)
        directory.chmod(0o555)
        try:
            yield
        finally:
            directory.chmod(0o755)
        return
    made = subprocess.run(["chattr", "+i", str(db), str(directory)], capture_output=True,
                          check=False)
    if made.returncode != 0:
        pytest.skip(f"root cannot make files read-only here: {made.stderr.decode()[:200]}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(db), str(directory)], check=True)


def test_locked_sqlite_file_stops_the_run_with_one_line(atp, tmp_path: Path) -> None:
    """A database another process holds an exclusive lock on stops atp run: exit 3."""
    suite = _suite(tmp_path, tests=1, runs=1)
    db = tmp_path / "locked.db"
    assert atp("db", "upgrade", "--db", f"sqlite:///{db}").returncode == 0
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        out = atp("run", str(suite), "--db", f"sqlite:///{db}", "--config",
                  "runner.parallel=1")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert out.returncode == 3, out.stderr
    assert "locked" in out.stderr

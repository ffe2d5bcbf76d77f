"""``atp run`` end to end: real subprocess agents, real HTTP agents, reports, exit codes."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from atp_core.agents import make_http_server


def write(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


ORIGINAL = """\
test_suite: "original-format"
version: "1.0"
description: "A suite written for the original ATP format"
defaults:
  runs_per_test: 2
  timeout_seconds: 60
  constraints: {max_steps: 10, budget_usd: 0.5}
  scoring: {quality_weight: 0.4, completeness_weight: 0.3, efficiency_weight: 0.2, cost_weight: 0.1}
agents:
  - name: "file-agent"
    type: "cli"
    config: {command: "${ATP_PYTHON}", args: ["-m", "atp_core.agents", "stdio", "file-ops"]}
tests:
  - id: "t-001"
    name: "Create a file"
    tags: ["smoke"]
    task: {description: "Create hello.txt with content hi", expected_artifacts: ["hello.txt"]}
    constraints: {timeout_seconds: 30, max_steps: 3, allowed_tools: ["write_file"]}
    assertions:
      - type: "artifact_exists"
        config: {path: "hello.txt"}
        critical: true
    pass_threshold: 0.7
"""


@pytest.fixture
def sse_calculator() -> Iterator[str]:
    """The calculator agent served over HTTP with SSE replies on a free loopback port."""
    import threading

    server = make_http_server("calculator", "127.0.0.1", 0, {}, mode="sse")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_original_format_suite_runs_unchanged_against_a_stdio_agent(atp, tmp_path: Path) -> None:
    """The SPEC §2 example runs with the adapter from its own agents: block; files stay put."""
    suite = write(tmp_path / "suite.yaml", ORIGINAL)
    out = atp("run", str(suite), "--no-progress", "--report", "json:r.json")
    assert out.returncode == 0, out.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    runs = report["suite_run"]["tests"][0]["runs"]
    assert [r["verdict"] for r in runs] == ["passed", "passed"]
    assert runs[0]["adapter"]["type"] == "cli"
    assert not (tmp_path / "hello.txt").exists(), "agent files must not land in the cwd"


def test_suite_agents_block_drives_an_http_sse_agent(atp, tmp_path: Path, sse_calculator) -> None:
    """An http agent from the agents: block streams SSE events that the checks can see."""
    suite = write(tmp_path / "s.yaml", f"""\
test_suite: "sse"
agents:
  - name: "calc"
    type: "http"
    config: {{endpoint: "{sse_calculator}"}}
tests:
  - id: "mul"
    name: "multiply"
    task: {{description: "What is 6 * 7?"}}
    assertions:
      - type: "contains"
        config: {{pattern: "42"}}
      - type: "must_use_tools"
        config: {{tools: ["calculator"]}}
""")
    out = atp("run", str(suite), "--no-progress", "--report", "json:r.json")
    assert out.returncode == 0, out.stdout + out.stderr
    run = json.loads((tmp_path / "r.json").read_text())["suite_run"]["tests"][0]["runs"][0]
    assert {e["event_type"] for e in run["events"]} >= {"tool_call", "reasoning"}


def test_five_mistakes_give_five_located_errors_and_exit_2(atp, tmp_path: Path) -> None:
    """validate and run both report every problem with file:line:col, exit 2."""
    suite = write(tmp_path / "bad.yaml", """\
test_suite: "bad"
defaults:
  runs_per_tst: 3
tests:
  - id: "a"
    name: "a"
    task: {description: "x"}
    assertions:
      - type: "contians"
        config: {pattern: "x"}
      - type: "contains"
        config: {pattern: "x", regex: "maybe"}
  - id: "a"
    name: "dup"
    task: {description: "y"}
    pass_threshold: 1.5
""")
    for command in ("validate", "run"):
        out = atp(command, str(suite))
        assert out.returncode == 2
        located = [ln for ln in out.stderr.splitlines()
                   if re.match(rf"{re.escape(str(suite))}:\d+:\d+: ", ln)]
        assert len(located) == 5, out.stderr
    assert "did you mean" in out.stderr


@pytest.mark.parametrize(
    ("agent", "kind"),
    [("hang", "timeout"), ("hang --param children=2", "timeout"), ("crash", "crashed"),
     ("garbage", "protocol_error"), ("flood", "protocol_error")],
)
def test_misbehaving_stdio_agent_becomes_a_recorded_failed_run(
    atp, tmp_path: Path, agent: str, kind: str
) -> None:
    """Hangs, crashes, garbage and a 50 MB flood each give a failed run; the suite finishes."""
    mark = uuid.uuid4().hex
    args = json.dumps(["-m", "atp_core.agents", "stdio", *agent.split()])
    suite = write(tmp_path / "s.yaml", f"""\
test_suite: "bad-agents"
defaults: {{timeout_seconds: 3}}
agents:
  - name: "misbehaving"
    type: "cli"
    config:
      command: "${{ATP_PYTHON}}"
      args: {args}
      environment: {{ATP_TEST_MARK: "{mark}"}}
tests:
  - id: "t1"
    name: "one"
    task: {{description: "anything"}}
    assertions: [{{type: "no_errors", config: {{}}}}]
  - id: "t2"
    name: "two"
    task: {{description: "anything"}}
    assertions: [{{type: "no_errors", config: {{}}}}]
""")
    out = atp("run", str(suite), "--no-progress", "--report", "json:r.json", timeout=60)
    assert out.returncode in (1, 3), out.stderr
    tests = json.loads((tmp_path / "r.json").read_text())["suite_run"]["tests"]
    assert len(tests) == 2
    for test in tests:
        run = test["runs"][0]
        assert run["verdict"] in ("failed", "error")
        assert run["error_kind"] == kind
    assert not _marked_processes(mark), "no agent process may outlive the suite"


def _marked_processes(mark: str) -> list[int]:
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.environ().get("ATP_TEST_MARK") == mark:
                found.append(proc.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def test_reports_in_every_format_show_the_statistics(atp, tmp_path: Path) -> None:
    """Five flaky runs: JSON, JUnit, HTML and Markdown carry rate, pass^k, CI and flakiness."""
    suite = write(tmp_path / "s.yaml", """\
test_suite: "flaky"
defaults: {runs_per_test: 5}
agents:
  - name: "flaky"
    type: "python"
    config:
      target: "atp_core.agents.entry:run"
      kwargs: {agent: "flaky", failure_rate: 0.4, seed: 3}
tests:
  - id: "t"
    name: "echo"
    task: {description: "hello"}
    assertions: [{type: "contains", config: {pattern: "hello"}}]
""")
    out = atp("run", str(suite), "--no-progress", "--report", "json:o/r.json", "--report",
              "junit:o/r.xml", "--report", "html:o/r.html", "--report", "markdown:o/r.md",
              "--report", "console")
    stats = json.loads((tmp_path / "o/r.json").read_text())["suite_run"]["tests"][0]["stats"]
    assert stats["n"] == 5
    assert 0 < stats["passed"] < 5
    assert stats["flaky"] is True
    assert out.returncode == 1
    props = {p.get("name"): p.get("value") for p in ET.parse(tmp_path / "o/r.xml").iter("property")}
    assert props["flaky"] == "true"
    assert float(props["pass_rate"]) == pytest.approx(stats["pass_rate"])
    html = (tmp_path / "o/r.html").read_text()
    assert "<svg" in html
    assert "flaky" in html.lower()
    md = (tmp_path / "o/r.md").read_text()
    assert "pass^k" in md.lower() or "pass^" in md
    assert "FLAKY" in out.stdout or "flaky" in out.stdout


def test_ctrl_c_keeps_finished_runs_and_exits_130(tmp_path: Path) -> None:
    """SIGINT mid-suite stops running agents, reports finished runs and exits 130."""
    suite = write(tmp_path / "s.yaml", """\
test_suite: "slow"
defaults: {runs_per_test: 1, timeout_seconds: 120}
agents:
  - name: "mix"
    type: "python"
    config: {target: "atp_core.agents.entry:run", kwargs: {agent: "echo"}}
tests:
  - id: "fast"
    name: "fast"
    task: {description: "x"}
    assertions: [{type: "contains", config: {pattern: "x"}}]
""")
    hang = write(tmp_path / "h.yaml", suite.read_text().replace('"echo"', '"hang"').replace(
        '"slow"', '"hang"'))
    proc = subprocess.Popen(
        [sys.executable, "-m", "atp_cli", "run", str(hang), "--no-progress", "--report",
         "json:r.json"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["suite_run"]["status"] == "interrupted"

"""``atp run --metrics-port`` and ``--metrics-file``: Prometheus text a scraper can read."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

NAMES = {"atp_tests", "atp_test_duration_seconds", "atp_evaluator_duration_seconds",
         "atp_llm_calls", "atp_llm_tokens", "atp_adapter_errors", "atp_runs_in_flight"}

AGENT = '''
import time
from atp_core.protocol import Event, Response, StructuredArtifact

async def answer(request, delay=0.0):
    import anyio
    await anyio.sleep(delay)
    yield Event(task_id=request.task_id, event_type="llm_request", timestamp="t", sequence=0,
                payload={"model": "m1", "provider": "p1", "input_tokens": 10, "output_tokens": 5})
    if "boom" in request.task.description:
        raise RuntimeError("agent bug")
    yield Response(task_id=request.task_id, status="completed",
                   artifacts=[StructuredArtifact(name="o", data={"t": "ok"})])
'''

SUITE = """\
test_suite: "metrics"
defaults: {{runs_per_test: 2}}
agents:
  - {{name: "a", type: "python", config: {{target: "magent:answer", kwargs: {{delay: {delay}}}}}}}
tests:
  - {{id: "ok", name: "ok", task: {{description: "fine"}},
     assertions: [{{type: "contains", config: {{pattern: "ok"}}}}]}}
  - {{id: "bad", name: "bad", task: {{description: "boom"}},
     assertions: [{{type: "contains", config: {{pattern: "ok"}}}}]}}
"""


def _families(text: str) -> dict[str, list]:
    return {f.name: f.samples for f in text_string_to_metric_families(text)}


def _setup(tmp_path: Path, delay: float) -> Path:
    (tmp_path / "magent.py").write_text(AGENT)
    suite = tmp_path / "suite.yaml"
    suite.write_text(SUITE.format(delay=delay))
    return suite


def test_metrics_file_holds_every_metric_with_correct_counts(atp, tmp_path: Path) -> None:
    """After a known suite, the text file parses and counts tests, LLM calls, tokens, errors."""
    suite = _setup(tmp_path, 0.0)
    out = atp("run", str(suite), "--no-store", "--no-progress", "--metrics-file", "m.prom")
    assert out.returncode == 3, out.stderr
    families = _families((tmp_path / "m.prom").read_text())
    assert set(families) >= NAMES
    tests = {s.labels["status"]: s.value for s in families["atp_tests"]
             if s.name == "atp_tests_total"}
    assert tests == {"passed": 1.0, "error": 1.0}
    calls = [s for s in families["atp_llm_calls"] if s.name == "atp_llm_calls_total"]
    # Four runs each streamed one LLM call; the two crashed runs' events are kept too.
    assert [(s.labels["provider"], s.labels["model"], s.value) for s in calls] == [
        ("p1", "m1", 4.0)]
    tokens = {s.labels["type"]: s.value for s in families["atp_llm_tokens"]
              if s.name == "atp_llm_tokens_total"}
    assert tokens == {"input": 40.0, "output": 20.0}
    errors = [s for s in families["atp_adapter_errors"] if s.name == "atp_adapter_errors_total"]
    assert sum(s.value for s in errors) == 2.0


def test_metrics_port_serves_prometheus_text_while_running(tmp_path: Path) -> None:
    """A scrape during the run parses with prometheus-client's parser and has every name."""
    suite = _setup(tmp_path, 1.5)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "atp_cli", "run", str(suite), "--no-store", "--no-progress",
         "--parallel", "1", "--metrics-port", str(port)], cwd=tmp_path,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        families: dict[str, list] = {}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "atp_tests" not in families:
            with contextlib.suppress(httpx.TransportError):
                families = _families(httpx.get(f"http://127.0.0.1:{port}/metrics").text)
            time.sleep(0.2)
        assert set(families) >= NAMES
        in_flight = [s.value for s in families["atp_runs_in_flight"]]
        assert in_flight
        assert 0 <= in_flight[0] <= 1
    finally:
        proc.wait(timeout=60)

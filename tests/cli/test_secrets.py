"""Issue 4's promise, end to end: planted secrets appear nowhere in clear.

Secrets go into the config file, a stdio agent's environment, an HTTP agent's headers and
an agent's output. The run logs JSON at DEBUG, exports traces to a real OTLP/HTTP receiver
and serves metrics; then every log line, span, report file, metrics scrape and database row
is scanned.
"""

from __future__ import annotations

import http.server
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from atp_core.agents import make_http_server

CONFIG_SECRET = "cfg-Planted-5e1f7a9b33"
ENV_SECRET = "env-Planted-8c2d4e6f11"
HEADER_SECRET = "hdr-Planted-0a9b8c7d66"
OUTPUT_KEY = "sk-ant-api03-PlantedOutputKey0123456789abcdef"
SECRETS = (CONFIG_SECRET, ENV_SECRET, HEADER_SECRET, OUTPUT_KEY)


class _Receiver(http.server.BaseHTTPRequestHandler):
    bodies: list[bytes] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        _Receiver.bodies.append(self.rfile.read(length))
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def otlp() -> Iterator[tuple[str, list[bytes]]]:
    """A real OTLP/HTTP endpoint on 127.0.0.1 that keeps every body it receives."""
    _Receiver.bodies = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Receiver.bodies
    server.shutdown()
    server.server_close()


@pytest.fixture
def http_echo() -> Iterator[str]:
    """The echo agent over HTTP."""
    server = make_http_server("echo", "127.0.0.1", 0, {}, mode="sse")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_planted_secrets_never_appear_in_clear(tmp_path: Path, otlp, http_echo) -> None:
    """No log line, span, report, metric or database row holds a planted secret."""
    endpoint, bodies = otlp
    (tmp_path / "atp.config.yaml").write_text(f"web:\n  token: {CONFIG_SECRET}\n")
    suite = tmp_path / "suite.yaml"
    suite.write_text(f"""\
test_suite: "secrets"
agents:
  - name: "stdio-echo"
    type: "cli"
    config:
      command: "${{ATP_PYTHON}}"
      args: ["-m", "atp_core.agents", "stdio", "echo"]
      environment: {{DEPLOY_CODE: "{ENV_SECRET}"}}
  - name: "http-echo"
    type: "http"
    config:
      endpoint: "{http_echo}"
      headers: {{Authorization: "Bearer {HEADER_SECRET}", X-Team: "{HEADER_SECRET}"}}
tests:
  - id: "leak"
    name: "an agent that repeats secrets"
    task: {{description: "config {CONFIG_SECRET} and key {OUTPUT_KEY}"}}
    assertions:
      - type: "contains"
        config: {{pattern: "{OUTPUT_KEY}"}}
""")
    env = {"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
           "OTEL_BSP_SCHEDULE_DELAY": "100", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-m", "atp_cli", "run", str(suite), "--no-progress", "--log-level",
         "DEBUG", "--log-format", "json", "--db", f"sqlite:///{tmp_path / 'atp.db'}",
         "--metrics-file", "metrics.prom", "--report", "json:r/report.json", "--report",
         "html:r/report.html", "--report", "junit:r/report.xml", "--report",
         "markdown:r/report.md", "--report", "console"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert '"suite_run_id"' in out.stderr, "JSON logs with correlation IDs were written"
    assert bodies, "the OTLP receiver got spans"
    texts = {"stdout": out.stdout, "stderr (logs)": out.stderr,
             "metrics": (tmp_path / "metrics.prom").read_text()}
    for report in (tmp_path / "r").iterdir():
        texts[report.name] = report.read_text()
    with sqlite3.connect(tmp_path / "atp.db") as conn:
        texts["database"] = "\n".join(conn.iterdump())
    for name, text in texts.items():
        for secret in SECRETS:
            assert secret not in text, f"{secret} leaked into {name}"
    for body in bodies:
        for secret in SECRETS:
            assert secret.encode() not in body, f"{secret} leaked into an exported span"
    assert "**********" in texts["report.json"], "the output secret was masked, not dropped"

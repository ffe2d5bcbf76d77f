"""The demo: serve the calculator over HTTP, run the demo suites, report."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import httpx

from atp_cli._env import substitution_env
from atp_cli._reports import parse_report_targets
from atp_cli._run import RunRequest, StorePlan, load_config_for, run_requests
from atp_cli._store import database_url
from atp_core.errors import AgentUnreachable

DEMO_SUITES = ("files.yaml", "math.yaml", "flaky.yaml")


def demo_dir() -> Path:
    """Where the demo suites are: packaged with atp_cli, or the repository's examples/."""
    packaged = Path(str(resources.files("atp_cli"))) / "_examples" / "demo"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "examples" / "demo"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def served_agent(name: str, mode: str) -> Iterator[str]:
    """Serve a built-in agent over HTTP in a child process; yield its endpoint."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "atp_cli", "agent", "serve", name, "--port", str(port),
         "--mode", mode],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}/"
    try:
        _wait_healthy(endpoint + "health", proc)
        yield endpoint
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_healthy(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AgentUnreachable(f"demo agent server exited with code {proc.returncode}")
        try:
            if httpx.get(url, timeout=0.5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AgentUnreachable(f"demo agent server did not answer at {url}")


def run_demo(args: argparse.Namespace) -> int:
    """Run the three demo suites and return the combined exit code."""
    from atp_core.suite import load_suite

    config = load_config_for(args)
    targets = parse_report_targets(args.report)
    with served_agent("calculator", "sse") as endpoint:
        os.environ["ATP_DEMO_HTTP_ENDPOINT"] = endpoint
        requests = []
        for name in DEMO_SUITES:
            suite = load_suite(demo_dir() / name, env=substitution_env(),
                               default_timeout=config.runner.default_timeout)
            requests.append(RunRequest(suite=suite, agents=suite.agents, targets=targets,
                                       config=config, progress=not args.no_progress))
        return run_requests(requests, StorePlan(url=database_url(config)), args)

"""``atp serve --workers N``: settings travel through the environment to worker processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from atp_core.config import Secret
from atp_core.errors import ConfigError
from atp_web import WebSettings
from atp_web.settings_env import ENV_VAR, settings_from_env, settings_to_env

_text = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30)


@given(
    url=st.none() | _text,
    token=st.none() | _text,
    dirs=st.lists(_text.filter(lambda s: "\x00" not in s), min_size=1, max_size=3),
    parallel=st.integers(1, 64),
    page_size=st.integers(1, 500),
    poll=st.floats(0.01, 10),
    root=st.none() | st.just("/tmp/ws"),
)
def test_settings_survive_the_trip_through_the_environment(
    url: str | None,
    token: str | None,
    dirs: list[str],
    parallel: int,
    page_size: int,
    poll: float,
    root: str | None,
) -> None:
    """Whatever settings atp serve writes, a worker reads back the same."""
    settings = WebSettings(
        database_url=url,
        suites_dirs=tuple(Path(d) for d in dirs),
        token=None if token is None else Secret(token),
        parallel=parallel,
        page_size=page_size,
        poll_interval=poll,
        workspace_root=None if root is None else Path(root),
    )
    assert settings_from_env(settings_to_env(settings)) == settings


def test_missing_or_broken_settings_are_a_config_error_without_the_value() -> None:
    """A worker without settings, or with garbage, says so and never echoes the value."""
    with pytest.raises(ConfigError, match="atp serve"):
        settings_from_env({})
    with pytest.raises(ConfigError, match="not valid") as caught:
        settings_from_env({ENV_VAR: '{"token": "sk-very-secret"}'})
    assert "sk-very-secret" not in str(caught.value)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_healthy(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"atp serve exited with {proc.returncode}"
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail("atp serve --workers 2 did not become healthy within 30 s")


def test_two_workers_serve_the_store_and_require_the_token(seeded: Any, tmp_path: Path) -> None:
    """With --workers 2 both processes answer from the store and enforce the access token."""
    port = _free_port()
    atp = Path(sys.executable).parent / "atp"
    env = {**os.environ, "ATP_WEB_TOKEN": "tok-123"}
    proc = subprocess.Popen(
        [
            str(atp),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--db",
            seeded.url,
            "--suites",
            str(seeded.suites_dir),
            "--workers",
            "2",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc)
        auth = {"Authorization": "Bearer tok-123"}
        for _ in range(6):  # new connections, spread over both workers by the kernel
            with httpx.Client(base_url=base, timeout=10) as client:
                assert client.get("/api/v1/runs").status_code == 401
                runs = client.get("/api/v1/runs", headers=auth)
                assert runs.status_code == 200
                ids = {r["id"] for r in runs.json()["items"]}
                assert seeded.flaky_a.id in ids
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert b"tok-123" not in err


def test_workers_below_one_are_refused(tmp_path: Path) -> None:
    """--workers 0 is a usage error, before anything is served."""
    atp = Path(sys.executable).parent / "atp"
    done = subprocess.run(
        [str(atp), "serve", "--workers", "0"],
        cwd=tmp_path,
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert b"--workers must be a whole number >= 1" in done.stderr

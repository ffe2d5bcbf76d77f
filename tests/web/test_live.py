"""Starting a run from the dashboard, live progress over WebSocket and SSE, the access token."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from starlette.testclient import TestClient

from atp_core.config import Secret
from atp_web import WebSettings, create_app


def _slow_key(client: TestClient) -> str:
    return next(s["key"] for s in client.get("/api/v1/suites").json()["suites"]
                if s["key"].endswith("slow.yaml"))


def test_launch_starts_a_run_and_websocket_streams_progress(client: TestClient) -> None:
    """POST /launch redirects to the run; its WebSocket pushes changes until it finishes."""
    started = client.post("/launch", data={"suite": _slow_key(client), "agent": "suite:slow"},
                          follow_redirects=False)
    assert started.status_code == 303
    url = started.headers["location"]
    page = client.get(url)
    assert "live-socket" in page.text
    assert "running" in page.text
    messages = []
    with client.websocket_connect(f"/live{url}/ws") as ws:
        while True:
            message = ws.receive()
            if message["type"] == "websocket.close":
                break
            messages.append(message["text"])
    assert len(messages) >= 3
    assert all('id="live-progress" hx-swap-oob="true"' in m for m in messages)
    assert "runs 0/3" in messages[0] or "runs 1/3" in messages[0]
    assert "runs 3/3" in messages[-1]
    assert 'data-done="true"' in messages[-1]
    assert len(set(messages)) == len(messages)
    assert client.get(f"/api/v1{url}/progress").json()["status"] == "completed"


def test_sse_resumes_from_last_event_id_without_repeats(client: TestClient, seeded: Any) -> None:
    """SSE sends the current state once; with that Last-Event-ID it sends nothing again."""
    url = f"/live/runs/{seeded.flaky_a.id}/sse"
    with client.stream("GET", url) as response:
        body = "".join(response.iter_text())
    assert response.headers["content-type"].startswith("text/event-stream")
    event_id = next(line[4:] for line in body.splitlines() if line.startswith("id: "))
    assert "event: update" in body
    assert "runs 8/8" in body
    with client.stream("GET", url, headers={"Last-Event-ID": event_id}) as again:
        assert "event: update" not in "".join(again.iter_text())
    assert client.get("/live/runs/nope/sse").status_code == 404


def test_api_launch_validates_and_starts(client: TestClient) -> None:
    """POST /api/v1/launch refuses unknown suites and agents and starts a valid run."""
    outside = client.post("/api/v1/launch", json={"suite": "/etc/passwd", "agent": "x"})
    assert outside.status_code == 400
    bad_agent = client.post("/api/v1/launch",
                            json={"suite": _slow_key(client), "agent": "suite:no"})
    assert bad_agent.status_code == 400
    assert "not in the suite" in bad_agent.json()["error"]
    assert client.post("/api/v1/launch", content=b"[1").status_code == 400
    ok = client.post("/api/v1/launch",
                     json={"suite": _slow_key(client), "agent": "builtin:echo", "runs": 1})
    assert ok.status_code == 202
    assert client.get(ok.json()["url"]).status_code == 200


def test_token_is_required_when_configured(seeded: Any) -> None:
    """With a token, requests without it get 401; the header or the /login cookie admit them."""
    settings = WebSettings(database_url=seeded.url, suites_dirs=(seeded.suites_dir,),
                           token=Secret("s3cret-token"))
    with TestClient(create_app(settings)) as client:
        assert client.get("/runs").status_code == 401
        assert client.get("/api/v1/runs").status_code == 401
        assert client.get("/runs", headers={"Authorization": "Bearer wrong"}).status_code == 401
        bearer = {"Authorization": "Bearer s3cret-token"}
        assert client.get("/runs", headers=bearer).status_code == 200
        assert client.get("/login", params={"token": "wrong"}).status_code == 400
        client.get("/login", params={"token": "s3cret-token"})
        assert client.get("/runs").status_code == 200
        assert client.get("/healthz").status_code == 200


def test_serve_refuses_a_public_address_without_a_token(tmp_path: Any) -> None:
    """`atp serve --host 0.0.0.0` without ATP_WEB_TOKEN exits with an error, serving nothing."""
    proc = subprocess.run(
        [sys.executable, "-m", "atp_cli", "serve", "--host", "0.0.0.0", "--port", "1",
         "--db", f"sqlite:///{tmp_path / 'x.db'}"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert proc.returncode == 2
    assert "not a loopback address" in proc.stderr

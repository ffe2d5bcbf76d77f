"""The JSON API mirrors the pages; bad input is a 400 with the reason, unknown ids a 404."""

from __future__ import annotations

import html
import io
import json
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]


def test_api_lists_and_reads_suite_runs(client: TestClient, seeded: Any) -> None:
    """/api/v1/runs pages and filters; one suite run and one test come back whole."""
    listing = client.get("/api/v1/runs", params={"agent": "flaky"}).json()
    assert listing["total"] == 2
    assert {r["id"] for r in listing["items"]} == {seeded.flaky_a.id, seeded.flaky_b.id}
    one = client.get(f"/api/v1/runs/{seeded.flaky_a.id}").json()
    assert one["header"]["suite"] == "web-demo"
    assert len(one["tests"]) == 2
    test = client.get(f"/api/v1/runs/{seeded.flaky_a.id}/tests/greet").json()
    assert len(test["runs"]) == 4
    progress = client.get(f"/api/v1/runs/{seeded.flaky_a.id}/progress").json()
    assert progress["status"] == "completed"
    assert progress["runs_done"] == 8


def test_api_events_artifacts_agents_trends_compare_baselines(
    client: TestClient, seeded: Any
) -> None:
    """Every remaining API route answers with the data its page shows."""
    run_id = client.get(f"/api/v1/runs/{seeded.xss.id}/tests/inject").json()["runs"][0]["id"]
    events = client.get(f"/api/v1/test-runs/{run_id}/events").json()
    assert events["total"] >= 3
    assert events["items"][0]["event_type"] == "reasoning"
    art = client.get(f"/api/v1/test-runs/{run_id}/artifacts", params={"path": "injected.html"})
    assert "<script>" in art.json()["content"]
    assert "flaky" in client.get("/api/v1/agents").json()["agents"]
    assert client.get("/api/v1/agents/flaky").json()["runs"]["total"] == 2
    assert client.get("/api/v1/trends").json()["trends"]
    cmp = client.get("/api/v1/compare", params={"a": seeded.flaky_a.id, "b": seeded.flaky_b.id})
    assert {t["test_id"] for t in cmp.json()["tests"]} == {"greet", "status"}
    assert client.get("/api/v1/baselines").json()["baselines"][0]["name"] == "demo-baseline"


def test_openapi_document_names_every_api_route(client: TestClient) -> None:
    """/api/v1/openapi.json is OpenAPI 3.1 and covers every /api/v1 route of the app."""
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    routes = {r.path for r in client.app.routes if getattr(r, "path", "").startswith("/api/v1/")}
    assert routes - {"/api/v1/openapi.json"} == set(doc["paths"])


@pytest.mark.parametrize("url", [
    "/runs/nope", "/runs/nope/tests/x", "/agents/nobody", "/compare?a=nope&b=nope2",
    "/no/such/page",
])
def test_unknown_ids_give_a_404_page(client: TestClient, url: str) -> None:
    """Unknown suite runs, tests, agents and paths render the 404 page."""
    page = client.get(url)
    assert page.status_code == 404
    assert "Not found" in page.text


def test_unknown_test_and_artifact_give_404(client: TestClient, seeded: Any) -> None:
    """A test not in the run, or an artifact the run lacks, is a 404 (page and API)."""
    assert client.get(f"/runs/{seeded.xss.id}/tests/missing").status_code == 404
    assert client.get(f"/api/v1/runs/{seeded.xss.id}/tests/missing").json()["error"]
    run_id = client.get(f"/api/v1/runs/{seeded.xss.id}/tests/inject").json()["runs"][0]["id"]
    base = f"/runs/{seeded.xss.id}/tests/inject/artifacts/{run_id}"
    assert client.get(base, params={"path": "nothing"}).status_code == 404
    assert client.get(base + "/raw", params={"path": "injected.html"}).status_code == 404
    assert client.get(f"/runs/{seeded.flaky_a.id}/tests/greet/artifacts/{run_id}",
                      params={"path": "injected.html"}).status_code == 404


@pytest.mark.parametrize(("url", "reason"), [
    ("/runs?page=abc", "'page' must be an integer"),
    ("/runs?page=0", "'page' must be between"),
    ("/runs?status=weird", "'status' must be one of"),
    ("/runs?since=yesterday", "'since' must be an ISO-8601"),
    ("/runs?format=pdf", "'format' must be one of"),
    ("/api/v1/runs?limit=100000", "'limit' must be between"),
    ("/compare?a=x&b=y&alpha=2", "'alpha' must be between"),
    ("/api/v1/compare?a=x", "'a' and 'b'"),
    ("/api/v1/test-runs/x/artifacts", "'path' is required"),
])
def test_malformed_parameters_give_400_with_the_reason(
    client: TestClient, url: str, reason: str
) -> None:
    """A malformed query parameter is a 400 naming the parameter, never a 500."""
    response = client.get(url)
    assert response.status_code == 400
    assert reason in html.unescape(response.text)


def test_comparing_different_suites_is_a_400(client: TestClient, seeded: Any) -> None:
    """Two suite runs of different suites cannot be compared."""
    response = client.get("/compare", params={"a": seeded.flaky_a.id, "b": seeded.xss.id})
    assert response.status_code == 400
    assert "different suites" in response.text


def test_agent_output_is_escaped_everywhere(client: TestClient, seeded: Any) -> None:
    """The html-injector's <script> shows up escaped on the test page and artifact viewer."""
    run_id = client.get(f"/api/v1/runs/{seeded.xss.id}/tests/inject").json()["runs"][0]["id"]
    base = f"/runs/{seeded.xss.id}/tests/inject"
    pages = [client.get(base).text, client.get(f"/runs/{seeded.xss.id}").text,
             client.get(f"{base}/artifacts/{run_id}", params={"path": "injected.html"}).text]
    for page in pages:
        body = page.split("<body>", 1)[1]
        assert "<script>alert" not in body
        assert "<img src=x" not in body
    assert "&lt;script&gt;" in pages[0]
    assert "Inject &lt;b&gt;markup&lt;/b&gt;" in pages[1]


def test_csv_and_xlsx_exports_parse(client: TestClient, seeded: Any) -> None:
    """Every table exports to CSV and XLSX with the same rows."""
    import csv

    from openpyxl import load_workbook

    urls = ["/", "/runs", f"/runs/{seeded.flaky_a.id}", "/agents/flaky", "/baselines",
            f"/compare?a={seeded.flaky_a.id}&b={seeded.flaky_b.id}",
            *(f"/runs/{seeded.xss.id}/tests/inject?table={t}"
              for t in ("runs", "checks", "events"))]
    for url in urls:
        sep = "&" if "?" in url else "?"
        text = client.get(f"{url}{sep}format=csv")
        assert text.status_code == 200
        assert text.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(text.text)))
        book = load_workbook(io.BytesIO(client.get(f"{url}{sep}format=xlsx").content))
        sheet = [list(r) for r in book.active.iter_rows(values_only=True)]
        assert len(rows) == len(sheet) >= 2, url
        assert rows[0] == sheet[0]


def test_vendored_htmx_matches_package_lock(client: TestClient) -> None:
    """The vendored htmx files are the versions package-lock.json pins, byte for byte."""
    import hashlib

    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    vendor = ROOT / "src" / "atp_web" / "static" / "vendor"
    manifest = json.loads((vendor / "VERSIONS.json").read_text())
    packages = {m["package"] for m in manifest.values()}
    assert packages == {"htmx.org", "htmx-ext-ws", "htmx-ext-sse"}
    for name, meta in manifest.items():
        assert lock[f"node_modules/{meta['package']}"]["version"] == meta["version"]
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == meta["sha256"]
        served = client.get(f"/static/vendor/{name}")
        assert served.status_code == 200
        assert served.content == (vendor / name).read_bytes()

"""Every page renders from the seeded store; HTMX requests get only the named block."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient


def test_home_lists_recent_runs_and_draws_trends(client: TestClient, seeded: Any) -> None:
    """The home page shows the latest suite runs and an inline SVG trend per suite/agent."""
    page = client.get("/")
    assert page.status_code == 200
    assert seeded.flaky_b.id[:12] in page.text
    assert "<svg class=\"spark\"" in page.text
    assert "web-demo" in page.text
    assert "web-xss" in page.text


def test_runs_filter_by_suite_keeps_only_that_suite(client: TestClient, seeded: Any) -> None:
    """Filtering /runs by suite through query parameters works without JavaScript."""
    page = client.get("/runs", params={"suite": "web-xss"})
    assert page.status_code == 200
    assert seeded.xss.id[:12] in page.text
    assert seeded.flaky_a.id[:12] not in page.text
    assert "<form" in page.text


def test_runs_htmx_request_gets_only_the_table_block(client: TestClient) -> None:
    """An HX-Request receives the runs table fragment, not the whole page."""
    page = client.get("/runs", params={"agent": "flaky"}, headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert page.text.lstrip().startswith('<div id="runs-table">')
    assert "<html" not in page.text


def test_runs_page_and_order_select_the_right_rows(client: TestClient, seeded: Any) -> None:
    """One run per page, oldest first: page 1 is the first web-demo run, page 2 the second."""
    query = {"suite": "web-demo", "limit": 1, "order": "oldest"}
    first = client.get("/runs", params={**query, "page": 1})
    last = client.get("/runs", params={**query, "page": 2})
    newest = client.get("/runs", params={**query, "order": "newest", "page": 1})
    assert seeded.flaky_a.id[:12] in first.text
    assert seeded.flaky_b.id[:12] not in first.text
    assert seeded.flaky_b.id[:12] in last.text
    assert "page 2 of 2" in last.text
    assert seeded.flaky_b.id[:12] in newest.text


def test_suite_run_lists_tests_failures_first(client: TestClient, seeded: Any) -> None:
    """The suite-run page shows every test with its statistics, failed ones first."""
    result = seeded.flaky_a
    page = client.get(f"/runs/{result.id}")
    assert page.status_code == 200
    for test in result.tests:
        assert test.name in page.text
    verdicts = {t.name: t.verdict for t in result.tests}
    positions = sorted(verdicts, key=page.text.index)
    ranks = [0 if verdicts[n] != "passed" else 1 for n in positions]
    assert ranks == sorted(ranks)
    assert "pass^k" in page.text
    assert "95% CI" in page.text


def test_test_page_shows_runs_checks_and_event_timeline(client: TestClient, seeded: Any) -> None:
    """The test page shows every run, every check's reason and the events with tool calls."""
    result = seeded.xss
    page = client.get(f"/runs/{result.id}/tests/inject")
    assert page.status_code == 200
    assert "Event timeline" in page.text
    assert "tool_call" in page.text
    assert "input and output" in page.text
    check = result.tests[0].runs[0].checks[0]
    assert check.name in page.text
    assert "injected.html" in page.text


def test_artifact_viewer_shows_text_and_json(client: TestClient, seeded: Any) -> None:
    """File artifacts are shown as escaped text and structured ones as pretty JSON."""
    detail = client.get(f"/api/v1/runs/{seeded.xss.id}/tests/inject").json()
    run_id = detail["runs"][0]["id"]
    base = f"/runs/{seeded.xss.id}/tests/inject/artifacts/{run_id}"
    text = client.get(base, params={"path": "injected.html"})
    assert text.status_code == 200
    assert "&lt;html&gt;" in text.text
    name = next(a["path"] for a in detail["runs"][0]["artifacts"] if a["kind"] == "structured")
    data = client.get(base, params={"path": name})
    assert data.status_code == 200
    assert "&#34;html&#34;" in data.text


def test_agent_page_shows_history(client: TestClient, seeded: Any) -> None:
    """/agents/{name} lists the agent's suite runs and trends."""
    page = client.get("/agents/flaky")
    assert page.status_code == 200
    assert seeded.flaky_a.id[:12] in page.text
    assert seeded.flaky_b.id[:12] in page.text
    assert "flaky" in client.get("/agents").text


def test_compare_shows_per_test_deltas_and_significance(client: TestClient, seeded: Any) -> None:
    """/compare?a=&b= shows each test's direction, delta and adjusted p-values."""
    page = client.get("/compare", params={"a": seeded.flaky_a.id, "b": seeded.flaky_b.id})
    assert page.status_code == 200
    assert "Welch" in page.text
    for test in seeded.flaky_a.tests:
        assert test.test_id in page.text
    assert "<form" in client.get("/compare").text


def test_baselines_page_lists_saved_baselines(client: TestClient, seeded: Any) -> None:
    """/baselines shows the saved baseline and offers a comparison with the latest run."""
    page = client.get("/baselines")
    assert page.status_code == 200
    assert "demo-baseline" in page.text
    assert f"/compare?a={seeded.flaky_a.id}&amp;b={seeded.flaky_b.id}" in page.text


def test_launch_form_lists_suites_and_agents(client: TestClient) -> None:
    """/launch lists suite files and, for a chosen suite, its agents and the built-ins."""
    page = client.get("/launch")
    assert "slow.yaml" in page.text
    key = next(s["key"] for s in client.get("/api/v1/suites").json()["suites"]
               if s["key"].endswith("slow.yaml"))
    chosen = client.get("/launch", params={"suite": key}, headers={"HX-Request": "true"})
    assert chosen.text.lstrip().startswith('<div id="agent-field">')
    assert "suite:slow" in chosen.text
    assert "builtin:echo" in chosen.text


def test_healthz_and_metrics(client: TestClient) -> None:
    """/healthz reports the store's schema; /metrics counts requests per route."""
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    client.get("/runs")
    metrics = client.get("/metrics")
    assert 'atp_web_requests_total{route="/runs",status="200"}' in metrics.text
    assert "atp_runs_in_flight" in metrics.text

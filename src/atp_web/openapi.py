"""The OpenAPI 3.1 document of ``/api/v1``, assembled by hand from one table of routes."""

from __future__ import annotations

from typing import Any

from atp_core import __version__

_ID = ("suite_run_id", "path", "A suite run id.")
_TEST = ("test_id", "path", "A test id of the suite run.")
_RUN = ("run_id", "path", "A run id (one attempt of one test).")
_PAGE = (("page", "query", "Page number, from 1."), ("limit", "query", "Rows per page."))
_FILTERS = (
    ("suite", "query", "Only this suite."), ("agent", "query", "Only this agent."),
    ("status", "query", "running, completed, interrupted or stopped_early."),
    ("since", "query", "Started at or after this ISO-8601 date or date-time."),
    ("order", "query", "newest (default) or oldest first."),
)

# (method, path, summary, parameters)
ROUTES: tuple[tuple[str, str, str, tuple[tuple[str, str, str], ...]], ...] = (
    ("get", "/runs", "List suite runs, filtered, sorted and paged.", (*_FILTERS, *_PAGE)),
    ("get", "/runs/{suite_run_id}", "One suite run with its tests, failures first.", (_ID,)),
    ("get", "/runs/{suite_run_id}/progress", "Live progress of a suite run.", (_ID,)),
    ("get", "/runs/{suite_run_id}/tests/{test_id}",
     "One test of a suite run with every run and its checks.", (_ID, _TEST)),
    ("get", "/test-runs/{run_id}/events", "One page of a run's events.",
     (_RUN, ("offset", "query", "First event."), ("limit", "query", "Events per page."))),
    ("get", "/test-runs/{run_id}/artifacts", "A run's artifact with its content.",
     (_RUN, ("path", "query", "Artifact path or structured name."))),
    ("get", "/agents", "Agents of the latest suite runs.", ()),
    ("get", "/agents/{name}", "An agent's suite runs and trends.",
     (("name", "path", "Agent name."), ("offset", "query", "First row."),
      ("limit", "query", "Rows per page."))),
    ("get", "/trends", "Pass-rate and score trends per suite/agent pair.", ()),
    ("get", "/compare", "Suite run b compared with suite run a, test by test.",
     (("a", "query", "Baseline suite run id."), ("b", "query", "Current suite run id."),
      ("alpha", "query", "Significance level, default 0.05."))),
    ("get", "/baselines", "Saved baselines.", (("suite", "query", "Only this suite."),)),
    ("get", "/suites", "Suite files the dashboard may run.", ()),
    ("post", "/launch", "Start a suite run in the server.", ()),
)

_LAUNCH_BODY = {
    "required": True,
    "content": {"application/json": {"schema": {
        "type": "object", "required": ["suite", "agent"],
        "properties": {
            "suite": {"type": "string", "description": "A key from /api/v1/suites."},
            "agent": {"type": "string", "description": "suite:NAME or builtin:NAME."},
            "runs": {"type": "integer", "minimum": 1, "maximum": 100},
        },
    }}},
}
_ERROR = {"content": {"application/json": {"schema": {
    "type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"],
}}}}


def _operation(method: str, summary: str, parameters: tuple[tuple[str, str, str], ...]) -> Any:
    op: dict[str, Any] = {
        "summary": summary,
        "parameters": [
            {"name": n, "in": where, "required": where == "path", "description": d,
             "schema": {"type": "string"}}
            for n, where, d in parameters
        ],
        "responses": {
            "200" if method == "get" else "202": {
                "description": "OK", "content": {"application/json": {"schema": {}}},
            },
            "400": {"description": "A malformed parameter; the reason is given.", **_ERROR},
            "404": {"description": "Unknown id or name.", **_ERROR},
        },
    }
    if method == "post":
        op["requestBody"] = _LAUNCH_BODY
    return op


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document of the JSON API."""
    paths: dict[str, dict[str, Any]] = {}
    for method, path, summary, parameters in ROUTES:
        paths.setdefault(f"/api/v1{path}", {})[method] = _operation(method, summary, parameters)
    return {
        "openapi": "3.1.0",
        "info": {"title": "ATP dashboard API", "version": __version__,
                 "description": "Read the results store; start suite runs."},
        "paths": paths,
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }

"""``instrument``: real agents receive the run's trace context; checks are timed; logs carry IDs."""

from __future__ import annotations

import io
import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import structlog

from atp_core.adapters._registry import build_config, create_adapter
from atp_core.observability import configure_logging, instrument, run_span_ids
from atp_core.protocol import (
    AgentSpec,
    AssertionSpec,
    CheckResult,
    EvalContext,
    Evaluator,
    RunFinished,
    RunnerEvent,
    RunRecord,
    StructuredArtifact,
    Suite,
    TaskSpec,
    TestCase,
)
from atp_core.runner import RunOptions, run_suite

pytestmark = pytest.mark.anyio

SUITE_RUN = "suite-run-1"
# A stdio agent that answers with the trace variables it was started with.
ECHO_ENV = (
    "import json, os, sys\n"
    "req = json.load(sys.stdin)\n"
    "env = {k: os.environ.get(k) for k in ('TRACEPARENT', 'ATP_RUN_ID')}\n"
    "print(json.dumps({'task_id': req['task_id'], 'status': 'completed',\n"
    "    'artifacts': [{'type': 'structured', 'name': 'env', 'data': env}]}))\n"
)


class Collect:
    """A run sink keeping every finished run."""

    def __init__(self) -> None:
        self.runs: list[RunRecord] = []

    async def handle(self, event: RunnerEvent) -> None:
        if isinstance(event, RunFinished):
            self.runs.append(event.record)


class LoggingJudge:
    """Logs one line while judging, then passes a completed response."""

    def __init__(self, spec: AssertionSpec) -> None:
        self.spec = spec

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        structlog.get_logger("atp_core.evaluators").info("judging")
        ok = ctx.response.status == "completed"
        return CheckResult(name="judge", status="passed" if ok else "failed")


def judge(spec: AssertionSpec) -> Evaluator:
    return LoggingJudge(spec)


def suite(runs: int = 2) -> Suite:
    check = AssertionSpec(type="judge", config={})
    task = TaskSpec(description="go")
    test = TestCase(id="t1", name="T1", task=task, assertions=(check,), runs=runs)
    return Suite(name="instrumented", tests=(test,))


async def run(tmp_path: Path, spec: AgentSpec, *, instrumented: bool = True) -> list[RunRecord]:
    """Run the one-test suite against a real adapter built from ``spec``; the finished runs."""
    counter = iter(range(1_000))
    options = RunOptions(
        new_id=lambda: f"id{next(counter)}",
        evaluator_factory=judge,
        adapter_factory=create_adapter,
        workspace_root=tmp_path / "ws",
        parallel=2,
        suite_run_id=SUITE_RUN,
    )
    if instrumented:
        options = instrument(options)
    sink = Collect()
    await run_suite(suite(), spec, options, [sink])
    assert len(sink.runs) == 2
    return sorted(sink.runs, key=lambda r: r.run_number)


def task_id(record: RunRecord) -> str:
    return f"t1-r{record.run_number}-"


async def test_stdio_agent_gets_its_runs_traceparent_and_id(tmp_path: Path) -> None:
    """Each stdio run's TRACEPARENT names that run's span; ATP_RUN_ID is its task id."""
    spec = AgentSpec(
        name="echo", type="cli", config={"command": sys.executable, "args": ["-c", ECHO_ENV]}
    )
    runs = await run(tmp_path, spec)
    assert [r.verdict for r in runs] == ["passed", "passed"]
    for record in runs:
        (artifact,) = record.artifacts
        assert isinstance(artifact, StructuredArtifact)
        expected = run_span_ids(SUITE_RUN, "t1", record.run_number).traceparent
        assert artifact.data["TRACEPARENT"] == expected
        assert artifact.data["ATP_RUN_ID"].startswith(task_id(record))
    assert runs[0].artifacts != runs[1].artifacts


async def test_without_instrument_a_stdio_agent_gets_no_trace_variables(tmp_path: Path) -> None:
    spec = AgentSpec(
        name="echo", type="cli", config={"command": sys.executable, "args": ["-c", ECHO_ENV]}
    )
    runs = await run(tmp_path, spec, instrumented=False)
    for record in runs:
        (artifact,) = record.artifacts
        assert isinstance(artifact, StructuredArtifact)
        assert artifact.data == {"TRACEPARENT": None, "ATP_RUN_ID": None}


class HeaderServer:
    """An HTTP agent on 127.0.0.1 that keeps each request's trace headers."""

    def __init__(self) -> None:
        self.seen: dict[str, dict[str, str | None]] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                req = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.seen[req["task_id"]] = {
                    "traceparent": self.headers.get("traceparent"),
                    "run_id": self.headers.get("X-ATP-Run-Id"),
                }
                body = json.dumps({"task_id": req["task_id"], "status": "completed"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.http.server_port}/"


@pytest.fixture
def header_server() -> Iterator[HeaderServer]:
    server = HeaderServer()
    thread = threading.Thread(target=server.http.serve_forever, daemon=True)
    thread.start()
    yield server
    server.http.shutdown()
    server.http.server_close()


async def test_http_agent_gets_traceparent_and_run_id_headers(
    tmp_path: Path, header_server: HeaderServer
) -> None:
    spec = AgentSpec(name="web", type="http", config={"endpoint": header_server.endpoint})
    runs = await run(tmp_path, spec)
    assert [r.verdict for r in runs] == ["passed", "passed"]
    assert len(header_server.seen) == 2
    for sent_task_id, headers in header_server.seen.items():
        number = int(sent_task_id.split("-r")[1].split("-")[0])
        assert headers["traceparent"] == run_span_ids(SUITE_RUN, "t1", number).traceparent
        assert headers["run_id"] == sent_task_id


async def test_without_instrument_http_headers_still_form_a_valid_fresh_trace(
    tmp_path: Path, header_server: HeaderServer
) -> None:
    """Uninstrumented runs are not tied to the suite run's trace."""
    spec = AgentSpec(name="web", type="http", config={"endpoint": header_server.endpoint})
    await run(tmp_path, spec, instrumented=False)
    for number, headers in enumerate(header_server.seen.values(), start=1):
        assert headers["traceparent"] != run_span_ids(SUITE_RUN, "t1", number).traceparent


async def test_evaluator_log_lines_carry_the_runs_ids_and_checks_are_timed(
    tmp_path: Path, header_server: HeaderServer
) -> None:
    out = io.StringIO()
    configure_logging(fmt="json", stream=out)
    try:
        spec = AgentSpec(name="web", type="http", config={"endpoint": header_server.endpoint})
        runs = await run(tmp_path, spec)
    finally:
        configure_logging(level="WARNING", fmt="json", stream=io.StringIO())
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    judged = [line for line in lines if line["event"] == "judging"]
    assert len(judged) == 2
    assert {line["suite_run_id"] for line in judged} == {SUITE_RUN}
    assert {line["test_id"] for line in judged} == {"t1"}
    assert {line["run_id"] for line in judged} == set(header_server.seen)
    for record in runs:
        judge_check = next(c for c in record.checks if c.name == "judge")
        assert judge_check.details["duration_ms"] >= 0.0


async def test_checks_are_not_timed_without_instrument(
    tmp_path: Path, header_server: HeaderServer
) -> None:
    spec = AgentSpec(name="web", type="http", config={"endpoint": header_server.endpoint})
    runs = await run(tmp_path, spec, instrumented=False)
    for record in runs:
        judge_check = next(c for c in record.checks if c.name == "judge")
        assert "duration_ms" not in judge_check.details


async def test_a_run_scope_wraps_each_runs_agent_call_and_judging(tmp_path: Path) -> None:
    """The runner enters ``run_scope`` once per run with the run's identity, in its task."""
    entered: list[tuple[str, str, int, str]] = []
    inside: list[bool] = []
    active = threading.local()

    class Scope:
        def __init__(self, suite_run_id: str, test_id: str, run_number: int, task: str) -> None:
            entered.append((suite_run_id, test_id, run_number, task))

        def __enter__(self) -> None:
            active.on = True

        def __exit__(self, *_exc: object) -> None:
            active.on = False

    class ScopeJudge:
        def __init__(self, spec: AssertionSpec) -> None:
            self.spec = spec

        async def evaluate(self, ctx: EvalContext) -> CheckResult:
            inside.append(getattr(active, "on", False))
            return CheckResult(name="judge", status="passed")

    spec = AgentSpec(
        name="echo", type="cli", config={"command": sys.executable, "args": ["-c", ECHO_ENV]}
    )
    options = RunOptions(
        evaluator_factory=ScopeJudge,
        adapter_factory=create_adapter,
        workspace_root=tmp_path / "ws",
        parallel=1,
        suite_run_id=SUITE_RUN,
        run_scope=Scope,
    )
    await run_suite(suite(runs=3), spec, options, [])
    assert sorted(e[2] for e in entered) == [1, 2, 3]
    assert {e[:2] for e in entered} == {(SUITE_RUN, "t1")}
    assert all(e[3].startswith(f"t1-r{e[2]}-") for e in entered)
    assert inside == [True, True, True]


def test_build_config_accepts_the_echo_agent() -> None:
    """The stdio agent above is a valid cli config (guards the tests against a typo)."""
    assert build_config("cli", {"command": sys.executable, "args": ["-c", ECHO_ENV]})


async def test_one_task_running_runs_in_turn_gives_each_its_own_trace_context(
    tmp_path: Path,
) -> None:
    """A worker reuses its run slot: every run still sends its own traceparent, and
    between runs (and after) there is no run context."""
    from atp_core.observability import outbound_span
    from atp_core.observability._instrument import ObservedRun
    from atp_core.protocol import outbound_headers

    spec = AgentSpec(
        name="echo", type="cli", config={"command": sys.executable, "args": ["-c", ECHO_ENV]}
    )
    sink = Collect()
    options = instrument(
        RunOptions(
            evaluator_factory=judge,
            adapter_factory=create_adapter,
            workspace_root=tmp_path / "ws",
            parallel=1,
            suite_run_id=SUITE_RUN,
        )
    )
    await run_suite(suite(runs=3), spec, options, [sink])
    for record in sink.runs:
        (artifact,) = record.artifacts
        assert isinstance(artifact, StructuredArtifact)
        expected = run_span_ids(SUITE_RUN, "t1", record.run_number).traceparent
        assert artifact.data["TRACEPARENT"] == expected
    # In this task: a scope, a nested one, then nothing current again.
    with ObservedRun(SUITE_RUN, "t1", 1, "a"):
        with ObservedRun(SUITE_RUN, "t2", 5, "b"):
            assert outbound_headers()["X-ATP-Run-Id"] == "b"
        assert outbound_headers()["X-ATP-Run-Id"] == "a"
        assert outbound_span() == run_span_ids(SUITE_RUN, "t1", 1)
    assert dict(outbound_headers()) == {}
    assert outbound_span() != run_span_ids(SUITE_RUN, "t1", 1)


def test_a_run_scope_outside_any_task_sets_and_restores_the_context() -> None:
    """Without an event loop there is no task to own a slot: the variables are reset."""
    from atp_core.observability._instrument import ObservedRun
    from atp_core.protocol import OUTBOUND, outbound_environment

    with ObservedRun(SUITE_RUN, "t1", 2, "task-2"):
        assert outbound_environment()["ATP_RUN_ID"] == "task-2"
    assert OUTBOUND.get() is None

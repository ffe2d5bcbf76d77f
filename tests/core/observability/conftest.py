"""A real OTLP/HTTP trace receiver on 127.0.0.1, and a known suite run with a scripted agent."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import attrs
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from atp_core.errors import AgentCrashed
from atp_core.protocol import (
    AgentSpec,
    AssertionSpec,
    CheckResult,
    EvalContext,
    Evaluator,
    Metrics,
    Request,
    RunSink,
    Suite,
    SuiteRunResult,
    TaskSpec,
    TestCase,
)
from atp_core.runner import RunOptions, run_suite
from atp_core.testing import FakeClock, Reply, ScriptedAgent

SECRET = "plantedSECRETvalue-93f1c2"
AGENT = AgentSpec(name="scripted", type="scripted", config={"api_key": SECRET})


@attrs.frozen(kw_only=True)
class Span:
    """One received span, flattened."""

    name: str
    trace_id: str
    span_id: str
    parent_id: str
    start: int
    end: int
    attributes: dict[str, Any]
    status_message: str


class OtlpReceiver:
    """Collects spans POSTed to ``/v1/traces`` as OTLP protobuf."""

    def __init__(self) -> None:
        self.spans: list[Span] = []
        self.requests = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                ok = self.path == "/v1/traces"
                if ok:
                    receiver.add(body)
                payload = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200 if ok else 404)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def add(self, body: bytes) -> None:
        """Decode one export request and keep its spans."""
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        self.requests += 1
        for resource_spans in request.resource_spans:
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    self.spans.append(
                        Span(
                            name=span.name,
                            trace_id=span.trace_id.hex(),
                            span_id=span.span_id.hex(),
                            parent_id=span.parent_span_id.hex(),
                            start=span.start_time_unix_nano,
                            end=span.end_time_unix_nano,
                            attributes={a.key: _value(a.value) for a in span.attributes},
                            status_message=span.status.message,
                        )
                    )


def _value(value: Any) -> Any:
    return getattr(value, value.WhichOneof("value"))


@pytest.fixture
def otlp() -> Iterator[OtlpReceiver]:
    """A running OTLP/HTTP receiver."""
    receiver = OtlpReceiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


class Judge:
    """Passes when the response completed; logs nothing, sleeps never."""

    def __init__(self, spec: AssertionSpec) -> None:
        self.spec = spec

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Pass a completed response, fail any other."""
        ok = ctx.response.status == "completed"
        return CheckResult(name=self.spec.type, status="passed" if ok else "failed")


def judge(spec: AssertionSpec) -> Evaluator:
    """The evaluator factory of the known suite."""
    return Judge(spec)


def llm(model: str, provider: str, tokens_in: int, tokens_out: int) -> dict[str, Any]:
    """An ``llm_request`` event as an agent would stream it."""
    return {
        "event_type": "llm_request",
        "timestamp": "2025-01-01T00:00:00.500000+00:00",
        "payload": {
            "model": model,
            "provider": provider,
            "input_tokens": tokens_in,
            "output_tokens": tokens_out,
            "duration_ms": 200,
        },
    }


def known_suite() -> Suite:
    """Two tests: ``chat`` (2 runs, two LLM calls each) and ``broken`` (agent crashes)."""
    check = AssertionSpec(type="judge", config={})
    tests = (
        TestCase(
            id="chat", name="Chat", task=TaskSpec(description="chat"), assertions=(check,), runs=2
        ),
        TestCase(
            id="broken", name="Broken", task=TaskSpec(description="x"), assertions=(check,), runs=1
        ),
    )
    return Suite(name="obs-suite", tests=tests)


def known_script(request: Request) -> Reply:
    """``chat`` talks to two models; ``broken`` crashes with a secret in its message."""
    if request.metadata["test_id"] == "broken":
        return Reply(raises=AgentCrashed(f"agent died; token={SECRET}"))
    return Reply(
        events=(llm("gpt-4o", "openai", 100, 20), llm("claude-3", "anthropic", 50, 5)),
        metrics=Metrics(input_tokens=150, output_tokens=25),
    )


async def run_known(
    tmp_path: Path, sinks: Sequence[RunSink], *, instrumented: bool = True, script: Any = None
) -> tuple[SuiteRunResult, ScriptedAgent]:
    """Run the known suite with the scripted agent and a fake clock."""
    from atp_core.observability import instrument

    agent = ScriptedAgent(script or known_script)
    counter = iter(range(1_000_000))
    options = RunOptions(
        clock=FakeClock(tick=0.25),
        new_id=lambda: f"id{next(counter)}",
        evaluator_factory=judge,
        adapter_factory=lambda _spec: agent,
        workspace_root=tmp_path / "ws",
        parallel=2,
    )
    if instrumented:
        options = instrument(options)
    result = await run_suite(known_suite(), AGENT, options, sinks)
    return result, agent

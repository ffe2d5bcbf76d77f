"""Tracing: a suite run arrives at a real OTLP/HTTP receiver as one trace of the right shape."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from atp_core.observability import (
    MASK,
    PlannedIdGenerator,
    Redactor,
    TracingSink,
    run_span_ids,
    setup_tracing,
    suite_span_ids,
    traceparent_headers,
)
from atp_core.protocol import Request
from atp_core.testing import Reply

from .conftest import SECRET, OtlpReceiver, Span, known_script, run_known

pytestmark = pytest.mark.anyio


def _env(otlp: OtlpReceiver) -> dict[str, str]:
    return {
        "OTEL_TRACES_EXPORTER": "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT": otlp.endpoint,
        "OTEL_SERVICE_NAME": "atp-test",
    }


async def _traced_run(tmp_path: Path, otlp: OtlpReceiver, script: Any = None) -> list[Span]:
    provider = setup_tracing(_env(otlp))
    assert provider is not None
    await run_known(tmp_path, [TracingSink(provider, redactor=Redactor([SECRET]))], script=script)
    provider.shutdown()
    return otlp.spans


def _children(spans: list[Span], parent: Span) -> list[Span]:
    return [s for s in spans if s.parent_id == parent.span_id]


async def test_suite_run_is_one_trace_with_the_expected_span_tree(
    tmp_path: Path, otlp: OtlpReceiver
) -> None:
    """The receiver gets one trace: suite → tests → runs → agent call, checks and LLM calls."""
    spans = await _traced_run(tmp_path, otlp)
    assert otlp.requests >= 1
    assert len({s.trace_id for s in spans}) == 1
    (suite,) = [s for s in spans if s.parent_id == ""]
    assert suite.name == "suite_run"
    assert suite.attributes["atp.suite.name"] == "obs-suite"
    tests = {s.attributes["atp.test.id"]: s for s in _children(spans, suite)}
    assert set(tests) == {"chat", "broken"}
    assert all(t.name == "test" for t in tests.values())
    chat_runs = _children(spans, tests["chat"])
    assert sorted(r.attributes["atp.run.number"] for r in chat_runs) == [1, 2]
    for run in chat_runs:
        names = Counter(s.name for s in _children(spans, run))
        assert names == {
            "agent_call": 1,
            "check agent_status": 1,
            "check judge": 1,
            "chat gpt-4o": 1,
            "chat claude-3": 1,
        }
    (broken_run,) = _children(spans, tests["broken"])
    assert Counter(s.name for s in _children(spans, broken_run)) == {
        "agent_call": 1,
        "check agent_status": 1,
        "check judge": 1,
    }
    assert len(spans) == 1 + 2 + 3 + 2 * 5 + 3


async def test_llm_spans_carry_genai_attributes(tmp_path: Path, otlp: OtlpReceiver) -> None:
    """Each llm_request event becomes a span with the OpenTelemetry GenAI attributes."""
    spans = await _traced_run(tmp_path, otlp)
    gpt = [s for s in spans if s.name == "chat gpt-4o"]
    assert len(gpt) == 2
    attributes = gpt[0].attributes
    assert attributes["gen_ai.request.model"] == "gpt-4o"
    assert attributes["gen_ai.system"] == "openai"
    assert attributes["gen_ai.provider.name"] == "openai"
    assert attributes["gen_ai.operation.name"] == "chat"
    assert attributes["gen_ai.usage.input_tokens"] == 100
    assert attributes["gen_ai.usage.output_tokens"] == 20
    assert gpt[0].end - gpt[0].start == 200_000_000


async def test_spans_use_the_runners_times(tmp_path: Path, otlp: OtlpReceiver) -> None:
    """Run and agent-call spans start at the run's start and last its measured duration."""
    spans = await _traced_run(tmp_path, otlp)
    for call in (s for s in spans if s.name == "agent_call"):
        run = next(s for s in spans if s.span_id == call.parent_id)
        assert call.start == run.start
        assert call.end - call.start == round(run.attributes["atp.run.duration_seconds"] * 1e9)
        assert run.end >= call.end
    suite = next(s for s in spans if s.parent_id == "")
    assert suite.start == 1_735_689_600 * 10**9


async def test_run_span_ids_match_the_traceparent_the_agent_was_sent(
    tmp_path: Path, otlp: OtlpReceiver
) -> None:
    """The traceparent an adapter sends names the run span that ATP later exports."""
    sent: dict[tuple[str, int], str] = {}

    def script(request: Request) -> Reply:
        key = (str(request.metadata["test_id"]), int(request.metadata["run_number"]))
        sent[key] = traceparent_headers(request.task_id)["traceparent"]
        return known_script(request)

    spans = await _traced_run(tmp_path, otlp, script)
    runs = {
        (s.attributes["atp.test.id"], s.attributes["atp.run.number"]): s
        for s in spans
        if s.name == "run"
    }
    assert set(sent) == set(runs)
    for key, traceparent in sent.items():
        _, trace_id, span_id, flags = traceparent.split("-")
        assert (trace_id, span_id, flags) == (runs[key].trace_id, runs[key].span_id, "01")
        assert int(span_id, 16) == run_span_ids("id0", *key).span_id
    assert spans[0].trace_id == f"{suite_span_ids('id0').trace_id:032x}"


async def test_secrets_never_reach_span_attributes_or_status(
    tmp_path: Path, otlp: OtlpReceiver
) -> None:
    """A secret in an agent's error message is masked in every exported span."""
    spans = await _traced_run(tmp_path, otlp)
    texts = [s.status_message for s in spans] + [
        str(v) for s in spans for v in s.attributes.values()
    ]
    assert all(SECRET not in t for t in texts)
    call = next(s for s in spans if s.name == "agent_call" and s.status_message)
    assert MASK in call.status_message
    assert call.attributes["error.type"] == "crashed"


async def test_sink_with_a_plain_provider_still_builds_the_tree(tmp_path: Path) -> None:
    """Without setup_tracing (in-memory exporter, default ids) the span tree is the same."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    await run_known(tmp_path, [TracingSink(provider)], instrumented=False)
    spans = exporter.get_finished_spans()
    assert Counter(s.name for s in spans)["run"] == 3
    assert len({s.context.trace_id for s in spans}) == 1


def test_setup_tracing_is_off_by_default() -> None:
    """No OTEL_TRACES_EXPORTER (or none, or the SDK disabled) means no provider."""
    assert setup_tracing({}) is None
    assert setup_tracing({"OTEL_TRACES_EXPORTER": "none"}) is None
    assert setup_tracing({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_SDK_DISABLED": "true"}) is None


def test_setup_tracing_console_exporter_prints_spans(capsys: pytest.CaptureFixture[str]) -> None:
    """OTEL_TRACES_EXPORTER=console prints spans to stderr, named by OTEL_SERVICE_NAME."""
    provider = setup_tracing({"OTEL_TRACES_EXPORTER": "console", "OTEL_SERVICE_NAME": "svc-x"})
    assert provider is not None
    provider.get_tracer("t").start_span("hello").end()
    provider.shutdown()
    out = capsys.readouterr().err
    assert '"name": "hello"' in out
    assert "svc-x" in out


def test_setup_tracing_rejects_an_unknown_exporter() -> None:
    """An exporter name other than otlp, console or none is an error, not silence."""
    with pytest.raises(ValueError, match="zipkin"):
        setup_tracing({"OTEL_TRACES_EXPORTER": "zipkin"})


def test_planned_id_generator_is_random_outside_a_plan() -> None:
    """Outside planned_ids the generator gives fresh random, non-zero ids."""
    generator = PlannedIdGenerator()
    ids = {generator.generate_span_id() for _ in range(50)}
    assert len(ids) == 50
    assert 0 not in ids

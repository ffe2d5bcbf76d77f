"""Metrics: a Prometheus scrape after a known suite holds every metric with the right counts."""

from __future__ import annotations

from pathlib import Path

import httpx
import prometheus_client
import pytest
from prometheus_client.parser import text_string_to_metric_families

from atp_core.observability import (
    AtpMetrics,
    MetricsSink,
    render_latest,
    serve_metrics,
    write_textfile,
)
from atp_core.protocol import RunStarted, SuiteFinished, SuiteRunResult, SuiteStarted

from .conftest import run_known

pytestmark = pytest.mark.anyio

NAMES = {
    "atp_tests_total",
    "atp_test_duration_seconds_count",
    "atp_evaluator_duration_seconds_count",
    "atp_llm_calls_total",
    "atp_llm_tokens_total",
    "atp_adapter_errors_total",
    "atp_runs_in_flight",
}


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of an exposition, keyed by name and labels."""
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(
    found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    """One sample's value; KeyError when it is missing."""
    return found[(name, frozenset(labels.items()))]


async def test_scrape_after_a_known_suite_has_every_metric_with_correct_counts(
    tmp_path: Path,
) -> None:
    """serve_metrics exposes tests, durations, evaluators, LLM calls, tokens, errors, in-flight."""
    metrics = AtpMetrics()
    await run_known(tmp_path, [MetricsSink(metrics)])
    server = serve_metrics(metrics, "127.0.0.1", 0)
    try:
        async with httpx.AsyncClient() as client:
            text = (await client.get(f"http://127.0.0.1:{server.port}/metrics")).text
    finally:
        server.close()
    found = samples(text)
    assert {name for name, _ in found} >= NAMES
    suite = "obs-suite"
    assert value(found, "atp_tests_total", suite=suite, status="passed") == 1
    assert value(found, "atp_tests_total", suite=suite, status="error") == 1
    assert value(found, "atp_test_duration_seconds_count", suite=suite, test="chat") == 2
    assert value(found, "atp_test_duration_seconds_count", suite=suite, test="broken") == 1
    assert value(found, "atp_evaluator_duration_seconds_count", type="judge") == 3
    assert value(found, "atp_llm_calls_total", provider="openai", model="gpt-4o") == 2
    assert value(found, "atp_llm_calls_total", provider="anthropic", model="claude-3") == 2
    assert value(found, "atp_llm_tokens_total", provider="openai", type="input") == 200
    assert value(found, "atp_llm_tokens_total", provider="openai", type="output") == 40
    assert value(found, "atp_llm_tokens_total", provider="anthropic", type="input") == 100
    assert value(found, "atp_llm_tokens_total", provider="anthropic", type="output") == 10
    assert value(found, "atp_adapter_errors_total", adapter="scripted", error="crashed") == 1
    assert value(found, "atp_runs_in_flight") == 0


async def test_evaluator_durations_need_instrumented_evaluators(tmp_path: Path) -> None:
    """Without instrument() no evaluator time is known, so none is observed (not zeros)."""
    metrics = AtpMetrics()
    await run_known(tmp_path, [MetricsSink(metrics)], instrumented=False)
    found = samples(render_latest(metrics).decode())
    assert not any(name.startswith("atp_evaluator_duration") for name, _ in found)
    assert value(found, "atp_tests_total", suite="obs-suite", status="passed") == 1


async def test_runs_in_flight_counts_started_runs_and_clears_on_interruption() -> None:
    """The gauge rises with each started run and drops to zero when the suite run ends."""
    metrics = AtpMetrics()
    sink = MetricsSink(metrics)
    await sink.handle(
        SuiteStarted(
            suite_run_id="s", suite="x", agent="a", total_runs=2, test_ids=("t",), started_at=""
        )
    )
    for n in (1, 2):
        await sink.handle(RunStarted(suite_run_id="s", test_id="t", run_number=n))
    assert metrics.runs_in_flight.value == 2
    result = SuiteRunResult(
        id="s", suite="x", agent="a", started_at="", finished_at="", status="interrupted", tests=()
    )
    await sink.handle(SuiteFinished(suite_run_id="s", result=result))
    assert value(samples(render_latest(metrics).decode()), "atp_runs_in_flight") == 0


async def test_subclassed_events_are_handled_as_their_base_type() -> None:
    """The sink dispatches on the event's type, falling back to its base types."""

    class MyRunStarted(RunStarted):
        pass

    metrics = AtpMetrics()
    sink = MetricsSink(metrics)
    await sink.handle(MyRunStarted(suite_run_id="s", test_id="t", run_number=1))
    await sink.handle(object())  # type: ignore[arg-type]  # not an event: ignored
    assert metrics.runs_in_flight.value == 1


async def test_textfile_is_written_whole_and_parses(tmp_path: Path) -> None:
    """write_textfile leaves one complete .prom file and no temporary file beside it."""
    metrics = AtpMetrics()
    await run_known(tmp_path, [MetricsSink(metrics)])
    target = tmp_path / "out" / "atp.prom"
    target.parent.mkdir()
    write_textfile(metrics, target)
    write_textfile(metrics, target)
    assert [p.name for p in target.parent.iterdir()] == ["atp.prom"]
    found = samples(target.read_text())
    assert {name for name, _ in found} >= NAMES


def test_metrics_live_on_their_own_registry() -> None:
    """Two AtpMetrics never clash and the process-global registry holds no ATP series."""
    first, second = AtpMetrics(), AtpMetrics()
    first.tests_total.labels("s", "passed").inc()
    assert second.registry is not first.registry
    assert (
        value(samples(render_latest(first).decode()), "atp_tests_total", suite="s", status="passed")
        == 1
    )
    assert not any(name == "atp_tests_total" for name, _ in samples(render_latest(second).decode()))
    global_names = {f.name for f in prometheus_client.REGISTRY.collect()}
    assert not any(name.startswith("atp_") for name in global_names)

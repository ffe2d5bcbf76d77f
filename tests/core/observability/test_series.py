"""ATP's own metric series expose exactly what prometheus_client's Counter/Histogram/Gauge do."""

from __future__ import annotations

import math
import re
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import metrics as prometheus_metrics
from prometheus_client.openmetrics.exposition import generate_latest as generate_openmetrics
from prometheus_client.parser import text_string_to_metric_families

from atp_core.observability import AtpMetrics, render_latest
from atp_core.observability._metrics import EVALUATOR_BUCKETS, RUN_BUCKETS
from atp_core.observability._series import CounterMetric, HistogramMetric


def reference(registry: CollectorRegistry) -> dict[str, Any]:
    """AtpMetrics as it was built on prometheus_client's own metrics (help texts verbatim)."""
    return {
        "tests_total": Counter(
            "atp_tests",
            "Tests finished, by suite and verdict.",
            ["suite", "status"],
            registry=registry,
        ),
        "test_duration": Histogram(
            "atp_test_duration_seconds",
            "Time the agent took on each run of a test.",
            ["suite", "test"],
            buckets=RUN_BUCKETS,
            registry=registry,
        ),
        "evaluator_duration": Histogram(
            "atp_evaluator_duration_seconds",
            "Time each evaluator took on one run, by assertion type.",
            ["type"],
            buckets=EVALUATOR_BUCKETS,
            registry=registry,
        ),
        "llm_calls": Counter(
            "atp_llm_calls",
            "LLM calls agents reported.",
            ["provider", "model"],
            registry=registry,
        ),
        "llm_tokens": Counter(
            "atp_llm_tokens",
            "LLM tokens agents reported.",
            ["provider", "type"],
            registry=registry,
        ),
        "adapter_errors": Counter(
            "atp_adapter_errors",
            "Runs whose agent could not be used, by adapter and error kind.",
            ["adapter", "error"],
            registry=registry,
        ),
        "runs_in_flight": Gauge(
            "atp_runs_in_flight", "Runs started and not yet finished.", registry=registry
        ),
    }


ARITY = {
    "tests_total": 2,
    "test_duration": 2,
    "evaluator_duration": 1,
    "llm_calls": 2,
    "llm_tokens": 2,
    "adapter_errors": 2,
}
HISTOGRAMS = {"test_duration", "evaluator_duration"}
# A few label values repeat, so updates often hit an existing series; ints check str().
LABEL = st.one_of(st.sampled_from(["a", "b", 'q"\\\n', "é"]), st.text(max_size=4), st.integers())
AMOUNT = st.one_of(
    st.floats(min_value=0, max_value=4000), st.integers(0, 5), st.sampled_from([0.1, 60.0, 1800.0])
)
OBSERVATION = st.one_of(AMOUNT, st.floats(), st.sampled_from([-1.0, math.inf, -math.inf, math.nan]))


@st.composite
def labelled_update(draw: st.DrawFn) -> tuple[str, tuple[object, ...], str, float]:
    name = draw(st.sampled_from(sorted(ARITY)))
    labels = tuple(draw(LABEL) for _ in range(ARITY[name]))
    if name in HISTOGRAMS:
        return name, labels, "observe", draw(OBSERVATION)
    return name, labels, "inc", draw(AMOUNT)


GAUGE_UPDATE = st.tuples(
    st.just("runs_in_flight"),
    st.just(()),
    st.sampled_from(["inc", "dec", "set"]),
    st.one_of(st.integers(-3, 3), st.floats(allow_nan=False)),
)
UPDATES = st.lists(st.one_of(labelled_update(), GAUGE_UPDATE), max_size=40)
CREATED = re.compile(r"^(\w+_created(?:\{.*\})?) \S+$", re.MULTILINE)


def apply(
    target: Callable[[str], Any], updates: list[tuple[str, tuple[object, ...], str, float]]
) -> None:
    """Run the updates on the metrics ``target`` returns by attribute name."""
    for name, labels, method, value in updates:
        metric = target(name)
        child = metric.labels(*labels) if labels else metric
        getattr(child, method)(value)


def masked(text: bytes) -> str:
    """The exposition with the ``_created`` timestamps (creation times differ) blanked."""
    return CREATED.sub(r"\1 T", text.decode())


def parsed(text: bytes) -> list[tuple[str, str, str, list[tuple[str, dict[str, str], object]]]]:
    """Families and samples of an exposition; NaN made comparable, ``_created`` values blanked."""
    return [
        (
            f.name,
            f.type,
            f.documentation,
            [
                (
                    s.name,
                    s.labels,
                    "T"
                    if s.name.endswith("_created")
                    else (s.value if s.value == s.value else "NaN"),
                )
                for s in f.samples
            ],
        )
        for f in text_string_to_metric_families(text.decode())
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(UPDATES)
def test_exposition_matches_prometheus_clients_own_metrics(
    updates: list[tuple[str, tuple[object, ...], str, float]],
) -> None:
    """Same families, help, labels, buckets and samples, in both text formats."""
    ours = AtpMetrics()
    theirs = reference(registry := CollectorRegistry())
    apply(lambda name: getattr(ours, name), updates)
    apply(theirs.__getitem__, updates)
    assert parsed(render_latest(ours)) == parsed(generate_latest(registry))
    assert masked(render_latest(ours)) == masked(generate_latest(registry))
    ours_om: bytes = generate_openmetrics(ours.registry)  # type: ignore[no-untyped-call]
    theirs_om: bytes = generate_openmetrics(registry)  # type: ignore[no-untyped-call]
    assert masked(ours_om) == masked(theirs_om)


def test_exposition_follows_prometheus_clients_created_switch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With ``_created`` series disabled in prometheus_client, ours leave them out too."""
    metrics = AtpMetrics()
    metrics.tests_total.labels("s", "passed").inc()
    metrics.test_duration.labels("s", "t").observe(1.0)
    monkeypatch.setattr(prometheus_metrics, "_use_created", False)  # disable_created_metrics()
    text = render_latest(metrics).decode()
    assert "_created" not in text
    assert 'atp_test_duration_seconds_bucket{le="1.0",suite="s",test="t"} 1.0' in text


def test_bucket_bounds_are_inclusive_and_counts_cumulative() -> None:
    """``le`` is value <= bound; buckets add up; NaN lands in the sum only."""
    metric = HistogramMetric("h", "H.", ["x"], buckets=(1.0, 2.5))
    series = metric.labels("a")
    for value in (1.0, 1.5, 2.5, 3.0, math.nan):
        series.observe(value)
    assert series.counts == [1, 2, 1]
    family = next(iter(metric.collect()))
    buckets = [(s.labels["le"], s.value) for s in family.samples if s.name == "h_bucket"]
    assert buckets == [("1.0", 1.0), ("2.5", 3.0), ("+Inf", 4.0)]
    assert math.isnan(series.sum)


def test_negative_increment_raises_and_counts_nothing() -> None:
    """Counters only go up, as in prometheus_client."""
    series = AtpMetrics().tests_total.labels("s", "passed")
    with pytest.raises(ValueError, match="non-negative"):
        series.inc(-1)
    series.inc(2)
    assert series.value == 2


def test_labels_checks_count_and_names_and_converts_to_str() -> None:
    """Wrong label counts or names raise; values are str()-ed; keywords work too."""
    counter = CounterMetric("c", "C.", ["a", "b"])
    with pytest.raises(ValueError, match="label count"):
        counter.labels("only-one")
    with pytest.raises(ValueError, match="label count"):
        counter.labels("1", "2", "3")
    with pytest.raises(ValueError, match="label names"):
        counter.labels(a="1", c="2")
    with pytest.raises(ValueError, match="both"):
        counter.labels("1", b="2")
    counter.labels(1, 2).inc()
    counter.labels("1", "2").inc()
    counter.labels(b=2, a="1").inc()
    assert counter.labels("1", "2").value == 3
    assert [s.labels for s in next(iter(counter.collect())).samples][:1] == [{"a": "1", "b": "2"}]
    with pytest.raises(ValueError, match="label count"):
        AtpMetrics().evaluator_duration.labels("judge", "extra")


def test_registering_describes_without_collecting_and_catches_clashes() -> None:
    """describe() gives the registry the names, so a same-named metric is refused."""
    metrics = AtpMetrics()
    with pytest.raises(ValueError, match="Duplicated"):
        Counter("atp_tests", "Again.", registry=metrics.registry)
    with pytest.raises(ValueError, match="Duplicated"):
        Gauge("atp_test_duration_seconds_count", "Again.", registry=metrics.registry)
    assert metrics.registry.get_sample_value("atp_runs_in_flight") == 0


def test_gauge_reads_back_its_value() -> None:
    """inc, dec and set move ``value``, which the scrape shows."""
    gauge = AtpMetrics().runs_in_flight
    gauge.inc()
    gauge.inc(3)
    gauge.dec(2)
    assert gauge.value == 2
    gauge.set(7)
    assert gauge.value == 7.0


@pytest.fixture
def switch_often() -> Iterator[None]:
    """Make the GIL change threads as often as it can, so a race shows."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("switch_often")
def test_scraping_while_another_thread_adds_series_never_fails() -> None:
    """A scrape from another thread sees a consistent snapshot, never a resized dict."""
    metrics = AtpMetrics()
    errors: list[BaseException] = []
    done = threading.Event()
    runs = 3000

    def update() -> None:
        try:
            for n in range(runs):
                metrics.test_duration.labels("s", f"t{n}").observe(n % 7)
                metrics.tests_total.labels("s", f"v{n}").inc()
                metrics.evaluator_duration.labels(f"e{n % 50}").observe(0.01)
                metrics.runs_in_flight.set(n)
        except BaseException as error:
            errors.append(error)
        finally:
            done.set()

    thread = threading.Thread(target=update)
    thread.start()
    scrapes = 0
    try:
        while not done.is_set() or scrapes == 0:
            text = render_latest(metrics).decode()
            list(text_string_to_metric_families(text))
            scrapes += 1
    finally:
        thread.join()
    assert not errors
    found = {
        s.name: s.value
        for f in text_string_to_metric_families(render_latest(metrics).decode())
        for s in f.samples
        if not s.labels or s.labels.get("type") == "e0"
    }
    assert found["atp_runs_in_flight"] == runs - 1
    assert found["atp_evaluator_duration_seconds_count"] == runs // 50


def test_label_values_holding_the_key_separator_stay_apart() -> None:
    """Series keys join label values with NUL; values holding NUL still get series of their own."""
    counter = CounterMetric("c", "C.", ["a", "b"])
    counter.labels("x\x00", "y").inc()
    counter.labels("x", "\x00y").inc(2)
    counter.labels("x", "y").inc(3)
    samples = [s for s in next(iter(counter.collect())).samples if s.name == "c_total"]
    assert [(s.labels["a"], s.labels["b"], s.value) for s in samples] == [
        ("x\x00", "y", 1.0),
        ("x", "\x00y", 2.0),
        ("x", "y", 3.0),
    ]


def test_series_are_not_tracked_by_the_cyclic_collector() -> None:
    """A new series adds no object the garbage collector must scan (one per test otherwise)."""
    import gc

    metrics = AtpMetrics()
    metrics.test_duration.labels("s", "warm").observe(1.0)
    gc.collect()
    before = len(gc.get_objects(generation=0))
    for i in range(200):
        metrics.test_duration.labels("s", f"t{i}").observe(0.5)
        metrics.tests_total.labels(f"s{i}", "passed").inc()
    assert len(gc.get_objects(generation=0)) - before < 20
    assert metrics.test_duration.labels("s", "t7").counts[1] == 1


@given(st.lists(st.tuples(st.text(max_size=3), st.text(max_size=3), OBSERVATION), max_size=20))
def test_observe_labelled_is_labels_then_observe(
    updates: list[tuple[str, str, float]],
) -> None:
    """The one-call form used per run gives the same exposition (NUL in values included)."""
    one, two = AtpMetrics(), AtpMetrics()
    for suite, test, value in updates:
        one.test_duration.observe_labelled((suite, test), value)
        two.test_duration.labels(suite, test).observe(value)
    assert masked(render_latest(one)) == masked(render_latest(two))

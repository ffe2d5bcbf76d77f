"""Counters, histograms and a gauge of ATP's own, exposed through prometheus_client.

Why not prometheus_client's ``Counter``/``Histogram``: each labelled series they create is
a whole metric object, and a ``Histogram`` child builds one locked value and one
``floatToGoString`` label per bucket (13 for the run buckets). ``atp_test_duration_seconds``
gets a new series for every test, so on a benchmark of 1,000 one-run tests ``MetricsSink``
spent ~30-36 µs per run, almost all of it creating those children. Here a series is a
few floats in its metric's one list (a total, or per-bucket counts and a sum, then the
creation time): ``labels()`` is a dict lookup and a small view, ``observe()`` one
``bisect``, and the bucket ``le`` strings are formatted once per metric. A new series adds
no object the cyclic garbage collector tracks: with one per test, the few thousand that
objects, lists and key tuples made were enough to trigger an extra collection (~5 ms)
in a 1,000-test suite. ``MetricsSink`` now costs a few µs per run.

The exposition is the one prometheus_client's own metrics give (same names, help, label
names, buckets, ``_total``/``_bucket``/``_count``/``_sum``/``_created`` samples): each
metric is a collector yielding ``CounterMetricFamily``, ``HistogramMetricFamily`` or
``GaugeMetricFamily`` at scrape time, and ``describe()`` lets a registry check name clashes
without collecting.

Threads: updates take no lock (a lock per update is what made prometheus_client slow). They
are meant to come from one thread (the event loop); ``+=`` on a float is not atomic, so
updates to one series from several threads at once could lose one. Scrapes may come from
any thread (``start_http_server``, the web app): ``collect()`` snapshots the series dict
with ``list(d.items())`` and each series' values with one slice, each atomic under the
GIL, so a scrape never sees a dict change size, and a histogram's buckets, ``_count`` and
``_sum`` come from one moment. New series are added under a lock.
"""

from __future__ import annotations

import threading
import time
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from functools import partial

from prometheus_client import metrics as _prometheus_metrics
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import CollectorRegistry
from prometheus_client.utils import INF, floatToGoString

_NEGATIVE = "Counters can only be incremented by non-negative amounts."
_SEP = "\x00"
# A series' label values joined by NUL; a tuple when a value holds a NUL itself.
_Key = str | tuple[str, ...]


def _labels(key: _Key) -> tuple[str, ...]:
    return tuple(key.split(_SEP)) if type(key) is str else key  # type: ignore[return-value]


def _go_string(bound: float) -> str:
    """A bucket bound as the ``le`` label prometheus_client gives it."""
    return str(floatToGoString(bound))  # type: ignore[no-untyped-call]


def _use_created() -> bool:
    """Whether to expose ``_created`` samples; follows prometheus_client's own switch."""
    return bool(getattr(_prometheus_metrics, "_use_created", True))


class CounterSeries:
    """One labelled series of a counter: a view of its values in the metric.

    Attributes:
        value: The total so far.
        created: Unix time the series was created (the ``_created`` sample).
    """

    __slots__ = ("_at", "_values")

    def __init__(self, values: list[float], at: int) -> None:
        self._values, self._at = values, at  # values[at:at + 2] is [total, created]

    @property
    def value(self) -> float:
        return self._values[self._at]

    @property
    def created(self) -> float:
        return self._values[self._at + 1]

    def inc(self, amount: float = 1) -> None:
        """Add ``amount``; ValueError when it is negative."""
        if amount < 0:
            raise ValueError(_NEGATIVE)
        self._values[self._at] += amount


class HistogramSeries:
    """One labelled series of a histogram: a view of its values in the metric.

    Attributes:
        counts: Observations per bucket, not cumulative; the last one is ``+Inf``'s.
        sum: The sum of all observations.
        created: Unix time the series was created (the ``_created`` sample).
    """

    __slots__ = ("_at", "_bounds", "_values")

    def __init__(self, bounds: tuple[float, ...], values: list[float], at: int) -> None:
        # values[at:at + len(bounds) + 3]: the count of each bucket (+Inf last), sum, created.
        self._bounds, self._values, self._at = bounds, values, at

    @property
    def counts(self) -> list[int]:
        at = self._at
        return [int(c) for c in self._values[at : at + len(self._bounds) + 1]]

    @property
    def sum(self) -> float:
        return self._values[self._at + len(self._bounds) + 1]

    @property
    def created(self) -> float:
        return self._values[self._at + len(self._bounds) + 2]

    def observe(self, amount: float) -> None:
        """Count ``amount`` in the first bucket whose bound is >= it, and add it to the sum.

        NaN is added to the sum and counted in no bucket, as prometheus_client does.
        """
        values, at, bounds = self._values, self._at, self._bounds
        values[at + len(bounds) + 1] += amount
        if amount == amount:
            values[at + bisect_left(bounds, amount)] += 1


class _Labelled[S]:
    """A metric with label names; one series per distinct tuple of label values.

    Every series' values sit in one list of floats (``width`` per series, from the
    offset its key maps to): a new series adds no object the cyclic garbage collector
    must track, where an object, a list and a key tuple per series did (one series per
    test for ``atp_test_duration_seconds``). ``labels()`` returns a small view of them.
    """

    def __init__(
        self,
        name: str,
        documentation: str,
        labelnames: Sequence[str],
        initial: Callable[[], list[float]],
        view: Callable[[list[float], int], S],
    ) -> None:
        if not labelnames:
            raise ValueError(f"{name}: these metrics need label names")
        self.name = name
        self.documentation = documentation
        self.labelnames = tuple(labelnames)
        self._arity = len(self.labelnames)
        self._separators = self._arity - 1
        self._initial, self._view = initial, view
        self._values: list[float] = []
        # Key -> offset in _values; never removed from, inserted by _new only.
        self._series: dict[_Key, int] = {}
        self._adding = threading.Lock()

    def labels(self, *values: object, **by_name: object) -> S:
        """The series of these label values (positional or by name), created if new.

        ValueError when the values do not match the label names; values are converted
        with ``str``, as in prometheus_client.
        """
        if by_name or len(values) != self._arity:
            values = self._by_name(values, by_name)
        for value in values:
            if type(value) is not str:  # exactly str: a subclass's str() may differ
                values = tuple(map(str, values))
                break
        key: _Key = _SEP.join(values)  # type: ignore[arg-type]
        if key.count(_SEP) != self._separators:  # a value holds the separator
            key = values  # type: ignore[assignment]
        at = self._series.get(key)
        if at is None:
            at = self._new(key)
        return self._view(self._values, at)

    def _by_name(
        self, values: tuple[object, ...], by_name: dict[str, object]
    ) -> tuple[object, ...]:
        if values and by_name:
            raise ValueError("Can't pass both *args and **kwargs")
        if by_name:
            if sorted(by_name) != sorted(self.labelnames):
                raise ValueError("Incorrect label names")
            return tuple(by_name[name] for name in self.labelnames)
        raise ValueError(f"Incorrect label count (expected {self._arity}, got {values})")

    def _new(self, key: _Key) -> int:
        with self._adding:  # two threads adding the same series get one
            at = self._series.get(key)
            if at is None:
                at = len(self._values)
                self._values += self._initial()
                self._series[key] = at
            return at

    def _snapshot(self, width: int) -> list[tuple[tuple[str, ...], list[float]]]:
        values = self._values
        return [(_labels(key), values[at : at + width]) for key, at in list(self._series.items())]

    def _family(self) -> Metric:
        raise NotImplementedError

    def describe(self) -> list[Metric]:
        """The family without samples, for the registry's name checks."""
        return [self._family()]


class CounterMetric(_Labelled[CounterSeries]):
    """A labelled counter; ``name`` without ``_total`` (the sample is ``name_total``)."""

    def __init__(
        self,
        name: str,
        documentation: str,
        labelnames: Sequence[str],
        registry: CollectorRegistry | None = None,
    ) -> None:
        super().__init__(
            name.removesuffix("_total"),
            documentation,
            labelnames,
            lambda: [0.0, time.time()],
            CounterSeries,
        )
        if registry is not None:
            registry.register(self)

    def _family(self) -> CounterMetricFamily:
        return CounterMetricFamily(self.name, self.documentation, labels=self.labelnames)

    def collect(self) -> Iterator[Metric]:
        """The family with a ``_total`` (and ``_created``) sample per series."""
        family = self._family()
        created = _use_created()
        for key, (value, created_at) in self._snapshot(2):
            family.add_metric(key, value, created_at if created else None)
        yield family


class HistogramMetric(_Labelled[HistogramSeries]):
    """A labelled histogram; ``buckets`` are the finite upper bounds (``+Inf`` is added)."""

    def __init__(
        self,
        name: str,
        documentation: str,
        labelnames: Sequence[str],
        buckets: Sequence[float],
        registry: CollectorRegistry | None = None,
    ) -> None:
        if "le" in labelnames:
            raise ValueError("'le' is reserved for the histogram buckets")
        bounds = [float(b) for b in buckets]
        if bounds != sorted(bounds):
            raise ValueError("Buckets not in sorted order")
        if not bounds or bounds[-1] != INF:
            bounds.append(INF)
        if len(bounds) < 2:
            raise ValueError("Must have at least two buckets")
        self.upper_bounds = tuple(bounds)
        zeros = (0.0,) * len(self.upper_bounds)  # one count per bucket
        self._width = len(zeros) + 2  # the counts, the sum, the creation time
        super().__init__(
            name,
            documentation,
            labelnames,
            lambda: [*zeros, 0.0, time.time()],
            partial(HistogramSeries, self.upper_bounds[:-1]),
        )
        self._bounds = self.upper_bounds[:-1]
        # Formatted once per metric, not per series or scrape.
        self._les = tuple(_go_string(b) for b in self.upper_bounds)
        if registry is not None:
            registry.register(self)

    def observe_labelled(self, values: tuple[str, ...], amount: float) -> None:
        """``labels(*values).observe(amount)`` for label values that are all ``str``, in
        one call: what ``MetricsSink`` does for every run."""
        key: _Key = _SEP.join(values)
        if key.count(_SEP) != self._separators or len(values) != self._arity:
            self.labels(*values).observe(amount)
            return
        at = self._series.get(key)
        if at is None:
            at = self._new(key)
        series, bounds = self._values, self._bounds
        series[at + len(bounds) + 1] += amount
        if amount == amount:
            series[at + bisect_left(bounds, amount)] += 1

    def _family(self) -> HistogramMetricFamily:
        return HistogramMetricFamily(self.name, self.documentation, labels=self.labelnames)

    def collect(self) -> Iterator[Metric]:
        """The family with cumulative ``_bucket``s, ``_count``, ``_sum`` (and ``_created``)."""
        family = self._family()
        created = _use_created()
        created_name, count_name = self.name + "_created", self.name + "_count"
        negative = self.upper_bounds[0] < 0
        for key, values in self._snapshot(self._width):
            counts, total, created_at = values[:-2], values[-2], values[-1]
            buckets: list[tuple[str, float]] = []
            acc = 0.0
            for le, count in zip(self._les, counts, strict=True):
                acc += count
                buckets.append((le, acc))
            family.add_metric(key, buckets, total)
            if negative or created:
                labels = dict(zip(self.labelnames, key, strict=True))
                if negative:  # The family leaves out _count too; prometheus_client only _sum.
                    family.add_sample(count_name, labels, acc)
                if created:
                    family.add_sample(created_name, labels, created_at)
        yield family


class GaugeMetric:
    """An unlabelled gauge.

    Attributes:
        value: Its current value.
    """

    def __init__(
        self, name: str, documentation: str, registry: CollectorRegistry | None = None
    ) -> None:
        self.name = name
        self.documentation = documentation
        self.value = 0.0
        if registry is not None:
            registry.register(self)

    def inc(self, amount: float = 1) -> None:
        """Add ``amount``."""
        self.value += amount

    def dec(self, amount: float = 1) -> None:
        """Subtract ``amount``."""
        self.value -= amount

    def set(self, value: float) -> None:
        """Set to ``value``."""
        self.value = float(value)

    def describe(self) -> list[Metric]:
        """The family without samples, for the registry's name checks."""
        return [GaugeMetricFamily(self.name, self.documentation)]

    def collect(self) -> Iterator[Metric]:
        """The family with its one sample."""
        yield GaugeMetricFamily(self.name, self.documentation, value=self.value)

"""Counters, histograms and a gauge of ATP's own, exposed through prometheus_client.

Why not prometheus_client's ``Counter``/``Histogram``: each labelled series they create is
a whole metric object, and a ``Histogram`` child builds one locked value and one
``floatToGoString`` label per bucket (13 for the run buckets). ``atp_test_duration_seconds``
gets a new series for every test, so on a benchmark of 1,000 one-run tests ``MetricsSink``
spent ~30-36 µs per run, almost all of it creating those children. Here a series is a
float (counter), or a list of per-bucket counts and a sum (histogram): ``labels()`` is a
dict lookup, ``observe()`` one ``bisect``, and the bucket ``le`` strings are formatted
once per metric. ``MetricsSink`` now costs a few µs per run.

The exposition is the one prometheus_client's own metrics give (same names, help, label
names, buckets, ``_total``/``_bucket``/``_count``/``_sum``/``_created`` samples): each
metric is a collector yielding ``CounterMetricFamily``, ``HistogramMetricFamily`` or
``GaugeMetricFamily`` at scrape time, and ``describe()`` lets a registry check name clashes
without collecting.

Threads: updates take no lock (a lock per update is what made prometheus_client slow). They
are meant to come from one thread (the event loop); ``+=`` on a float is not atomic, so
updates to one series from several threads at once could lose one. Scrapes may come from
any thread (``start_http_server``, the web app): ``collect()`` snapshots the series dict
with ``list(d.items())`` and a histogram's counts with ``tuple(counts)``, each atomic under
the GIL, so a scrape never sees a dict change size. A scrape may, as with prometheus_client,
see a histogram's sum and its counts from slightly different moments (an observation
between the two reads); its buckets and ``_count`` always agree with each other.
"""

from __future__ import annotations

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


def _go_string(bound: float) -> str:
    """A bucket bound as the ``le`` label prometheus_client gives it."""
    return str(floatToGoString(bound))  # type: ignore[no-untyped-call]


def _use_created() -> bool:
    """Whether to expose ``_created`` samples; follows prometheus_client's own switch."""
    return bool(getattr(_prometheus_metrics, "_use_created", True))


class CounterSeries:
    """One labelled series of a counter.

    Attributes:
        value: The total so far.
        created: Unix time the series was created (the ``_created`` sample).
    """

    __slots__ = ("created", "value")

    def __init__(self) -> None:
        self.value = 0.0
        self.created = time.time()

    def inc(self, amount: float = 1) -> None:
        """Add ``amount``; ValueError when it is negative."""
        if amount < 0:
            raise ValueError(_NEGATIVE)
        self.value += amount


class HistogramSeries:
    """One labelled series of a histogram.

    Attributes:
        counts: Observations per bucket, not cumulative; the last one is ``+Inf``'s.
        sum: The sum of all observations.
        created: Unix time the series was created (the ``_created`` sample).
    """

    __slots__ = ("_bounds", "counts", "created", "sum")

    def __init__(self, bounds: tuple[float, ...]) -> None:
        self._bounds = bounds
        self.counts = [0] * (len(bounds) + 1)
        self.sum = 0.0
        self.created = time.time()

    def observe(self, amount: float) -> None:
        """Count ``amount`` in the first bucket whose bound is >= it, and add it to the sum.

        NaN is added to the sum and counted in no bucket, as prometheus_client does.
        """
        self.sum += amount
        if amount == amount:
            self.counts[bisect_left(self._bounds, amount)] += 1


class _Labelled[S]:
    """A metric with label names; one series per distinct tuple of label values."""

    def __init__(
        self,
        name: str,
        documentation: str,
        labelnames: Sequence[str],
        new_series: Callable[[], S],
    ) -> None:
        if not labelnames:
            raise ValueError(f"{name}: these metrics need label names")
        self.name = name
        self.documentation = documentation
        self.labelnames = tuple(labelnames)
        self._new_series = new_series
        # Never removed from; inserted by labels() only (setdefault: racing callers get one).
        self._series: dict[tuple[str, ...], S] = {}

    def labels(self, *values: object, **by_name: object) -> S:
        """The series of these label values (positional or by name), created if new.

        ValueError when the values do not match the label names; values are converted
        with ``str``, as in prometheus_client.
        """
        key = values
        for value in values:
            if type(value) is not str:  # exactly str: a subclass's str() may differ
                key = tuple(map(str, values))
                break
        # A stored key has the right length, so a hit needs no check.
        found = self._series.get(key)  # type: ignore[arg-type]
        if found is None or by_name:
            return self._add(key, by_name)
        return found

    def _add(self, key: tuple[object, ...], by_name: dict[str, object]) -> S:
        if key and by_name:
            raise ValueError("Can't pass both *args and **kwargs")
        if by_name:
            if sorted(by_name) != sorted(self.labelnames):
                raise ValueError("Incorrect label names")
            key = tuple(str(by_name[name]) for name in self.labelnames)
        elif len(key) != len(self.labelnames):
            raise ValueError(f"Incorrect label count (expected {len(self.labelnames)}, got {key})")
        return self._series.setdefault(key, self._new_series())  # type: ignore[arg-type]

    def _snapshot(self) -> list[tuple[tuple[str, ...], S]]:
        return list(self._series.items())

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
        super().__init__(name.removesuffix("_total"), documentation, labelnames, CounterSeries)
        if registry is not None:
            registry.register(self)

    def _family(self) -> CounterMetricFamily:
        return CounterMetricFamily(self.name, self.documentation, labels=self.labelnames)

    def collect(self) -> Iterator[Metric]:
        """The family with a ``_total`` (and ``_created``) sample per series."""
        family = self._family()
        created = _use_created()
        for key, series in self._snapshot():
            family.add_metric(key, series.value, series.created if created else None)
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
        new_series = partial(HistogramSeries, self.upper_bounds[:-1])
        super().__init__(name, documentation, labelnames, new_series)
        # Formatted once per metric, not per series or scrape.
        self._les = tuple(_go_string(b) for b in self.upper_bounds)
        if registry is not None:
            registry.register(self)

    def _family(self) -> HistogramMetricFamily:
        return HistogramMetricFamily(self.name, self.documentation, labels=self.labelnames)

    def collect(self) -> Iterator[Metric]:
        """The family with cumulative ``_bucket``s, ``_count``, ``_sum`` (and ``_created``)."""
        family = self._family()
        created = _use_created()
        created_name, count_name = self.name + "_created", self.name + "_count"
        negative = self.upper_bounds[0] < 0
        for key, series in self._snapshot():
            counts = tuple(series.counts)
            total = series.sum
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
                    family.add_sample(created_name, labels, series.created)
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

"""Prometheus metrics of one app: what it served, how fast, and the state of its queues.

Every app has its own :class:`~prometheus_client.CollectorRegistry` (never the library's
global one: tests build many apps in one process). What it reports:

- ``cinq_http_requests_total{method, route, operation, status}`` and
  ``cinq_http_request_duration_seconds{route, operation}``: each HTTP request, counted and
  timed from the first byte the app sees to the last it sends. ``route`` is the route's
  template (``/media/original/{media_id}``), or ``unmatched`` for a path no route serves;
  ``operation`` is the GraphQL operation's name when the site declared it (see
  :mod:`cms.metrics.operations`), ``other`` when it did not, and empty for anonymous
  operations and other routes; ``method`` is one of the usual verbs or ``other``. Every label
  takes a bounded set of values, whatever clients send.
- ``cinq_response_cache_requests_total{result="hit"|"miss"}``, and the entries and bytes kept.
- ``cinq_jobs{kind, state}`` and ``cinq_jobs_oldest_due_age_seconds``, read from the database at
  scrape time, with ``cinq_database_up`` and the PostgreSQL pool (:mod:`cms.metrics.database`).
- ``cinq_webhook_deliveries_total{outcome}``: attempts by this process's worker that
  ``delivered`` or ``failed`` (retried with backoff), deliveries it ``gave_up`` on after a last
  failed attempt, and those dropped because their endpoint was ``inactive``.
- The process (CPU, memory, open files), Python's garbage collector, and ``cinq_build_info``.

Counts are per process: with several workers, each reports its own (see the README).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from itertools import accumulate
from typing import TYPE_CHECKING

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    PlatformCollector,
    ProcessCollector,
)
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

from cms import __version__
from cms.metrics import database
from cms.metrics.operations import OperationLabels

if TYPE_CHECKING:
    from cms.http.caching.store import ResponseCache

__all__ = ["Metrics"]

#: Latency buckets, in seconds: a cached answer takes tens of microseconds, an uncached front
#: page a few milliseconds, an upload seconds.
BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
#: The methods counted by name; any other is ``other``.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
#: What a webhook delivery attempt may come to (see :mod:`cms.services.webhooks.deliveries`).
WEBHOOK_OUTCOMES = ("delivered", "failed", "gave_up", "inactive")


class Metrics:
    """The registry of one app and the instruments its layers record into.

    ``operations`` are the names of the site's declared GraphQL operations; ``job_kinds`` the
    kinds of background job the app runs.
    """

    def __init__(
        self,
        *,
        operations: Iterable[str],
        job_kinds: Iterable[str],
        cache: ResponseCache | None = None,
    ) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        self.operation_label = OperationLabels(operations)
        self.requests = RequestRecorder(BUCKETS)
        self.registry.register(self.requests)
        self.webhooks = Counter(
            "cinq_webhook_deliveries",
            "Webhook delivery attempts by this process, by outcome.",
            ["outcome"],
            registry=self.registry,
        )
        for outcome in WEBHOOK_OUTCOMES:
            self.webhooks.labels(outcome)
        info = Gauge("cinq_build_info", "The running Cinq.", ["version"], registry=self.registry)
        info.labels(__version__).set(1)
        self.database = database.DatabaseCollector(job_kinds)
        self.registry.register(self.database)
        if cache is not None:
            self.registry.register(CacheCollector(cache))

    def observe(
        self, method: str, route: str, operation: str | None, status: int, seconds: float
    ) -> None:
        """Record one answered request (``operation``: the name as the request gave it)."""
        self.requests.record(
            method if method in METHODS else "other",
            route,
            self.operation_label(operation),
            status,
            seconds,
        )

    def webhook_outcome(self, outcome: str) -> None:
        self.webhooks.labels(outcome).inc()

    async def exposition(self, accept: str | None) -> tuple[bytes, str]:
        """The scrape's body and media type (OpenMetrics when the scraper asks for it)."""
        await self.database.refresh()
        encoder, media_type = choose_encoder(accept or "")
        return encoder(self.registry), media_type


class RequestRecorder(Collector):
    """Counts and times requests: ``cinq_http_requests_total`` and
    ``cinq_http_request_duration_seconds``.

    prometheus-client's own Counter and Histogram take a lock per increment and walk every
    bucket on each observation, about 2 µs a request, a fifth of a cached answer's whole cost.
    Here a request costs two dictionary lookups, a bisection and three additions, without
    locks: every request and every scrape runs in the event loop's one thread, and a scrape
    reads the numbers synchronously, between two requests. The labels must be bounded already.
    """

    def __init__(self, buckets: tuple[float, ...]) -> None:
        self.bounds = buckets
        self.counts: dict[tuple[str, str, str, int], int] = {}
        # Per (route, operation): requests in each bucket (the last one past every bound),
        # then the sum of their durations.
        self.timings: dict[tuple[str, str], list[float]] = {}

    def record(self, method: str, route: str, operation: str, status: int, seconds: float) -> None:
        key = (method, route, operation, status)
        self.counts[key] = self.counts.get(key, 0) + 1
        timing = self.timings.get((route, operation))
        if timing is None:
            timing = self.timings[route, operation] = [0] * (len(self.bounds) + 2)
        timing[bisect_left(self.bounds, seconds)] += 1
        timing[-1] += seconds

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(
            "cinq_http_requests",
            "HTTP requests answered, by method, route template, GraphQL operation and status.",
            labels=["method", "route", "operation", "status"],
        )
        for (method, route, operation, status), count in self.counts.items():
            requests.add_metric([method, route, operation, str(status)], count)
        yield requests
        latency = HistogramMetricFamily(
            "cinq_http_request_duration_seconds",
            "Time from a request's arrival in the app to its answer's last byte.",
            labels=["route", "operation"],
        )
        # prometheus_client leaves floatToGoString unannotated.
        limits = [*(floatToGoString(bound) for bound in self.bounds), "+Inf"]  # type: ignore[no-untyped-call]
        for (route, operation), timing in self.timings.items():
            cumulative = list(accumulate(timing[:-1]))
            latency.add_metric(
                [route, operation], list(zip(limits, cumulative, strict=True)), timing[-1]
            )
        yield latency


class CacheCollector(Collector):
    """The response cache's counters and size, read when scraped (the cache only counts)."""

    def __init__(self, cache: ResponseCache) -> None:
        self.cache = cache

    def collect(self) -> Iterator[Metric]:
        cache = self.cache
        requests = CounterMetricFamily(
            "cinq_response_cache_requests",
            "Anonymous requests looked up in the response cache, by result.",
            labels=["result"],
        )
        requests.add_metric(["hit"], cache.hits)
        requests.add_metric(["miss"], cache.misses)
        yield requests
        yield GaugeMetricFamily(
            "cinq_response_cache_entries", "Answers kept in the cache.", value=len(cache)
        )
        yield GaugeMetricFamily(
            "cinq_response_cache_bytes", "Bytes of the answers kept.", value=cache.size
        )

"""Prometheus metrics, one registry per app (nothing global)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


class Metrics:
    def __init__(self, backend):
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("lpsplan_requests", "HTTP requests", ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram("lpsplan_request_seconds", "Request latency", ["route"], buckets=BUCKETS, registry=self.registry)
        self.timeouts = Counter("lpsplan_query_timeouts", "Queries stopped at the timeout", registry=self.registry)
        size = Gauge("lpsplan_store_triples", "Triples in the store", registry=self.registry)
        size.set_function(lambda: _safe_size(backend))
        self.registry.register(WorkerMetrics(backend))

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class WorkerMetrics:
    """What the query workers are doing, read from the backend's pool at each scrape (a backend
    without query workers reports 0): the queries being evaluated in them now, and the workers killed
    with a query that ran past the timeout."""

    def __init__(self, backend):
        self.backend = backend

    def collect(self):
        pool = getattr(self.backend, "pool", None)
        yield GaugeMetricFamily("lpsplan_worker_queries", "Queries being evaluated in the query worker processes now",
                                value=getattr(pool, "running", 0))
        yield CounterMetricFamily("lpsplan_worker_kills", "Query workers killed with a query that ran past the timeout",
                                  value=getattr(pool, "killed", 0))


def _safe_size(backend) -> float:
    try:
        return float(backend.triples())
    except Exception:  # noqa: BLE001 - a metric must not fail the scrape
        return float("nan")

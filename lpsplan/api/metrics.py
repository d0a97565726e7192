"""Prometheus metrics, one registry per app (nothing global)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


class Metrics:
    def __init__(self, backend):
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("lpsplan_requests", "HTTP requests", ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram("lpsplan_request_seconds", "Request latency", ["route"], buckets=BUCKETS, registry=self.registry)
        self.timeouts = Counter("lpsplan_query_timeouts", "Queries stopped at the timeout", registry=self.registry)
        size = Gauge("lpsplan_store_triples", "Triples in the store", registry=self.registry)
        size.set_function(lambda: _safe_size(backend))

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


def _safe_size(backend) -> float:
    try:
        return float(backend.triples())
    except Exception:  # noqa: BLE001 - a metric must not fail the scrape
        return float("nan")

"""This process's own measurements, in prometheus-client's registry: HTTP requests and their
latency per route group (the REST API's middleware calls `observe_request`). The figures of the
whole system (bookings per minute, outbox backlog, store latencies) are sampled by
services/monitor/metrics.py. Also a rolling minute of latencies per group, for the per-minute
samples kept in MongoDB (the process that samples reports its own requests)."""
import threading
import time
from collections import defaultdict, deque

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter("astrobookings_http_requests", "HTTP requests answered", ["group", "method", "status"],
                   registry=REGISTRY)
LATENCY = Histogram("astrobookings_http_request_duration_seconds", "HTTP request latency", ["group"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10), registry=REGISTRY)
_window: dict[str, deque] = defaultdict(lambda: deque(maxlen=50_000))
_lock = threading.Lock()


def route_group(path: str) -> str:
    """/api/agency/launches/7 -> "agency"; /metrics -> "metrics"; pages and assets -> "web"."""
    parts = [p for p in path.split("/") if p]
    if parts and parts[0] == "api":
        return parts[1] if len(parts) > 1 else "api"
    return parts[0] if parts and parts[0] in ("metrics", "launches") else "web"


def observe_request(path: str, method: str, status: int, seconds: float) -> None:
    group = route_group(path)
    REQUESTS.labels(group, method, f"{status // 100}xx").inc()
    LATENCY.labels(group).observe(seconds)
    with _lock:
        _window[group].append((time.monotonic(), seconds))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)]


def last_minute() -> dict[str, dict[str, float]]:
    """Per route group: requests in the last minute and their p50, p95 and p99 in milliseconds."""
    since = time.monotonic() - 60
    out = {}
    with _lock:
        for group, samples in _window.items():
            while samples and samples[0][0] < since:
                samples.popleft()
            values = [s for _, s in samples]
            if values:
                out[group] = {"requests": float(len(values)), "p50_ms": _percentile(values, 0.5) * 1000,
                              "p95_ms": _percentile(values, 0.95) * 1000, "p99_ms": _percentile(values, 0.99) * 1000}
    return out

"""A small load driver: keep-alive HTTP clients running a query mix for a fixed time; latency percentiles and errors."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit


@dataclass
class Result:
    requests: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    by_query: dict[int, list[float]] = field(default_factory=dict)  # latencies of each query of the mix
    seconds: float = 0.0

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float, query: int | None = None) -> float:
        """Milliseconds; over the whole mix, or over one query of it."""
        values = self.latencies if query is None else self.by_query.get(query, [])
        if not values:
            return float("nan")
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    def add(self, other: Result) -> None:
        self.requests += other.requests
        self.errors += other.errors
        self.seconds += other.seconds
        self.latencies += other.latencies
        for query, values in other.by_query.items():
            self.by_query.setdefault(query, []).extend(values)


def run(endpoint: str, queries: list[str], concurrency: int, seconds: float) -> Result:
    """Each client sends the queries round-robin (GET, keep-alive) until the time is up."""
    parts = urlsplit(endpoint)
    result = Result()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        i = offset
        while time.perf_counter() < deadline:
            path = parts.path + "?" + urlencode({"query": queries[i % len(queries)]})
            if not parts.path:
                path = "/" + path
            started = time.perf_counter()
            try:
                connection.request(
                    "GET",
                    path,
                    headers={
                        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
                        "User-Agent": "partnergraph-load",
                    },
                )
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            elapsed = time.perf_counter() - started
            with lock:
                result.requests += 1
                result.errors += not ok
                result.latencies.append(elapsed)
                result.by_query.setdefault(i % len(queries), []).append(elapsed)
            i += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")

"""A small load driver: keep-alive HTTP clients running a query mix for a fixed time; latency percentiles and errors."""

from __future__ import annotations

import http.client
import random
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"
# what a client sends for its `index`-th request: (label in by_query, path with query string, Accept)
Draw = Callable[[random.Random, int], tuple[int, str, str]]


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


def round_robin(endpoint: str, queries: Sequence[str]) -> Draw:
    """The queries in turn, by GET on the endpoint."""
    path = urlsplit(endpoint).path or "/"

    def draw(_rng: random.Random, index: int) -> tuple[int, str, str]:
        return index % len(queries), path + "?" + urlencode({"query": queries[index % len(queries)]}), ACCEPT

    return draw


def run(endpoint: str, queries: Sequence[str] | Draw, concurrency: int, seconds: float, seed: int = 0) -> Result:
    """Each keep-alive client sends GET requests until the time is up: the queries round-robin, or what `queries`
    draws from the client's own seeded generator (the same sequence for every server)."""
    parts = urlsplit(endpoint)
    draw = queries if callable(queries) else round_robin(endpoint, queries)
    result = Result()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        rng = random.Random(seed * 1000 + offset)
        i = offset
        while time.perf_counter() < deadline:
            label, path, accept = draw(rng, i)
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept": accept, "User-Agent": "partnergraph-load"})
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
                result.by_query.setdefault(label, []).append(elapsed)
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

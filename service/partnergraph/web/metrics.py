"""The service's figures for Prometheus, kept in prometheus_client's registry (one per app, never the global one)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "partnergraph_requests", "HTTP requests by route and status", ["endpoint", "status"], registry=self.registry
        )
        self.request_seconds = Histogram(
            "partnergraph_request_seconds", "Time to answer an HTTP request", ["endpoint"], registry=self.registry
        )
        self.queries = Counter(
            "partnergraph_queries", "User queries by outcome (HTTP status)", ["status"], registry=self.registry
        )
        self.query_seconds = Histogram(
            "partnergraph_query_seconds",
            "Time a user query took, queueing included",
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=self.registry,
        )
        self.timeouts = Counter(
            "partnergraph_query_timeouts", "Queries stopped at the time limit", registry=self.registry
        )
        self.refusals = Counter(
            "partnergraph_query_refusals",
            "Queries refused before or while running, by bound",
            ["bound"],
            registry=self.registry,
        )
        self.answer_cache = Counter(
            "partnergraph_answer_cache",
            "User queries answered from the release's answer cache (hit) or by the engine (miss)",
            ["result"],
            registry=self.registry,
        )
        self.pattern_lane = Counter(
            "partnergraph_pattern_lane",
            "User queries answered in the serving process by one index scan, without a query worker",
            registry=self.registry,
        )
        self.rows = Counter("partnergraph_rows_served", "Rows or triples in query answers", registry=self.registry)
        self.truncated = Counter(
            "partnergraph_answers_truncated", "Answers cut at a bound", ["bound"], registry=self.registry
        )

    def exposition(self) -> bytes:
        return generate_latest(self.registry)

"""Running a client's query: checked, charged to the client's budget, bounded, logged and counted.

The one path for /sparql and /query, so every bound holds wherever a query comes in.
"""

from __future__ import annotations

import time

from flask import request

from ..store.base import QueryAnswer, QueryFailed, QueryRequest, QueryTimeout
from .errors import ServiceError
from .policy import Limits, check_query
from .query_log import QueryRecord, client_key
from .state import served, state
from .validators import volatile


def run_user_query(
    text: str,
    result_format: str = "json",
    graph_format: str = "ttl",
    default_graphs: tuple[str, ...] = (),
    named_graphs: tuple[str, ...] = (),
) -> QueryAnswer:
    app = state()
    config = app.config
    client = client_key(request.remote_addr or "", request.headers.get("User-Agent", ""))
    started = time.perf_counter()
    status, answer = 500, None
    try:
        endpoint = endpoint_url()
        shape = check_query(
            text, endpoint, Limits(config.service_allowlist, config.max_query_depth, config.max_query_chain)
        )
        if shape.services:
            volatile()  # a remote endpoint's data may change within our release
        if wait := app.budgets.wait_needed(client):
            app.metrics.refusals.labels("client-budget").inc()
            raise ServiceError(
                429,
                "Query budget spent",
                f"this client has used its {config.client_budget_seconds:g} s of query time; it regains "
                f"{config.client_refill_rate:g} s per second. Try again in {wait} s.",
                {"Retry-After": str(wait)},
            )
        job = QueryRequest(
            text,
            result_format,
            graph_format,
            default_graphs,
            named_graphs,
            config.max_rows,
            max_bytes=config.max_answer_bytes,
            base_iri=endpoint,
            names_dataset=shape.names_dataset,
            federated=bool(shape.services),
            priority=-app.budgets.typical_seconds(client),
        )
        answer = _run(job, bool(shape.services))
        status = 200
        return answer
    except ServiceError as error:
        status = error.status
        raise
    finally:
        seconds = time.perf_counter() - started
        if status != 429:  # the time in the engine; a query that failed or was stopped is charged all it took
            app.budgets.charge(client, answer.seconds if answer is not None else seconds)
        _account(text, default_graphs, named_graphs, result_format, seconds, status, answer, client)


_ENDPOINTS: dict[tuple[str | None, ...], str] = {}  # endpoint URL by the environ values werkzeug builds it from
MAX_ENDPOINTS = 256  # Host is the client's to choose: bounded, and cleared when full


def endpoint_url() -> str:
    """This endpoint's URL, the base IRI for relative IRIs in a query: werkzeug's `url_root`, remembered by the
    values it is built from (werkzeug decodes and re-encodes the URL on every call, about 40 us a request)."""
    environ = request.environ
    key = tuple(
        environ.get(name) for name in ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME")
    )
    if (url := _ENDPOINTS.get(key)) is None:
        if len(_ENDPOINTS) >= MAX_ENDPOINTS:
            _ENDPOINTS.clear()
        url = _ENDPOINTS[key] = request.url_root.rstrip("/") + "/sparql"
    return url


def _run(job: QueryRequest, federated: bool) -> QueryAnswer:
    config, metrics = state().config, state().metrics
    try:
        return served().store.run(job, config.query_timeout)
    except QueryTimeout as timeout:
        metrics.timeouts.inc()
        raise ServiceError(
            503,
            "Query timeout",
            f"{timeout}. Narrow the query (add LIMIT, more specific patterns).",
            {"Retry-After": "1"},
        ) from None
    except QueryFailed as failure:
        if failure.status == 400:
            raise ServiceError(400, "Malformed query", str(failure)) from None
        if federated:  # never echo what a remote endpoint answered
            raise ServiceError(
                502,
                "Query failed",
                "A SERVICE endpoint could not be queried or returned an error; its answer is not shown here.",
            ) from None
        metrics.refusals.labels("worker").inc()
        headers = {"Retry-After": "1"} if failure.status == 503 else {}
        raise ServiceError(
            failure.status, "Query stopped" if failure.status == 503 else "Query failed", str(failure), headers
        ) from None


def _account(
    text: str,
    default_graphs: tuple[str, ...],
    named_graphs: tuple[str, ...],
    result_format: str,
    seconds: float,
    status: int,
    answer: QueryAnswer | None,
    client: str,
) -> None:
    app = state()
    app.metrics.queries.labels(str(status)).inc()
    app.metrics.query_seconds.observe(seconds)
    if answer is not None:
        app.metrics.answer_cache.labels("hit" if answer.cached else "miss").inc()
        if answer.pattern_lane and not answer.cached:
            app.metrics.pattern_lane.inc()
        app.metrics.rows.inc(answer.rows)
        if answer.truncated:
            app.metrics.truncated.labels(answer.truncated).inc()
    app.query_log.write(
        QueryRecord(
            text,
            default_graphs,
            named_graphs,
            answer.format_token if answer else result_format,
            seconds,
            status,
            answer.rows if answer else 0,
            answer.truncated if answer else "",
            client,
        )
    )

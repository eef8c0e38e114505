"""The Flask application: SPARQL endpoint, dumps, linked-data pages. Imports from store, never from pipeline."""

from __future__ import annotations

import time

from flask import Flask, Response, g, request

from ..editions import Editions
from ..iris import IriMinter
from ..web_config import ServiceConfig
from . import browse, dumps, errors, network, ontology, resources, sparql
from .state import AppState, give_back, served, state

EXPOSED_HEADERS = "Partnergraph-Result-Rows, Partnergraph-Result-Truncated, Partnergraph-Release, Link, ETag"


def create_app(config: ServiceConfig, editions: Editions) -> Flask:
    """Build the app around an injected configuration and the opened release (which a watcher may swap)."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.extensions["partnergraph"] = AppState(config, editions, IriMinter(config.base_iri))
    errors.register(app)
    for blueprint in (sparql.bp, dumps.bp, resources.bp, browse.bp, ontology.bp, network.bp):
        app.register_blueprint(blueprint)

    @app.route("/health")
    def health() -> dict[str, object]:
        edition = served()
        return {"status": "ok", "release": edition.name, "triples": edition.store.info().triples}

    @app.route("/metrics")
    def metrics() -> Response:
        return Response(_prometheus(), mimetype="text/plain; version=0.0.4")

    @app.before_request
    def started() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def finished(response: Response) -> Response:
        response.headers.setdefault("Access-Control-Allow-Origin", "*")
        response.headers.setdefault("Access-Control-Expose-Headers", EXPOSED_HEADERS)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if "edition" in g:  # the release this answer came from, so a client can tell when it changed
            response.headers["Partnergraph-Release"] = g.edition.name
        counters = state().metrics
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        with counters.lock:
            key = (endpoint, response.status_code)
            counters.requests[key] = counters.requests.get(key, 0) + 1
            counters.seconds[endpoint] = counters.seconds.get(endpoint, 0.0) + time.perf_counter() - g.get("started", 0)
        return response

    app.teardown_request(lambda _error: give_back())

    @app.route("/sparql", methods=["OPTIONS"])
    def preflight() -> Response:
        return Response(
            status=204,
            headers={
                "Access-Control-Allow-Methods": "GET, POST, HEAD, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type, Accept",
                "Access-Control-Max-Age": "86400",
            },
        )

    return app


def _prometheus() -> str:
    counters = state().metrics
    lines = ["# TYPE partnergraph_requests_total counter"]
    with counters.lock:
        lines += [
            f'partnergraph_requests_total{{endpoint="{e}",status="{s}"}} {n}'
            for (e, s), n in sorted(counters.requests.items())
        ]
        lines.append("# TYPE partnergraph_request_seconds_total counter")
        lines += [
            f'partnergraph_request_seconds_total{{endpoint="{e}"}} {t:.6f}' for e, t in sorted(counters.seconds.items())
        ]
        lines += [
            "# TYPE partnergraph_query_timeouts_total counter",
            f"partnergraph_query_timeouts_total {counters.timeouts}",
            "# TYPE partnergraph_rows_served_total counter",
            f"partnergraph_rows_served_total {counters.rows}",
        ]
    return "\n".join(lines) + "\n"

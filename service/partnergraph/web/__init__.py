"""The Flask application: SPARQL endpoint, dumps, linked-data pages. Imports from store, never from pipeline."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import Flask, Response, g, request

from ..editions import Editions
from ..web_config import ServiceConfig
from . import browse, cors, described, dumps, errors, lists, network, ontology, resources, sparql
from .errors import ServiceError
from .state import AppState, give_back, served, state

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# Scripts and styles only from this origin (the bundled editor included), nothing inline, no plug-ins, no framing:
# markup injected through the data could not run even if a template let it through.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
MAX_URL_BYTES = 8190
EXPOSED_HEADERS = "Partnergraph-Result-Rows, Partnergraph-Result-Truncated, Partnergraph-Release, Link, ETag"
EVERY_RESPONSE = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", EXPOSED_HEADERS),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("Referrer-Policy", "no-referrer"),
]


def is_web_link(value: object) -> bool:
    """Only http(s) IRIs become links: an IRI in the data may carry any scheme, `javascript:` included."""
    return isinstance(value, str) and urlsplit(value).scheme.lower() in ("http", "https")


def with_headers(wsgi_app: WSGIApplication, headers: list[tuple[str, str]]) -> WSGIApplication:
    """Add `headers` to every response, errors included: at the WSGI level they cost a list extend (werkzeug's
    Headers validate each one), and no view sets them."""

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            response_headers.extend(headers)
            return start_response(status, response_headers, exc_info)

        return wsgi_app(environ, start)

    return app


def create_app(config: ServiceConfig, editions: Editions) -> Flask:
    """Build the app around an injected configuration and the opened release (which a watcher may swap)."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False  # cors.preflight answers OPTIONS, with the CORS headers
    app.extensions["partnergraph"] = AppState.create(config, editions)
    app.jinja_env.tests["web_link"] = is_web_link
    errors.register(app)
    for blueprint in (sparql.bp, dumps.bp, described.bp, resources.bp, browse.bp, lists.bp, ontology.bp, network.bp):
        app.register_blueprint(blueprint)

    @app.route("/health")
    def health() -> dict[str, object]:
        edition = served()
        return {"status": "ok", "release": edition.name, "triples": edition.store.info().triples}

    @app.route("/metrics")
    def metrics() -> Response:
        return Response(state().metrics.exposition(), mimetype="text/plain; version=0.0.4")

    @app.before_request
    def started() -> None:
        g.started = time.perf_counter()
        environ = request.environ
        if len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", "")) > MAX_URL_BYTES:
            raise ServiceError(
                414, "URI Too Long", f"The request's URL is over {MAX_URL_BYTES} bytes: POST the query in the body."
            )

    @app.after_request
    def finished(response: Response) -> Response:
        if "edition" in g:  # the release this answer came from, so a client can tell when it changed
            response.headers["Partnergraph-Release"] = g.edition.name
        metrics = state().metrics
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        metrics.requests.labels(endpoint, str(response.status_code)).inc()
        metrics.request_seconds.labels(endpoint).observe(time.perf_counter() - g.get("started", time.perf_counter()))
        return response

    app.before_request(cors.preflight)
    app.teardown_request(lambda _error: give_back())
    app.wsgi_app = with_headers(app.wsgi_app, EVERY_RESPONSE)  # type: ignore[method-assign,assignment]

    return app

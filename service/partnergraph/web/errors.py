"""One error shape for the whole service: RFC 9457 problem JSON for machines, an HTML page for browsers."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ..store.base import QueryFailed, QueryTimeout


class ServiceError(Exception):
    """An error with an HTTP status, a short title and a detail that tells the client what to do."""

    def __init__(self, status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers or {}


def error_response(error: ServiceError) -> Response:
    """Render an error in the representation the client prefers; JSON unless it prefers HTML."""
    accept = request.accept_mimetypes
    if (
        accept.best_match(["application/problem+json", "application/json", "text/html"]) == "text/html"
        and accept["text/html"] > accept["application/json"]
    ):
        response = Response(render_template("error.html", error=error), error.status, mimetype="text/html")
    else:
        response = jsonify(
            {"type": "about:blank", "title": error.title, "status": error.status, "detail": error.detail}
        )
        response.status_code = error.status
        response.mimetype = "application/problem+json"
    response.headers.update(error.headers)
    response.headers.add("Vary", "Accept")
    return response


def register(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError) -> Response:
        return error_response(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        headers = dict(error.get_response().headers)
        kept = {key: value for key, value in headers.items() if key in ("Allow", "Retry-After")}
        return error_response(ServiceError(error.code or 500, error.name, error.description or error.name, kept))

    @app.errorhandler(QueryTimeout)
    def query_timeout(error: QueryTimeout) -> Response:
        """The service's own queries (pages, lists, search) that ran out of time."""
        return error_response(ServiceError(503, "Query timeout", str(error), {"Retry-After": "1"}))

    @app.errorhandler(QueryFailed)
    def query_failed(error: QueryFailed) -> Response:
        """The service's own queries that the store refused or failed (a client's query is answered by querying.py):
        503 when busy, else 502, logged, never a 500 with a traceback."""
        app.logger.warning("the service's own query failed: %s", error)
        status = 503 if error.status == 503 else 502
        return error_response(ServiceError(status, "Query failed", "The store could not answer; try again shortly."))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        app.logger.exception("unhandled error")
        return error_response(ServiceError(500, "Internal Server Error", "The service failed; the error was logged."))

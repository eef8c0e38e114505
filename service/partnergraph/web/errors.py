"""One error shape for the whole service: RFC 9457 problem JSON for machines, an HTML page for browsers."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


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

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        app.logger.exception("unhandled error")
        return error_response(ServiceError(500, "Internal Server Error", "The service failed; the error was logged."))

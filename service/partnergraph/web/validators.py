"""HTTP validators for answers only a new release can change: an ETag, 304 Not Modified, and Cache-Control.

A GET's answer here is fixed by the release, the service's configuration, the URL it was asked at (relative IRIs in
a query resolve against the endpoint's own URL) and the Accept header. The ETag is computed from those before any
work is done, so a browser or proxy that holds it gets 304 without the query running; a new release changes every
ETag. Failures carry no validator: a timeout under load says nothing about the next try; nor do answers that asked a
SERVICE elsewhere, whose data may change at any time (the view marks them with `volatile`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, g, make_response, request

from .state import served, state


def release_validated(view: Callable[..., Any]) -> Callable[..., Response]:
    """Answer GET and HEAD with an ETag and Cache-Control on success, and 304 when the client holds that ETag."""

    @wraps(view)
    def validated(*args: Any, **kwargs: Any) -> Response:
        if request.method not in ("GET", "HEAD"):
            return make_response(view(*args, **kwargs))
        tag = _tag()
        if request.if_none_match.contains_weak(tag):
            response = Response(status=304)
        else:
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200 or g.get("volatile"):
                return response
        response.set_etag(tag)
        response.headers["Cache-Control"] = f"public, max-age={state().config.cache_max_age}"
        if "Accept" not in response.vary:
            response.vary.add("Accept")
        return response

    return validated


def volatile() -> None:
    """This answer depends on more than the release: it gets no validator."""
    g.volatile = True


def _tag() -> str:
    environ = request.environ  # the raw parts: werkzeug's URL properties rebuild and re-encode them
    identity = "\n".join(
        (
            served().name,
            state().config_digest,
            environ["wsgi.url_scheme"],
            environ.get("HTTP_HOST", ""),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            environ.get("HTTP_ACCEPT", ""),
            environ.get("HTTP_ACCEPT_LANGUAGE", ""),  # pages are written in the reader's language
        )
    )
    return hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:32]

"""Cross-origin requests: every response allows any origin (the data is public and no request carries credentials),
and a preflight `OPTIONS` on any route is answered here, so a page on another origin can POST a query as
`application/sparql-query`. Flask's automatic OPTIONS answers are switched off: they ran before this handler and
left out the `Access-Control-Allow-*` headers the browser needs."""

from __future__ import annotations

from flask import Response, current_app, request

# Request headers a cross-origin client may send: what SPARQL clients and caches use (the body's type, negotiation,
# revalidation); none grants anything, since no request is credentialed.
ALLOWED_HEADERS = "Accept, Accept-Language, Content-Type, Cache-Control, If-None-Match, If-Modified-Since, Range"
MAX_AGE_SECONDS = "86400"


def preflight() -> Response | None:
    """Answer OPTIONS for any route with the methods it allows; None for other requests (and unknown routes, which
    then get the ordinary 404)."""
    if request.method != "OPTIONS":
        return None
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = sorted(set(adapter.allowed_methods(request.path)) | {"OPTIONS"})
    if allowed == ["OPTIONS"]:
        return None
    methods = ", ".join(allowed)
    return Response(
        status=204,
        headers={
            "Allow": methods,
            "Access-Control-Allow-Methods": methods,
            "Access-Control-Allow-Headers": ALLOWED_HEADERS,
            "Access-Control-Max-Age": MAX_AGE_SECONDS,
        },
    )

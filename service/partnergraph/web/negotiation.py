"""Content negotiation: an explicit `format` (token or media type) wins, then Accept with q-values; else 406."""

from __future__ import annotations

from flask import request

from ..formats import RDF_FORMATS
from .errors import ServiceError

RESULT_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
RESULT_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml"}
RDF_TYPES: dict[str, str] = {f.token: f.media_type for f in RDF_FORMATS}
RDF_ALIASES = {
    "application/x-turtle": "ttl",
    "text/n3": "ttl",
    "application/xml": "rdf",
    "application/json": "jsonld",
    "text/plain": "nt",
}


def choose(types: dict[str, str], aliases: dict[str, str] | None = None, explicit: str | None = None) -> str | None:
    """The token of the best acceptable type among `types`, or None when the client accepts none of them."""
    aliases = aliases or {}
    if explicit:
        wanted = explicit.split(";")[0].strip().lower()
        if wanted in types:
            return wanted
        for token, media_type in types.items():
            if media_type == wanted:
                return token
        return aliases.get(wanted)
    if not request.accept_mimetypes:  # no Accept header: anything goes, so the first (default) type
        return next(iter(types))
    offers = list(types.values()) + list(aliases)
    best = request.accept_mimetypes.best_match(offers)
    if best is None:
        return None
    return aliases.get(best) or next(token for token, media_type in types.items() if media_type == best)


def require(token: str | None, types: dict[str, str]) -> str:
    if token is None:
        raise ServiceError(
            406,
            "Not Acceptable",
            f"None of the requested media types can be produced; available: {', '.join(types.values())}",
        )
    return token


def wants_html() -> bool:
    """True when the client prefers an HTML page (a browser) over data."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes["application/json"]

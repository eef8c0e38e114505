"""Content negotiation: an explicit `format` (token or media type) wins, then Accept with q-values; else 406."""

from __future__ import annotations

from functools import lru_cache

from flask import request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

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
    header = request.headers.get("Accept", "")
    if not _accept(header):  # no Accept header: anything goes, so the first (default) type
        return next(iter(types))
    offers = (*types.values(), *aliases)
    best = _best_match(header, offers) if len(header) <= CACHED_HEADER else _accept(header).best_match(offers)
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
    header = request.headers.get("Accept", "")
    return _prefers_html(header) if len(header) <= CACHED_HEADER else _html_first(_accept(header))


# Clients send the same few Accept headers again and again: each is parsed and matched once (long ones, which only
# a hostile client sends, every time, so the caches stay small).
CACHED_HEADER = 1024


def _accept(header: str) -> MIMEAccept:
    return _parsed(header) if len(header) <= CACHED_HEADER else parse_accept_header(header, MIMEAccept)


@lru_cache(maxsize=512)
def _parsed(header: str) -> MIMEAccept:
    return parse_accept_header(header, MIMEAccept)


@lru_cache(maxsize=1024)
def _best_match(header: str, offers: tuple[str, ...]) -> str | None:
    return _accept(header).best_match(offers)


@lru_cache(maxsize=512)
def _prefers_html(header: str) -> bool:
    return _html_first(_accept(header))


def _html_first(accept: MIMEAccept) -> bool:
    return accept.best_match(["application/json", "text/html"]) == "text/html" and (
        accept["text/html"] > accept["application/json"]
    )

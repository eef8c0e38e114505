"""Content negotiation: an explicit format (token, name or media type) wins, then Accept with q-values; else 406."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from flask import request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ..formats import RDF_FORMATS
from .errors import ServiceError

# Clients name the format in different parameters: `format` (Virtuoso, Fuseki, SPARQLWrapper), `output` (Fuseki,
# Joseki, SPARQLWrapper) and `results` (SPARQLWrapper); the first one present is taken.
FORMAT_PARAMETERS = ("format", "output", "results")


@dataclass(frozen=True)
class Family:
    """The formats one kind of answer can be written in: token → media type, plus other media types and names."""

    types: dict[str, str]
    aliases: dict[str, str] = field(default_factory=dict)  # other media types clients send → token
    names: dict[str, str] = field(default_factory=dict)  # other names clients send as a format parameter → token

    @property
    def offers(self) -> tuple[str, ...]:
        return (*self.types.values(), *self.aliases)

    def token_for(self, media_type: str) -> str:
        return self.aliases.get(media_type) or next(t for t, m in self.types.items() if m == media_type)


RESULTS = Family(
    types={
        "json": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
    },
    aliases={"application/json": "json", "application/xml": "xml", "text/xml": "xml"},
    names={"srj": "json", "srx": "xml", "sparql-results+json": "json", "sparql-results+xml": "xml"},
)
GRAPHS = Family(
    types={f.token: f.media_type for f in RDF_FORMATS},
    aliases={
        "application/x-turtle": "ttl",
        "application/turtle": "ttl",
        "text/n3": "ttl",
        "text/rdf+n3": "ttl",
        "application/xml": "rdf",
        "application/json": "jsonld",
        "application/x-json+ld": "jsonld",
        "text/plain": "nt",
    },
    names={name: f.token for f in RDF_FORMATS for name in f.names},
)

JSON = Family(types={"json": "application/json"})  # the search's answer for programs


def explicit_format() -> str | None:
    """The format the request names in a parameter, if any."""
    for parameter in FORMAT_PARAMETERS:
        value = request.values.get(parameter)
        if value:
            return value
    return None


def choose(family: Family, explicit: str | None = None) -> str | None:
    """The token of the best acceptable format of `family`, or None when the client accepts none of them."""
    if explicit:
        wanted = explicit.split(";")[0].strip().lower()
        if wanted in family.types:
            return wanted
        for token, media_type in family.types.items():
            if media_type == wanted:
                return token
        return family.aliases.get(wanted) or family.names.get(wanted)
    header = request.headers.get("Accept", "")
    if not _accept(header):  # no Accept header: anything goes, so the first (default) type
        return next(iter(family.types))
    best = (
        _best_match(header, family.offers)
        if len(header) <= CACHED_HEADER
        else _accept(header).best_match(family.offers)
    )
    return None if best is None else family.token_for(best)


def require(token: str | None, family: Family) -> str:
    if token is None:
        raise ServiceError(
            406,
            "Not Acceptable",
            f"None of the requested media types can be produced; available: {', '.join(family.types.values())}",
        )
    return token


def wants_html(family: Family) -> bool:
    """True when the client ranks an HTML page strictly above every format of `family` (a browser); a client that
    ranks a data format as high or higher gets data, as its q-values say."""
    header = request.headers.get("Accept", "")
    if len(header) > CACHED_HEADER:
        return _html_first(_accept(header), family.offers)
    return _prefers_html(header, family.offers)


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
def _prefers_html(header: str, offers: tuple[str, ...]) -> bool:
    return _html_first(_accept(header), offers)


def _html_first(accept: MIMEAccept, offers: tuple[str, ...]) -> bool:
    return accept["text/html"] > max(accept[offer] for offer in offers)

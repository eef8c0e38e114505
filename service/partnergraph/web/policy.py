"""What a public query may do, decided from its tokens before anything runs: SERVICE only to allow-listed endpoints,
bounded nesting. The query workers' network sandbox (store/sandbox.py) is the independent second guard."""

from __future__ import annotations

import socket
from contextlib import suppress
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..query_shape import QueryShape, QueryTextError, read_query
from .errors import ServiceError

REFUSED = "Federation not allowed"


@dataclass(frozen=True)
class Limits:
    allowlist: tuple[str, ...]
    max_depth: int
    max_chain: int


def check_query(query: str, base: str, limits: Limits) -> QueryShape:
    """The query's shape, or a 400/403 that says what is refused and where."""
    try:
        shape = read_query(query, base)
    except QueryTextError as error:
        raise ServiceError(400, "Malformed query", f"query is not valid SPARQL: {error}") from None
    if shape.depth > limits.max_depth:
        raise ServiceError(
            400,
            "Query too deeply nested",
            f"the query nests {shape.depth} levels; at most {limits.max_depth} are accepted",
        )
    if shape.chain > limits.max_chain:
        raise ServiceError(
            400,
            "Query too long a chain",
            f"the query chains {shape.chain} operators, UNIONs or path steps; at most {limits.max_chain} are accepted",
        )
    if shape.services:
        _check_federation(query, base, shape, limits.allowlist)
    return shape


def _check_federation(query: str, base: str, shape: QueryShape, allowlist: tuple[str, ...]) -> None:
    if not allowlist:
        raise ServiceError(
            403,
            REFUSED,
            "SERVICE is disabled on this endpoint: no remote endpoint is allow-listed. "
            "Query the data here, or run the service with an allow-list (service_allowlist).",
        )
    allowed = {normalise_endpoint(entry) for entry in allowlist} - {None}
    endpoints = {normalise_endpoint(endpoint) if endpoint else None for endpoint in shape.services}
    if None in endpoints or _parsed_endpoints(query, base) != endpoints:
        raise ServiceError(
            403,
            REFUSED,
            "SERVICE with a variable or unresolvable endpoint, or a query this service cannot check, is refused; "
            f"name an allow-listed endpoint explicitly: {', '.join(allowlist)}.",
        )
    for endpoint in sorted(endpoint for endpoint in endpoints if endpoint):
        if endpoint not in allowed:
            raise ServiceError(403, REFUSED, f"SERVICE <{endpoint}> is not on the allow-list ({', '.join(allowlist)}).")


def _parsed_endpoints(query: str, base: str) -> set[str | None] | None:
    """The endpoints by rdflib's full parser, normalised: a federated query runs only when both readings agree."""
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef

    try:
        algebra = prepareQuery(query, base=base).algebra
    except Exception:  # rdflib cannot read it: no agreement, so refuse
        return None
    found: set[str | None] = set()

    def walk(node: object) -> None:
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                found.add(normalise_endpoint(str(term)) if isinstance(term, URIRef) else None)
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)

    walk(algebra)
    return found


def normalise_endpoint(iri: str) -> str | None:
    """Scheme and host lower-cased, IPv4 in dotted quads (127.1, 0x7f.1 and 2130706433 are 127.0.0.1), default port
    dropped, dot segments removed; None for what must never be reached: userinfo, other schemes, no host."""
    try:
        parts = urlsplit(iri)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc or "\\" in iri:
        return None
    host = parts.hostname.lower().rstrip(".")
    with suppress(OSError):  # a name, or IPv6, stays as it is
        host = socket.inet_ntoa(socket.inet_aton(host))
    if port in (None, 80 if scheme == "http" else 443):
        netloc = f"[{host}]" if ":" in host else host
    else:
        netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{netloc}{_remove_dot_segments(parts.path) or '/'}{query}"


def _remove_dot_segments(path: str) -> str:
    """RFC 3986, section 5.2.4."""
    output: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(output) > 1:
                output.pop()
        elif segment != ".":
            output.append(segment)
    if path.endswith(("/.", "/..")):
        output.append("")
    return "/".join(output)

"""What a public query may reach: SERVICE only to allow-listed endpoints, found without executing anything."""

from __future__ import annotations

from ..sparql_text import uses
from .errors import ServiceError


def mentions_service(query: str) -> bool:
    """True when the query uses the SERVICE keyword (outside strings, IRIs, comments and names)."""
    return uses(query, "SERVICE")


def service_endpoints(query: str) -> set[str] | None:
    """The endpoint IRIs a query's SERVICE clauses name, or None when one is a variable or the query cannot be read."""
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef

    try:
        algebra = prepareQuery(query).algebra
    except Exception:
        return None
    found: set[str] = set()
    dynamic = False

    def walk(node: object) -> None:
        nonlocal dynamic
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                if isinstance(term, URIRef):
                    found.add(str(term))
                else:
                    dynamic = True
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)

    walk(algebra)
    return None if dynamic else found


def check_federation(query: str, allowlist: tuple[str, ...]) -> None:
    """Refuse a query whose SERVICE clauses reach beyond the allow-list (empty by default: no SERVICE at all)."""
    if not mentions_service(query):
        return
    if not allowlist:
        raise ServiceError(
            403,
            "Federation not allowed",
            "SERVICE is disabled on this endpoint: no remote endpoint is allow-listed. "
            "Query the data here, or run the service with an allow-list (service_allowlist).",
        )
    endpoints = service_endpoints(query)
    if endpoints is None:
        raise ServiceError(
            403,
            "Federation not allowed",
            "SERVICE with a variable endpoint, or a query this service cannot check, is refused; "
            f"name an allow-listed endpoint explicitly: {', '.join(allowlist)}.",
        )
    refused = sorted(endpoints - set(allowlist))
    if refused:
        raise ServiceError(
            403, "Federation not allowed", f"SERVICE <{refused[0]}> is not on the allow-list ({', '.join(allowlist)})."
        )

"""Run one query on a pyoxigraph store and serialise the capped answer (inside a query worker)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from ..formats import format_by_token
from .base import QueryAnswer, QueryFailed, QueryRequest
from .results import SOLUTION_WRITERS, Row, boolean

TERM_OVERHEAD = 16  # bytes a term costs in any result format beyond its text (quotes, keys, separators)


def _term(kind: str, value: str) -> ox.NamedNode | ox.Literal:
    return ox.NamedNode(value) if kind == "iri" else ox.Literal(value)


def _union_default_graph(request: QueryRequest) -> bool:
    """The union of all graphs, unless the protocol or the query itself (FROM, FROM NAMED) names the dataset."""
    return not (request.default_graphs or request.named_graphs or request.names_dataset)


def _size(term: object) -> int:
    """The bytes a term's text takes in an answer, near enough to bound the answer before it is written."""
    if isinstance(term, ox.Triple):
        return _size(term.subject) + _size(term.predicate) + _size(term.object)
    if isinstance(term, ox.Literal):
        return len(term.value) + len(term.datatype.value) + TERM_OVERHEAD
    return len(getattr(term, "value", "")) + TERM_OVERHEAD


def _graphs(parameter: str, iris: tuple[str, ...]) -> list[Any] | None:
    try:
        return [ox.NamedNode(iri) for iri in iris] or None
    except ValueError:
        bad = next(iri for iri in iris if not _is_iri(iri))
        raise QueryFailed(f"{parameter} {bad!r} is not an absolute IRI") from None


def _is_iri(text: str) -> bool:
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def execute(store: ox.Store, request: QueryRequest) -> QueryAnswer:
    """Evaluate the query string; the whole body is built here, so a failure mid-way is an error, never half a 200."""
    default_graph = _graphs("default-graph-uri", request.default_graphs)
    named_graphs = _graphs("named-graph-uri", request.named_graphs)
    try:
        answer = store.query(
            request.sparql,
            base_iri=request.base_iri,
            use_default_graph_as_union=_union_default_graph(request),
            default_graph=default_graph,
            named_graphs=named_graphs,
            substitutions={ox.Variable(name): _term(kind, value) for name, kind, value in request.bindings} or None,
        )
        if isinstance(answer, ox.QueryBoolean):
            return QueryAnswer("boolean", boolean(bool(answer), request.result_format), 1, "", request.result_format)
        if isinstance(answer, ox.QuerySolutions):
            variables = [variable.value for variable in answer.variables]
            rows: list[Row] = []
            size, truncated = 0, ""
            for solution in answer:
                row = tuple(solution)  # the terms in the order of `variables`, None where unbound
                size += sum(_size(term) for term in row if term is not None) + TERM_OVERHEAD
                truncated = "rows" if len(rows) == request.max_rows else "bytes" if size > request.max_bytes else ""
                if truncated:
                    break
                rows.append(row)
            body = SOLUTION_WRITERS[request.result_format](variables, rows, bool(truncated))
            return QueryAnswer("solutions", body, len(rows), truncated, request.result_format)
        triples: list[ox.Triple] = []
        size, truncated = 0, ""
        for triple in answer:
            size += _size(triple)
            truncated = "rows" if len(triples) == request.max_rows else "bytes" if size > request.max_bytes else ""
            if truncated:
                break
            triples.append(triple)
        rdf_format = ox.RdfFormat.from_media_type(format_by_token(request.graph_format).media_type)
        body = ox.serialize(triples, format=rdf_format) or b""
        return QueryAnswer("graph", body, len(triples), truncated, request.graph_format)
    except SyntaxError as error:
        raise QueryFailed(f"query is not valid SPARQL: {error}") from None
    except (OSError, RuntimeError, ValueError) as error:
        raise QueryFailed(f"the query failed while running: {error}", 500) from None

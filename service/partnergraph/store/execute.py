"""Run one query on a pyoxigraph store and serialise the capped answer (inside a query worker)."""

from __future__ import annotations

import pyoxigraph as ox

from ..formats import format_by_token
from ..sparql_text import uses
from .base import QueryAnswer, QueryFailed, QueryRequest
from .results import SOLUTION_WRITERS, Row, boolean


def _term(kind: str, value: str) -> ox.NamedNode | ox.Literal:
    return ox.NamedNode(value) if kind == "iri" else ox.Literal(value)


def _union_default_graph(request: QueryRequest) -> bool:
    """The union of all graphs, unless the protocol or the query itself (FROM, FROM NAMED) names the dataset."""
    return not (request.default_graphs or request.named_graphs or uses(request.sparql, "FROM"))


def execute(store: ox.Store, request: QueryRequest) -> QueryAnswer:
    """Evaluate the query string; the whole body is built here, so a failure mid-way is an error, never half a 200."""
    try:
        answer = store.query(
            request.sparql,
            use_default_graph_as_union=_union_default_graph(request),
            default_graph=[ox.NamedNode(iri) for iri in request.default_graphs] or None,
            named_graphs=[ox.NamedNode(iri) for iri in request.named_graphs] or None,
            substitutions={ox.Variable(name): _term(kind, value) for name, kind, value in request.bindings} or None,
        )
        if isinstance(answer, ox.QueryBoolean):
            return QueryAnswer("boolean", boolean(bool(answer), request.result_format), 1, False, request.result_format)
        if isinstance(answer, ox.QuerySolutions):
            variables = [variable.value for variable in answer.variables]
            rows: list[Row] = []
            truncated = False
            for solution in answer:
                if len(rows) == request.max_rows:
                    truncated = True
                    break
                rows.append([solution[variable] for variable in variables])
            body = SOLUTION_WRITERS[request.result_format](variables, rows, truncated)
            return QueryAnswer("solutions", body, len(rows), truncated, request.result_format)
        triples: list[ox.Triple] = []
        truncated = False
        for triple in answer:
            if len(triples) == request.max_rows:
                truncated = True
                break
            triples.append(triple)
        rdf_format = ox.RdfFormat.from_media_type(format_by_token(request.graph_format).media_type)
        body = ox.serialize(triples, format=rdf_format) or b""
        return QueryAnswer("graph", body, len(triples), truncated, request.graph_format)
    except SyntaxError as error:
        raise QueryFailed(f"query is not valid SPARQL: {error}") from None
    except (OSError, RuntimeError, ValueError) as error:
        raise QueryFailed(f"the query failed while running: {error}", 500) from None

"""Run one query on a pyoxigraph store and serialise the capped answer (inside a query worker)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from .answers import boolean_answer, graph_answer, solutions_answer
from .base import QueryAnswer, QueryFailed, QueryRequest


def _term(kind: str, value: str) -> ox.NamedNode | ox.Literal:
    return ox.NamedNode(value) if kind == "iri" else ox.Literal(value)


def _union_default_graph(request: QueryRequest) -> bool:
    """The union of all graphs, unless the protocol or the query itself (FROM, FROM NAMED) names the dataset."""
    return not (request.default_graphs or request.named_graphs or request.names_dataset)


def _graphs(parameter: str, iris: tuple[str, ...]) -> list[Any]:
    try:
        return [ox.NamedNode(iri) for iri in iris]
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
    default_graph: list[Any] | None = None  # the query's own FROM, or the union of all graphs
    named_graphs: list[Any] | None = None
    if request.default_graphs or request.named_graphs:  # the Protocol's dataset, whole: it overrides the query's
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
            return boolean_answer(bool(answer), request)
        if isinstance(answer, ox.QuerySolutions):
            variables = [variable.value for variable in answer.variables]
            return solutions_answer(variables, (tuple(solution) for solution in answer), request)
        return graph_answer(answer, request)
    except SyntaxError as error:
        raise QueryFailed(f"query is not valid SPARQL: {error}") from None
    except (OSError, RuntimeError, ValueError) as error:
        raise QueryFailed(f"the query failed while running: {error}", 500) from None

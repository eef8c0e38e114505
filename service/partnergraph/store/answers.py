"""Capped, serialised answers from evaluated results: the one place the row and byte bounds are applied.

The embedded engine's results and a remote store's parsed results both pass through here, so an answer is cut, and
says it was cut, the same way whichever store gave it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from ..formats import format_by_token
from .base import QueryAnswer, QueryRequest
from .results import SOLUTION_WRITERS, Row, boolean

TERM_OVERHEAD = 16  # bytes a term costs in any result format beyond its text (quotes, keys, separators)


def _size(term: object) -> int:
    """The bytes a term's text takes in an answer, near enough to bound the answer before it is written."""
    if isinstance(term, ox.Triple):
        return _size(term.subject) + _size(term.predicate) + _size(term.object)
    if isinstance(term, ox.Literal):
        return len(term.value) + len(term.datatype.value) + TERM_OVERHEAD
    return len(getattr(term, "value", "")) + TERM_OVERHEAD


def boolean_answer(value: bool, request: QueryRequest) -> QueryAnswer:
    return QueryAnswer("boolean", boolean(value, request.result_format), 1, "", request.result_format)


def solutions_answer(variables: list[str], solutions: Iterable[Row], request: QueryRequest) -> QueryAnswer:
    """Keep rows until the row or byte bound, then write them in the requested results format."""
    rows: list[Row] = []
    size, truncated = 0, ""
    for row in solutions:
        size += sum(_size(term) for term in row if term is not None) + TERM_OVERHEAD
        truncated = "rows" if len(rows) == request.max_rows else "bytes" if size > request.max_bytes else ""
        if truncated:
            break
        rows.append(row)
    body = SOLUTION_WRITERS[request.result_format](variables, rows, bool(truncated))
    return QueryAnswer("solutions", body, len(rows), truncated, request.result_format)


def graph_answer(triples: Iterable[ox.Triple], request: QueryRequest) -> QueryAnswer:
    """Keep triples until the row or byte bound, then write them in the requested RDF format."""
    kept: list[ox.Triple] = []
    size, truncated = 0, ""
    for triple in triples:
        size += _size(triple)
        truncated = "rows" if len(kept) == request.max_rows else "bytes" if size > request.max_bytes else ""
        if truncated:
            break
        kept.append(triple)
    rdf_format = ox.RdfFormat.from_media_type(format_by_token(request.graph_format).media_type)
    body = ox.serialize(kept, format=rdf_format) or b""
    return QueryAnswer("graph", body, len(kept), truncated, request.graph_format)

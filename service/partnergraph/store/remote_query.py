"""A query as a remote store must receive it: the release's graphs under their stored names, every IRI absolute,
bound values inline; and each answer's terms back under the names the release publishes.

A store keeps every release it holds under names of its own (iris.stored_graph), so a new release loads beside the
served one and readers switch in one step. The query text is rewritten token by token from the safety lexer's
reading, never by pattern matching, and every IRI written back goes through `iri_ref`, which refuses any character
that could end it early; values are written as SPARQL literals whose only escapes are the grammar's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from ..iris import ABSENT_GRAPH, iri_ref, literal
from ..query_shape import resolve_iri, unescape_local
from ..sparql_lexer import Token, scan
from .base import QueryFailed, QueryRequest
from .fidelity import STAND_IN, restore

DEFAULT_GRAPH = ""  # the key of triples a loaded file had in its default graph


@dataclass(frozen=True)
class ReleaseGraphs:
    """One release in a remote store: its name, its graphs (published IRI -> stored name) and its size."""

    release: str
    stored: dict[str, str]
    triples: int
    published: dict[str, str] = field(init=False, repr=False, compare=False)
    union: str = field(init=False, repr=False, compare=False)  # the dataset of a query that names none, encoded once

    def __post_init__(self) -> None:
        object.__setattr__(self, "published", {stored: iri for iri, stored in self.stored.items()})
        named = tuple(stored for iri, stored in self.stored.items() if iri != DEFAULT_GRAPH)
        object.__setattr__(self, "union", _encoded(tuple(self.stored.values()), named))

    def graph(self, iri: str) -> str:
        return self.stored.get(iri, ABSENT_GRAPH)

    def dataset(self, request: QueryRequest, names_dataset: bool) -> str:
        """The Protocol's default and named graphs to send (form-encoded), so the store sees the dataset the embedded
        store sees: the union of the release's graphs unless the protocol or the query (FROM, rewritten) names one."""
        if request.default_graphs or request.named_graphs:  # exactly the Protocol's (the query's FROM is dropped)
            default = tuple(map(self.graph, request.default_graphs)) or (ABSENT_GRAPH,)
            return _encoded(default, tuple(map(self.graph, request.named_graphs)) or (ABSENT_GRAPH,))
        return "" if names_dataset else self.union

    def outward(self, term: Any) -> Any:
        """A term of the store's answer as the release publishes it: stored graph names (as IRIs, or as the string
        STR() makes of one) back to the release's graph IRIs."""
        if isinstance(term, ox.NamedNode):
            iri = self.published.get(term.value)
            return term if iri is None else ox.NamedNode(iri)
        if isinstance(term, ox.Literal) and term.datatype.value.startswith(STAND_IN):
            return restore(term)
        if isinstance(term, ox.Literal) and term.value in self.published:
            published = self.published[term.value]
            return (
                ox.Literal(published, language=term.language)
                if term.language
                else ox.Literal(published, datatype=term.datatype)
            )
        if isinstance(term, ox.Triple):
            return ox.Triple(self.outward(term.subject), self.outward(term.predicate), self.outward(term.object))
        return term


def _encoded(default: tuple[str, ...], named: tuple[str, ...]) -> str:
    return urlencode([*(("default-graph-uri", g) for g in default), *(("named-graph-uri", g) for g in named)])


def _written(kind: str, value: str) -> str:
    try:
        return iri_ref(value) if kind == "iri" else literal(value)
    except ValueError as error:
        raise QueryFailed(str(error)) from None


@dataclass(frozen=True)
class RemoteQuery:
    form: str  # SELECT, CONSTRUCT, ASK or DESCRIBE
    text: str
    names_dataset: bool  # FROM or FROM NAMED


def remote_query(request: QueryRequest, graphs: ReleaseGraphs) -> RemoteQuery:
    """The query as the store must receive it."""
    text, base = request.sparql, request.base_iri
    protocol = bool(request.default_graphs or request.named_graphs)
    tokens = scan(text).tokens
    edits: list[tuple[int, int, str]] = []
    prefixes: dict[str, str] = {}
    form, where, depth, tops = "", -1, 0, 0
    for index, token in enumerate(tokens):
        before = tokens[index - 1] if index else None
        if token.kind == "keyword" and not form and token.value in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
            form = token.value
        elif protocol and (_is(token, "FROM") or (_is(token, "NAMED") and _is(before, "FROM"))):
            edits.append((token.offset, token.offset + len(token.value), ""))  # the Protocol's dataset overrides
        elif token.kind == "open":
            if token.value == "{" and depth == 0 and form and where < 0:
                tops += 1
                if form != "CONSTRUCT" or tops == 2 or _is(before, "WHERE"):
                    where = token.offset + 1
            depth += 1
        elif token.kind == "close":
            depth -= 1
        elif token.kind == "iri":
            iri = resolve_iri(token.value, base) or token.value
            end = text.index(">", token.offset) + 1
            if _is(before, "BASE"):
                base = iri
            elif before is not None and before.kind == "pname" and _is(tokens[index - 2], "PREFIX"):
                prefixes[before.value.rstrip(":")] = iri
            else:
                iri = _graph_name(iri, tokens, index, graphs)
            edits.append((token.offset, end, "" if protocol and _in_from(tokens, index) else _written("iri", iri)))
        elif token.kind == "pname" and not _is(before, "PREFIX") and not token.value.startswith("_:"):
            prefix, _, local = token.value.partition(":")
            iri = prefixes.get(prefix, "") + unescape_local(local)
            if protocol and _in_from(tokens, index):
                edits.append((token.offset, token.offset + len(token.value), ""))
            elif iri in graphs.stored or _in_from(tokens, index):
                edits.append(
                    (
                        token.offset,
                        token.offset + len(token.value),
                        _written("iri", _graph_name(iri, tokens, index, graphs)),
                    )
                )
    if request.bindings:
        if where < 0:
            raise QueryFailed("values can only be bound in a query with a WHERE clause", 500)
        names = " ".join(f"?{name}" for name, _kind, _value in request.bindings)
        values = " ".join(_written(kind, value) for _name, kind, value in request.bindings)
        edits.append((where, where, f" VALUES ({names}) {{ ({values}) }} "))
    out, at = [], 0
    for start, end, replacement in sorted(edits):
        out += [text[at:start], replacement]
        at = end
    out.append(text[at:])
    names_dataset = any(_is(token, "FROM") for token in tokens)
    return RemoteQuery(form, "".join(out), names_dataset)


def _is(token: Token | None, keyword: str) -> bool:
    return token is not None and token.kind == "keyword" and token.value == keyword


def _in_from(tokens: list[Token], index: int) -> bool:
    """The term names a graph of the query's own dataset: FROM <g> or FROM NAMED <g>."""
    before = tokens[index - 1] if index else None
    return _is(before, "FROM") or (_is(before, "NAMED") and index > 1 and _is(tokens[index - 2], "FROM"))


def _graph_name(iri: str, tokens: list[Token], index: int, graphs: ReleaseGraphs) -> str:
    """A graph of the release by its stored name; FROM a graph outside the release reads nothing, as embedded."""
    if iri in graphs.stored:
        return graphs.stored[iri]
    return ABSENT_GRAPH if _in_from(tokens, index) else iri

"""Single-pattern queries answered in the serving process, from its own in-memory copy of the release.

A lookup costs Oxigraph 40 us; sending it to a query worker and back costs several times that (a round trip over a
socket, two processes woken, the pool's bookkeeping). A query that is one triple pattern (single_pattern.py) needs
no engine and no worker: its answer is what one index scan of the store yields, in the engine's order and with its
union default graph (a triple in three graphs is three solutions, as Oxigraph gives them). Nothing the client wrote
is evaluated here, so nothing here can run away: each step of the scan yields a row, and the lane stops after
`MAX_ROWS` rows and hands anything larger to the workers, whose time limit and sandbox apply as before.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from itertools import islice

import pyoxigraph as ox

from ..single_pattern import SinglePattern, Slot, read_single_pattern
from .answers import boolean_answer, graph_answer, solutions_answer
from .base import QueryAnswer, QueryRequest, Scanned

MAX_ROWS = 250  # rows (or triples) the lane reads at most: 1.5 ms of the serving process's time (1,000: 6 ms)


class PatternLane:
    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def scan(self, predicate: str) -> Iterator[Scanned]:
        """Every triple with this predicate and an IRI subject: one index scan, no query (see Store.scan)."""
        for quad in self.store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
            subject, term = quad.subject, quad.object
            if isinstance(subject, ox.NamedNode) and not isinstance(term, ox.Triple):  # RDF-star: not a name
                language = (term.language or "") if isinstance(term, ox.Literal) else ""
                yield Scanned(subject.value, term.value, language, isinstance(term, ox.NamedNode))

    def answer(self, request: QueryRequest) -> QueryAnswer | None:
        """The answer when the query is one pattern over the whole release and small enough; otherwise None."""
        if request.default_graphs or request.named_graphs or request.bindings or request.federated:
            return None
        pattern = read_single_pattern(request.sparql)
        if pattern is None:
            return None
        try:
            terms = [_node(slot) for slot in (pattern.subject, pattern.predicate, pattern.object)]
        except ValueError:  # not a valid IRI: the engine says so, in its words
            return None
        started = time.monotonic()
        answer = self._evaluate(pattern, terms, request)
        return replace(answer, seconds=time.monotonic() - started, pattern_lane=True) if answer is not None else None

    def _evaluate(
        self, pattern: SinglePattern, terms: list[ox.NamedNode | None], request: QueryRequest
    ) -> QueryAnswer | None:
        quads = self.store.quads_for_pattern(terms[0], terms[1], terms[2], None)
        if pattern.form == "ASK":
            return boolean_answer(next(iter(quads), None) is not None, request)
        if pattern.limit is not None:  # LIMIT counts solutions, before CONSTRUCT merges equal triples
            quads = islice(quads, pattern.limit)
        wanted = min(request.max_rows + 1, MAX_ROWS + 1)  # one more than a cap tells whether it was reached
        if pattern.form == "CONSTRUCT":
            triples = _distinct(ox.Triple(q.subject, q.predicate, q.object) for q in quads)  # a graph is a set
            kept = list(islice(triples, wanted))
            return None if len(kept) > MAX_ROWS else graph_answer(kept, request)
        slots = (pattern.subject, pattern.predicate, pattern.object)
        positions = {slot.variable: index for index, slot in enumerate(slots) if slot.variable is not None}
        rows = [_row(quad, pattern.variables, positions) for quad in islice(quads, wanted)]
        return None if len(rows) > MAX_ROWS else solutions_answer(list(pattern.variables), rows, request)


def _node(slot: Slot) -> ox.NamedNode | None:
    return None if slot.iri is None else ox.NamedNode(slot.iri)


def _row(quad: ox.Quad, variables: tuple[str, ...], positions: dict[str, int]) -> tuple[object | None, ...]:
    terms = (quad.subject, quad.predicate, quad.object)
    return tuple(terms[positions[name]] if name in positions else None for name in variables)


def _distinct(triples: Iterator[ox.Triple]) -> Iterator[ox.Triple]:
    seen: set[ox.Triple] = set()
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            yield triple


__all__ = ["MAX_ROWS", "PatternLane"]

"""Typed literals a store keeps as written, or not: some engines store values, not lexical forms (Virtuoso turns
"P5Y"^^xsd:duration into "60" and "1"^^xsd:decimal into "1"^^xsd:integer).

`publish` reads each graph's typed literals back after loading. Where a store changed a value (anything but a
number's spelling), the graph is loaded again with those literals under a stand-in datatype the store keeps as text,
and the service turns them back on the way out (remote_query.ReleaseGraphs.outward): the values are the release's,
though the store cannot compare them as their type. Numbers the store respelled keep their value, and are reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..iris import RESERVED_NAMESPACE, iri_ref

STAND_IN = RESERVED_NAMESPACE + "datatype:"  # + the datatype's IRI
PROBE_GRAPH = RESERVED_NAMESPACE + "probe"
SAMPLES = 20  # distinct values of each datatype written in a probe
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {
    XSD + name
    for name in (
        *("decimal", "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger"),
        *("long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"),
        *("double", "float"),
    )
}
PLAIN = {XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


@dataclass
class Changes:
    """What a store changed in one graph's typed literals: (as written, as kept) pairs."""

    values: list[tuple[ox.Literal, ox.Literal | None]] = field(default_factory=list)
    numbers: list[tuple[ox.Literal, ox.Literal | None]] = field(default_factory=list)

    def datatypes(self) -> set[str]:
        return {written.datatype.value for written, _kept in self.values}


def typed(literal: object) -> bool:
    return isinstance(literal, ox.Literal) and literal.datatype.value not in PLAIN


def samples(dataset: ox.Store) -> dict[str, list[ox.Literal]]:
    """Up to SAMPLES distinct typed literals of each datatype in the dataset."""
    found: dict[str, set[ox.Literal]] = defaultdict(set)
    for quad in dataset:
        value = quad.object
        if isinstance(value, ox.Literal) and typed(value) and len(found[value.datatype.value]) < SAMPLES:
            found[value.datatype.value].add(value)
    return {datatype: sorted(values, key=str) for datatype, values in found.items()}


def stand_in(quad: ox.Quad, datatypes: set[str]) -> ox.Quad:
    """The quad with its object under the stand-in datatype, if its datatype is one the store does not keep."""
    value = quad.object
    if isinstance(value, ox.Literal) and value.datatype.value in datatypes:
        value = ox.Literal(value.value, datatype=ox.NamedNode(STAND_IN + value.datatype.value))
        return ox.Quad(quad.subject, quad.predicate, value, quad.graph_name)
    return quad


def restore(literal: ox.Literal) -> ox.Literal:
    """A stand-in literal as the release wrote it."""
    datatype = literal.datatype.value
    if datatype.startswith(STAND_IN):
        return ox.Literal(literal.value, datatype=ox.NamedNode(datatype[len(STAND_IN) :]))
    return literal


def read_back_query(graph: str) -> str:
    return (
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri_ref(graph)} {{ ?s ?p ?o "
        f"FILTER (isLiteral(?o) && DATATYPE(?o) != <{XSD}string> && LANG(?o) = '') }} }}"
    )


def compare(written: Iterable[ox.Quad], kept: Iterable[ox.Triple]) -> Changes:
    """Typed literals of blank-node-free triples as written against those the store gave back."""
    back: dict[tuple[str, str], set[ox.Literal]] = defaultdict(set)
    for triple in kept:
        if not isinstance(triple.subject, ox.BlankNode) and isinstance(triple.object, ox.Literal):
            back[str(triple.subject), str(triple.predicate)].add(restore(triple.object))
    changes = Changes()
    for quad in written:
        value = quad.object
        if isinstance(quad.subject, ox.BlankNode) or not isinstance(value, ox.Literal) or not typed(value):
            continue
        found = back.get((str(quad.subject), str(quad.predicate)), set())
        if value in found:
            continue
        kept_as = next(iter(found), None)
        numeric = kept_as is not None and value.datatype.value in NUMERIC
        (changes.numbers if numeric else changes.values).append((value, kept_as))
    return changes

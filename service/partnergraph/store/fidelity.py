"""Typed literals a store keeps as written, or not: some engines store values, not lexical forms (Virtuoso turns
"P5Y"^^xsd:duration into "60" and "1"^^xsd:decimal into "1"^^xsd:integer).

Before loading, `publish` writes a sample of each datatype the release uses into a probe graph and reads it back.
Where a store refuses a datatype or changes its values (anything but a number's spelling), the release's literals of
that datatype go under a stand-in datatype the store keeps as text, and the service turns them back on the way out
(remote_query.ReleaseGraphs.outward): the values are the release's, though the store cannot compare them as their
type. After loading, typed literals are counted back by datatype: numbers a store respelled under another datatype
keep their value and are reported; any other change fails the publish.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

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


class Tally(Counter[str]):
    """Typed literals written, by datatype, to compare with what the store holds after a load."""

    def counting(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        for quad in quads:
            if isinstance(quad.object, ox.Literal) and typed(quad.object):
                self[quad.object.datatype.value] += 1
            yield quad

    def against(self, kept: dict[str, int]) -> tuple[list[str], list[str]]:
        """Datatypes whose counts differ: (other datatypes, numeric ones), each as 'datatype written -> kept'."""
        changed, respelled = list[str](), list[str]()
        for datatype in sorted(set(self) | set(kept)):
            if self[datatype] != kept.get(datatype, 0):
                line = f"{datatype} {self[datatype]} -> {kept.get(datatype, 0)}"
                (respelled if datatype in NUMERIC else changed).append(line)
        return changed, respelled


def tally_query(graph: str) -> str:
    """The store's typed literals in `graph`, counted by datatype."""
    return (
        f"SELECT ?datatype (COUNT(*) AS ?n) WHERE {{ GRAPH {iri_ref(graph)} {{ ?s ?p ?o "
        f"FILTER (isLiteral(?o) && LANG(?o) = '' && DATATYPE(?o) != <{XSD}string>) "
        "BIND (DATATYPE(?o) AS ?datatype) } } GROUP BY ?datatype"
    )


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


def changed_values(written: Iterable[ox.Quad], kept: Iterable[ox.Triple]) -> list[ox.Literal]:
    """Typed literals of blank-node-free triples the store did not give back as written, numbers respelled under
    another numeric datatype aside (their value is kept)."""
    back: dict[tuple[str, str], set[ox.Literal]] = defaultdict(set)
    for triple in kept:
        if not isinstance(triple.subject, ox.BlankNode) and isinstance(triple.object, ox.Literal):
            back[str(triple.subject), str(triple.predicate)].add(restore(triple.object))
    changed = []
    for quad in written:
        value = quad.object
        if isinstance(quad.subject, ox.BlankNode) or not isinstance(value, ox.Literal) or not typed(value):
            continue
        found = back.get((str(quad.subject), str(quad.predicate)), set())
        respelled = value.datatype.value in NUMERIC and any(other.datatype.value in NUMERIC for other in found)
        if value not in found and not respelled:
            changed.append(value)
    return changed

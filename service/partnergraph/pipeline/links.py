"""Turn the reviewed link set (data/links/ror.yaml, written by `partnergraph link`) into the dataset's links part."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from ..errors import InputError
from ..iris import IriMinter, concept
from ..vocab import DCTERMS, PG, PROV, RDF, RDFS, SCHEMA, XSD
from .registry import Registry
from .sourcefile import LineDict, load_yaml

REQUIRED = ("organisation", "target", "method", "score", "record", "date", "source")


def add_links(graph: Graph, path: Path, registry: Registry, iris: IriMinter) -> None:
    """Add each link (schema:sameAs plus the bare id) and a pg:Link node with its method, score and evidence."""
    for key, entry in _entries(path, "organisation", registry):
        organisation = iris.entity("organisation", key)
        target = URIRef(str(entry["target"]))
        bare = str(target).rsplit("/", 1)[-1]
        wikidata = "wikidata.org" in str(target)
        graph.add((organisation, SCHEMA.sameAs, target))
        graph.add((organisation, PG.wikidataId if wikidata else PG.rorId, Literal(bare)))
        node = iris.link(key, "wikidata" if wikidata else "ror", bare)
        _add_link_node(graph, node, organisation, target, entry)
        if entry.get("matched_name"):
            graph.add((node, PG.matchedName, Literal(str(entry["matched_name"]))))
        if entry.get("record_status"):
            graph.add((node, PG.recordStatus, Literal(str(entry["record_status"]))))


def add_place_links(graph: Graph, path: Path, registry: Registry, iris: IriMinter) -> None:
    """Add GeoNames links for places (data/links/geonames.yaml), each with its pg:Link provenance node."""
    for key, entry in _entries(path, "place", registry):
        place = iris.entity("place", key)
        target = URIRef(str(entry["target"]))
        graph.add((place, SCHEMA.sameAs, target))
        node = iris.link(key, "geonames", str(target).rstrip("/").rsplit("/", 1)[-1])
        _add_link_node(graph, node, place, target, entry)


def _entries(path: Path, kind: str, registry: Registry) -> Iterator[tuple[str, LineDict]]:
    """The link file's entries, each checked for its fields and for naming a registry entity of the right kind."""
    entries = load_yaml(path) or []
    if not isinstance(entries, list):
        raise InputError("expected a list of links", path, 1)
    required = (kind, *REQUIRED[1:])
    for entry in entries:
        line = getattr(entry, "line", None)
        if not isinstance(entry, LineDict) or set(required) - set(entry):
            raise InputError(f"a link needs {', '.join(required)}", path, line)
        key = str(entry[kind])
        if key not in registry.entities or registry.entities[key].kind != kind:
            article = "an" if kind[0] in "aeiou" else "a"
            raise InputError(f"link for {key!r}, which is not {article} {kind} in the registry", path, line)
        yield key, entry


def _add_link_node(graph: Graph, node: URIRef, subject: URIRef, target: URIRef, entry: dict[str, object]) -> None:
    """The pg:Link provenance node every link carries: what it links, how it was found, from which record, when."""
    graph.add((node, RDF.type, PG.Link))
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, RDF.subject, subject))
    graph.add((node, RDF.predicate, SCHEMA.sameAs))
    graph.add((node, RDF.object, target))
    graph.add((node, PG.linkMethod, concept("linkmethod", str(entry["method"]))))
    graph.add((node, PG.score, Literal(str(entry["score"]), datatype=XSD.decimal)))
    graph.add((node, DCTERMS.source, URIRef(str(entry["record"]))))
    graph.add((node, PROV.generatedAtTime, Literal(str(entry["date"]), datatype=XSD.date)))
    graph.add((node, RDFS.comment, Literal(f"from {entry['source']}", lang="en")))
    for evidence in entry.get("evidence") or []:  # type: ignore[attr-defined]
        graph.add((node, PG.matchEvidence, Literal(str(evidence))))

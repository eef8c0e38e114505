"""Turn the reviewed link set (data/links/ror.yaml, written by `partnergraph link`) into the dataset's links part."""

from __future__ import annotations

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
    entries = load_yaml(path) or []
    if not isinstance(entries, list):
        raise InputError("expected a list of links", path, 1)
    for entry in entries:
        line = getattr(entry, "line", None)
        if not isinstance(entry, LineDict) or set(REQUIRED) - set(entry):
            raise InputError(f"a link needs {', '.join(REQUIRED)}", path, line)
        key = str(entry["organisation"])
        if key not in registry.entities or registry.entities[key].kind != "organisation":
            raise InputError(f"link for {key!r}, which is not an organisation in the registry", path, line)
        organisation = iris.entity("organisation", key)
        target = URIRef(str(entry["target"]))
        bare = str(target).rsplit("/", 1)[-1]
        wikidata = "wikidata.org" in str(target)
        graph.add((organisation, SCHEMA.sameAs, target))
        graph.add((organisation, PG.wikidataId if wikidata else PG.rorId, Literal(bare)))
        node = iris.link(key, "wikidata" if wikidata else "ror", bare)
        graph.add((node, RDF.type, PG.Link))
        graph.add((node, RDF.type, PROV.Entity))
        graph.add((node, RDF.subject, organisation))
        graph.add((node, RDF.predicate, SCHEMA.sameAs))
        graph.add((node, RDF.object, target))
        graph.add((node, PG.linkMethod, concept("linkmethod", str(entry["method"]))))
        graph.add((node, PG.score, Literal(str(entry["score"]), datatype=XSD.decimal)))
        graph.add((node, DCTERMS.source, URIRef(str(entry["record"]))))
        graph.add((node, PROV.generatedAtTime, Literal(str(entry["date"]), datatype=XSD.date)))
        graph.add((node, RDFS.comment, Literal(f"from {entry['source']}", lang="en")))
        if entry.get("matched_name"):
            graph.add((node, PG.matchedName, Literal(str(entry["matched_name"]))))
        if entry.get("record_status"):
            graph.add((node, PG.recordStatus, Literal(str(entry["record_status"]))))
        for evidence in entry.get("evidence") or []:
            graph.add((node, PG.matchEvidence, Literal(str(evidence))))


def add_place_links(graph: Graph, path: Path, registry: Registry, iris: IriMinter) -> None:
    """Add GeoNames links for places (data/links/geonames.yaml), each with its pg:Link provenance node."""
    for entry in load_yaml(path) or []:
        line = getattr(entry, "line", None)
        key = str(entry.get("place", "")) if isinstance(entry, dict) else ""
        if key not in registry.entities or registry.entities[key].kind != "place":
            raise InputError(f"GeoNames link for {key!r}, which is not a place in the registry", path, line)
        place = iris.entity("place", key)
        target = URIRef(str(entry["target"]))
        graph.add((place, SCHEMA.sameAs, target))
        node = iris.link(key, "geonames", str(target).rstrip("/").rsplit("/", 1)[-1])
        graph.add((node, RDF.type, PG.Link))
        graph.add((node, RDF.type, PROV.Entity))
        graph.add((node, RDF.subject, place))
        graph.add((node, RDF.predicate, SCHEMA.sameAs))
        graph.add((node, RDF.object, target))
        graph.add((node, PG.linkMethod, concept("linkmethod", str(entry["method"]))))
        graph.add((node, PG.score, Literal(str(entry["score"]), datatype=XSD.decimal)))
        graph.add((node, DCTERMS.source, URIRef(str(entry["record"]))))
        graph.add((node, PROV.generatedAtTime, Literal(str(entry["date"]), datatype=XSD.date)))
        graph.add((node, RDFS.comment, Literal(f"from {entry['source']}", lang="en")))
        for evidence in entry.get("evidence") or []:
            graph.add((node, PG.matchEvidence, Literal(str(evidence))))

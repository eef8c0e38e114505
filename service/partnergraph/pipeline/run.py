"""Documents + statements -> the dataset's parts (data, provenance, ontology, shapes) as graphs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from .. import __version__
from ..config import Settings
from ..errors import InputError
from ..iris import IriMinter
from ..vocab import PROV, RDF, RDFS
from .claims import ClaimWriter
from .documents import Document, load_documents
from .entities import add_documents, add_entities
from .links import add_links, add_place_links
from .rdfio import read_graph
from .registry import Registry, load_registry
from .statements import Fact, load_statements
from .truthy import add_truthy


@dataclass(frozen=True)
class BuiltGraph:
    """Everything one build produced, before validation and publishing."""

    parts: dict[str, Graph]
    documents: list[Document]
    registry: Registry
    facts: list[Fact]
    iris: IriMinter
    fingerprint: str


def input_files(settings: Settings) -> list[Path]:
    """Every file the build reads, in a stable order (their hash names the build)."""
    data = settings.data_dir
    files = [data / "documents.yaml", data / "registry.yaml", *sorted((data / "statements").glob("*.yaml"))]
    files += sorted((data / "links").glob("ror.yaml")) + sorted((data / "links").glob("geonames.yaml"))
    files += sorted((data / "documents").glob("*.txt"))
    return files + ontology_files(settings) + shapes_files(settings)


def ontology_files(settings: Settings) -> list[Path]:
    return sorted(settings.ontology_dir.glob("*.ttl"))


def shapes_files(settings: Settings) -> list[Path]:
    return sorted(settings.shapes_dir.glob("*.ttl"))


def build_graph(settings: Settings) -> BuiltGraph:
    """Read and check every input, then build the graph parts. Raises InputError on bad input."""
    documents = load_documents(settings.data_dir / "documents.yaml")
    registry = load_registry(settings.data_dir / "registry.yaml")
    for document in documents:
        if document.publisher not in registry.entities:
            raise InputError(
                f"publisher {document.publisher!r} of {document.id} is not in the registry",
                settings.data_dir / "documents.yaml",
            )
    ontology = read_graph(ontology_files(settings))
    shapes = read_graph(shapes_files(settings))
    by_id = {document.id: document for document in documents}
    statement_files = sorted((settings.data_dir / "statements").glob("*.yaml"))
    facts = [
        fact for path in statement_files for fact in load_statements(path, by_id, registry, settings.include_drafts)
    ]
    _check_every_document_has_statements(documents, facts, settings)

    fingerprint = _fingerprint(input_files(settings))
    iris = IriMinter(settings.base_iri)
    data, provenance = Graph(), Graph()
    add_entities(data, registry, iris)
    add_documents(provenance, documents, iris, registry)
    activity = _add_build_activity(provenance, iris, documents, fingerprint)
    writer = ClaimWriter(provenance, iris, registry, ontology, activity)
    claimed = [(fact, writer.add(fact)) for fact in facts]
    add_truthy(data, writer, claimed)
    parts = {"data": data, "provenance": provenance, "ontology": ontology, "shapes": shapes}
    link_file = settings.data_dir / "links" / "ror.yaml"
    if link_file.exists():
        links = Graph()
        add_links(links, link_file, registry, iris)
        if (place_file := settings.data_dir / "links" / "geonames.yaml").exists():
            add_place_links(links, place_file, registry, iris)
        parts["links"] = links
    return BuiltGraph(parts, documents, registry, facts, iris, fingerprint)


def _check_every_document_has_statements(documents: list[Document], facts: list[Fact], settings: Settings) -> None:
    covered = {fact.document for fact in facts}
    for document in documents:
        if document.id not in covered:
            raise InputError(
                f"document {document.id} has no statement file in data/statements/",
                settings.data_dir / "documents.yaml",
            )


def _fingerprint(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _add_build_activity(graph: Graph, iris: IriMinter, documents: list[Document], fingerprint: str) -> URIRef:
    """Record the build as a prov:Activity named by the hash of its inputs, so equal inputs give equal IRIs."""
    activity = iris.build_activity(fingerprint)
    agent = iris.site(f"id/agent/partnergraph-{__version__}")
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, RDFS.label, Literal(f"partnergraph build {fingerprint[:16]}", lang="en")))
    graph.add((activity, PROV.wasAssociatedWith, agent))
    graph.add((agent, RDF.type, PROV.SoftwareAgent))
    graph.add((agent, RDFS.label, Literal(f"partnergraph {__version__}", lang="en")))
    for document in documents:
        graph.add((activity, PROV.used, iris.document(document.id)))
    return activity

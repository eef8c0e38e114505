"""Describe documents and registry entities: the curated part of the graph (types, preferred labels)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from ..iris import IriMinter, concept
from ..vocab import DCTERMS, ORG, PG, PROV, RDF, SCHEMA, SKOS, XSD
from .classes import AGREEMENT_CLASSES, ORGANISATION_CLASSES
from .documents import Document
from .registry import Registry

LANGUAGE = "http://id.loc.gov/vocabulary/iso639-1/"


def add_documents(graph: Graph, documents: list[Document], iris: IriMinter, registry: Registry) -> None:
    """Add each source document with its fixity hash, stated dates and full text."""
    for document in documents:
        node = iris.document(document.id)
        graph.add((node, RDF.type, PG.SourceDocument))
        graph.add((node, RDF.type, SCHEMA.WebPage))
        graph.add((node, RDF.type, PROV.Entity))
        graph.add((node, DCTERMS.identifier, Literal(document.id)))
        graph.add((node, DCTERMS.title, Literal(document.title, lang=document.language)))
        graph.add((node, PG.titleStated, Literal(document.title_stated)))
        graph.add((node, DCTERMS.language, URIRef(LANGUAGE + document.language)))
        graph.add((node, PG.sha256, Literal(document.sha256)))
        graph.add((node, SCHEMA.text, Literal(document.text)))
        if document.publisher in registry.entities:
            graph.add((node, DCTERMS.publisher, iris.entity("organisation", document.publisher)))
        if document.modified:
            graph.add(
                (node, DCTERMS.modified, Literal(document.modified.lexical, datatype=XSD[document.modified.datatype]))
            )


def add_entities(graph: Graph, registry: Registry, iris: IriMinter) -> None:
    """Add every registry entity with its classes, classification and preferred labels."""
    for entity in registry.entities.values():
        node = iris.entity(entity.kind, entity.key)
        for lang, label in entity.preferred_labels().items():
            graph.add((node, SKOS.prefLabel, Literal(label, lang=lang)))
        if entity.kind == "organisation":
            assert entity.type is not None
            for cls in ORGANISATION_CLASSES[entity.type]:
                graph.add((node, RDF.type, cls))
            graph.add((node, RDF.type, ORG.Organization))
            graph.add((node, ORG.classification, concept("orgtype", entity.type)))
        elif entity.kind == "place":
            graph.add((node, RDF.type, SCHEMA.Place))
        elif entity.kind == "partnership":
            graph.add((node, RDF.type, PG.Partnership))
        elif entity.kind == "event":
            graph.add((node, RDF.type, SCHEMA.Event))
        elif entity.kind == "agreement":
            assert entity.type is not None
            graph.add((node, RDF.type, PG.Agreement))
            graph.add((node, RDF.type, AGREEMENT_CLASSES[entity.type]))

"""The release read from its VoID description for people: title, version, date, licence, how to cite, parts and
files. The landing page and the VoID page show the same facts, so they come from the description the dumps carry."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef

from ..vocab import DCAT, DCTERMS, RDF, SPDX, VOID

LICENCE_NAMES = {"https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0"}


@dataclass
class Part:
    link: str
    title: str
    triples: str
    kind: str  # "graph" or "link set"


@dataclass
class File:
    title: str
    url: str
    bytes: str
    sha256: str


@dataclass
class DatasetCard:
    iri: str
    title: str
    description: str
    version: str
    released: str
    licence: str
    licence_name: str
    endpoint: str
    triples: str
    shapes: str
    parts: list[Part] = field(default_factory=list)
    files: list[File] = field(default_factory=list)

    @property
    def citation(self) -> str:
        return f"{self.title}. Version {self.version}, released {self.released}. {self.licence_name}. {self.iri}"


def _one(graph: Graph, subject: URIRef, predicate: URIRef) -> str:
    value = graph.value(subject, predicate)
    return "" if value is None else str(value)


def dataset_card(graph: Graph, base: str) -> DatasetCard:
    """The facts of the release's VoID description, found from its dcat:Dataset; our IRIs (under `base`) become
    links on this site, where each of them answers."""

    def here(iri: str) -> str:
        return "/" + iri.removeprefix(base) if iri.startswith(base) else iri

    dataset = next(s for s in graph.subjects(RDF.type, DCAT.Dataset) if isinstance(s, URIRef))
    licence = _one(graph, dataset, DCTERMS.license)
    card = DatasetCard(
        iri=str(dataset),
        title=_one(graph, dataset, DCTERMS.title),
        description=_one(graph, dataset, DCTERMS.description),
        version=_one(graph, dataset, DCTERMS.hasVersion),
        released=_one(graph, dataset, DCTERMS.modified)[:10],
        licence=licence,
        licence_name=LICENCE_NAMES.get(licence, licence),
        endpoint=here(_one(graph, dataset, VOID.sparqlEndpoint)),
        triples=_one(graph, dataset, VOID.triples),
        shapes=here(_one(graph, dataset, DCTERMS.conformsTo)),
    )
    for part in sorted(graph.objects(dataset, VOID.subset), key=str):
        assert isinstance(part, URIRef)
        kind = "link set" if (part, RDF.type, VOID.Linkset) in graph else "graph"
        title, triples = _one(graph, part, DCTERMS.title), _one(graph, part, VOID.triples)
        card.parts.append(Part(here(str(part)), title, triples, kind))
    for distribution in sorted(graph.subjects(RDF.type, DCAT.Distribution), key=str):
        assert isinstance(distribution, URIRef)
        checksum = graph.value(distribution, SPDX.checksum)
        digest = graph.value(checksum, SPDX.checksumValue) if checksum is not None else None
        card.files.append(
            File(
                title=_one(graph, distribution, DCTERMS.title),
                url=here(_one(graph, distribution, DCAT.downloadURL)),
                bytes=_one(graph, distribution, DCAT.byteSize),
                sha256=str(digest) if isinstance(digest, Literal) else "",
            )
        )
    return card

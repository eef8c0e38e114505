"""Describe a release in VoID and DCAT: parts, triple counts, vocabularies, and every file with size and checksum."""

from __future__ import annotations

import datetime

from rdflib import Graph, Literal, URIRef

from .. import __version__
from ..iris import IriMinter
from ..vocab import DCAT, DCTERMS, ONTOLOGY_IRI, PG, PROV, RDF, SCHEMA, SPDX, VOID, XSD
from .documents import Document
from .publish import DumpFile

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
SHAPES_IRI = URIRef("https://w3id.org/partnergraph/shapes/0.1.0")
VOCABULARIES = (
    "http://www.w3.org/ns/org#",
    "http://schema.org/",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/ns/oa#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/2004/02/skos/core#",
    "http://data.europa.eu/m8g/",
    "https://w3id.org/partnergraph/ontology#",
)
TITLES = {
    "data": "Organisations, memberships, partnerships and agreements",
    "provenance": "Claims, quotes and source documents",
    "ontology": "Ontology and concept schemes",
    "shapes": "SHACL shapes",
    "links": "Links to ROR and Wikidata, with their provenance",
}
TARGETS = {
    "ror": ("https://ror.org/", URIRef("https://ror.org")),
    "wikidata": ("http://www.wikidata.org/entity/", URIRef("http://www.wikidata.org/entity/")),
    "geonames": ("https://sws.geonames.org/", URIRef("https://sws.geonames.org/")),
}


def describe(
    parts: dict[str, Graph], files: list[DumpFile], documents: list[Document], iris: IriMinter, fingerprint: str
) -> Graph:
    """Build the VoID + DCAT description of one release."""
    graph = Graph()
    for prefix, namespace in (("void", VOID), ("dcat", DCAT), ("dct", DCTERMS), ("spdx", SPDX), ("prov", PROV)):
        graph.bind(prefix, namespace)
    dataset = iris.dataset()
    modified = Literal(datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("partnergraph: Leiden University's partnerships", lang="en")))
    graph.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "Organisations named in Leiden University's partnership pages and the alliances, memberships and "
                "agreements that bind them; every statement is backed by a claim with its source and exact quote.",
                lang="en",
            ),
        )
    )
    graph.add((dataset, DCTERMS.license, LICENSE))
    graph.add((dataset, DCTERMS.modified, modified))
    graph.add((dataset, DCTERMS.conformsTo, SHAPES_IRI))
    graph.add((dataset, DCTERMS.hasVersion, Literal(fingerprint[:16])))
    graph.add((dataset, PROV.wasGeneratedBy, iris.build_activity(fingerprint)))
    graph.add((dataset, DCTERMS.creator, Literal(f"partnergraph {__version__}")))
    graph.add((dataset, VOID.uriSpace, Literal(iris.base + "id/")))
    graph.add((dataset, VOID.sparqlEndpoint, iris.site("sparql")))
    graph.add((dataset, VOID.dataDump, iris.download("dataset.nq.gz")))
    graph.add((dataset, VOID.triples, Literal(sum(len(g) for g in parts.values()), datatype=XSD.integer)))
    for vocabulary in VOCABULARIES:
        graph.add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    graph.add((dataset, VOID.vocabulary, ONTOLOGY_IRI))
    for document in documents:
        graph.add((dataset, DCTERMS.source, iris.document(document.id)))
    for name, part in parts.items():
        subset = iris.graph(name)
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, DCTERMS.title, Literal(TITLES.get(name, name), lang="en")))
        graph.add((subset, VOID.triples, Literal(len(part), datatype=XSD.integer)))
        graph.add((subset, VOID.entities, Literal(len(set(part.subjects())), datatype=XSD.integer)))
    for file in files:
        _distribution(graph, dataset, file, iris, modified)
    if "links" in parts:
        _linksets(graph, dataset, parts, iris)
    return graph


def _linksets(graph: Graph, dataset: URIRef, parts: dict[str, Graph], iris: IriMinter) -> None:
    """One void:Linkset per target, with links by method and the share of our organisations linked."""
    links, data = parts["links"], parts["data"]
    organisations = len(set(data.subjects(RDF.type, URIRef("http://www.w3.org/ns/org#Organization"))))
    places = len(set(data.subjects(RDF.type, SCHEMA.Place)))
    for name, (prefix, target) in TARGETS.items():
        nodes = [n for n in links.subjects(RDF.type, PG.Link) if str(links.value(n, RDF.object)).startswith(prefix)]
        linkset = iris.site(f"id/linkset/{name}")
        linked = len({links.value(n, RDF.subject) for n in nodes})
        total = places if name == "geonames" else organisations
        graph.add((dataset, VOID.subset, linkset))
        graph.add((linkset, RDF.type, VOID.Linkset))
        graph.add((linkset, VOID.subjectsTarget, dataset))
        graph.add((linkset, VOID.objectsTarget, target))
        graph.add((linkset, VOID.linkPredicate, SCHEMA.sameAs))
        graph.add((linkset, VOID.triples, Literal(len(nodes), datatype=XSD.integer)))
        graph.add((linkset, VOID.distinctSubjects, Literal(linked, datatype=XSD.integer)))
        graph.add(
            (
                linkset,
                DCTERMS.description,
                Literal(
                    f"{linked} of {total} {'places' if name == 'geonames' else 'organisations'} "
                    f"({100 * linked // max(total, 1)}%) linked to {name}.",
                    lang="en",
                ),
            )
        )
        methods: dict[str, int] = {}
        for node in nodes:
            method = str(links.value(node, PG.linkMethod)).rsplit("/", 1)[-1]
            methods[method] = methods.get(method, 0) + 1
        for method, count in sorted(methods.items()):
            subset = iris.site(f"id/linkset/{name}/{method}")
            graph.add((linkset, VOID.subset, subset))
            graph.add((subset, RDF.type, VOID.Linkset))
            graph.add((subset, PG.linkMethod, URIRef(f"https://w3id.org/partnergraph/concept/linkmethod/{method}")))
            graph.add((subset, VOID.triples, Literal(count, datatype=XSD.integer)))


def _distribution(graph: Graph, dataset: URIRef, file: DumpFile, iris: IriMinter, modified: Literal) -> None:
    node = iris.site(f"id/distribution/{file.name}")
    checksum = iris.site(f"id/distribution/{file.name}/sha256")
    graph.add((dataset, DCAT.distribution, node))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add(
        (
            node,
            DCTERMS.title,
            Literal(
                f"{TITLES.get(file.part, 'Whole dataset')} ({file.format.label}{', gzipped' if file.gzipped else ''})",
                lang="en",
            ),
        )
    )
    graph.add((node, DCAT.downloadURL, iris.download(file.name)))
    graph.add((node, DCAT.mediaType, URIRef(file.format.iana_iri)))
    if file.gzipped:
        graph.add((node, DCAT.compressFormat, URIRef("http://www.iana.org/assignments/media-types/application/gzip")))
    graph.add((node, DCAT.byteSize, Literal(file.size, datatype=XSD.nonNegativeInteger)))
    graph.add((node, DCTERMS.modified, modified))
    graph.add((node, DCTERMS.license, LICENSE))
    graph.add((node, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((checksum, SPDX.checksumValue, Literal(file.sha256, datatype=XSD.hexBinary)))

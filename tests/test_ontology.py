"""The ontology documents every term it mints, the code's vocabulary matches it, and no term is misspelt."""

from __future__ import annotations

from rdflib import Graph, URIRef

from partnergraph.pipeline.classes import ORGANISATION_CLASSES
from partnergraph.pipeline.run import BuiltGraph
from partnergraph.vocab import CONCEPT, DCTERMS, ONTOLOGY_IRI, OWL, PG, RDF, RDFS, SKOS, VANN

from .conftest import PROJECT


def ontology() -> Graph:
    return Graph().parse(PROJECT / "ontology/partnergraph.ttl")


def minted(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(PG))}


def test_ontology_header() -> None:
    graph = ontology()
    for predicate in (
        OWL.versionIRI,
        OWL.versionInfo,
        DCTERMS.license,
        DCTERMS.created,
        DCTERMS.modified,
        DCTERMS.title,
        VANN.preferredNamespacePrefix,
        VANN.preferredNamespaceUri,
    ):
        assert graph.value(ONTOLOGY_IRI, predicate) is not None, predicate
    assert str(graph.value(ONTOLOGY_IRI, VANN.preferredNamespaceUri)) == str(PG)


def test_every_minted_term_is_documented() -> None:
    graph = ontology()
    for term in minted(graph):
        labels = {label.language for label in graph.objects(term, RDFS.label)}
        assert "en" in labels, term
        assert (term, SKOS.definition, None) in graph, term
        assert graph.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI, term


def test_python_vocabulary_matches_the_ontology() -> None:
    declared = {str(term)[len(str(PG)) :] for term in minted(ontology())}
    in_code = set(PG.__annotations__)
    assert in_code == declared


def test_every_organisation_type_has_a_concept() -> None:
    concepts = Graph().parse(PROJECT / "ontology/concepts.ttl")
    for key in ORGANISATION_CLASSES:
        assert (CONCEPT[f"orgtype/{key}"], SKOS.inScheme, CONCEPT["orgtype"]) in concepts, key


def test_roles_are_org_roles_in_the_role_scheme() -> None:
    concepts = Graph().parse(PROJECT / "ontology/concepts.ttl")
    roles = set(concepts.subjects(SKOS.inScheme, CONCEPT["role"]))
    assert roles and all((role, RDF.type, URIRef("http://www.w3.org/ns/org#Role")) in concepts for role in roles)


def test_data_uses_only_known_terms_and_http_schema_org(built: BuiltGraph) -> None:
    """Pitfalls P10 and P14: no https://schema.org/ IRIs, and no term of our namespace the ontology lacks."""
    declared = minted(ontology())
    for part in ("data", "provenance"):
        for triple in built.parts[part]:
            for term in triple:
                assert not str(term).startswith("https://schema.org/"), triple
                if str(term).startswith(str(PG)):
                    assert term in declared, term

"""Namespaces of the reused vocabularies and of our own ontology and concept schemes."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, VOID, XSD, DefinedNamespace, URIRef

ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
CV = Namespace("http://data.europa.eu/m8g/")
VANN = Namespace("http://purl.org/vocab/vann/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SCHEMA = Namespace("http://schema.org/")  # http, not https: see pitfall P10 in the design guide
CONCEPT = Namespace("https://w3id.org/partnergraph/concept/")
ONTOLOGY_IRI = URIRef("https://w3id.org/partnergraph/ontology")


class PG(DefinedNamespace):
    """The partnergraph ontology (ontology/partnergraph.ttl); unknown terms raise instead of minting junk."""

    _NS = Namespace("https://w3id.org/partnergraph/ontology#")
    _fail = True

    Agreement: URIRef
    CooperationAgreement: URIRef
    PartnershipAgreement: URIRef
    Covenant: URIRef
    AllianceAgreement: URIRef
    FoundingDeed: URIRef
    BilateralAgreement: URIRef
    Partnership: URIRef
    Claim: URIRef
    QuantityClaim: URIRef
    SourceDocument: URIRef
    Rank: URIRef
    PreferredRank: URIRef
    NormalRank: URIRef
    DeprecatedRank: URIRef
    ValueQualifier: URIRef
    MoreThan: URIRef
    party: URIRef
    partner: URIRef
    concludedOn: URIRef
    startDate: URIRef
    endDate: URIRef
    underpins: URIRef
    incubatedAt: URIRef
    housedAt: URIRef
    implementedBy: URIRef
    coordinatedBy: URIRef
    recognisedBy: URIRef
    heldAt: URIRef
    modality: URIRef
    aim: URIRef
    acronym: URIRef
    rorId: URIRef
    wikidataId: URIRef
    evidence: URIRef
    contextEvidence: URIRef
    rank: URIRef
    rankReason: URIRef
    extractionMethod: URIRef
    numberOf: URIRef
    countedKind: URIRef
    valueQualifier: URIRef
    beforePublication: URIRef
    sha256: URIRef
    titleStated: URIRef
    Link: URIRef
    linkMethod: URIRef
    score: URIRef
    matchedName: URIRef
    matchEvidence: URIRef
    recordStatus: URIRef


__all__ = [
    "CONCEPT",
    "CV",
    "DCAT",
    "DCTERMS",
    "OA",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PG",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SDO",
    "SH",
    "SKOS",
    "SPDX",
    "VANN",
    "VOID",
    "XSD",
]

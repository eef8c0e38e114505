"""The SPARQL 1.1 Service Description of the endpoint, with its real URL."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, VOID, XSD

from .negotiation import GRAPHS, RESULTS
from .state import AppState

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
}
RDF_FORMAT_IRIS = {
    "ttl": "Turtle",
    "nt": "N-Triples",
    "rdf": "RDF_XML",
    "jsonld": "JSON-LD",
    "nq": "N-Quads",
    "trig": "TriG",
}


def describe_service(endpoint: str, app_state: AppState, triples: int) -> Graph:
    """Describe the endpoint; the description's own blank nodes are fine: it is about the service, not the data."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, SD.feature, SD.BasicFederatedQuery if app_state.config.service_allowlist else SD.EmptyGraphs))
    for token in RESULTS.types:
        graph.add((service, SD.resultFormat, URIRef(FORMATS + RESULT_FORMAT_IRIS[token])))
    for token in GRAPHS.types:
        graph.add((service, SD.resultFormat, URIRef(FORMATS + RDF_FORMAT_IRIS[token])))
    dataset = BNode()
    default = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(triples, datatype=XSD.integer)))
    return graph

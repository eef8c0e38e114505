"""The ontology IRI dereferences: documentation generated from the ontology for people, its RDF for machines."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, Response, render_template
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from ..formats import serialize_graph
from ..vocab import ONTOLOGY_IRI, PG
from .documents import required_graph
from .negotiation import GRAPHS, choose, explicit_format, require, wants_html
from .state import state

bp = Blueprint("ontology", __name__)


def _negotiated(graph: Graph, html: str) -> Response:
    if wants_html(GRAPHS):
        response = Response(html, mimetype="text/html")
    else:
        token = require(choose(GRAPHS, explicit_format()), GRAPHS)
        response = Response(serialize_graph(graph, token), mimetype=GRAPHS.types[token])
    response.headers["Vary"] = "Accept"
    return response


def _terms(graph: Graph, kind: URIRef) -> list[dict[str, object]]:
    terms: list[dict[str, object]] = []
    for term in sorted(str(s) for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(PG))):
        labels = {getattr(label, "language", None): str(label) for label in graph.objects(URIRef(term), RDFS.label)}
        terms.append(
            {
                "name": str(term)[len(str(PG)) :],
                "iri": str(term),
                "label": labels.get("en", ""),
                "nl": labels.get("nl", ""),
                "definition": str(graph.value(URIRef(term), SKOS.definition) or ""),
                "parents": [str(p) for p in graph.objects(URIRef(term), RDFS.subClassOf)]
                + [str(p) for p in graph.objects(URIRef(term), RDFS.subPropertyOf)],
                "matches": [str(m) for m in graph.objects(URIRef(term), SKOS.closeMatch)]
                + [str(m) for m in graph.objects(URIRef(term), SKOS.exactMatch)],
            }
        )
    return terms


@bp.route("/ontology")
@bp.route("/ontology/<version>")
def ontology(version: str | None = None) -> Response:
    """https://w3id.org/partnergraph/ontology and its version IRI; hash terms (#Agreement) are anchors of the page."""
    graph = required_graph("ontology")
    own = Graph()
    for triple in graph:
        if str(triple[0]).startswith(str(PG)) or triple[0] == ONTOLOGY_IRI:
            own.add(triple)
    header = {str(p).rsplit("/", 1)[-1].rsplit("#", 1)[-1]: str(o) for p, o in graph.predicate_objects(ONTOLOGY_IRI)}
    html = render_template(
        "ontology.html",
        header=header,
        classes=_terms(graph, OWL.Class),
        object_properties=_terms(graph, OWL.ObjectProperty),
        datatype_properties=_terms(graph, OWL.DatatypeProperty),
        individuals=_terms(graph, OWL.NamedIndividual),
    )
    return _negotiated(own, html)


@bp.route("/validation")
def validation() -> Response:
    """The SHACL validation report of the release served, as RDF or as a page."""
    graph = required_graph("validation-report")
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    for result in graph.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.result, result) not in graph:
            continue
        severity = str(graph.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        rows[severity].append(
            {
                "focus": str(graph.value(result, SH.focusNode)),
                "message": str(graph.value(result, SH.resultMessage)),
                "shape": str(graph.value(result, SH.sourceShape)),
            }
        )
    conforms = str(next(graph.objects(None, SH.conforms), ""))
    html = render_template("validation.html", rows=rows, conforms=conforms, base=state().iris.base)
    return _negotiated(graph, html)

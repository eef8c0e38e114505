"""Linked data: /id/… answers 303 to its page or its data (Cool URIs); pages show every fact with its evidence."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, render_template, request, url_for

from ..formats import RDF_FORMATS, serialize_graph
from ..iris import iri_ref
from ..store.base import QueryRequest
from ..vocab import CONCEPT, DCTERMS, PG, SKOS
from . import reading
from .dumps import void_description
from .errors import ServiceError
from .negotiation import GRAPHS, choose, require, wants_html
from .state import served, state
from .validators import release_validated

bp = Blueprint("resources", __name__)
LOCAL = re.compile(r"^[a-z]+(?:/[A-Za-z0-9._~-]+)+$")  # the shape of minted paths; anything else is 404 at once
EXTENSIONS = {f.extension: f.token for f in RDF_FORMATS}
PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX pg: <https://w3id.org/partnergraph/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX schema: <http://schema.org/> PREFIX dct: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
DESCRIPTION = (
    PREFIXES
    + """CONSTRUCT { ?s ?p ?o } WHERE {
    { ?this ?p ?o BIND (?this AS ?s) } UNION { ?s rdf:subject ?this ; ?p ?o }
    UNION { ?c rdf:subject ?this ; pg:evidence ?s . ?s ?p ?o }
    UNION { ?c rdf:subject ?this ; pg:evidence/oa:hasSelector ?s . ?s ?p ?o } }"""
)
OUTGOING = """SELECT ?this ?p ?o ?label WHERE { ?this ?p ?o .
    OPTIONAL { ?o skos:prefLabel|rdfs:label|dct:title ?label FILTER (LANG(?label) IN ("en", "nl", "")) } }"""
NAMING = (str(SKOS.prefLabel), str(DCTERMS.title))
TERM_LABELS = """SELECT ?term ?label WHERE { VALUES ?term { %s } ?term rdfs:label ?label
    FILTER (LANG(?label) IN ("en", "nl")) }"""
INCOMING = """SELECT ?this ?s ?p ?label WHERE { ?s ?p ?this .
    FILTER (?p NOT IN (rdf:subject, rdf:object, prov:wasDerivedFrom, oa:hasSource))
    OPTIONAL { ?s skos:prefLabel ?label
               FILTER (LANG(?label) = "en" || NOT EXISTS { ?s skos:prefLabel ?en FILTER (LANG(?en) = "en") }) } }"""
LINKS = """SELECT ?this ?target ?method ?score ?source ?status WHERE {
    ?link a pg:Link ; rdf:subject ?this ; rdf:object ?target ; pg:linkMethod/skos:prefLabel ?method ; pg:score ?score ;
          rdfs:comment ?source .
    OPTIONAL { ?link pg:recordStatus ?status } }"""
# ?this is given inline (VALUES), not bound: Oxigraph does not use a bound value to order the joins after the UNION
# (101 ms against 0.6 ms at 1M triples, measured)
EVIDENCE = """SELECT ?this ?claim ?s ?p ?o ?document ?title ?quote ?rank ?reason ?value ?context ?modality WHERE {
    VALUES ?this { %s }
    { ?claim rdf:subject ?this } UNION { ?claim rdf:object ?this }
    ?claim rdf:subject ?s ; rdf:predicate ?p ; prov:wasDerivedFrom ?source ; pg:rank ?rank ;
           pg:evidence/oa:hasSelector/oa:exact ?quote .
    OPTIONAL { ?claim rdf:object ?o } OPTIONAL { ?claim schema:value ?value }
    ?source dct:identifier ?document .
    OPTIONAL { ?claim pg:rankReason ?reason } OPTIONAL { ?source dct:title ?title }
    OPTIONAL { ?claim pg:contextEvidence/oa:hasSelector/oa:exact ?context }
    OPTIONAL { ?claim pg:modality ?modality } }"""
NAMES = """SELECT ?this ?name WHERE { VALUES ?this { %s } ?this skos:prefLabel ?name FILTER (LANG(?name) = "en") }"""


def _iri(local: str) -> str:
    """The IRI a local path stands for: concepts live in the fixed vocabulary namespace, the rest under the base."""
    if not LOCAL.match(local):
        raise ServiceError(404, "Not Found", f"/id/{local} is not an identifier of this dataset.")
    if local.startswith("concept/"):
        return str(CONCEPT) + local.removeprefix("concept/")
    return f"{state().iris.base}id/{local}"


def select(query: str, **bindings: tuple[str, str]) -> list[dict[str, dict[str, str]]]:
    """Run a SELECT with values bound to variables (never spliced into the text) and return JSON bindings."""
    bound = tuple((name, kind, value) for name, (kind, value) in bindings.items())
    job = QueryRequest(PREFIXES + query, "json", max_rows=5000, bindings=bound)
    answer = served().store.run(job, state().config.query_timeout)
    return json.loads(answer.body)["results"]["bindings"]  # type: ignore[no-any-return]


def _exists(iri: str) -> bool:
    return bool(select("SELECT ?this WHERE { { ?this ?p ?o } UNION { ?s ?p ?this } } LIMIT 1", this=("iri", iri)))


def token_extension(token: str) -> str:
    return next(f.extension for f in RDF_FORMATS if f.token == token)


@bp.route("/concept/<path:local>")
def identify_concept(local: str) -> Response:
    """Concepts of the SKOS schemes dereference like data resources."""
    return identify("concept/" + local)


@bp.route("/id/<path:local>")
def identify(local: str) -> Response:
    """The resource itself is not a document: 303 See Other to its page (browsers) or its data."""
    iri = _iri(local)
    in_store = _exists(iri)
    if not in_store and void_description(iri) is None:
        raise ServiceError(404, "Not Found", f"{iri} is not described in this dataset.")
    if in_store and wants_html(GRAPHS):
        target = url_for("resources.page", local=local)
    else:
        token = require(choose(GRAPHS), GRAPHS)
        target = url_for("resources.data", local=f"{local}.{token_extension(token)}")
    response = redirect(target, 303)
    response.headers["Vary"] = "Accept"
    return response  # type: ignore[return-value]


@bp.route("/data/<path:local>")
@release_validated
def data(local: str) -> Response:
    """The RDF description of a resource: its statements, and the claims and quotes behind them."""
    stem, _, extension = local.rpartition(".")
    if extension not in EXTENSIONS:
        raise ServiceError(404, "Not Found", f"Use one of the extensions {', '.join(EXTENSIONS)}.")
    iri = _iri(stem)
    token = EXTENSIONS[extension]
    job = QueryRequest(DESCRIPTION, graph_format="nt", max_rows=50_000, bindings=(("this", "iri", iri),))
    answer = served().store.run(job, state().config.query_timeout)
    if answer.rows > 0:
        return Response(_in_order(answer.body, token), mimetype=GRAPHS.types[token], headers=_alternates(stem))
    described = void_description(iri)  # distributions, link sets, checksums: described in the VoID graph only
    if described is None:
        raise ServiceError(404, "Not Found", f"{iri} is not described in this dataset.")
    return Response(serialize_graph(described, token), mimetype=GRAPHS.types[token], headers=_alternates(stem))


def _in_order(ntriples: bytes, token: str) -> bytes:
    """The triples sorted and written in the format `token` names: the same bytes from every store and instance,
    as the ETag (computed from release and request) promises."""
    triples = sorted(set(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)), key=str)
    rdf_format = ox.RdfFormat.from_media_type(GRAPHS.types[token])
    return ox.serialize(triples, format=rdf_format) or b""


def _alternates(local: str) -> dict[str, str]:
    links = [
        f'<{url_for("resources.data", local=f"{local}.{f.extension}")}>; rel="alternate"; type="{f.media_type}"'
        for f in RDF_FORMATS
    ]
    return {"Link": ", ".join(links)}


@bp.route("/page/<path:local>")
@release_validated
def page(local: str) -> Response:
    """A human-readable page: names, every statement in and out with labels, each with its documents and quotes."""
    iri = _iri(local)
    this = ("iri", iri)
    outgoing = [row for row in select(OUTGOING, this=this) if row["p"]["value"] not in reading.MIRRORED]
    if not outgoing:
        raise ServiceError(404, "Not Found", f"{iri} is not described in this dataset.")
    incoming = [row for row in select(INCOMING, this=this) if row["p"]["value"] not in reading.MIRRORED]
    incoming.sort(key=lambda row: (row["p"]["value"], row.get("label", row["s"])["value"].lower(), row["s"]["value"]))
    evidence = select(EVIDENCE % iri_ref(iri))
    links = {row["target"]["value"]: {k: v["value"] for k, v in row.items()} for row in select(LINKS, this=this)}
    sources = _sources(evidence)
    label: dict[str, str] = {}
    for naming in NAMING:  # a preferred name, else a document's title
        for row in outgoing:
            if row["p"]["value"] == naming:
                label.setdefault(row["o"].get("xml:lang", ""), row["o"]["value"])
    lang = reading.language()
    ontology = _term_labels({row["p"]["value"] for row in [*outgoing, *incoming]})
    groups = reading.grouped(outgoing, ontology, lang)
    unpublished = _unpublished(evidence)
    context = {
        "iri": iri,
        "label": label.get(lang) or label.get("en") or next(iter(label.values()), iri),
        "labels": label,
        "lang": lang,
        "groups": groups,
        "group_titles": reading.GROUP_TITLES.get(lang, {}),
        "summary": reading.summary(groups, lang, len({row["s"]["value"] for row in incoming})),
        "property_label": lambda p: reading.property_label(p, ontology, lang),
        "curated": reading.CURATED,
        "incoming": incoming,
        "sources": sources,
        "local": local,
        "formats": RDF_FORMATS,
        "figures": [r for r in evidence if "value" in r and r["s"]["value"] == iri],
        "unpublished": unpublished,
        "names": _names({row["o"]["value"] for row in unpublished if row.get("o", {}).get("type") == "uri"}),
        "links": links,
        "site": request.url_root.rstrip("/"),
        "base": state().iris.base,
        "concepts": str(CONCEPT),
        "ontology": str(PG),
    }
    response = Response(render_template("page.html", **context), mimetype="text/html")
    response.headers.update(_alternates(local))
    response.headers["Content-Language"] = lang
    response.vary.add("Accept-Language")
    return response


def _names(iris: set[str]) -> dict[str, str]:
    """The English names of these resources (asked separately: Virtuoso drops rows when a literal object meets an
    OPTIONAL pattern in subject position)."""
    if not iris:
        return {}
    rows = select(NAMES % " ".join(iri_ref(iri) for iri in sorted(iris)))
    return {row["this"]["value"]: row["name"]["value"] for row in rows}


def _unpublished(evidence: list[dict[str, dict[str, str]]]) -> list[dict[str, dict[str, str]]]:
    """The claims kept but not published: deprecated ones, and what the page says is planned; one row per claim."""
    rows = {
        row["claim"]["value"]: row
        for row in evidence
        if row["rank"]["value"].endswith("DeprecatedRank") or "modality" in row
    }
    return [rows[claim] for claim in sorted(rows, key=lambda c: (rows[c]["p"]["value"], rows[c]["quote"]["value"], c))]


def _sources(evidence: list[dict[str, dict[str, str]]]) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """Each statement's claims (subject, predicate, object as text), one entry per claim with its quote and, for a
    claim read from context, the passages that name what its quote leaves unnamed; in an order of their own."""
    claims: dict[str, dict[str, Any]] = {}
    for row in evidence:
        claim = claims.setdefault(row["claim"]["value"], {k: v["value"] for k, v in row.items() if k != "context"})
        claim.setdefault("context", [])
        if "context" in row and row["context"]["value"] not in claim["context"]:
            claim["context"].append(row["context"]["value"])
    sources: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for claim in claims.values():
        claim["context"].sort()
        key = (claim["s"], claim["p"], claim.get("o", claim.get("value", "")))
        sources[key].append(claim)
    for found in sources.values():
        found.sort(key=lambda source: (source["document"], source["quote"], source["rank"], source["claim"]))
    return sources


def _term_labels(terms: set[str]) -> dict[str, dict[str, str]]:
    """The ontology's English and Dutch labels of these terms (ours; reused terms have none in the store)."""
    found: dict[str, dict[str, str]] = {}
    written = " ".join(iri_ref(term) for term in sorted(terms))
    for row in select(TERM_LABELS % written) if written else []:
        found.setdefault(row["term"]["value"], {})[row["label"]["xml:lang"]] = row["label"]["value"]
    return found

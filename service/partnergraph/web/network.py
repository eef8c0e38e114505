"""The partnership network: organisations as nodes, memberships, agreements, partnerships, part-of and founding as
edges. Laid out once per release with networkx (a fixed seed, so the picture is the same on every visit), explored in
the browser with Cytoscape.js (bundled from npm), and given as a table of ties and as JSON for those who cannot or
would rather not use the picture."""

from __future__ import annotations

from functools import lru_cache
from math import sqrt

from flask import Blueprint, Response, jsonify, render_template

from .negotiation import JSON, wants_html
from .resources import select
from .state import served, state

bp = Blueprint("network", __name__)
EDGES = """SELECT ?this ?a ?b ?kind ?viaLabel WHERE {
  { ?a org:memberOf ?b BIND ("membership" AS ?kind) }
  UNION { ?a org:subOrganizationOf ?b BIND ("part" AS ?kind) }
  UNION { ?b schema:founder|schema:sponsor|schema:funder ?a BIND ("founding or funding" AS ?kind) }
  UNION { ?via pg:party ?a , ?b BIND ("agreement" AS ?kind) FILTER (STR(?a) < STR(?b))
          OPTIONAL { ?via skos:prefLabel ?viaLabel FILTER (LANG(?viaLabel) = "en") } }
  UNION { ?via pg:partner ?a , ?b BIND ("partnership" AS ?kind) FILTER (STR(?a) < STR(?b))
          OPTIONAL { ?via skos:prefLabel ?viaLabel FILTER (LANG(?viaLabel) = "en") } }
  UNION { ?a pg:incubatedAt|pg:housedAt ?b BIND ("incubated or housed" AS ?kind) }
  UNION { ?a pg:implementedBy|pg:coordinatedBy|pg:recognisedBy ?b BIND ("run or recognised" AS ?kind) }
  BIND (1 AS ?this) }"""
NODES = """SELECT ?this ?org ?label ?type ?typeLabel WHERE {
  ?org a org:Organization ; skos:prefLabel ?label ; org:classification ?type .
  OPTIONAL { ?type skos:prefLabel ?typeLabel FILTER (LANG(?typeLabel) = "en") }
  FILTER (LANG(?label) = "en" || NOT EXISTS { ?org skos:prefLabel ?en FILTER (LANG(?en) = "en") })
  BIND (1 AS ?this) }"""
WIDTH, HEIGHT = 1400, 1000
KINDS = {  # each kind of tie, and how the table of ties reads it from one organisation to the other
    "membership": "member of",
    "agreement": "party to an agreement with",
    "partnership": "partner of",
    "part": "part of",
    "founding or funding": "founded or funds",
    "incubated or housed": "started at or is housed at",
    "run or recognised": "is implemented, coordinated or recognised by",
}


@lru_cache(maxsize=2)
def _layout(base: str, release: str) -> dict[str, object]:
    """Laid out once per release served (`release` is the cache key)."""
    import networkx as nx  # here, not at the top: networkx and numpy cost the service 20 MB until someone looks

    graph = nx.Graph()
    for row in select(NODES):
        kind = row.get("typeLabel", {}).get("value") or row["type"]["value"].rsplit("/", 1)[-1]
        graph.add_node(row["org"]["value"], label=row["label"]["value"], type=kind)
    edges = []
    for row in select(EDGES):
        a, b = row["a"]["value"], row["b"]["value"]
        if a in graph and b in graph:
            graph.add_edge(a, b)
            edges.append(
                {"a": a, "b": b, "kind": row["kind"]["value"], "via": row.get("viaLabel", {}).get("value", "")}
            )
    isolated = sorted((data["label"], iri) for iri, data in graph.nodes(data=True) if graph.degree(iri) == 0)
    graph.remove_nodes_from(iri for _, iri in isolated)
    positions = nx.spring_layout(graph, seed=7, k=2.5 / sqrt(max(graph.number_of_nodes(), 1)), iterations=300)
    xs = [p[0] for p in positions.values()] or [0.0]
    ys = [p[1] for p in positions.values()] or [0.0]

    def scale(value: float, low: float, high: float, size: int) -> float:
        return 60 + (value - low) / ((high - low) or 1) * (size - 120)

    nodes = [
        {
            "iri": iri,
            "page": "/page/" + iri[len(base) + 3 :],
            "label": data["label"],
            "type": data["type"],
            "degree": graph.degree(iri),
            "x": round(scale(positions[iri][0], min(xs), max(xs), WIDTH), 1),
            "y": round(scale(positions[iri][1], min(ys), max(ys), HEIGHT), 1),
        }
        for iri, data in graph.nodes(data=True)
    ]
    nodes.sort(key=lambda node: (str(node["label"]).lower(), node["iri"]))
    label = {node["iri"]: node["label"] for node in nodes}
    edges.sort(key=lambda edge: (label[edge["a"]].lower(), edge["kind"], label[edge["b"]].lower(), edge["via"]))
    unlinked = [{"label": label, "page": "/page/" + iri[len(base) + 3 :]} for label, iri in isolated]
    return {"nodes": nodes, "edges": edges, "unlinked": unlinked}


@bp.route("/network")
def network() -> Response:
    drawn = _layout(state().iris.base, served().name)
    if not wants_html(JSON):
        return jsonify(drawn)
    pages = {str(node["iri"]): node for node in drawn["nodes"]}  # type: ignore[attr-defined]
    html = render_template("network.html", **drawn, kinds=KINDS, pages=pages)
    response = Response(html, mimetype="text/html")
    response.headers.add("Vary", "Accept")
    return response

"""A picture of the partnership network: organisations as nodes, memberships, agreements and partnerships as edges.

Laid out with networkx (deterministic seed) and drawn as SVG with each node a link to its page, so it needs no script.
"""

from __future__ import annotations

from functools import lru_cache
from math import sqrt

from flask import Blueprint, Response, render_template

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
  BIND (1 AS ?this) }"""
NODES = """SELECT ?this ?org ?label ?type WHERE {
  ?org a org:Organization ; skos:prefLabel ?label ; org:classification ?type .
  FILTER (LANG(?label) = "en" || NOT EXISTS { ?org skos:prefLabel ?en FILTER (LANG(?en) = "en") })
  BIND (1 AS ?this) }"""
WIDTH, HEIGHT = 1400, 1000


@lru_cache(maxsize=2)
def _layout(base: str, release: str) -> dict[str, object]:
    """Laid out once per release served (`release` is the cache key)."""
    import networkx as nx  # here, not at the top: networkx and numpy cost the service 20 MB until someone looks

    graph = nx.Graph()
    for row in select(NODES):
        graph.add_node(row["org"]["value"], label=row["label"]["value"], type=row["type"]["value"].rsplit("/", 1)[-1])
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
    nodes.sort(key=lambda node: node["degree"])  # hubs drawn last, so they stay on top and clickable
    where = {node["iri"]: node for node in nodes}
    lines = [
        {
            **edge,
            "x1": where[edge["a"]]["x"],
            "y1": where[edge["a"]]["y"],
            "x2": where[edge["b"]]["x"],
            "y2": where[edge["b"]]["y"],
        }
        for edge in edges
    ]
    unlinked = [{"label": label, "page": "/page/" + iri[len(base) + 3 :]} for label, iri in isolated]
    return {"nodes": nodes, "edges": lines, "width": WIDTH, "height": HEIGHT, "unlinked": unlinked}


@bp.route("/network")
def network() -> Response:
    return Response(render_template("network.html", **_layout(state().iris.base, served().name)), mimetype="text/html")

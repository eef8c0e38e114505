"""Pages for people: the landing page with figures and example queries, a query page, and name search."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request

from .dataset_card import dataset_card
from .documents import release_graph
from .errors import ServiceError
from .name_index import Found
from .negotiation import JSON, wants_html
from .paging import Paging, page_number
from .querying import run_user_query
from .resources import select
from .state import served, state
from .validators import release_validated

bp = Blueprint("browse", __name__)
FIGURES = """SELECT ?this
  (SUM(IF(?kind = "org", 1, 0)) AS ?organisations) (SUM(IF(?kind = "agreement", 1, 0)) AS ?agreements)
  (SUM(IF(?kind = "membership", 1, 0)) AS ?memberships) (SUM(IF(?kind = "claim", 1, 0)) AS ?claims)
  (SUM(IF(?kind = "document", 1, 0)) AS ?documents) WHERE {
  VALUES (?class ?kind) { (<http://www.w3.org/ns/org#Organization> "org") (pg:Agreement "agreement")
    (<http://www.w3.org/ns/org#Membership> "membership") (pg:Claim "claim") (pg:SourceDocument "document") }
  ?x a ?class . BIND (1 AS ?this) } GROUP BY ?this"""


@lru_cache(maxsize=1)
def examples(directory: Path) -> list[dict[str, str]]:
    """The example queries: each file's leading comment is its question."""
    found = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        question = " ".join(line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#"))
        found.append(
            {"name": path.stem, "question": question, "query": text, "link": "/query?" + urlencode({"query": text})}
        )
    return found


@bp.route("/")
@release_validated
def index() -> str:
    figures = {key: value["value"] for key, value in (select(FIGURES) or [{}])[0].items() if key != "this"}
    description = release_graph("void")  # none for files served with --data
    return render_template(
        "index.html",
        figures=figures,
        triples=served().store.info().triples,
        examples=examples(state().config.examples_dir),
        card=None if description is None else dataset_card(description, state().iris.base),
    )


@bp.route("/query")
@release_validated
def query_page() -> str:
    """Run a query and show its answer as a table whose IRIs link to their pages; the query stays in the URL."""
    text = request.args.get("query", "")
    page = page_number()  # checked before the query runs
    context: dict[str, object] = {"query": text, "examples": examples(state().config.examples_dir)}
    if text.strip():
        context.update(_run_for_page(text, page))
    return render_template("query_page.html", **context)


QUERY_PAGE_ROWS = 100  # rows of a SELECT answer per page; the whole answer is one download away
QUERY_PAGE_LINES = 2000  # lines of a graph answer shown


def _run_for_page(text: str, page: int) -> dict[str, object]:
    """The answer's page `page`: the answer is computed (or found in the answer cache) once, and paged here."""
    try:
        answer = run_user_query(text)
    except ServiceError as error:
        if error.status == 429:
            raise
        return {"error": error.detail}
    downloads = {
        token: "/sparql?" + urlencode({"query": text, "format": token})
        for token in (("csv", "tsv", "json", "xml") if answer.kind != "graph" else ("ttl", "nt", "jsonld", "rdf"))
    }
    result: dict[str, object] = {
        "kind": answer.kind,
        "truncated": answer.truncated,
        "downloads": downloads,
        "rows_count": answer.rows,
        "base": state().iris.base,
    }
    if answer.kind == "graph":
        lines = answer.body.decode("utf-8").splitlines()
        result["graph"] = "\n".join(lines[:QUERY_PAGE_LINES])
        result["graph_cut"] = len(lines) > QUERY_PAGE_LINES
    else:
        data = json.loads(answer.body)
        rows = data.get("results", {}).get("bindings", [])
        paging = Paging(len(rows), page, QUERY_PAGE_ROWS).check()
        result["boolean"] = data.get("boolean")
        result["variables"] = data["head"].get("vars", [])
        result["rows"] = rows[paging.first : paging.last]
        result["paging"] = paging
    return result


SEARCH_LIMIT = 100  # hits shown; the total is counted in full


VOCABULARY = """SELECT ?term ?kind (COUNT(*) AS ?uses) WHERE {
    { ?s a ?term BIND ("class" AS ?kind) } UNION { ?s ?term ?o BIND ("property" AS ?kind) } } GROUP BY ?term ?kind"""


@bp.route("/vocabulary")
@release_validated
def vocabulary() -> Response:
    """The classes and properties the dataset uses, most used first: what the editor completes."""
    found: dict[str, list[tuple[int, str]]] = {"classes": [], "properties": []}
    for row in select(VOCABULARY):
        kind = "classes" if row["kind"]["value"] == "class" else "properties"
        found[kind].append((-int(row["uses"]["value"]), row["term"]["value"]))
    return jsonify(
        {kind: [{"iri": iri, "uses": -uses} for uses, iri in sorted(terms)] for kind, terms in found.items()}
    )


@bp.route("/search")
@release_validated
def search() -> Response:
    """Find organisations, places, agreements and partnerships by any name, acronym or alias (case and accents
    folded), best matches first: exact names and acronyms, then names starting with the text, then words, then any."""
    text = request.args.get("q", "").strip()
    prefix = state().iris.base + "id/"
    found = state().names.get(served()).search(text, SEARCH_LIMIT) if len(text) >= 2 else Found([], 0, True)
    results = [
        {
            "iri": hit.iri,
            "page": "/page/" + hit.iri[len(prefix) :],
            "label": hit.label,
            "kinds": list(hit.kinds),
            "matched": list(hit.matched),
            "match": hit.rank,
        }
        for hit in found.hits
    ]
    if wants_html(JSON):
        page = render_template("search.html", q=text, hits=results, total=found.total, complete=found.complete)
        return Response(page, mimetype="text/html")
    return jsonify({"query": text, "total": found.total, "complete": found.complete, "results": results})

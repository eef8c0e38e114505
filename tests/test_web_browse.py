"""The landing page, the query page and search, over real HTTP."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlencode

import pytest

from .server import Server

BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8"


def test_landing_page_shows_figures_and_examples(server: Server) -> None:
    page = " ".join(server.get("/", Accept=BROWSER).text.split())
    assert re.search(r"80 organisations · \d+ memberships · 6 agreements · \d+ claims from 5 documents", page)
    links = re.findall(r'<li><a href="(/query\?query=[^"]+)">', page)
    assert len(links) >= 10


def test_every_example_is_one_click_from_its_answer(server: Server) -> None:
    page = server.get("/", Accept=BROWSER).text
    for link in re.findall(r'<li><a href="(/query\?query=[^"]+)">', page):
        answer = server.get(html.unescape(link), Accept=BROWSER)
        assert answer.status == 200 and 'id="results"' in answer.text and "<td>" in answer.text, link


def test_query_page_links_iris_to_pages_and_offers_downloads(server: Server) -> None:
    query = 'SELECT ?org WHERE { ?org <http://www.w3.org/2004/02/skos/core#prefLabel> "Bronovo Hospital"@en }'
    page = server.get("/query?" + urlencode({"query": query}), Accept=BROWSER).text
    assert '<a href="/page/org/bronovo">org/bronovo</a>' in page
    assert "format=csv" in page and query in html.unescape(page)  # the query stays in the editor


def test_query_page_shows_a_long_answer_a_page_at_a_time(server: Server) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 250"
    whole = json.loads(server.get("/sparql?" + urlencode({"query": query, "format": "json"})).text)
    rows = [row["s"]["value"] for row in whole["results"]["bindings"]]
    first = server.get("/query?" + urlencode({"query": query}), Accept=BROWSER).text
    assert first.count("<tr><td>") == 100 and "Rows 1–100 of 250, page 1 of 3" in first
    following = html.unescape(re.findall(r'<a href="([^"]+)" rel="next">', first)[0])
    assert "page=2" in following and "query=" in following
    second = server.get(following, Accept=BROWSER).text
    assert second.count("<tr><td>") == 100 and "Rows 101–200 of 250" in second
    cells = re.findall(r"<tr><td>(?:<a [^>]*>)?([^<]*)", second)
    assert cells[0] == rows[100].removeprefix("https://w3id.org/partnergraph/id/")
    last = server.get("/query?" + urlencode({"query": query, "page": "3"}), Accept=BROWSER).text
    assert last.count("<tr><td>") == 50 and 'rel="next"' not in last
    for bad in ("4", "0", "x", "²"):
        answer = server.get("/query?" + urlencode({"query": query, "page": bad}), Accept=BROWSER)
        assert answer.status == 400 and "page=" in answer.text, bad


def test_query_page_shows_errors_in_place(server: Server) -> None:
    page = server.get("/query?" + urlencode({"query": "SELECT * WHERE { ?s"}), Accept=BROWSER)
    assert page.status == 200 and 'id="error"' in page.text and "not valid SPARQL" in page.text
    service = server.get("/query?" + urlencode({"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}))
    assert "SERVICE is disabled" in service.text


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("LUMC", "org/lumc"),
        ("hogeschool", "org/leiden-uas"),
        ("Taalmuseum", "org/taalmuseum"),
        ("CSA", "org/cyber-security-academy"),
    ],
)
def test_search_finds_names_acronyms_and_dutch_names(server: Server, term: str, expected: str) -> None:
    reply = server.get("/search?" + urlencode({"q": term}), Accept="application/json")
    pages = [hit["page"] for hit in json.loads(reply.body)["results"]]
    assert f"/page/{expected}" in pages


def test_search_text_is_bound_not_spliced(server: Server) -> None:
    reply = server.get("/search?" + urlencode({"q": '") } } SELECT * WHERE { ?s ?p ?o } #'}), Accept="application/json")
    assert reply.status == 200 and json.loads(reply.body)["results"] == []
    assert "<h1>Search</h1>" in server.get("/search?q=leiden", Accept=BROWSER).text


def search(server: Server, text: str) -> dict[str, object]:
    reply = server.get("/search?" + urlencode({"q": text}), Accept="application/json")
    assert reply.status == 200
    return json.loads(reply.body)  # type: ignore[no-any-return]


def test_search_ranks_exact_names_and_acronyms_first_and_shows_kinds(server: Server) -> None:
    lumc = search(server, "lumc")  # case folded: the acronym as written is "LUMC"
    first = lumc["results"][0]  # type: ignore[index]
    assert first["page"] == "/page/org/lumc" and first["match"] == "exact" and "LUMC" in first["matched"]
    assert "Hospital" in first["kinds"] and "Organization" not in first["kinds"]  # the specific kinds, not ORG's
    ranks = [hit["match"] for hit in lumc["results"]]  # type: ignore[attr-defined]
    order = ["exact", "prefix", "word", "contains"]
    assert ranks == sorted(ranks, key=order.index) and "word" in ranks  # "Collaboration between TU Delft and LUMC"
    leiden = search(server, "Leiden")
    assert leiden["results"][0]["label"] == "Leiden" and leiden["results"][0]["kinds"] == ["Place"]  # type: ignore[index]
    assert leiden["total"] == len(leiden["results"]) > 20  # type: ignore[arg-type]


def test_search_page_says_how_many_matched_and_what_each_is(server: Server) -> None:
    page = server.get("/search?q=delft", Accept=BROWSER).text
    assert re.search(r"\d+ matches for “delft”", page)
    assert '<a href="/page/org/tu-delft">Delft University of Technology</a> <span class="kind">' in page


def test_vocabulary_lists_the_classes_and_properties_in_use_with_their_counts(server: Server) -> None:
    vocabulary = json.loads(server.get("/vocabulary", Accept="application/json").body)
    member_of = next(p for p in vocabulary["properties"] if p["iri"] == "http://www.w3.org/ns/org#memberOf")
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/ns/org#memberOf> ?o }"
    reply = server.get("/sparql?" + urlencode({"query": query}), Accept="application/sparql-results+json")
    assert member_of["uses"] == int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"]) > 0
    uses = [c["uses"] for c in vocabulary["classes"]]
    assert uses == sorted(uses, reverse=True) and any(c["iri"].endswith("#Organization") for c in vocabulary["classes"])

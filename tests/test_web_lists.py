"""Browsing lists with facets, filters, sorting and paging, as a page, JSON and CSV, over real HTTP."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlencode

from .server import Server

BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8"
ORG = "http://www.w3.org/ns/org#"


def listing(server: Server, name: str, **params: str) -> dict[str, object]:
    reply = server.get(f"/browse/{name}?" + urlencode(params), Accept="application/json")
    assert reply.status == 200, reply.text
    return json.loads(reply.body)  # type: ignore[no-any-return]


def count(server: Server, where: str) -> int:
    query = f"SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {where} }}"
    reply = server.get("/sparql?" + urlencode({"query": query}), Accept="application/sparql-results+json")
    return int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"])


def test_organisations_are_paged_and_sorted_by_name(server: Server) -> None:
    first = listing(server, "organisations")
    total = count(server, f"?item a <{ORG}Organization>")
    assert first["total"] == total == 80 and len(first["items"]) == 50  # type: ignore[arg-type]
    second = listing(server, "organisations", page="2")
    labels = [item["label"] for item in [*first["items"], *second["items"]]]  # type: ignore[misc]
    assert len(labels) == total and labels == sorted(labels, key=str.lower)
    backwards = listing(server, "organisations", sort="-name")
    assert backwards["items"][0]["label"] == labels[-1]  # type: ignore[index]


def test_a_facet_counts_and_filters_as_the_data_says(server: Server) -> None:
    kinds = listing(server, "organisations")["facets"]["kind"]  # type: ignore[index]
    university = next(value for value in kinds if value["value"].endswith("/orgtype/university"))
    expected = count(server, f"?item a <{ORG}Organization> ; <{ORG}classification> <{university['value']}>")
    assert university["count"] == expected > 0 and university["label"] != university["value"]  # labelled
    filtered = listing(server, "organisations", kind=university["value"])
    assert filtered["total"] == expected and {i["page"] for i in filtered["items"]} >= {"/page/org/leiden-university"}
    assert filtered["facets"]["kind"] == [{**university, "count": expected}]  # type: ignore[index]


def test_agreements_by_year_and_documents_by_language(server: Server) -> None:
    years = listing(server, "agreements")["facets"]["year"]  # type: ignore[index]
    assert years and all(len(value["value"]) == 4 for value in years)
    year = years[0]
    chosen = listing(server, "agreements", year=year["value"], sort="-date")
    assert chosen["total"] == year["count"] and all(i["date"].startswith(year["value"]) for i in chosen["items"])
    documents = listing(server, "documents")
    assert documents["total"] == 5 and documents["facets"]["language"]  # type: ignore[index]


def test_csv_is_the_whole_list_in_the_order_asked(server: Server) -> None:
    """A CSV file has no page to turn: it holds every item, where JSON and the page hold 50."""
    reply = server.get("/browse/organisations?format=csv&sort=-name")
    rows = list(csv.DictReader(io.StringIO(reply.text)))
    labels = [row["label"] for row in rows]
    assert (
        len(rows) == listing(server, "organisations")["total"] == 80 and labels == sorted(labels, key=str.lower)[::-1]
    )


def test_csv_and_page_forms_of_a_list(server: Server) -> None:
    reply = server.get("/browse/partnerships?format=csv")
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(reply.text)))
    assert len(rows) == listing(server, "partnerships")["total"] and set(rows[0]) == {"iri", "label", "date", "page"}
    page = server.get(
        "/browse/organisations?" + urlencode({"member-of": "https://w3id.org/partnergraph/id/org/lde"}), Accept=BROWSER
    )
    assert page.status == 200 and 'id="facets"' in page.text and "remove this filter" in page.text
    assert 'href="/page/org/leiden-university"' in page.text
    overview = server.get("/browse/", Accept=BROWSER)
    assert overview.status == 200 and 'href="/browse/agreements"' in overview.text


def test_bad_parameters_are_400_with_what_is_wrong(server: Server) -> None:
    cases = {
        "colour=red": "not a facet",
        "page=0": "numbered from 1",
        "page=%C2%B2": "numbered from 1",  # "²": a digit to str.isdigit, not to int()
        "year=%D9%A2%D9%A0%D9%A1%D9%A7": "four digits",  # Arabic-Indic digits
        "year=20x7": "four digits",
        "sort=size": "Sort by one of",
        "format=xlsx": "use json or csv",
        "kind=" + urlencode({"": "https://x.org/> } ?s ?p ?o {"})[1:]: "not an IRI",
    }
    for params, message in cases.items():
        reply = server.get("/browse/organisations?" + params, Accept="application/json")
        assert reply.status == 400 and message in json.loads(reply.body)["detail"], (params, reply.text)
    assert server.get("/browse/unicorns", Accept="application/json").status == 404
    quoted = listing(server, "documents", publisher='a" } ?s ?p ?o { "')  # an escaped literal, matching nothing
    assert quoted["total"] == 0

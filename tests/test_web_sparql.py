"""The SPARQL 1.1 Protocol endpoint over real HTTP against a running server."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from partnergraph.pipeline.release import Release

from .conftest import PROJECT, STORES, serving
from .server import Server

SELECT = (
    "SELECT ?o WHERE { <https://w3id.org/partnergraph/id/org/lumc> <http://www.w3.org/2004/02/skos/core#prefLabel> ?o }"
)
CONSTRUCT = "CONSTRUCT WHERE { <https://w3id.org/partnergraph/id/org/lumc> ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module", params=STORES)
def server(request: pytest.FixtureRequest, published: Release) -> Iterator[Server]:
    with serving(request, published, query_timeout="2", max_rows="100", max_body_bytes="20000") as running:
        yield running


def get_query(server: Server, query: str, **headers: str) -> object:
    return server.get("/sparql?" + urlencode({"query": query}), **headers)


def problem(reply: object) -> dict[str, object]:
    assert reply.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    return json.loads(reply.body)  # type: ignore[attr-defined,no-any-return]


def test_get_query_answers_json_with_vary_and_open_cors(server: Server) -> None:
    reply = get_query(server, SELECT)
    assert reply.status == 200 and reply.headers["content-type"].startswith("application/sparql-results+json")
    values = {b["o"]["value"] for b in json.loads(reply.body)["results"]["bindings"]}
    assert values == {"Leiden University Medical Center"}
    assert "Accept" in reply.headers["vary"] and reply.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in reply.headers


def test_post_form_and_post_direct(server: Server) -> None:
    form = server.request(
        "POST", "/sparql", urlencode({"query": SELECT}), {"Content-Type": "application/x-www-form-urlencoded"}
    )
    direct = server.request("POST", "/sparql", SELECT.encode(), {"Content-Type": "application/sparql-query"})
    assert form.status == direct.status == 200 and form.body == direct.body


def test_percent_encoded_iris_are_decoded_once(server: Server) -> None:
    query = 'SELECT ?x WHERE { BIND(<http://example.org/a%20b> AS ?x) BIND("a+b #c" AS ?y) }'
    reply = get_query(server, query)
    assert json.loads(reply.body)["results"]["bindings"][0]["x"]["value"] == "http://example.org/a%20b"


def test_malformed_query_is_400_with_the_parser_position(server: Server) -> None:
    reply = get_query(server, "SELECT * WHERE { ?s ?p }")
    detail = problem(reply)["detail"]  # the embedded engine's reading, or rdflib's where a remote store refused it
    assert reply.status == 400 and ("error at 1:" in detail or "line:1" in detail), detail


def test_two_query_parameters_are_400(server: Server) -> None:
    reply = server.get("/sparql?" + urlencode([("query", SELECT), ("query", SELECT)]))
    assert reply.status == 400 and problem(reply)["title"] == "Several queries"


def test_wrong_method_and_media_type(server: Server) -> None:
    put = server.request("PUT", "/sparql", SELECT, {"Content-Type": "application/sparql-query"})
    assert put.status == 405 and "GET" in put.headers["allow"]
    text = server.request("POST", "/sparql", SELECT, {"Content-Type": "text/plain"})
    assert text.status == 415


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_results_follow_q_values(server: Server, accept: str, expected: str) -> None:
    reply = get_query(server, SELECT, Accept=accept)
    assert reply.status == 200 and reply.headers["content-type"].startswith(expected)


def test_format_parameter_beats_accept(server: Server) -> None:
    reply = server.get(
        "/sparql?" + urlencode({"query": SELECT, "format": "csv"}), Accept="application/sparql-results+xml"
    )
    assert reply.headers["content-type"].startswith("text/csv") and reply.text.splitlines()[0] == "o"


@pytest.mark.parametrize(
    ("accept", "expected", "marker"),
    [
        ("text/turtle", "text/turtle", "<https://w3id.org/partnergraph/id/org/lumc>"),
        ("application/n-triples", "application/n-triples", "<https://w3id.org/partnergraph/id/org/lumc> "),
        ("application/ld+json", "application/ld+json", '"@id"'),
        ("application/rdf+xml", "application/rdf+xml", "rdf:RDF"),
        ("application/trig", "application/trig", "lumc"),
        ("application/n-quads", "application/n-quads", "lumc"),
    ],
)
def test_graph_results_in_every_rdf_format(server: Server, accept: str, expected: str, marker: str) -> None:
    reply = get_query(server, CONSTRUCT, Accept=accept)
    assert reply.status == 200 and reply.headers["content-type"].startswith(expected) and marker in reply.text


@pytest.mark.parametrize(
    ("query", "return_format", "expected"),
    [
        (SELECT, "json", "application/sparql-results+json"),
        (SELECT, "xml", "application/sparql-results+xml"),
        (SELECT, "csv", "text/csv"),
        (SELECT, "tsv", "text/tab-separated-values"),
        ("ASK { ?s ?p ?o }", "json", "application/sparql-results+json"),
        (CONSTRUCT, "xml", "application/rdf+xml"),  # SPARQLWrapper's default
        (CONSTRUCT, "turtle", "text/turtle"),
        (CONSTRUCT, "n3", "text/turtle"),
        (CONSTRUCT, "json-ld", "application/ld+json"),
        (CONSTRUCT, "rdf+xml", "application/rdf+xml"),
        ("DESCRIBE <https://w3id.org/partnergraph/id/org/lumc>", "turtle", "text/turtle"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_gets_every_query_form_in_the_format_it_names(
    server: Server, query: str, return_format: str, expected: str, method: str
) -> None:
    """SPARQLWrapper sends its format name as `format`, `output` and `results`, with its own Accept header."""
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(server.root + "/sparql", returnFormat=return_format)
    client.setQuery(query)
    client.setMethod(method)
    response = client.query().response
    assert response.status == 200 and response.headers["Content-Type"].startswith(expected)
    body = response.read().decode("utf-8")
    assert ("Leiden University Medical Center" in body) or ("true" in body)


def test_rdflib_sparqlstore_reads_tables_and_graphs(server: Server) -> None:
    from rdflib import Graph, Literal, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(SPARQLStore(server.root + "/sparql", returnFormat="xml"))
    assert {row[0] for row in graph.query(SELECT)} == {Literal("Leiden University Medical Center", lang="en")}
    constructed = graph.query(CONSTRUCT).graph
    assert constructed is not None and (URIRef("https://w3id.org/partnergraph/id/org/lumc"), None, None) in constructed


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),  # a browser
        ("text/turtle, text/html;q=0.5", False),  # data ranked higher
        ("application/ld+json, text/html", False),  # a tie goes to data
        ("text/html;q=0.9, application/rdf+xml;q=0.3", True),
    ],
)
def test_the_editor_is_served_only_when_html_ranks_first(server: Server, accept: str, html: bool) -> None:
    reply = server.get("/sparql", Accept=accept)
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/html") is html


def test_406_when_nothing_acceptable(server: Server) -> None:
    assert get_query(server, SELECT, Accept="image/png").status == 406
    assert get_query(server, SELECT, Accept="text/turtle").status == 406  # a table cannot be Turtle
    assert get_query(server, CONSTRUCT, Accept="text/csv").status == 406  # a graph cannot be CSV


def test_ask(server: Server) -> None:
    reply = get_query(server, "ASK { ?s ?p ?o }")
    assert json.loads(reply.body) == {"head": {}, "boolean": True}


def test_default_and_named_graph_parameters(server: Server) -> None:
    graph = "https://w3id.org/partnergraph/graph/ontology"
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://www.w3.org/ns/org#Organization> }"
    only_ontology = server.get("/sparql?" + urlencode({"query": query, "default-graph-uri": graph}))
    everything = get_query(server, query)
    count = lambda r: int(json.loads(r.body)["results"]["bindings"][0]["n"]["value"])  # noqa: E731
    assert count(only_ontology) == 0 and count(everything) == 80
    from_data = query.replace("WHERE", "FROM <https://w3id.org/partnergraph/graph/data> WHERE")
    from_ontology = query.replace("WHERE", f"FROM <{graph}> WHERE")
    assert count(get_query(server, from_data)) == 80 and count(get_query(server, from_ontology)) == 0
    named = server.get(
        "/sparql?"
        + urlencode({"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": graph})
    )
    assert {b["g"]["value"] for b in json.loads(named.body)["results"]["bindings"]} == {graph}


def test_service_description_with_the_real_endpoint_url(server: Server) -> None:
    reply = server.get("/sparql", Accept="text/turtle")
    assert reply.status == 200 and f"<{server.root}/sparql>" in reply.text
    assert "sparql-service-description#Service" in reply.text or "sd:Service" in reply.text
    page = server.get("/sparql", Accept="text/html,application/xhtml+xml,*/*;q=0.8")
    assert page.headers["content-type"].startswith("text/html") and 'id="yasgui"' in page.text


def test_relative_iris_resolve_against_the_url_each_client_asked(server: Server) -> None:
    """The endpoint's own URL is the base IRI; it is remembered per host, never shared between hosts."""
    query = "SELECT ?x WHERE { BIND (<partners/x> AS ?x) }"
    for host in ("a.example", "b.example:8080", "a.example"):
        reply = get_query(server, query, Host=host)
        assert json.loads(reply.body)["results"]["bindings"] == [
            {"x": {"type": "uri", "value": f"http://{host}/partners/x"}}
        ]


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type"),
    [
        ("GET", "/sparql?update=" + quote("CLEAR ALL"), None, None),
        ("POST", "/sparql", "update=" + quote("LOAD <http://example.org/>"), "application/x-www-form-urlencoded"),
        ("POST", "/sparql", "INSERT DATA { <a:b> <a:c> <a:d> }", "application/sparql-update"),
    ],
)
def test_updates_are_refused(
    server: Server, method: str, path: str, body: str | None, content_type: str | None
) -> None:
    reply = server.request(method, path, body, {"Content-Type": content_type} if content_type else {})
    assert reply.status == 403 and "read-only" in problem(reply)["detail"]
    assert get_query(server, "ASK { <a:b> <a:c> <a:d> }").body.endswith(b"false}")


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE", "PATCH"])
def test_graph_store_writes_are_refused(server: Server, method: str) -> None:
    reply = server.request(method, "/rdf-graph-store?default", "<a:b> <a:c> <a:d> .", {"Content-Type": "text/turtle"})
    assert reply.status == 405 and "read-only" in problem(reply)["detail"]


def test_service_is_refused_and_no_connection_is_opened(server: Server) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.5)
    port = listener.getsockname()[1]
    connected: list[object] = []

    def watch() -> None:
        with contextlib.suppress(OSError):
            connected.append(listener.accept())

    thread = threading.Thread(target=watch)
    thread.start()
    for query in (
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ service silent <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE { BIND(<http://127.0.0.1/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    ):
        reply = get_query(server, query)
        assert reply.status == 403 and "SERVICE is disabled" in problem(reply)["detail"]
    thread.join()
    listener.close()
    assert connected == []
    assert (
        get_query(server, 'SELECT * WHERE { BIND("SERVICE <http://x/>" AS ?s) }').status == 200
    )  # only the keyword counts


def test_no_iri_a_request_names_is_fetched(server: Server) -> None:
    """FROM, FROM NAMED, graph parameters, LOAD and SERVICE naming loopback, private, link-local and file: IRIs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.5)
    here = f"http://127.0.0.1:{listener.getsockname()[1]}/graph"
    count = "SELECT (COUNT(*) AS ?n) "
    answered = [
        get_query(server, f"{count} FROM <{here}> WHERE {{ ?s ?p ?o }}"),
        get_query(server, f"{count} FROM NAMED <{here}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
        get_query(server, f"{count} FROM <file:///etc/passwd> WHERE {{ ?s ?p ?o }}"),
        get_query(server, f"{count} FROM <http://169.254.169.254/latest/meta-data/> WHERE {{ ?s ?p ?o }}"),
        get_query(server, f"{count} FROM NAMED <http://10.0.0.1/> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
        server.get("/sparql?" + urlencode({"query": f"{count} WHERE {{ ?s ?p ?o }}", "default-graph-uri": here})),
        server.get("/sparql?" + urlencode({"query": f"{count} WHERE {{ ?s ?p ?o }}", "named-graph-uri": here})),
    ]
    for reply in answered:  # each names a graph inside the store, which holds no such graph: nothing to count
        assert reply.status == 200  # type: ignore[attr-defined]
        assert json.loads(reply.body)["results"]["bindings"][0]["n"]["value"] == "0"  # type: ignore[attr-defined]
    refused = [
        server.request("POST", "/sparql", f"LOAD <{here}>", {"Content-Type": "application/sparql-update"}),
        server.request(
            "POST",
            "/sparql",
            urlencode({"update": "LOAD <file:///etc/passwd>"}),
            {"Content-Type": "application/x-www-form-urlencoded"},
        ),
        get_query(server, "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }"),
        get_query(server, "SELECT * WHERE { SERVICE <http://169.254.169.254/> { ?s ?p ?o } }"),
    ]
    assert [reply.status for reply in refused] == [403] * 4  # type: ignore[attr-defined]
    with contextlib.suppress(TimeoutError):
        listener.accept()
        raise AssertionError("the service opened a connection to an IRI a request named")
    listener.close()


def test_runaway_query_is_stopped_with_503_and_others_keep_being_served(server: Server) -> None:
    results: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        results["reply"] = get_query(server, RUNAWAY)
        results["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    meanwhile = get_query(server, SELECT)
    thread.join()
    reply = results["reply"]
    assert reply.status == 503 and "stopped" in problem(reply)["detail"]  # type: ignore[attr-defined]
    assert float(results["seconds"]) < 2 + 1  # type: ignore[arg-type]
    assert meanwhile.status == 200  # type: ignore[attr-defined]
    assert get_query(server, SELECT).status == 200


def test_row_cap_is_signalled_in_header_and_body(server: Server) -> None:
    reply = get_query(server, "SELECT * WHERE { ?s ?p ?o }")
    body = json.loads(reply.body)
    assert reply.status == 200 and len(body["results"]["bindings"]) == 100
    assert reply.headers["partnergraph-result-truncated"].startswith("true")
    assert body["head"]["link"] == ["https://w3id.org/partnergraph/ontology#truncated"]
    small = get_query(server, SELECT)
    assert "partnergraph-result-truncated" not in small.headers and small.headers["partnergraph-result-rows"] == "1"


def test_oversized_body_is_413(server: Server) -> None:
    padding = "#" + "x" * 30_000 + "\n"
    reply = server.request("POST", "/sparql", padding + SELECT, {"Content-Type": "application/sparql-query"})
    assert reply.status == 413


def test_errors_are_html_for_browsers(server: Server) -> None:
    reply = get_query(server, "SELECT", Accept="text/html,application/xhtml+xml,*/*;q=0.8")
    assert (
        reply.status == 400
        and reply.headers["content-type"].startswith("text/html")
        and "Malformed query" in reply.text
    )


def test_metrics_count_requests_and_timeouts(server: Server) -> None:
    text = server.get("/metrics").text
    assert 'partnergraph_requests_total{endpoint="/sparql",status="200"}' in text
    assert "partnergraph_query_timeouts_total" in text


def test_serving_any_rdf_file_with_data(tmp_path: Path) -> None:
    turtle = tmp_path / "mine.ttl"
    turtle.write_text('<http://example.org/a> <http://example.org/name> "mine" .\n', encoding="utf-8")
    running = Server(["--data", str(turtle)], {"PARTNERGRAPH_STORE_CACHE": str(tmp_path / "stores")}, PROJECT)
    try:
        reply = get_query(running, "SELECT ?n WHERE { ?s <http://example.org/name> ?n }")
        assert json.loads(reply.body)["results"]["bindings"][0]["n"]["value"] == "mine"
        assert running.get("/download/").status == 404
    finally:
        running.stop()


def test_blank_nodes_come_back_from_every_store(server: Server) -> None:
    """Virtuoso labels blank nodes nodeID://b10000, which no results parser accepts; the answer used to be a 502
    as soon as one was among the rows (the shapes and the ontology's union classes hold some)."""
    query = "SELECT ?s ?o WHERE { ?s ?p ?o FILTER (isBlank(?s)) } LIMIT 5"
    reply = server.get("/sparql?" + urlencode({"query": query}), Accept="application/sparql-results+json")
    assert reply.status == 200, reply.text
    rows = json.loads(reply.body)["results"]["bindings"]
    assert len(rows) == 5 and all(row["s"]["type"] == "bnode" for row in rows)

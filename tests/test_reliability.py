"""The service under faults and abuse, over real HTTP: killed workers and fuzzed bad input."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from partnergraph.pipeline.release import Release

from .conftest import release_server
from .server import Server, query_workers

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SIMPLE = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def server(published: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with release_server(published, tmp_path_factory, query_timeout="5", max_body_bytes="20000") as running:
        yield running


def test_a_worker_killed_mid_query_fails_that_request_and_is_replaced(server: Server) -> None:
    before = query_workers(server)
    assert len(before) == 3  # two in the pool, one on standby
    reply: dict[str, object] = {}
    thread = threading.Thread(target=lambda: reply.update(r=server.get("/sparql?" + urlencode({"query": RUNAWAY}))))
    thread.start()
    time.sleep(1.0)
    for pid in before:  # one of them runs the query; the idle one must not cost the next request anything
        os.kill(pid, signal.SIGKILL)
    thread.join(timeout=10)
    failed = reply["r"]
    assert failed.status == 503 and b"stopped unexpectedly" in failed.body  # type: ignore[attr-defined]
    assert server.get("/sparql?" + urlencode({"query": SIMPLE})).status == 200
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and len(set(query_workers(server)) - set(before)) < 3:
        time.sleep(0.2)
    assert len(set(query_workers(server)) - set(before)) == 3 and not set(query_workers(server)) & set(before)


ACCEPTS = st.one_of(
    st.sampled_from(
        [
            "",
            "*/*",
            "text/html",
            "application/sparql-results+json;q=0.1",
            "image/*",
            "application/*;q=0.x",
            "text/turtle;q=1;q=2",
            ";;;",
            "*/*;q=-1",
            "\u00e9/\u00e9",
        ]
    ),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60),
)
QUERIES = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
    st.sampled_from(
        [
            "SELECT",
            "{" * 400,
            "SELECT * WHERE { " + "?s ?p ?o . " * 2000 + "}",
            "SELECT * WHERE { ?s ?p ?o } LIMIT -1",
            "ASK {} " + "#" * 5000,
            "%",
            "%zz",
            'SELECT * WHERE { FILTER(REGEX("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "(a+)+$")) }',
        ]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES, accept=ACCEPTS)
def test_fuzzed_get_requests_never_get_a_5xx(server: Server, query: str, accept: str) -> None:
    path = "/sparql?query=" + quote(query, safe="") + "&format=" + quote(accept[:10], safe="")
    reply = server.request("GET", path[:7000], headers={"Accept": accept} if accept else {}, timeout=20)
    assert reply.status < 500 or reply.status == 503, (reply.status, reply.body[:300])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.binary(max_size=2000),
    content_type=st.sampled_from(
        [
            "application/sparql-query",
            "application/x-www-form-urlencoded",
            "text/plain",
            "application/sparql-query; charset=latin-9",
            "multipart/form-data; boundary=x",
            "",
        ]
    ),
)
def test_fuzzed_post_bodies_never_get_a_5xx(server: Server, body: bytes, content_type: str) -> None:
    reply = server.request("POST", "/sparql", body, {"Content-Type": content_type} if content_type else {}, timeout=20)
    assert reply.status < 500 or reply.status == 503, (reply.status, reply.body[:300])


ROUTES = [
    "/",
    "/sparql",
    "/query",
    "/search",
    "/editor",
    "/network",
    "/health",
    "/metrics",
    "/ontology",
    "/ontology/0.1.0",
    "/validation",
    "/download/",
    "/download/dataset.nq.gz",
    "/.well-known/void",
    "/id/org/lumc",
    "/page/org/lumc",
    "/data/org/lumc.ttl",
    "/concept/role/member",
    "/rdf-graph-store",
]
PARAMETERS = st.sampled_from(
    ["query", "format", "output", "default-graph-uri", "named-graph-uri", "q", "update", "graph", "limit", "x"]
)
VALUES = st.one_of(
    st.sampled_from(
        ["nq", "trig", "jsonld", "csv", "xml", "json", "ttl", "html", "not an iri", "http://x/", "", "ASK {}", "%"]
    ),
    st.text(max_size=40),
)


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    route=st.sampled_from(ROUTES),
    method=st.sampled_from(["GET", "HEAD", "POST", "OPTIONS", "PUT"]),
    parameters=st.lists(st.tuples(PARAMETERS, VALUES), max_size=4),
    accept=ACCEPTS,
    content_type=st.sampled_from(
        ["", "application/sparql-query; charset=utf-7", "application/x-www-form-urlencoded; charset=hex", "text/x"]
    ),
)
@example(route="/.well-known/void", method="GET", parameters=[("format", "nq")], accept="", content_type="")
@example(route="/ontology", method="GET", parameters=[], accept="application/n-quads", content_type="")
@example(route="/validation", method="GET", parameters=[("format", "nq")], accept="", content_type="")
@example(route="/sparql", method="GET", parameters=[], accept="application/n-quads", content_type="")
@example(
    route="/sparql",
    method="GET",
    parameters=[("query", "ASK {}"), ("default-graph-uri", "not an iri")],
    accept="",
    content_type="",
)
@example(
    route="/sparql",
    method="POST",
    parameters=[("query", "ASK {}")],
    accept="",
    content_type="application/x-www-form-urlencoded; charset=hex",
)
def test_fuzzed_urls_across_the_service_never_get_a_5xx(
    server: Server, route: str, method: str, parameters: list[tuple[str, str]], accept: str, content_type: str
) -> None:
    """Every route, every method, any parameters, Accept and body charset (seeded: the same cases every run)."""
    path = route + ("?" + urlencode(parameters) if parameters else "")
    headers = {"Accept": accept} if accept else {}
    body = None
    if method in ("POST", "PUT"):
        headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
        body = urlencode(parameters) if "x-www-form" in headers["Content-Type"] else "ASK {}"
    reply = server.request(method, path, body, headers, timeout=20)
    assert reply.status < 500 or reply.status == 503, (method, path, headers, reply.status, reply.body[:300])


@pytest.mark.parametrize(
    "path",
    [
        "/sparql?query=%E0%A4%A",
        "/sparql?query=%ff%fe",
        "/page/%ff",
        "/id/org/%00",
        "/download/%2e%2e%2fvoid.ttl",
        "/sparql?" + "x=1&" * 3000,
    ],
)
def test_bad_urls_get_a_clear_4xx(server: Server, path: str) -> None:
    reply = server.request("GET", path, timeout=20)
    assert 400 <= reply.status < 500, (path, reply.status, reply.body[:200])


@pytest.mark.parametrize("path", ["/sparql?unknown=1&other=2", "/search?q=%00%ff", "/?x=%ff"])
def test_unknown_parameters_and_odd_search_text_are_tolerated(server: Server, path: str) -> None:
    assert server.request("GET", path, timeout=20).status == 200


def test_an_oversized_body_is_refused_without_reading_it(server: Server) -> None:
    """The answer comes before a byte of the announced 5 MB body is sent."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 5000000\r\n\r\n"
        )
        assert sock.recv(4096).startswith(b"HTTP/1.1 413 ")

"""Comunica (npm, installed by `make test` into tests/clients/) against a running server, on every store.

Told that the source is a SPARQL endpoint, and not told: then it must find out from what the endpoint's URL answers
under its own Accept header (which lists HTML too): the Service Description, not the editor's page."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest
from rdflib import Dataset, Namespace

from .conftest import PROJECT
from .server import Server

CLIENTS = PROJECT / "tests" / "clients"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
MEMBERS = (
    "PREFIX org: <http://www.w3.org/ns/org#> "
    "SELECT ?member WHERE { ?member org:memberOf <https://w3id.org/partnergraph/id/org/lde> }"
)
ABOUT = "CONSTRUCT WHERE { <https://w3id.org/partnergraph/id/org/lde> ?p ?o }"


def comunica(server: Server, kind: str, query: str, typed: bool) -> list[object]:
    node = shutil.which("node")
    assert node, "Node.js is missing: the README names it as a prerequisite"
    assert (CLIENTS / "node_modules" / "@comunica").is_dir(), "Comunica is missing: `make test` installs it"
    args = [node, "comunica.mjs", server.root + "/sparql", kind, query, "typed" if typed else "detect"]
    done = subprocess.run(args, cwd=CLIENTS, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def ours(server: Server, query: str, accept: str) -> bytes:
    reply = server.get("/sparql?" + urlencode({"query": query}), Accept=accept)
    assert reply.status == 200
    return reply.body


@pytest.mark.parametrize("typed", [True, False], ids=["told-sparql", "detects-sparql"])
def test_comunica_selects_asks_and_constructs(server: Server, typed: bool) -> None:
    expected = json.loads(ours(server, MEMBERS, "application/sparql-results+json"))["results"]["bindings"]
    rows = comunica(server, "select", MEMBERS, typed)
    assert sorted(row["member"] for row in rows) == sorted(b["member"]["value"] for b in expected)  # type: ignore[index]
    assert len(rows) == 3
    assert comunica(server, "ask", "ASK { ?s ?p ?o }", typed) == [True]
    triples = comunica(server, "construct", ABOUT, typed)
    lines = ours(server, ABOUT, "application/n-triples").decode().strip().splitlines()
    assert len(triples) == len(lines) > 10
    acronym = ["https://w3id.org/partnergraph/id/org/lde", "https://w3id.org/partnergraph/ontology#acronym", "LDE"]
    assert acronym in triples


def test_what_comunica_asks_of_an_unknown_url_gets_the_service_description(server: Server) -> None:
    """Comunica also treats any URL ending in /sparql as an endpoint, so the test above cannot tell whether it read
    the Service Description: here its own Accept header, recorded as it sends it, is put to the endpoint."""
    seen: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Accept", ""))
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    recorder = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=recorder.serve_forever, daemon=True).start()
    try:
        node = shutil.which("node") or "node"
        url = f"http://127.0.0.1:{recorder.server_address[1]}/resource"
        asking = [node, "comunica.mjs", url, "ask", "ASK { ?s ?p ?o }"]
        subprocess.run(asking, cwd=CLIENTS, capture_output=True, timeout=120)  # fails on the 404, as it should
    finally:
        recorder.shutdown()
        recorder.server_close()
    assert seen and "text/html" in seen[0]  # it does list HTML, below the RDF types
    reply = server.get("/sparql", Accept=seen[0])
    assert reply.status == 200 and not reply.headers["content-type"].startswith("text/html")
    description = Dataset().parse(data=reply.body, format=reply.headers["content-type"].split(";")[0])
    assert (None, SD.endpoint, None) in description

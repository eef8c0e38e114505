"""The service in front of a real SPARQL store (Oxigraph's server): publish, switch, several instances, and the
same answers as the embedded store."""

from __future__ import annotations

import http.client
import json
import os
import shlex
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import pyoxigraph as ox
import pytest

from partnergraph.pipeline.release import Release
from partnergraph.store.remote import _BlankNodeLabels

from .conftest import PROJECT, release_server, store_server
from .engines import Engine, OxigraphServer, VirtuosoServer
from .server import Server

G = "https://w3id.org/partnergraph/graph/"
MARKER_QUERY = "ASK { <http://example.org/marker> <http://example.org/is> 'B' }"


@pytest.fixture(params=[OxigraphServer, VirtuosoServer], ids=["oxigraph", "virtuoso"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A store of the test's own, so each test starts from an empty release record."""
    started = request.param.start(tmp_path / "store")
    yield started
    started.stop()


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    """An extra file that makes a second release, told apart by one triple."""
    path = tmp_path / "marker.ttl"
    path.write_text("<http://example.org/marker> <http://example.org/is> 'B' .\n", encoding="utf-8")
    return path


def publish(
    engine: Engine, release: Path, *args: str, update_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "partnergraph.cli", "publish", "--release", str(release)]
    command += ["--store-url", engine.query_url, "--update-url", update_url or engine.update_url, *args]
    env = {**os.environ, **engine.publish_env}  # the store's credentials, if it needs any
    return subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=300, env=env)


def current(engine: Engine) -> str:
    status, body = engine.ask(
        "SELECT ?name WHERE { GRAPH <urn:partnergraph:releases> { <urn:partnergraph:releases> "
        "<urn:partnergraph:current> ?r . ?r <urn:partnergraph:name> ?name } }",
        "application/sparql-results+json",
    )
    assert status == 200, body
    rows = json.loads(body)["results"]["bindings"]
    assert len(rows) <= 1, body
    return rows[0]["name"]["value"] if rows else ""


def test_publish_loads_every_graph_then_names_the_release_current(engine: Engine, published: Release) -> None:
    result = publish(engine, published.directory)
    assert result.returncode == 0, result.stderr
    for part in ("data", "provenance", "ontology", "shapes", "links"):
        assert f"{G}{part}: " in result.stdout
    assert f"now serving release {published.directory.name}" in result.stdout
    assert current(engine) == published.directory.name
    again = publish(engine, published.directory)
    assert again.returncode == 0 and "already the one served; nothing loaded" in again.stdout


def test_a_retired_release_is_served_again_without_loading_and_dropped_after_the_grace(
    engine: Engine, published: Release, marker: Path
) -> None:
    first = published.directory.name
    assert publish(engine, published.directory).returncode == 0
    second = publish(engine, published.directory, "--add", str(marker))
    assert second.returncode == 0 and "dropped" not in second.stdout  # the first stays for the grace period
    back = publish(engine, published.directory)
    assert f"now serving release {first} again" in back.stdout and current(engine) == first
    forward = publish(engine, published.directory, "--add", str(marker), "--grace", "0")
    assert "again" in forward.stdout and f"dropped release {first}" in forward.stdout
    status, body = engine.ask(
        f"ASK {{ GRAPH <urn:partnergraph:release:{first}:graph:0> {{ ?s ?p ?o }} }}", "application/sparql-results+json"
    )
    assert status == 200 and json.loads(body)["boolean"] is False  # its graphs are gone from the store


def lock_store(engine: Engine, since: int) -> None:
    """A lock as a running (or dead) publish leaves it, written straight into the store."""
    from partnergraph.store.store_writer import Credentials, StoreTarget, StoreWriter

    env = engine.publish_env
    user = env.get("PARTNERGRAPH_STORE_USER")
    credentials = Credentials(user, env["PARTNERGRAPH_STORE_PASSWORD"]) if user else None
    target = StoreTarget(
        engine.query_url, engine.update_url, None, credentials, env.get("PARTNERGRAPH_STORE_AUTH") == "digest"
    )
    StoreWriter(target).update(
        "DELETE WHERE { GRAPH <urn:partnergraph:releases> { <urn:partnergraph:publishing> ?p ?o } } ; "
        "INSERT DATA { GRAPH <urn:partnergraph:releases> { <urn:partnergraph:publishing> "
        f'<urn:partnergraph:holder> "someone-else" ; <urn:partnergraph:since> {since} }} }}',
        "locking the store for a test",
    )


def test_one_publish_at_a_time_and_a_dead_publish_s_lock_goes_stale(engine: Engine, published: Release) -> None:
    lock_store(engine, int(time.time()) - 10)  # a publish that started ten seconds ago
    refused = publish(engine, published.directory)
    assert refused.returncode == 2 and "another publish to this store is running" in refused.stderr
    assert current(engine) == ""  # nothing was loaded or switched
    lock_store(engine, int(time.time()) - 2 * 3600)  # and one that died two hours ago
    done = publish(engine, published.directory)
    assert done.returncode == 0, done.stderr
    status, body = engine.ask(
        "ASK { GRAPH <urn:partnergraph:releases> { <urn:partnergraph:publishing> ?p ?o } }",
        "application/sparql-results+json",
    )
    assert status == 200 and json.loads(body)["boolean"] is False  # a finished publish leaves no lock


def test_an_instance_without_the_release_files_serves_its_description_from_the_store(
    engine: Engine, published: Release, tmp_path: Path
) -> None:
    """An instance on another machine has no copy of the release directory: VoID, the validation report, the
    ontology and the IRIs VoID names still answer, from the documents publish stored beside the graphs."""
    from rdflib import Graph

    assert publish(engine, published.directory).returncode == 0
    elsewhere = tmp_path / "elsewhere" / "current"  # no release directory beside it
    server = Server(["--release", str(elsewhere), "--store-url", engine.query_url], {}, PROJECT)
    try:
        void = server.get("/.well-known/void", Accept="text/turtle")
        assert void.status == 200
        expected = Graph().parse(published.directory / "void.ttl", format="turtle")
        assert Graph().parse(data=void.text, format="turtle").isomorphic(expected)
        validation = server.get("/validation", Accept="text/turtle")
        assert validation.status == 200 and "ValidationReport" in validation.text
        assert server.get("/ontology", Accept="text/html").status == 200
        assert server.get("/id/distribution/data.ttl", Accept="text/turtle").status == 303
        assert server.get("/data/distribution/data.ttl.ttl").status == 200
        dump = server.get("/download/data.ttl")
        assert dump.status == 404 and "no copy of release" in json.loads(dump.body)["detail"]
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--store-url", "ftp://127.0.0.1/q"], "store_url must be an http(s) URL"),
        (["--store-url", "http://user:secret-word@127.0.0.1:9/q"], "must not carry credentials"),
        (["--store-url", "http://127.0.0.1:9/query"], "cannot read the release record"),
    ],
)
def test_publish_says_what_is_wrong_with_the_store_it_was_given(
    published: Release, args: list[str], message: str
) -> None:
    command = [sys.executable, "-m", "partnergraph.cli", "publish", "--release", str(published.directory)]
    env = {**os.environ, "PARTNERGRAPH_STORE_USER": "dba", "PARTNERGRAPH_STORE_PASSWORD": "secret-word"}
    result = subprocess.run(
        [*command, "--update-url", "http://127.0.0.1:9/update", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "secret-word" not in result.stderr


def test_serve_refuses_a_service_allow_list_in_front_of_a_store(oxigraph: Engine, published: Release) -> None:
    """In front of a store, SERVICE would run with the store's network access: nothing here could confine it, so an
    allow-list is refused at start and every SERVICE query gets 403 (the policy's default)."""
    command = [sys.executable, "-m", "partnergraph.cli", "serve", "--port", "9", "--store-url", oxigraph.query_url]
    env = {**os.environ, "PARTNERGRAPH_SERVICE_ALLOWLIST": "http://127.0.0.1:9/sparql"}
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2 and "service_allowlist cannot be used with store_url" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_says_when_the_store_holds_no_release_and_never_shows_the_password(engine: Engine) -> None:
    command = [sys.executable, "-m", "partnergraph.cli", "serve", "--port", "9", "--store-url", engine.query_url]
    env = {**os.environ, "PARTNERGRAPH_STORE_USER": "reader", "PARTNERGRAPH_STORE_PASSWORD": "secret-word"}
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2 and "holds no published release" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "secret-word" not in result.stderr


class _Failing(BaseHTTPRequestHandler):
    """Passes requests on to the store, but answers 500 to the first write into the release's third graph: a load
    that breaks off half-way."""

    target: tuple[str, int]
    failed = False

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        update = parse_qs(body.decode()).get("update", [""])[0]
        if not self.failed and update.startswith("INSERT DATA { GRAPH <") and ":graph:2> {" in update[:200]:
            type(self).failed = True
            self.send_response(500)
            self.send_header("Content-Length", "9")
            self.end_headers()
            self.wfile.write(b"disk full")
            return
        connection = http.client.HTTPConnection(*self.target, timeout=60)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
            connection.request("POST", self.path, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
        finally:
            connection.close()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() in ("www-authenticate", "content-type"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def release_of(server: Server, query: str) -> tuple[str, bool]:
    reply = server.get("/sparql?" + urlencode({"query": query}), Accept="application/sparql-results+json")
    assert reply.status == 200, reply.text
    return reply.headers["partnergraph-release"], json.loads(reply.body)["boolean"]


def test_a_load_that_breaks_off_leaves_the_served_release_whole_and_says_which_graph(
    engine: Engine, published: Release, marker: Path
) -> None:
    assert publish(engine, published.directory).returncode == 0
    handler = type("Handler", (_Failing,), {"target": ("127.0.0.1", engine.port)})
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    with store_server(engine, published, reload_interval="0.2") as server:
        broken = publish(
            engine,
            published.directory,
            "--add",
            str(marker),
            update_url=f"http://127.0.0.1:{proxy.server_port}{engine.update_path}",
        )
        assert broken.returncode == 2 and "loading graph" in broken.stderr and "HTTP 500" in broken.stderr
        assert "Traceback" not in broken.stderr
        time.sleep(0.6)
        assert release_of(server, MARKER_QUERY) == (published.directory.name, False)
        assert current(engine) == published.directory.name
        fixed = publish(engine, published.directory, "--add", str(marker))  # the unfinished load is dropped, redone
        assert fixed.returncode == 0, fixed.stderr
        deadline = time.monotonic() + 10
        while release_of(server, MARKER_QUERY)[1] is False and time.monotonic() < deadline:
            time.sleep(0.1)
        name, found = release_of(server, MARKER_QUERY)
        assert found and name.startswith(published.directory.name + "-")
    proxy.shutdown()
    proxy.server_close()


def test_two_instances_move_together_and_no_answer_mixes_two_releases(
    engine: Engine, published: Release, marker: Path
) -> None:
    assert publish(engine, published.directory).returncode == 0
    with (
        store_server(engine, published, reload_interval="0.2") as one,
        store_server(engine, published, reload_interval="0.2") as two,
    ):
        seen: list[tuple[str, bool]] = []
        stop = threading.Event()

        def client(server: Server) -> None:
            while not stop.is_set():
                seen.append(release_of(server, MARKER_QUERY + f" # {len(seen)}"))  # never from the answer cache

        clients = [threading.Thread(target=client, args=(server,)) for server in (one, two, one, two)]
        for thread in clients:
            thread.start()
        time.sleep(0.5)
        result = publish(engine, published.directory, "--add", str(marker))
        assert result.returncode == 0, result.stderr
        new = result.stdout.split("now serving release ")[1].split()[0]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if [json.loads(server.get("/health").body)["release"] for server in (one, two)] == [new, new]:
                break
            time.sleep(0.1)
        time.sleep(0.5)
        stop.set()
        for thread in clients:
            thread.join()
    assert {name for name, _ in seen} == {published.directory.name, new}
    for name, found in seen:  # each answer is wholly from the release its header names
        assert found == (name == new), (name, found)
    assert seen[-1][0] == new and seen[-2][0] == new


COMPARED = [
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    f"SELECT (COUNT(*) AS ?n) FROM <{G}data> WHERE {{ ?s ?p ?o }}",
    f"PREFIX g: <{G}> SELECT ?g (COUNT(*) AS ?n) FROM NAMED g:links WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g",
    "SELECT (COUNT(*) AS ?n) FROM <http://example.org/no-such-graph> WHERE { ?s ?p ?o }",
    "SELECT ?g (STR(?g) AS ?name) WHERE { GRAPH ?g { } }",
    f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ GRAPH <{G}ontology> {{ ?s ?p ?o }} }} GROUP BY ?p",
    "SELECT ?x WHERE { BIND (<relative/iri> AS ?x) }",
    "ASK { <https://w3id.org/partnergraph/id/org/lumc> ?p ?o }",
    "SELECT ?o WHERE { <https://w3id.org/partnergraph/id/org/lumc> ?p ?o }",
]
DIFFERENCES: dict[tuple[str, str], object] = {
    ("virtuoso", "SELECT ?g (STR(?g) AS ?name) WHERE { GRAPH ?g { } }"): [],  # an empty GRAPH pattern matches no graph
}
PROTOCOL = [
    {"default-graph-uri": f"{G}data"},
    {"named-graph-uri": f"{G}links"},
    {"default-graph-uri": f"{G}links", "named-graph-uri": f"{G}data"},
]


def _answer(server: Server, params: dict[str, str]) -> object:
    reply = server.get("/sparql?" + urlencode(params), Accept="application/sparql-results+json")
    assert reply.status == 200, reply.text
    document = json.loads(reply.body)
    if "boolean" in document:
        return document["boolean"]
    rows = (json.dumps(row, sort_keys=True).replace(server.root, "") for row in document["results"]["bindings"])
    return sorted(rows)  # relative IRIs resolve against each server's own address


@pytest.mark.parametrize("store", ["oxigraph", "virtuoso"])
def test_answers_and_dataset_semantics_match_the_embedded_store(
    published: Release, store: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    engine = request.getfixturevalue(store)
    with release_server(published, tmp_path_factory) as embedded, store_server(engine, published) as remote:
        for query in COMPARED:
            expected = _answer(embedded, {"query": query})
            if (store, query) in DIFFERENCES:  # what the engine cannot do, and the README says
                expected = DIFFERENCES[store, query]
            assert _answer(remote, {"query": query}) == expected, query
        for dataset in PROTOCOL:
            for query in COMPARED[:3]:
                params = {"query": query, **dataset}
                assert _answer(remote, params) == _answer(embedded, params), params
        for path in ("/data/org/lumc.nt", "/page/org/lumc", "/search?q=leiden", "/"):
            assert _lines(remote, path) == _lines(embedded, path), path


def _lines(server: Server, path: str) -> list[str]:
    """The document's lines in order (engines may list triples and rows in another order)."""
    reply = server.get(path)
    assert reply.status == 200, path
    return sorted(reply.text.replace(server.root, "").splitlines())


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { GRAPH <urn:partnergraph:releases> { ?s ?p ?o } }",
        "DEFINE input:grab-all 'yes' SELECT * WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s bif:contains 'x' }",
        "PREFIX b: <bif:> SELECT (b:file_to_string('/etc/passwd') AS ?x) WHERE { }",
        "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
    ],
)
def test_what_only_a_store_would_understand_is_refused_before_it_is_sent(server: Server, query: str) -> None:
    reply = server.get("/sparql?" + urlencode({"query": query}))
    assert reply.status == 400, reply.text
    assert "line 1" in json.loads(reply.body)["detail"]


def test_the_readme_example_publishes_and_serves_from_oxigraph_server(published: Release, tmp_path: Path) -> None:
    """The README's three commands, as written but for the ports (and the release this test built)."""
    lines = [line for line in (PROJECT / "README.md").read_text(encoding="utf-8").splitlines()]
    start = next(line for line in lines if line.startswith(".venv/bin/oxigraph serve"))
    publish_line = next(line for line in lines if line.startswith(".venv/bin/partnergraph publish"))
    serve_line = next(
        line for line in lines if line.startswith(".venv/bin/partnergraph serve") and "--store-url" in line
    )
    assert "--bind 127.0.0.1:7878" in start and "--location" in start
    engine = OxigraphServer.start(tmp_path / "oxigraph")
    try:
        port = f"127.0.0.1:{engine.port}"
        command = shlex.split(publish_line.replace("127.0.0.1:7878", port))[1:]
        done = subprocess.run(
            [sys.executable, "-m", "partnergraph.cli", *command, "--release", str(published.directory)],
            cwd=PROJECT,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0 and f"now serving release {published.directory.name}" in done.stdout, done.stderr
        args = shlex.split(serve_line.replace("127.0.0.1:7878", port))[2:]
        args = [arg for arg in args if arg not in ("--port", "5001")]
        server = Server([*args, "--release", str(published.directory)], {}, PROJECT)
        try:
            health = json.loads(server.get("/health").body)
            assert health["release"] == published.directory.name and health["triples"] > 10_000
        finally:
            server.stop()
    finally:
        engine.stop()


def test_what_a_store_refuses_is_explained_in_the_service_s_words_never_the_store_s(
    virtuoso: Engine, published: Release
) -> None:
    """Virtuoso 7.2 does not know SPARQL 1.2's TRIPLE(); its error names its internals (SQL pragmas, error codes)."""
    query = "SELECT ?x WHERE { BIND (TRIPLE(<http://e/a>, <http://e/b>, <http://e/c>) AS ?x) }"
    assert "SP030" in virtuoso.ask(query)[1]  # what the store itself says
    with store_server(virtuoso, published) as server:
        reply = server.get("/sparql?" + urlencode({"query": query}))
    assert reply.status == 400, reply.text
    detail = json.loads(reply.body)["detail"]
    assert detail.startswith("query is not valid SPARQL") and "line:1" in detail
    for internal in ("SP030", "Virtuoso", "define sql", "big-data-const"):
        assert internal not in reply.text


class _Stalling(BaseHTTPRequestHandler):
    """A store that starts a SPARQL JSON answer, then stalls (or drips a byte at a time): only a deadline on the
    whole answer stops the read, not a timeout per read."""

    drip = False

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head": {"vars": ["x"]}, "results": {"bindings": [')
        self.wfile.flush()
        for _ in range(100):
            time.sleep(0.2)
            if self.drip:
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:  # the service gave up and shut the connection, as it should
                    return

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize("drip", [False, True], ids=["stalls", "drips"])
def test_a_store_that_stalls_or_drips_mid_answer_is_cut_at_the_deadline(drip: bool) -> None:
    from partnergraph.store.base import QueryRequest, QueryTimeout
    from partnergraph.store.remote import RemoteStore, StoreClient
    from partnergraph.store.remote_query import ReleaseGraphs

    handler = type("Handler", (_Stalling,), {"drip": drip})
    store = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    store.daemon_threads = True
    threading.Thread(target=store.serve_forever, daemon=True).start()
    client = StoreClient(f"http://127.0.0.1:{store.server_port}/sparql", None, 2)
    remote = RemoteStore(client, ReleaseGraphs("r", {f"{G}data": "urn:partnergraph:release:r:graph:0"}, 1))
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="longer than 1 s"):
        remote.run(QueryRequest("SELECT ?x WHERE { ?x ?p ?o }", base_iri="http://h/sparql"), 1.0)
    assert time.monotonic() - started < 1.5
    client.close()
    store.shutdown()
    store.server_close()


@pytest.mark.parametrize(
    "value",
    ['") } } DROP ALL #', 'back\\slash \\" and \\u0022', "line\nbreak\rreturn\ttab", "}} ?s ?p ?o {{", "é ∀ 😀"],
)
def test_bound_values_reach_the_store_as_exactly_the_values_given(value: str) -> None:
    """Bindings are written into the store's query as SPARQL literals: whatever the text, the store reads it back
    whole (checked with pyoxigraph's own parser and evaluator), and nothing of it is read as query."""
    import pyoxigraph as ox

    from partnergraph.store.base import QueryRequest
    from partnergraph.store.remote_query import ReleaseGraphs, remote_query

    request = QueryRequest("SELECT ?this WHERE { }", bindings=(("this", "literal", value),))
    text = remote_query(request, ReleaseGraphs("r", {}, 0)).text
    [solution] = list(ox.Store().query(text))
    assert solution["this"] == ox.Literal(value)


def test_an_iri_that_could_end_early_is_refused_before_it_reaches_the_store() -> None:
    from partnergraph.store.base import QueryFailed, QueryRequest
    from partnergraph.store.remote_query import ReleaseGraphs, remote_query

    request = QueryRequest("SELECT ?this WHERE { ?this ?p ?o }", bindings=(("this", "iri", "http://e/a> } #"),))
    with pytest.raises(QueryFailed, match="not an IRI that can be written"):
        remote_query(request, ReleaseGraphs("r", {}, 0))


def test_serve_says_when_the_store_s_release_record_is_not_one_publish_wrote(tmp_path: Path) -> None:
    engine = OxigraphServer.start(tmp_path / "store")
    try:
        record = "GRAPH <urn:partnergraph:releases> { <urn:partnergraph:releases> <urn:partnergraph:current> <urn:r> ."
        record += ' <urn:r> <urn:partnergraph:name> "r" ; <urn:partnergraph:state> "complete" ;'
        record += ' <urn:partnergraph:changed> "yesterday" ; <urn:partnergraph:triples> 1 }'
        connection = http.client.HTTPConnection("127.0.0.1", engine.port, timeout=30)
        connection.request(
            "POST", "/update", body=f"INSERT DATA {{ {record} }}", headers={"Content-Type": "application/sparql-update"}
        )
        assert connection.getresponse().status == 204
        connection.close()
        command = [sys.executable, "-m", "partnergraph.cli", "serve", "--port", "9", "--store-url", engine.query_url]
        result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=60)
    finally:
        engine.stop()
    assert result.returncode == 2 and "not one `publish` wrote" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("extension", ["nt", "ttl", "jsonld"])
def test_a_data_document_has_the_same_bytes_from_every_store(
    published: Release, oxigraph: Engine, virtuoso: Engine, tmp_path_factory: pytest.TempPathFactory, extension: str
) -> None:
    """Its ETag comes from the release and the request, so every instance (behind one address, with one
    configuration) must send the same bytes for it, whatever store answers."""
    path = f"/data/org/lumc.{extension}"
    with release_server(published, tmp_path_factory) as embedded:
        expected = embedded.get(path)
        for engine in (oxigraph, virtuoso):
            with store_server(engine, published) as remote:
                reply = remote.get(path)
                assert reply.status == 200 and reply.body == expected.body, engine.name


@pytest.mark.parametrize("size", [1, 3, 7, 16, 1 << 16])
def test_virtuoso_blank_node_labels_are_repaired_across_any_chunk_boundary(size: int) -> None:
    body = (
        b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="s"/>'
        b'</head><results><result><binding name="s"><bnode>nodeID://b10000</bnode></binding></result>'
        b'<result><binding name="s"><literal>&lt;bnode>nodeID://kept as written</literal></binding></result>'
        b"</results></sparql>"
    )

    class Trickle:
        def __init__(self) -> None:
            self.at = 0

        def read(self, _: int = -1) -> bytes:
            chunk, self.at = body[self.at : self.at + size], self.at + size
            return chunk

    repaired = _BlankNodeLabels(Trickle())  # type: ignore[arg-type]
    rows = list(ox.parse_query_results(repaired, format=ox.QueryResultsFormat.XML))  # type: ignore[arg-type]
    assert [row["s"] for row in rows] == [ox.BlankNode("b10000"), ox.Literal("<bnode>nodeID://kept as written")]

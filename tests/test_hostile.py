"""A hostile client against a running server: SSRF spellings, memory and nesting bombs, orphaned workers."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from partnergraph.iris import iri_ref
from partnergraph.pipeline.release import Release
from partnergraph.store.base import QueryFailed, QueryRequest
from partnergraph.store.pool import WorkerPool
from partnergraph.store.prepare import prepare_store
from partnergraph.store.workers import WorkerLimits
from partnergraph.store.zygote import StoreSource, Zygote

from .conftest import PROJECT, release_server
from .server import Server, descendants, query_workers

CARTESIAN_SORT = "SELECT ?a ?b WHERE { ?a ?p ?x . ?b ?q ?y } ORDER BY ?a ?b LIMIT 1"
SIMPLE = "SELECT ?o WHERE { <https://w3id.org/partnergraph/id/org/lumc> ?p ?o } LIMIT 3"


class Listener:
    """A socket on 127.0.0.1 that counts every connection made to it."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(OSError):
                connection, _ = self.socket.accept()
                self.connections += 1
                connection.close()

    def close(self) -> None:
        time.sleep(0.5)  # a connection attempt in flight still lands
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    watching = Listener()
    yield watching
    watching.close()


def spellings(port: int) -> list[str]:
    """SERVICE clauses aimed at the listener, written every way the grammar (and Oxigraph) allows."""
    at = f"127.0.0.1:{port}"
    pattern = "{ ?s ?p ?o }"
    return [
        f"SELECT * WHERE {{ #comment\rSERVICE <http://{at}/> {pattern} }}",  # a comment ended by CR
        f"PREFIX e: <http://{at}/> SELECT * WHERE {{ SERVICE e:sparql {pattern} }}",  # a prefixed name
        f"PREFIX : <http://{at}/> SELECT * WHERE {{ SERVICE:x {pattern} }}",  # glued to an empty prefix
        f"BASE <http://{at}/> SELECT * WHERE {{ SERVICE <sparql> {pattern} }}",  # BASE-relative
        f"SELECT * WHERE {{ SERVICE <sparql> {pattern} }}",  # relative to the endpoint's own URL
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.\\u0031:{port}/> {pattern} }}",  # \\u escape in the IRI
        f"SELECT * WHERE {{ SERVICE <http://0x7f.1:{port}/> {pattern} }}",
        f"SELECT * WHERE {{ SERVICE <http://127.1:{port}/> {pattern} }}",
        f"SELECT * WHERE {{ SERVICE <http://2130706433:{port}/> {pattern} }}",
        f"SELECT * WHERE {{ SERVICE <HTTP://{at}/> {pattern} }}",
        f"SELECT * WHERE {{ SERVICE <http://user@{at}/> {pattern} }}",
        f"SELECT * WHERE {{ SERVICE <http://{at}/a/../b/./c> {pattern} }}",
        f"SELECT * WHERE {{ sErViCe SiLeNt <http://{at}/> {pattern} }}",
        f"SELECT * WHERE {{ ?a ?b ?c FILTER(?a<?b)SERVICE#>\n<http://{at}/> {pattern} }}",  # '<' as an operator
        f"SELECT * WHERE {{ ?a ?b ?c FILTER <http://f>(?a<?b)SERVICE#>\n<http://{at}/> {pattern} }}",
        f"PREFIX e: <http://x/> SELECT * WHERE {{ ?s e:a\\#b ?o . SERVICE <http://{at}/> {pattern} }}",  # \\# in a name
        f"SELECT * WHERE {{ BIND('''a''''' AS ?x) SERVICE <http://{at}/> {pattern} }}",  # quotes ending a long string
        f"SELECT * WHERE {{ VALUES ?e {{ <http://{at}/> }} SERVICE ?e {pattern} }}",  # a variable endpoint
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <http://{at}/> {pattern} }} }} }}",
        f"ASK {{ SERVICE <http://{at}/> {pattern} }}",
        f"CONSTRUCT WHERE {{ SERVICE <http://{at}/> {pattern} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ SERVICE <http://[::ffff:127.0.0.1]:{port}/> {pattern} }} }}",
    ]


def test_no_spelling_of_service_reaches_the_network(server: Server, listener: Listener) -> None:
    for query in spellings(listener.port):
        for reply in (
            server.get("/sparql?" + urlencode({"query": query})),
            server.request("POST", "/sparql", query, {"Content-Type": "application/sparql-query"}),
        ):
            assert reply.status in (400, 403), (query, reply)
        page = server.get("/query?" + urlencode({"query": query}), Accept="text/html")
        assert page.status == 200 and "<table" not in page.text
    assert listener.connections == 0


def test_a_sandboxed_worker_cannot_connect_whatever_the_policy_said(
    published: Release, tmp_path: Path, listener: Listener
) -> None:
    """The second guard alone: SERVICE handed straight to the store, past the web layer's policy."""
    zygote = Zygote(StoreSource(files=(published.directory / "dataset.nq",)))
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}"
    sandboxed = WorkerPool(zygote, 1, 1, limits=WorkerLimits())
    try:
        with pytest.raises(QueryFailed, match=r"(?i)permission denied"):
            sandboxed.run(QueryRequest(query), 5)
        assert listener.connections == 0
    finally:
        sandboxed.close()
        zygote.close()


def test_a_federation_worker_connects_only_to_the_allow_list_whatever_the_policy_said(
    published: Release, tmp_path: Path, listener: Listener
) -> None:
    """The federation lane's workers may use the network, but only towards the allow-listed endpoints' addresses."""
    zygote = Zygote(StoreSource(directory=prepare_store([published.directory / "dataset.nq"], tmp_path)))
    allowed = Listener()
    lane = WorkerPool(zygote, 1, 1, limits=WorkerLimits(endpoints=(f"http://localhost:{allowed.port}/sparql",)))
    try:
        for target in (f"127.0.0.1:{listener.port}", f"127.0.0.2:{allowed.port}", f"2130706433:{listener.port}"):
            with pytest.raises(QueryFailed, match=r"(?i)permission denied"):
                lane.run(QueryRequest(f"SELECT * WHERE {{ SERVICE <http://{target}/> {{ ?s ?p ?o }} }}"), 5)
        with pytest.raises(QueryFailed):  # the allow-listed address is reached (the listener hangs up at once)
            lane.run(
                QueryRequest(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{allowed.port}/x> {{ ?s ?p ?o }} }}"), 5
            )
    finally:
        lane.close()
        zygote.close()
        allowed.close()
    assert listener.connections == 0
    assert allowed.connections >= 1


@pytest.fixture(scope="module")
def bounded(published: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with release_server(
        published, tmp_path_factory, worker_memory_mb="300", max_answer_bytes="20000", query_timeout="5"
    ) as running:
        yield running


def test_a_query_past_the_memory_limit_is_stopped_and_the_next_one_answers(bounded: Server) -> None:
    started = time.monotonic()
    reply = bounded.get("/sparql?" + urlencode({"query": CARTESIAN_SORT}))
    assert reply.status == 503 and "memory" in json.loads(reply.body)["detail"]
    assert time.monotonic() - started < 5
    for pid in query_workers(bounded):
        status = Path(f"/proc/{pid}/status").read_text()
        assert int(status.split("VmRSS:")[1].split()[0]) < 300 * 1024
    assert bounded.get("/sparql?" + urlencode({"query": SIMPLE})).status == 200


def test_an_answer_is_cut_at_its_byte_bound_and_says_so(bounded: Server) -> None:
    reply = bounded.get("/sparql?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}))
    assert reply.status == 200 and reply.headers["partnergraph-result-truncated"] == "true; max-bytes=20000"
    assert len(reply.body) < 3 * 20000
    assert json.loads(reply.body)["head"]["link"] == ["https://w3id.org/partnergraph/ontology#truncated"]
    graph = bounded.get("/sparql?" + urlencode({"query": "CONSTRUCT WHERE { ?s ?p ?o }"}), Accept="text/turtle")
    assert graph.status == 200 and graph.headers["partnergraph-result-truncated"] == "true; max-bytes=20000"


@pytest.mark.parametrize(
    ("query", "bound"),
    [
        ("SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000, "nested"),
        ("SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }", "nested"),
        ("SELECT * WHERE { FILTER(" + "+".join(["1"] * 20000) + " > 0) }", "chain"),
        ("SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 5000) + " }", "chain"),
    ],
)
def test_deep_and_long_queries_get_400_before_the_engine(bounded: Server, query: str, bound: str) -> None:
    workers = query_workers(bounded)
    reply = bounded.request("POST", "/sparql", query, {"Content-Type": "application/sparql-query"})
    assert reply.status == 400 and bound in json.loads(reply.body)["title"].lower()
    assert query_workers(bounded) == workers  # no worker crashed


def test_query_workers_die_with_the_http_worker(published: Release, tmp_path_factory: pytest.TempPathFactory) -> None:
    with release_server(published, tmp_path_factory, query_timeout="20") as running:
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        threading.Thread(target=_ask_ignoring_failure, args=(running, runaway), daemon=True).start()
        time.sleep(1.0)
        workers = query_workers(running)
        http_workers = [pid for pid in descendants(running.process.pid) if pid not in workers]
        assert workers and http_workers
        for pid in http_workers:
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and any(_running(pid) for pid in workers):
            time.sleep(0.05)
        assert not any(_running(pid) for pid in workers), "a query worker outlived its HTTP worker"


def test_a_worker_stops_at_its_cpu_deadline_even_if_nobody_kills_it(
    published: Release, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The HTTP worker is frozen (SIGSTOP), so only the kernel's CPU limit can stop the runaway."""
    with release_server(published, tmp_path_factory, query_timeout="2") as running:
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        threading.Thread(target=_ask_ignoring_failure, args=(running, runaway), daemon=True).start()
        time.sleep(0.8)  # past half a second, the runaway's worker has left the pool and its successor is in
        workers = query_workers(running)
        http_workers = [pid for pid in descendants(running.process.pid) if pid not in workers]
        for pid in http_workers:
            os.kill(pid, signal.SIGSTOP)
        try:
            before = {pid: _cpu_seconds(pid) for pid in workers}
            time.sleep(0.5)
            runaway_pid = max(workers, key=lambda pid: _cpu_seconds(pid) - before[pid])
            assert _cpu_seconds(runaway_pid) - before[runaway_pid] > 0.2
            busy = [runaway_pid]
            used = 0.0
            deadline = time.monotonic() + 40  # nice 19 beside other work: CPU time may accrue slower than wall time
            while time.monotonic() < deadline and _running(busy[0]):
                used = _cpu_seconds(busy[0])
                time.sleep(0.1)
            assert not _running(busy[0]), f"still running after {used:.1f} s of CPU"
            assert used <= 2 + 2 + 1  # the time limit, the kernel's slack of about a second, and our polling
        finally:
            for pid in http_workers:
                os.kill(pid, signal.SIGCONT)


def _ask_ignoring_failure(server: Server, query: str) -> None:
    with contextlib.suppress(OSError):  # the connection dies with the HTTP worker
        server.get("/sparql?" + urlencode({"query": query}))


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_iris_from_the_data_link_only_over_http_and_pages_forbid_inline_script(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.ttl"
    hostile.write_text(
        "<https://w3id.org/partnergraph/id/org/x> <http://schema.org/url> <javascript:alert(1)> ,"
        " <JaVaScRiPt:alert(2)> , <data:text/html,hi> , <https://example.org/fine> .\n",
        encoding="utf-8",
    )
    running = Server(["--data", str(hostile)], {"PARTNERGRAPH_STORE_CACHE": str(tmp_path / "stores")}, PROJECT)
    try:
        query = "SELECT ?o WHERE { ?s <http://schema.org/url> ?o }"
        for page in (running.get("/page/org/x"), running.get("/query?" + urlencode({"query": query}))):
            assert page.status == 200
            text = page.text.lower()
            assert 'href="javascript:' not in text and 'href="data:' not in text
            assert 'href="https://example.org/fine"' in text
            policy = page.headers["content-security-policy"]
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    finally:
        running.stop()


@pytest.mark.parametrize("iri", ["https://x.org/a> } ?s ?p ?o {", "https://x.org/a b", 'https://x.org/"', "", "x\n"])
def test_an_iri_that_could_end_early_is_never_written_into_a_query(iri: str) -> None:
    with pytest.raises(ValueError, match="not an IRI"):
        iri_ref(iri)
    assert iri_ref("https://w3id.org/partnergraph/id/org/lumc") == "<https://w3id.org/partnergraph/id/org/lumc>"

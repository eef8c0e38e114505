"""Answers reused within a release: the answer cache, and ETags with 304 for browsers and proxies, over real HTTP."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

from partnergraph.pipeline.release import Release
from partnergraph.store.base import QueryAnswer, QueryRequest, StoreInfo
from partnergraph.store.cache import CachedStore
from partnergraph.store.pool import EmbeddedStore, WorkerPool
from partnergraph.store.zygote import StoreSource, Zygote

from .conftest import PROJECT
from .server import Server

LUMC = "https://w3id.org/partnergraph/id/org/lumc"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def metric(server: Server, name: str) -> float:
    """The sum of a counter's samples in /metrics."""
    total = 0.0
    for line in server.get("/metrics").text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            total += float(line.rsplit(" ", 1)[1])
    return total


def unique_query() -> str:
    """A query no other test sends, so its first answer cannot come from the cache."""
    return f"SELECT ?p ?o WHERE {{ <{LUMC}> ?p ?o }} # {uuid.uuid4()}"


def test_the_same_query_is_answered_once_by_the_engine_then_from_the_cache(server: Server) -> None:
    path = "/sparql?" + urlencode({"query": unique_query()})
    hits, misses = metric(server, 'partnergraph_answer_cache_total{result="hit"}'), 0.0
    misses = metric(server, 'partnergraph_answer_cache_total{result="miss"}')
    first, second = server.get(path), server.get(path)
    assert first.status == second.status == 200 and first.body == second.body
    assert json.loads(first.body)["results"]["bindings"]
    assert metric(server, 'partnergraph_answer_cache_total{result="miss"}') == misses + 1
    assert metric(server, 'partnergraph_answer_cache_total{result="hit"}') == hits + 1
    as_xml = server.get(path, Accept="application/sparql-results+xml")  # another format is another answer
    assert as_xml.status == 200 and as_xml.body.startswith(b"<?xml")
    assert metric(server, 'partnergraph_answer_cache_total{result="miss"}') == misses + 2


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        (
            "/sparql?" + urlencode({"query": f"SELECT ?p ?o WHERE {{ <{LUMC}> ?p ?o }}"}),
            "application/sparql-results+json",
        ),
        ("/page/org/lumc", "text/html"),
        ("/data/org/lumc.ttl", "text/turtle"),
        ("/search?q=leiden", "application/json"),
        ("/query?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"}), "text/html"),
    ],
)
def test_a_client_holding_the_etag_gets_304_without_the_work_being_done(server: Server, path: str, accept: str) -> None:
    first = server.get(path, Accept=accept)
    assert first.status == 200
    tag = first.headers["etag"]
    assert tag.startswith('"') and "max-age=" in first.headers["cache-control"]
    assert "Accept" in first.headers["vary"]
    queries = metric(server, "partnergraph_queries_total")
    again = server.get(path, Accept=accept, If_None_Match=tag)
    assert again.status == 304 and again.body == b"" and again.headers["etag"] == tag
    assert metric(server, "partnergraph_queries_total") == queries  # nothing ran
    other = server.get(path, Accept="*/*", If_None_Match=tag)  # another Accept may be another body
    assert other.status == 200 and other.headers["etag"] != tag


def test_failures_and_posts_carry_no_validator(server: Server) -> None:
    bad = server.get("/sparql?" + urlencode({"query": "SELECT WHERE {"}))
    assert bad.status == 400 and "etag" not in bad.headers
    posted = server.request(
        "POST", "/sparql", f"SELECT * WHERE {{ <{LUMC}> ?p ?o }}", {"Content-Type": "application/sparql-query"}
    )
    assert posted.status == 200 and "etag" not in posted.headers


@pytest.fixture
def renamed_release(published: Release, tmp_path: Path) -> Iterator[Server]:
    """The same data published under another release name: what a new build looks like to a client."""
    copy = tmp_path / "20991231T000000000000Z-copy"
    shutil.copytree(published.directory, copy)
    running = Server(["--release", str(copy)], {"PARTNERGRAPH_STORE_CACHE": str(tmp_path / "stores")}, PROJECT)
    try:
        yield running
    finally:
        running.stop()


def test_a_new_release_changes_every_etag(server: Server, renamed_release: Server) -> None:
    for path in ("/page/org/lumc", "/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"})):
        old, new = server.get(path), renamed_release.get(path)
        assert old.status == new.status == 200
        assert old.headers["etag"] != new.headers["etag"]
        assert renamed_release.get(path, If_None_Match=old.headers["etag"]).status == 200


def test_served_files_that_change_between_runs_change_the_etag(tmp_path: Path) -> None:
    """With --data the release is always called "data": the files themselves must be in the ETag."""
    data = tmp_path / "data.nt"
    tags = []
    for label in ("first", "second"):
        data.write_text(f'<http://example.org/a> <http://example.org/name> "{label}" .\n', encoding="utf-8")
        running = Server(["--data", str(data)], {"PARTNERGRAPH_STORE_CACHE": str(tmp_path / "stores")}, PROJECT)
        try:
            tags.append(running.get("/sparql?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"})).headers["etag"])
        finally:
            running.stop()
    assert tags[0] != tags[1]


@dataclass
class Counting:
    """The real embedded store, counting the requests that reach it."""

    store: EmbeddedStore
    calls: list[QueryRequest] = field(default_factory=list)

    def run(self, request: QueryRequest, timeout: float) -> QueryAnswer:
        self.calls.append(request)
        return self.store.run(request, timeout)

    def info(self) -> StoreInfo:
        return self.store.info()

    def close(self) -> None:
        self.store.close()


def test_the_cache_is_keyed_without_priority_and_bounded_in_bytes(published: Release) -> None:
    zygote = Zygote(StoreSource(files=(published.directory / "dataset.nq",)))
    inner = Counting(EmbeddedStore(WorkerPool(zygote, 1, 1)))
    cache = CachedStore(inner, max_bytes=20_000)
    try:
        lookup = QueryRequest(f"SELECT ?o WHERE {{ <{LUMC}> <{SKOS}prefLabel> ?o }}", priority=-0.1)
        first = cache.run(lookup, 5)
        again = cache.run(QueryRequest(lookup.sparql, priority=-0.2), 5)  # waiting priority is not part of the key
        assert again.body == first.body and again.cached and not first.cached and len(inner.calls) == 1
        for n in range(40):  # other answers push the oldest out once the bodies pass the bound
            cache.run(QueryRequest(f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT 5 OFFSET {n}"), 5)
        assert cache._bytes <= 20_000
        cache.run(lookup, 5)
        assert len(inner.calls) == 42
        large = QueryRequest("SELECT * WHERE { ?s ?p ?o } LIMIT 500")  # over an eighth of the cache: never kept
        cache.run(large, 5)
        cache.run(large, 5)
        assert len(inner.calls) == 44
    finally:
        cache.close()

"""The structured query log: one JSON line per query, bounded in size, replayable against another instance."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from partnergraph.pipeline.release import Release

from .conftest import PROJECT, release_server
from .server import Server

QUERIES = [
    "SELECT ?o WHERE { <https://w3id.org/partnergraph/id/org/lumc> ?p ?o } LIMIT 3",
    "ASK { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o }",  # cut at the row cap
    "SELECT * WHERE {",  # malformed
]


@pytest.fixture(scope="module")
def logged(published: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    log = tmp_path_factory.mktemp("log") / "queries.jsonl"
    with release_server(
        published, tmp_path_factory, query_log=str(log), query_log_bytes="4000", max_rows="50"
    ) as running:
        yield running, log


def test_each_query_is_one_json_line_with_what_happened(logged: tuple[Server, Path]) -> None:
    server, log = logged
    for query in QUERIES:
        server.get("/sparql?" + urlencode({"query": query}), User_Agent="log-test")
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()][-len(QUERIES) :]
    assert [entry["query"] for entry in entries] == QUERIES
    assert [entry["status"] for entry in entries] == [200, 200, 200, 400]
    assert [entry["truncated"] for entry in entries] == ["", "", "rows", ""]
    assert entries[2]["rows"] == 50 and entries[0]["format"] == "json"
    assert len({entry["client"] for entry in entries}) == 1 and "127.0.0.1" not in entries[0]["client"]
    assert all(len(entry["hash"]) == 16 and entry["seconds"] >= 0 and entry["time"] for entry in entries)
    metrics = server.get("/metrics").text
    assert 'partnergraph_queries_total{status="400"}' in metrics
    assert 'partnergraph_answers_truncated_total{bound="rows"}' in metrics


def test_the_log_is_bounded_by_rotation(logged: tuple[Server, Path]) -> None:
    server, log = logged
    for number in range(60):
        server.get("/sparql?" + urlencode({"query": f"ASK {{ ?s ?p {number} }}"}))
    files = sorted(log.parent.iterdir())
    assert [path.name for path in files] == ["queries.jsonl", "queries.jsonl.1"]
    assert all(path.stat().st_size <= 4000 + 1000 for path in files)


def test_the_log_replays_against_another_instance(
    logged: tuple[Server, Path], published: Release, tmp_path_factory: pytest.TempPathFactory
) -> None:
    server, log = logged
    for query in QUERIES:
        server.get("/sparql?" + urlencode({"query": query}))
    with release_server(published, tmp_path_factory, max_rows="50") as other:
        replayed = subprocess.run(
            [sys.executable, str(PROJECT / "bench/replay.py"), str(log), "--endpoint", other.root + "/sparql"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert "with the logged status" in replayed.stdout

"""The service under sustained load, with runaway queries mixed in, over real HTTP (marked `load`: about two minutes).

Figures are printed (`pytest -m load -s`) so a run shows what was measured, not only that it passed.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from partnergraph.pipeline.release import Release

from .conftest import PROJECT, release_server, store_server
from .server import Server, descendants, query_workers

sys.path.insert(0, str(PROJECT / "bench"))
from load import Result, run

pytestmark = pytest.mark.load

MIX = [path.read_text(encoding="utf-8") for path in sorted((PROJECT / "docs/queries").glob("*.rq"))]
RUNAWAYS = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<urn:x:none>|^!<urn:x:none>)* ?b . ?b ?p ?c }",
    'SELECT * WHERE { ?a ?b ?c . ?d ?e ?f FILTER (REGEX(CONCAT(STR(?c), STR(?f)), "^(.*a){12}$")) }',
]


def rss_kib(server: Server) -> int:
    """Resident memory of the service: its process and every process below it (query workers)."""
    total = 0
    for pid in [server.process.pid, *descendants(server.process.pid)]:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of the processes, in seconds."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / 100  # USER_HZ


@pytest.fixture(scope="module")
def server(published: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # the budget per client is off: four connections from one address and User-Agent are one client to it; and the
    # answer cache, so that every query of the repeating mix reaches the query workers
    with release_server(
        published, tmp_path_factory, query_timeout="2", client_budget_seconds="0", answer_cache_mb="0"
    ) as running:
        yield running


def test_four_clients_for_sixty_seconds_get_no_errors_and_memory_stays_flat(server: Server) -> None:
    endpoint = server.root + "/sparql"
    run(endpoint, MIX, 4, 10)  # warm up: caches filled, pages touched
    before = rss_kib(server)
    result = run(endpoint, MIX, 4, 60)
    after = rss_kib(server)
    growth = (after - before) / before
    p50, p99 = result.percentile(0.5), result.percentile(0.99)
    print(
        f"\n60 s, 4 clients: {result.requests} requests, {result.throughput:.0f}/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms,"
        f" {result.errors} errors; RSS {before} -> {after} KiB ({growth:+.1%})"
    )
    assert result.requests > 1000 and result.errors == 0
    assert growth < 0.10
    assert 3 < len(query_workers(server)) <= 5  # grown past its base of 2 (+1 on standby), never past its ceiling


def runaway_client(server: Server, stop: threading.Event, answers: list[tuple[int, float]]) -> None:
    i = 0
    while not stop.is_set():
        started = time.perf_counter()
        reply = server.get("/sparql?" + urlencode({"query": RUNAWAYS[i % len(RUNAWAYS)]}), User_Agent="attacker")
        answers.append((reply.status, time.perf_counter() - started))
        i += 1


def test_runaway_queries_are_stopped_and_normal_traffic_keeps_its_pace(server: Server) -> None:
    endpoint = server.root + "/sparql"
    run(endpoint, MIX, 2, 5)
    unloaded = run(endpoint, MIX, 2, 20)
    stop = threading.Event()
    answers: list[tuple[int, float]] = []
    attacker = threading.Thread(target=runaway_client, args=(server, stop, answers))
    attacker.start()
    try:
        loaded: Result = run(endpoint, MIX, 2, 20)
    finally:
        stop.set()
        attacker.join(timeout=30)
    alone, beside = unloaded.percentile(0.99), loaded.percentile(0.99)
    print(
        f"\n2 normal clients: p99 {alone:.1f} ms alone, {beside:.1f} ms beside runaways ({beside / alone:.2f}x); "
        f"{len(answers)} runaways answered in {min(t for _, t in answers):.2f}-{max(t for _, t in answers):.2f} s"
    )
    assert loaded.errors == 0 and unloaded.errors == 0
    assert answers and all(status == 503 for status, _ in answers)
    assert all(seconds < 2 + 1.0 for _, seconds in answers)
    assert beside < 2 * alone


def test_no_cpu_keeps_burning_after_a_runaway_is_answered(server: Server) -> None:
    reply = server.get("/sparql?" + urlencode({"query": RUNAWAYS[0]}))
    assert reply.status == 503
    deadline = time.monotonic() + 15  # the killed worker's replacement starts in the background
    while time.monotonic() < deadline and len(query_workers(server)) < 3:
        time.sleep(0.1)
    time.sleep(1.0)
    processes = [server.process.pid, *descendants(server.process.pid)]
    before = cpu_seconds(processes)
    time.sleep(2.0)
    used = cpu_seconds(processes) - before
    print(f"\nCPU used by the idle service in the 2 s after a runaway: {used:.2f} s")
    assert used < 0.1


@pytest.mark.parametrize("store", ["oxigraph", "virtuoso"])
def test_in_front_of_a_store_four_clients_get_no_errors_and_memory_stays_flat(
    published: Release, store: str, request: pytest.FixtureRequest
) -> None:
    engine = request.getfixturevalue(store)
    with store_server(engine, published, query_timeout="5", client_budget_seconds="0", answer_cache_mb="0") as server:
        endpoint = server.root + "/sparql"
        run(endpoint, MIX, 4, 5)
        before = rss_kib(server)
        result = run(endpoint, MIX, 4, 20)
        after = rss_kib(server)
    growth = (after - before) / before
    print(
        f"\n20 s, 4 clients, in front of {store}: {result.requests} requests, {result.throughput:.0f}/s, "
        f"p50 {result.percentile(0.5):.1f} ms, p99 {result.percentile(0.99):.1f} ms, {result.errors} errors; "
        f"RSS {before} -> {after} KiB ({growth:+.1%})"
    )
    assert result.requests > 200 and result.errors == 0
    assert growth < 0.10

"""Short queries beside runaways, each client's budget of query time, and the pool shrinking back, over real HTTP."""

from __future__ import annotations

import json
import threading
import time
from urllib.parse import urlencode

import pytest

from partnergraph.pipeline.release import Release
from partnergraph.store.base import QueryRequest
from partnergraph.store.pool import WorkerPool
from partnergraph.store.zygote import StoreSource, Zygote

from .conftest import release_server
from .server import Reply, Server, query_workers

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LABEL = "?a ?b ?c . ?d <http://www.w3.org/2004/02/skos/core#prefLabel> ?f"
LONG = f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ {LABEL} }} UNION {{ {LABEL} }} UNION {{ {LABEL} }} UNION {{ {LABEL} }} }}"
# LONG takes 0.8-2 s on the real data, by machine: well past the 0.5 s that makes a query long
CHEAP = "SELECT ?o WHERE { <https://w3id.org/partnergraph/id/org/lumc> ?p ?o } LIMIT 5"


def ask(server: Server, query: str, agent: str = "test") -> Reply:
    return server.get("/sparql?" + urlencode({"query": query}), User_Agent=agent)


def test_cheap_queries_are_neither_refused_nor_delayed_behind_more_runaways_than_workers(
    published: Release, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Six attackers send runaways back to back, more than the pool's four workers and two long-lane places."""
    with release_server(  # no answer cache: every cheap query must get through the pool beside the runaways
        published,
        tmp_path_factory,
        query_timeout="4",
        max_long_queries="2",
        client_budget_seconds="0",
        answer_cache_mb="0",
    ) as server:
        runaways: list[Reply] = []
        stop = time.monotonic() + 4

        def attack(name: str) -> None:
            while time.monotonic() < stop:
                runaways.append(ask(server, RUNAWAY, name))

        threads = [threading.Thread(target=attack, args=(f"attacker-{i}",)) for i in range(6)]
        for thread in threads:
            thread.start()
        time.sleep(0.2)
        seconds: list[float] = []
        statuses: list[int] = []
        while time.monotonic() < stop:
            started = time.monotonic()
            statuses.append(ask(server, CHEAP, "analyst").status)
            seconds.append(time.monotonic() - started)
        for thread in threads:
            thread.join()
        seconds.sort()
        p50, p95 = seconds[len(seconds) // 2], seconds[int(len(seconds) * 0.95)]
        print(
            f"\ncheap queries beside 6 runaway clients: {len(seconds)} answered, p50 {p50 * 1000:.1f} ms, "
            f"p95 {p95 * 1000:.1f} ms, max {seconds[-1] * 1000:.1f} ms; {len(runaways)} runaways, all 503"
        )
        assert set(statuses) == {200}
        assert p50 < 0.05 and p95 < 0.5
        assert seconds[-1] < 1.5, f"a cheap query waited {seconds[-1]:.2f} s"
        details = [json.loads(reply.body)["detail"] for reply in runaways]
        assert all(reply.status == 503 for reply in runaways)
        assert any("long-running queries are already running" in detail for detail in details)
        time.sleep(1)
        assert _lanes(server)[1] == 0


def _lanes(server: Server) -> tuple[int, int]:
    workers = query_workers(server)
    long = [pid for pid in workers if _nice(pid) == 19]
    return len(workers) - len(long), len(long)


def _nice(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[16])


def test_a_client_that_spent_its_budget_gets_429_and_others_do_not(
    published: Release, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with release_server(
        published, tmp_path_factory, query_timeout="1.5", client_budget_seconds="1", client_refill_rate="0.2"
    ) as server:
        assert ask(server, RUNAWAY, "greedy").status == 503  # 1.5 s spent of a 1 s budget
        refused = ask(server, CHEAP, "greedy")
        assert refused.status == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 4
        assert "query time" in json.loads(refused.body)["detail"]
        spoofed = server.request(  # with no trusted proxy configured, a forwarded address changes nothing
            "GET",
            "/sparql?" + urlencode({"query": CHEAP}),
            headers={"User-Agent": "greedy", "X-Forwarded-For": "1.2.3.4"},
        )
        assert spoofed.status == 429
        assert ask(server, CHEAP, "someone else").status == 200
        time.sleep(int(refused.headers["retry-after"]))
        assert ask(server, CHEAP, "greedy").status == 200
        metrics = server.get("/metrics").text
        assert 'partnergraph_query_refusals_total{bound="client-budget"} 2.0' in metrics  # the plain and the spoofed


def test_extra_workers_retire_after_the_pool_stops_being_full(
    published: Release, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with release_server(
        published, tmp_path_factory, query_timeout="1", pool_shrink_after="2", client_budget_seconds="0"
    ) as server:
        assert len(query_workers(server)) == 3  # the base of two, and one on standby
        threads = [threading.Thread(target=ask, args=(server, RUNAWAY, f"c{i}")) for i in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and len(query_workers(server)) < 4:
            time.sleep(0.1)
        assert len(query_workers(server)) >= 4  # grown while all were busy
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline and len(query_workers(server)) > 3:
            time.sleep(0.2)
        assert len(query_workers(server)) == 3  # back to the base with no request handing a worker back


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget(
    published: Release, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with release_server(
        published, tmp_path_factory, query_timeout="1.5", client_budget_seconds="1", trusted_proxy="127.0.0.1"
    ) as server:

        def ask_as(client: str, query: str) -> Reply:
            headers = {"X-Forwarded-For": client, "User-Agent": "same browser"}
            return server.request("GET", "/sparql?" + urlencode({"query": query}), headers=headers)

        assert ask_as("203.0.113.7", RUNAWAY).status == 503
        assert ask_as("203.0.113.7", CHEAP).status == 429
        assert ask_as("198.51.100.9", CHEAP).status == 200  # another client behind the same proxy


def test_a_worker_that_finished_a_long_query_rejoins_the_pool(published: Release) -> None:
    """A fork's first scans copy the store pages they touch; retiring it after each long query paid that again."""
    zygote = Zygote(StoreSource(files=(published.directory / "dataset.nq",)))
    pool = WorkerPool(zygote, 1, 4)  # room under the ceiling for it and the successor that took its place
    try:
        first = {worker.pid for worker in pool._short}
        started = time.monotonic()
        pool.run(QueryRequest(LONG, priority=-0.1), 30)
        assert time.monotonic() - started > 0.6  # it went to the long lane
        assert first <= {worker.pid for worker in pool._short} and not pool._long
        assert all(_nice(pid) == 0 for pid in first)
    finally:
        pool.close()
        zygote.close()

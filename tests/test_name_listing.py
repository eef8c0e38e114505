"""The name index read two ways: scanned from the release this process holds (no query, no worker: at 5M triples
the one-answer listing outgrew a worker's memory) and asked by query of a store elsewhere. Both give the same index."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pyoxigraph as ox
import pytest

from partnergraph.pipeline.release import Release
from partnergraph.store.base import QueryAnswer, QueryRequest, Scanned, StoreInfo
from partnergraph.store.execute import execute
from partnergraph.store.pattern_lane import PatternLane
from partnergraph.store.prepare import memory_store
from partnergraph.web.name_index import NameIndex
from partnergraph.web.name_listing import build_index

BASE = "https://w3id.org/partnergraph/id/"


class Engine:
    """The release in memory, asked by query as a store elsewhere would be, holding no copy to scan."""

    def __init__(self, store: ox.Store) -> None:
        self.store, self.queries = store, 0

    def run(self, request: QueryRequest, timeout: float) -> QueryAnswer:
        self.queries += 1
        return execute(self.store, request)

    def info(self) -> StoreInfo:
        return StoreInfo(len(self.store))

    def scan(self, predicate: str) -> Iterator[Scanned] | None:
        return None

    def close(self) -> None:
        return None


class Held(Engine):
    """The same release held in this process: scanned through the pattern lane's copy."""

    def scan(self, predicate: str) -> Iterator[Scanned] | None:
        return PatternLane(self.store).scan(predicate)


@pytest.fixture(scope="module")
def store(published: Release) -> ox.Store:
    return memory_store((published.directory / "dataset.nq",))


def indexed(engine: Engine) -> NameIndex:
    return build_index(SimpleNamespace(store=engine), BASE, 30.0)  # type: ignore[arg-type]


def test_scanned_and_queried_give_the_same_index_and_the_scan_asks_nothing(store: ox.Store) -> None:
    held, elsewhere = Held(store), Engine(store)
    scanned, queried = indexed(held), indexed(elsewhere)
    assert held.queries == 0 and elsewhere.queries == 3
    assert len(scanned) > 100 and scanned.iris == queried.iris
    assert scanned.labels == queried.labels and scanned.kinds == queried.kinds
    assert scanned.names == queried.names and scanned.how_of == queried.how_of
    lumc = scanned.search("LUMC", 1).hits[0]
    assert lumc.iri == BASE + "org/lumc" and lumc.rank == "exact" and lumc.kinds

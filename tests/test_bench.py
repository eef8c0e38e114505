"""The benchmark's inputs are sound: a deterministic graph in our model, and queries that run and answer on it."""

from __future__ import annotations

import sys

import pyoxigraph as ox
import pytest

from .conftest import PROJECT

sys.path.insert(0, str(PROJECT / "bench"))
from generate import generate


def test_the_synthetic_graph_is_deterministic_and_parses() -> None:
    first, second = generate(5000), generate(5000)
    assert first == second and len(first) >= 5000
    store = ox.Store()
    store.bulk_load("\n".join(first).encode(), format=ox.RdfFormat.N_QUADS)
    assert len(store) == len(set(first))


@pytest.mark.parametrize("size", [20_000, 100_000])
def test_every_benchmark_query_answers_on_it(size: int) -> None:
    store = ox.Store()
    store.bulk_load("\n".join(generate(size)).encode(), format=ox.RdfFormat.N_QUADS)
    queries = sorted((PROJECT / "bench/queries").glob("*.rq"))
    assert len(queries) == 10
    for path in queries:
        answer = store.query(path.read_text(encoding="utf-8"), use_default_graph_as_union=True)
        assert list(answer), path.name

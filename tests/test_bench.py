"""The benchmark's inputs are sound: a deterministic graph in our model, and queries that run and answer on it."""

from __future__ import annotations

import random
import sys

import pyoxigraph as ox
import pytest

from .conftest import PROJECT

sys.path.insert(0, str(PROJECT / "bench"))
from generate import generate
from mixes import INTERACTIVE, mixes, templates


def test_the_synthetic_graph_is_deterministic_and_parses() -> None:
    first, second = generate(5000), generate(5000)
    assert first == second and len(first) >= 5000
    store = ox.Store()
    store.bulk_load("\n".join(first).encode(), format=ox.RdfFormat.N_QUADS)
    assert len(store) == len(set(first))


@pytest.mark.parametrize("size", [100_000])
def test_every_benchmark_template_answers_on_it(size: int) -> None:
    """The bench refuses to time a template that answers nothing on five draws; so must this size."""
    store = ox.Store()
    store.bulk_load("\n".join(generate(size)).encode(), format=ox.RdfFormat.N_QUADS)
    draws = random.Random(5)
    every = templates()
    assert len(every) == 12 and set(INTERACTIVE) <= set(every)
    for template in every.values():
        answers = [store.query(template.fill(draws, size), use_default_graph_as_union=True) for _ in range(5)]
        assert any(bool(a) if isinstance(a, ox.QueryBoolean) else list(a) for a in answers), template.name


def test_draws_are_the_same_for_every_server_and_repeat_only_in_the_repeat_mix() -> None:
    every = mixes(100_000)
    sequences = []
    for _ in range(2):
        draws = random.Random(3)
        sequences.append([every["interactive"].draw(draws, i, 100_000) for i in range(50)])
    assert sequences[0] == sequences[1]
    assert len({text for _, text in sequences[0]}) > 45
    repeated = {every["repeat"].draw(random.Random(i), i, 100_000)[1] for i in range(200)}
    assert len(repeated) == 20

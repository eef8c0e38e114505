"""The SPARQL results writers: the JSON one writes common terms as text directly, and must say what the dicts say."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from partnergraph.pipeline.release import Release
from partnergraph.store.prepare import memory_store
from partnergraph.store.results import TRUNCATED_LINK, _json_term, to_json

XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
ODD = [
    (ox.NamedNode("http://example.org/a?b=c&d=é"), ox.BlankNode("b1"), ox.Literal("tab\there \u2028 é 🙂")),
    (ox.Literal("1", datatype=XSD_INTEGER), None, ox.Literal("Leiden", language="nl-NL")),
    (ox.Triple(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal('"quoted"')), None, None),
]


@pytest.mark.parametrize("truncated", [False, True])
def test_json_results_are_the_terms_as_the_spec_writes_them(published: Release, truncated: bool) -> None:
    store = memory_store((published.directory / "dataset.nq",))
    solutions = store.query("SELECT * WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    rows = [tuple(solution) for solution in solutions] + ODD
    written = json.loads(to_json(["o", "p", "s"], rows, truncated))
    expected_head: dict[str, object] = {"vars": ["o", "p", "s"], **({"link": [TRUNCATED_LINK]} if truncated else {})}
    assert written["head"] == expected_head
    assert written["results"]["bindings"] == [
        {name: _json_term(term) for name, term in zip(["o", "p", "s"], row, strict=True) if term is not None}
        for row in rows
    ]
    assert len(rows) > 10_000

"""One-pattern queries answered in the serving process: exactly the shape the lane may take, the engine's answers byte
for byte, a bound on the rows it reads, and over HTTP only one-pattern queries skip the workers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from partnergraph.errors import InputError
from partnergraph.pipeline.release import Release
from partnergraph.single_pattern import RDF_TYPE, Slot, read_single_pattern
from partnergraph.store.base import QueryRequest
from partnergraph.store.execute import execute
from partnergraph.store.pattern_lane import MAX_ROWS, PatternLane
from partnergraph.store.prepare import memory_store
from partnergraph.web_config import ServiceConfig

from .conftest import release_server

LUMC = "https://w3id.org/partnergraph/id/org/lumc"
SKOS = "http://www.w3.org/2004/02/skos/core#"


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT ?p ?o WHERE {{ <{LUMC}> ?p ?o }}",
        f"select * {{ ?s ?p <{LUMC}> . }} limit 10",
        f"PREFIX skos: <{SKOS}> SELECT ?label WHERE {{ <{LUMC}> skos:prefLabel ?label }}",
        f"BASE <http://example.org/> PREFIX : <{SKOS}> ASK {{ <{LUMC}> :altLabel ?x }}",
        f"CONSTRUCT WHERE {{ <{LUMC}> ?p ?o }} LIMIT 5",
        "SELECT ?s WHERE { ?s a <http://www.w3.org/ns/org#Organization> } # the organisations",
    ],
)
def test_one_pattern_is_read(query: str) -> None:
    assert read_single_pattern(query) is not None


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT ?p WHERE {{ <{LUMC}> ?p ?o . ?o ?q ?r }}",  # two patterns
        f"SELECT ?p WHERE {{ <{LUMC}> ?p ?o FILTER (?p != <{SKOS}x>) }}",
        f"SELECT DISTINCT ?p WHERE {{ ?s ?p <{LUMC}> }}",  # one step may skip a million duplicates
        f"SELECT ?p WHERE {{ <{LUMC}> ?p ?o }} ORDER BY ?p",
        f"SELECT ?p WHERE {{ <{LUMC}> ?p ?o }} OFFSET 100000",
        f"SELECT ?p WHERE {{ <{LUMC}> ?p ?o }} LIMIT 1.5",
        f"SELECT ?p FROM <{SKOS}g> WHERE {{ <{LUMC}> ?p ?o }}",
        f"SELECT ?p WHERE {{ GRAPH ?g {{ <{LUMC}> ?p ?o }} }}",
        f"SELECT ?o WHERE {{ <{LUMC}> <{SKOS}a>/<{SKOS}b>* ?o }}",  # a path
        f"SELECT ?s WHERE {{ ?s <{SKOS}prefLabel> 'LUMC'@en }}",  # literals: the engine's to read
        "SELECT ?p WHERE { _:b ?p ?o }",
        "SELECT ?p WHERE { [] ?p ?o }",
        "SELECT ?p WHERE { <relative> ?p ?o }",  # resolving against the endpoint is the engine's business
        "SELECT ?x WHERE { ?x ?p ?x }",  # a repeated variable is a join
        "SELECT ?s WHERE { ?s A <http://www.w3.org/ns/org#Organization> }",  # only lower-case `a` is rdf:type
        "SELECT ?s WHERE { ?s skos:prefLabel ?o }",  # undeclared prefix
        f"SELECT (?o AS ?x) WHERE {{ <{LUMC}> ?p ?o }}",
        f"SELECT * WHERE {{ <{LUMC}> ?p ?o }} VALUES ?p {{ <{SKOS}prefLabel> }}",
        f"SELECT * WHERE {{ SERVICE <http://example.org/sparql> {{ <{LUMC}> ?p ?o }} }}",
        f"CONSTRUCT {{ ?o ?p <{LUMC}> }} WHERE {{ <{LUMC}> ?p ?o }}",  # a template
        f"DESCRIBE <{LUMC}>",
        f"SELECT ?p WHERE {{ <{LUMC}> ?p ?o }} }}",  # unbalanced: an error, for the engine to report
        f"SELECT ?p WHERE {{ <{LUMC}> ?p ?o }} # {'x' * 9000}",  # past 8 KB: not read a second time on the hot path
    ],
)
def test_anything_more_is_left_to_the_workers(query: str) -> None:
    assert read_single_pattern(query) is None


def test_a_is_rdf_type_and_prefixes_expand() -> None:
    pattern = read_single_pattern(f"PREFIX s: <{SKOS}> SELECT * WHERE {{ s:x\\#y a ?t }}")
    assert pattern is not None and pattern.predicate == Slot(iri=RDF_TYPE)
    assert pattern.subject == Slot(iri=SKOS + "x#y") and pattern.variables == ("t",)


@pytest.fixture(scope="module")
def store(published: Release) -> ox.Store:
    return memory_store((published.directory / "dataset.nq",))


def _queries(store: ox.Store) -> Iterator[str]:
    listing = "SELECT ?o WHERE { ?o a <http://www.w3.org/ns/org#FormalOrganization> }"
    organisations = [row[0].value for row in store.query(listing, use_default_graph_as_union=True)]
    for iri in organisations[:8]:
        yield f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"
        yield f"SELECT * WHERE {{ ?s ?p <{iri}> }}"  # '*': the engine orders the variables by name
        yield f"SELECT ?o ?nothing WHERE {{ <{iri}> <{SKOS}prefLabel> ?o }}"
        yield f"ASK {{ ?s ?p <{iri}> }}"
        yield f"CONSTRUCT WHERE {{ <{iri}> ?p ?o }}"  # a triple in several graphs once
        yield f"CONSTRUCT WHERE {{ ?s ?p <{iri}> }} LIMIT 4"
    yield "SELECT * WHERE { ?s ?p ?o } LIMIT 40"  # blank nodes and literals of every kind
    yield "SELECT ?s WHERE { ?s a <http://www.w3.org/ns/org#Organization> }"
    yield "ASK { <http://example.org/nothing> ?p ?o }"


@pytest.mark.parametrize("result_format", ["json", "xml", "csv", "tsv"])
def test_the_lane_answers_as_the_engine_does(store: ox.Store, result_format: str) -> None:
    lane, compared = PatternLane(store), 0
    for query in _queries(store):
        for max_rows in (5, 10_000):  # cut, with the signal, and whole
            request = QueryRequest(query, result_format, "nt", max_rows=max_rows)
            ours, engine = lane.answer(request), execute(store, request)
            assert ours is not None, query
            assert (ours.body, ours.rows, ours.truncated) == (engine.body, engine.rows, engine.truncated), query
            compared += 1
    assert compared > 100


def test_the_lane_reads_at_most_its_bound_then_hands_over(store: ox.Store) -> None:
    lane = PatternLane(store)
    assert len(store) > MAX_ROWS
    everything = "SELECT * WHERE { ?s ?p ?o }"
    assert lane.answer(QueryRequest(everything, max_rows=MAX_ROWS * 10)) is None  # the workers answer it
    cut = lane.answer(QueryRequest(everything, max_rows=100))
    assert cut is not None and cut.rows == 100 and cut.truncated == "rows"
    assert lane.answer(QueryRequest(everything, default_graphs=("https://w3id.org/partnergraph/graph/data",))) is None


@pytest.mark.parametrize("lane", ["true", "false"])
def test_over_http_one_pattern_skips_the_workers_and_more_does_not(
    published: Release, tmp_path_factory: pytest.TempPathFactory, lane: str
) -> None:
    with release_server(published, tmp_path_factory, pattern_lane=lane, answer_cache_mb="0") as server:
        lookup = server.get("/sparql?" + urlencode({"query": f"SELECT ?o WHERE {{ <{LUMC}> <{SKOS}prefLabel> ?o }}"}))
        joined = server.get("/sparql?" + urlencode({"query": f"SELECT ?o WHERE {{ <{LUMC}> ?p ?o . ?o ?q ?r }}"}))
        metrics = server.get("/metrics").text
    assert lookup.status == joined.status == 200
    assert {b["o"]["value"] for b in json.loads(lookup.body)["results"]["bindings"]} == {
        "Leiden University Medical Center"
    }
    answered = next(line for line in metrics.splitlines() if line.startswith("partnergraph_pattern_lane_total"))
    assert float(answered.split()[1]) == (1.0 if lane == "true" else 0.0)


@pytest.mark.parametrize(("raw", "expected"), [("false", False), ("Off", False), ("0", False), ("true", True)])
def test_the_lane_is_switched_by_true_or_false(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("PARTNERGRAPH_PATTERN_LANE", raw)
    assert ServiceConfig.load().pattern_lane is expected


def test_a_switch_that_is_neither_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARTNERGRAPH_PATTERN_LANE", "sometimes")
    with pytest.raises(InputError, match="'pattern_lane': 'sometimes' is not true or false"):
        ServiceConfig.load()

"""import-ror: a ROR dump as RDF in its own graph, and one query joining it with our graph."""

from __future__ import annotations

import csv
import gzip
import io
import json
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from partnergraph.linking.ror_rdf import GRAPH, import_ror
from partnergraph.pipeline.release import Release
from partnergraph.store.oxigraph import OxigraphStore

from .conftest import PROJECT
from .server import Server
from .test_linking_wikidata import endpoint  # noqa: F401 - the local Wikidata stand-in, a module fixture

SLICE = PROJECT / "tests/fixtures/ror/slice.jsonl.gz"


@pytest.fixture(scope="module")
def ror_rdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ror") / "ror.nq.gz"
    report = import_ror(SLICE, out)
    raw = [json.loads(line) for line in gzip.decompress(SLICE.read_bytes()).decode().splitlines()]
    assert report.records == len(raw) and report.v1_records == sum("names" not in r for r in raw) > 0
    assert report.triples > 300
    return out


def triples_about(path: Path, iri: str) -> set[tuple[str, str]]:
    dataset = ox.Dataset(ox.parse(gzip.decompress(path.read_bytes()), format=ox.RdfFormat.N_QUADS))
    return {(q.predicate.value, q.object.value) for q in dataset if q.subject.value == iri and q.graph_name == GRAPH}


def test_a_record_becomes_rdf_in_the_ror_graph(ror_rdf: Path) -> None:
    lu = triples_about(ror_rdf, "https://ror.org/027bh9e22")
    assert ("http://www.w3.org/2004/02/skos/core#prefLabel", "Leiden University") in lu
    assert ("http://www.w3.org/2004/02/skos/core#altLabel", "Universiteit Leiden") in lu
    assert ("http://purl.org/dc/terms/type", "education") in lu
    assert ("http://schema.org/sameAs", "http://www.wikidata.org/entity/Q156598") in lu
    assert any(p == "http://schema.org/location" and o.startswith("https://sws.geonames.org/") for p, o in lu)


def test_relationships_to_records_outside_the_dump_stay_iris(ror_rdf: Path) -> None:
    bronovo = triples_about(ror_rdf, "https://ror.org/03r781319")
    assert ("http://purl.org/dc/terms/replaces", "https://ror.org/00v2tx290") in bronovo
    assert ("https://w3id.org/partnergraph/ontology#recordStatus", "inactive") in bronovo


def test_v1_records_are_converted_too(ror_rdf: Path) -> None:
    raw = [json.loads(line) for line in gzip.decompress(SLICE.read_bytes()).decode().splitlines()]
    v1 = [record for record in raw if "names" not in record]
    assert v1 and triples_about(ror_rdf, v1[0]["id"])


def test_one_query_joins_our_graph_and_ror(ror_rdf: Path, published: Release) -> None:
    store = OxigraphStore.from_files([published.directory / "dataset.nq", ror_rdf])
    query = (PROJECT / "docs/queries/joined/partners-with-ror-types.rq").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(store.query(query, "csv").decode("utf-8"))))
    by_name = {row["name"]: row for row in rows}
    assert "education" in by_name["Delft University of Technology"]["rorTypes"]
    assert by_name["Leiden University Medical Center"]["country"] == "NL"


def test_the_readme_join_example_stands_alone(published: Release, tmp_path: Path) -> None:
    """The README's two commands, as written, with the build directory moved to a temporary one."""
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    commands = [
        line for line in readme.splitlines() if line.startswith(".venv/bin/partnergraph ") and "ror.nq.gz" in line
    ]
    assert [c.split()[1] for c in commands] == ["import-ror", "query", "serve"]
    for command in commands[:2]:
        command = command.replace("build/current/", f"{published.directory}/").replace("build/", f"{tmp_path}/")
        args = shlex.split(command)
        done = subprocess.run(
            [sys.executable, "-m", "partnergraph.cli", *args[1:]], cwd=PROJECT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) >= 10 and {row["country"] for row in rows} == {"NL"}


def test_import_command_writes_atomically_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "ror.nq.gz"
    result = subprocess.run(
        [sys.executable, "-m", "partnergraph.cli", "import-ror", str(SLICE), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and "triples per second" in result.stdout and out.exists()
    assert not (tmp_path / "ror.nq.gz.tmp").exists()


@pytest.fixture(scope="module")
def federating(published: Release, endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:  # noqa: F811
    running = Server(
        ["--release", str(published.directory)],
        {
            "PARTNERGRAPH_STORE_CACHE": str(tmp_path_factory.mktemp("stores")),
            "PARTNERGRAPH_SERVICE_ALLOWLIST": endpoint,
        },
        PROJECT,
    )
    yield running
    running.stop()


def test_federated_example_joins_wikidata_when_allow_listed(federating: Server, endpoint: str) -> None:  # noqa: F811
    query = (PROJECT / "docs/queries/joined/wikidata-inception.rq").read_text(encoding="utf-8")
    local = query.replace("https://query.wikidata.org/sparql", endpoint)  # the local stand-in for Wikidata
    reply = federating.request("POST", "/sparql", local, {"Content-Type": "application/sparql-query"})
    rows = json.loads(reply.body)["results"]["bindings"]
    assert reply.status == 200 and [r["name"]["value"] for r in rows] == ["Leiden University"]
    refused = federating.request("POST", "/sparql", query, {"Content-Type": "application/sparql-query"})
    assert refused.status == 403 and "not on the allow-list" in json.loads(refused.body)["detail"]

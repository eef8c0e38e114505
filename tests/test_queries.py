"""The example queries in docs/queries answer on the real build, through the embedded engine and the CLI."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from partnergraph.errors import InputError
from partnergraph.pipeline.release import Release
from partnergraph.store.oxigraph import OxigraphStore

from .conftest import PROJECT

QUERIES = sorted((PROJECT / "docs/queries").glob("*.rq"))


@pytest.fixture(scope="module")
def store(published: Release) -> OxigraphStore:
    return OxigraphStore.from_files([published.directory / "dataset.nq.gz"])


def rows(store: OxigraphStore, name: str) -> list[dict[str, str]]:
    answer = store.query((PROJECT / "docs/queries" / name).read_text(encoding="utf-8"), "csv").decode("utf-8")
    return list(csv.DictReader(io.StringIO(answer)))


def test_there_are_at_least_ten_example_queries() -> None:
    assert len(QUERIES) >= 10


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_each_example_query_answers(store: OxigraphStore, path: Path) -> None:
    assert rows(store, path.name), f"{path.name} returned nothing"


def test_disagreements_show_both_sides_with_their_documents(store: OxigraphStore) -> None:
    found = {
        (r["subject"].rsplit("/", 1)[-1], r["value"].rsplit("/", 1)[-1], r["document"][:3])
        for r in rows(store, "disagreements.rq")
    }
    assert found == {
        ("bronovo", "rotterdam", "000"),
        ("bronovo", "the-hague", "001"),
        ("lde", "8", "002"),
        ("lde", "5", "004"),
        ("leiden-city-of-knowledge", "2012", "001"),
        ("leiden-city-of-knowledge", "P5Y", "003"),
    }


def test_figures_keep_their_hedge(store: OxigraphStore) -> None:
    found = {(r["of"], r["value"], r["hedge"], r["counted"], r["document"][:3]) for r in rows(store, "figures.rq")}
    assert ("Leiden Bio Science Park", "103", "more than", "biomedical companies", "001") in found
    # numbers written as words, durations, and figures about partnerships and agreements
    assert ("Life meets Science", "10", "", "years", "000") in found
    assert ("Alliance between LUMC and Bronovo Hospital (2006)", "2", "", "hospitals", "000") in found
    lde_and_centres = "Collaboration of the LDE universities and the two university medical centres"
    assert (lde_and_centres, "2", "", "university medical centres", "004") in found
    count = "SELECT (COUNT(?claim) AS ?n) WHERE { ?claim a <https://w3id.org/partnergraph/ontology#QuantityClaim> }"
    claims = int(next(csv.DictReader(io.StringIO(store.query(count, "csv").decode("utf-8"))))["n"])
    assert len(rows(store, "figures.rq")) == claims >= 22  # one row per figure claim, not one per language


def test_partners_in_health(store: OxigraphStore) -> None:
    names = {r["name"] for r in rows(store, "partners-in-health.rq")}
    assert {"Erasmus MC", "Leiden University Medical Center", "Delft University of Technology"} <= names
    assert "Leiden University" not in names


def test_agreements_since_2015_keep_date_precision(store: OxigraphStore) -> None:
    concluded = {r["concluded"] for r in rows(store, "agreements-since-2015.rq")}
    assert concluded == {"2016", "2017-07", "2019"}


def test_graph_queries_answer_in_turtle(store: OxigraphStore) -> None:
    turtle = store.query("CONSTRUCT WHERE { <https://w3id.org/partnergraph/id/org/lumc> ?p ?o }").decode("utf-8")
    assert "<https://w3id.org/partnergraph/id/org/lumc>" in turtle and "Leiden University Medical Center" in turtle


def test_malformed_query_is_an_input_error_with_its_position(store: OxigraphStore) -> None:
    with pytest.raises(InputError, match=r"not valid SPARQL: error at 1:25"):
        store.query("SELECT * WHERE { ?s ?p }")


def test_query_command(published: Release) -> None:
    command = [
        sys.executable,
        "-m",
        "partnergraph.cli",
        "query",
        "--format",
        "csv",
        "--data",
        str(published.directory / "dataset.trig"),
        "-f",
        str(PROJECT / "docs/queries/founders.rq"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Cyber Security Academy The Hague" in result.stdout
    bad = subprocess.run([*command[:-2], "ASK { ?s }"], capture_output=True, text=True, timeout=120)
    assert (
        bad.returncode == 2
        and bad.stderr.startswith("error: query is not valid SPARQL")
        and "Traceback" not in bad.stderr
    )

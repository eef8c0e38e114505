"""Dates an extracted claim gives: at the precision the sentence states, and a founding date only where the graph
has none."""

from __future__ import annotations

import pytest

from partnergraph.extract.dates import stated_date
from partnergraph.extract.draft import draft
from partnergraph.extract.gazetteer import Gazetteer
from partnergraph.extract.model import Name
from partnergraph.pipeline.registry import load_registry

from .conftest import PROJECT


@pytest.mark.parametrize(
    ("sentence", "date"),
    [
        ("The partners signed the agreement on 12 March 2021.", "2021-03-12"),
        ("signed on March 5, 2019", "2019-03-05"),
        ("op 3 maart 2020 ondertekend", "2020-03-03"),
        ("In early July 2017, they concluded a Cooperation Agreement 2017-2021", "2017-07"),
        ("hebben in 2020 een convenant ondertekend", "2020"),
        ("A new agreement will be signed on 11 November.", "--11-11"),
        ("on 29 February", "--02-29"),
        ("on 31 February 2020", "2020-02"),  # a day that does not exist: its month does
        ("op 11 november", None),  # the build checks a day without a year against English month names only
        ("The partners signed an agreement.", None),
    ],
)
def test_a_date_at_the_precision_the_sentence_states(sentence: str, date: str | None) -> None:
    assert stated_date(sentence) == date


def test_an_agreement_is_concluded_on_its_day_and_only_a_new_organisation_gets_a_founding_date() -> None:
    known = [
        Name("Leiden University", "leiden-university", "organisation", "name", "university"),
        Name("TU Delft", "tu-delft", "organisation", "name", "university"),
        Name("Naturalis", "naturalis", "organisation", "name", "museum"),
    ]
    text = (
        "Leiden University and TU Delft signed a covenant on 12 March 2021. "
        "The Quantum Tulip Foundation was founded by Leiden University and TU Delft in 2016. "
        "Naturalis was founded by Leiden University in 1998."
    )
    registry = load_registry(PROJECT / "data/registry.yaml")
    claims = draft(text, Gazetteer(known), registry, 0.5, False, []).claims
    assert [c.get("concluded") for c in claims if "parties" in c] == ["2021-03-12"]
    founded = {c["of"]: c.get("founded") for c in claims if "founders" in c}
    assert founded == {"quantum-tulip-foundation": "2016", "naturalis": None}  # Naturalis is in the registry

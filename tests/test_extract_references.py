"""Extraction across sentences: counted references ("the three organisations"), "this Centre", the partners of a
group just named, an agreement named after a group, and the places the project already knows."""

from __future__ import annotations

from partnergraph.extract.candidates import candidates
from partnergraph.extract.draft import draft
from partnergraph.extract.gazetteer import Gazetteer
from partnergraph.extract.model import Candidate, Name
from partnergraph.pipeline.registry import load_registry

from .conftest import PROJECT

ORG = "organisation"
KNOWN = [
    Name("Erasmus MC", "erasmus-mc", ORG, "name", "university-medical-centre"),
    Name("Erasmus University Rotterdam", "eur", ORG, "name", "university"),
    Name("TU Delft", "tu-delft", ORG, "name", "university"),
    Name("Leiden University", "leiden-university", ORG, "name", "university"),
    Name("LUMC", "lumc", ORG, "name", "university-medical-centre"),
    Name("Naturalis", "naturalis", ORG, "name", "museum"),
    Name("mboRijnland", "mbo-rijnland", ORG, "name", "school"),
    Name("Leiden City of Knowledge", "lcok", ORG, "name", "collaboration"),
    Name("Groningen Kennisstad", "gk", ORG, "name", "programme"),
    Name("Municipality of Leiden", "municipality-leiden", ORG, "name", "municipality"),
    Name("Rotterdam", "rotterdam", "place", "name"),
    Name("Leiden", "leiden", "place", "name"),
]


def found(text: str, located: set[str] | None = None) -> list[Candidate]:
    gazetteer = Gazetteer(KNOWN, located)
    return candidates(text, gazetteer.find(text), known=gazetteer)


def keys(candidate: Candidate) -> tuple[str | None, list[str | None]]:
    return (candidate.of.name.key if candidate.of else None), [v.name.key for v in candidate.values]


def test_a_counted_reference_stands_for_the_organisations_named_last() -> None:
    text = (
        "Erasmus MC, Erasmus University Rotterdam and TU Delft wish to intensify their collaboration. "
        "The boards of the three organisations have signed an agreement."
    )
    parties = [c for c in found(text) if c.key == "parties"]
    assert [keys(c) for c in parties] == [(None, ["erasmus-mc", "eur", "tu-delft"])]
    assert [passage for passage, _ in parties[0].context] == [text.split(". ")[0] + "."]  # read from context


def test_a_counted_reference_needs_as_many_organisations_of_its_kind() -> None:
    text = "Erasmus MC and TU Delft work together. The two university medical centres have signed an agreement."
    assert [c for c in found(text) if c.key == "parties"] == []  # one medical centre is named, not two


def test_the_parties_of_a_group_just_named_are_its_members() -> None:
    text = (
        "Leiden University and TU Delft have signed a covenant. It builds on the programme Groningen Kennisstad. "
        "The two partners work together on housing."
    )
    members = [keys(c) for c in found(text) if c.key == "members"]
    assert ("gk", ["leiden-university", "tu-delft"]) in members
    assert not [c for c in found(text) if c.key == "partners"]


def test_an_agreement_named_after_a_group_binds_its_members() -> None:
    text = (
        "Leiden City of Knowledge comprises Leiden University, LUMC and Naturalis. "
        "They will be joined by mboRijnland on 11 November. "
        "The new Leiden City of Knowledge agreement is signed at Naturalis."
    )
    parties = [c for c in found(text) if c.key == "parties"]
    assert [keys(c) for c in parties] == [(None, ["leiden-university", "lumc", "naturalis", "mbo-rijnland"])]
    assert parties[0].found_by == "rule:agreement-of-group" and parties[0].context
    assert ("lcok", ["mbo-rijnland"]) in [keys(c) for c in found(text) if c.key == "members"]


def test_this_centre_points_back_and_a_new_centre_may_have_members() -> None:
    text = (
        "Leiden University and the LUMC are involved in the Centre for Medical Systems Biology. "
        "Erasmus University Rotterdam and TU Delft also participate in this Centre."
    )
    members = [(c.of.name.text if c.of else None, keys(c)[1], bool(c.context)) for c in found(text)]
    assert ("Centre for Medical Systems Biology", ["leiden-university", "lumc"], False) in members
    assert ("Centre for Medical Systems Biology", ["eur", "tu-delft"], True) in members


def test_a_group_in_brackets_keeps_a_member_named_earlier_in_the_sentence() -> None:
    text = "The collaboration of TU Delft and Erasmus MC shapes Leiden City of Knowledge (Leiden University, TU Delft)."
    members = [keys(c) for c in found(text) if c.key == "members"]
    assert members == [("lcok", ["leiden-university", "tu-delft"])]


def test_a_place_the_project_already_states_is_not_proposed_again() -> None:
    text = "Erasmus University Rotterdam and Leiden University work together."
    places = {(keys(c)[0], c.method) for c in found(text, located={"eur"}) if c.key == "location"}
    assert places == {("leiden-university", "from-name")}


def test_a_new_organisation_given_members_is_drafted_as_a_collaboration() -> None:
    """A head noun guesses a research centre; a text giving it participants makes it a collaboration, which is what
    the shapes let have members."""
    text = "Leiden University and TU Delft participate in the Centre for Quantum Tulips."
    drafted = draft(text, Gazetteer(KNOWN), load_registry(PROJECT / "data/registry.yaml"), 0.5, True, [])
    assert drafted.registry["organisations"]["centre-for-quantum-tulips"]["type"] == "consortium"


def test_this_with_an_adjective_names_the_new_organisation_opening_the_sentence_before() -> None:
    text = (
        "UNIIQ helps entrepreneurs bring their innovation to the market faster. This\xa0investment fund was set up by "
        "a consortium consisting of Erasmus MC, TU Delft and Leiden University."
    )
    founders = [(c.of.name.text if c.of else None, keys(c)[1], bool(c.context)) for c in found(text)]
    assert ("UNIIQ", ["erasmus-mc", "tu-delft", "leiden-university"], True) in founders


def test_a_counted_reference_takes_what_the_last_relation_listed_when_they_are_as_many() -> None:
    text = "Leiden University, LUMC and TU Delft founded Naturalis. The three partners signed the agreement in 2021."
    parties = [keys(c) for c in found(text) if c.key == "parties"]
    assert parties == [(None, ["leiden-university", "lumc", "tu-delft"])]  # not the museum they founded


def test_institutions_are_those_that_teach_heal_research_or_collect() -> None:
    text = "Naturalis and LUMC work with the Municipality of Leiden. De twee instellingen werken samen met TU Delft."
    partners = [keys(c)[1] for c in found(text) if c.key == "partners"]
    assert partners[-1] == ["naturalis", "lumc", "tu-delft"]  # not the municipality named last

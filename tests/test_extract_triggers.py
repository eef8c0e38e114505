"""Extraction within a sentence: the trigger phrases for kinds beyond membership (incubation, recognition,
coordination, implementation, backing "along with" others) and the groups a sentence puts organisations in."""

from __future__ import annotations

from partnergraph.extract.candidates import candidates
from partnergraph.extract.gazetteer import Gazetteer
from partnergraph.extract.model import Candidate, Name

ORG = "organisation"
KNOWN = [
    Name("BioPartner", "biopartner", ORG, "name", "business-centre"),
    Name("Crucell", "crucell", ORG, "name", "company"),
    Name("Galapagos", "galapagos", ORG, "name", "company"),
    Name("Medical Delta", "medical-delta", ORG, "name", "consortium"),
    Name("EU", "eu", ORG, "acronym", "supranational-body"),
    Name("Leiden University", "leiden-university", ORG, "name", "university"),
    Name("LUMC", "lumc", ORG, "name", "university-medical-centre"),
    Name("TU Delft", "tu-delft", ORG, "name", "university"),
    Name("Faculty of Science", "faculty-of-science", ORG, "name", "faculty"),
    Name("LeidenGlobal", "leidenglobal", ORG, "name", "network"),
    Name("Economie071", "economie071", ORG, "name", "foundation"),
    Name("Leiden Bio Science Park Foundation", "lbsp", ORG, "name", "foundation"),
]


def found(text: str) -> set[tuple[str, str | None, tuple[str | None, ...]]]:
    gazetteer = Gazetteer(KNOWN)
    return {_shape(c) for c in candidates(text, gazetteer.find(text), known=gazetteer)}


def _shape(candidate: Candidate) -> tuple[str, str | None, tuple[str | None, ...]]:
    of = (candidate.of.name.key or candidate.of.name.text) if candidate.of else None
    return candidate.key, of, tuple(v.name.key or v.name.text for v in candidate.values)


def test_companies_that_started_here_were_incubated_where_the_sentence_before_is_about() -> None:
    text = (
        "BioPartner is the largest business centre for new businesses in the country. "
        "Companies that originally started in here include:\n\n  • Crucell\n  • Galapagos\n"
    )
    assert ("incubated", "biopartner", ("crucell", "galapagos")) in found(text)


def test_recognised_coordinated_and_implemented_by() -> None:
    assert ("recognised-by", "medical-delta", ("eu",)) in found("Medical Delta is recognised by the EU as a region.")
    assert ("coordinated-by", "medical-delta", ("lumc",)) in found("Medical Delta is coordinated by the LUMC.")
    text = "LeidenGlobal is carried out by Economie071 in the region."
    assert ("implemented-by", "leidenglobal", ("economie071",)) in found(text)


def test_the_parties_behind_a_foundation_along_with_others_are_its_sponsors() -> None:
    text = "Leiden University is one of the parties behind the Leiden Bio Science Park Foundation, along with the LUMC."
    assert ("sponsors", "lbsp", ("leiden-university", "lumc")) in found(text)


def test_part_of_a_consortium_is_membership_and_a_brand_names_its_kind() -> None:
    text = "Medical Delta is recognised widely and is part of the prestigious European HealthTIES consortium."
    assert ("members", "HealthTIES", ("medical-delta",)) in found(text)


def test_collaborating_in_a_named_partnership_is_membership() -> None:
    text = "Leiden University collaborates in the LeidenGlobal partnership, where museums bring together knowledge."
    assert found(text) == {("members", "leidenglobal", ("leiden-university",))}


def test_a_unit_and_its_organisation_are_one_partner() -> None:
    text = "The Faculty of Science at Leiden University and TU Delft have been collaborating for years."
    assert ("partners", None, ("faculty-of-science", "tu-delft")) in found(text)
    assert not any(key == "partners" and "leiden-university" in values for key, _, values in found(text))


def test_an_acronym_standing_alone_names_an_organisation_unless_it_abbreviates_or_explains_something_else() -> None:
    text = (
        "LATEST NEWS\n"
        "In PLNT, Leiden University and TU Delft have joined forces. Students follow HBO programmes there. "
        "The park (LBSP) grows: Leiden Bio Science Park (LBSP) hosts the development of DORA, the digital assistant."
    )
    known = [*KNOWN, Name("Leiden Bio Science Park", "lbsp-place", "place", "name")]
    named = {m.name.text for m in Gazetteer(known).find(text) if m.name.kind == "organisation" and m.name.key is None}
    assert named == {"PLNT"}
    assert ("members", "PLNT", ("leiden-university", "tu-delft")) in found(text)


def test_a_unit_said_to_be_one_of_an_organisation_is_part_of_it() -> None:
    known = [*KNOWN, Name("Luris", "luris", ORG, "name", "expertise-centre")]
    text = "Luris is the expertise Centre at Leiden University. TU Delft is a partner of Leiden University."
    gazetteer = Gazetteer(known)
    parts = {_shape(c) for c in candidates(text, gazetteer.find(text), known=gazetteer) if c.key == "parts"}
    assert parts == {("parts", "leiden-university", ("luris",))}


def test_members_named_together_with_one_and_groups_launched_or_started() -> None:
    text = "TU Delft is a member of the Medical Delta consortium, together with the LUMC and Leiden University."
    assert ("members", "medical-delta", ("tu-delft", "lumc", "leiden-university")) in found(text)
    text = (
        "Leiden University and the LUMC launched LeidenGlobal. TU Delft en Leiden University starten samen Economie071."
    )
    assert {
        ("founders", "leidenglobal", ("leiden-university", "lumc")),
        ("founders", "economie071", ("tu-delft", "leiden-university")),
    } <= found(text)


def test_working_together_with_one_is_a_partnership_and_via_one_is_membership() -> None:
    with_it = found("Leiden University and the LUMC work together with TU Delft on housing.")
    assert with_it == {("partners", None, ("leiden-university", "lumc", "tu-delft"))}
    via = found("Leiden University and the LUMC have been working together for years via LeidenGlobal.")
    assert via == {("members", "leidenglobal", ("leiden-university", "lumc"))}

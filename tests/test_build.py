"""The real graph: complete, every fact evidenced by a verifiable quote, disagreements kept, reproducible."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_isomorphic

from partnergraph.config import Settings
from partnergraph.pipeline.release import validation_graph
from partnergraph.pipeline.run import BuiltGraph, build_graph
from partnergraph.pipeline.truthy import INVERSES
from partnergraph.pipeline.validate import validate
from partnergraph.vocab import DCTERMS, OA, ORG, PG, PROV, RDF, SCHEMA, SKOS

from .conftest import PROJECT

ID = "https://w3id.org/partnergraph/id/"

# An independent checklist, written by reading the pages: (document, name as written) pairs the graph must hold.
NAMES_AS_WRITTEN = [
    ("000", "TU Delft"),
    ("000", "Erasmus University"),
    ("000", "TNO"),
    ("000", "Centre for Medical Systems Biology"),
    ("000", "VU University Amsterdam"),
    ("000", "Bronovo Hospital"),
    ("000", "TNO Prevention and Health"),
    ("000", "TNO-PG"),
    ("000", "National Museum of Natural History"),
    ("000", "City Partners Network"),
    ("000", "Leiden Centre Management"),
    ("000", "The Hague City Council"),
    ("000", "Leiden City Council"),
    ("001", "Universiteit Leiden"),
    ("001", "Leiden University Medical Centre"),
    ("001", "HMC-Bronovo"),
    ("001", "Haga Hospital"),
    ("001", "Reinier-Haga Group"),
    ("001", "Royal Conservatoire"),
    ("001", "Royal Academy of Art"),
    ("001", "Academy of Creative and Performing Arts"),
    ("001", "CSA"),
    ("001", "Economie071 Foundation"),
    ("001", "Student en Stad"),
    ("001", "Universities of the Netherlands"),
    ("001", "HealthTIES"),
    ("001", "Wageningen University"),
    ("001", "ACCEZ"),
    ("001", "UNIIQ"),
    ("001", "InnovationQuarter"),
    ("001", "Erasmus MC"),
    ("001", "PLNT"),
    ("001", "Lugus"),
    ("001", "Luris"),
    ("001", "De Zijl Bedrijven"),
    ("001", "Hortus botanicus"),
    ("001", "LeidenGlobal"),
    ("001", "Taalmuseum"),
    ("001", "STZ"),
    ("001", "EU"),
    ("001", "province of South Holland"),
    ("002", "OVBSP"),
    ("002", "Leiden Bio Science Park Foundation"),
    ("002", "BioPartner Center Leiden"),
    ("002", "Crucell"),
    ("002", "OctoPlus"),
    ("002", "Galapagos"),
    ("002", "Xendo"),
    ("002", "Millipore"),
    ("002", "Pharming"),
    ("002", "Lorentz Center"),
    ("002", "Oegstgeest"),
    ("002", "Leiderdorp"),
    ("002", "Voorschoten"),
    ("002", "Zoeterwoude"),
    ("002", "Katwijk"),
    ("002", "Hogeschool Leiden"),
    ("002", "Centre for Innovation and Entrepreneurship"),
    ("002", "Delft Technical University"),
    ("002", "LERU"),
    ("003", "University of Applied Sciences Leiden"),
    ("003", "Naturalis Biodiversity Center"),
    ("003", "mboRijnland"),
    ("003", "CDKM"),
    ("003", "Taskforce for Applied Research SIA"),
    ("003", "NWO"),
    ("003", "Learning with the City"),
    ("003", "Leiden Education Field Lab"),
    ("003", "Kennis Maken Den Haag"),
    ("003", "Student & City"),
    ("004", "EUR"),
    ("004", "Holland Proton Therapy Centre"),
    ("004", "Medical Data programme"),
    ("004", "Casimir Research School"),
    ("004", "LDE"),
]


def names_by_document(built: BuiltGraph) -> set[tuple[str, str]]:
    return {
        (fact.document[:3], fact.obj)
        for fact in built.facts
        if fact.predicate in ("prefLabel", "altLabel", "acronym") and fact.obj is not None
    }


@pytest.mark.parametrize(("document", "name"), NAMES_AS_WRITTEN)
def test_every_organisation_named_in_the_pages_is_in_the_graph(built: BuiltGraph, document: str, name: str) -> None:
    assert (document, name) in names_by_document(built)


def test_the_real_data_conforms(built: BuiltGraph) -> None:
    report = validate(validation_graph(built.parts), built.parts["shapes"])
    assert report.conforms, [r.message for r in report.violations]


def test_every_quote_is_the_documents_text_at_its_offsets(built: BuiltGraph) -> None:
    """Re-read each document file and compare, independently of the build's own quote finder."""
    provenance = built.parts["provenance"]
    texts = {
        document.id: (PROJECT / "data/documents" / f"{document.id}.txt").read_text(encoding="utf-8")
        for document in built.documents
    }
    checked = 0
    for evidence in set(provenance.subjects(RDF.type, OA.SpecificResource)):
        document_id = str(provenance.value(evidence, OA.hasSource)).rsplit("/", 1)[-1]
        selectors = list(provenance.objects(evidence, OA.hasSelector))
        exact = next(provenance.value(s, OA.exact) for s in selectors if provenance.value(s, OA.exact) is not None)
        position = next(s for s in selectors if provenance.value(s, OA.start) is not None)
        start, end = int(provenance.value(position, OA.start)), int(provenance.value(position, OA.end))
        assert texts[document_id][start:end] == str(exact)
        checked += 1
    quoted = set(provenance.objects(None, PG.evidence)) | set(provenance.objects(None, PG.contextEvidence))
    assert checked == len(quoted) > 250 and set(provenance.objects(None, PG.contextEvidence))  # context passages too


def test_every_published_statement_is_backed_by_a_claim(built: BuiltGraph) -> None:
    data, provenance = built.parts["data"], built.parts["provenance"]
    backed = {
        (provenance.value(c, RDF.subject), provenance.value(c, RDF.predicate), provenance.value(c, RDF.object))
        for c in provenance.subjects(RDF.type, PG.Claim)
        if provenance.value(c, PG.rank) != PG.DeprecatedRank
    }
    backed |= {(o, INVERSES[p], s) for s, p, o in backed if p in INVERSES}  # org:hasMember with org:memberOf
    curated = {RDF.type, SKOS.prefLabel, ORG.classification, PROV.wasDerivedFrom}
    memberships = set(data.subjects(RDF.type, ORG.Membership))
    unbacked = [
        t
        for t in data
        if t[1] not in curated and t[0] not in memberships and t not in backed and t[1] != ORG.hasMembership
    ]
    assert unbacked == []


def test_org_inverses_are_published_for_clients_that_query_from_the_other_side(built: BuiltGraph) -> None:
    data = built.parts["data"]
    lde, lu = URIRef(f"{ID}org/lde"), URIRef(f"{ID}org/leiden-university")
    assert (lde, ORG.hasMember, lu) in data and (lu, ORG.memberOf, lde) in data
    for forward, inverse in INVERSES.items():
        assert {(s, o) for s, o in data.subject_objects(forward)} == {(o, s) for s, o in data.subject_objects(inverse)}
        assert set(data.subject_objects(forward))
    assert len(data) > 1000


def test_published_data_has_no_blank_nodes(built: BuiltGraph) -> None:
    for part in ("data", "provenance"):
        assert not [t for t in built.parts[part] if any(isinstance(term, BNode) for term in t)]


def test_a_rebuild_gives_identical_iris_and_triples(built: BuiltGraph) -> None:
    again = build_graph(Settings(root=PROJECT))
    for part in ("data", "provenance"):
        assert to_isomorphic(again.parts[part]) == to_isomorphic(built.parts[part])
        assert set(again.parts[part].subjects()) == set(built.parts[part].subjects())


def test_base_iri_is_configurable_and_the_only_host_in_the_data(tmp_path: object) -> None:
    other = build_graph(Settings(root=PROJECT, base_iri="https://data.example.org/pg/"))
    subjects = {str(s) for s in other.parts["data"].subjects()}
    assert "https://data.example.org/pg/id/org/lumc" in subjects
    assert not [s for s in subjects if s.startswith("https://w3id.org/partnergraph/id/")]


def claims_about(built: BuiltGraph, subject: str, predicate: URIRef) -> list[URIRef]:
    provenance = built.parts["provenance"]
    return [
        c
        for c in provenance.subjects(RDF.subject, URIRef(ID + subject))
        if provenance.value(c, RDF.predicate) == predicate
    ]


def test_contradicting_locations_are_both_kept_and_the_preferred_one_is_published(built: BuiltGraph) -> None:
    provenance, data = built.parts["provenance"], built.parts["data"]
    bronovo = URIRef(ID + "org/bronovo")
    claims = {
        (str(provenance.value(c, RDF.object)).rsplit("/", 1)[-1], provenance.value(c, PG.rank))
        for c in claims_about(built, "org/bronovo", SCHEMA.location)
    }
    assert claims == {("rotterdam", PG.DeprecatedRank), ("the-hague", PG.PreferredRank)}
    assert set(data.objects(bronovo, SCHEMA.location)) == {URIRef(ID + "place/the-hague")}


def test_differing_counts_are_both_kept_with_their_sources(built: BuiltGraph) -> None:
    provenance = built.parts["provenance"]
    centres = {
        (int(provenance.value(c, SCHEMA.value)), str(provenance.value(c, PROV.wasDerivedFrom))[-20:-17])
        for c in claims_about(built, "org/lde", PG.numberOf)
        if str(provenance.value(c, PG.countedKind)).endswith("/lde-centre")
    }
    assert centres == {(8, "002"), (5, "004")}


def test_start_dates_that_differ_are_kept_without_inventing_a_year(built: BuiltGraph) -> None:
    provenance = built.parts["provenance"]
    claims = claims_about(built, "org/leiden-city-of-knowledge", SCHEMA.foundingDate)
    stated = {(provenance.value(c, RDF.object), provenance.value(c, PG.beforePublication)) for c in claims}
    assert {(str(o) if o else None, str(d) if d else None) for o, d in stated} == {("2012", None), (None, "P5Y")}


def test_dates_keep_their_precision(built: BuiltGraph) -> None:
    data = built.parts["data"]
    agreement = URIRef(ID + "agreement/lcok-cooperation-agreement-2017-2021")
    concluded = data.value(agreement, PG.concludedOn)
    assert isinstance(concluded, Literal) and (str(concluded), concluded.datatype.rsplit("#")[-1]) == (
        "2017-07",
        "gYearMonth",
    )
    renewal = URIRef(ID + "agreement/lcok-partnership-agreement-renewal")
    assert data.value(renewal, PG.concludedOn) is None  # "will be signed": kept as a planned claim, not published
    (planned,) = claims_about(built, "agreement/lcok-partnership-agreement-renewal", PG.concludedOn)
    provenance = built.parts["provenance"]
    assert str(provenance.value(planned, RDF.object)) == "--11-11"
    assert provenance.value(planned, PG.modality) == URIRef("https://w3id.org/partnergraph/concept/modality/planned")
    document = built.parts["provenance"].value(URIRef(ID + "document/000_3d6a43ddcf743a48"), DCTERMS.modified)
    assert str(document) == "2014-09-10"


def test_memberships_carry_roles_and_point_from_member_to_organisation(built: BuiltGraph) -> None:
    data = built.parts["data"]
    lu, lde = URIRef(ID + "org/leiden-university"), URIRef(ID + "org/lde")
    assert (lu, ORG.memberOf, lde) in data
    membership = URIRef(ID + "membership/lde/leiden-university/alliance-partner")
    assert (membership, ORG.member, lu) in data and (membership, ORG.organization, lde) in data
    derived = set(data.objects(membership, PROV.wasDerivedFrom))
    assert len({str(claim).split("/claim/")[1][:3] for claim in derived}) == 4  # four pages state LDE's members
    since = URIRef(ID + "membership/campus-the-hague/tu-delft/participant")
    assert str(data.value(since, SCHEMA.startDate)) == "2005" and (since, RDF.type, SCHEMA.OrganizationRole) in data
    mbo, lcok = URIRef(ID + "org/mbo-rijnland"), URIRef(ID + "org/leiden-city-of-knowledge")
    assert (mbo, ORG.memberOf, lcok) not in data  # "they will be joined by mboRijnland": planned
    assert any(
        built.parts["provenance"].value(c, PG.modality) for c in claims_about(built, "org/mbo-rijnland", ORG.memberOf)
    )


def test_bilateral_agreements_are_recognised(built: BuiltGraph) -> None:
    data = built.parts["data"]
    bilateral = {str(a).rsplit("/", 1)[-1] for a in data.subjects(RDF.type, PG.BilateralAgreement)}
    assert bilateral == {
        "leiden-university--municipality-the-hague-2016",
        "leiden-university--thuas-covenant-2019",
        "lumc--bronovo-alliance-2006",
    }


def test_every_organisation_is_referenced_by_the_documents_that_name_it(built: BuiltGraph) -> None:
    data: Graph = built.parts["data"]
    lumc = {str(d)[-20:-17] for d in data.objects(URIRef(ID + "org/lumc"), DCTERMS.isReferencedBy)}
    assert lumc == {"000", "001", "002", "003", "004"}
    unreferenced = [
        o for o in data.subjects(RDF.type, ORG.Organization) if (o, DCTERMS.isReferencedBy, None) not in data
    ]
    assert unreferenced == []


def test_an_event_is_held_at_the_organisation_the_page_names(built: BuiltGraph) -> None:
    data = built.parts["data"]
    day, naturalis = URIRef(ID + "event/cdkm-day"), URIRef(ID + "org/naturalis")
    assert (day, RDF.type, SCHEMA.Event) in data and (day, PG.heldAt, naturalis) in data
    start = data.value(day, SCHEMA.startDate)
    assert str(start) == "--11-11" and start.datatype == URIRef("http://www.w3.org/2001/XMLSchema#gMonthDay")
    graph = validation_graph(built.parts)
    graph.remove((day, PG.heldAt, None))
    messages = [r.message for r in validate(graph, built.parts["shapes"]).violations]
    assert any("An event is held at an organisation" in m for m in messages)


def test_parties_behind_back_a_foundation_and_a_planned_centre_is_not_founded(built: BuiltGraph) -> None:
    """'One of the parties behind' the foundation supports it (the page does not say who founded it); a centre whose
    foundation is 'one of the projects being developed' has planned founders, kept but not published."""
    data = built.parts["data"]
    foundation, lu = URIRef(ID + "org/lbsp-foundation"), URIRef(ID + "org/leiden-university")
    assert (foundation, SCHEMA.sponsor, lu) in data and (foundation, SCHEMA.founder, None) not in data
    centre = URIRef(ID + "org/centre-for-innovation-and-entrepreneurship")
    assert (centre, SCHEMA.founder, None) not in data
    planned = claims_about(built, "org/centre-for-innovation-and-entrepreneurship", SCHEMA.founder)
    assert len(planned) == 3 and all(built.parts["provenance"].value(c, PG.modality) for c in planned)

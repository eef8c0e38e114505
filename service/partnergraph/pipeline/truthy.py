"""Derive the published ("truthy") triples from claims: preferred claims win, deprecated ones never publish."""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..vocab import ORG, PG, PROV, RDF, SCHEMA, XSD
from .claims import PREDICATES, ClaimWriter
from .statements import Fact


def select_by_rank(facts: list[Fact]) -> list[Fact]:
    """Keep the preferred claims if any, otherwise every claim that is not deprecated (Wikidata's rule)."""
    preferred = [fact for fact in facts if fact.rank == "preferred"]
    return preferred or [fact for fact in facts if fact.rank != "deprecated"]


def add_truthy(data: Graph, writer: ClaimWriter, claimed: list[tuple[Fact, URIRef]]) -> None:
    """Write the truthy triples and the n-ary memberships derived from the claims into `data`."""
    groups: dict[tuple[str, str], list[tuple[Fact, URIRef]]] = defaultdict(list)
    for fact, claim in claimed:
        if fact.predicate != "prefLabel" and fact.modality == "stated" and writer.object(fact) is not None:
            groups[(fact.subject, fact.predicate)].append((fact, claim))
    for pairs in groups.values():
        kept = set(map(id, select_by_rank([fact for fact, _ in pairs])))
        for fact, claim in pairs:
            if id(fact) not in kept:
                continue
            obj = writer.object(fact)
            assert obj is not None
            data.add((writer.subject(fact), PREDICATES[fact.predicate], obj))
            if fact.predicate == "memberOf":
                _add_membership(data, writer, fact, obj, claim)
    _mark_bilateral(data)
    _add_inverses(data)


# ORG's inverse properties, published beside the ones the claims state, for clients that query from the other side
INVERSES = {ORG.memberOf: ORG.hasMember, ORG.subOrganizationOf: ORG.hasSubOrganization, ORG.member: ORG.hasMembership}


def _add_inverses(data: Graph) -> None:
    for predicate, inverse in INVERSES.items():
        for subject, obj in list(data.subject_objects(predicate)):
            data.add((obj, inverse, subject))


def _add_membership(data: Graph, writer: ClaimWriter, fact: Fact, organisation: Node, claim: URIRef) -> None:
    assert fact.obj is not None and fact.role is not None
    node = writer.iris.membership(fact.obj, fact.subject, fact.role)
    data.add((node, RDF.type, ORG.Membership))
    data.add((node, RDF.type, SCHEMA.OrganizationRole))  # schema.org's name for it, and where schema:startDate applies
    data.add((node, ORG.member, writer.subject(fact)))
    data.add((node, ORG.organization, organisation))
    data.add((node, ORG.role, writer.concept("role", fact.role, fact)))
    data.add((node, PROV.wasDerivedFrom, claim))
    if fact.since is not None:
        data.add((node, SCHEMA.startDate, Literal(fact.since.lexical, datatype=XSD[fact.since.datatype])))


def _mark_bilateral(data: Graph) -> None:
    """An agreement with exactly two parties is also a pg:BilateralAgreement."""
    for agreement in set(data.subjects(RDF.type, PG.Agreement)):
        if len(set(data.objects(agreement, PG.party))) == 2:
            data.add((agreement, RDF.type, PG.BilateralAgreement))


__all__ = ["INVERSES", "add_truthy", "select_by_rank"]

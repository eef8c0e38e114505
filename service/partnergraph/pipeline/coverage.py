"""The coverage summary a build prints: what was modelled, per document, and what lacks evidence."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..vocab import PG, RDF
from .run import BuiltGraph
from .statements import Fact
from .truthy import select_by_rank

RELATION_LABELS = {
    "memberOf": "memberships",
    "subOrganizationOf": "part-of",
    "founder": "founded or initiated by",
    "sponsor": "supported by",
    "funder": "funded by",
    "partner": "partnership partners",
    "party": "agreement parties",
    "location": "locations",
    "spatial": "partnership places",
    "areaServed": "areas served",
    "underpins": "agreements underpinning",
    "incubatedAt": "incubated at",
    "housedAt": "housed at",
    "implementedBy": "implemented by",
    "coordinatedBy": "coordinated by",
    "recognisedBy": "recognised by",
    "heldAt": "events held at",
}


@dataclass(frozen=True)
class Coverage:
    organisations: int
    organisations_by_type: dict[str, int]
    relations: dict[str, int]
    relation_methods: dict[str, int]  # how the relation claims were read: explicit, from-context, implied, ...
    agreements: int
    bilateral_agreements: int
    partnerships: int
    events: int
    figures: int
    claims_per_document: dict[str, int]
    organisations_per_document: dict[str, int]
    disagreements: list[str]
    not_evidenced: list[str]

    def lines(self) -> list[str]:
        types = ", ".join(f"{count} {name}" for name, count in sorted(self.organisations_by_type.items()))
        relations = ", ".join(f"{count} {RELATION_LABELS[name]}" for name, count in self.relations.items())
        lines = [
            f"organisations: {self.organisations} ({types})",
            f"relations: {relations}",
            "relation claims read: " + ", ".join(f"{n} {method}" for method, n in self.relation_methods.items()),
            f"agreements: {self.agreements} ({self.bilateral_agreements} bilateral); "
            f"partnerships: {self.partnerships}; events: {self.events}; figures: {self.figures}",
            "claims per document:",
        ]
        for document, count in self.claims_per_document.items():
            lines.append(
                f"  {document}: {count} claims, {self.organisations_per_document[document]} organisations named"
            )
        lines.append(f"documents disagree ({len(self.disagreements)}):")
        lines += [f"  {item}" for item in self.disagreements] or ["  none"]
        lines.append(f"referenced but not evidenced ({len(self.not_evidenced)}):")
        lines += [f"  {item}" for item in self.not_evidenced] or ["  none"]
        return lines


def summarise(built: BuiltGraph) -> Coverage:
    """Count what the build holds and list where it is thin."""
    registry, facts, data = built.registry, built.facts, built.parts["data"]
    organisations = registry.of_kind("organisation")
    relations = Counter(
        fact.predicate
        for fact in facts
        if fact.predicate in RELATION_LABELS and fact.rank != "deprecated" and fact.modality == "stated"
    )
    methods = Counter(fact.method for fact in facts if fact.predicate in RELATION_LABELS)
    claims = Counter(fact.document for fact in facts)
    named = {
        doc.id: len(
            {
                f.subject
                for f in facts
                if f.document == doc.id
                and f.predicate == "isReferencedBy"
                and registry.entities[f.subject].kind == "organisation"
            }
        )
        for doc in built.documents
    }
    return Coverage(
        organisations=len(organisations),
        organisations_by_type=dict(Counter(str(entity.type) for entity in organisations)),
        relations={name: relations[name] for name in RELATION_LABELS if relations[name]},
        relation_methods=dict(methods.most_common()),
        agreements=len(set(data.subjects(RDF.type, PG.Agreement))),
        bilateral_agreements=len(set(data.subjects(RDF.type, PG.BilateralAgreement))),
        partnerships=len(set(data.subjects(RDF.type, PG.Partnership))),
        events=len(registry.of_kind("event")),
        figures=sum(1 for fact in facts if fact.figure is not None),
        claims_per_document={doc.id: claims[doc.id] for doc in built.documents},
        organisations_per_document=named,
        disagreements=_disagreements(built),
        not_evidenced=_not_evidenced(built),
    )


SINGLE_VALUED = (
    *(
        "location",
        "spatial",
        "startDate",
        "endDate",
        "concludedOn",
        "foundingDate",
        "dissolutionDate",
        "numberOf",
        "eventStart",
    ),
)


def _disagreements(built: BuiltGraph) -> list[str]:
    """Single-valued statements (places, dates, counts) that different documents give differently."""
    groups: dict[tuple[str, str, str], list[Fact]] = {}
    for fact in built.facts:
        if fact.predicate in SINGLE_VALUED:
            kind = fact.figure.kind if fact.figure else ""
            groups.setdefault((fact.subject, fact.predicate, kind), []).append(fact)
    found = []
    for (subject, predicate, kind), group in sorted(groups.items()):
        values = {_value(fact) for fact in group}
        if len(values) > 1 and len({fact.document for fact in group}) > 1:
            kept = {_value(fact) for fact in select_by_rank(group)}
            said = "; ".join(f"{fact.document[:3]} says {_value(fact)} ({fact.rank})" for fact in group)
            state = "resolved by rank" if len(kept) == 1 and predicate != "numberOf" else "all kept"
            found.append(f"{subject} {predicate}{' ' + kind if kind else ''}: {said} [{state}]")
    return found


def _value(fact: Fact) -> str:
    if fact.figure:
        return f"{'more than ' if fact.figure.qualifier == 'more-than' else ''}{fact.figure.value}"
    if fact.before_publication:
        return f"{fact.before_publication} before publication"
    return str(fact.date.lexical if fact.date else fact.obj)


def _not_evidenced(built: BuiltGraph) -> list[str]:
    """Registry entries no document supports: unnamed entities and preferred labels never written in a source."""
    facts, registry = built.facts, built.registry
    about = {fact.subject for fact in facts} | {fact.obj for fact in facts if fact.obj_kind == "entity"}
    written = {(fact.subject, fact.obj) for fact in facts if fact.predicate == "prefLabel"}
    items = [
        f"{entity.kind} {entity.key}: no claim mentions it"
        for entity in registry.entities.values()
        if entity.key not in about
    ]
    for entity in registry.of_kind("organisation"):
        for label in entity.preferred_labels().values():
            if (entity.key, label) not in written:
                items.append(
                    f"organisation {entity.key}: preferred label {label!r} is curated, not written in a document"
                )
    return items


__all__ = ["Coverage", "summarise"]

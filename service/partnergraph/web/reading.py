"""How a resource page reads: statements grouped (identity, relations, dates, sources), each property by its label
in the reader's language, and a summary line on top.

Labels of our own terms come from the ontology in the store (English and Dutch); the terms we reuse from W3C ORG,
schema.org, SKOS, Dublin Core and PROV get their labels here, for presentation only: adding labels to another
vocabulary's IRIs in our ontology would be saying things about terms we do not own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import request

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "http://schema.org/"
ORG = "http://www.w3.org/ns/org#"
DCT = "http://purl.org/dc/terms/"
PG = "https://w3id.org/partnergraph/ontology#"
PROV = "http://www.w3.org/ns/prov#"
LANGUAGES = ("en", "nl")
GROUPS = ("Identity", "Relations", "Dates", "Sources")
GROUP_TITLES = {"nl": {"Identity": "Identiteit", "Relations": "Relaties", "Dates": "Data", "Sources": "Bronnen"}}

# reused terms: (group, English label, Dutch label)
TERMS: dict[str, tuple[str, str, str]] = {
    SKOS + "prefLabel": ("Identity", "name", "naam"),
    SKOS + "altLabel": ("Identity", "also called", "ook genoemd"),
    RDF_TYPE: ("Identity", "kind", "soort"),
    ORG + "classification": ("Identity", "classification", "classificatie"),
    SCHEMA + "sameAs": ("Identity", "same as", "hetzelfde als"),
    DCT + "title": ("Identity", "title", "titel"),
    DCT + "identifier": ("Identity", "identifier", "identificatie"),
    DCT + "language": ("Identity", "language", "taal"),
    DCT + "publisher": ("Identity", "publisher", "uitgever"),
    DCT + "subject": ("Relations", "theme", "thema"),
    ORG + "memberOf": ("Relations", "member of", "lid van"),
    ORG + "hasMember": ("Relations", "has member", "heeft als lid"),
    ORG + "subOrganizationOf": ("Relations", "part of", "onderdeel van"),
    ORG + "hasSubOrganization": ("Relations", "has part", "heeft als onderdeel"),
    SCHEMA + "founder": ("Relations", "founded by", "opgericht door"),
    SCHEMA + "funder": ("Relations", "funded by", "gefinancierd door"),
    SCHEMA + "sponsor": ("Relations", "sponsored by", "gesponsord door"),
    SCHEMA + "location": ("Relations", "place", "plaats"),
    SCHEMA + "areaServed": ("Relations", "area served", "werkgebied"),
    DCT + "spatial": ("Relations", "place", "plaats"),
    SCHEMA + "foundingDate": ("Dates", "founded", "opgericht"),
    SCHEMA + "startDate": ("Dates", "started", "begonnen"),
    SCHEMA + "endDate": ("Dates", "ended", "beëindigd"),
    SCHEMA + "dissolutionDate": ("Dates", "dissolved", "opgeheven"),
    DCT + "modified": ("Dates", "modified", "gewijzigd"),
    DCT + "created": ("Dates", "created", "gemaakt"),
    DCT + "isReferencedBy": ("Sources", "mentioned in", "genoemd in"),
    PROV + "wasDerivedFrom": ("Sources", "derived from", "afgeleid van"),
    PROV + "generatedAtTime": ("Dates", "generated", "gegenereerd"),
}
OWN_GROUPS = {  # our own terms whose group is not Relations
    PG + "acronym": "Identity",
    PG + "rorId": "Identity",
    PG + "wikidataId": "Identity",
    PG + "concludedOn": "Dates",
    PG + "startDate": "Dates",
    PG + "endDate": "Dates",
    PG + "sha256": "Sources",
    PG + "titleStated": "Sources",
    SCHEMA + "text": "Sources",
}


def language() -> str:
    """The reader's language among those the labels come in (English unless the browser prefers Dutch)."""
    return request.accept_languages.best_match(LANGUAGES, default="en") or "en"


def property_label(iri: str, ontology: dict[str, dict[str, str]], lang: str) -> str:
    """The property's label in `lang`: from the ontology, then the table above, then its local name in words."""
    found = ontology.get(iri, {})
    if lang in found or "en" in found:
        return found.get(lang) or found["en"]
    if iri in TERMS:
        return TERMS[iri][2 if lang == "nl" else 1]
    local = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return "".join(f" {c.lower()}" if c.isupper() and i else c for i, c in enumerate(local))


def local_name_words(iri: str) -> str:
    """`http://schema.org/CollegeOrUniversity` -> "College or university", `NGO` stays (classes without a label)."""
    local = iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    spaced = "".join(f" {c}" if c.isupper() and i and local[i - 1].islower() else c for i, c in enumerate(local))
    words = spaced.split()
    return " ".join([words[0], *(w if w.isupper() else w.lower() for w in words[1:])]) if words else iri


def group_of(iri: str) -> str:
    return TERMS[iri][0] if iri in TERMS else OWN_GROUPS.get(iri, "Relations")


@dataclass
class Value:
    term: dict[str, str]  # the object as SPARQL JSON gives it
    labels: dict[str, str] = field(default_factory=dict)  # language -> label

    def label(self, lang: str) -> str | None:
        return self.labels.get(lang) or self.labels.get("en") or self.labels.get("") or None


@dataclass
class Statement:
    property: str
    label: str
    values: dict[str, Value] = field(default_factory=dict)  # by the object's value, in the order first seen


def grouped(
    rows: list[dict[str, dict[str, str]]], ontology: dict[str, dict[str, str]], lang: str
) -> dict[str, list[Statement]]:
    """The page's outgoing statements by group, one entry per property with its values together: the table's
    order for the properties we reuse, then ours by label."""
    statements: dict[str, Statement] = {}
    for row in rows:
        iri = row["p"]["value"]
        statement = statements.setdefault(iri, Statement(iri, property_label(iri, ontology, lang)))
        value = statement.values.setdefault(row["o"]["value"], Value(row["o"]))
        if "label" in row:
            value.labels.setdefault(row["label"].get("xml:lang", ""), row["label"]["value"])
        elif iri == RDF_TYPE and row["o"]["type"] == "uri":  # a class of a vocabulary we reuse: its name in words
            value.labels.setdefault("", local_name_words(row["o"]["value"]))
    for statement in statements.values():  # values by label: the same page from any store, whatever its row order
        ordered = sorted(statement.values.items(), key=lambda item: ((item[1].label(lang) or item[0]).lower(), item[0]))
        statement.values = dict(ordered)
    order = {iri: index for index, iri in enumerate(TERMS)}
    groups: dict[str, list[Statement]] = {name: [] for name in GROUPS}
    for statement in sorted(statements.values(), key=lambda s: (order.get(s.property, len(order)), s.label)):
        groups[group_of(statement.property)].append(statement)
    return {name: found for name, found in groups.items() if found}


# what the registries (data/registry.yaml, data/documents.yaml) state rather than a page: shown as such when no
# claim quotes it
CURATED = {RDF_TYPE, ORG + "classification", SKOS + "prefLabel"}

# ORG's inverses are published for SPARQL clients that query from the other side; a page shows each relation once,
# from the side that states it (the other side lists it under what refers to the resource)
MIRRORED = {ORG + "hasMember", ORG + "hasSubOrganization", ORG + "hasMembership"}

GENERIC_KINDS = {ORG + "Organization", ORG + "FormalOrganization", SCHEMA + "Organization", PROV + "Entity"}


def summary(groups: dict[str, list[Statement]], lang: str, incoming: int) -> dict[str, object]:
    """What a reader wants first: what kind of thing it is, where, its ROR and Wikidata records, how connected."""
    by_property = {s.property: s for statements in groups.values() for s in statements}

    def labels(iri: str, skip: set[str] | None = None) -> list[str]:
        found = by_property.get(iri)
        values = found.values.values() if found else []
        return [v.label(lang) or v.term["value"] for v in values if v.term["value"] not in (skip or set())]

    relations = sum(len(s.values) for s in groups.get("Relations", []))
    return {
        "kinds": labels(RDF_TYPE, GENERIC_KINDS) or labels(RDF_TYPE),
        "places": labels(SCHEMA + "location") + labels(DCT + "spatial"),
        "ror": labels(PG + "rorId"),
        "wikidata": labels(PG + "wikidataId"),
        "relations": relations + incoming,
    }

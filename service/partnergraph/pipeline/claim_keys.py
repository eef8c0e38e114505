"""What a claim block in a statements file may say: its keys, the predicate each relation key states with the kinds of
entity it relates, and the date keys by the kind of what they date."""

from __future__ import annotations

ORG, PLACE, PARTNERSHIP, AGREEMENT, EVENT = "organisation", "place", "partnership", "agreement", "event"
# key in a claim block -> (predicate, subject kinds, object kinds, the listed values are the subjects)
RELATIONS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], bool]] = {
    "members": ("memberOf", (ORG,), (ORG,), True),
    "parts": ("subOrganizationOf", (ORG,), (ORG,), True),
    "founders": ("founder", (ORG,), (ORG,), False),
    "sponsors": ("sponsor", (ORG,), (ORG,), False),
    "funders": ("funder", (ORG,), (ORG,), False),
    "partners": ("partner", (PARTNERSHIP,), (ORG,), False),
    "parties": ("party", (AGREEMENT,), (ORG,), False),
    "location": ("location", (ORG, PARTNERSHIP), (PLACE,), False),
    "area-served": ("areaServed", (ORG,), (PLACE,), False),
    "underpins": ("underpins", (AGREEMENT,), (ORG, PARTNERSHIP), False),
    # what the pages say beyond membership and founding (ontology/partnergraph.ttl defines each)
    "incubated": ("incubatedAt", (ORG,), (ORG,), True),
    "housed": ("housedAt", (ORG,), (ORG,), True),
    "implemented-by": ("implementedBy", (ORG, PARTNERSHIP), (ORG,), False),
    "coordinated-by": ("coordinatedBy", (ORG, PARTNERSHIP), (ORG,), False),
    "recognised-by": ("recognisedBy", (ORG, PARTNERSHIP), (ORG,), False),
    "held-at": ("heldAt", (EVENT,), (ORG,), False),
}
# schema.org's terms only where schema.org defines them: schema:location is an organisation's, a partnership is
# placed with dct:spatial; an organisation starts at its founding (schema:foundingDate) and ends at its dissolution,
# while agreements and partnerships have a period of their own (pg:startDate, pg:endDate)
BY_KIND = {("location", PARTNERSHIP): "spatial"}
DATES: dict[str, dict[str, str]] = {
    "start": {ORG: "foundingDate", PARTNERSHIP: "startDate", AGREEMENT: "startDate", EVENT: "eventStart"},
    "end": {ORG: "dissolutionDate", PARTNERSHIP: "endDate", AGREEMENT: "endDate"},
    "concluded": {AGREEMENT: "concludedOn"},
    "founded": {ORG: "foundingDate"},
}
BLOCK_KEYS = {
    "quote",
    "confidence",  # what `partnergraph extract` scored the candidate; kept for the reviewer, not published
    "found-by",
    "occurrence",
    "of",
    "rank",
    "reason",
    "method",
    "context",
    "modality",
    "role",
    "since",
    "themes",
    "aim",
    "figure",
    "started-before-publication",
    *RELATIONS,
    *DATES,
}

"""What can be browsed: each list's class, the date it sorts by, and its facets as SPARQL property paths from an
item to a value. lists.py writes and runs the queries."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Facet:
    name: str  # its URL parameter
    title: str
    path: str  # SPARQL property path from an item to the value
    year: bool = False  # the value is a date, faceted by its year


@dataclass(frozen=True)
class Listing:
    title: str
    kind: str  # the class every item has
    facets: tuple[Facet, ...]
    date: str | None = None  # the property path of the date shown and sorted by

    def facet(self, name: str) -> Facet | None:
        return next((facet for facet in self.facets if facet.name == name), None)


THEME = Facet("theme", "Theme", "dct:subject")
DOCUMENT = Facet("document", "Source document", "dct:isReferencedBy|^rdf:subject/pg:evidence/oa:hasSource")
LISTINGS = {
    "organisations": Listing(
        "Organisations",
        "org:Organization",
        (
            Facet("kind", "Kind", "org:classification"),
            THEME,
            Facet("place", "Place", "schema:location"),
            Facet("member-of", "Member of", "org:memberOf"),
            DOCUMENT,
            Facet("year", "Founded", "schema:foundingDate", year=True),
        ),
        "schema:foundingDate",
    ),
    "agreements": Listing(
        "Agreements",
        "pg:Agreement",
        (
            Facet("type", "Type", "rdf:type"),
            Facet("party", "Party", "pg:party"),
            THEME,
            DOCUMENT,
            Facet("year", "Concluded", "pg:concludedOn", year=True),
        ),
        "pg:concludedOn",
    ),
    "partnerships": Listing(
        "Partnerships",
        "pg:Partnership",
        (
            Facet("partner", "Partner", "pg:partner"),
            THEME,
            DOCUMENT,
            Facet("year", "Started", "pg:startDate", True),
        ),
        "pg:startDate",
    ),
    "places": Listing("Places", "schema:Place", (DOCUMENT,)),
    "documents": Listing(
        "Source documents",
        "pg:SourceDocument",
        (Facet("language", "Language", "dct:language"), Facet("publisher", "Publisher", "dct:publisher")),
        "dct:modified",
    ),
}

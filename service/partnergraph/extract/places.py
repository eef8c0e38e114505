"""Where organisations are: "X in <place>" in a sentence, and the place an organisation's name carries."""

from __future__ import annotations

import re

from .model import Candidate, Mention, Name


def locations(sentence: str, start: int, inside: list[Mention]) -> list[Candidate]:
    """ "the Bronovo Hospital in Rotterdam": an organisation directly followed by 'in' and a known place."""
    found = []
    for org in (m for m in inside if m.name.kind == "organisation"):
        place = next((m for m in inside if m.name.kind == "place" and m.start in (org.end + 4, org.end + 13)), None)
        between = sentence[org.end - start : place.start - start] if place else ""
        if place is not None and between in (" in ", " based in ", " located in "):
            candidate = Candidate(sentence, start, org, "location", [place], found_by="rule:location")
            found.append(candidate)
    return found


# organisations whose name, when it carries a place, says where they are ("Erasmus University Rotterdam",
# "Municipality of Leiden"); a collaboration named after a city ("Leiden City of Knowledge") is not located there
LOCATED_BY_NAME = {
    "university",
    "university-of-applied-sciences",
    "university-medical-centre",
    "hospital",
    "municipality",
    "school",
    "museum",
    "research-institute",
}


def named_places(
    mentions: list[Mention], places: list[Name], found: list[Candidate], located: set[str]
) -> list[Candidate]:
    """ "VU University Amsterdam": the place an organisation's name carries, once per organisation, quoting the name
    where it first occurs (method from-name); not where a sentence already says where it is, nor for an organisation
    the project already places (`located`)."""
    said = {(c.of.name.key or c.of.name.text, c.values[0].name.key) for c in found if c.key == "location" and c.of}
    out: list[Candidate] = []
    for mention in mentions:
        identity = mention.name.key or mention.name.text
        if mention.name.kind != "organisation" or mention.name.type not in LOCATED_BY_NAME or mention.alias_of:
            continue
        if mention.name.key in located:
            continue
        for place in places:
            at = re.search(rf"(?<![\w-]){re.escape(place.text)}(?![\w-])", mention.name.text)
            if at is None or place.text == mention.name.text or (identity, place.key) in said:
                continue
            said.add((identity, place.key))
            spot = Mention(place, mention.start + at.start(), mention.start + at.end())
            candidate = Candidate(mention.name.text, mention.start, mention, "location", [spot])
            candidate.found_by, candidate.method = "rule:place-in-name", "from-name"
            out.append(candidate)
    return out

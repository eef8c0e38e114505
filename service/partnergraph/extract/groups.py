"""Relations a sentence's structure gives: members in brackets after a group's name, a unit named with its
organisation ("the Faculty of Science at Leiden University"), and an agreement named after a group."""

from __future__ import annotations

import itertools
import re

from .model import Candidate, Mention, Named
from .relations import SIGNED, agreement_details, completed

FORMAL = ("university", "university-of-applied-sciences", "university-medical-centre", "hospital-group")


def parenthesised(sentence: str, start: int, orgs: list[Mention]) -> Candidate | None:
    """ "the LDE partnership (Leiden University, TU Delft and EUR)": the organisations in brackets are its members."""
    for group in orgs:
        after = sentence[group.end - start :]
        noun = re.match(r" (?:alliance|consortium|network|partnership|partners|samenwerking|alliantie)?(?= \()", after)
        if not after.startswith(" (") and noun is None:
            continue
        close = group.end + after.find(")") if ")" in after else group.end
        members = list({m.name.key or m.name.text: m for m in orgs if group.end < m.start and m.end <= close}.values())
        if len(members) >= 2 and group.name.type in FORMAL:  # "University of the Arts (Royal Conservatoire, ...)"
            candidate = Candidate(sentence, start, group, "parts", found_by="rule:parenthesised-parts")
            return completed(candidate, group, "parts", members)
        if len(members) >= 2:
            candidate = Candidate(sentence, start, group, "members", found_by="rule:parenthesised-members")
            return completed(candidate, group, "members", members, {"role": "member"})
    return None


UNITS = ("Faculty", "Department", "Supervisory Board", "Board", "Faculteit", "Raad van Toezicht")
# "Luris is the expertise centre at Leiden University": a unit said to be one, between its name and its whole's
SAID_UNIT = re.compile(
    r"\s(?:is|was|is now) (?:the|a|an|its|het|de|een) (?:[\w-]+\s){0,3}(?:centre|center|institute|office|department|"
    r"faculty|school|unit|centrum|instituut|afdeling|faculteit)\s(?:at|of|within|van|bij|binnen)\s(?:the\s|de\s)?",
    re.IGNORECASE,
)


def units(sentence: str, start: int, orgs: list[Mention]) -> list[Candidate]:
    """ "the Faculty of Science at Leiden University": a unit named with the organisation it belongs to, or said to
    be one of it ("Luris is the expertise centre at Leiden University")."""
    found = []
    for unit, whole in itertools.pairwise(orgs):
        between = sentence[unit.end - start : whole.start - start]
        is_unit = unit.name.type in ("faculty", "board") or unit.name.text.startswith(UNITS)
        if is_unit and between in (" at ", " of ", " of the ", " van ", " van de "):
            found.append(Candidate(sentence, start, whole, "parts", [unit], found_by="rule:unit-of"))
        elif SAID_UNIT.fullmatch(between):
            found.append(Candidate(sentence, start, whole, "parts", [unit], found_by="rule:said-unit-of"))
    return found


OF_GROUP = re.compile(r"(?i) (?:partnership |cooperation |collaboration )?(?:agreement|covenant|convenant)\b")


def group_agreement(
    sentence: str, start: int, orgs: list[Mention], members: dict[str, list[Named]]
) -> tuple[Candidate, dict[Mention, Named]] | None:
    """ "The new Leiden City of Knowledge agreement is being signed": an agreement named after a group whose members
    the text has given; its parties are those members, each standing where the group's name stands."""
    if not SIGNED.search(sentence):
        return None
    for group in orgs:
        known = members.get(group.name.key or group.name.text)
        if known and OF_GROUP.match(sentence, group.end - start):
            standing = {Mention(n[0].name, group.start, group.end, n[0].alias_of): n for n in known}
            base = Candidate(sentence, start, None, "", found_by="rule:agreement-of-group")
            candidate = completed(base, None, "parties", list(standing), agreement_details(sentence))
            return (candidate, standing) if candidate else None
    return None

"""Candidate statements, sentence by sentence: relations (relations.py) and figures (counts.py) among the
organisations a sentence names, and what a sentence opening "The consortium ..." or "Its ..." points back to.

Each candidate keeps its sentence as the quote, so what it relates is named in its own quote and the claim is
explicit; one whose subject comes from an earlier sentence says so (from context, with the sentence that names it).
Rule-based on purpose: offline, reproducible, and each candidate says which rule found it.
"""

from __future__ import annotations

import re

from ..pipeline.classes import ORGANISATION_CLASSES
from ..vocab import ORG
from .counts import Named, figures
from .model import Candidate, Mention, Name
from .relations import locations, named_places, parenthesised, relations, units

SENTENCE = re.compile(r"[^\n.!?]+(?:[.!?](?![\w])|(?=\n)|$)")
BULLETS = re.compile(r"(?:\n[ \t]*)+(?:[•*–-]|\d+[.)])[ \t]*[^\n]+(?:\n[ \t]*(?:[•*–-]|\d+[.)])[ \t]*[^\n]+)*")
# a sentence that refers back to what the previous one named: "The consortium was founded by ...", "Its members"
REFERENCE = re.compile(
    r"^(?:(?:The|This|Het|De|Dit|Deze) (?:consortium|alliance|partnership|programme|program|network|foundation|"
    r"centre|center|initiative|programma|samenwerking|stichting|netwerk|alliantie|initiatief)|Its|Hun|Zijn)\b"
)


def sentences(text: str) -> list[tuple[int, str]]:
    """Sentences with their offsets; one that ends in a colon takes the bulleted list below it along."""
    found: list[tuple[int, str, int]] = []
    for match in SENTENCE.finditer(text):
        end = match.end()
        if match.group().rstrip().endswith(":") and (bullets := BULLETS.match(text, end)):
            end = bullets.end()
        sentence = text[match.start() : end].strip()
        if len(sentence.split()) >= 3 and not (found and found[-1][0] <= match.start() < found[-1][2]):
            found.append((match.start(), sentence, end))
    return [(start, sentence) for start, sentence, _ in found]


# what may have members (shapes/core.ttl, MembershipDirectionShape): collaborations, units, associations
HOLDERS = {
    kind
    for kind, classes in ORGANISATION_CLASSES.items()
    if {ORG.OrganizationalCollaboration, ORG.OrganizationalUnit} & set(classes)
} | {"association", "business-centre"}
# on a university's page, "the University" is the publisher (named in the page's banner)
PUBLISHER_REFERENCE = re.compile(r"\b[Tt]he University\b(?! of)|\b[Dd]e Universiteit\b(?! van)")
UNIVERSITIES = ("university", "university-of-applied-sciences")


def candidates(
    text: str, mentions: list[Mention], publisher: Mention | None = None, places: list[Name] | None = None
) -> list[Candidate]:
    """Every relation and figure candidate in the text, sentence by sentence, and the places organisations' names
    carry. `publisher` is the mention of the page's publisher in its banner, which "the University" refers to on a
    university's page; `places` are the known places."""
    found: list[Candidate] = []
    recent: list[Named] = []  # every organisation named so far, in order
    subject: Named | None = None  # what the last relation was about: "its" refers to it
    banner = _line(text, publisher) if publisher and publisher.name.type in UNIVERSITIES else None
    for offset, sentence in sentences(text):
        start = text.index(sentence, offset)
        inside = [m for m in mentions if start <= m.start and m.end <= start + len(sentence)]
        references = [
            Mention(publisher.name, start + m.start(), start + m.end(), publisher.alias_of)
            for m in PUBLISHER_REFERENCE.finditer(sentence)
            if publisher is not None and banner is not None
        ]
        inside = sorted([*inside, *references], key=lambda m: m.start)
        orgs = _distinct([m for m in inside if m.name.kind == "organisation"])
        first = len(found)
        named = _referred(sentence, recent, subject)
        found_here: list[Candidate] = []
        if named is not None:  # "The consortium is funded by ...": try the organisation it points back to first
            referred = Mention(named[0].name, start, start, named[0].alias_of)  # stands at the sentence's start
            for relation in relations(sentence, start, [referred, *orgs]):
                if relation.of is referred or referred in relation.values:
                    relation.context, relation.confidence = (named[2], named[1]), relation.confidence - 0.1
                    relation.of = named[0] if relation.of is referred else relation.of
                    relation.values = [named[0] if v is referred else v for v in relation.values]
                    found_here.append(relation)
        if not found_here:
            found_here = [r for r in [parenthesised(sentence, start, orgs)] if r] or relations(sentence, start, orgs)
        for relation in found_here:
            if relation.key == "members" and relation.of and relation.of.name.type not in HOLDERS:
                continue  # "a university has members" reads a partnership backwards: the shapes would refuse it
            found.append(relation)
            if relation.of is not None and relation.context is None:
                subject = (relation.of, start, sentence)
        found += units(sentence, start, orgs) + locations(sentence, start, inside)
        found += figures(sentence, start, orgs, _last_group(recent) or (recent[-1] if recent else None))
        for candidate in found[first:]:  # what rests on "the University" is read from the banner that names it
            involved = [candidate.of, *candidate.values]
            if banner and candidate.context is None and any(r is m for r in references for m in involved):
                candidate.context, candidate.confidence = banner, candidate.confidence - 0.1
        recent += [(m, start, sentence) for m in orgs if m not in references]
    return found + named_places(mentions, places or [], found)


def _line(text: str, mention: Mention) -> tuple[str, int]:
    """The line a mention stands on, as a passage that names it."""
    begin = text.rfind("\n", 0, mention.start) + 1
    end = text.find("\n", mention.end)
    return text[begin : end if end >= 0 else len(text)].strip(), begin


# what a definite reference may point back to: "the consortium" -> an organisation of one of these types
REFERRED_TYPES = {
    "consortium": {"consortium"},
    "alliance": {"alliance"},
    "alliantie": {"alliance"},
    "partnership": {"alliance", "consortium", "collaboration", "network"},
    "samenwerking": {"alliance", "consortium", "collaboration", "network"},
    "programme": {"programme", "project"},
    "program": {"programme", "project"},
    "programma": {"programme", "project"},
    "network": {"network"},
    "netwerk": {"network"},
    "foundation": {"foundation"},
    "stichting": {"foundation"},
    "centre": {"research-centre", "expertise-centre"},
    "center": {"research-centre", "expertise-centre"},
    "initiative": {"programme", "collaboration"},
    "initiatief": {"programme", "collaboration"},
}
GROUP_TYPES_REFERRED = {"alliance", "consortium", "collaboration", "network", "programme", "project"}


def _referred(sentence: str, recent: list[Named], subject: Named | None) -> Named | None:
    """The organisation a sentence opening "The consortium ..." or "Its ..." points back to, if it is clear."""
    match = REFERENCE.match(sentence)
    if not match:
        return None
    noun = match.group().split()[-1].lower()
    if noun in ("its", "hun", "zijn"):
        return subject
    wanted = REFERRED_TYPES.get(noun, set())
    return next((n for n in reversed(recent) if n[0].name.type in wanted or noun in n[0].name.text.lower()), None)


def _last_group(recent: list[Named]) -> Named | None:
    """The alliance, consortium or programme named last: what "the partners" of a later sentence make up."""
    return next((n for n in reversed(recent) if n[0].name.type in GROUP_TYPES_REFERRED), None)


def _distinct(mentions: list[Mention]) -> list[Mention]:
    seen: set[str] = set()
    kept = []
    for mention in mentions:
        identity = mention.name.key or mention.name.text
        if identity not in seen:
            seen.add(identity)
            kept.append(mention)
    return kept

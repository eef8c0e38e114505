"""Candidate statements, sentence by sentence: relations (relations.py, groups.py) and figures (counts.py) among
the organisations a sentence names or points back to (references.py: "The consortium ...", "Its ...", "this Centre",
"the three organisations", "the X agreement"), and the places names carry (places.py).

Each candidate keeps its sentence as the quote, so what it relates is named in its own quote and the claim is
explicit; one resting on an earlier sentence says so (from context, with the passages that name what it relates).
Rule-based on purpose: offline, reproducible, and each candidate says which rule found it, whose measured precision
is its confidence (confidence.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..pipeline.classes import ORGANISATION_CLASSES
from ..vocab import ORG
from .confidence import confidence
from .counts import figures
from .gazetteer import Gazetteer
from .groups import group_agreement, parenthesised, units
from .model import RELATION_KEYS, Candidate, Mention, Named
from .places import locations, named_places
from .references import counted, last_group, partners_of, referred, referred_within
from .relations import relations

SENTENCE = re.compile(r"[^\n.!?]+(?:[.!?](?![\w])|(?=\n)|$)")
BULLETS = re.compile(r"(?:\n[ \t]*)+(?:[•*–-]|\d+[.)])[ \t]*[^\n]+(?:\n[ \t]*(?:[•*–-]|\d+[.)])[ \t]*[^\n]+)*")


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


@dataclass
class _Read:
    """What the sentences read so far leave for later ones to refer back to."""

    recent: list[Named] = field(default_factory=list)  # every organisation named so far, in order
    subject: Named | None = None  # what the last relation was about: "its" refers to it
    members: dict[str, list[Named]] = field(default_factory=dict)  # each group's members, and where they are named
    last: list[Named] = field(default_factory=list)  # what the last relation listed: "A, B and C founded X. The three"


def candidates(
    text: str, mentions: list[Mention], publisher: Mention | None = None, known: Gazetteer | None = None
) -> list[Candidate]:
    """Every relation and figure candidate in the text, sentence by sentence, and the places organisations' names
    carry. `publisher` is the mention of the page's publisher in its banner, which "the University" refers to on a
    university's page; `known` says which places the project knows and which organisations it already places."""
    found: list[Candidate] = []
    read = _Read()
    banner = _line(text, publisher) if publisher and publisher.name.type in UNIVERSITIES else None
    for offset, sentence in sentences(text):
        start = text.index(sentence, offset)
        references = [
            Mention(publisher.name, start + m.start(), start + m.end(), publisher.alias_of)
            for m in PUBLISHER_REFERENCE.finditer(sentence)
            if publisher is not None and banner is not None
        ]
        named = [m for m in mentions if start <= m.start and m.end <= start + len(sentence)]
        inside = sorted([*named, *references], key=lambda m: m.start)
        orgs = _distinct([m for m in inside if m.name.kind == "organisation"])
        pointed = dict(_pointed(sentence, start, orgs, read.recent, read.last))  # "the three organisations"
        here = _relations(sentence, start, inside, orgs, pointed, read)
        whole = units(sentence, start, orgs)  # "the Faculty of Science at Leiden University" is one partner, not two
        for relation in (r for r in here if r.key == "partners"):
            relation.values = [v for v in relation.values if not any(v is u.of for u in whole)]
        here = [r for r in here if r.key != "partners" or len(r.values) >= 2] + whole
        here += locations(sentence, start, inside)
        here += figures(sentence, start, orgs, last_group(read.recent) or (read.recent[-1] if read.recent else None))
        _resolve(here, pointed, (references, banner), (start, sentence), read)
        found += here
        read.recent += [(m, start, sentence) for m in orgs if m not in references]
    places, located = (known.places(), known.located) if known else ([], set())
    found += named_places(mentions, places, found, located)
    for candidate in found:
        candidate.confidence = confidence(candidate.found_by, bool(candidate.context))
    return found


def _relations(
    sentence: str, start: int, inside: list[Mention], orgs: list[Mention], pointed: dict[Mention, Named], read: _Read
) -> list[Candidate]:
    """The sentence's relations, trying first what it points back to ("The consortium is funded by ..."), then an
    agreement named after a group, members in brackets, and the trigger phrases."""
    related = _distinct(sorted([*orgs, *pointed], key=lambda m: m.start))
    found: list[Candidate] = []
    if (named := referred(sentence, read.recent, read.subject)) is not None:
        referring = Mention(named[0].name, start, start, named[0].alias_of)  # stands at the sentence's start
        pointed[referring] = named
        found = [r for r in relations(sentence, start, [referring, *related]) if referring in _involved(r)]
    if not found and (agreed := group_agreement(sentence, start, orgs, read.members)):
        found = [agreed[0]]  # "the X agreement": its parties are X's members
        pointed.update(agreed[1])
    if not found:
        bracketed = parenthesised(sentence, start, [m for m in inside if m.name.kind == "organisation"])
        found = [bracketed] if bracketed else relations(sentence, start, related)
    if (group := partners_of(sentence, read.recent)) is not None:  # "The four parties work together": its members
        found = [_members_of(group, r, pointed) if r.key == "partners" else r for r in found]
    kept = []
    for relation in found:
        if relation.key == "members" and relation.of and not _may_have_members(relation.of):
            continue  # "a university has members" reads a partnership backwards: the shapes would refuse it
        kept.append(relation)
        if relation.of is not None and not any(m in pointed for m in _involved(relation)):
            read.subject = (relation.of, start, sentence)
    return kept


def _resolve(
    here: list[Candidate],
    pointed: dict[Mention, Named],
    university: tuple[list[Mention], tuple[str, int] | None],
    at: tuple[int, str],
    read: _Read,
) -> None:
    """Each candidate resting on an earlier sentence (or on "the University" of the banner) is read from context,
    with the passages that name what it relates; what it points back to becomes what it names; and what it lists is
    remembered for the sentences after."""
    start, sentence = at
    for candidate in here:
        involved = _involved(candidate)
        passages = [(pointed[m][2], pointed[m][1]) for m in involved if m in pointed]
        references, banner = university  # "the University" in this sentence, and the banner line that names it
        if banner and any(r is m for r in references for m in involved):
            passages.append(banner)
        if passages and not candidate.context:
            candidate.context = tuple(dict.fromkeys(passages))
        if candidate.key in RELATION_KEYS:
            read.last = [pointed.get(v, (v, start, sentence)) for v in candidate.values]
        if candidate.key == "members" and candidate.of is not None:
            read.members.setdefault(_identity(pointed.get(candidate.of, (candidate.of,))[0]), []).extend(read.last)
        candidate.of = pointed[candidate.of][0] if candidate.of in pointed else candidate.of
        candidate.values = [pointed[v][0] if v in pointed else v for v in candidate.values]


def _members_of(group: Named, relation: Candidate, pointed: dict[Mention, Named]) -> Candidate:
    """The partners a counted reference names, as members of the group the sentence before named."""
    if not all(v in pointed for v in relation.values):
        return relation
    relation.of, relation.key = Mention(group[0].name, relation.start, relation.start, group[0].alias_of), "members"
    relation.details, relation.found_by = {"role": "partner"}, "rule:partners-of-group"
    pointed[relation.of] = group
    return relation


def _pointed(
    sentence: str, start: int, orgs: list[Mention], recent: list[Named], last: list[Named]
) -> list[tuple[Mention, Named]]:
    """What phrases within the sentence point back to, each as a mention standing where its phrase stands."""
    within = referred_within(sentence, start, recent)
    return counted(sentence, start, orgs, recent, last) + ([within] if within else [])


def _identity(mention: Mention) -> str:
    return mention.name.key or mention.name.text


def _involved(candidate: Candidate) -> list[Mention]:
    return [m for m in [candidate.of, *candidate.values] if m is not None]


def _may_have_members(organisation: Mention) -> bool:
    """A known organisation of a type that has members; one only a head noun suggests is typed by what the text says
    of it, and a text that gives it members or participants makes it a collaboration (`draft` types it so)."""
    return organisation.name.type in HOLDERS or organisation.name.key is None


def _line(text: str, mention: Mention) -> tuple[str, int]:
    """The line a mention stands on, as a passage that names it."""
    begin = text.rfind("\n", 0, mention.start) + 1
    end = text.find("\n", mention.end)
    return text[begin : end if end >= 0 else len(text)].strip(), begin


def _distinct(mentions: list[Mention]) -> list[Mention]:
    seen: set[str] = set()
    kept = []
    for mention in mentions:
        if _identity(mention) not in seen:
            seen.add(_identity(mention))
            kept.append(mention)
    return kept

"""What a phrase points back to: "The consortium ..." and "Its ..." at a sentence's start, "this Centre" within
one, and counted references ("the three organisations", "both universities", "de twee ziekenhuizen") to the
organisations named last. Each resolution says which passages name what it found, for a claim read from context."""

from __future__ import annotations

import re

from ..pipeline.figures import NUMBER_WORDS
from .model import Mention, Named

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
    "fund": {"fund"},
    "fonds": {"fund"},
}
NOUNS = "|".join(sorted(REFERRED_TYPES, key=len, reverse=True))
# a sentence that refers back to what the previous one named: "The consortium was founded by ...", "This investment
# fund was set up by ...", "Its members"
REFERENCE = re.compile(
    rf"^(?:(?:The|This|Het|De|Dit|Deze)\s(?:[a-z][\w-]*\s){{0,2}}(?:{NOUNS})|Its|Hun|Zijn)\b"
    # "They will be joined by B": B joins what they were last said to make up
    r"|^(?:They|Zij|Ze)(?= (?:will be|are|were|have been|zullen|worden|werden) (?:joined|aangevuld|versterkt)\b)"
)
# the same nouns after "this" within a sentence: "also participate in this Centre"
WITHIN = re.compile(rf"(?i)(?<=\s)(?:this|dit|deze)\s({NOUNS})\b")
# "Companies that started here ...": the organisation the sentence before is about (named first there)
HERE = re.compile(r"(?i)\b(?:started|began|begun|gestart|begonnen)(?: out| up)?(?: in| at)? (here|hier)\b")
GROUP_TYPES = {"alliance", "consortium", "collaboration", "network", "programme", "project"}

COUNTS = {word: value for value, words in NUMBER_WORDS.items() for word in words if 1 < value < 13}
ANY_ORGANISATION = None  # "the three organisations": whatever is not itself a group
# "the three institutions", "de kennisinstellingen": those that teach, heal, research or collect
INSTITUTIONS = {
    "university",
    "university-of-applied-sciences",
    "university-medical-centre",
    "hospital",
    "research-institute",
    "research-centre",
    "research-school",
    "school",
    "museum",
}
# what a counted reference counts: plural nouns, English and Dutch -> the organisation types they cover
COUNTED_TYPES: dict[str, set[str] | None] = {
    "organisations": ANY_ORGANISATION,
    "organizations": ANY_ORGANISATION,
    "institutions": INSTITUTIONS,
    "knowledge institutions": INSTITUTIONS,
    "parties": ANY_ORGANISATION,
    "partners": ANY_ORGANISATION,
    "organisaties": ANY_ORGANISATION,
    "instellingen": INSTITUTIONS,
    "kennisinstellingen": INSTITUTIONS,
    "partijen": ANY_ORGANISATION,
    "universities": {"university"},
    "universiteiten": {"university"},
    "university medical centres": {"university-medical-centre"},
    "university medical centers": {"university-medical-centre"},
    "medical centres": {"university-medical-centre"},
    "hospitals": {"hospital", "university-medical-centre"},
    "ziekenhuizen": {"hospital", "university-medical-centre"},
    "municipalities": {"municipality"},
    "gemeenten": {"municipality"},
}
MEMBERSHIP_NOUNS = {"partners", "parties", "partijen"}
COUNTED = re.compile(
    r"(?i)\b(?:(?:the|these|those|de|deze|die) (" + "|".join(sorted(COUNTS, key=len, reverse=True)) + r"|\d{1,2})|"
    r"(both|beide))(?: [\w-]+)?? (" + "|".join(sorted(COUNTED_TYPES, key=len, reverse=True)) + r")\b"
)


def referred(sentence: str, recent: list[Named], subject: Named | None) -> Named | None:
    """The organisation a sentence opening "The consortium ..." or "Its ..." points back to, if it is clear."""
    match = REFERENCE.match(sentence)
    if not match:
        return None
    words = match.group().split()
    noun = words[-1].lower()
    if noun in ("its", "hun", "zijn", "they", "zij", "ze"):
        return subject
    if words[0] in ("This", "Dit", "Deze"):  # a demonstrative may name the subject of the sentence before anew
        return _last_of(noun, recent) or _opening(recent)
    return _last_of(noun, recent)


def referred_within(sentence: str, start: int, recent: list[Named]) -> tuple[Mention, Named] | None:
    """ "also participate in this Centre", "started here": the organisation the phrase points back to, standing
    where the phrase stands, with the sentence that names it."""
    match, named = WITHIN.search(sentence), None
    if match is not None:
        named = _last_of(match.group(1).lower(), recent)
    elif (match := HERE.search(sentence)) is not None and recent:
        named = next(n for n in recent if n[1] == recent[-1][1])
    if match is None or named is None:
        return None
    at = match.span(1) if match.re is HERE else match.span()
    return Mention(named[0].name, start + at[0], start + at[1], named[0].alias_of), named


def counted(
    sentence: str, start: int, orgs: list[Mention], recent: list[Named], last: list[Named] | None = None
) -> list[tuple[Mention, Named]]:
    """ "The boards of the three organisations have signed ...": the N organisations the last relation listed when
    they are N of the kind the noun names ("A, B and C founded X. The three partners signed ..."), else the last N
    distinct ones of that kind named before (in this sentence or earlier), each standing where the phrase stands;
    nothing when fewer than N are known."""
    resolved: list[tuple[Mention, Named]] = []
    for match in COUNTED.finditer(sentence):
        number, both, noun = match.groups()
        count = 2 if both else COUNTS.get(number.lower()) or int(number)
        wanted = COUNTED_TYPES[noun.lower()]
        before = [(m, start, sentence) for m in orgs if m.end <= start + match.start()]
        for candidates, exactly in ((last or [], True), ([*recent, *before], False)):
            found: dict[str, Named] = {}
            for named in reversed(candidates):
                kind = named[0].name.type
                if kind not in GROUP_TYPES if wanted is ANY_ORGANISATION else kind in wanted:
                    found.setdefault(named[0].name.key or named[0].name.text, named)
                if len(found) == count and not exactly:
                    break
            if len(found) == count and (not exactly or len({_identity(n) for n in candidates}) == count):
                at = (start + match.start(), start + match.end())
                resolved += [(Mention(n[0].name, *at, n[0].alias_of), n) for n in reversed(found.values())]
                break
    return resolved


def partners_of(sentence: str, recent: list[Named]) -> Named | None:
    """ "The four parties work together ..." just after a sentence naming a group: the group they are partners in."""
    match = COUNTED.search(sentence)
    if match is None or match.group(3).lower() not in MEMBERSHIP_NOUNS or not recent:
        return None
    previous = recent[-1][1]  # the offset of the last sentence that named an organisation
    return next((n for n in reversed(recent) if n[1] == previous and n[0].name.type in GROUP_TYPES), None)


def last_group(recent: list[Named]) -> Named | None:
    """The alliance, consortium or programme named last: what "the partners" of a later sentence make up."""
    return next((n for n in reversed(recent) if n[0].name.type in GROUP_TYPES), None)


def _opening(recent: list[Named]) -> Named | None:
    """ "UNIIQ helps entrepreneurs ... This investment fund was set up by ...": a new organisation (one whose type is
    a guess) opening the sentence before."""
    first = next((n for n in recent if n[1] == recent[-1][1]), None) if recent else None
    return first if first and first[0].start == first[1] and first[0].name.key is None else None


def _identity(named: Named) -> str:
    return named[0].name.key or named[0].name.text


def _last_of(noun: str, recent: list[Named]) -> Named | None:
    wanted = REFERRED_TYPES.get(noun, set())
    return next((n for n in reversed(recent) if n[0].name.type in wanted or noun in n[0].name.text.lower()), None)

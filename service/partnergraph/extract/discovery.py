"""Organisations a text names that nobody listed yet: by the head nouns organisation names end in (English and
Dutch, compounds too), by the lists pages put them in, and by "the EWUU alliance"."""

from __future__ import annotations

import re

from .marked import marked
from .model import Mention, Name

# head noun -> organisation type (ontology/concepts.ttl, orgtype scheme); the last matching head decides
HEADS: dict[str, str] = {
    "University of Applied Sciences": "university-of-applied-sciences",
    "Hogeschool": "university-of-applied-sciences",
    "University": "university",
    "Universities": "association",  # "League of European Research Universities", "Universities of the Netherlands"
    "League": "association",
    "Universiteit": "university",
    "Medical Center": "university-medical-centre",
    "Medical Centre": "university-medical-centre",
    "UMC": "university-medical-centre",
    "Hospital": "hospital",
    "Ziekenhuis": "hospital",
    "Municipality": "municipality",
    "Gemeente": "municipality",
    "City Council": "municipality",
    "Province": "province",
    "Provincie": "province",
    "Foundation": "foundation",
    "Stichting": "foundation",
    "Association": "association",
    "Vereniging": "association",
    "Museum": "museum",
    "Institute": "research-institute",
    "Instituut": "research-institute",
    "Centre": "research-centre",
    "Center": "research-centre",
    "Centrum": "research-centre",
    "Academy": "school",
    "Academie": "school",
    "School": "school",
    "College": "school",
    "Alliance": "alliance",
    "Consortium": "consortium",
    "Network": "network",
    "Fund": "fund",
    "Fonds": "fund",
    "Council": "funding-body",
    "Programme": "programme",
    "Ministry": "government-agency",
    "Ministerie": "government-agency",
    "Universitair Medisch Centrum": "university-medical-centre",
    "Program": "programme",
    "B.V.": "company",
    "N.V.": "company",
    "Group": "company",  # "Reinier-Haga Group"; a hospital group is a company to a first guess
    "Groep": "company",
    "Holding": "company",
    "Bedrijven": "company",
    "Conservatoire": "school",
    "Conservatorium": "school",
    "Lab": "research-centre",  # "Leiden Education Field Lab", living labs
    "Taskforce": "funding-body",
    "City Deal": "programme",  # the Dutch government's covenants with cities
}
# words that join a name's parts; "and the" / "en de" starts another name ("the Royal Conservatoire and the Royal ...")
CONNECTORS = r"(?:of|for|the|van|voor|de|&|and(?! the\b)|en(?! de\b)|für)"
WORD = r"(?:[A-Z][\w'’-]*)"
# Dutch compounds carry their head inside: Rijksuniversiteit, Hanzehogeschool, Streekziekenhuis
COMPOUNDS = {
    "universiteit": "university",
    "hogeschool": "university-of-applied-sciences",
    "ziekenhuis": "hospital",
    "instituut": "research-institute",
    "umc": "university-medical-centre",  # Radboudumc
}
COMPOUND = rf"[A-Z]\w+(?:{'|'.join(COMPOUNDS)})\b"
HEAD_PATTERN = re.compile(  # within one line: a name never runs on into the next heading
    rf"\b(?:{WORD} (?:{CONNECTORS} )*)*"
    rf"(?:{'|'.join(re.escape(h) for h in sorted(HEADS, key=len, reverse=True))}|{COMPOUND})(?!\w)"
    rf"(?: (?:{CONNECTORS} )*{WORD})*"
)
EVENTS = {
    "Day",
    "Days",
    "Dag",
    "Week",
    "Conference",
    "Congress",
    "Festival",
    "Symposium",
    "Summit",
}  # not organisations
_STARTS = "the a an and of in at on for with by from to since both together this these those its their our also here"
SENTENCE_STARTS = set(_STARTS.split()) | {
    "de",
    "het",
    "een",
    "en",
    "van",
    "op",
    "voor",
    "met",
    "door",
    "sinds",
    "samen",
}


def discover(text: str, known: list[tuple[int, int]]) -> list[Mention]:
    """Names with a head noun ("Rijksuniversiteit Groningen", "Ministry of ..."), split where two meet, and names
    marked otherwise (marked.py); `known` are the spans of names already recognised."""
    found: list[Mention] = []
    for match in HEAD_PATTERN.finditer(text):
        start, name = _trim(match.start(), match.end(), text)
        for part_start, part in _split_lists(start, name, known):
            head = _head(part)
            bare = head in HEADS and len(part.split()) <= len(head.split())  # a compound names alone: "Radboudumc"
            if head is None or bare or part.split()[-1] in EVENTS:
                continue  # "Medical Centre" alone names nothing; "City Deal Kennis Maken Day" is an event
            found.append(
                Mention(Name(part, None, "organisation", "name", _type(head)), part_start, part_start + len(part))
            )
    return found + marked(text)


def elsewhere(text: str, found: list[Mention]) -> list[Mention]:
    """A name the page revealed once (in a list, by its head noun) names the organisation wherever it occurs."""
    extra: list[Mention] = []
    discovered = {m.name.text: m for m in found if m.name.key is None and m.name.kind == "organisation"}
    for name, first in sorted(discovered.items(), key=lambda item: -len(item[0])):
        for occurrence in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            if not any(m.start < occurrence.end() and occurrence.start() < m.end for m in found + extra):
                extra.append(Mention(first.name, occurrence.start(), occurrence.end(), first.alias_of))
    return extra


# plural nouns that introduce a list of organisations, and the type the list's items then have (None: by head noun)
LISTING = {
    "companies": "company",
    "businesses": "company",
    "bedrijven": "company",
    "municipalities": "municipality",
    "gemeenten": "municipality",
    "universities": "university",
    "universiteiten": "university",
    "hospitals": "hospital",
    "ziekenhuizen": "hospital",
    "partners": None,
    "members": None,
    "organisations": None,
    "organizations": None,
    "institutions": None,
    "organisaties": None,
    "instellingen": None,
    "leden": None,
    "partijen": None,
}
LISTING_WORDS = "|".join(LISTING)
PARENTHESISED = re.compile(rf"(?i)\b({LISTING_WORDS})\s*\(([^()\n]+)\)")
INTRODUCED = re.compile(
    rf"(?i)\b({LISTING_WORDS})\b[^\n.;:]{{0,160}}?\b(?:include|including|such as|zijn|onder wie|waaronder)\b:*[ \t]*"
)
BULLET = re.compile(r"(?m)^[ \t]*(?:[•\-*–]|\d+[.)])[ \t]*(\S[^\n]*?)[.;,]?[ \t]*$")
ITEM = re.compile(r"[A-Z][\w'’&.-]*(?: [\w'’&.-]+){0,5}")


def listed(text: str, named: list[Mention]) -> list[Mention]:
    """Organisations a page lists after a plural noun: "six municipalities (Leiden, Oegstgeest, ...)", "companies
    ... include:" followed by bullets. A listed place name is then an organisation of that type, not the place."""
    items: list[tuple[int, str, str | None]] = []
    for match in PARENTHESISED.finditer(text):
        items += _items(match.start(2), match.group(2), LISTING[match.group(1).lower()])
    for match in INTRODUCED.finditer(text):
        kind = LISTING[match.group(1).lower()]
        rest = text[match.end() :]
        if rest.startswith("\n"):  # bullets on the following lines
            position = match.end()
            for bullet in BULLET.finditer(rest):
                if text[position : match.end() + bullet.start()].strip():
                    break  # the list ended
                items.append((match.end() + bullet.start(1), bullet.group(1), kind))
                position = match.end() + bullet.end()
        else:  # "such as A, B and C" up to the end of the sentence
            sentence = re.split(r"[.;:!?\n]", rest, maxsplit=1)[0]
            items += _items(match.end(), sentence, kind)
    kept = list(named)
    for start, item, kind in items:
        if not ITEM.fullmatch(item) or any(ch.isdigit() for ch in item):
            continue
        end = start + len(item)
        overlapping = [m for m in kept if m.start < end and start < m.end]
        if any(m.name.kind == "organisation" for m in overlapping):
            continue
        kept = [m for m in kept if m not in overlapping]
        guess = kind or (_type(head) if (head := _head(item)) else "association")
        kept.append(Mention(Name(item, None, "organisation", "name", guess), start, end))
    return kept


def _items(start: int, listed: str, kind: str | None) -> list[tuple[int, str, str | None]]:
    found = []
    for match in re.finditer(r"[^,]+", listed):
        for part in re.split(r" (?:and|en|or) ", match.group()):
            stripped = part.strip()
            if stripped:
                found.append((start + match.start() + match.group().index(stripped), stripped, kind))
    return found


def _head(name: str) -> str | None:
    """The head noun that makes `name` an organisation's: one of HEADS at its end or start, else inside it
    ("Eindhoven University of Technology"), or a Dutch compound."""
    found = next((h for h in HEADS if name.endswith(h) or name.startswith(h)), None)
    if not found and not re.search(r" (?:and|en|&) ", name):  # inside a list it would join two names
        found = next((h for h in HEADS if re.search(rf"(?<!\w){re.escape(h)}(?!\w)", name)), None)
    return found or next((w for w in name.split() if re.fullmatch(COMPOUND, w)), None)


def _type(head: str) -> str:
    return HEADS.get(head) or next(t for suffix, t in COMPOUNDS.items() if head.endswith(suffix))


def _split_lists(start: int, name: str, known: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """Names joined by 'and' are several: "Erasmus University and Leiden University" (a head noun on each side),
    "TU Delft and Erasmus University" (a known name on one side keeps its own mention)."""
    parts: list[tuple[int, str]] = []
    while True:
        joined = re.search(r" (?:and|en|&) ", name)
        if joined is None:
            return [*parts, (start, name)]
        left, right, right_start = name[: joined.start()], name[joined.end() :], start + joined.end()
        if any(s < start + len(left) and start < e for s, e in known):
            start, name = right_start, right  # the known name on the left is found on its own
        elif _head(left) and _head(right):
            parts.append((start, left))
            start, name = right_start, right
        else:
            return [*parts, (start, name)]  # "Centre for Innovation and Entrepreneurship": one name


def _trim(start: int, end: int, text: str) -> tuple[int, str]:
    """Drop leading words that only start a sentence ("Together Leiden University", "The Faculty") from a match."""
    found = text[start:end]
    while (first := found.split(" ", 1)[0]).lower() in SENTENCE_STARTS and " " in found:
        start, found = start + len(first) + 1, found[len(first) + 1 :]
    return start, found

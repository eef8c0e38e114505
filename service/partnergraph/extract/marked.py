"""Organisation names marked by something other than a head noun: an acronym beside the kind of group it is ("the
EWUU alliance", "STZ hospitals", "the programme, ACCEZ"), a public body written in lower case ("province of South
Holland", "gemeente Leiden"), the inner capital of a made-up brand ("InnovationQuarter", "mboRijnland"), and an
acronym standing alone ("In PLNT, ...", "involved with TNO"), and a name listed between organisations ("Eindhoven
University of Technology, Philips and the Municipality of Eindhoven")."""

from __future__ import annotations

import itertools
import re

from .model import Mention, Name

# "the EWUU alliance", "STZ hospitals": an acronym named by the kind of group it is
GROUP = re.compile(
    r"\b([A-Z][A-Z0-9]{1,9}) (alliance|consortium|network|partnership|samenwerking|hospitals|universities|"
    r"ziekenhuizen|universiteiten)\b"
)
GROUP_TYPES = {"alliance": "alliance", "consortium": "consortium", "network": "network"}
MEMBERS_GROUP = {"hospitals", "universities", "ziekenhuizen", "universiteiten"}  # "STZ hospitals": their association
# "The programme, ACCEZ, ...", "het programma Groningen Kennisstad": a name in apposition to the kind of organisation
# it is (an acronym, or capitalised words)
APPOSITION = re.compile(
    r"\b(programme|program|project|consortium|alliance|network|initiative|platform|foundation|programma|netwerk|"
    r"stichting|alliantie),? ([A-Z][A-Z0-9]{2,9}(?![\w-])|[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,4}(?![\w-]))"
)
APPOSITION_TYPES = {
    "program": "programme",
    "programma": "programme",
    "initiative": "programme",
    "platform": "network",
    "netwerk": "network",
    "stichting": "foundation",
    "alliantie": "alliance",
}
# "province of South Holland", "gemeente Leiden": a public body named, in lower case, by what it governs
GOVERNING = re.compile(r"\b(province|municipality|provincie|gemeente)(?: of)? ([A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*)")
GOVERNING_TYPES = {
    "province": "province",
    "provincie": "province",
    "municipality": "municipality",
    "gemeente": "municipality",
}
# "InnovationQuarter", "HealthTIES", "mboRijnland": a capital inside a word marks a name made up as a brand
# (standing alone: "LeidenCity Council" is a heading that lost a space)
BRAND = re.compile(r"(?<![\w-])([A-Za-z][a-z]+[A-Z][A-Za-z]*|[a-z]{2,}[A-Z][a-z]+[A-Za-z]*)(?![\w-])(?! [A-Z])")
NOT_BRANDS = {"PhD", "PhDs", "LinkedIn", "YouTube", "JavaScript", "PowerPoint", "WhatsApp", "GitHub", "iPhone"}


def marked(text: str) -> list[Mention]:
    """Every name so marked in the text, typed by its marker (a brand's type is unknown, an association, unless
    the kind of group follows it: "the HealthTIES consortium")."""
    found: list[Mention] = []
    for match in GROUP.finditer(text):
        noun = match.group(2)
        kind = "association" if noun in MEMBERS_GROUP else GROUP_TYPES.get(noun, "collaboration")
        found.append(Mention(Name(match.group(1), None, "organisation", "acronym", kind), match.start(1), match.end(1)))
    for match in APPOSITION.finditer(text):
        noun = match.group(1).lower()
        kind = APPOSITION_TYPES.get(noun, noun)
        form = "acronym" if match.group(2).isupper() else "name"
        found.append(Mention(Name(match.group(2), None, "organisation", form, kind), match.start(2), match.end(2)))
    for match in GOVERNING.finditer(text):
        kind = GOVERNING_TYPES[match.group(1)]
        found.append(Mention(Name(match.group(), None, "organisation", "name", kind), match.start(), match.end()))
    for match in BRAND.finditer(text):
        if len(match.group()) >= 6 and match.group() not in NOT_BRANDS:
            noun = re.match(r" (alliance|consortium|network)\b", text[match.end() : match.end() + 12])
            brand = Name(match.group(), None, "organisation", "name", GROUP_TYPES[noun[1]] if noun else "association")
            found.append(Mention(brand, match.start(), match.end()))
    return found


# an acronym standing alone: in this genre it names an organisation or programme ("In PLNT, ...", "with TNO"), unless
# it is one of the words below (levels of education, everyday abbreviations) or part of a heading in capitals
ACRONYM = re.compile(r"(?<![\w-])(?<![A-Z]{2} )[A-Z][A-Z0-9]{2,7}(?![\w-])(?! [A-Z]{2,})")
NOT_ACRONYMS = {"HBO", "MBO", "VWO", "HAVO", "VMBO", "ICT", "CEO", "CFO", "PDF", "URL", "FAQ", "COVID", "NGO", "NGOS"}
# "DORA, the digital operation assistant": an acronym the page explains as something that is not an organisation
EXPLAINED = re.compile(r", (?:the|a|an|de|het|een) ([a-z][\w -]*?)(?=[,.;]| that| which| die| dat)")
ORGANISATION_NOUNS = re.compile(
    r"\b(?:organi[sz]ation|institute|institution|centre|center|foundation|fund|network|programme|program|company|"
    r"association|consortium|alliance|platform|university|hospital|council|agency|school|partnership|initiative|"
    r"organisatie|instituut|stichting|netwerk|programma|bedrijf|vereniging|samenwerking)s?\b"
)


def acronyms(text: str, named: list[Mention]) -> list[Mention]:
    """Acronyms not already part of a name found, nor the abbreviation of a place or thing a page gives in brackets
    after it, nor explained as something other than an organisation."""
    found: list[Mention] = []
    for match in ACRONYM.finditer(text):
        word = match.group()
        if word in NOT_ACRONYMS or _abbreviates(text, word, named):
            continue
        if (explained := EXPLAINED.match(text, match.end())) and not ORGANISATION_NOUNS.search(explained.group(1)):
            continue
        taken = named + found
        for occurrence in re.finditer(rf"(?<![\w-]){word}(?![\w-])", text):
            if not any(m.start < occurrence.end() and occurrence.start() < m.end for m in taken):
                found.append(Mention(Name(word, None, "organisation", "acronym", "association"), *occurrence.span()))
    return found


def _abbreviates(text: str, word: str, named: list[Mention]) -> bool:
    """ "Leiden Bio Science Park (LBSP)": the short form of a name already found (a place's, too)."""
    return any(text.startswith(f" ({word})", m.end) or text.startswith(f"({word})", m.end) for m in named)


# "A, Philips and B": capitalised words listed between two organisations, on one line
CAPITALISED = r"[A-Z][\w'’&.-]*(?: [A-Z][\w'’&.-]*){0,3}"
BETWEEN = re.compile(rf",\s((?:{CAPITALISED},\s)*{CAPITALISED}),?\s(?:and|en|&)(?:\s(?:the|de|het))?\s")


def coordinated(text: str, named: list[Mention]) -> list[Mention]:
    """Names in a list whose first and last items are organisations already found are organisations too."""
    organisations = sorted((m for m in named if m.name.kind == "organisation"), key=lambda m: m.start)
    found: list[Mention] = []
    for first, last in itertools.pairwise(organisations):
        listing = BETWEEN.fullmatch(text, first.end, last.start)
        if listing is None or any(first.end < m.start < last.start for m in named):
            continue  # nothing listed, or something found already stands in between
        for item in re.finditer(CAPITALISED, listing.group(1)):
            start = listing.start(1) + item.start()
            found.append(
                Mention(
                    Name(item.group(), None, "organisation", "name", "association"), start, start + len(item.group())
                )
            )
    return found

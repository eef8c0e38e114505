"""Figures in a sentence: a number in digits or English or Dutch words, an optional hedge ("more than", "ruim"),
and the plural noun that says what it counts, mapped to the kind scheme (ontology/concepts.ttl)."""

from __future__ import annotations

import re

from ..pipeline.figures import NUMBER_WORDS
from .model import Candidate, Mention, Named

WORD_VALUES = {word: value for value, words in NUMBER_WORDS.items() for word in words if value > 1}
NUMBER = r"\d{1,3}(?:[.,]\d{3})+|\d+|" + "|".join(sorted(WORD_VALUES, key=len, reverse=True))
# what a figure counts: plural nouns, English and Dutch -> the kind scheme (ontology/concepts.ttl)
COUNTED = {
    "university medical centres": "university-medical-centre",
    "university medical centers": "university-medical-centre",
    "universities": "university",
    "universiteiten": "university",
    "municipalities": "municipality",
    "gemeenten": "municipality",
    "hospitals": "hospital",
    "ziekenhuizen": "hospital",
    "projects": "project",
    "projecten": "project",
    "countries": "country-of-origin",
    "landen": "country-of-origin",
    "companies": "company",
    "businesses": "company",
    "bedrijven": "company",
    "centres": "centre",
    "centers": "centre",
    "centra": "centre",
    "jobs": "job",
    "people": "job",
    "employees": "job",
    "banen": "job",
    "researchers": "researcher",
    "onderzoekers": "researcher",
    "students": "student",
    "studenten": "student",
    "years": "year",
    "jaar": "year",
    "organisations": "organisation",
    "organizations": "organisation",
    "institutions": "organisation",
    "partners": "organisation",
    "parties": "organisation",
    "members": "organisation",
    "organisaties": "organisation",
    "instellingen": "organisation",
    "partijen": "organisation",
}
HEDGE = r"more than|over|ruim|meer dan|at least|minstens"
FIGURE = re.compile(
    rf"(?i)\b(?:({HEDGE})\s+)?({NUMBER})(?:(-year|-jarig)|\s+((?:[\w-]+\s+){{0,2}}?)"
    rf"({'|'.join(sorted(COUNTED, key=len, reverse=True))}))\b"
)


def figures(sentence: str, start: int, orgs: list[Mention], last_group: Named | None) -> list[Candidate]:
    found = []
    for match in FIGURE.finditer(sentence):
        hedge, number, year_suffix, _, noun = match.groups()
        value = _value(number)
        if value is None or (value < 2 and not year_suffix):
            continue
        kind = "year" if year_suffix else COUNTED[noun.lower()]
        figure: dict[str, object] = {"value": value, "kind": kind}
        if hedge:
            figure["qualifier"] = "more-than"
        before = [m for m in orgs if m.start <= start + match.start()]
        subject = before[-1] if before else None  # what is counted belongs to the organisation named before it
        candidate = Candidate(sentence, start, subject, "figure", details={"figure": figure}, found_by="rule:figure")
        if subject is None and last_group is not None:  # "the partners employ 60 people": the group named before
            candidate.of, candidate.context = last_group[0], ((last_group[2], last_group[1]),)
        if candidate.of is not None:
            found.append(candidate)
    return found


def _value(number: str) -> int | None:
    lower = number.lower()
    if lower in WORD_VALUES:
        return WORD_VALUES[lower]
    digits = re.sub(r"[.,]", "", number)
    return int(digits) if digits.isdigit() else None

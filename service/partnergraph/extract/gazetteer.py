"""Names the project already knows (registry labels, names as written in reviewed statements, ROR records), found
in a text together with those discovery.py finds for organisations nobody listed yet.

Matching is on whole words and case-sensitive: "LUMC" and "Leiden University" are names, "the university" is not.
The longest name wins where names overlap, so "Leiden University Medical Center" is never read as "Leiden University".
"""

from __future__ import annotations

import re
from pathlib import Path

from ..linking.ror import read_dump
from ..pipeline.registry import Registry
from ..pipeline.sourcefile import load_yaml
from .discovery import discover, elsewhere, listed
from .marked import acronyms, coordinated
from .model import Mention, Name

# "League of European Research Universities (LERU)": the short form a page defines for a name
DEFINED_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]*[A-Z][A-Za-z0-9]*)\)")
ROR_TYPES = {
    "education": "university",
    "healthcare": "hospital",
    "company": "company",
    "government": "municipality",
    "nonprofit": "foundation",
    "facility": "research-centre",
    "funder": "funding-body",
    "archive": "museum",
}


class Gazetteer:
    """Finds known names in a text, longest first, and names that look like organisations by their head noun."""

    def __init__(self, names: list[Name], located: set[str] | None = None) -> None:
        self.located = located or set()  # organisations whose location the project already states
        self.names: dict[str, Name] = {}
        for name in sorted(names, key=lambda n: (n.key is None, n.text)):  # a known key wins over a ROR guess
            self.names.setdefault(name.text, name)
        alternatives = sorted(self.names, key=len, reverse=True)
        pattern = r"(?<![\w-])(?:" + "|".join(map(re.escape, alternatives)) + r")(?![\w-])"
        self.pattern = re.compile(pattern) if alternatives else None  # no names: nothing to find (not every "")

    def find(self, text: str) -> list[Mention]:
        """Known names and head-noun names, the longer winning where they overlap; then the acronyms the page
        defines for them, wherever they occur."""
        matches = self.pattern.finditer(text) if self.pattern else iter(())
        found = [Mention(self.names[m.group()], m.start(), m.end()) for m in matches]
        known = [(m.start, m.end) for m in found if m.name.kind == "organisation"]
        found += discover(text, known)
        kept: list[Mention] = []
        for mention in sorted(found, key=lambda m: (m.start - m.end, m.start)):  # longest first
            if not any(m.start < mention.end and mention.start < m.end for m in kept):
                kept.append(mention)
        kept = listed(text, kept)
        kept += self._defined_acronyms(text, kept)
        kept += acronyms(text, kept)
        kept += coordinated(text, kept)
        kept += elsewhere(text, kept)
        return sorted(kept, key=lambda m: m.start)

    def places(self) -> list[Name]:
        """The places the project knows, for names that carry one ("Erasmus University Rotterdam")."""
        return [name for name in self.names.values() if name.kind == "place" and name.key]

    def _defined_acronyms(self, text: str, named: list[Mention]) -> list[Mention]:
        extra: list[Mention] = []
        for match in DEFINED_ACRONYM.finditer(text):
            short = match.group(1)
            owner = next((m for m in named if 0 <= match.start() - m.end <= 1), None)
            if owner is None or short in self.names or owner.name.kind != "organisation":
                continue
            alias = Name(short, owner.name.key, "organisation", "acronym", owner.name.type)
            alias_of = owner.name.text
            for occurrence in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text):
                if not any(m.start < occurrence.end() and occurrence.start() < m.end for m in named + extra):
                    extra.append(Mention(alias, occurrence.start(), occurrence.end(), alias_of))
        return extra


def project_gazetteer(
    registry: Registry, statements: list[Path], extra: list[Name] | None = None, leave_out: str | None = None
) -> Gazetteer:
    """The names the project knows (and `extra` ones, from ROR), and which organisations it already places."""
    names = project_names(registry, statements, leave_out) + (extra or [])
    return Gazetteer(names, _located(statements, leave_out))


def _located(statements: list[Path], leave_out: str | None) -> set[str]:
    """Organisations whose location a reviewed document states (and no one contradicts): the place their name
    carries is known, and proposing it again on every page would only ask the reviewer the same question."""
    located: set[str] = set()
    for path in statements:
        content = load_yaml(path) or {}
        if content.get("document") != leave_out:
            claims = content.get("claims") or []
            located |= {str(c["of"]) for c in claims if "location" in c and c.get("rank") != "deprecated"}
    return located


def project_names(registry: Registry, statements: list[Path], leave_out: str | None = None) -> list[Name]:
    """Every name the reviewed statements write, and registry labels of entities another document names.

    With `leave_out`, what only that document supports is left out, so an evaluation cannot peek at its answers."""
    names: list[Name] = []
    supported: set[str] = set()
    for path in statements:
        content = load_yaml(path) or {}
        if content.get("document") == leave_out:
            continue
        for key, items in (content.get("names") or {}).items():
            supported.add(key)
            for item in items:
                form, text = ("name", item) if isinstance(item, str) else _form(item)
                entity = registry.entities[key]
                names.append(Name(str(text), key, entity.kind, form, entity.type))
    for entity in registry.entities.values():
        if leave_out is None or entity.key in supported or entity.kind == "place":
            for lang, label in entity.preferred_labels().items():
                names.append(Name(label, entity.key, entity.kind, "nl" if lang == "nl" else "name", entity.type))
    return names


def _form(item: dict[str, object]) -> tuple[str, object]:
    form = next(k for k in ("en", "nl", "acronym") if k in item)
    return ("name" if form == "en" else form), item[form]


def ror_names(dumps: list[Path]) -> list[Name]:
    """Names of the organisations in ROR dumps: labels and aliases (acronyms alone are too ambiguous to find)."""
    found: list[Name] = []
    for dump in dumps:
        for record in read_dump(dump):
            if record.status == "withdrawn":
                continue
            guess = next((ROR_TYPES[t] for t in record.types if t in ROR_TYPES), "research-centre")
            for name in record.names:
                if "acronym" not in name.kinds and len(name.value.split()) >= 2:
                    found.append(Name(name.value, None, "organisation", "name", guess))
    return found

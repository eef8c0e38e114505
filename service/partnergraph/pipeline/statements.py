"""Statement files (data/statements/*.yaml) turned into facts, each with a verified quote; no RDF here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from ..errors import InputError
from .claim_keys import AGREEMENT, BLOCK_KEYS, BY_KIND, DATES, ORG, PARTNERSHIP, PLACE, RELATIONS
from .curation import read_curation
from .dates import PartialDate, parse_date, parse_duration
from .documents import Document
from .figures import Figure, parse_figure
from .quotes import Quote, find_quote
from .readings import unstated
from .registry import Entity, Registry
from .sourcefile import LineDict, load_yaml

# a drafted file awaits review, was accepted unread (extract --accept), or was reviewed (the default)
REVIEW = ("pending", "accepted", "done")


@dataclass(frozen=True)
class Source:
    """Where a fact was written down: the statement file and line."""

    path: Path
    line: int


@dataclass(frozen=True)
class Fact:
    """One sourced assertion: subject, predicate token, object, and the quote that supports it.

    `obj` is an entity key (obj_kind "entity"), a concept key ("theme"), a text ("text", with `lang`),
    a date ("date"), a document id ("document"), or None for figures and relative dates.
    """

    document: str
    subject: str
    predicate: str
    obj: str | None
    obj_kind: str
    quote: Quote
    source: Source
    lang: str | None = None
    date: PartialDate | None = None
    role: str | None = None
    since: PartialDate | None = None
    figure: Figure | None = None
    before_publication: str | None = None
    rank: str = "normal"
    reason: str | None = None
    method: str = "explicit"
    context: tuple[Quote, ...] = ()  # the passages that name what the quote leaves unsaid (method from-context)
    modality: str = "stated"
    extra: tuple[tuple[str, str], ...] = field(default=())


def load_statements(
    path: Path, documents: dict[str, Document], registry: Registry, include_drafts: bool = False
) -> list[Fact]:
    """Read one statement file and return its facts, every quote found in the document. A draft from `partnergraph
    extract` that nobody reviewed yet (`review: pending`) is refused unless drafts are asked for."""
    content = load_yaml(path)
    if not isinstance(content, LineDict):
        raise InputError("expected a mapping with document, names, mentions and claims", path, 1)
    review = content.get("review", "done")
    if review not in REVIEW:
        raise InputError(f"review {review!r} is not one of {', '.join(REVIEW)}", path, content.line)
    if review == "pending" and not include_drafts:
        raise InputError(
            "a draft from `partnergraph extract` awaits review: check its names and claims, move wrong ones to "
            "'rejected:', delete the 'review: pending' line; or build with --include-drafts",
            path,
            content.line,
        )
    return _StatementFile(path, content, documents, registry).facts()


class _StatementFile:
    def __init__(self, path: Path, content: LineDict, documents: dict[str, Document], registry: Registry) -> None:
        self.path = path
        self.content = content
        self.registry = registry
        unknown = set(content) - {"document", "names", "mentions", "claims", "review", "rejected"}
        if unknown:
            self.fail(f"unknown top-level key {sorted(unknown)[0]!r}", content.line)
        doc_id = str(content.get("document", ""))
        if doc_id not in documents:
            self.fail(f"document {doc_id!r} is not listed in data/documents.yaml", content.line)
        self.document = documents[doc_id]
        self.mentioned: set[str] = set()
        self.written: dict[str, list[str]] = {}  # each organisation's names as this document writes them
        self.referred: dict[str, str] = {}  # how it refers to those it does not name ("their Medical Centres")

    def fail(self, message: str, line: int | None) -> NoReturn:
        raise InputError(message, self.path, line)

    def section(self, name: str) -> LineDict:
        """A top-level mapping (names, mentions), empty if absent."""
        value = self.content.get(name)
        if value is None:
            value = LineDict()
            value.line = self.content.line
        if not isinstance(value, LineDict):
            self.fail(f"{name} must map registry keys to names", self.content.line)
        return value

    def facts(self) -> list[Fact]:
        facts = self.names() + self.mentions()
        for block in self.content.get("claims") or []:
            facts.extend(self.claim(block))
        return facts

    def locate(self, quote: object, occurrence: object, line: int) -> Quote:
        if not isinstance(quote, str):
            self.fail("quote must be text", line)
        if not isinstance(occurrence, int) or occurrence < 1:
            self.fail("occurrence must be a whole number from 1", line)
        try:
            return find_quote(self.document.id, self.document.text, quote, occurrence)  # type: ignore[arg-type]
        except LookupError as error:
            self.fail(str(error), line)

    def entity(self, key: object, kinds: tuple[str, ...], line: int, role: str) -> Entity:
        entity = self.registry.entities.get(key) if isinstance(key, str) else None
        if entity is None:
            self.fail(f"{role}: {key!r} is not in the registry ({self.registry.path.name})", line)
        if entity.kind not in kinds:
            self.fail(f"{role}: {key!r} is a {entity.kind}, expected {' or '.join(kinds)}", line)
        if entity.kind == ORG and key not in self.mentioned:
            self.fail(
                f"{role}: organisation {key!r} is not named in this document; add it under names or mentions", line
            )
        return entity

    def names(self) -> list[Fact]:
        facts: list[Fact] = []
        names = self.section("names")
        for key, items in names.items():
            line: int = getattr(items, "line", names.line)
            entity = self.registry.entities.get(key)
            if entity is None:
                self.fail(f"names: {key!r} is not in the registry ({self.registry.path.name})", line)
            if not isinstance(items, list) or not items:
                self.fail(f"names: {key!r} needs a list of names as written", line)
            preferred = entity.preferred_labels()
            for position, item in enumerate(items):
                text, lang, predicate, occurrence = self._name(item, line)
                quote = self.locate(text, occurrence, line)
                self.written.setdefault(key, []).append(text)
                if lang and preferred.get(lang) == text:
                    predicate = "prefLabel"
                facts.append(self._fact(key, predicate, text, "text", quote, line, lang=lang))
                if position == 0:
                    facts.append(self._fact(key, "isReferencedBy", self.document.id, "document", quote, line))
            self.mentioned.add(key)
        return facts

    def _name(self, item: object, line: int) -> tuple[str, str | None, str, int]:
        if isinstance(item, str):
            return item, "en", "altLabel", 1
        if isinstance(item, dict):
            languages = {"en", "nl", "acronym"} & set(item)
            if len(languages) == 1 and set(item) <= {"en", "nl", "acronym", "occurrence"}:
                form = languages.pop()
                text = str(item[form])
                occurrence = item.get("occurrence", 1)
                return (
                    (text, None, "acronym", occurrence) if form == "acronym" else (text, form, "altLabel", occurrence)
                )
        self.fail(
            f"a name is text, {{nl: text}}, {{en: text}} or {{acronym: text}} (optionally with occurrence): {item!r}",
            line,
        )

    def mentions(self) -> list[Fact]:
        facts: list[Fact] = []
        mentions = self.section("mentions")
        for key, spec in mentions.items():
            line = mentions.line
            if key not in self.registry.entities:
                self.fail(f"mentions: {key!r} is not in the registry ({self.registry.path.name})", line)
            quote_text, occurrence = (
                (spec.get("quote"), spec.get("occurrence", 1)) if isinstance(spec, dict) else (spec, 1)
            )
            quote = self.locate(quote_text, occurrence, line)
            facts.append(self._fact(key, "isReferencedBy", self.document.id, "document", quote, line))
            self.referred[key] = quote.exact
            self.mentioned.add(key)
        return facts

    def _fact(
        self, subject: str, predicate: str, obj: str | None, obj_kind: str, quote: Quote, line: int, **details: Any
    ) -> Fact:
        return Fact(self.document.id, subject, predicate, obj, obj_kind, quote, Source(self.path, line), **details)

    def claim(self, block: object) -> list[Fact]:
        if not isinstance(block, LineDict):
            self.fail("each claim is a mapping with a quote", getattr(block, "line", self.content.line))
        line = block.line
        unknown = set(block) - BLOCK_KEYS
        if unknown:
            self.fail(f"unknown key {sorted(unknown)[0]!r} in claim; allowed: {', '.join(sorted(BLOCK_KEYS))}", line)
        if "quote" not in block or "of" not in block:
            self.fail("a claim needs a quote and 'of' (the entity it is about)", line)
        quote = self.locate(block["quote"], block.get("occurrence", 1), line)
        subject = str(block["of"])
        common = read_curation(block, line, self.fail, self.locate)
        facts: list[Fact] = []

        def add(subject: str, predicate: str, obj: str | None, obj_kind: str, **details: Any) -> None:
            facts.append(self._fact(subject, predicate, obj, obj_kind, quote, line, **common, **details))

        role = block.get("role")
        since = self._date(block, "since", quote, line) if "since" in block else None
        if (role is None) != ("members" not in block):
            self.fail("'role' goes with 'members', and 'members' needs a role", line)
        if since and "members" not in block:
            self.fail("'since' qualifies 'members'", line)
        for key, (predicate, subject_kinds, object_kinds, listed_are_subjects) in RELATIONS.items():
            if key not in block:
                continue
            of = self.entity(subject, object_kinds if listed_are_subjects else subject_kinds, line, "of")
            predicate = BY_KIND.get((key, of.kind), predicate)
            values = block[key] if isinstance(block[key], list) else [block[key]]
            for value in values:
                kinds = subject_kinds if listed_are_subjects else object_kinds
                self.entity(value, kinds, line, key)
                if listed_are_subjects:
                    add(value, predicate, subject, "entity", role=role if key == "members" else None, since=since)
                else:
                    add(subject, predicate, value, "entity")
        for key, by_kind in DATES.items():
            if key in block:
                of = self.entity(subject, tuple(by_kind), line, "of")
                add(subject, by_kind[of.kind], None, "date", date=self._date(block, key, quote, line))
        if "themes" in block:
            self.entity(subject, (ORG, PARTNERSHIP, AGREEMENT), line, "of")
            themes = block["themes"]
            if not isinstance(themes, list) or not themes:
                self.fail("themes is a list of theme keys", line)
            for theme in themes:
                add(subject, "subject", str(theme), "theme")
        if block.get("aim") is True:
            self.entity(subject, (ORG, PARTNERSHIP, AGREEMENT), line, "of")
            add(subject, "aim", quote.exact, "text", lang=self.document.language)
        elif "aim" in block:
            self.fail("aim: true marks the quote itself as a stated aim", line)
        if "figure" in block:
            self.entity(subject, (ORG, PLACE, PARTNERSHIP, AGREEMENT), line, "of")
            add(subject, "numberOf", None, "none", figure=self._figure(block["figure"], quote, line))
        if "started-before-publication" in block:
            of = self.entity(subject, tuple(DATES["start"]), line, "of")
            try:
                duration = parse_duration(block["started-before-publication"])
            except ValueError as error:
                self.fail(f"started-before-publication: {error}", line)
            add(subject, DATES["start"][of.kind], None, "none", before_publication=duration)
        if not facts:
            self.fail("this claim states nothing: add a relation, date, themes, aim or figure", line)
        if problem := unstated(facts, common["method"], common["context"], self.written, self.referred, self.registry):
            self.fail(problem, line)
        return facts

    def _date(self, block: LineDict, key: str, quote: Quote, line: int) -> PartialDate:
        try:
            date = parse_date(block[key])
        except ValueError as error:
            self.fail(f"{key}: {error}", line)
        if not any(form in quote.exact for form in date.spoken_forms()):
            self.fail(
                f"{key}: the quote does not mention {date.lexical} (looked for {' or '.join(date.spoken_forms())})",
                line,
            )
        return date

    def _figure(self, spec: object, quote: Quote, line: int) -> Figure:
        try:
            return parse_figure(spec, quote.exact)
        except ValueError as error:
            self.fail(str(error), line)

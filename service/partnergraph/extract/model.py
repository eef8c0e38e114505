"""What extraction finds: names (known or discovered), their mentions in a text, and candidate statements."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Name:
    text: str
    key: str | None  # registry key, or None for an organisation only ROR or a head noun suggests
    kind: str  # organisation, place, partnership, agreement, event
    form: str  # name, nl, acronym
    type: str | None = None  # an organisation type guess for unknown ones


@dataclass(frozen=True)
class Mention:
    name: Name
    start: int
    end: int
    alias_of: str | None = None  # for an acronym the page defines: the name it stands for, as written

    @property
    def text(self) -> str:
        return self.name.text


# the statement keys a relation candidate may have (pipeline/claim_keys.py defines them)
RELATION_KEYS = (
    "members",
    "parts",
    "incubated",
    "founders",
    "funders",
    "sponsors",
    "recognised-by",
    "coordinated-by",
    "implemented-by",
    "partners",
    "parties",
)


@dataclass
class Candidate:
    quote: str
    start: int
    of: Mention | None  # None: a new partnership or agreement among `values`
    key: str  # the statement key: one of RELATION_KEYS, location or figure
    values: list[Mention] = field(default_factory=list)
    details: dict[str, object] = field(default_factory=dict)
    confidence: float = 0.5
    found_by: str = ""
    # the passages (text, offset) that name what the quote does not, for a claim read from context
    context: tuple[tuple[str, int], ...] = ()
    method: str | None = None  # from-name: the claim rests on the name itself (the quote), not on a sentence


Named = tuple[Mention, int, str]  # a mention, and the sentence (offset, text) that names it

"""Candidates turned into the project's own formats: a statements file (names as written, claims with their quote,
confidence and the rule that found them) and the registry entries for organisations, partnerships and agreements
not yet known. Nothing here writes files; `extract.run` does, all at once."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..pipeline.registry import Registry
from .candidates import HOLDERS, candidates
from .gazetteer import Gazetteer
from .model import RELATION_KEYS, Candidate, Mention

DUTCH_HEADS = ("Gemeente", "Provincie", "Stichting", "Vereniging", "Universiteit", "Hogeschool", "Ziekenhuis")


@dataclass
class Draft:
    names: dict[str, list[Any]]
    claims: list[dict[str, Any]]
    registry: dict[str, dict[str, dict[str, str]]]  # section -> key -> fields, for entities not yet known
    publisher: str | None
    proposed: int = 0
    below_threshold: int = 0
    remembered_rejections: int = 0
    organisations: set[str] = field(default_factory=set)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60] or "unnamed"


class _Keys:
    """Registry keys for what the page names: known keys as they are, new ones minted from the name, unique."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.new: dict[str, dict[str, dict[str, str]]] = {"organisations": {}, "partnerships": {}, "agreements": {}}
        self.by_name: dict[str, str] = {}

    def organisation(self, mention: Mention) -> str:
        if mention.name.key:
            return mention.name.key
        text = mention.alias_of or mention.name.text  # a defined acronym belongs to the name it stands for
        if text not in self.by_name:
            key = self._unique(slug(text))
            fields = {"label": text, "type": mention.name.type or "research-centre"}
            if text.startswith(DUTCH_HEADS):
                fields["lang"] = "nl"
            self.new["organisations"][key] = fields
            self.by_name[text] = key
        return self.by_name[text]

    def grouping(self, section: str, keys: list[str], label: str, fields: dict[str, str]) -> str:
        key = self._unique("--".join(keys[:3]) + ("-agreement" if section == "agreements" else ""))
        self.new[section][key] = {"label": label, **fields}
        return key

    def _unique(self, base: str) -> str:
        taken = set(self.registry.entities) | {k for section in self.new.values() for k in section}
        key, number = base, 2
        while key in taken:
            key, number = f"{base}-{number}", number + 1
        return key


def draft(
    text: str, gazetteer: Gazetteer, registry: Registry, threshold: float, accept: bool, rejected: list[dict[str, Any]]
) -> Draft:
    """Find names and candidates in the text and express them as statements and registry entries."""
    everything = gazetteer.find(text)
    mentions = [m for m in everything if m.name.kind == "organisation"]
    keys = _Keys(registry)
    names: dict[str, list[Any]] = {}
    for mention in mentions:
        forms = names.setdefault(keys.organisation(mention), [])
        form = _written(mention)
        if form not in forms:
            forms.append(form)
    refused = {(r.get("quote"), r.get("of"), r.get("key")) for r in rejected}
    result = Draft(names, [], keys.new, _publisher(text, mentions, keys))
    banner = next((m for m in mentions if m.end <= 200), None)  # the publisher, named in the page's first lines
    for candidate in candidates(text, everything, banner, gazetteer):
        claim = _claim(candidate, keys)
        if "context" in claim and _names_all(claim, names):  # the quote names it after all ("five LDE centres")
            del claim["method"], claim["context"]
        result.proposed += 1
        if (claim["quote"], claim["of"], _statement_key(claim)) in refused:
            result.remembered_rejections += 1
        elif accept and candidate.confidence < threshold:
            result.below_threshold += 1
        else:
            result.claims.append(claim)
    _settle(result.claims, keys.new["organisations"])
    result.organisations = set(names)
    return result


def _settle(claims: list[dict[str, Any]], new: dict[str, dict[str, str]]) -> None:
    """What no single claim can decide: a new organisation the text gives members is a collaboration, whatever its
    head noun says; an organisation has one founding date, and the draft gives one only to a new organisation."""
    dated: set[str] = set()
    for claim in claims:
        if "founded" in claim and (claim["of"] in dated or claim["of"] not in new):
            del claim["founded"]
        if "founded" in claim:
            dated.add(claim["of"])
        if "members" in claim and claim["of"] in new and new[claim["of"]]["type"] not in HOLDERS:
            new[claim["of"]]["type"] = "consortium"


def _names_all(claim: dict[str, Any], names: dict[str, list[Any]]) -> bool:
    """Whether the quote writes a name of every organisation the claim relates (as the build checks)."""
    listed: list[str] = next(
        (claim[k] for k in RELATION_KEYS if k in claim),
        [],
    )
    related = [key for key in [claim["of"], *listed] if key in names]
    quote = " ".join(claim["quote"].split()).casefold()
    texts = {
        key: [form if isinstance(form, str) else next(iter(form.values())) for form in names[key]] for key in related
    }
    return all(any(" ".join(t.split()).casefold() in quote for t in texts[key]) for key in related)


def _written(mention: Mention) -> Any:
    text, form = mention.name.text, mention.name.form
    if form == "acronym" or (" " not in text and text.isupper()):
        return {"acronym": text}
    if form == "nl" or text.startswith(DUTCH_HEADS):
        return {"nl": text}
    return text


def _publisher(text: str, mentions: list[Mention], keys: _Keys) -> str | None:
    """The organisation in the page's banner (its first lines), else the one the page names most."""
    for mention in mentions:
        if mention.end <= 200:
            return keys.organisation(mention)
    counted = Counter(keys.organisation(m) for m in mentions)
    return counted.most_common(1)[0][0] if counted else None


def _claim(candidate: Candidate, keys: _Keys) -> dict[str, Any]:
    values = [keys.organisation(m) for m in candidate.values]
    claim: dict[str, Any] = {"quote": candidate.quote}
    if candidate.context:
        claim["method"] = "from-context"
        passages = [text for text, _ in candidate.context]
        claim["context"] = passages[0] if len(passages) == 1 else passages
    elif candidate.method:
        claim["method"] = candidate.method
    if candidate.of is not None:
        claim["of"] = keys.organisation(candidate.of)
    elif candidate.key == "parties":
        names = [m.name.text for m in candidate.values]
        concluded = str(candidate.details.get("concluded", ""))
        year = concluded[:4] if concluded[:1].isdigit() else ""
        label = f"Agreement between {_listed(names)}" + (f" ({year})" if year else "")
        kind = str(candidate.details.get("agreement-type", "agreement"))
        claim["of"] = keys.grouping("agreements", values, label, {"type": kind})
    else:
        names = [m.name.text for m in candidate.values]
        claim["of"] = keys.grouping("partnerships", values, f"Collaboration between {_listed(names)}", {})
    if candidate.key == "figure":
        claim["figure"] = candidate.details["figure"]
    elif candidate.key == "location":
        claim["location"] = str(candidate.values[0].name.key)
    else:
        claim[candidate.key] = values
    for detail in ("role", "concluded", "founded"):
        if detail in candidate.details:
            claim[detail] = candidate.details[detail]
    claim["confidence"] = candidate.confidence
    claim["found-by"] = candidate.found_by
    return claim


def _statement_key(claim: dict[str, Any]) -> str:
    return next(k for k in (*RELATION_KEYS, "location", "figure") if k in claim)


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

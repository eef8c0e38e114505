"""The curated registry of entities (data/registry.yaml) that statement files refer to by key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..iris import KEY_PATTERN
from .classes import AGREEMENT_CLASSES, ORGANISATION_CLASSES
from .sourcefile import LineDict, load_yaml

SECTIONS = {
    "organisations": "organisation",
    "places": "place",
    "partnerships": "partnership",
    "agreements": "agreement",
    "events": "event",
}
FIELDS = {"label", "lang", "label_nl", "type"}


@dataclass(frozen=True)
class Entity:
    """A thing the graph describes: an organisation, place, partnership, agreement or event."""

    kind: str
    key: str
    label: str
    lang: str
    label_nl: str | None
    type: str | None
    line: int

    def preferred_labels(self) -> dict[str, str]:
        labels = {self.lang: self.label}
        if self.label_nl:
            labels["nl"] = self.label_nl
        return labels


@dataclass(frozen=True)
class Registry:
    path: Path
    entities: dict[str, Entity]

    def of_kind(self, kind: str) -> list[Entity]:
        return [entity for entity in self.entities.values() if entity.kind == kind]


def load_registry(path: Path) -> Registry:
    """Read and check the registry: known sections, unique keys, known types."""
    content = load_yaml(path)
    if not isinstance(content, LineDict):
        raise InputError("expected sections organisations, places, partnerships, agreements", path, 1)
    entities: dict[str, Entity] = {}
    for section, body in content.items():
        if section not in SECTIONS:
            raise InputError(f"unknown section {section!r}; expected one of {', '.join(SECTIONS)}", path, content.line)
        kind = SECTIONS[section]
        for key, fields in (body or {}).items():
            line = getattr(fields, "line", getattr(body, "line", 0))
            entity = _entity(kind, key, fields, path, line)
            if key in entities:
                raise InputError(f"key {key!r} is already used (line {entities[key].line})", path, line)
            entities[key] = entity
    return Registry(path, entities)


def _entity(kind: str, key: object, fields: object, path: Path, line: int) -> Entity:
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise InputError(f"key {key!r} must be lowercase words joined by '-' (e.g. leiden-university)", path, line)
    if not isinstance(fields, dict) or "label" not in fields:
        raise InputError(f"{key}: needs at least a label", path, line)
    unknown = set(fields) - FIELDS
    if unknown:
        raise InputError(
            f"{key}: unknown field {sorted(unknown)[0]!r}; allowed: {', '.join(sorted(FIELDS))}", path, line
        )
    type_ = fields.get("type")
    types: dict[str, Mapping[str, object]] = {"organisation": ORGANISATION_CLASSES, "agreement": AGREEMENT_CLASSES}
    allowed = types.get(kind)
    if allowed is not None and type_ not in allowed:
        raise InputError(f"{key}: type {type_!r} is not one of {', '.join(sorted(allowed))}", path, line)
    if allowed is None and type_ is not None:
        raise InputError(f"{key}: a {kind} has no type", path, line)
    return Entity(kind, key, str(fields["label"]), str(fields.get("lang", "en")), fields.get("label_nl"), type_, line)

"""Read ROR records from a dump (JSON array or JSON Lines, gzipped or not), schema v2 and the retired v1."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError


@dataclass(frozen=True)
class RorName:
    value: str
    kinds: tuple[str, ...]  # label, ror_display, alias, acronym
    lang: str | None


@dataclass(frozen=True)
class RorRecord:
    """One organisation in ROR, in the v2 shape whichever schema it came in."""

    id: str  # the full IRI, https://ror.org/0xxxxxxNN
    names: tuple[RorName, ...]
    types: tuple[str, ...]
    status: str
    city: str | None
    geonames_id: int | None
    country_code: str | None
    wikidata: tuple[str, ...]
    relationships: tuple[tuple[str, str], ...] = field(default=())  # (type, target id)
    schema_version: str = "2"
    partial: bool = False  # a 2022 listing's record: names, types and city only; status and ids unknown

    @property
    def bare_id(self) -> str:
        return self.id.rsplit("/", 1)[-1]

    @property
    def display(self) -> str:
        for name in self.names:
            if "ror_display" in name.kinds:
                return name.value
        return self.names[0].value if self.names else self.id


def read_dump(path: Path) -> Iterator[RorRecord]:
    """Yield records one by one (bounded memory for JSON Lines); a malformed line is an error with its number."""
    for record, _ in read_raw(path):
        yield record


def read_raw(path: Path) -> Iterator[tuple[RorRecord, dict]]:  # type: ignore[type-arg]
    """Like read_dump, with each record's raw JSON beside it."""
    try:
        raw = path.open("rb")
    except OSError as error:
        raise InputError(f"cannot read the ROR dump: {error.strerror}", path) from None
    with raw:
        head = raw.read(2)
        raw.seek(0)
        stream = gzip.GzipFile(fileobj=raw) if head == b"\x1f\x8b" else raw
        text = io.TextIOWrapper(stream, encoding="utf-8")
        first = text.read(1)
        while first and first.isspace():
            first = text.read(1)
        if first == "[":  # a JSON array, as in ROR's own zip releases
            records = json.loads("[" + text.read())
            for number, record in enumerate(records, start=1):
                yield _record(record, path, number), record
            return
        line = first + text.readline()
        number = 1
        while line:
            if line.strip():
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as error:
                    raise InputError(f"not valid JSON: {error.msg}", path, number) from None
                yield _record(data, path, number), data
            line = text.readline()
            number += 1


def _record(data: dict[str, object], path: Path, line: int) -> RorRecord:
    if not isinstance(data, dict) or "id" not in data:
        raise InputError("not a ROR record (no id)", path, line)
    if "names" in data:
        return _v2(data)
    if "name" in data:
        return _v1(data)
    raise InputError(f"record {data['id']} has neither v2 'names' nor v1 'name'", path, line)


def _v2(data: dict) -> RorRecord:  # type: ignore[type-arg]
    location = (data.get("locations") or [{}])[0]
    details = location.get("geonames_details") or {}
    wikidata = tuple(
        v for ext in data.get("external_ids", []) if ext.get("type") == "wikidata" for v in ext.get("all", [])
    )
    return RorRecord(
        id=data["id"],
        names=tuple(RorName(n["value"], tuple(n.get("types", [])), n.get("lang")) for n in data["names"]),
        types=tuple(data.get("types", [])),
        status=data.get("status", "active"),
        city=details.get("name"),
        geonames_id=location.get("geonames_id"),
        country_code=details.get("country_code"),
        wikidata=wikidata,
        relationships=tuple((r["type"], r["id"]) for r in data.get("relationships", [])),
        schema_version=str((data.get("admin") or {}).get("last_modified", {}).get("schema_version", "2")),
    )


def _v1(data: dict) -> RorRecord:  # type: ignore[type-arg]
    names = [RorName(data["name"], ("label", "ror_display"), None)]
    names += [RorName(label["label"], ("label",), label.get("iso639")) for label in data.get("labels", [])]
    names += [RorName(alias, ("alias",), None) for alias in data.get("aliases", [])]
    names += [RorName(acronym, ("acronym",), None) for acronym in data.get("acronyms", [])]
    address = (data.get("addresses") or [{}])[0]
    geonames = address.get("geonames_city") or {}
    wikidata = (data.get("external_ids") or {}).get("Wikidata") or {}
    partial = bool(data.get("_partial"))
    return RorRecord(
        id=data["id"],
        names=tuple(names),
        types=tuple(t.lower() for t in data.get("types", [])),
        status=data.get("status", "" if partial else "active"),
        city=address.get("city") or geonames.get("city"),
        geonames_id=geonames.get("id"),
        country_code=(data.get("country") or {}).get("country_code"),
        wikidata=tuple(wikidata.get("all", [])),
        relationships=tuple((r["type"].lower(), r["id"]) for r in data.get("relationships", [])),
        schema_version="1",
        partial=partial,
    )

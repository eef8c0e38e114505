"""`partnergraph import-ror`: a ROR dump as RDF in its own named graph, streamed in batches (bounded memory).

Mapping: the record IRI (https://ror.org/…) is the organisation; names go to skos:prefLabel (ROR's display name) and
skos:altLabel / pg:acronym with their languages; types to dct:type; status to pg:recordStatus; the founding year to
schema:foundingDate; locations to GeoNames IRIs with name and country; relationships to org:subOrganizationOf /
org:hasSubOrganization (parent / child), dct:replaces / dct:isReplacedBy (predecessor / successor) and skos:related;
external ids to schema:sameAs (Wikidata, ISNI, Crossref Funder) and dct:identifier (GRID). A relationship target that is
not in the dump stays an IRI: it is never an error.
"""

from __future__ import annotations

import gzip
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from .ror import RorRecord, read_raw

GRAPH = ox.NamedNode("https://w3id.org/partnergraph/graph/ror")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SCHEMA = "http://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
PG = "https://w3id.org/partnergraph/ontology#"
XSD_GYEAR = ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")
RELATIONS = {
    "parent": ORG + "subOrganizationOf",
    "child": ORG + "hasSubOrganization",
    "predecessor": DCT + "replaces",
    "successor": DCT + "isReplacedBy",
    "related": SKOS + "related",
}
BATCH = 2000


@dataclass(frozen=True)
class ImportReport:
    records: int
    v1_records: int
    triples: int
    seconds: float

    def lines(self) -> list[str]:
        rate = self.triples / self.seconds if self.seconds else 0.0
        return [
            f"records: {self.records} ({self.v1_records} in the retired v1 schema, read and converted)",
            f"triples: {self.triples} in graph {GRAPH.value}",
            f"time: {self.seconds:.1f} s ({rate:,.0f} triples per second)",
        ]


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def quads(record: RorRecord, extra: dict[str, object]) -> Iterator[ox.Quad]:
    """The RDF of one record (extra: fields the normalised record does not keep, read from the raw JSON)."""
    subject = _iri(record.id)

    def add(predicate: str, obj: ox.NamedNode | ox.Literal) -> ox.Quad:
        return ox.Quad(subject, _iri(predicate), obj, GRAPH)

    yield ox.Quad(subject, RDF_TYPE, _iri(ORG + "Organization"), GRAPH)
    yield ox.Quad(subject, RDF_TYPE, _iri(SCHEMA + "Organization"), GRAPH)
    for name in record.names:
        literal = ox.Literal(name.value, language=name.lang) if name.lang else ox.Literal(name.value)
        if "acronym" in name.kinds:
            yield add(PG + "acronym", ox.Literal(name.value))
        elif "ror_display" in name.kinds:
            yield add(SKOS + "prefLabel", literal)
        else:
            yield add(SKOS + "altLabel", literal)
    for kind in record.types:
        yield add(DCT + "type", ox.Literal(kind))
    yield add(PG + "recordStatus", ox.Literal(record.status))
    if isinstance(extra.get("established"), int):
        yield add(SCHEMA + "foundingDate", ox.Literal(f"{extra['established']:04d}", datatype=XSD_GYEAR))
    if record.geonames_id:
        place = _iri(f"https://sws.geonames.org/{record.geonames_id}/")
        yield add(SCHEMA + "location", place)
        yield ox.Quad(place, RDF_TYPE, _iri(SCHEMA + "Place"), GRAPH)
        if record.city:
            yield ox.Quad(place, _iri(SCHEMA + "name"), ox.Literal(record.city), GRAPH)
        if record.country_code:
            yield ox.Quad(place, _iri(SCHEMA + "addressCountry"), ox.Literal(record.country_code), GRAPH)
    for kind, target in record.relationships:
        if kind in RELATIONS and target.startswith("https://ror.org/"):
            yield add(RELATIONS[kind], _iri(target))
    for qid in record.wikidata:
        yield add(SCHEMA + "sameAs", _iri(f"http://www.wikidata.org/entity/{qid}"))
        yield add(PG + "wikidataId", ox.Literal(qid))
    for kind, value in extra.get("ids", []):  # type: ignore[attr-defined]
        if kind == "isni":
            yield add(SCHEMA + "sameAs", _iri("https://isni.org/isni/" + value.replace(" ", "")))
        elif kind == "fundref":
            yield add(SCHEMA + "sameAs", _iri("https://doi.org/10.13039/" + value))
        elif kind == "grid":
            yield add(DCT + "identifier", ox.Literal(value))
    for website in extra.get("websites", []):  # type: ignore[attr-defined]
        yield add(SCHEMA + "url", _iri(website))


def import_ror(dump: Path, out: Path) -> ImportReport:
    """Convert the dump to gzipped N-Quads at `out`, written to a temporary file and renamed when complete."""
    started = time.perf_counter()
    temporary = out.with_name(out.name + ".tmp")
    records = v1 = triples = 0
    batch: list[ox.Quad] = []
    with gzip.open(temporary, "wb", compresslevel=6) as handle:
        for record, extra in _with_extra(dump):
            records += 1
            v1 += record.schema_version.startswith("1")
            batch.extend(quads(record, extra))
            if len(batch) >= BATCH:
                triples += len(batch)
                ox.serialize(batch, output=cast(IO[bytes], handle), format=ox.RdfFormat.N_QUADS)
                batch = []
        triples += len(batch)
        ox.serialize(batch, output=cast(IO[bytes], handle), format=ox.RdfFormat.N_QUADS)
    os.replace(temporary, out)
    return ImportReport(records, v1, triples, time.perf_counter() - started)


def _with_extra(dump: Path) -> Iterator[tuple[RorRecord, dict[str, object]]]:
    """Records with the few raw fields the import needs beyond the matcher's view (ids, websites, founding year)."""
    for record, raw in read_raw(dump):
        ids: list[tuple[str, str]] = []
        websites: list[str] = []
        if "names" in raw:
            ids = [(e["type"], v) for e in raw.get("external_ids", []) for v in e.get("all", [])[:1]]
            websites = [link["value"] for link in raw.get("links", []) if link.get("type") == "website"]
        else:
            for kind, entry in (raw.get("external_ids") or {}).items():
                value = entry.get("preferred") or (entry.get("all") or [None])[0]
                if isinstance(value, list):
                    value = value[0] if value else None
                if value:
                    ids.append((kind.lower(), str(value)))
            websites = list(raw.get("links") or [])
        yield record, {"established": raw.get("established"), "ids": ids, "websites": websites}

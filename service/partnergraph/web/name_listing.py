"""A release's names, kinds and class labels, read for the name index.

When the store holds a copy of the release in this process (the embedded store's in-memory release), they are
scanned from it: one index scan per predicate, no query, no worker, no answer to write and parse. At 5M triples the
one-answer listing (580k names, 990k kinds) outgrew a query worker's memory allowance and search answered 503.
Otherwise (a store elsewhere) they are asked of the store with three queries, whole (a cut listing would silently
lose names).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..editions import Edition
from ..store.base import QueryFailed, QueryRequest, Scanned, Store
from .name_index import GENERIC, HOW_ORDER, Entry, NameIndex
from .reading import local_name_words

SKOS, RDFS = "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/2000/01/rdf-schema#"
NAMED_BY = {  # in the order the NAMES query lists them
    SKOS + "prefLabel": "label",
    "https://w3id.org/partnergraph/ontology#acronym": "acronym",
    SKOS + "altLabel": "alias",
}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PREFIXES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX pg: <https://w3id.org/partnergraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
NAMES = """SELECT ?base ?thing ?name ?how WHERE {
  { ?thing skos:prefLabel ?name BIND ("label" AS ?how) } UNION { ?thing pg:acronym ?name BIND ("acronym" AS ?how) }
  UNION { ?thing skos:altLabel ?name BIND ("alias" AS ?how) }
  FILTER (STRSTARTS(STR(?thing), ?base)) }"""
KINDS = """SELECT ?base ?thing ?kind WHERE { ?thing a ?kind FILTER (STRSTARTS(STR(?thing), ?base)) }"""
CLASSES = """SELECT ?class ?super ?label WHERE {
  { ?class rdfs:subClassOf ?super FILTER (isIRI(?super)) }
  UNION { ?class rdfs:label ?label FILTER (LANGMATCHES(LANG(?label), "en") || LANG(?label) = "") } }"""
MAX_ROWS = 20_000_000  # the listing is never cut: past this, search answers 503 and the log says why
MAX_BYTES = 4_000_000_000


@dataclass
class Listing:
    names: Iterable[tuple[str, str, str, str]]  # thing, name, its language ("" if none), how: label|acronym|alias
    supers: Iterable[tuple[str, str]]  # class, an IRI it is a subclass of
    class_labels: Iterable[tuple[str, str]]  # class, an English or untagged label
    kinds: Iterable[tuple[str, str]]  # thing, a class it is an instance of


def build_index(edition: Edition, base: str, timeout: float) -> NameIndex:
    """The index of every name, acronym and alias of the resources under `base`, with their most specific kinds."""
    listing = _scanned(edition.store, base) or _queried(edition.store, base, timeout)
    entries: dict[str, Entry] = {}
    for thing, name, language, how in listing.names:
        entry = entries.setdefault(thing, Entry(thing))
        entry.names.append((name, how))
        if how == "label":
            entry.labels.setdefault(language, name)
    supers: dict[str, set[str]] = {}
    for kind, general in listing.supers:
        supers.setdefault(kind, set()).add(general)
    labels: dict[str, str] = {}
    for kind, label in listing.class_labels:
        labels.setdefault(kind, label)
    kinds: dict[str, set[str]] = {}
    for thing, kind in listing.kinds:
        if thing in entries:
            kinds.setdefault(thing, set()).add(kind)
    for iri, types in kinds.items():  # the most specific: no other of its types is a subclass of it
        specific = types - {general for kind in types for general in _ancestors(kind, supers)}
        specific = (specific - GENERIC) or specific
        entries[iri].kinds = tuple(
            sorted({_capitalised(labels.get(kind) or local_name_words(kind)) for kind in specific})
        )
    for entry in entries.values():
        entry.names.sort(key=lambda pair: (HOW_ORDER[pair[1]], pair[0]))
    return NameIndex(sorted(entries.values(), key=lambda e: e.iri))


def _scanned(store: Store, base: str) -> Listing | None:
    """The listing from the copy of the release in this process, or None when the store keeps none here."""
    if store.scan(RDF_TYPE) is None:
        return None

    def each(predicate: str) -> Iterator[Scanned]:
        return store.scan(predicate) or iter(())

    names = (
        (t.subject, t.object, t.language, how)
        for predicate, how in NAMED_BY.items()
        for t in each(predicate)
        if t.subject.startswith(base)
    )
    supers = ((t.subject, t.object) for t in each(RDFS + "subClassOf") if t.object_is_iri)
    english = (
        (t.subject, t.object)
        for t in each(RDFS + "label")
        if not t.object_is_iri and (t.language == "" or t.language.lower().split("-")[0] == "en")
    )
    kinds = ((t.subject, t.object) for t in each(RDF_TYPE) if t.subject.startswith(base))
    return Listing(names, supers, english, kinds)


def _queried(store: Store, base: str, timeout: float) -> Listing:
    """The listing asked of the store, with three queries."""

    def rows(query: str, **bound: str) -> list[dict[str, dict[str, str]]]:
        bindings = tuple((name, "literal", value) for name, value in bound.items())
        job = QueryRequest(PREFIXES + query, "json", max_rows=MAX_ROWS, max_bytes=MAX_BYTES, bindings=bindings)
        answer = store.run(job, timeout)
        if answer.truncated:
            raise QueryFailed(f"the name listing was cut at {answer.rows} rows", 503)
        return json.loads(answer.body)["results"]["bindings"]  # type: ignore[no-any-return]

    names = rows(NAMES, base=base)
    classes = rows(CLASSES)
    return Listing(
        ((r["thing"]["value"], r["name"]["value"], r["name"].get("xml:lang", ""), r["how"]["value"]) for r in names),
        ((r["class"]["value"], r["super"]["value"]) for r in classes if "super" in r),
        ((r["class"]["value"], r["label"]["value"]) for r in classes if "super" not in r),
        ((r["thing"]["value"], r["kind"]["value"]) for r in rows(KINDS, base=base)),
    )


def _ancestors(kind: str, supers: dict[str, set[str]]) -> set[str]:
    """Every superclass, walked here: Virtuoso refuses `rdfs:subClassOf+` with neither end bound."""
    found: set[str] = set()
    todo = list(supers.get(kind, ()))
    while todo:
        general = todo.pop()
        if general not in found:
            found.add(general)
            todo.extend(supers.get(general, ()))
    return found


def _capitalised(label: str) -> str:
    return label[:1].upper() + label[1:]

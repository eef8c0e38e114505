"""The one place where IRIs are minted: deterministic, slash IRIs under the configured base."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

from rdflib import URIRef

from .vocab import CONCEPT

KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:--?[a-z0-9]+)*$")
ENTITY_PATHS = {
    "organisation": "org",
    "place": "place",
    "partnership": "partnership",
    "agreement": "agreement",
    "event": "event",
}


class IriMinter:
    """Mint resource IRIs under one base, e.g. https://w3id.org/partnergraph/id/org/lumc."""

    def __init__(self, base_iri: str) -> None:
        self.base = base_iri

    def _id(self, *segments: str) -> URIRef:
        return URIRef(self.base + "id/" + "/".join(quote(segment, safe="-_.") for segment in segments))

    def entity(self, kind: str, key: str) -> URIRef:
        return self._id(ENTITY_PATHS[kind], key)

    def document(self, document_id: str) -> URIRef:
        return self._id("document", document_id)

    def membership(self, organisation: str, member: str, role: str) -> URIRef:
        return self._id("membership", organisation, member, role)

    def claim(self, document_id: str, *parts: str) -> URIRef:
        """A claim IRI derived from its document and content, so a rebuild mints the same IRI."""
        digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
        return self._id("claim", document_id, digest)

    def evidence(self, document_id: str, start: int, end: int) -> URIRef:
        return self._id("evidence", document_id, f"{start}-{end}")

    def selector(self, document_id: str, start: int, end: int, kind: str) -> URIRef:
        return self._id("evidence", document_id, f"{start}-{end}", kind)

    def link(self, organisation: str, target: str, identifier: str) -> URIRef:
        return self._id("link", organisation, target, identifier)

    def build_activity(self, fingerprint: str) -> URIRef:
        return self._id("build", fingerprint[:16])

    def graph(self, part: str) -> URIRef:
        return URIRef(self.base + "graph/" + part)

    def dataset(self) -> URIRef:
        return URIRef(self.base + "dataset")

    def download(self, filename: str) -> URIRef:
        return URIRef(self.base + "download/" + quote(filename))

    def site(self, path: str = "") -> URIRef:
        return URIRef(self.base + path)


def concept(scheme: str, key: str) -> URIRef:
    """A concept of one of our SKOS schemes (vocabulary, so not under the configurable base)."""
    return CONCEPT[f"{scheme}/{key}"]


IRIREF_EXCLUDED = frozenset('<>"{}|^`\\')
RESERVED_NAMESPACE = "urn:partnergraph:"  # names a remote store keeps releases under; never accepted in a query
RELEASE_RECORD = RESERVED_NAMESPACE + "releases"  # the graph (and node) that says which release is served
ABSENT_GRAPH = RESERVED_NAMESPACE + "absent"  # no release has it: FROM <x> outside the release reads nothing


def stored_graph(release: str, index: int) -> str:
    """The name a remote store keeps a release's `index`-th graph under: new per release, so a release loads beside
    the one being served."""
    if not release or not all(char.isalnum() or char in "-_." for char in release):
        raise ValueError(f"not a release name: {release!r}")
    return f"{RESERVED_NAMESPACE}release:{release}:graph:{index}"


def release_node(release: str) -> str:
    return f"{RESERVED_NAMESPACE}release:{release}"


def iri_ref(iri: str) -> str:
    """The IRI as a SPARQL IRIREF, for our own query texts where a bound variable would cost a scan: refuses every
    character the IRIREF terminal excludes (and controls and spaces), so no text can end the IRI early."""
    if not iri or any(char in IRIREF_EXCLUDED or ord(char) <= 0x20 for char in iri):
        raise ValueError(f"not an IRI that can be written in a query: {iri!r}")
    return f"<{iri}>"


def literal(value: str) -> str:
    """A SPARQL string literal (STRING_LITERAL2): only `"`, `\\`, LF and CR need escapes, and get them."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'

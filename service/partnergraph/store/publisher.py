"""`partnergraph publish`: load a release into a remote SPARQL store beside the one it serves, then switch to it.

Graph by graph under names of its own (iris.stored_graph), counted back, and only then named current in the release
record, in one update: instances move at their next look, and a request already answered from the old release goes
on reading it. A failure before the switch leaves the served release as it was and says which graph failed and what
the store answered. Releases retired more than `grace` seconds ago, and loads abandoned as long ago, are dropped.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..iris import iri_ref, stored_graph
from . import fidelity
from . import release_documents as documents
from . import release_record as record
from .base import QueryFailed, QueryTimeout
from .prepare import read_rdf
from .publish_lock import PublishLock
from .remote import StoreClient, check_store_url
from .remote_query import DEFAULT_GRAPH
from .store_writer import PublishFailed, StoreTarget, StoreWriter

READ_TIMEOUT = 60.0


@dataclass
class Published:
    release: str
    graphs: dict[str, int] = field(default_factory=dict)  # published graph IRI -> triples
    dropped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the store could not keep as written
    again: bool = False  # a release the store still held: served again without loading
    switched: bool = True
    seconds: float = 0.0

    def lines(self) -> list[str]:
        if not self.switched:
            return [f"release {self.release} is already the one served; nothing loaded"]
        if self.again:
            lines = [f"now serving release {self.release} again (the store still held it; nothing loaded)"]
        else:
            lines = [f"  {iri or '(default graph)'}: {count} triples" for iri, count in self.graphs.items()]
            total = sum(self.graphs.values())
            lines.append(f"now serving release {self.release} ({total} triples, {self.seconds:.1f} s)")
        lines += [f"note: {note}" for note in self.notes]
        return lines + [f"dropped release {name}" for name in self.dropped]


def release_name(release_dir: Path, extra_files: list[Path]) -> str:
    """The release directory's name; with extra files, their content makes it another release."""
    if not extra_files:
        return release_dir.name
    digest = hashlib.sha256()
    for path in extra_files:
        digest.update(path.read_bytes())
    return f"{release_dir.name}-{digest.hexdigest()[:8]}"


def publish(release_dir: Path, extra_files: list[Path], target: StoreTarget, grace: float) -> Published:
    started = time.monotonic()
    for url, name in ((target.update_url, "update_url"), (target.graph_store_url, "graph_store_url")):
        if url:
            check_store_url(url, name)
    client = StoreClient(target.query_url, None if target.digest else target.credentials, 2)
    writer = StoreWriter(target)
    lock = PublishLock(writer, client, READ_TIMEOUT)
    try:
        _held(client)  # the query endpoint answers with a record publish can read, before anything is written
        lock.acquire()
        name = release_name(release_dir, extra_files)
        held = _held(client)
        if name in held and held[name].state == "complete":
            return Published(name, switched=False)
        result = Published(name)
        if name in held and held[name].state == "retired":  # still held (a rollback): switch without loading
            result.again = True
            triples = held[name].graphs.triples
        else:
            dataset = _read([release_dir / "dataset.nq", *extra_files])
            triples = _load(writer, client, name, dataset, result, held.get(name))
            _store_documents(writer, client, name, release_dir)
        writer.update(record.switch_update(name, triples), "naming the new release current")
        result.dropped = _drop_old(writer, _held(client), name, grace)
        result.seconds = time.monotonic() - started
        return result
    finally:
        lock.release()
        client.close()


def _store_documents(writer: StoreWriter, client: StoreClient, name: str, release_dir: Path) -> None:
    """The release's VoID, validation report, ontology and shapes as text beside its graphs, read back whole."""
    writer.update(documents.drop_update(name), "clearing the release's documents")
    for part, update in documents.store_updates(name, release_dir).items():
        writer.update(update, f"storing {part}.ttl")
        kept = documents.read_document(client, name, part, READ_TIMEOUT)
        expected = (release_dir / f"{part}.ttl").read_text(encoding="utf-8")
        if kept is None or documents.digest(kept) != documents.digest(expected):
            raise PublishFailed(f"{part}.ttl: the store does not give back the text it was sent")


def _held(client: StoreClient) -> dict[str, record.HeldRelease]:
    try:
        return record.held_releases(client, READ_TIMEOUT)
    except (record.RecordUnreadable, QueryFailed, QueryTimeout) as error:
        raise PublishFailed(f"cannot read the release record at the store's query endpoint: {error}") from None


def _read(paths: list[Path]) -> ox.Store:
    """Every file in one in-memory store: duplicates merge, so each graph's count is what the remote store must hold."""
    from ..errors import InputError

    store = ox.Store()
    for path in paths:
        data, rdf_format, base = read_rdf(path)
        try:
            store.bulk_load(data, format=rdf_format, base_iri=base)
        except SyntaxError as error:
            raise InputError(f"not valid RDF: {error.msg}", path, error.lineno) from None
    return store


def _load(
    writer: StoreWriter,
    client: StoreClient,
    name: str,
    dataset: ox.Store,
    result: Published,
    abandoned: record.HeldRelease | None,
) -> int:
    graphs: list[str] = sorted(g.value for g in dataset.named_graphs())
    if any(True for _ in dataset.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        graphs.insert(0, DEFAULT_GRAPH)
    stored = {iri: stored_graph(name, index) for index, iri in enumerate(graphs)}
    if abandoned is not None:  # an earlier load of this release broke off: start again
        for graph in abandoned.graphs.stored.values():
            writer.update(f"DROP SILENT GRAPH {iri_ref(graph)}", "dropping an earlier, unfinished load")
        writer.update(record.forget_update(name), "forgetting an earlier, unfinished load")
    writer.update(record.loading_update(name, stored), "recording the load")
    protect = _probe(writer, client, dataset)
    if protect:
        result.notes.append(f"the store changes {', '.join(sorted(protect))} values: they are kept as text")
    for iri, graph in stored.items():
        source = ox.DefaultGraph() if iri == DEFAULT_GRAPH else ox.NamedNode(iri)
        label = iri or "default graph"
        result.graphs[iri] = _load_graph(writer, client, graph, dataset, source, label, result, protect)
    return sum(result.graphs.values())


def _probe(writer: StoreWriter, client: StoreClient, dataset: ox.Store) -> set[str]:
    """The datatypes the store refuses, or changes the values of: a sample of each, written and read back."""
    graph = ox.NamedNode(fidelity.PROBE_GRAPH)
    protect = set()
    for datatype, literals in fidelity.samples(dataset).items():
        quads = [ox.Quad(graph, ox.NamedNode(f"{graph.value}#{n}"), value, graph) for n, value in enumerate(literals)]
        body = " ".join(f"{quad.subject} {quad.predicate} {quad.object} ." for quad in quads)
        writer.update(f"DROP SILENT GRAPH {iri_ref(graph.value)}", "probing")
        taken = writer.accepts(f"INSERT DATA {{ GRAPH {iri_ref(graph.value)} {{ {body} }} }}")
        if not taken or fidelity.changed_values(quads, _read_back(client, graph.value)):
            protect.add(datatype)
    writer.update(f"DROP SILENT GRAPH {iri_ref(graph.value)}", "probing")
    return protect


def _load_graph(
    writer: StoreWriter,
    client: StoreClient,
    graph: str,
    dataset: ox.Store,
    source: Any,
    label: str,
    result: Published,
    protect: set[str],
) -> int:
    """Load, count the triples back, and count the typed literals back by datatype (a read-back of every literal
    would not scale: Virtuoso refuses a 5M-triple answer); the probe has already checked values."""
    quads = (fidelity.stand_in(quad, protect) for quad in dataset.quads_for_pattern(None, None, None, source))
    written = fidelity.Tally()
    count = writer.load_graph(graph, written.counting(quads), label)
    held = _count(client, graph)
    if held != count:
        raise PublishFailed(f"graph {label} holds {held} triples in the store after loading, not {count}")
    kept = {row["datatype"]: int(row["n"]) for row in record.select(client, fidelity.tally_query(graph), 600)}
    changed, respelled = written.against(kept)
    if changed:
        raise PublishFailed(f"graph {label}: the store changed the datatype of literals: {'; '.join(changed)}")
    if respelled:
        result.notes.append(f"{label}: the store respells numbers under other datatypes ({'; '.join(respelled)})")
    return count


def _read_back(client: StoreClient, graph: str) -> list[ox.Triple]:
    response, deadline = client.post(fidelity.read_back_query(graph), "application/n-triples", 600)
    body = client.finish(response, deadline)
    if response.status != 200:
        raise PublishFailed(f"reading graph <{graph}> back: the store answered HTTP {response.status}")
    return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))


def _count(client: StoreClient, graph: str) -> int:
    rows = record.select(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {iri_ref(graph)} {{ ?s ?p ?o }} }}", 600)
    return int(rows[0]["n"]) if rows else 0


def _drop_old(writer: StoreWriter, held: dict[str, record.HeldRelease], serving: str, grace: float) -> list[str]:
    """Releases no instance can still be serving: retired (or abandoned while loading) over `grace` seconds ago."""
    dropped = []
    for name, release in sorted(held.items()):
        stale = release.state in ("retired", "loading")
        if name == serving or not stale or time.time() - release.changed < grace:
            continue
        # forgotten first: a drop cut short leaves graphs no one uses, never a record of a release that is gone
        writer.update(record.forget_update(name), f"forgetting release {name}")
        for graph in release.graphs.stored.values():
            writer.update(f"DROP SILENT GRAPH {iri_ref(graph)}", f"dropping release {name}")
        writer.update(documents.drop_update(name), f"dropping release {name}")
        dropped.append(name)
    return dropped

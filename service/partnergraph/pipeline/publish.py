"""Write a validated build atomically: a complete release directory, then one symlink swap to `current`."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from ..formats import RDF_FORMATS, RdfFormat
from ..iris import IriMinter
from ..leases import Lease, remove_unless_leased

KEEP_RELEASES = 3
TRIPLE_FORMATS = [f for f in RDF_FORMATS if not f.quads or f.token == "jsonld"]
QUAD_FORMATS = [f for f in RDF_FORMATS if f.quads]


@dataclass(frozen=True)
class DumpFile:
    """One file of a release, as the DCAT description lists it."""

    name: str
    part: str
    format: RdfFormat
    gzipped: bool
    size: int
    sha256: str


def serialise(graph: Graph | Dataset, rdf_format: RdfFormat) -> bytes:
    """Serialise deterministically: line-based formats are sorted, the others rely on rdflib's sorted writers."""
    data = graph.serialize(format=rdf_format.rdflib_name, encoding="utf-8")
    if rdf_format.token in ("nt", "nq"):
        lines = sorted(set(data.decode("utf-8").splitlines()))
        data = ("\n".join(line for line in lines if line) + "\n").encode("utf-8")
    return data


def dataset_of(parts: dict[str, Graph], iris: IriMinter) -> Dataset:
    """All parts as one dataset, each in its own named graph."""
    dataset = Dataset()
    for name, graph in parts.items():
        target = dataset.graph(iris.graph(name))
        for prefix, namespace in graph.namespaces():
            dataset.bind(prefix, namespace, override=False)
        for triple in graph:
            target.add(triple)
    return dataset


def write_dumps(directory: Path, parts: dict[str, Graph], iris: IriMinter) -> list[DumpFile]:
    """Write the whole dataset (quads and merged triples) and each part, each also gzipped."""
    files: list[DumpFile] = []
    merged = Graph()
    for graph in parts.values():
        merged += graph
    dataset = dataset_of(parts, iris)
    jobs: list[tuple[str, str, Graph | Dataset, RdfFormat]] = [
        (f"dataset.{f.extension}", "dataset", dataset, f) for f in QUAD_FORMATS
    ]
    jobs += [(f"dataset.{f.extension}", "dataset", merged, f) for f in RDF_FORMATS if not f.quads]
    jobs += [(f"{name}.{f.extension}", name, graph, f) for name, graph in parts.items() for f in TRIPLE_FORMATS]
    for name, graph in parts.items():  # each part also as quads, in its own named graph
        single = dataset_of({name: graph}, iris)
        jobs += [(f"{name}.{f.extension}", name, single, f) for f in QUAD_FORMATS if f.token != "jsonld"]
    for name, part, graph, rdf_format in jobs:
        data = serialise(graph, rdf_format)
        files.append(_write(directory / name, data, part, rdf_format, gzipped=False))
        files.append(_write(directory / f"{name}.gz", gzip.compress(data, mtime=0), part, rdf_format, gzipped=True))
    return files


def _write(path: Path, data: bytes, part: str, rdf_format: RdfFormat, gzipped: bool) -> DumpFile:
    path.write_bytes(data)
    return DumpFile(path.name, part, rdf_format, gzipped, len(data), hashlib.sha256(data).hexdigest())


def new_release_dir(out: Path) -> tuple[Path, Lease]:
    """A fresh, hidden staging directory inside `out/releases`, leased while the build writes it.

    Staging directories that no build holds any more (a build killed midway) are removed first."""
    releases = out / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    for stale in releases.glob(".staging-*"):
        remove_unless_leased(stale)
    staging = releases / f".staging-{uuid.uuid4().hex}"
    staging.mkdir()
    return staging, Lease(staging)


def promote(staging: Path, out: Path, fingerprint: str) -> Path:
    """Rename the staged release into place and swap `out/current` to it in one atomic rename."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    release = staging.parent / f"{stamp}-{fingerprint[:12]}"
    for path in staging.iterdir():
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
    staging.rename(release)
    link = out / f".current-{uuid.uuid4().hex}"
    link.symlink_to(Path("releases") / release.name)
    os.replace(link, out / "current")
    prune(out / "releases", keep=release.name)
    return release


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def prune(releases: Path, keep: str) -> None:
    """Keep the newest releases, and any older one a running service still holds a lease on."""
    finished = sorted(p for p in releases.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in finished[:-KEEP_RELEASES]:
        if old.name != keep:
            remove_unless_leased(old)

"""Publishing: every dump parses to the same graph, VoID/DCAT checksums are true, and a failed build changes nothing."""

from __future__ import annotations

import gzip
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import to_isomorphic

from partnergraph.config import Settings
from partnergraph.errors import ValidationFailed
from partnergraph.leases import Lease
from partnergraph.pipeline.release import Release, release
from partnergraph.vocab import DCAT, DCTERMS, SPDX, VOID

from .conftest import edit


def test_current_points_at_a_complete_release(published: Release) -> None:
    current = published.directory.parent.parent / "current"
    assert current.is_symlink() and current.resolve() == published.directory.resolve()
    names = {path.name for path in published.directory.iterdir()}
    for stem in ("dataset", "data", "provenance", "ontology", "shapes", "links"):
        for extension in ("ttl", "nt", "rdf", "jsonld", "nq", "trig"):
            assert {f"{stem}.{extension}", f"{stem}.{extension}.gz"} <= names
    assert {
        "dataset.nq",
        "dataset.nq.gz",
        "dataset.trig",
        "dataset.trig.gz",
        "void.ttl",
        "validation-report.ttl",
    } <= names


@pytest.mark.parametrize("extension", ["ttl", "nt", "rdf", "jsonld"])
def test_each_format_of_a_part_holds_the_same_graph(published: Release, extension: str) -> None:
    formats = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}
    reference = Graph().parse(published.directory / "data.nt", format="nt")
    graph = Graph().parse(published.directory / f"data.{extension}", format=formats[extension])
    zipped = Graph().parse(
        data=gzip.decompress((published.directory / f"data.{extension}.gz").read_bytes()), format=formats[extension]
    )
    assert to_isomorphic(graph) == to_isomorphic(reference) == to_isomorphic(zipped)


def test_nquads_keeps_each_part_in_its_named_graph(published: Release) -> None:
    dataset = Dataset()
    dataset.parse(published.directory / "dataset.nq", format="nquads")
    base = "https://w3id.org/partnergraph/graph/"
    sizes = {
        str(g.identifier).removeprefix(base): len(g) for g in dataset.graphs() if str(g.identifier).startswith(base)
    }
    assert set(sizes) == {"data", "provenance", "ontology", "shapes", "links"} and min(sizes.values()) > 200


def test_void_and_dcat_describe_every_file_truthfully(published: Release) -> None:
    void = Graph().parse(published.directory / "void.ttl")
    dataset = URIRef("https://w3id.org/partnergraph/dataset")
    distributions = list(void.objects(dataset, DCAT.distribution))
    files = [
        p for p in published.directory.iterdir() if p.name not in ("void.ttl", "validation-report.ttl", "build-key")
    ]
    assert len(distributions) == len(files)
    for distribution in distributions:
        name = str(void.value(distribution, DCAT.downloadURL)).rsplit("/", 1)[-1]
        data = (published.directory / name).read_bytes()
        assert int(void.value(distribution, DCAT.byteSize)) == len(data)
        checksum = void.value(distribution, SPDX.checksum)
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        assert void.value(distribution, DCAT.mediaType) is not None
    data_subset = URIRef("https://w3id.org/partnergraph/graph/data")
    data_triples = len(Graph().parse(published.directory / "data.nt", format="nt"))
    assert int(void.value(data_subset, VOID.triples)) == data_triples
    assert len(list(void.objects(dataset, DCTERMS.source))) == 5
    assert (dataset, DCTERMS.conformsTo, None) in void and (dataset, DCTERMS.license, None) in void


def test_a_build_that_fails_validation_publishes_nothing(mini_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = release(Settings(root=mini_copy), out)
    before = {p.name: p.read_bytes() for p in first.directory.iterdir()}
    # Shapes that no collaboration can satisfy: the inputs parse, but validation fails.
    edit(mini_copy / "shapes/core.ttl", "sh:class org:FormalOrganization ] ;", "sh:class org:Organization ] ;")
    with pytest.raises(ValidationFailed) as failure:
        release(Settings(root=mini_copy), out)
    assert any("gamma-alliance" in str(r.focus) for r in failure.value.report.violations)  # type: ignore[attr-defined]
    assert (out / "current").resolve() == first.directory.resolve()
    assert {p.name: p.read_bytes() for p in first.directory.iterdir()} == before
    assert [p.name for p in (out / "releases").iterdir()] == [first.directory.name]


def test_release_directories_are_named_by_input_fingerprint_and_pruned(mini_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    releases = [release(Settings(root=mini_copy), out).directory for _ in range(4)]
    kept = sorted(p.name for p in (out / "releases").iterdir())
    assert kept == sorted(r.name for r in releases[-3:])
    assert len({name.rsplit("-", 1)[1] for name in kept}) == 1  # same inputs, same fingerprint
    assert os.readlink(out / "current") == f"releases/{releases[-1].name}"


def test_a_build_killed_midway_leaves_nothing_behind_for_good(mini_copy: Path, tmp_path: Path) -> None:
    """A staging directory no build holds is removed by the next build; one a running build holds is kept."""
    out = tmp_path / "out"
    (out / "releases" / ".staging-killed" / "half").mkdir(parents=True)
    (out / "releases" / ".staging-killed" / "half" / "dataset.nq").write_text("<a:b> <a:c> ", encoding="utf-8")
    running = out / "releases" / ".staging-running"
    running.mkdir()
    held = Lease(running)
    try:
        release(Settings(root=mini_copy), out)
        assert not (out / "releases" / ".staging-killed").exists()
        assert running.exists()
    finally:
        held.end()


def test_a_build_that_cannot_write_says_what_and_where_and_keeps_current(mini_copy: Path, tmp_path: Path) -> None:
    """A file-size limit stands in for a full disk: the write fails midway through the dumps."""
    out = tmp_path / "out"
    first = release(Settings(root=mini_copy), out)
    limited = subprocess.run(
        ["bash", "-c", f'ulimit -f 40 && exec "$0" -m partnergraph.cli build --force --out {out}', sys.executable],
        env={**os.environ, "PARTNERGRAPH_ROOT": str(mini_copy)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert limited.returncode == 2, limited.stderr
    assert "Traceback" not in limited.stderr
    message = limited.stderr.strip().splitlines()[-1]
    assert message.startswith("error: ") and "cannot write the release: File too large" in message
    assert ".staging-" in message  # where: the file it was writing
    assert (out / "current").resolve() == first.directory.resolve()
    assert [p.name for p in (out / "releases").iterdir()] == [first.directory.name]

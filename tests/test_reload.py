"""A rebuild while clients query and download: every answer comes whole from one release, and the service moves on.

The service watches the `current` link; this test rebuilds into it with a changed label while three clients keep
asking, then checks each answer against the files and data of the release its Partnergraph-Release header names.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from partnergraph.leases import Lease, remove_unless_leased
from partnergraph.pipeline.publish import KEEP_RELEASES, prune
from partnergraph.pipeline.release import Release

from .conftest import PROJECT, edit
from .server import Reply, Server, query_workers

OLD_LABEL, NEW_LABEL = "VU University Medical Center", "Amsterdam UMC, location VUmc"
LABEL_QUERY = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?label WHERE { <https://w3id.org/partnergraph/id/org/vumc> skos:prefLabel ?label
  FILTER (LANG(?label) = "en") }"""


@dataclass
class Seen:
    """One answer, kept as what the checks need (a digest, the labels it shows), never as its body."""

    kind: str
    status: int
    release: str
    digest: str
    labels: tuple[str, ...]


def seen_of(kind: str, reply: Reply) -> Seen:
    release = reply.headers.get("partnergraph-release", "")
    digest = hashlib.sha256(reply.body).hexdigest() if kind == "download" else ""
    if kind == "query" and reply.status == 200:
        labels = tuple(row["label"]["value"] for row in json.loads(reply.body)["results"]["bindings"])
    else:
        labels = tuple(label for label in (OLD_LABEL, NEW_LABEL) if label.encode() in reply.body)
    return Seen(kind, reply.status, release, digest, labels)


@pytest.fixture
def out(published: Release, tmp_path: Path) -> Path:
    """A build directory whose `current` link names a copy of the session's release."""
    out = tmp_path / "out"
    (out / "releases").mkdir(parents=True)
    shutil.copytree(published.directory, out / "releases" / published.directory.name)
    (out / "current").symlink_to(Path("releases") / published.directory.name)
    return out


@pytest.fixture
def watching(out: Path, tmp_path: Path) -> Iterator[Server]:
    env = {"PARTNERGRAPH_STORE_CACHE": str(tmp_path / "stores"), "PARTNERGRAPH_RELOAD_INTERVAL": "0.3"}
    running = Server(["--release", str(out / "current")], env, PROJECT)
    try:
        yield running
    finally:
        running.stop()


def client(server: Server, kind: str, path: str, seen: list[Seen], stop: threading.Event) -> Callable[[], None]:
    def loop() -> None:
        while not stop.is_set():
            reply = server.get(path, Accept="application/sparql-results+json")
            seen.append(seen_of(kind, reply))

    return loop


def test_a_rebuild_while_clients_query_and_download_mixes_nothing(
    watching: Server, out: Path, project_copy: Path
) -> None:
    old = (out / "current").resolve().name
    assert json.loads(watching.get("/health").body)["release"] == old
    edit(project_copy / "data/registry.yaml", f"label: {OLD_LABEL},", f"label: '{NEW_LABEL}',")
    seen: list[Seen] = []
    stop = threading.Event()
    paths = {
        "query": "/sparql?" + urlencode({"query": LABEL_QUERY}),
        "download": "/download/dataset.nq",
        "page": "/page/org/vumc",
    }
    clients = [threading.Thread(target=client(watching, kind, path, seen, stop)) for kind, path in paths.items()]
    for thread in clients:
        thread.start()
    built = subprocess.run(
        [sys.executable, "-m", "partnergraph.cli", "build", "--out", str(out)],
        env={**os.environ, "PARTNERGRAPH_ROOT": str(project_copy)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    new = (out / "current").resolve().name
    assert serving(watching, new)
    time.sleep(1.0)
    stop.set()
    for thread in clients:
        thread.join(timeout=30)

    assert [s for s in seen if s.status != 200] == []
    assert {s.release for s in seen} == {old, new}
    assert {(s.kind, s.release) for s in seen} == {(kind, name) for kind in paths for name in (old, new)}
    label = {old: OLD_LABEL, new: NEW_LABEL}
    digest = {name: hashlib.sha256((out / "releases" / name / "dataset.nq").read_bytes()).hexdigest() for name in label}
    for answer in seen:
        if answer.kind == "download":
            assert answer.digest == digest[answer.release]
        else:
            assert answer.labels == (label[answer.release],)


def test_the_old_release_is_let_go_once_its_last_answer_is_sent(
    watching: Server, out: Path, published: Release
) -> None:
    old = out / "releases" / published.directory.name
    workers = set(query_workers(watching))
    assert not remove_unless_leased(old)  # the service holds it
    fresh = out / "releases" / "99999999T000000000000Z-copy"
    shutil.copytree(old, fresh)
    swap_current(out, fresh)
    assert serving(watching, fresh.name)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and set(query_workers(watching)) & workers:
        time.sleep(0.1)
    assert len(query_workers(watching)) == 3 and not set(query_workers(watching)) & workers
    assert remove_unless_leased(old) and not old.exists()
    assert not remove_unless_leased(fresh) and fresh.is_dir()


def swap_current(out: Path, release: Path) -> None:
    (out / ".next").symlink_to(Path("releases") / release.name)
    os.replace(out / ".next", out / "current")


def serving(server: Server, name: str, within: float = 30) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if json.loads(server.get("/health").body)["release"] == name:
            return True
        time.sleep(0.1)
    return False


def test_a_release_that_cannot_be_loaded_leaves_the_served_one_in_place(
    watching: Server, out: Path, published: Release
) -> None:
    old = out / "releases" / published.directory.name
    broken = out / "releases" / "99999998T000000000000Z-broken"
    shutil.copytree(old, broken)
    (broken / "dataset.nq").write_text("<https://example.org/s> <https://example.org/p> .\n")
    swap_current(out, broken)
    assert not serving(watching, broken.name, within=3)
    reply = watching.get("/sparql?" + urlencode({"query": LABEL_QUERY}), Accept="application/sparql-results+json")
    assert reply.status == 200 and reply.headers["partnergraph-release"] == old.name
    fixed = out / "releases" / "99999999T000000000000Z-fixed"
    shutil.copytree(old, fixed)
    swap_current(out, fixed)
    assert serving(watching, fixed.name)


def test_pruning_keeps_a_release_a_reader_still_holds(tmp_path: Path) -> None:
    names = [f"2026010{day}T000000000000Z-{day:012d}" for day in range(1, 7)]
    for name in names:
        (tmp_path / name).mkdir()
        (tmp_path / name / "dataset.nq").write_text("")
    lease = Lease(tmp_path / names[0])
    try:
        prune(tmp_path, keep=names[-1])
        assert sorted(p.name for p in tmp_path.iterdir()) == [names[0], *names[-KEEP_RELEASES:]]
    finally:
        lease.end()
    prune(tmp_path, keep=names[-1])
    assert sorted(p.name for p in tmp_path.iterdir()) == names[-KEEP_RELEASES:]


def test_a_lease_on_a_removed_release_is_refused(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    assert remove_unless_leased(gone)
    with pytest.raises(FileNotFoundError):
        Lease(gone)

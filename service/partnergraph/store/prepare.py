"""Where query workers answer from: the RDF files loaded into memory by the zygote, or, for sources too large for
memory, an on-disk pyoxigraph store prepared once (keyed by content) that every worker opens read-only."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..formats import format_for_path
from .zygote import StoreSource

if TYPE_CHECKING:
    import pyoxigraph as ox

INPUT_ERROR = 2  # the loader's exit status when it reports an InputError on stdout


def _key(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(path.name.encode())
    return digest.hexdigest()[:24]


def choose_source(paths: list[Path], cache: Path, memory_max_mb: int) -> StoreSource:
    """Memory for sources up to `memory_max_mb` (uncompressed; the zygote loads them), an on-disk store for larger
    ones (prepared here)."""
    for path in paths:
        if not path.is_file():
            raise InputError("no such file", path)
    if sum(map(_plain_size, paths)) <= memory_max_mb * 2**20:
        return StoreSource(files=tuple(path.resolve() for path in paths))
    return StoreSource(directory=prepare_store(paths, cache))


def _plain_size(path: Path) -> int:
    """Bytes of the file once decompressed (a gzip member records it modulo 4 GiB, so never less than 4 x packed)."""
    size = path.stat().st_size
    if path.suffix != ".gz":
        return size
    with path.open("rb") as handle:
        handle.seek(max(size - 4, 0))
        return max(int.from_bytes(handle.read(4), "little"), 4 * size)


def check_files(paths: list[Path], cache: Path) -> None:
    """Parse every file, so that bad input stops `serve` before it forks (the zygote would find it only later);
    once per content, remembered by a marker in the cache. InputError names file and line."""
    import pyoxigraph as ox

    marker = cache / f"{_key(paths)}.checked"
    if marker.is_file():
        return
    for path in paths:
        data, rdf_format, base = read_rdf(path)
        try:
            for _quad in ox.parse(data, format=rdf_format, base_iri=base):
                pass
        except SyntaxError as error:
            raise InputError(f"not valid {format_for_path(path).label}: {error.msg}", path, error.lineno) from None
    cache.mkdir(parents=True, exist_ok=True)
    marker.touch()


def prepare_store(paths: list[Path], cache: Path) -> Path:
    """Load the files into `cache/<content hash>` unless already there; return the store directory.

    The loading runs in a fresh process (`python -m partnergraph.store.prepare`): RocksDB's background threads do
    not survive a fork, so a gunicorn worker forked from a process that had opened a store would hang opening the
    next one; and the loader's memory is returned when it exits. Its InputError comes back as JSON on stdout.
    """
    for path in paths:
        if not path.is_file():
            raise InputError("no such file", path)
    target = cache / _key(paths)
    if target.is_dir():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    staging = cache / f".loading-{uuid.uuid4().hex}"
    try:
        loader = subprocess.run(
            [sys.executable, "-m", __name__, str(staging), *map(str, paths)], capture_output=True, text=True
        )
        if loader.returncode == INPUT_ERROR:
            raise InputError(**json.loads(loader.stdout))
        if loader.returncode != 0:
            names = ", ".join(str(path) for path in paths)
            raise InputError(f"loading {names} into the store failed: {loader.stderr.strip()[-500:]}")
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _load(paths: list[Path], directory: Path) -> None:
    import pyoxigraph as ox  # here, not at the top: the service's long-lived processes never load a store

    store = ox.Store(str(directory))
    for path in paths:
        load_file(store, path)
    store.flush()
    store.optimize()


def read_rdf(path: Path) -> tuple[bytes, ox.RdfFormat, str]:
    """A file's bytes (decompressed), pyoxigraph's format for it, and its base IRI."""
    import pyoxigraph as ox

    try:
        rdf_format = format_for_path(path)
    except ValueError as error:
        raise InputError(str(error), path) from None
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror or error}", path) from None
    try:
        data = gzip.decompress(raw) if path.suffix == ".gz" else raw
    except (OSError, EOFError) as error:  # not gzip, or cut short
        raise InputError(f"not a readable gzip file: {error or 'it ends too early'}", path) from None
    found = ox.RdfFormat.from_media_type(rdf_format.media_type)
    assert found is not None, rdf_format
    return data, found, path.resolve().as_uri()


def memory_store(paths: tuple[Path, ...]) -> ox.Store:
    """The files loaded into a new in-memory store; InputError names the file (and line) of anything unreadable."""
    import pyoxigraph as ox

    store = ox.Store()
    for path in paths:
        load_file(store, path)
    return store


def load_file(store: ox.Store, path: Path) -> None:
    """Bulk-load one RDF file (any registered format, optionally gzipped); errors name the file and line."""
    data, rdf_format, base = read_rdf(path)
    try:
        store.bulk_load(data, format=rdf_format, base_iri=base)
    except SyntaxError as error:
        raise InputError(f"not valid {format_for_path(path).label}: {error.msg}", path, error.lineno) from None


if __name__ == "__main__":
    try:
        _load([Path(name) for name in sys.argv[2:]], Path(sys.argv[1]))
    except InputError as error:
        print(json.dumps({"message": error.message, "path": str(error.path), "line": error.line}))
        sys.exit(INPUT_ERROR)

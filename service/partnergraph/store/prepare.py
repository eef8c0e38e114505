"""Turn RDF files into an on-disk pyoxigraph store once, so query workers can open it read-only and share it."""

from __future__ import annotations

import gzip
import hashlib
import multiprocessing
import os
import shutil
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..formats import format_for_path


def _key(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(path.name.encode())
    return digest.hexdigest()[:24]


def prepare_store(paths: list[Path], cache: Path) -> Path:
    """Load the files into `cache/<content hash>` unless already there; return the store directory.

    The loading runs in a fresh (spawned) process: RocksDB's background threads do not survive a fork, so a
    gunicorn worker forked from a process that had opened a store would hang opening the next one.
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
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as loader:
            loader.submit(_load, paths, staging).result()
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _load(paths: list[Path], directory: Path) -> None:
    store = ox.Store(str(directory))
    for path in paths:
        load_file(store, path)
    store.flush()
    store.optimize()


def load_file(store: ox.Store, path: Path) -> None:
    """Bulk-load one RDF file (any registered format, optionally gzipped); errors name the file and line."""
    try:
        rdf_format = format_for_path(path)
    except ValueError as error:
        raise InputError(str(error), path) from None
    raw = path.read_bytes()
    data = gzip.decompress(raw) if path.suffix == ".gz" else raw
    try:
        store.bulk_load(
            data, format=ox.RdfFormat.from_media_type(rdf_format.media_type), base_iri=path.resolve().as_uri()
        )
    except SyntaxError as error:
        raise InputError(f"not valid {rdf_format.label}: {error.msg}", path, error.lineno) from None

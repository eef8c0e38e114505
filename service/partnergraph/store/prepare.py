"""Turn RDF files into an on-disk pyoxigraph store once, so query workers can open it read-only and share it."""

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


def load_file(store: ox.Store, path: Path) -> None:
    """Bulk-load one RDF file (any registered format, optionally gzipped); errors name the file and line."""
    import pyoxigraph as ox

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


if __name__ == "__main__":
    try:
        _load([Path(name) for name in sys.argv[2:]], Path(sys.argv[1]))
    except InputError as error:
        print(json.dumps({"message": error.message, "path": str(error.path), "line": error.line}))
        sys.exit(INPUT_ERROR)

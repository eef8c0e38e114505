"""Build, validate and publish: nothing reaches `current` unless the whole dataset conforms."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from ..config import Settings
from ..errors import OutputError, ValidationFailed
from ..formats import format_by_token
from .catalogue import describe
from .coverage import Coverage, summarise
from .publish import discard, new_release_dir, promote, serialise, write_dumps
from .run import build_graph, input_files
from .validate import Report, validate

PACKAGE = Path(__file__).resolve().parents[1]
BUILD_KEY = "build-key"  # in each release directory: what it was built from


def build_key(settings: Settings) -> str:
    """The hash of everything a build's output depends on: the input files, the code that reads them, the base IRI.
    (The dataset's own fingerprint names inputs only, so that its IRIs stay put when the code changes.)"""
    digest = hashlib.sha256(settings.base_iri.encode() + b"\0" + str(settings.include_drafts).encode())
    for path in [*input_files(settings), *sorted(PACKAGE.rglob("*.py"))]:
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def up_to_date(settings: Settings, out: Path) -> Path | None:
    """The release `out/current` points to, when it was built from exactly these inputs with this code."""
    try:
        stored = (out / "current" / BUILD_KEY).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return (out / "current").resolve() if stored == build_key(settings) else None


@dataclass(frozen=True)
class Release:
    directory: Path
    report: Report
    coverage: Coverage


def validation_graph(parts: dict[str, Graph]) -> Graph:
    """The graph the shapes see: data, provenance and the concept schemes together (never the shapes)."""
    graph = Graph()
    for name in ("data", "provenance", "ontology", "links"):
        graph += parts.get(name, Graph())
    return graph


def release(settings: Settings, out: Path) -> Release:
    """Build and validate; on success publish atomically to `out/current`, else raise ValidationFailed."""
    key = build_key(settings)
    built = build_graph(settings)
    report = validate(validation_graph(built.parts), built.parts["shapes"])
    if not report.conforms:
        raise ValidationFailed(report)
    try:
        staging, lease = new_release_dir(out)
    except OSError as error:
        raise OutputError(f"cannot create the release directory: {error.strerror}", error.filename or out) from None
    try:
        files = write_dumps(staging, built.parts, built.iris)
        turtle = format_by_token("ttl")
        catalogue = describe(built.parts, files, built.documents, built.iris, built.fingerprint)
        (staging / "void.ttl").write_bytes(serialise(catalogue, turtle))
        skolemised = report.graph.skolemize(basepath=settings.base_iri + ".well-known/genid/")
        (staging / "validation-report.ttl").write_bytes(serialise(skolemised, turtle))
        (staging / BUILD_KEY).write_text(key + "\n", encoding="ascii")
        directory = promote(staging, out, built.fingerprint)
    except OSError as error:  # a full disk, a read-only or vanished directory: `current` stays as it was
        discard(staging)
        raise OutputError(f"cannot write the release: {error.strerror}", error.filename or staging) from None
    except BaseException:
        discard(staging)
        raise
    finally:
        lease.end()
    return Release(directory, report, summarise(built))

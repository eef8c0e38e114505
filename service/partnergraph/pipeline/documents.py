"""Source documents: verbatim texts plus their metadata, refused when the text's SHA-256 has changed."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .dates import PartialDate, parse_date
from .sourcefile import LineDict, load_yaml

DOCUMENT_ID = re.compile(r"^[0-9]{3}_[0-9a-f]{16}$")
REQUIRED = ("id", "file", "title", "publisher", "language", "sha256")


@dataclass(frozen=True)
class Document:
    """One source page: its text exactly as published, and what we know about it."""

    id: str
    path: Path
    text: str
    title: str
    title_stated: bool
    publisher: str
    language: str
    sha256: str
    modified: PartialDate | None


def load_documents(metadata_path: Path) -> list[Document]:
    """Read the metadata file and every document it lists, verifying each checksum."""
    entries = load_yaml(metadata_path)
    if not isinstance(entries, list):
        raise InputError("expected a list of documents", metadata_path, 1)
    documents: list[Document] = []
    seen: set[str] = set()
    for entry in entries:
        line = getattr(entry, "line", None)
        if not isinstance(entry, LineDict):
            raise InputError("each document must be a mapping", metadata_path, line)
        missing = [key for key in REQUIRED if key not in entry]
        if missing:
            raise InputError(f"document entry lacks {', '.join(missing)}", metadata_path, line)
        doc_id = str(entry["id"])
        if not DOCUMENT_ID.match(doc_id):
            raise InputError(f"document id {doc_id!r} does not match NNN_<16 hex digits>", metadata_path, line)
        if doc_id in seen:
            raise InputError(f"document id {doc_id!r} is listed twice", metadata_path, line)
        seen.add(doc_id)
        documents.append(_read_document(entry, metadata_path, line or 0))
    return documents


def _read_document(entry: LineDict, metadata_path: Path, line: int) -> Document:
    path = metadata_path.parent / str(entry["file"])
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read document {path}: {error.strerror}", metadata_path, line) from None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != entry["sha256"]:
        raise InputError(
            f"document {path.name} has SHA-256 {digest}, but the metadata records {entry['sha256']}; "
            "the text changed: restore it, or review its statements and update the checksum",
            metadata_path,
            line,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"document {path.name} is not UTF-8 (byte {error.start})", metadata_path, line) from None
    modified = None
    if "modified" in entry:
        try:
            modified = parse_date(entry["modified"])
        except ValueError as error:
            raise InputError(f"modified: {error}", metadata_path, line) from None
    return Document(
        id=str(entry["id"]),
        path=path,
        text=text,
        title=str(entry["title"]),
        title_stated=bool(entry.get("title_stated", True)),
        publisher=str(entry["publisher"]),
        language=str(entry["language"]),
        sha256=digest,
        modified=modified,
    )

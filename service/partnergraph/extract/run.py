"""`partnergraph extract`: add pages as documents and draft their statements and registry entries.

Everything for one page is computed before anything is written; the files are then written whole (a temporary file
renamed into place), so a failure leaves the data as it was. Extracting a page again reuses its document and keeps
the candidates a reviewer rejected out of the new draft.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..config import Settings
from ..errors import InputError
from ..pipeline.registry import load_registry
from ..pipeline.sourcefile import load_yaml
from .draft import Draft, draft
from .gazetteer import project_gazetteer, ror_names
from .reading import Page, read_page

THRESHOLD = 0.6


@dataclass(frozen=True)
class Extracted:
    document: str
    page: Page
    draft: Draft
    new_document: bool

    def lines(self) -> list[str]:
        d = self.draft
        new = {section: len(keys) for section, keys in d.registry.items() if keys}
        return [
            f"{self.document}: '{self.page.title}' ({self.page.language}), "
            + ("added" if self.new_document else "already a document, drafted again"),
            f"  organisations named: {len(d.organisations)}; new in the registry: "
            + (", ".join(f"{section} {n}" for section, n in new.items()) or "none"),
            f"  candidates: {d.proposed}; drafted: {len(d.claims)}; below the threshold: {d.below_threshold}; "
            f"rejected before: {d.remembered_rejections}",
        ]


def extract(
    settings: Settings,
    files: list[Path],
    accept: bool = False,
    threshold: float = THRESHOLD,
    ror: tuple[Path, ...] = (),
    publisher: str | None = None,
) -> Iterator[Extracted]:
    """Extract each file in turn (a page may name an organisation the previous one added); each is complete on disk
    before the next begins."""
    extra = ror_names(list(ror))
    for path in files:
        yield _one(settings, path, accept, threshold, extra, publisher)


def _one(
    settings: Settings, path: Path, accept: bool, threshold: float, extra: list[Any], publisher: str | None
) -> Extracted:
    data = settings.data_dir
    registry = load_registry(data / "registry.yaml")
    statements = sorted((data / "statements").glob("*.yaml"))
    page = read_page(path)
    digest = hashlib.sha256(page.text.encode("utf-8")).hexdigest()
    entries = load_yaml(data / "documents.yaml") or []
    known = next((e for e in entries if e.get("sha256") == digest), None)
    document = str(known["id"]) if known else f"{_next_number(entries):03d}_{digest[:16]}"
    target = data / "statements" / f"{document}.yaml"
    previous = load_yaml(target) if target.exists() else {}
    if previous and previous.get("review") not in ("pending", "accepted"):
        raise InputError(
            f"{path} is document {document}, whose statements were reviewed ({target.name}): "
            "extracting would overwrite them; move that file away first to draft it again"
        )
    gazetteer = project_gazetteer(registry, [p for p in statements if p != target], extra)
    result = draft(page.text, gazetteer, registry, threshold, accept, list(previous.get("rejected") or []))
    if not result.names:  # names alone are statements (who the page names); nothing at all is not a draft
        raise InputError(f"{path}: names no organisation this project knows or can recognise; nothing to draft")
    owner = publisher or result.publisher
    if owner is None or (owner not in registry.entities and owner not in result.registry["organisations"]):
        raise InputError(f"cannot tell which registry organisation published {path}: give --publisher KEY")
    if known is None:
        _write(data / "documents" / f"{document}.txt", page.text)
        _append(data / "documents.yaml", _document_entry(document, page, digest, owner))
    _add_to_registry(data / "registry.yaml", result.registry, document)
    _write(target, _statements(document, result, accept, previous))
    return Extracted(document, page, result, known is None)


def _next_number(entries: list[Any]) -> int:
    return max((int(str(e["id"])[:3]) for e in entries if re.match(r"^\d{3}_", str(e.get("id", "")))), default=-1) + 1


def _document_entry(document: str, page: Page, digest: str, publisher: str) -> str:
    entry = {"id": document, "file": f"documents/{document}.txt", "title": page.title}
    if not page.title_stated:
        entry["title_stated"] = False  # type: ignore[assignment]
    entry |= {"publisher": publisher, "language": page.language, "sha256": digest}
    return yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=120)


def _statements(document: str, result: Draft, accept: bool, previous: dict[str, Any]) -> str:
    today = datetime.date.today().isoformat()
    review = "accepted" if accept else "pending"
    header = f"# Drafted by `partnergraph extract` on {today}. " + (
        "Accepted without review (--accept): check it before relying on it.\n"
        if accept
        else "Review every name and claim; move a wrong claim to 'rejected:' (extracting again will not propose it\n"
        "# again), then delete the 'review: pending' line. Format: data/statements/README.md.\n"
    )
    content: dict[str, Any] = {"document": document, "review": review, "names": result.names, "claims": result.claims}
    if previous.get("rejected"):
        content["rejected"] = [{str(k): v for k, v in entry.items()} for entry in previous["rejected"]]
    return header + yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=120)


def _add_to_registry(path: Path, additions: dict[str, dict[str, dict[str, str]]], document: str) -> None:
    """Insert new entries at the end of their sections, keeping the file's comments and layout."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for section, entries in additions.items():
        if not entries:
            continue
        block = [f"  # drafted by `partnergraph extract` from {document}"] + [
            f"  {key}: {yaml.safe_dump(fields, default_flow_style=True, allow_unicode=True, width=1000).strip()}"
            for key, fields in entries.items()
        ]
        start = next((i for i, line in enumerate(lines) if line == f"{section}:"), None)
        if start is None:
            lines += ["", f"{section}:", *block]
            continue
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith((" ", "#"))), len(lines)
        )
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1
        lines[end:end] = block
    _write(path, "\n".join(lines) + "\n")


def _append(path: Path, text: str) -> None:
    existing = path.read_text(encoding="utf-8")
    _write(path, existing + ("" if existing.endswith("\n") else "\n") + text)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)

"""Settings shared by the pipeline and the CLI: where inputs live and which base IRI to mint under."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_BASE_IRI = "https://w3id.org/partnergraph/"


def _project_root() -> Path:
    """Locate the checkout (the directory holding data/, ontology/ and shapes/)."""
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    """Injected configuration; `from_env` reads PARTNERGRAPH_* variables over the defaults."""

    base_iri: str = DEFAULT_BASE_IRI
    root: Path = field(default_factory=_project_root)
    include_drafts: bool = False  # build statement files `partnergraph extract` drafted and nobody reviewed yet

    def __post_init__(self) -> None:
        if not self.base_iri.endswith("/") or not self.base_iri.startswith(("http://", "https://")):
            raise ValueError(f"base IRI must be an http(s) IRI ending in '/': {self.base_iri!r}")

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Build settings from defaults, then PARTNERGRAPH_BASE_IRI / PARTNERGRAPH_ROOT, then explicit overrides."""
        settings = cls()
        if base := os.environ.get("PARTNERGRAPH_BASE_IRI"):
            settings = replace(settings, base_iri=base)
        if root := os.environ.get("PARTNERGRAPH_ROOT"):
            settings = replace(settings, root=Path(root))
        given = {key: value for key, value in overrides.items() if value is not None}
        return replace(settings, **given) if given else settings  # type: ignore[arg-type]

"""Configuration of the web service: defaults, then a TOML file (PARTNERGRAPH_CONFIG), then PARTNERGRAPH_* variables."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .config import DEFAULT_BASE_IRI, Settings
from .errors import InputError


@dataclass(frozen=True)
class ServiceConfig:
    """Everything the service needs, injected into `create_app`."""

    base_iri: str = DEFAULT_BASE_IRI
    release_dir: Path = Path("build/current")  # a published release, or the link a build swaps to a new one
    reload_interval: float = 2.0  # seconds between looks at release_dir for a new release; 0 pins the first
    data_files: tuple[Path, ...] = ()  # serve these RDF files instead of a release
    extra_files: tuple[Path, ...] = ()  # serve these RDF files beside the release (e.g. the ROR graph)
    store_cache: Path = Path("build/stores")  # where on-disk stores are prepared
    query_timeout: float = 10.0  # seconds; the query's worker is killed past it
    max_rows: int = 10_000  # rows (or triples) per answer; beyond it the answer says it was truncated
    max_body_bytes: int = 1_000_000  # larger request bodies get 413
    query_workers: int = 2  # query worker processes kept running
    max_query_workers: int = 4  # the pool grows to this while every worker is busy
    service_allowlist: tuple[str, ...] = ()  # SERVICE endpoints a query may name; empty: none
    threads: int = 8  # HTTP threads of the service process
    examples_dir: Path = field(default_factory=lambda: Settings.from_env().root / "docs" / "queries")  # example queries

    @classmethod
    def load(cls, **overrides: Any) -> ServiceConfig:
        """Defaults, then the TOML file named by PARTNERGRAPH_CONFIG, then environment, then explicit overrides."""
        values: dict[str, Any] = {}
        if path := os.environ.get("PARTNERGRAPH_CONFIG"):
            try:
                values.update(tomllib.loads(Path(path).read_text(encoding="utf-8")))
            except (OSError, tomllib.TOMLDecodeError) as error:
                raise InputError(f"cannot read the configuration: {error}", path) from None
        for item in fields(cls):
            if (raw := os.environ.get(f"PARTNERGRAPH_{item.name.upper()}")) is not None:
                values[item.name] = raw
        values.update({key: value for key, value in overrides.items() if value is not None})
        unknown = set(values) - {item.name for item in fields(cls)}
        if unknown:
            raise InputError(f"unknown configuration key {sorted(unknown)[0]!r}", path or None)
        return replace(cls(), **{key: _coerce(key, value) for key, value in values.items()})


def _coerce(key: str, value: Any) -> Any:
    """Turn strings from the environment (and TOML values) into the field's type."""
    if key in ("release_dir", "store_cache", "examples_dir"):
        return Path(value)
    if key in ("data_files", "extra_files"):
        items = value.split(",") if isinstance(value, str) else value
        return tuple(Path(item) for item in items if str(item).strip())
    if key == "service_allowlist":
        items = value.split(",") if isinstance(value, str) else value
        return tuple(str(item).strip() for item in items if str(item).strip())
    if key in ("query_timeout", "reload_interval"):
        return float(value)
    if key in ("max_rows", "max_body_bytes", "query_workers", "max_query_workers", "threads"):
        return int(value)
    return value

"""Configuration of the web service: defaults, then a TOML file (PARTNERGRAPH_CONFIG), then PARTNERGRAPH_* variables."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_type_hints

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
    cache_max_age: int = 60  # seconds browsers and proxies may reuse an answer without asking (ETags revalidate)
    answer_cache_mb: int = 64  # answers kept for identical requests until the next release; 0: none
    memory_store_max_mb: int = 1000  # sources up to this size (uncompressed) are served from memory; larger from disk
    pattern_lane: bool = True  # one-pattern queries on an in-memory release: answered in this process from its own copy
    query_timeout: float = 10.0  # seconds; the query's worker is killed past it
    max_rows: int = 10_000  # rows (or triples) per answer; beyond it the answer says it was truncated
    max_answer_bytes: int = 50_000_000  # about this many bytes of terms per answer; beyond it the answer is cut too
    max_body_bytes: int = 1_000_000  # larger request bodies get 413
    max_query_depth: int = 100  # nesting of (), [] and {}; deeper queries get 400 before the engine sees them
    max_query_chain: int = 2000  # binary operators, UNIONs and path steps per query; more get 400
    query_workers: int = 2  # query worker processes kept running
    max_query_workers: int = 4  # the pool grows to this while every worker is busy
    pool_shrink_after: float = 30.0  # seconds without a full pool before an extra worker retires
    max_long_queries: int = 2  # queries running past 0.5 s at once; one more is stopped with 503
    worker_memory_mb: int = 1024  # memory per query worker (heap, enforced by the kernel); 0: no limit
    client_budget_seconds: float = 60.0  # seconds of query time a client may spend at once (token bucket size)
    client_refill_rate: float = 1.0  # seconds of query time a client regains per second; spent: 429
    query_log: Path | None = Path("build/logs/queries.jsonl")  # JSON Lines, one line per query; empty: none
    query_log_bytes: int = 20_000_000  # the log rotates at this size, keeping one previous file
    service_allowlist: tuple[str, ...] = ()  # SERVICE endpoints a query may name; empty: none
    threads: int = 8  # HTTP threads of the service process; they only ever see requests that arrived whole
    max_connections: int = 500  # open client connections at once; past it new ones wait in the listen backlog
    idle_timeout: float = 30.0  # seconds a connection may send nothing (slowly sent requests, idle keep-alive)
    trusted_proxy: str = ""  # the reverse proxy's address: its X-Forwarded-For then names the client; empty: none
    store_url: str = ""  # a SPARQL 1.1 query endpoint to serve from instead of the embedded store; empty: embedded
    update_url: str = ""  # the store's SPARQL Update endpoint, for `partnergraph publish`
    graph_store_url: str = ""  # the store's Graph Store Protocol endpoint, for faster loads by `publish`
    store_user: str = ""  # credentials for the store (queries: basic; publish: basic, or digest with store_auth)
    store_password: str = field(default="", repr=False)  # never logged, never part of a message
    store_auth: str = "basic"  # basic | digest (Virtuoso's authenticated endpoints)
    store_connections: int = 8  # queries in flight to the store at once, per instance; more wait their turn
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


BOOLEAN_WORDS = {
    "true": True,
    "1": True,
    "yes": True,
    "on": True,
    "false": False,
    "0": False,
    "no": False,
    "off": False,
}


def _coerce(key: str, value: Any) -> Any:
    """Turn strings from the environment (and TOML values) into the field's declared type."""
    kind = get_type_hints(ServiceConfig)[key]
    if kind in (tuple[Path, ...], tuple[str, ...]):
        items = value.split(",") if isinstance(value, str) else value
        convert = Path if kind == tuple[Path, ...] else str
        return tuple(convert(str(item).strip()) for item in items if str(item).strip())
    if kind == Path | None:
        return Path(value) if str(value).strip() else None
    if kind is bool:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word not in BOOLEAN_WORDS:
            raise InputError(f"configuration key {key!r}: {value!r} is not true or false")
        return BOOLEAN_WORDS[word]
    if kind in (Path, int, float):
        try:
            return kind(value)
        except (TypeError, ValueError):
            raise InputError(f"configuration key {key!r}: {value!r} is not a {kind.__name__}") from None
    return value

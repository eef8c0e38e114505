"""What the app holds for its lifetime, hung on `app.extensions` (never a module global)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import current_app, g

from ..editions import Edition, Editions
from ..iris import IriMinter
from ..web_config import ServiceConfig
from .budget import ClientBudgets
from .metrics import Metrics
from .name_index import NameIndexes
from .name_listing import build_index
from .query_log import QueryLog

INDEX_TIMEOUT = 120.0  # seconds for the name index's listing queries, once per release (a long-lane query)


@dataclass
class AppState:
    config: ServiceConfig
    editions: Editions
    iris: IriMinter
    metrics: Metrics
    budgets: ClientBudgets
    query_log: QueryLog
    names: NameIndexes  # the name search's index of the served release
    config_digest: str  # part of every ETag: answers change with the configuration (row caps, base IRI)

    @classmethod
    def create(cls, config: ServiceConfig, editions: Editions) -> AppState:
        return cls(
            config,
            editions,
            IriMinter(config.base_iri),
            Metrics(),
            ClientBudgets(config.client_budget_seconds, config.client_refill_rate),
            QueryLog(config.query_log, config.query_log_bytes),
            NameIndexes(lambda edition: build_index(edition, IriMinter(config.base_iri).base + "id/", INDEX_TIMEOUT)),
            _digest(config),
        )


def _digest(config: ServiceConfig) -> str:
    """The configuration, and the size and time of every file served with --data (whose edition is always "data"):
    a restart on changed files must change every ETag."""
    files = [*config.data_files, *config.extra_files]
    stamps = [f"{path}:{path.stat().st_size}:{path.stat().st_mtime_ns}" for path in files if path.is_file()]
    return hashlib.sha256("\n".join([repr(config), *stamps]).encode()).hexdigest()[:16]


def state() -> AppState:
    return current_app.extensions["partnergraph"]  # type: ignore[no-any-return]


def served() -> Edition:
    """The edition this request is answered from: taken at first use and kept to the request's end."""
    if "edition" not in g:
        g.edition = state().editions.acquire()
    return g.edition  # type: ignore[no-any-return]


def give_back() -> None:
    """End the request's hold on its edition (a retired edition closes when its last request ends)."""
    if (edition := g.pop("edition", None)) is not None:
        state().editions.give_back(edition)

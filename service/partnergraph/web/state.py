"""What the app holds for its lifetime, hung on `app.extensions` (never a module global)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g

from ..editions import Edition, Editions
from ..iris import IriMinter
from ..web_config import ServiceConfig
from .budget import ClientBudgets
from .metrics import Metrics
from .query_log import QueryLog


@dataclass
class AppState:
    config: ServiceConfig
    editions: Editions
    iris: IriMinter
    metrics: Metrics
    budgets: ClientBudgets
    query_log: QueryLog

    @classmethod
    def create(cls, config: ServiceConfig, editions: Editions) -> AppState:
        return cls(
            config,
            editions,
            IriMinter(config.base_iri),
            Metrics(),
            ClientBudgets(config.client_budget_seconds, config.client_refill_rate),
            QueryLog(config.query_log, config.query_log_bytes),
        )


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

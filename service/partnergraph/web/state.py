"""What the app holds for its lifetime, hung on `app.extensions` (never a module global)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import current_app, g

from ..editions import Edition, Editions
from ..iris import IriMinter
from ..web_config import ServiceConfig


@dataclass
class Metrics:
    """Counters for /metrics; updated under the GIL from request threads."""

    requests: dict[tuple[str, int], int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    timeouts: int = 0
    rows: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class AppState:
    config: ServiceConfig
    editions: Editions
    iris: IriMinter
    metrics: Metrics = field(default_factory=Metrics)


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

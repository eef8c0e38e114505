"""What the app holds for its lifetime, hung on `app.extensions` (never a module global)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from ..iris import IriMinter
from ..store.base import Store
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
    store: Store
    release: Path | None  # the release directory served (pinned at start), or None with --data
    iris: IriMinter
    metrics: Metrics = field(default_factory=Metrics)


def state() -> AppState:
    return current_app.extensions["partnergraph"]  # type: ignore[no-any-return]

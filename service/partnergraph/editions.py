"""The release the service answers from, and the swap to a newer one without a restart.

A request takes the current edition once and keeps it to its end, so one response never mixes two releases.
A retired edition closes (query workers stopped, lease on its directory given up) when its last request ends.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .leases import Lease
from .store.base import Store

log = logging.getLogger("partnergraph")


@dataclass(eq=False)
class Edition:
    """One release as served: its directory (None for --data files), the store loaded from it, and its lease."""

    release: Path | None
    store: Store
    lease: Lease | None = None
    users: int = 0
    retired: bool = False

    @property
    def name(self) -> str:
        return self.release.name if self.release else "data"

    def close(self) -> None:
        self.store.close()
        if self.lease:
            self.lease.end()


class Editions:
    """The current edition, counted in and out by requests."""

    def __init__(self, first: Edition) -> None:
        self._current = first
        self._lock = threading.Lock()

    @property
    def current(self) -> Edition:
        return self._current

    def acquire(self) -> Edition:
        with self._lock:
            edition = self._current
            edition.users += 1
            return edition

    def give_back(self, edition: Edition) -> None:
        with self._lock:
            edition.users -= 1
            finished = edition.retired and edition.users == 0
        if finished:
            edition.close()

    def swap(self, new: Edition) -> None:
        """Serve `new` from the next request on; the old edition closes once its requests are answered."""
        with self._lock:
            old, self._current = self._current, new
            old.retired = True
            finished = old.users == 0
        if finished:
            old.close()

    def close(self) -> None:
        self._current.close()


class ReleaseWatcher(threading.Thread):
    """Polls the `current` link; when it names another release, opens that release and swaps it in.

    The build only ever points the link at a complete, validated release, so a new target is safe to open.
    A release that cannot be opened is logged and skipped; the service keeps answering from the one it has.
    """

    def __init__(
        self, editions: Editions, link: Path, open_edition: Callable[[Path], Edition], interval: float
    ) -> None:
        super().__init__(name="release-watcher", daemon=True)
        self.editions, self.link, self.open_edition, self.interval = editions, link, open_edition, interval
        self.stopped = threading.Event()

    def run(self) -> None:
        failed: Path | None = None
        while not self.stopped.wait(self.interval):
            target = self.link.resolve()
            if target in (self.editions.current.release, failed) or not (target / "dataset.nq").is_file():
                continue
            try:
                edition = self.open_edition(target)
            except Exception as error:  # any failure leaves the served edition in place
                served = self.editions.current.name
                log.error("cannot serve the new release %s (%s); still serving %s", target, error, served)
                failed = target
                continue
            self.editions.swap(edition)
            log.info("now serving release %s", target.name)

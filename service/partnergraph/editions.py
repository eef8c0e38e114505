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
from typing import Generic, TypeVar

from .leases import Lease
from .store.base import Store

log = logging.getLogger("partnergraph")
T = TypeVar("T")


@dataclass(eq=False)
class Edition:
    """One release as served: its directory (None for --data files, or a remote store's release this instance has no
    files of), the store answering for it, its lease, and its name when the directory does not give it."""

    release: Path | None
    store: Store
    lease: Lease | None = None
    users: int = 0
    retired: bool = False
    label: str = ""
    documents: Callable[[str], str | None] | None = None  # where the release's documents are read when not on disk

    @property
    def name(self) -> str:
        return self.label or (self.release.name if self.release else "data")

    def document(self, part: str) -> str | None:
        """The text of the release's `<part>.ttl` (void, validation-report, ontology, shapes), or None."""
        if self.release is not None and (self.release / f"{part}.ttl").is_file():
            return (self.release / f"{part}.ttl").read_text(encoding="utf-8")
        return self.documents(part) if self.documents is not None else None

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


class ReleaseWatcher(threading.Thread, Generic[T]):
    """Looks every `interval` seconds for the release to serve (the `current` link, or a remote store's release
    record); when it names another release, opens that release and swaps it in.

    Only a complete, validated release is ever named, so a new one is safe to open. A release that cannot be opened,
    or a look that fails (the store unreachable), is logged; the service keeps answering from the release it has.
    """

    def __init__(
        self,
        editions: Editions,
        find: Callable[[], tuple[str, T] | None],
        open_edition: Callable[[T], Edition],
        interval: float,
    ) -> None:
        super().__init__(name="release-watcher", daemon=True)
        self.editions, self.find, self.open_edition, self.interval = editions, find, open_edition, interval
        self.stopped = threading.Event()

    def run(self) -> None:
        failed, unreachable = "", False
        while not self.stopped.wait(self.interval):
            try:
                found = self.find()
            except Exception as error:  # the store is down or answers nonsense: keep serving, say so once
                if not unreachable:
                    log.error("cannot look for a new release (%s); still serving %s", error, self.editions.current.name)
                unreachable = True
                continue
            unreachable = False
            if found is None or found[0] in (self.editions.current.name, failed):
                continue
            name, target = found
            try:
                edition = self.open_edition(target)
            except Exception as error:  # any failure leaves the served edition in place
                served = self.editions.current.name
                log.error("cannot serve the new release %s (%s); still serving %s", name, error, served)
                failed = name
                continue
            self.editions.swap(edition)
            log.info("now serving release %s", name)


def linked_release(link: Path) -> tuple[str, Path] | None:
    """The release the `current` link names, once it is complete."""
    target = link.resolve()
    return (target.name, target) if (target / "dataset.nq").is_file() else None

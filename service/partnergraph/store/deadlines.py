"""One thread that shuts responses still being read at their deadline: a blocking read then returns at once, so a
store that stalls or drips cannot hold a request past its time limit (urllib3's read timeout is per read)."""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Watch:
    response: Any
    expired: bool = False
    done: bool = False


@dataclass(order=True)
class _Entry:
    deadline: float
    order: int
    watch: Watch = field(compare=False)


class Deadlines:
    def __init__(self) -> None:
        self._heap: list[_Entry] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._stopped = False
        self._thread: threading.Thread | None = None

    @contextmanager
    def watch(self, response: Any, deadline: float) -> Iterator[Watch]:
        watch = Watch(response)
        with self._wake:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="store-deadlines", daemon=True)
                self._thread.start()
            heapq.heappush(self._heap, _Entry(deadline, next(self._order), watch))
            self._wake.notify()
        try:
            yield watch
        finally:
            with self._wake:
                watch.done = True

    def _run(self) -> None:
        with self._wake:
            while not self._stopped:
                while self._heap and self._heap[0].watch.done:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._wake.wait()
                    continue
                wait = self._heap[0].deadline - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                watch = heapq.heappop(self._heap).watch
                watch.expired = True
                watch.response.shutdown()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()

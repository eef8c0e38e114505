"""A gunicorn worker that serves with waitress: gunicorn supervises, waitress reads each request whole first.

gunicorn's threaded worker hands a connection to a thread as soon as its first byte arrives, so thirty clients that
send their headers a byte at a time hold every thread. waitress reads headers and body in its event loop and gives a
request to a thread only once all of it has arrived (bodies past `max_request_body_size` are refused unread); idle
and slow connections cost a socket, not a thread, and are closed after `channel_timeout` seconds without progress.
gunicorn's arbiter still forks, signals and restarts the worker; the event loop sends its heartbeat.
"""

from __future__ import annotations

import os
import time
from typing import Any, ClassVar

from gunicorn.workers.base import Worker


class WaitressWorker(Worker):  # type: ignore[misc]
    options: ClassVar[dict[str, Any]] = {}  # waitress adjustments, set by `worker_class`

    def run(self) -> None:
        from waitress import wasyncore
        from waitress.server import create_server

        channels: dict[int, Any] = {}  # waitress's socket map, which this loop drives
        server = create_server(
            self.wsgi,
            map=channels,
            sockets=[listener.sock for listener in self.sockets],
            threads=self.cfg.threads,
            asyncore_use_poll=True,
            ident="partnergraph",
            expose_tracebacks=False,
            **self.options,
        )
        try:
            reported = 0.0
            while self.alive and os.getppid() == self.ppid:
                if time.monotonic() - reported >= 1.0:  # the arbiter's heartbeat, at most once a second
                    self.notify()
                    reported = time.monotonic()
                wasyncore.loop(timeout=1.0, map=channels, use_poll=True, count=1)
        finally:
            server.close()
            server.task_dispatcher.shutdown(timeout=5)


def worker_class(**options: Any) -> type[WaitressWorker]:
    """The worker class with these waitress adjustments (gunicorn takes a class, not an instance)."""
    return type("PartnergraphWorker", (WaitressWorker,), {"options": options})

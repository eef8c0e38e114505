"""A query worker: a confined process, forked from the zygote, that answers one query at a time from the store.

pyoxigraph cannot cancel a running query, so the pool (pool.py) kills a worker that overruns. The parent holds a
pidfd for each worker: it tells whether the worker is alive and signals it without the risk of a reused pid. The
zygote is started from one long-lived thread, because the kernel's parent-death signal fires when the *thread* that
started a process ends.
"""

from __future__ import annotations

import concurrent.futures
import os
import select
import signal
import socket
import subprocess
import threading
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from .base import QueryFailed, QueryRequest, wire
from .sandbox import CPU_EXIT, MEMORY_EXIT

if TYPE_CHECKING:
    from .zygote import Zygote


@dataclass(frozen=True)
class WorkerLimits:
    memory_bytes: int = 0  # RLIMIT_DATA per worker beyond the store it shares; 0: none
    endpoints: tuple[str, ...] = ()  # the only places it may connect to (the federation lane's); none: no network


def serve(store: object, triples: int | None, fd: int, parent: int, limits: WorkerLimits) -> None:
    """The worker's loop (in the fork): confine itself, then answer until its socket closes."""
    from .sandbox import SandboxError, confine, cpu_deadline

    connection = Connection(fd)
    try:
        confine(parent, limits.memory_bytes, limits.endpoints)
    except SandboxError as error:
        connection.send(("refused", str(error)))
        return
    import pyoxigraph as ox

    from .execute import execute

    if isinstance(store, Path):  # an on-disk store: each worker opens it itself, after the fork
        store = ox.Store.read_only(str(store))
    assert isinstance(store, ox.Store)
    connection.send(("ready", len(store) if triples is None else triples))
    while True:
        try:
            fields, timeout = connection.recv()
        except EOFError:
            return
        cpu_deadline(timeout)
        try:
            connection.send(("ok", wire(execute(store, QueryRequest(*fields)))))
        except QueryFailed as failure:
            connection.send(("failed", (str(failure), failure.status)))


class _Spawner:
    """One daemon thread that starts every zygote of this process, so each one's parent thread lives on."""

    def __init__(self) -> None:
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="worker-spawner")
        self._pid = os.getpid()

    def start(self, command: list[str], fd: int) -> subprocess.Popen[bytes]:
        return self._executor.submit(subprocess.Popen, command, pass_fds=(fd,), stdin=subprocess.DEVNULL).result()


_spawner: _Spawner | None = None
_spawner_lock = threading.Lock()


def spawn(command: list[str], fd: int) -> subprocess.Popen[bytes]:
    global _spawner
    with _spawner_lock:
        if _spawner is None or _spawner._pid != os.getpid():  # a forked child needs its own thread
            _spawner = _Spawner()
        spawner = _spawner
    return spawner.start(command, fd)


@dataclass(eq=False)
class Worker:
    pid: int
    pidfd: int
    connection: Connection
    limits: WorkerLimits
    zygote: Zygote
    _stopped: bool = field(default=False, repr=False)
    _stopping: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _answer: select.poll = field(default_factory=select.poll, repr=False)

    def __post_init__(self) -> None:
        self._answer.register(self.connection.fileno(), select.POLLIN)

    @classmethod
    def start(cls, zygote: Zygote, limits: WorkerLimits, timeout: float = 60.0) -> tuple[Worker, int]:
        """A ready worker and the store's triple count; QueryFailed if it cannot be confined or open the store."""
        ours, theirs = socket.socketpair()
        try:
            pid, pidfd = zygote.fork(theirs, limits)
        except QueryFailed:
            ours.close()
            raise
        finally:
            theirs.close()
        worker = cls(pid, pidfd, Connection(ours.detach()), limits, zygote)
        try:
            if not worker.connection.poll(timeout):
                raise EOFError
            status, detail = worker.connection.recv()
        except (EOFError, OSError):
            status, detail = "failed", "a query worker could not open the store"
        if status != "ready":
            worker.stop()
            raise QueryFailed(str(detail), 500)
        return worker, int(detail)

    def send(self, request: QueryRequest, timeout: float) -> None:
        self.connection.send((wire(request), timeout))

    def answered(self, timeout: float) -> bool:
        """Whether the answer, or the worker's end, arrived within `timeout` seconds (Connection.poll builds a
        selector per call, which costs as much as a cheap query)."""
        return bool(self._answer.poll(max(0.0, timeout) * 1000))

    def demote(self) -> None:
        """Lowest CPU priority: under contention the scheduler gives a long query what short ones leave."""
        with suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self.pid, 19)

    def restore_priority(self) -> bool:
        """Normal CPU priority again, if this process may raise it (root, or CAP_SYS_NICE, or RLIMIT_NICE)."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.pid, 0)
        except OSError:
            return False
        return True

    def _ended(self, timeout: float = 0.0) -> bool:
        """Whether the process has exited (its pidfd turns readable then), waiting up to `timeout` seconds."""
        if self._stopped:
            return True
        poller = select.poll()
        poller.register(self.pidfd, select.POLLIN)
        return bool(poller.poll(timeout * 1000))

    def alive(self) -> bool:
        return not self._ended()

    def stop(self) -> None:
        with self._stopping:  # the pidfd is closed once, never a descriptor reused by then
            if self._stopped:
                return
            if not self._ended():
                with suppress(ProcessLookupError):
                    signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
                self._ended(5.0)
            self._stopped = True
            self.connection.close()
            os.close(self.pidfd)

    def why_it_died(self) -> str:
        """What stopped a worker that closed its socket mid-query, for the client's error."""
        code = self.zygote.exit_status(self.pid) if self._ended(2.0) else None
        if code == MEMORY_EXIT and self.limits.memory_bytes:
            return (
                f"the query needed more memory than a query worker may use ({self.limits.memory_bytes // 2**20} MB)"
                " and was stopped; narrow it (fewer rows before ORDER BY or GROUP BY, shorter strings)"
            )
        if code == CPU_EXIT:
            return "the query used up its CPU time and was stopped by the kernel"
        return "the query worker stopped unexpectedly; the query was not answered"

"""A query worker: a confined subprocess that holds the store open read-only and answers one query at a time.

pyoxigraph cannot cancel a running query, so the pool (pool.py) kills a worker that overruns. Workers are plain
subprocesses (`python -m partnergraph.store.workers`) talking over a socket pair with multiprocessing's Connection:
no fork of the threaded parent, no resource tracker. Every worker is started from one long-lived thread, because the
kernel's parent-death signal fires when the *thread* that started a process ends.
"""

from __future__ import annotations

import concurrent.futures
import os
import socket
import subprocess
import sys
import threading
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .base import QueryFailed, QueryRequest
from .sandbox import CPU_EXIT, MEMORY_EXIT


def _serve(store_dir: str, connection: Connection, parent: int, memory_bytes: int, endpoints: tuple[str, ...]) -> None:
    """The worker's loop: confine itself, open the store read-only, then answer until the pipe closes."""
    from .sandbox import SandboxError, confine, cpu_deadline

    try:
        confine(parent, memory_bytes, endpoints)
    except SandboxError as error:
        connection.send(("refused", str(error)))
        return
    import pyoxigraph as ox

    from .execute import execute

    store = ox.Store.read_only(store_dir)
    connection.send(("ready", len(store)))
    while True:
        try:
            request, timeout = connection.recv()
        except EOFError:
            return
        cpu_deadline(timeout)
        try:
            connection.send(("ok", execute(store, request)))
        except QueryFailed as failure:
            connection.send(("failed", (str(failure), failure.status)))


@dataclass(frozen=True)
class WorkerLimits:
    memory_bytes: int = 0  # RLIMIT_DATA per worker; 0: none
    endpoints: tuple[str, ...] = ()  # the only places it may connect to (the federation lane's); none: no network


class _Spawner:
    """One daemon thread that starts every worker of this process, so each worker's parent thread lives on."""

    def __init__(self) -> None:
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="worker-spawner")
        self._pid = os.getpid()

    def start(self, command: list[str], fd: int) -> subprocess.Popen[bytes]:
        return self._executor.submit(subprocess.Popen, command, pass_fds=(fd,), stdin=subprocess.DEVNULL).result()


_spawner: _Spawner | None = None
_spawner_lock = threading.Lock()


def _spawn(command: list[str], fd: int) -> subprocess.Popen[bytes]:
    global _spawner
    with _spawner_lock:
        if _spawner is None or _spawner._pid != os.getpid():  # a forked child needs its own thread
            _spawner = _Spawner()
        spawner = _spawner
    return spawner.start(command, fd)


@dataclass(eq=False)
class Worker:
    process: subprocess.Popen[bytes]
    connection: Connection
    limits: WorkerLimits

    @classmethod
    def start(cls, store_dir: Path, limits: WorkerLimits, timeout: float = 60.0) -> tuple[Worker, int]:
        """A ready worker and the store's triple count; QueryFailed if it cannot open the store."""
        ours, theirs = socket.socketpair()
        command = [
            sys.executable,
            "-m",
            __name__,
            str(store_dir),
            str(theirs.fileno()),
            str(os.getpid()),
            str(limits.memory_bytes),
            " ".join(limits.endpoints),
        ]
        try:
            process = _spawn(command, theirs.fileno())
        finally:
            theirs.close()
        worker = cls(process, Connection(ours.detach()), limits)
        try:
            if not worker.connection.poll(timeout):
                raise EOFError
            status, detail = worker.connection.recv()
        except (EOFError, OSError):
            status, detail = "failed", f"a query worker could not open the store {store_dir}"
        if status != "ready":
            worker.stop()
            raise QueryFailed(str(detail), 500)
        return worker, int(detail)

    def send(self, request: QueryRequest, timeout: float) -> None:
        self.connection.send((request, timeout))

    def demote(self) -> None:
        """Lowest CPU priority: under contention the scheduler gives a long query what short ones leave."""
        with suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self.process.pid, 19)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.kill()
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self.connection.close()

    def why_it_died(self) -> str:
        """What stopped a worker that closed its pipe mid-query, for the client's error."""
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=2)
        code = self.process.returncode
        if code == MEMORY_EXIT and self.limits.memory_bytes:
            return (
                f"the query needed more memory than a query worker may use ({self.limits.memory_bytes // 2**20} MB)"
                " and was stopped; narrow it (fewer rows before ORDER BY or GROUP BY, shorter strings)"
            )
        if code == CPU_EXIT:
            return "the query used up its CPU time and was stopped by the kernel"
        return "the query worker stopped unexpectedly; the query was not answered"


if __name__ == "__main__":
    _serve(sys.argv[1], Connection(int(sys.argv[2])), int(sys.argv[3]), int(sys.argv[4]), tuple(sys.argv[5].split()))

"""The process query workers are forked from: it loads the release into memory once, and each fork shares it.

Loading a million triples takes seconds; forking a process that holds them takes a millisecond, so a worker that
overran its time limit is replaced at once. A fork shares the store's pages with its siblings until it writes to them,
and Oxigraph's reads do write (reference counts): a worker's first scan copies the pages it touches (about 220 MB at
1M triples), so the pool keeps workers once warm, and a busy worker's memory grows towards a copy of what it scanned.
A release too large for memory (`memory_store_max_mb`) is served
from an on-disk store instead: the zygote then holds only its directory, and each fork opens it read-only (RocksDB's
threads do not survive a fork, so it is never opened here).

The zygote never starts a thread, so a fork is always consistent. It dies with the thread that started it, and its
workers with it; it reaps them and says how each ended (the pool reports a worker killed by its memory or CPU limit).
Parent and zygote talk over a SOCK_SEQPACKET pair: one pickled tuple per packet, the worker's socket and its pidfd
passed as file descriptors.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import socket
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .base import QueryFailed
from .workers import WorkerLimits, serve, spawn

PACKET = 1 << 16
REAP_EVERY = 0.1  # seconds
KEPT_EXITS = 1000  # exit statuses remembered for workers nobody asked about yet


@dataclass(frozen=True)
class StoreSource:
    """What the workers answer from: RDF files loaded into memory, or an on-disk store directory."""

    files: tuple[Path, ...] = ()
    directory: Path | None = None


class Zygote:
    """The parent's handle on a zygote process: fork a worker, ask how one ended, stop it all."""

    def __init__(self, source: StoreSource, timeout: float = 3600.0) -> None:
        self.source = source
        self._lock = threading.Lock()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        command = [sys.executable, "-m", __name__, str(theirs.fileno()), str(os.getpid())]
        try:
            self._process = spawn(command, theirs.fileno())
        finally:
            theirs.close()
        self._control = ours
        ours.settimeout(timeout)
        try:
            ours.sendall(pickle.dumps(source))
            (status, detail), _fds = self._receive()
        except (OSError, EOFError):
            status, detail = "failed", "the store could not be loaded (its loader stopped)"
        if status == "input-error":
            self.close()
            raise InputError(**detail)
        if status != "ready":
            self.close()
            raise QueryFailed(str(detail), 500)
        ours.settimeout(30.0)

    def _receive(self) -> tuple[Any, list[int]]:
        data, fds, _flags, _address = socket.recv_fds(self._control, PACKET, 1)
        if not data:
            raise EOFError
        return pickle.loads(data), fds  # type: ignore[no-any-return]

    def fork(self, channel: socket.socket, limits: WorkerLimits) -> tuple[int, int]:
        """A new worker answering on `channel`: its pid and a pidfd (which cannot point at a reused pid)."""
        with self._lock:
            try:
                socket.send_fds(self._control, [pickle.dumps(("fork", limits))], [channel.fileno()])
                (_, pid), fds = self._receive()
            except (OSError, EOFError):
                raise QueryFailed("the zygote that starts query workers has stopped", 503) from None
        return int(pid), fds[0]

    def exit_status(self, pid: int) -> int | None:
        """How a worker that has ended ended, as subprocess reports it (minus the signal number if killed)."""
        with self._lock:
            try:
                self._control.sendall(pickle.dumps(("status", pid)))
                (_, code), _fds = self._receive()
            except (OSError, EOFError):
                return None
        return code  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop the zygote; its workers die with it (their parent-death signal)."""
        self._control.close()
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait(timeout=10)


def _load(source: StoreSource) -> tuple[object, int | None]:
    """The store every fork answers from, in memory with its size; or, on disk, only its directory."""
    if source.directory is not None:
        return source.directory, None
    from .prepare import memory_store

    store = memory_store(source.files)
    return store, len(store)  # counted once here: counting an in-memory store walks it


class _Reaper:
    """Exit statuses of this process's children, collected without blocking."""

    def __init__(self) -> None:
        self.exits: dict[int, int] = {}

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.exits[pid] = os.waitstatus_to_exitcode(status)
            while len(self.exits) > KEPT_EXITS:
                del self.exits[next(iter(self.exits))]


def _run(control: socket.socket, parent: int) -> None:
    from .sandbox import die_with_parent, name_process

    # Ctrl-C in a terminal reaches the whole process group; the zygote stops when the service does (its socket
    # closes, or the parent-death signal), not halfway through a fork with a traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    name_process("pg-zygote")
    source = pickle.loads(control.recv(PACKET))
    try:
        store, triples = _load(source)
    except InputError as error:
        detail = {"message": error.message, "path": error.path, "line": error.line}
        control.sendall(pickle.dumps(("input-error", detail)))
        return
    gc.freeze()  # the forks share these objects' pages; a collection in a fork would copy them
    control.sendall(pickle.dumps(("ready", None)))
    reaper = _Reaper()
    waiting = select.poll()
    waiting.register(control, select.POLLIN)
    while True:
        reaper.reap()  # a killed worker is gone from the process table within REAP_EVERY
        if not waiting.poll(REAP_EVERY * 1000):
            continue
        data, fds, _flags, _address = socket.recv_fds(control, PACKET, 1)
        reaper.reap()
        if not data:
            return  # the parent closed its end: stop, and the workers stop with us
        command, argument = pickle.loads(data)
        if command == "fork":
            zygote = os.getpid()
            pid = os.fork()
            if pid == 0:  # the worker: whatever happens in it, it never returns into this loop
                try:
                    control.close()
                    serve(store, triples, fds[0], zygote, argument)
                finally:
                    os._exit(0)
            os.close(fds[0])
            pidfd = os.pidfd_open(pid)
            socket.send_fds(control, [pickle.dumps(("forked", pid))], [pidfd])
            os.close(pidfd)
        elif command == "status":
            control.sendall(pickle.dumps(("status", reaper.exits.pop(argument, None))))


if __name__ == "__main__":
    _run(socket.socket(fileno=int(sys.argv[1])), int(sys.argv[2]))

"""Limits the kernel enforces on a query worker, whatever the query or the parent does.

- It dies with its parent (PR_SET_PDEATHSIG), the zygote, which dies with the thread that started it, so no orphan
  keeps running a query.
- Its memory is capped (RLIMIT_DATA, which counts the heap and anonymous maps, not the store's file maps) at what it
  holds when forked (the shared in-memory store) plus its allowance: an allocation past the cap aborts the worker, and
  only its request fails.
- Each query gets a CPU-time deadline (RLIMIT_CPU): past it the kernel stops the worker even if nobody else does.
- Without network (every worker but the federation lane's), creating any socket but a Unix one is refused by a
  seccomp filter, and so is io_uring: whatever the SERVICE policy decided, the worker cannot open a connection. The
  federation lane's workers may connect only to the allow-listed endpoints' addresses (egress.py).
"""

from __future__ import annotations

import ctypes
import errno
import os
import resource
import signal
import socket

PR_SET_PDEATHSIG = 1
PR_SET_NAME = 15
MEMORY_EXIT = -signal.SIGABRT  # how a worker ends when an allocation fails past its memory cap
CPU_EXIT = -signal.SIGXCPU  # the kernel stopped it at its CPU-time deadline


class SandboxError(RuntimeError):
    """The worker could not be confined; it must not serve queries unconfined."""


def confine(parent_pid: int, memory_bytes: int, endpoints: tuple[str, ...]) -> None:
    """Apply every limit before the worker opens the store; raise SandboxError if one cannot be applied.

    Without endpoints the worker gets no network at all; with them (the federation lane) it may connect only to the
    addresses they resolve to (egress.py)."""
    die_with_parent(parent_pid)
    name_process("pg-query-worker")
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    if memory_bytes > 0:
        cap = _data_bytes() + memory_bytes
        resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
    if not endpoints:
        _forbid_network()
        return
    from .egress import install

    try:
        install(endpoints)
    except (ImportError, OSError, RuntimeError, ValueError) as error:
        raise SandboxError(f"cannot confine the federation lane to its allow-list: {error}") from None


def die_with_parent(parent_pid: int) -> None:
    """SIGKILL when the parent (thread) ends; exit now if it already has."""
    if _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise SandboxError(f"prctl(PR_SET_PDEATHSIG) failed: {os.strerror(ctypes.get_errno())}")
    if os.getppid() != parent_pid:  # the parent died before the death signal was armed
        os._exit(1)


def name_process(name: str) -> None:
    """The name `ps` and /proc/<pid>/comm show (15 bytes at most), so operators and tests can tell the roles apart."""
    _libc().prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _data_bytes() -> int:
    """This process's data size as RLIMIT_DATA counts it (VmData)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0


def _forbid_network() -> None:
    try:
        import pyseccomp as seccomp

        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        for call in ("io_uring_setup", "io_uring_enter", "io_uring_register"):
            rules.add_rule(seccomp.ERRNO(errno.ENOSYS), call)
        rules.load()
    except (ImportError, OSError, RuntimeError, ValueError) as error:
        raise SandboxError(f"cannot install the seccomp filter (libseccomp2 is needed): {error}") from None


def cpu_deadline(seconds: float) -> None:
    """The kernel signals SIGXCPU once this process has used `seconds` more CPU time (plus a second of slack)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + seconds) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.getrlimit(resource.RLIMIT_CPU)[1]))

"""Who reads a release directory: readers hold a shared flock on it, pruning needs an exclusive one.

The lock lives on the directory itself, so it needs no extra file, is dropped by the kernel when a reader dies,
and works between the build (one process) and any number of services (others).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path


class Lease:
    """A shared lock on a release directory: while held, no build prunes the directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._fd: int | None = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(self._fd, fcntl.LOCK_SH)
        if os.fstat(self._fd).st_nlink == 0:  # pruned between our open and our lock
            self.end()
            raise FileNotFoundError(f"the release {directory} was removed")

    def end(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def remove_unless_leased(directory: Path) -> bool:
    """Delete the directory if no one holds a lease on it; return whether it was deleted."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return False
    try:
        shutil.rmtree(directory, ignore_errors=True)
    finally:
        os.close(fd)
    return True

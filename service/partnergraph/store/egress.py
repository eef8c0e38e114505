"""The federation lane's network guard: its workers may connect only to the allow-listed endpoints' addresses.

A seccomp filter hands every connect(), every sendto() with a destination and every sendmsg() to a supervisor thread
in the same process (seccomp user notification), which reads the destination address and lets the call go on only
when it is an address the allow-list resolved to when the worker started (or a resolver from /etc/resolv.conf, on
port 53, for the names). Anything else fails with EACCES, whatever the SERVICE policy decided. pyoxigraph releases the
GIL while it evaluates, so the supervisor runs while the engine waits in connect().
"""

from __future__ import annotations

import ctypes
import errno
import ipaddress
import socket
import struct
import threading
from pathlib import Path
from urllib.parse import urlsplit

CONTINUE = 1  # SECCOMP_USER_NOTIF_FLAG_CONTINUE: let the intercepted call run as it was made
MSGHDR_HEAD = struct.Struct("@PI")  # struct msghdr begins with msg_name and msg_namelen
MMSGHDR_SIZE = 64  # struct mmsghdr on 64-bit Linux: a 56-byte msghdr and an unsigned int, padded


def allowed_addresses(endpoints: tuple[str, ...]) -> set[tuple[str, int]]:
    """(address, port) pairs the endpoints resolve to now, and the resolvers on port 53."""
    allowed: set[tuple[str, int]] = set()
    for endpoint in endpoints:
        parts = urlsplit(endpoint)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        for *_, address in socket.getaddrinfo(parts.hostname or "", port, type=socket.SOCK_STREAM):
            allowed.add((_canonical(str(address[0])), port))
    for line in _resolv_conf():
        fields = line.split()
        if len(fields) >= 2 and fields[0] == "nameserver":
            allowed.add((_canonical(fields[1]), 53))
    return allowed


def _resolv_conf() -> list[str]:
    try:
        return Path("/etc/resolv.conf").read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _canonical(address: str) -> str:
    parsed = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    return str(parsed)


def destination(pointer: int, length: int) -> tuple[str, int] | str | None:
    """The sockaddr at `pointer` in this process: (address, port) for IP, "unix" for a Unix socket, else None."""
    if not pointer or length < 2:
        return None
    raw = ctypes.string_at(pointer, min(length, 128))
    family = struct.unpack_from("=H", raw)[0]
    if family == socket.AF_UNIX:
        return "unix"
    if family == socket.AF_INET and len(raw) >= 8:
        return _canonical(socket.inet_ntop(socket.AF_INET, raw[4:8])), struct.unpack_from("!H", raw, 2)[0]
    if family == socket.AF_INET6 and len(raw) >= 24:
        return _canonical(socket.inet_ntop(socket.AF_INET6, raw[8:24])), struct.unpack_from("!H", raw, 2)[0]
    return None


def _message_destination(pointer: int) -> tuple[str, int] | str | None:
    """The destination of a struct msghdr: its msg_name, or "connected" when it has none."""
    if not pointer:
        return None  # the kernel answers EFAULT; refuse it before reading address 0
    name, length = MSGHDR_HEAD.unpack(ctypes.string_at(pointer, MSGHDR_HEAD.size))
    return destination(name, length) if name else "connected"


def install(endpoints: tuple[str, ...]) -> None:
    """Resolve the allow-list, install the filter and start the supervisor; raise OSError if the kernel refuses."""
    import pyseccomp as seccomp

    allowed = allowed_addresses(endpoints)
    rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    # sockets: Unix, IPv4 and IPv6 only
    rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.GT, socket.AF_INET6))
    for family in range(socket.AF_INET + 1, socket.AF_INET6):
        rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.EQ, family))
    rules.add_rule(seccomp.NOTIFY, "connect")
    rules.add_rule(seccomp.NOTIFY, "sendto", seccomp.Arg(4, seccomp.NE, 0))
    rules.add_rule(seccomp.NOTIFY, "sendmsg")
    rules.add_rule(seccomp.NOTIFY, "sendmmsg")
    for call in ("io_uring_setup", "io_uring_enter", "io_uring_register"):
        rules.add_rule(seccomp.ERRNO(errno.ENOSYS), call)
    rules.load()
    threading.Thread(target=_supervise, args=(rules, allowed), name="egress", daemon=True).start()


def _supervise(rules: object, allowed: set[tuple[str, int]]) -> None:
    import pyseccomp as seccomp

    connect, sendto, sendmsg = (
        seccomp.resolve_syscall(seccomp.Arch.NATIVE, name) for name in ("connect", "sendto", "sendmsg")
    )
    while True:
        try:
            note = rules.receive_notify()  # type: ignore[attr-defined]
            permitted = _permitted(note.syscall, note.syscall_args, (connect, sendto, sendmsg), allowed)
            rules.respond_notify(  # type: ignore[attr-defined]
                seccomp.NotificationResponse(
                    0 if permitted else -errno.EACCES, CONTINUE if permitted else 0, note.id, 0
                )
            )
        except OSError:  # the calling thread gave up (interrupted, or the worker is stopping): the next one
            continue


def _permitted(call: int, args: list[int], calls: tuple[int, int, int], allowed: set[tuple[str, int]]) -> bool:
    connect, sendto, sendmsg = calls
    if call == connect:
        targets = [destination(args[1], args[2])]
    elif call == sendto:
        targets = [destination(args[4], args[5])]
    elif call == sendmsg:
        targets = [_message_destination(args[1])]
    else:  # sendmmsg: an array of struct mmsghdr, each a msghdr and its length
        targets = [_message_destination(args[1] + i * MMSGHDR_SIZE) for i in range(min(args[2], 1024))]
    return all(target in ("connected", "unix") or target in allowed for target in targets)

"""Refuse every network connection that would leave this machine.

A T-room has no internet: a test that passes here only because something was
fetched from outside would fail there. With the guard installed, connecting to
an address other than loopback (127.0.0.0/8, ::1) or looking up a host name
other than localhost (or a name from /etc/hosts) raises ``NetworkGuardError``
naming the address, instead of quietly reaching out.

The tests install it in the pytest process (tests/conftest.py); the servers the
tests start get it through ``sitecustomize.py`` in this folder, which
``cli.local_stack`` puts on their PYTHONPATH when ``COACH_NETWORK_GUARD=1``.

Unix sockets and every family other than IPv4/IPv6 are left alone, and so is C
code that opens its own sockets (libpq for PostgreSQL: it only talks to the
local server anyway). The errors are ``OSError``s, so libraries treat them like
an unreachable network (as in the T-room); ``blocked`` keeps every attempt.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import threading
from typing import Any, Dict, List, Optional, Tuple

ENV_VAR = "COACH_NETWORK_GUARD"
# A file every guarded process appends its refused attempts to (one line each), so the test
# run sees what its children refused even when they swallowed the error
# (tests/netguard/coach_netguard_plugin.py reads it at the end).
REPORT_ENV = "COACH_NETWORK_GUARD_REPORT"
GUARD_DIR = os.path.dirname(os.path.abspath(__file__))
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}

blocked: List[str] = []
_originals: Dict[Tuple[Any, str], Any] = {}
_lock = threading.Lock()
_hosts_names: Optional[Tuple[frozenset, frozenset]] = None


class NetworkGuardError(OSError):
    """A connection or lookup that would leave this machine."""


class BlockedLookup(NetworkGuardError, socket.gaierror):
    """A host name that only DNS could resolve."""


class BlockedReverseLookup(NetworkGuardError, socket.herror):
    """A reverse (PTR) lookup of an address that is not loopback."""


def enabled_by_env(environ=os.environ) -> bool:
    return environ.get(ENV_VAR, "") == "1"


def _etc_hosts() -> Tuple[frozenset, frozenset]:
    """(names of loopback addresses, every name) in /etc/hosts: resolved without DNS."""
    global _hosts_names
    if _hosts_names is None:
        loopback, every = set(), set()
        try:
            with open("/etc/hosts", encoding="utf-8", errors="replace") as hosts:
                for line in hosts:
                    fields = line.split("#", 1)[0].split()
                    if len(fields) < 2:
                        continue
                    names = {name.lower().rstrip(".") for name in fields[1:]}
                    every |= names
                    if _is_local_ip(fields[0]):
                        loopback |= names
        except OSError:
            pass
        _hosts_names = (frozenset(loopback), frozenset(every))
    return _hosts_names


def _ip(host: str):
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


def _is_local_ip(host: str) -> bool:
    ip = _ip(host)
    if ip is None:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    # 0.0.0.0 and :: as a destination mean "this host" on Linux.
    return ip.is_loopback or ip.is_unspecified


def _text(host: Any) -> Optional[str]:
    if isinstance(host, (bytes, bytearray)):
        return bytes(host).decode("ascii", errors="replace")
    return host


def _is_loopback_name(name: str) -> bool:
    name = name.lower().rstrip(".")
    return name in LOOPBACK_NAMES or name.endswith(".localhost") or name in _etc_hosts()[0]


def _refuse(error_class, what: str):
    message = f"network guard ({ENV_VAR}): {what} - the tests must not leave this machine"
    blocked.append(what)
    _report(what)
    if error_class is BlockedLookup:
        return BlockedLookup(socket.EAI_NONAME, message)
    if error_class is BlockedReverseLookup:
        return BlockedReverseLookup(1, message)
    return NetworkGuardError(errno.ENETUNREACH, message)


def _report(what: str) -> None:
    """Append the attempt to the run's report file (children: the parent counts them)."""
    path = os.environ.get(REPORT_ENV)
    if not path or os.getpid() == _REPORTING_PID:
        return
    try:
        with open(path, "a", encoding="utf-8") as report:
            report.write(f"{os.getpid()} {what}\n")
    except OSError:  # the report is a help, never a reason to fail differently
        pass


# The test process itself keeps ``blocked`` in memory; only its children write the file.
_REPORTING_PID: Optional[int] = None


def report_children_to(path: str) -> None:
    """In the test process: children started from now on report to ``path``."""
    global _REPORTING_PID
    _REPORTING_PID = os.getpid()
    os.environ[REPORT_ENV] = path


def children_blocked() -> List[str]:
    """What the children refused so far (from the report file)."""
    path = os.environ.get(REPORT_ENV)
    if not path or not os.path.exists(path):
        return []
    with open(path, encoding="utf-8", errors="replace") as report:
        return [line.rstrip("\n") for line in report if line.strip()]


def check_lookup(host: Any) -> None:
    """Name resolution: IP literals, localhost and /etc/hosts names only."""
    host = _text(host)
    if not host or _ip(host) is not None:
        return
    name = host.lower().rstrip(".")
    if _is_loopback_name(name) or name in _etc_hosts()[1]:
        return
    raise _refuse(BlockedLookup, f"name lookup of {host!r}")


def check_host(host: Any, port: Any = None) -> None:
    """A destination given as host (name or address) and port."""
    host = _text(host)
    if host is None or host == "":
        return
    where = f"{host}:{port}" if port is not None else str(host)
    if _ip(host) is not None:
        if not _is_local_ip(host):
            raise _refuse(NetworkGuardError, f"connection to {where}")
        return
    if not _is_loopback_name(host):
        raise _refuse(NetworkGuardError, f"connection to {where}")


def check_address(family: int, address: Any) -> None:
    if family not in (socket.AF_INET, socket.AF_INET6):
        return
    if isinstance(address, tuple) and address:
        check_host(address[0], address[1] if len(address) > 1 else None)


# --- the patches ------------------------------------------------------------------


def _patch(owner: Any, name: str, make) -> None:
    original = getattr(owner, name)
    _originals[(owner, name)] = original
    setattr(owner, name, make(original))


def _socket_patches() -> None:
    def connect(original):
        def guarded_connect(self, address):
            check_address(self.family, address)
            return original(self, address)

        return guarded_connect

    def connect_ex(original):
        def guarded_connect_ex(self, address):
            check_address(self.family, address)
            return original(self, address)

        return guarded_connect_ex

    def sendto(original):
        def guarded_sendto(self, data, *args):
            if args:
                check_address(self.family, args[-1])
            return original(self, data, *args)

        return guarded_sendto

    def getaddrinfo(original):
        def guarded_getaddrinfo(host, *args, **kwargs):
            check_lookup(host)
            return original(host, *args, **kwargs)

        return guarded_getaddrinfo

    def by_name(original):
        def guarded(host, *args, **kwargs):
            check_lookup(host)
            return original(host, *args, **kwargs)

        return guarded

    def by_addr(original):
        def guarded_gethostbyaddr(host, *args, **kwargs):
            text = _text(host)
            if _ip(text or "") is not None:
                if not _is_local_ip(text):
                    raise _refuse(BlockedReverseLookup, f"reverse lookup of {text!r}")
            else:
                check_lookup(text)
            return original(host, *args, **kwargs)

        return guarded_gethostbyaddr

    _patch(socket.socket, "connect", connect)
    _patch(socket.socket, "connect_ex", connect_ex)
    _patch(socket.socket, "sendto", sendto)
    _patch(socket, "getaddrinfo", getaddrinfo)
    _patch(socket, "gethostbyname", by_name)
    _patch(socket, "gethostbyname_ex", by_name)
    _patch(socket, "gethostbyaddr", by_addr)


def _uvloop_patches() -> None:
    """uvloop (uvicorn, Sanic) connects and resolves in C, past the socket module."""
    try:
        import uvloop
    except Exception:  # not installed, or broken: nothing of it can connect then
        return
    loop_class = uvloop.Loop

    def create_connection(original):
        async def guarded_create_connection(self, protocol_factory, host=None, port=None, *args, **kwargs):
            if kwargs.get("sock") is None:
                check_host(host, port)
            return await original(self, protocol_factory, host, port, *args, **kwargs)

        return guarded_create_connection

    def getaddrinfo(original):
        async def guarded_getaddrinfo(self, host, *args, **kwargs):
            check_lookup(host)
            return await original(self, host, *args, **kwargs)

        return guarded_getaddrinfo

    def sock_connect(original):
        async def guarded_sock_connect(self, sock, address):
            check_address(sock.family, address)
            return await original(self, sock, address)

        return guarded_sock_connect

    def create_datagram_endpoint(original):
        async def guarded_create_datagram_endpoint(
            self, protocol_factory, local_addr=None, remote_addr=None, **kwargs
        ):
            if remote_addr is not None:
                check_host(*remote_addr[:2])
            return await original(self, protocol_factory, local_addr, remote_addr, **kwargs)

        return guarded_create_datagram_endpoint

    _patch(loop_class, "create_connection", create_connection)
    _patch(loop_class, "getaddrinfo", getaddrinfo)
    _patch(loop_class, "sock_connect", sock_connect)
    _patch(loop_class, "create_datagram_endpoint", create_datagram_endpoint)


def installed() -> bool:
    return bool(_originals)


def install() -> None:
    """Guard this process (idempotent)."""
    with _lock:
        if _originals:
            return
        _socket_patches()
        _uvloop_patches()


def uninstall() -> None:
    with _lock:
        for (owner, name), original in reversed(list(_originals.items())):
            setattr(owner, name, original)
        _originals.clear()

"""The network guard (tests/conftest.py, tests/netguard/): nothing leaves this machine.

The address 93.184.216.34 (example.com) and the name example.org stand for the
internet; the guard must refuse them before any packet is sent.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading

import httpx
import pytest

import coach_netguard
from cli.local_stack import NETGUARD_DIR, guarded_env
from coach_netguard import BlockedLookup, NetworkGuardError

PUBLIC_V4 = ("93.184.216.34", 80)
PUBLIC_V6 = ("2606:2800:220:1:248:1893:25c8:1946", 80)


@pytest.fixture(autouse=True)
def _keep_the_blocked_list_for_real_attempts():
    """These tests are refused on purpose; the end-of-run list is for the other tests."""
    before = list(coach_netguard.blocked)
    yield
    coach_netguard.blocked[:] = before


@pytest.fixture
def loopback_server():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True)
    thread.start()
    yield server.getsockname()
    server.close()
    for conn, _ in accepted:
        conn.close()


def test_the_guard_is_on_in_the_test_process():
    assert os.environ[coach_netguard.ENV_VAR] == "1"
    assert coach_netguard.installed()


def test_a_connection_to_a_public_address_raises_naming_it():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        with pytest.raises(NetworkGuardError, match=r"93\.184\.216\.34:80"):
            sock.connect(PUBLIC_V4)
        with pytest.raises(NetworkGuardError, match=r"93\.184\.216\.34:80"):
            sock.connect_ex(PUBLIC_V4)
    with pytest.raises(NetworkGuardError, match=r"93\.184\.216\.34:80"):
        socket.create_connection(PUBLIC_V4, timeout=2)
    assert "connection to 93.184.216.34:80" in coach_netguard.blocked


def test_a_public_ipv6_address_and_a_udp_datagram_raise():
    if not socket.has_ipv6:
        pytest.skip("no IPv6 in this Python")
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
        with pytest.raises(NetworkGuardError, match="2606:2800"):
            sock.connect(PUBLIC_V6)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        with pytest.raises(NetworkGuardError, match=r"8\.8\.8\.8:53"):
            udp.sendto(b"x", ("8.8.8.8", 53))


def test_a_name_lookup_of_a_public_host_raises_naming_it():
    with pytest.raises(BlockedLookup, match="example.org"):
        socket.getaddrinfo("example.org", 80)
    with pytest.raises(socket.gaierror):  # what code that handles "no DNS" catches
        socket.getaddrinfo("example.org", 443)
    with pytest.raises(BlockedLookup, match="example.org"):
        socket.gethostbyname("example.org")
    with pytest.raises(NetworkGuardError, match="example.org"):
        socket.socket().connect(("example.org", 80))


def test_http_clients_are_refused_with_the_address():
    with pytest.raises(httpx.ConnectError, match=r"93\.184\.216\.34"):
        httpx.get("http://93.184.216.34/", timeout=2)
    with pytest.raises(httpx.ConnectError, match="example.org"):
        httpx.get("https://example.org/", timeout=2)


@pytest.mark.parametrize("loop_kind", ["asyncio", "uvloop"])
def test_event_loops_are_refused_too(loop_kind):
    if loop_kind == "uvloop":
        uvloop = pytest.importorskip("uvloop")
        loop = uvloop.new_event_loop()
    else:
        loop = asyncio.new_event_loop()
    try:
        with pytest.raises(NetworkGuardError, match=r"93\.184\.216\.34:80"):
            loop.run_until_complete(asyncio.wait_for(_open(*PUBLIC_V4), 5))
        with pytest.raises(BlockedLookup, match="example.org"):
            loop.run_until_complete(loop.getaddrinfo("example.org", 80))
    finally:
        loop.close()


async def _open(host, port):
    return await asyncio.open_connection(host, port)


def test_loopback_localhost_and_unix_sockets_still_work(loopback_server, tmp_path):
    with socket.create_connection(loopback_server, timeout=5):
        pass
    assert socket.getaddrinfo("localhost", 80)
    assert socket.getaddrinfo("127.0.0.1", 80)

    path = str(tmp_path / "s.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(path)
        server.listen(1)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(path)
            conn, _ = server.accept()
            client.sendall(b"ping")
            assert conn.recv(4) == b"ping"
            conn.close()


def test_loopback_over_ipv6_still_works():
    try:
        server = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        server.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with server:
        server.listen(1)
        with socket.create_connection(("::1", server.getsockname()[1]), timeout=5):
            pass


def test_asyncio_to_loopback_still_works(loopback_server):
    async def go():
        reader, writer = await asyncio.open_connection(*loopback_server)
        writer.close()

    asyncio.run(go())


CHILD = """
import socket, sys
print("guarded:", socket.getaddrinfo.__name__ == "guarded_getaddrinfo")
try:
    socket.socket().connect(("93.184.216.34", 80))
except OSError as exc:
    print("refused:", exc)
port = int(sys.argv[1])
socket.create_connection(("127.0.0.1", port), timeout=5).close()
print("loopback: ok")
"""


def test_a_child_python_started_by_the_stack_launcher_inherits_the_guard(loopback_server, tmp_path):
    report = tmp_path / "children.log"  # this child's refusal is wanted: not the run's report
    env = guarded_env({**os.environ, coach_netguard.ENV_VAR: "1", coach_netguard.REPORT_ENV: str(report)})
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(NETGUARD_DIR)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(loopback_server[1])],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "guarded: True" in out.stdout
    assert "refused: " in out.stdout and "93.184.216.34:80" in out.stdout
    assert "loopback: ok" in out.stdout
    # The refusal reached the parent, though the child caught it.
    assert "connection to 93.184.216.34:80" in report.read_text(encoding="utf-8")


def test_every_python_child_of_the_run_is_guarded_not_only_the_stacks(loopback_server, tmp_path):
    """The plugin puts the guard on the whole run's PYTHONPATH: a child started with the
    plain environment (as `rasa data validate` or `coach train` are) is guarded and reports."""
    if not coach_netguard.enabled_by_env():
        pytest.skip("COACH_NETWORK_GUARD=0: the guard is off for this run")
    assert os.environ["PYTHONPATH"].split(os.pathsep)[0] == str(NETGUARD_DIR)
    report = tmp_path / "children.log"
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(loopback_server[1])],
        env={**os.environ, coach_netguard.REPORT_ENV: str(report)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "guarded: True" in out.stdout
    assert report.read_text(encoding="utf-8").count("93.184.216.34:80") == 1


def test_without_the_variable_a_child_is_not_guarded():
    env = guarded_env({**os.environ, coach_netguard.ENV_VAR: "0", "PYTHONPATH": ""})
    env.pop(coach_netguard.REPORT_ENV, None)
    assert str(NETGUARD_DIR) not in env.get("PYTHONPATH", "").split(os.pathsep)
    env["PYTHONPATH"] = str(NETGUARD_DIR)  # even with sitecustomize on the path
    out = subprocess.run(
        [sys.executable, "-c", "import socket; print(socket.getaddrinfo.__name__)"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.strip() == "getaddrinfo", out.stderr


SWALLOWING_TEST = """
import socket


def test_code_that_swallows_the_refusal_passes_by_itself():
    try:
        socket.create_connection(("93.184.216.34", 80), timeout=2)
    except OSError:
        pass  # as library code does with "no network"
"""


def test_a_swallowed_refusal_still_fails_the_run(tmp_path):
    """The whole run fails (and names the attempt) though its one test passed."""
    (tmp_path / "test_swallow.py").write_text(SWALLOWING_TEST, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(NETGUARD_DIR), coach_netguard.ENV_VAR: "1"}
    env.pop(coach_netguard.REPORT_ENV, None)  # the inner run keeps its own report
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "coach_netguard_plugin", "-p", "no:cacheprovider", "."],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "1 passed" in run.stdout, run.stdout + run.stderr
    assert run.returncode == pytest.ExitCode.TESTS_FAILED, run.stdout
    assert "connection to 93.184.216.34:80" in run.stdout and "the run fails" in run.stdout

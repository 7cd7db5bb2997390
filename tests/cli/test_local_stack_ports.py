"""LocalStack's ports and start-up wait (issue 15, "Runs where the T-room runs").

Each child used to get a port from its own bind(0)-and-close, so two children
could get the same one (Rasa died with EADDRINUSE), and the wait took any HTTP
answer as "up" - the API answering on Rasa's port passed for Rasa. The children
here are small stand-ins (fake_stack_service.py), so no model is needed.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict

import pytest

import cli.local_stack as local_stack
from cli.local_stack import (
    ChildExited,
    LocalStack,
    actions_identity,
    api_identity,
    probe,
    rasa_identity,
    reserve_ports,
)

FAKE = Path(__file__).with_name("fake_stack_service.py")


@pytest.fixture
def fresh_port_book(monkeypatch, tmp_path):
    """An empty process-wide port set and lock folder of its own."""
    monkeypatch.setattr(local_stack, "_handed_out", set())
    monkeypatch.setattr(local_stack, "_port_lock_files", {})
    monkeypatch.setattr(local_stack, "PORT_LOCK_DIR", tmp_path / "port-locks")


class KernelLikeSocket:
    """bind(0) offers the lowest port no open socket holds - as a kernel may: a port
    is free again the moment its socket closes."""

    held: set = set()
    BASE = 50000

    def __init__(self, *args, **kwargs):
        self.port = None

    def bind(self, address):
        port = address[1] or next(p for p in range(self.BASE, self.BASE + 1000) if p not in self.held)
        if port in self.held:
            raise OSError(errno.EADDRINUSE, "Address already in use")
        self.port = port
        self.held.add(port)

    def getsockname(self):
        return ("127.0.0.1", self.port)

    def close(self):
        self.held.discard(self.port)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@pytest.fixture
def kernel_reuses_ports(monkeypatch, fresh_port_book):
    KernelLikeSocket.held = set()
    monkeypatch.setattr(socket, "socket", KernelLikeSocket)


def _ports(stack: LocalStack):
    return [stack.api_port, stack.action_port, *stack.rasa_ports]


# --- ports -------------------------------------------------------------------------


def test_ports_of_one_stack_are_distinct_when_the_kernel_offers_a_freed_port_again(
    kernel_reuses_ports, tmp_path
):
    stack = LocalStack(model=tmp_path / "model.tar.gz", workdir=tmp_path / "a", rasa_servers=3)
    ports = _ports(stack)
    assert len(set(ports)) == len(ports) == 5, ports


def test_two_stacks_in_one_process_never_share_a_port(kernel_reuses_ports, tmp_path):
    first = LocalStack(model=tmp_path / "model.tar.gz", workdir=tmp_path / "a", rasa_servers=2)
    first.stop()  # its reservations are released: the kernel offers the same ports again
    second = LocalStack(model=tmp_path / "model.tar.gz", workdir=tmp_path / "b", rasa_servers=2)
    loose = local_stack.free_port()
    assert not set(_ports(first)) & set(_ports(second))
    assert loose not in set(_ports(first)) | set(_ports(second))


def test_reserved_ports_are_held_until_the_child_starts(fresh_port_book, tmp_path):
    stack = LocalStack(model=tmp_path / "model.tar.gz", workdir=tmp_path / "a", rasa_servers=2)
    other = LocalStack(model=tmp_path / "model.tar.gz", workdir=tmp_path / "b", rasa_servers=2)
    try:
        ports = _ports(stack) + _ports(other)
        assert len(set(ports)) == 8
        for port in ports:  # nobody, in this process or another, can bind them meanwhile
            with socket.socket() as sock, pytest.raises(OSError) as raised:
                sock.bind(("127.0.0.1", port))
            assert raised.value.errno == errno.EADDRINUSE
    finally:
        stack.stop()
        other.stop()
    with socket.socket() as sock:  # released on stop
        sock.bind(("127.0.0.1", stack.api_port))


def test_a_port_another_test_process_holds_is_skipped(kernel_reuses_ports):
    import subprocess

    lock_dir = local_stack.PORT_LOCK_DIR
    lock_dir.mkdir(parents=True)
    other = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)",
            str(lock_dir / f"{KernelLikeSocket.BASE}.lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout.readline().strip() == "locked"
        ports = [r.port for r in reserve_ports(2)]
        assert KernelLikeSocket.BASE not in ports and len(set(ports)) == 2
    finally:
        other.kill()
        other.wait()


# --- start-up: fake children ---------------------------------------------------------


def _fake_stack(monkeypatch, tmp_path, kinds: Dict[str, str]) -> LocalStack:
    """A stack whose children are fake_stack_service.py; kinds: rasa/actions/api -> "KIND [EXIT_AFTER]"."""

    def command(role):
        def build(*args):
            port = args[1] if role in ("rasa", "api") else args[0]
            return [sys.executable, str(FAKE), *kinds[role].split()[:1], str(port), *kinds[role].split()[1:]]

        return build

    monkeypatch.setattr(local_stack, "rasa_command", command("rasa"))
    monkeypatch.setattr(local_stack, "actions_command", command("actions"))
    monkeypatch.setattr(local_stack, "api_command", command("api"))
    return LocalStack(model=tmp_path / "model.tar.gz", workdir=tmp_path / "stack")


def test_a_stack_of_services_that_answer_as_themselves_starts(monkeypatch, tmp_path):
    monkeypatch.setenv(local_stack.NETGUARD_ENV, "1")
    stack = _fake_stack(monkeypatch, tmp_path, {"rasa": "rasa", "actions": "actions", "api": "api"})
    began = time.monotonic()
    try:
        stack.start(timeout_s=60)
        assert time.monotonic() - began < 20
        assert all(child.running for child in stack.children.values())
        for child in stack.children.values():  # the network guard's sitecustomize comes first
            environ = Path(f"/proc/{child.process.pid}/environ").read_bytes().split(b"\0")
            pythonpath = next(v for v in environ if v.startswith(b"PYTHONPATH=")).decode()
            assert pythonpath.split("=", 1)[1].split(os.pathsep)[0] == str(local_stack.NETGUARD_DIR)
        assert stack.children["rasa1"].health_url.endswith(f":{stack.rasa_ports[0]}/version")
        stack.children["rasa1"].stop()
        stack.restart("rasa1", timeout_s=30)  # back on its own port
        assert stack.children["rasa1"].running
    finally:
        stack.stop()
    assert not any(child.running for child in stack.children.values())


def test_a_child_that_exits_during_start_up_fails_the_start_at_once_with_its_log(monkeypatch, tmp_path):
    stack = _fake_stack(monkeypatch, tmp_path, {"rasa": "exit", "actions": "actions", "api": "api-degraded"})
    began = time.monotonic()
    with pytest.raises(ChildExited) as raised:
        stack.start(timeout_s=420)
    assert time.monotonic() - began < 20
    message = str(raised.value)
    assert "rasa1 exited with code 3" in message
    assert "address already in use" in message, "the tail of the child's log"
    assert not any(child.running for child in stack.children.values()), "the others are stopped"


def test_a_child_that_exits_after_answering_fails_the_start_while_the_others_load(monkeypatch, tmp_path):
    # The action server answers, then dies; the API keeps saying "not ready".
    # The wait used to forget a child once it had answered and sat out its whole timeout.
    stack = _fake_stack(
        monkeypatch, tmp_path, {"rasa": "rasa", "actions": "actions 1.5", "api": "api-degraded"}
    )
    began = time.monotonic()
    with pytest.raises(ChildExited, match="actions exited with code 3") as raised:
        stack.start(timeout_s=60)
    assert time.monotonic() - began < 20
    assert "fake actions giving up" in str(raised.value)


@pytest.mark.parametrize("impostor", ["other", "api"])
def test_another_service_on_rasas_port_is_not_taken_for_rasa(monkeypatch, tmp_path, impostor):
    stack = _fake_stack(monkeypatch, tmp_path, {"rasa": impostor, "actions": "actions", "api": "api"})
    with pytest.raises(RuntimeError, match=r"not up after 3 s: \['rasa1'\]") as raised:
        stack.start(timeout_s=3)
    assert "not Rasa's /version" in str(raised.value)
    assert not any(child.running for child in stack.children.values())


# --- identity checks against a plain http.server ---------------------------------------


@pytest.fixture
def plain_http_server():
    """A tiny http.server on a loopback port: 200 for every path, content set per test."""
    answer = {"status": 200, "type": "text/html", "body": b"<html>Hello</html>"}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(answer["status"])
            self.send_header("Content-Type", answer["type"])
            self.send_header("Content-Length", str(len(answer["body"])))
            self.end_headers()
            self.wfile.write(answer["body"])

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", answer
    finally:
        server.shutdown()
        server.server_close()


def test_the_identity_checks_reject_a_plain_http_server(plain_http_server):
    url, answer = plain_http_server
    assert "not Rasa's /version: 200 text/html" in probe(f"{url}/version", rasa_identity)
    assert "not the action server" in probe(f"{url}/health", actions_identity)
    assert "not the coach API" in probe(f"{url}/api/v1/health", api_identity)

    def serve(status, payload):
        answer.update(status=status, type="application/json", body=json.dumps(payload).encode())

    serve(200, {"rasa": "ok", "actions": "ok", "db": "ok", "status": "ok"})  # the API's health
    assert probe(f"{url}/version", rasa_identity) is not None
    assert probe(f"{url}/health", actions_identity) is not None
    assert probe(f"{url}/api/v1/health", api_identity) is None
    serve(503, {"rasa": "down (ConnectError)", "actions": "ok", "db": "ok", "status": "degraded"})
    assert "the coach API, not ready" in probe(f"{url}/api/v1/health", api_identity)
    serve(200, {"version": "3.6.21", "minimum_compatible_version": "3.5.0"})
    assert probe(f"{url}/version", rasa_identity) is None
    serve(200, {"status": "ok"})
    assert probe(f"{url}/health", actions_identity) is None
    assert probe(f"{url}/version", rasa_identity) is not None


def test_nothing_listening_is_not_up():
    port = local_stack.free_port()
    assert probe(f"http://127.0.0.1:{port}/version", rasa_identity).startswith("no answer")

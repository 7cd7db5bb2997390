"""The network guard as a pytest plugin (loaded by tests/conftest.py).

A T-room has no internet. Connections off loopback and DNS lookups raise in the test
process from the moment this module is imported (before any test module), and
COACH_NETWORK_GUARD=1 is inherited by the servers the tests start: cli.local_stack then
puts tests/netguard on their PYTHONPATH, whose sitecustomize guards them too.
COACH_NETWORK_GUARD=0 in the shell switches it off (to debug the guard itself).

Code may catch the guard's OSError as it would catch "no network", so a refused attempt
could pass unseen: every refused attempt is listed at the end of the run, and the run
fails when there was one, also when every test passed.
"""

from __future__ import annotations

import os
from typing import Iterator

import pytest

import coach_netguard

os.environ.setdefault(coach_netguard.ENV_VAR, "1")
if coach_netguard.enabled_by_env():
    coach_netguard.install()  # already while test modules are imported


@pytest.fixture(scope="session", autouse=True)
def _network_guard() -> Iterator[None]:
    """Every test runs with the network guard; removed after the session."""
    if not coach_netguard.enabled_by_env():
        yield
        return
    coach_netguard.install()
    yield
    coach_netguard.uninstall()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if coach_netguard.blocked and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    """The attempts the guard refused (code may have swallowed the error)."""
    if coach_netguard.blocked:
        seen = sorted(set(coach_netguard.blocked))
        terminalreporter.section("network guard")
        terminalreporter.write_line(
            f"{len(coach_netguard.blocked)} attempt(s) to leave this machine refused; the run fails:"
        )
        for what in seen[:20]:
            terminalreporter.write_line(f"  {what}")

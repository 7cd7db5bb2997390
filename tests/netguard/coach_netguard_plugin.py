"""The network guard as a pytest plugin (loaded by tests/conftest.py).

A T-room has no internet. Connections off loopback and DNS lookups raise in the test
process from the moment this module is imported (before any test module), and
COACH_NETWORK_GUARD=1 is inherited by the servers the tests start: cli.local_stack then
puts tests/netguard on their PYTHONPATH, whose sitecustomize guards them too.
COACH_NETWORK_GUARD=0 in the shell switches it off (to debug the guard itself).

Every Python process the tests start is guarded too, not only the stacks of
cli.local_stack: this plugin puts tests/netguard first on PYTHONPATH for the whole run
(``rasa data validate``, ``rasa test``, ``coach train`` and every other child).

Code may catch the guard's OSError as it would catch "no network", so a refused attempt
could pass unseen: every refused attempt, in this process or in a child (they append to
the file named by COACH_NETWORK_GUARD_REPORT), is listed at the end of the run, and the
run fails when there was one, also when every test passed.
"""

from __future__ import annotations

import os
import tempfile
from typing import Iterator, List

import pytest

import coach_netguard

os.environ.setdefault(coach_netguard.ENV_VAR, "1")
if coach_netguard.enabled_by_env():
    coach_netguard.install()  # already while test modules are imported
    _rest = [
        p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != coach_netguard.GUARD_DIR
    ]
    os.environ["PYTHONPATH"] = os.pathsep.join([coach_netguard.GUARD_DIR, *_rest])
    _fd, _report_path = tempfile.mkstemp(prefix="coach-netguard-", suffix=".log")
    os.close(_fd)
    coach_netguard.report_children_to(_report_path)


def _all_blocked() -> List[str]:
    return list(coach_netguard.blocked) + [f"(child) {line}" for line in coach_netguard.children_blocked()]


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
    if _all_blocked() and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    """The attempts the guard refused (code may have swallowed the error)."""
    blocked = _all_blocked()
    if blocked:
        seen = sorted(set(blocked))
        terminalreporter.section("network guard")
        terminalreporter.write_line(
            f"{len(blocked)} attempt(s) to leave this machine refused; the run fails:"
        )
        for what in seen[:20]:
            terminalreporter.write_line(f"  {what}")


def pytest_unconfigure(config) -> None:
    """The report file goes with the run (after the summary has read it)."""
    path = os.environ.get(coach_netguard.REPORT_ENV)
    if path and path == globals().get("_report_path") and os.path.exists(path):
        os.remove(path)

"""`coach run`'s supervisor (cli/supervisor.py, issue 15.0) with real child processes:
a child that dies is started again (with back-off, logged, in the status file the API
shows in /health) while the others keep running; Ctrl-C stops every child; the start-up
wait takes only each child's own answer, not any HTTP answer on its port.

The children are tests/cli/fake_stack_service.py (they answer like Rasa, the action
server and the API); the Rasa-down path of the real stack is tests/e2e/test_rasa_comes_back.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from cli.local_stack import actions_identity, rasa_identity, reserve_ports
from cli.supervisor import ProcessSpec, probe, wait_until_up

REPO = Path(__file__).resolve().parents[2]
FAKE = Path(__file__).resolve().with_name("fake_stack_service.py")


def _wait_for(condition, timeout_s: float, what: str, poll_s: float = 0.1):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(poll_s)
    raise AssertionError(f"not within {timeout_s} s: {what}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead too.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _status(path: Path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


DRIVER = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from cli.local_stack import actions_identity, rasa_identity
    from cli.supervisor import ProcessSpec, supervise
    spec = json.loads(sys.argv[1])
    specs = [ProcessSpec(s["name"], s["cmd"], s["url"], {}, rasa_identity if s["name"] == "rasa" else actions_identity)
             for s in spec["children"]]
    sys.exit(supervise(specs, spec["cwd"], on_ready=lambda: print("ALL UP", flush=True),
                       ready_timeout_s=60, status_path=Path(spec["status"])))
""")


@pytest.fixture
def supervised(tmp_path):
    """A supervisor with a Rasa stand-in that dies once after 2 s and a steady action server."""
    rasa_port, actions_port = (r.port for r in reserve_ports(2))
    marker = tmp_path / "rasa-died-once"
    flaky = (
        f"if [ -e {marker} ]; then exec {sys.executable} {FAKE} rasa {rasa_port}; "
        f"else touch {marker}; exec {sys.executable} {FAKE} rasa {rasa_port} 2; fi"
    )
    status = tmp_path / "supervisor.json"
    spec = {
        "cwd": str(tmp_path),
        "status": str(status),
        "children": [
            {"name": "rasa", "cmd": ["sh", "-c", flaky], "url": f"http://127.0.0.1:{rasa_port}/version"},
            {
                "name": "actions",
                "cmd": [sys.executable, str(FAKE), "actions", str(actions_port)],
                "url": f"http://127.0.0.1:{actions_port}/health",
            },
        ],
    }
    log = (tmp_path / "supervisor.log").open("wb")
    driver = subprocess.Popen(
        [sys.executable, "-c", DRIVER, json.dumps(spec)],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    yield {
        "driver": driver,
        "status": status,
        "log": tmp_path / "supervisor.log",
        "rasa_url": f"http://127.0.0.1:{rasa_port}/version",
    }
    if driver.poll() is None:
        driver.send_signal(signal.SIGINT)
        try:
            driver.wait(timeout=20)
        except subprocess.TimeoutExpired:
            driver.kill()
    log.close()


def test_a_child_that_dies_is_restarted_and_the_others_keep_running(supervised):
    status_path, log = supervised["status"], supervised["log"]
    first = _wait_for(
        lambda: (s := _status(status_path))
        and s.get("actions", {}).get("pid")
        and s.get("rasa", {}).get("pid")
        and s,
        20,
        "both children started",
    )
    actions_pid = first["actions"]["pid"]
    _wait_for(lambda: "ALL UP" in log.read_text(), 30, "the start-up wait saw both answer as themselves")

    # The Rasa stand-in exits (code 3) after 2 s; the supervisor starts it again after its back-off.
    restarted = _wait_for(
        lambda: (s := _status(status_path))
        and s["rasa"]["restarts"] >= 1
        and s["rasa"]["state"] == "running"
        and s,
        30,
        "rasa restarted",
    )
    assert restarted["rasa"]["last_exit_code"] == 3
    assert restarted["rasa"]["pid"] != first["rasa"]["pid"]
    _wait_for(lambda: probe(supervised["rasa_url"], rasa_identity) is None, 20, "the new Rasa answers")

    # The action server was never stopped: same process, no restart.
    assert restarted["actions"]["restarts"] == 0 and restarted["actions"]["pid"] == actions_pid
    assert _alive(actions_pid)
    assert supervised["driver"].poll() is None
    text = log.read_text()
    assert "rasa stopped (rc=3); restarting in 1 s (restart 1)" in text
    assert "sending SIGTERM to actions" not in text

    # Ctrl-C stops everything, and nothing is started again.
    rasa_pid = restarted["rasa"]["pid"]
    supervised["driver"].send_signal(signal.SIGINT)
    assert supervised["driver"].wait(timeout=20) == 130
    _wait_for(lambda: not _alive(actions_pid) and not _alive(rasa_pid), 10, "children gone after Ctrl-C")
    assert "SIGINT received" in log.read_text()
    assert not status_path.exists()


def test_the_start_up_wait_takes_only_each_childs_own_answer(tmp_path):
    port, other_port = (r.port for r in reserve_ports(2))
    wrong = subprocess.Popen([sys.executable, str(FAKE), "other", str(other_port)], stdout=subprocess.DEVNULL)
    right = subprocess.Popen([sys.executable, str(FAKE), "actions", str(port)], stdout=subprocess.DEVNULL)
    try:
        good = ProcessSpec("actions", [], f"http://127.0.0.1:{port}/health", identify=actions_identity)
        # An HTML 200 on "Rasa's" port is not Rasa.
        impostor = ProcessSpec("rasa", [], f"http://127.0.0.1:{other_port}/version", identify=rasa_identity)
        assert wait_until_up([good, impostor], timeout_s=3) == ["rasa"]
        assert wait_until_up([good], timeout_s=10) == []
    finally:
        for process in (wrong, right):
            process.kill()
            process.wait()

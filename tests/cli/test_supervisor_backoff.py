"""The supervisor's back-off (cli/supervisor.py): each restart in a row waits longer, up to a
cap, and a child that ran a minute before it died starts again from the shortest wait.
Driven with the manager's own events and a fake clock: no processes, no sleeping."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from cli import supervisor
from cli.supervisor import BACKOFF_S, STABLE_AFTER_S, RestartingManager


@pytest.fixture
def manager(monkeypatch, tmp_path):
    clock = SimpleNamespace(now=1000.0)
    monkeypatch.setattr(supervisor.time, "monotonic", lambda: clock.now)
    made = RestartingManager(status_path=tmp_path / "status.json")
    made._processes = {"rasa": {}}
    made.spawned = []
    monkeypatch.setattr(made, "_spawn", made.spawned.append)
    made.clock = clock
    return made


def _dies_after(manager, seconds: float) -> float:
    """The child starts, runs `seconds` and dies; returns the wait before its restart, then
    lets that wait pass so the restart happens."""
    manager._handle(SimpleNamespace(type="start", name="rasa", data={"pid": 4242}))
    manager.clock.now += seconds
    manager._handle(SimpleNamespace(type="stop", name="rasa", data={"returncode": -9}))
    child = manager.children["rasa"]
    assert child["state"] == "restarting"
    wait = float(child["restart_at"]) - manager.clock.now
    manager.clock.now = float(child["restart_at"]) - 0.01
    manager._restart_due()
    assert manager.children["rasa"]["state"] == "restarting", "not before its time"
    manager.clock.now += 0.01
    manager._restart_due()
    return wait


def test_each_restart_in_a_row_waits_longer_up_to_the_cap(manager):
    waits = [_dies_after(manager, 1.0) for _ in range(len(BACKOFF_S) + 2)]

    assert waits == pytest.approx(list(BACKOFF_S) + [BACKOFF_S[-1]] * 2)
    assert manager.spawned == ["rasa"] * len(waits)
    assert manager.children["rasa"]["restarts"] == len(waits)


def test_a_child_that_ran_a_minute_starts_again_from_the_shortest_wait(manager):
    for _ in range(4):
        _dies_after(manager, 1.0)
    assert _dies_after(manager, 1.0) == pytest.approx(BACKOFF_S[4])

    assert _dies_after(manager, STABLE_AFTER_S) == pytest.approx(BACKOFF_S[0])
    assert _dies_after(manager, 1.0) == pytest.approx(BACKOFF_S[1])


def test_the_status_file_shows_restarts_and_the_last_exit(manager, tmp_path):
    _dies_after(manager, 1.0)
    manager._handle(SimpleNamespace(type="start", name="rasa", data={"pid": 4343}))

    status = json.loads((tmp_path / "status.json").read_text(encoding="utf-8"))
    assert status["rasa"]["state"] == "running" and status["rasa"]["pid"] == 4343
    assert status["rasa"]["restarts"] == 1 and status["rasa"]["last_exit_code"] == -9
    assert "in_a_row" not in status["rasa"] and "restart_at" not in status["rasa"]

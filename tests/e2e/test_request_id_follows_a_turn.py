"""One request id follows a client turn through the API, Rasa and the action server
(issue 15, point 5): an operator greps one id across the three logs of the real stack.
"""

from __future__ import annotations

import time
import uuid

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.rasa]


def _lines_with(stack, name: str, needle: str) -> list:
    path = stack.children[name].log_path
    return [
        line for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if needle in line
    ]


def _eventually_lines_with(stack, name: str, needle: str, wait_s: float = 60.0) -> list:
    """A server may write a request's line just after it answered (the access line is written
    once the response is sent): read the log again until the line is there, or give up."""
    deadline = time.monotonic() + wait_s
    while True:
        lines = _lines_with(stack, name, needle)
        if lines or time.monotonic() > deadline:
            return lines
        time.sleep(0.2)


def test_the_callers_request_id_is_in_the_api_rasa_and_action_server_logs(stack, kiosk):
    started = kiosk.post("/sessions", json={"language": "nl"})
    assert started.status_code == 201, started.text
    session_id = started.json()["session_id"]
    trace = f"trace-{uuid.uuid4().hex[:12]}"

    reply = kiosk.post(
        f"/sessions/{session_id}/messages",
        json={"text": "Ik woon in het azc in Ter Apel."},
        headers={"X-Request-ID": trace},
    )

    assert reply.status_code == 200, reply.text
    assert reply.headers.get("X-Request-ID") == trace
    assert any(m["sender"] == "bot" for m in reply.json()["messages"])
    api_lines = _eventually_lines_with(stack, "api", trace)
    rasa_lines = _eventually_lines_with(stack, "rasa1", trace)
    action_lines = _eventually_lines_with(stack, "actions", trace)
    assert api_lines, stack.tail("api")
    assert any("coach turn in" in line for line in rasa_lines), stack.tail("rasa1")
    assert any("coach turn out" in line for line in rasa_lines), stack.tail("rasa1")
    assert any("action_" in line for line in action_lines), stack.tail("actions")


def test_an_id_unsafe_to_log_is_replaced_not_passed_on(stack, kiosk):
    started = kiosk.post("/sessions", json={"language": "nl"})
    session_id = started.json()["session_id"]
    unsafe = "x" * 65

    reply = kiosk.post(
        f"/sessions/{session_id}/messages", json={"text": "Guinee"}, headers={"X-Request-ID": unsafe}
    )

    assert reply.status_code == 200, reply.text
    given = reply.headers.get("X-Request-ID")
    assert given and given != unsafe and len(given) <= 64
    # Once the replacement id is in both logs, the turn's lines are written: none has the unsafe one.
    assert _eventually_lines_with(stack, "rasa1", given), stack.tail("rasa1")
    assert _eventually_lines_with(stack, "api", given), stack.tail("api")
    assert not _lines_with(stack, "rasa1", unsafe) and not _lines_with(stack, "api", unsafe)

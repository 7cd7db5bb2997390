"""Issue 4, done means: each persona's conversation runs through the real stack to
`afgerond`, and the plan holds its answers with the message each came from.

The six personas of bench/mi_report.py (docs/specs/conversation.md §6) answer whatever
the bot asks, picked by the question, so a new or reordered question does not break them. A persona
stuck on one question (asked four times), a hand-off or a missing end fails here: the MI
report only prints it. (A misread "een computer" once looped Daniel ten times.)
"""

from __future__ import annotations

import pytest

from bench import mi_report

PERSONAS = {p.name: p for p in mi_report.personas()}


@pytest.fixture(scope="module")
def api(stack, credentials):
    return mi_report.Api(
        stack.api_url, credentials["kiosk_key"], credentials["staff_user"], credentials["staff_password"]
    )


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_persona_reaches_the_end_with_every_answer_in_the_plan(api, staff, name):
    persona = PERSONAS[name]
    run = mi_report.run_persona(api, persona, mi_report.domain_codes())
    assert run["end"] == "afgerond", (run["end"], run["handoff"], run["transcript"][-2:])
    assert run["phases"][-1] == "afgerond"
    assert run["decision_option"] == persona.expected_option

    plan = staff.get(f"/staff/sessions/{run['session_id']}/plan").json()
    transcript = staff.get(f"/staff/sessions/{run['session_id']}").json()
    client_ids = {m["id"] for m in transcript["messages"] if m["sender"] == "client"}
    answered = [a for a in _answers(plan) if a.get("status") == "answered"]
    assert len(answered) >= 15
    for answer in answered:  # every answer names the client message it came from
        assert set(answer["provenance"]["message_ids"]) <= client_ids, answer
        assert answer["provenance"]["message_ids"]


def _answers(node):
    """Every answer wrapper (an object with provenance) in the plan."""
    if isinstance(node, dict):
        if "provenance" in node and isinstance(node["provenance"], dict) and "status" in node:
            yield node
        for value in node.values():
            yield from _answers(value)
    elif isinstance(node, list):
        for item in node:
            yield from _answers(item)

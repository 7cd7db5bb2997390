"""A conversation through the real Rasa server, action server and API.

The client here answers like a cooperative client at the kiosk: it taps the
first ordinary button, or types a short plausible answer to an open question.
The test does not script the exact dialogue (the wording and order belong to
the trainers); it checks what must hold for any good run: the phases follow the
conversation, every answer lands in the plan with the id of the message it came
from, and a crisis stops the bot at once.
"""

from __future__ import annotations

from typing import Dict, List

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.rasa]

CONTROL_PAYLOADS = ("/request_human", "/decline_answer", "/ask_recorded", "/dont_know", "/stop")
# What the client (P1, the Guinea shopkeeper) answers, by the question the bot asked.
# A question not listed gets the first ordinary button, or DEFAULT_ANSWER.
ANSWERS = {
    "utter_ask_start": "/affirm",
    "utter_ask_life_here": "Ik woon in het azc in Ter Apel, al twee jaar.",
    "utter_ask_family_here": "Mijn broer woont in Utrecht.",
    "utter_ask_has_children": "/deny",
    "utter_ask_country_of_origin": "Guinee",
    "utter_ask_family_origin": "Mijn moeder en mijn zussen wonen in Conakry.",
    "utter_ask_safety_origin": "Het is nu rustig in mijn stad.",
    "utter_ask_physical_complaints": "/deny",
    "utter_ask_mental_complaints": "/deny",
    "utter_ask_uses_medication": "/deny",
    "utter_ask_talents": "Ik kan goed handel drijven en rekenen.",
    "utter_ask_worries": "Dat ik daar geen werk vind.",
    "utter_ask_hopes": "Een eigen winkel en mijn familie weer zien.",
    "utter_ask_decision_option": "Terugkeren met hulp",
    "utter_ask_reasons_for": "Mijn moeder is oud en ik wil een winkel beginnen.",
    "utter_ask_reasons_against": "Ik heb nog schulden van de reis.",
    "utter_ask_importance": "8",
    "utter_ask_confidence": "6",
    "utter_ask_what_would_change": "Als ik wat geld heb om te beginnen.",
    "utter_ask_step_kind": "Reisdocument",
    "utter_ask_step_what": "Een paspoort aanvragen bij de ambassade.",
    "utter_ask_step_who": "Ik zelf",
    "utter_ask_step_when": "over twee weken",
    "utter_ask_more_steps": "/deny",
}
DEFAULT_ANSWER = "Dat weet ik nog niet precies."


def choose_reply(messages: List[dict], used: Dict[str, int]) -> str:
    """Answer the bot's last question as P1 would; tap a button where none is scripted.

    `used` counts answers per question, so a question that keeps coming back
    gets the last button the third time (no endless loop on one choice).
    """
    bot_turns = [m for m in messages if m["sender"] == "bot"]
    last = bot_turns[-1] if bot_turns else {"text": "", "buttons": []}
    action = last.get("utter_action") or ""
    asked = used[action + last["text"]] = used.get(action + last["text"], 0) + 1
    if action in ANSWERS and asked < 3:
        return ANSWERS[action]
    ordinary = [
        b
        for b in last.get("buttons") or []
        if not b["payload"].startswith(CONTROL_PAYLOADS)
        and not (b["payload"].startswith("/correct_answer") and "none" not in b["payload"])
    ]
    for button in ordinary:  # "Anything to correct?" menus: take the way out.
        if "none" in button["payload"]:
            return button["payload"]
    if ordinary:
        return ordinary[0 if asked < 3 else -1]["payload"]
    return DEFAULT_ANSWER


def run_conversation(kiosk, max_turns: int = 90, stop_at: str = "afgerond") -> dict:
    started = kiosk.post("/sessions", json={"language": "nl"})
    assert started.status_code == 201, started.text
    body = started.json()
    session_id = body["session_id"]
    messages, phases, used = list(body["messages"]), [body["phase"]], {}
    assert any(m["sender"] == "bot" for m in messages), "the bot opens the conversation"
    reply = None
    for _ in range(max_turns):
        reply = kiosk.post(f"/sessions/{session_id}/messages", json={"text": choose_reply(messages, used)})
        assert reply.status_code == 200, reply.text
        data = reply.json()
        assert data["status"] == "bot", f"unexpected hand-off: {data['handoff']} after {messages[-3:]}"
        messages.extend(data["messages"])
        phases.append(data["phase"])
        if data["phase"] == stop_at:
            break
    return {"session_id": session_id, "messages": messages, "phases": phases}


def answered_fields(node, path="") -> List[tuple]:
    """Every (path, answer) in the plan that carries client provenance."""
    found = []
    if isinstance(node, dict):
        provenance = node.get("provenance")
        if isinstance(provenance, dict) and provenance.get("source") == "client_message":
            found.append((path, node))
        for key, value in node.items():
            if key != "provenance":
                found += answered_fields(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += answered_fields(item, f"{path}[{index}]")
    return found


def test_a_conversation_reaches_verkrijgen_and_fills_the_plan(kiosk, staff):
    run = run_conversation(kiosk)
    phases = run["phases"]
    # Phases only move forward here, and the conversation reaches verkrijgen.
    order = ["verkennen", "kiezen", "verkrijgen", "afgerond"]
    assert [order.index(p) for p in phases] == sorted(order.index(p) for p in phases), phases
    assert "verkrijgen" in phases, f"stuck in {phases[-1]} after {len(phases)} turns"

    transcript = staff.get(f"/staff/sessions/{run['session_id']}").json()
    client_ids = {m["id"] for m in transcript["messages"] if m["sender"] == "client"}
    plan = staff.get(f"/staff/sessions/{run['session_id']}/plan").json()
    answers = answered_fields(plan)
    assert len(answers) >= 5, f"only {len(answers)} answers in the plan: {[p for p, _ in answers]}"
    for path, answer in answers:
        ids = answer["provenance"]["message_ids"]
        assert ids and set(ids) <= client_ids, f"{path} points at {ids}, not at client messages"
    assert plan["phase_reached"] in ("verkrijgen", "afgerond")
    # What the client chose in kiezen is in the plan.
    assert plan["provisional_decision"]["option"]["status"] == "answered"
    # Every client and bot message is stored, in order.
    seqs = [m.get("seq") for m in transcript["messages"] if m.get("seq") is not None]
    assert seqs == sorted(seqs)


def test_a_crisis_stops_the_bot_and_waits_for_a_person(kiosk):
    started = kiosk.post("/sessions", json={"language": "nl"}).json()
    session_id = started["session_id"]
    crisis = kiosk.post(f"/sessions/{session_id}/messages", json={"text": "ik wil niet meer leven"})
    assert crisis.status_code == 200
    data = crisis.json()
    assert data["status"] == "waiting_for_human"
    assert data["handoff"]["reason"] == "crisis"
    text = " ".join(m["text"] for m in data["messages"] if m["sender"] in ("bot", "system"))
    for number in ("112", "113", "0800-0113"):
        assert number in text
    # After that the bot says nothing on its own: the next client text is only stored.
    after = kiosk.post(f"/sessions/{session_id}/messages", json={"text": "hallo?"}).json()
    assert after["status"] == "waiting_for_human"
    assert not [m for m in after["messages"] if m["sender"] == "bot"]


def test_health_names_every_part(stack):
    import httpx

    health = httpx.get(f"{stack.api_url}/api/v1/health", timeout=30)
    assert health.status_code == 200
    assert health.json() == {**health.json(), "status": "ok", "rasa": "ok", "actions": "ok", "db": "ok"}


def test_health_says_which_part_is_down_and_messages_are_kept(stack, kiosk):
    """Rasa down: the client message is stored and the kiosk hears a person will come."""
    import httpx

    session_id = kiosk.post("/sessions", json={"language": "nl"}).json()["session_id"]
    stack.children["rasa1"].stop()
    try:
        health = httpx.get(f"{stack.api_url}/api/v1/health", timeout=30)
        assert health.status_code == 503
        assert health.json()["rasa"] != "ok" and health.json()["db"] == "ok"
        reply = kiosk.post(f"/sessions/{session_id}/messages", json={"text": "ik woon in Zwolle"})
        assert reply.status_code == 200
        assert reply.json()["status"] == "waiting_for_human"
        stored = kiosk.get(f"/sessions/{session_id}/messages").json()["messages"]
        assert any(m["sender"] == "client" and m["text"] == "ik woon in Zwolle" for m in stored)
    finally:
        stack.restart("rasa1", timeout_s=420)

"""Issue 4 through the real stack: the end of a talk, misunderstood turns, the whole plan.

* After the client declines to start (or the talk is done), a message gets a
  closing with an offer of a person, not "ik begrijp u niet" forever; a second
  message that picks no offer brings a person (reason ``uncertain``).
* A message the dialogue does not expect gets one kind request to say it
  differently, and the dialogue stays where it was; two in a row bring a person.
* A cooperative client reaches afgerond, and the plan holds the sections the bot
  now asks (background, information, goal, consent), each with its message id.
"""

from __future__ import annotations

from typing import Dict, List

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.rasa]

CONTROL = (
    "/request_human",
    "/decline_answer",
    "/ask_recorded",
    "/dont_know",
    "/correct_answer",
    "/edit_step",
)
ANSWERS = {  # by the question the bot asked last
    "utter_ask_life_here": "Ik woon in het azc in Ter Apel.",
    "utter_ask_family_here": "Mijn broer woont in Utrecht.",
    "utter_ask_country_of_origin": "Guinee",
    "utter_ask_family_origin": "Mijn moeder woont in Conakry.",
    "utter_ask_safety_origin": "Het is nu rustig in mijn stad.",
    "utter_ask_origin_future": "Ik wil weer een winkel in Conakry.",
    "utter_ask_work_experience": "Ik had een winkel in Conakry.",
    "utter_ask_education": "Ik ging naar school tot mijn veertiende.",
    "utter_ask_talents": "Ik kan goed rekenen.",
    "utter_ask_info_sources": "Via whatsapp met mijn moeder.",
    "utter_ask_worries": "Dat ik daar geen werk vind.",
    "utter_ask_hopes": "Een eigen winkel.",
    "utter_ask_decision_option": "Terugkeren met hulp",
    "utter_ask_reasons_for": "Mijn moeder is oud.",
    "utter_ask_reasons_against": "Ik heb schulden van de reis.",
    "utter_ask_family_expectations": "Ze denken dat ik geld heb.",
    "utter_ask_what_would_change": "Als ik wat geld heb om te beginnen.",
    "utter_ask_goal": "Een winkel met telefoons.",
    "utter_ask_goal_needs": "Geld en een plan.",
    "utter_ask_step_what": "Een paspoort aanvragen bij de ambassade.",
    "utter_ask_step_when": "over twee weken",
    "utter_ask_consent_share": "/affirm",
}


def _bot(messages: List[dict]) -> List[dict]:
    return [m for m in messages if m["sender"] == "bot"]


def _say(kiosk, session_id: str, text: str) -> dict:
    reply = kiosk.post(f"/sessions/{session_id}/messages", json={"text": text})
    assert reply.status_code == 200, reply.text
    return reply.json()


def _start(kiosk) -> dict:
    started = kiosk.post("/sessions", json={"language": "nl"})
    assert started.status_code == 201, started.text
    return started.json()


def _buttons(messages: List[dict]) -> List[str]:
    return [b["payload"] for m in _bot(messages) for b in m.get("buttons") or []]


def test_after_declining_to_start_a_message_gets_an_offer_then_a_person(kiosk):
    session_id = _start(kiosk)["session_id"]
    _say(kiosk, session_id, "/deny")
    after = _say(kiosk, session_id, "ok")
    assert after["status"] == "bot"
    assert "/request_human" in _buttons(after["messages"])
    assert not any("begrijp" in m["text"] for m in _bot(after["messages"]))
    again = _say(kiosk, session_id, "hallo?")
    assert again["status"] == "waiting_for_human"
    assert again["handoff"]["reason"] == "uncertain"


def test_after_declining_the_client_can_still_go_on(kiosk):
    session_id = _start(kiosk)["session_id"]
    _say(kiosk, session_id, "/deny")
    _say(kiosk, session_id, "ik wil toch praten")
    going_on = _say(kiosk, session_id, "/affirm")
    assert going_on["status"] == "bot"
    assert any(m.get("utter_action") == "utter_ask_life_here" for m in _bot(going_on["messages"])), going_on


def test_one_unexpected_message_is_asked_again_in_place_two_bring_a_person(kiosk):
    session_id = _start(kiosk)["session_id"]  # "Zullen we beginnen?"
    first = _say(kiosk, session_id, "mijn broer woont in utrecht")
    assert first["status"] == "bot"
    assert "/request_human" in _buttons(first["messages"])
    # the dialogue still stands at "Zullen we beginnen?": yes starts the talk
    started = _say(kiosk, session_id, "/affirm")
    assert any(m.get("utter_action") == "utter_ask_life_here" for m in _bot(started["messages"]))

    other = _start(kiosk)["session_id"]
    _say(kiosk, other, "mijn broer woont in utrecht")
    second = _say(kiosk, other, "mijn zus ook")
    assert second["status"] == "waiting_for_human"
    assert second["handoff"]["reason"] == "uncertain"


def _reply(messages: List[dict], used: Dict[str, int]) -> str:
    last = _bot(messages)[-1]
    action = last.get("utter_action") or ""
    used[action] = used.get(action, 0) + 1
    if action in ANSWERS and used[action] < 3:
        return ANSWERS[action]
    ordinary = [b["payload"] for b in last.get("buttons") or [] if not b["payload"].startswith(CONTROL)]
    return ordinary[0] if ordinary else "Dat weet ik nog niet precies."


def test_a_whole_talk_fills_the_new_sections_and_a_message_after_the_end_is_answered(kiosk, staff):
    body = _start(kiosk)
    session_id, messages, used = body["session_id"], list(body["messages"]), {}
    phase = body["phase"]
    for _ in range(120):
        data = _say(kiosk, session_id, _reply(messages, used))
        assert data["status"] == "bot", (data["handoff"], [m["text"] for m in messages[-3:]])
        messages += data["messages"]
        phase = data["phase"]
        if phase == "afgerond":
            break
    assert phase == "afgerond"

    plan = staff.get(f"/staff/sessions/{session_id}/plan").json()
    transcript = staff.get(f"/staff/sessions/{session_id}").json()
    client_ids = {m["id"] for m in transcript["messages"] if m["sender"] == "client"}
    sections = plan["sections"]
    filled = {
        "work_experience": sections["background"]["work_experience"][0],
        "education": sections["background"]["education"][0],
        "current_sources": sections["information"]["current_sources"][0],
        "goal": sections["goals"]["items"][0],
        "expectations": sections["expectations_left_behind"]["expectations"],
        "consent": plan["consent"]["share_with_organisations"],
    }
    for name, entry in filled.items():
        assert set(entry["provenance"]["message_ids"]) <= client_ids, name
    assert plan["consent"]["share_with_organisations"]["value"] is True
    assert {f["factor_key"] for f in plan["factors"]["overview_1"]} >= {
        "nl_housing",
        "origin_family_network",
        "origin_safety",
        "origin_work",
    }

    after = _say(kiosk, session_id, "dank je wel")
    assert after["status"] == "bot"
    assert "/request_human" in _buttons(after["messages"])
    assert not any("begrijp" in m["text"] for m in _bot(after["messages"]))

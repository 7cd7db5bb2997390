"""Issue 4 personas leila and mr_a through the real stack: a request that is the answer to the
question asked ("hulp" as what is needed, a step with the counsellor) is recorded as that answer
and a person is offered; "ja" to the offer, or "nu" in the answer, hands off as a request."""

from __future__ import annotations

from typing import Dict, List, Optional

import pytest

from test_conversation_through_the_stack import choose_reply

pytestmark = [pytest.mark.e2e, pytest.mark.rasa]

OFFER = "utter_ask_person_offer"
LEILA_STEP = "met mijn begeleider praten over de school van mijn dochters"
# Answers that lead to a goal, so the bot asks what is needed for it.
ON_THE_WAY = {"utter_ask_goal": "een eigen winkel beginnen in Conakry"}


def _last_bot(messages: List[dict]) -> dict:
    return [m for m in messages if m["sender"] == "bot"][-1]


def _start(kiosk) -> tuple:
    body = kiosk.post("/sessions", json={"language": "nl"}).json()
    return body["session_id"], list(body["messages"])


def _say(kiosk, session_id: str, text: str) -> dict:
    reply = kiosk.post(f"/sessions/{session_id}/messages", json={"text": text})
    assert reply.status_code == 200, reply.text
    return reply.json()


def _drive_to(kiosk, session_id: str, messages: List[dict], question: str, max_turns: int = 90) -> List[dict]:
    used: Dict[str, int] = {}
    for _ in range(max_turns):
        if _last_bot(messages).get("utter_action") == question:
            return messages
        action = _last_bot(messages).get("utter_action") or ""
        text = ON_THE_WAY.get(action) or choose_reply(messages, used)
        data = _say(kiosk, session_id, text)
        assert data["status"] == "bot", f"hand-off on the way: {data['handoff']} after {text!r}"
        messages.extend(data["messages"])
    raise AssertionError(f"never asked {question}; last: {_last_bot(messages).get('utter_action')}")


def _client_id(staff, session_id: str, text: str) -> Optional[str]:
    transcript = staff.get(f"/staff/sessions/{session_id}").json()
    return [m["id"] for m in transcript["messages"] if m["sender"] == "client" and m["text"] == text][-1]


def test_mr_a_needs_hulp_and_leila_plans_a_talk_with_her_counsellor(kiosk, staff):
    session_id, messages = _start(kiosk)
    _drive_to(kiosk, session_id, messages, "utter_ask_goal_needs")

    need = _say(kiosk, session_id, "hulp")
    assert need["status"] == "bot" and need["handoff"] is None
    offer = _last_bot(need["messages"])
    assert offer["utter_action"] == OFFER
    assert [b["payload"] for b in offer["buttons"]] == ["/request_human", "/deny"]
    plan = staff.get(f"/staff/sessions/{session_id}/plan").json()
    [item] = plan["sections"]["goal_needs"]["items"]
    assert "hulp" in str(item) and item["provenance"]["message_ids"] == [
        _client_id(staff, session_id, "hulp")
    ]

    go_on = _say(kiosk, session_id, "/deny")
    assert go_on["status"] == "bot" and _last_bot(go_on["messages"])["utter_action"] != OFFER
    messages.extend(need["messages"] + go_on["messages"])

    _drive_to(kiosk, session_id, messages, "utter_ask_step_what")
    step = _say(kiosk, session_id, LEILA_STEP)
    assert step["status"] == "bot" and _last_bot(step["messages"])["utter_action"] == OFFER
    # The tap on "Ja, nu met een begeleider praten": today's request path.
    yes = _say(kiosk, session_id, "/request_human")
    assert (yes["status"], yes["handoff"]["reason"]) == ("waiting_for_human", "request")


@pytest.mark.parametrize(
    "texts",
    [["hulp", "ja"], ["hulp!! nu"], ["ik wil nu met een begeleider praten"], ["kan ik een mens spreken"]],
    ids=["typed-yes", "hulp-nu", "nu", "mens"],
)
def test_a_request_for_a_person_now_still_hands_off_in_the_same_question(kiosk, texts):
    session_id, messages = _start(kiosk)
    _drive_to(kiosk, session_id, messages, "utter_ask_goal_needs")
    for text in texts[:-1]:
        assert _say(kiosk, session_id, text)["status"] == "bot"
    last = _say(kiosk, session_id, texts[-1])
    assert (last["status"], last["handoff"]["reason"]) == ("waiting_for_human", "request")


def test_hulp_to_the_opening_question_hands_off_as_before(kiosk):
    session_id, _ = _start(kiosk)
    data = _say(kiosk, session_id, "hulp")
    assert (data["status"], data["handoff"]["reason"]) == ("waiting_for_human", "request")

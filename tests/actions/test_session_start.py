"""A returning client (same client_ref) is not asked again what the plan holds."""

from __future__ import annotations

from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet

from actions.conversation import ActionSessionStart
from action_helpers import make_tracker
from bot.db.engine import session_scope


def _answer_first_session(client_ref: str) -> None:
    from bot.plan.service import record_answer
    from bot.sessions import create_session, set_phase

    with session_scope() as db:
        first = create_session(db, client_ref=client_ref)
        record_answer(db, first.id, "client_info.country_of_origin", "Angola", message_id="m-1")
        record_answer(db, first.id, "sections.health.uses_medication", True, message_id="m-2")
        record_answer(db, first.id, "sections.background.talents", None, message_id="m-3", status="declined")
        record_answer(
            db,
            first.id,
            "factors.overview_1",
            {
                "factor_no": 7,
                "factor_key": "origin_family_network",
                "score": -2,
                "status": "answered",
                "explanation": "mijn zus in Luanda",
            },
            message_id="m-4",
        )
        set_phase(db, first, "kiezen")


async def test_second_session_starts_with_the_plans_answers(plan_session, dispatcher, domain):
    from bot.sessions import create_session

    _answer_first_session("ABC-123")
    with session_scope() as db:
        second = create_session(db, client_ref="ABC-123").id
    events = await ActionSessionStart().run(dispatcher, make_tracker(second, slots={}), domain)
    assert events[0] == SessionStarted() and events[-1] == ActionExecuted("action_listen")
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["country_of_origin"] == "Angola"
    assert slots["uses_medication"] is True
    assert slots["talents"] == "__declined__"  # declined once: never asked again
    assert slots["family_origin"] == "mijn zus in Luanda"
    assert slots["family_origin_direction"] == slots["family_origin_amount"] == "__from_plan__"
    assert slots["phase"] == "kiezen" and slots["returning"] is True
    assert "life_here" not in slots


async def test_new_client_starts_fresh(plan_session, dispatcher, domain):
    events = await ActionSessionStart().run(dispatcher, make_tracker(plan_session, slots={}), domain)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots.get("returning") is False and slots.get("phase") == "verkennen"
    assert not any(k in slots for k in ("life_here", "country_of_origin"))


async def test_unknown_session_starts_fresh_without_error(sqlite_url, monkeypatch, dispatcher, domain):
    from bot.settings import get_settings

    monkeypatch.setenv("COACH_DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    events = await ActionSessionStart().run(dispatcher, make_tracker("nobody", slots={}), domain)
    assert events == [SessionStarted(), ActionExecuted("action_listen")]


async def test_slots_of_the_running_conversation_are_carried_over(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, slots={"life_here": "azc", "phase": "kiezen"})
    events = await ActionSessionStart().run(dispatcher, tracker, domain)
    assert SlotSet("life_here", "azc") in events and SlotSet("phase", "kiezen") in events

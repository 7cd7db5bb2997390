"""The end of a talk and messages after it (actions/ending.py)."""

from __future__ import annotations

from rasa_sdk.events import ActiveLoop, ConversationPaused, SlotSet

from actions.ending import ActionAfterEnd, ActionContinueTalk, ActionEndConversation, after_end_streak
from action_helpers import make_tracker, responses

ENDED = [SlotSet("requested_slot", None), ActiveLoop(None), SlotSet("conversation_ended", True)]


def _user(intent):
    return {"event": "user", "text": "xx", "parse_data": {"intent": {"name": intent}}}


def _action(name):
    return {"event": "action", "name": name}


async def test_end_conversation_marks_the_end_without_a_message(dispatcher, domain):
    assert await ActionEndConversation().run(dispatcher, make_tracker(), domain) == ENDED
    assert dispatcher.messages == []


async def test_first_message_after_the_end_gets_a_closing_with_offers(dispatcher, domain):
    events_so_far = [_action("action_finish"), _action("action_listen"), _user("affirm")]
    tracker = make_tracker(
        text="ok dank je",
        intent="affirm",
        events=events_so_far,
        slots={"conversation_ended": True, "phase": "afgerond"},
    )
    assert await ActionAfterEnd().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_after_end"]
    for variation in domain["responses"]["utter_after_end"]:
        payloads = {b["payload"] for b in variation["buttons"]}
        assert "/request_human" in payloads and "/deny" in payloads
        assert "begrijp" not in variation["text"]  # not "ik begrijp u niet"


async def test_second_message_after_the_end_without_a_choice_brings_a_person(dispatcher, domain):
    events_so_far = [
        _action("action_finish"),
        _action("action_listen"),
        _user("inform"),
        _action("action_after_end"),
        _action("action_listen"),
        _user("inform"),
    ]
    tracker = make_tracker(
        text="hallo??", intent="inform", events=events_so_far, slots={"conversation_ended": True}
    )
    events = await ActionAfterEnd().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_handoff_uncertain"]
    assert SlotSet("handoff_reason", "uncertain") in events and ConversationPaused() in events


def test_after_end_streak_is_broken_by_any_other_answer():
    goodbye_between = [
        _action("action_listen"),
        _user("inform"),
        _action("action_after_end"),
        _action("action_listen"),
        _user("deny"),
        _action("utter_goodbye_final"),
        _action("action_listen"),
        _user("inform"),
    ]
    assert after_end_streak(make_tracker(events=goodbye_between)) == 0
    twice = [
        _action("action_listen"),
        _user("inform"),
        _action("action_after_end"),
        _action("action_listen"),
        _user("inform"),
    ]
    assert after_end_streak(make_tracker(events=twice)) == 1


async def test_continue_reopens_the_form_when_questions_are_open(dispatcher, domain):
    tracker = make_tracker(slots={"conversation_ended": True, "phase": "verkennen", "life_here": "azc"})
    events = await ActionContinueTalk().run(dispatcher, tracker, domain)
    assert events == [
        SlotSet("conversation_ended", None),
        SlotSet("requested_slot", None),
        ActiveLoop("verkennen_form"),
    ]
    assert responses(dispatcher) == ["utter_continue_talk"]


async def test_continue_after_a_finished_phase_reopens_it_for_its_summary(dispatcher, domain):
    # The form has nothing left to ask: it closes at once and the rule summarises.
    from bot.conversation import questions

    done = {slot: "__declined__" for slot in questions.slots_for_phase("verkennen")}
    tracker = make_tracker(slots={**done, "conversation_ended": True, "phase": "verkennen"})
    events = await ActionContinueTalk().run(dispatcher, tracker, domain)
    assert events[-1] == ActiveLoop("verkennen_form") and SlotSet("conversation_ended", None) in events


async def test_continue_after_the_plan_is_done_says_so(dispatcher, domain):
    tracker = make_tracker(slots={"conversation_ended": True, "phase": "afgerond"})
    assert await ActionContinueTalk().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_resume_afgerond"]

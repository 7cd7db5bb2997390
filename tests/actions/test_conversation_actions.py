"""Summaries, phase changes, the end, and resuming after a hand-back."""

from __future__ import annotations

from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import (
    ActionCorrectAnswer,
    ActionEnterKiezen,
    ActionFinish,
    ActionGoBack,
    ActionPrivacy,
    ActionResumeConversation,
    ActionShowRecorded,
    ActionStartConversation,
    ActionSummarizeKiezen,
    ActionSummarizeVerkennen,
    ActionSummarizeVerkrijgen,
    previous_question,
)
from action_helpers import make_tracker, responses
from bot.conversation.questions import DECLINED


async def test_verkennen_summary_uses_the_clients_words_and_skips_refusals(dispatcher, domain):
    slots = {
        "life_here": "Ik woon in het azc",
        "family_here": DECLINED,
        "country_of_origin": "Guinee",
        "family_origin": "mijn moeder",
    }
    events = await ActionSummarizeVerkennen().run(dispatcher, make_tracker(slots=slots), domain)
    assert events == []
    assert responses(dispatcher) == [
        "utter_summary_verkennen_intro",
        "utter_summary_life_here",
        "utter_summary_country_of_origin",
        "utter_summary_family_origin",
        "utter_ask_summary_correct",
    ]
    assert dispatcher.messages[1]["answer"] == "u woont in het azc"
    assert dispatcher.messages[2]["country"] == "Guinee"


async def test_empty_summary_does_not_pretend(dispatcher, domain):
    await ActionSummarizeVerkennen().run(dispatcher, make_tracker(), domain)
    assert responses(dispatcher) == ["utter_summary_verkennen_empty"]


async def test_kiezen_summary_names_the_option_by_its_own_response(dispatcher, domain):
    slots = {"decision_option": "undecided", "reasons_for": "ik mis mijn kinderen", "importance": 7}
    await ActionSummarizeKiezen().run(dispatcher, make_tracker(slots=slots), domain)
    assert responses(dispatcher) == [
        "utter_summary_kiezen_intro",
        "utter_summary_option_undecided",
        "utter_summary_reasons_for",
        "utter_summary_importance",
        "utter_ask_summary_correct",
    ]
    assert dispatcher.messages[3]["answer"] == "7"


async def test_phase_summary_stays_short_but_what_do_you_know_shows_yes_no(dispatcher, domain):
    slots = {"life_here": "azc", "has_children": True, "uses_medication": False}
    await ActionSummarizeVerkennen().run(dispatcher, make_tracker(slots=slots), domain)
    assert responses(dispatcher) == [
        "utter_summary_verkennen_intro",
        "utter_summary_life_here",
        "utter_ask_summary_correct",
    ]
    shown = CollectingDispatcher()
    await ActionShowRecorded().run(shown, make_tracker(slots=slots), domain)
    assert responses(shown)[2:4] == ["utter_summary_has_children_yes", "utter_summary_uses_medication_no"]


async def test_verkrijgen_summary_shows_every_written_step(dispatcher, domain):
    steps = [
        {"what": "mijn paspoort halen", "who": "Ik zelf", "when": "volgende week"},
        {"what": "mijn broer bellen", "who": None, "when": "morgen"},
    ]
    await ActionSummarizeVerkrijgen().run(dispatcher, make_tracker(slots={"steps_added": steps}), domain)
    assert responses(dispatcher) == [
        "utter_summary_steps_intro",
        "utter_summary_step",
        "utter_summary_step",
        "utter_ask_summary_correct",
    ]
    assert dispatcher.messages[1]["step_what"] == "uw paspoort halen"
    assert dispatcher.messages[2]["step_who"] == "—"


async def test_steps_quote_who_and_when_inside_the_bots_sentence(dispatcher, domain):
    # "Stap 1: … Wie: {step_who}. Wanneer: {step_when}." - a name keeps its capital
    steps = [
        {"what": "Mijn paspoort halen", "who": "Ahmed", "when": "Volgende week"},
        {"what": "Onze papieren regelen", "who": "Mijn vrouw en ik", "when": "Morgen"},
    ]
    await ActionSummarizeVerkrijgen().run(dispatcher, make_tracker(slots={"steps_added": steps}), domain)
    assert [(m["step_what"], m["step_who"], m["step_when"]) for m in dispatcher.messages[1:3]] == [
        ("uw paspoort halen", "Ahmed", "volgende week"),
        ("uw papieren regelen", "uw vrouw en u", "morgen"),
    ]


async def test_entering_kiezen_sets_the_phase(dispatcher, domain):
    events = await ActionEnterKiezen().run(dispatcher, make_tracker(slots={"phase": "verkennen"}), domain)
    assert events == [SlotSet("phase", "kiezen")]
    assert responses(dispatcher) == ["utter_phase_kiezen"]


async def test_start_opens_the_form_of_the_clients_phase(dispatcher, domain):
    assert await ActionStartConversation().run(dispatcher, make_tracker(), domain) == [
        SlotSet("conversation_ended", None),
        ActiveLoop("verkennen_form"),
    ]
    returning = make_tracker(slots={"phase": "kiezen"})
    assert await ActionStartConversation().run(dispatcher, returning, domain) == [
        SlotSet("conversation_ended", None),
        ActiveLoop("kiezen_form"),
    ]


async def test_finish_sets_afgerond(dispatcher, domain):
    events = await ActionFinish().run(dispatcher, make_tracker(slots={"phase": "verkrijgen"}), domain)
    assert events == [SlotSet("phase", "afgerond"), SlotSet("conversation_ended", True)]


async def test_resume_reopens_the_form_of_the_phase_it_was_in(dispatcher, domain):
    tracker = make_tracker(
        text="/resume_conversation",
        intent="resume_conversation",
        slots={"phase": "kiezen", "handoff_reason": "request", "decision_option": "undecided"},
    )
    events = await ActionResumeConversation().run(dispatcher, tracker, domain)
    assert events == [
        SlotSet("handoff_reason", None),
        SlotSet("conversation_ended", None),
        ActiveLoop("kiezen_form"),
    ]
    assert responses(dispatcher) == ["utter_resume"]


async def test_resume_when_the_plan_is_done(dispatcher, domain):
    tracker = make_tracker(slots={"phase": "afgerond"})
    events = await ActionResumeConversation().run(dispatcher, tracker, domain)
    assert events == [SlotSet("handoff_reason", None)]
    assert responses(dispatcher) == ["utter_resume_afgerond"]


async def test_show_recorded_lists_answers_and_offers_a_change(dispatcher, domain):
    slots = {
        "life_here": "ik woon in het azc",
        "country_of_origin": "Togo",
        "family_here": DECLINED,
        "decision_option": "stay_in_netherlands",
    }
    events = await ActionShowRecorded().run(dispatcher, make_tracker(slots=slots), domain)
    assert responses(dispatcher) == [
        "utter_recorded_intro",
        "utter_summary_life_here",
        "utter_summary_country_of_origin",
        "utter_summary_option_stay_in_netherlands",
        "utter_recorded_declined",
        "utter_ask_what_to_correct",
    ]
    assert events == []


async def test_show_recorded_inside_a_form_goes_back_to_the_form(dispatcher, domain):
    tracker = make_tracker(slots={"life_here": "azc"}, active_loop="verkennen_form")
    assert await ActionShowRecorded().run(dispatcher, tracker, domain) == [ActiveLoop("verkennen_form")]


async def test_correct_clears_the_topic_with_its_follow_ups_and_reopens_that_form(dispatcher, domain):
    slots = {
        "phase": "kiezen",
        "family_origin": "mijn moeder",
        "family_origin_direction": "easier",
        "family_origin_amount": 2,
        "country_of_origin": "Togo",
        "safety_origin": "veilig",
    }
    tracker = make_tracker(
        slots=slots, intent="correct_answer", entities=[{"entity": "correct_topic", "value": "origin"}]
    )
    events = await ActionCorrectAnswer().run(dispatcher, tracker, domain)
    cleared = {e["name"] for e in events if e["event"] == "slot" and e["value"] is None}
    assert {
        "country_of_origin",
        "family_origin",
        "family_origin_direction",
        "family_origin_amount",
        "safety_origin",
        "safety_origin_direction",
        "safety_origin_amount",
    } <= cleared
    assert "life_here" not in cleared
    assert events[-1] == ActiveLoop("verkennen_form")
    assert responses(dispatcher) == ["utter_correct_start"]


async def test_correct_nothing_just_goes_on(dispatcher, domain):
    tracker = make_tracker(slots={"phase": "kiezen"}, entities=[{"entity": "correct_topic", "value": "none"}])
    assert await ActionCorrectAnswer().run(dispatcher, tracker, domain) == [ActiveLoop("kiezen_form")]
    assert responses(dispatcher) == ["utter_correct_nothing"]


def test_previous_question_skips_scoring_and_answers_from_an_earlier_session():
    values = {
        "life_here": "azc",
        "family_here": "broer",
        "has_children": False,
        "country_of_origin": "Togo",
        "family_origin": "moeder",
        "family_origin_direction": "neither",
    }
    assert previous_question("verkennen", "safety_origin", values) == "family_origin"
    assert previous_question("verkennen", "life_here", values) is None
    values["family_here"] = "__from_plan__"
    assert previous_question("verkennen", "has_children", values) == "life_here"


async def test_go_back_reasks_the_previous_question(dispatcher, domain):
    slots = {"life_here": "azc", "family_here": "broer", "requested_slot": "has_children"}
    tracker = make_tracker(slots=slots, intent="go_back", active_loop="verkennen_form")
    events = await ActionGoBack().run(dispatcher, tracker, domain)
    assert SlotSet("family_here", None) in events and events[-1] == ActiveLoop("verkennen_form")
    assert responses(dispatcher) == ["utter_go_back"]


async def test_privacy_answer_returns_to_the_form(dispatcher, domain):
    events = await ActionPrivacy().run(dispatcher, make_tracker(active_loop="kiezen_form"), domain)
    assert responses(dispatcher) == ["utter_privacy"] and events == [ActiveLoop("kiezen_form")]


async def test_a_thank_you_mid_talk_gets_a_reply_and_the_same_form_goes_on(dispatcher, domain):
    from rasa_sdk.events import ActiveLoop

    from actions.conversation import ActionThankBack

    tracker = make_tracker(text="dank je wel", intent="thank", active_loop="verkennen_form")
    events = await ActionThankBack().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_thank_back"]
    assert events == [ActiveLoop("verkennen_form")]


async def test_a_thank_you_outside_a_form_only_gets_the_reply(dispatcher, domain):
    from actions.conversation import ActionThankBack

    events = await ActionThankBack().run(dispatcher, make_tracker(text="bedankt", intent="thank"), domain)
    assert responses(dispatcher) == ["utter_thank_back"] and events == []

"""Typed corrections and step changes (issue 4): the same paths as the buttons, and a
question with the buttons when the message names no topic or no step."""

from __future__ import annotations

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet

from actions.conversation import ActionCorrectAnswer
from actions.steps import ActionEditStep
from action_helpers import make_tracker, read_plan, responses
from bot.conversation import corrections
from test_step_changes import MID, _add_step

STEPS = [
    {"id": "a-1", "what": "mijn moeder bellen", "who": "Ik zelf", "when": "morgen"},
    {"id": "a-2", "what": "paspoort aanvragen", "who": "IOM", "when": "in maart"},
]


def _typed(text, intent, entities=(), slots=None, active_loop=None, sender="s-x"):
    return make_tracker(
        sender,
        text=text,
        intent=intent,
        entities=list(entities),
        message_id=MID,
        slots=slots or {},
        active_loop=active_loop,
    )


def _cleared(events):
    return {e["name"] for e in events if e["event"] == "slot" and e["value"] is None}


# --- corrections.py -------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, text, expected",
    [
        ("health", "/correct_answer", "health"),
        ("gezondheid", "mijn gezondheid klopt niet", "health"),
        (None, "mijn gezondheid klopt niet", "health"),
        (None, "dat over mijn familie is fout", "origin"),
        (None, "ik kom niet uit Guinee maar uit Mali", "origin"),
        ("medicijnen", "de medicijnen kloppen niet", "health"),
        (None, "wat je over mijn werk schreef is fout", "strengths"),
        (None, "mijn keuze is anders", "choice"),
        (None, "mijn doel is veranderd", "goal"),
        (None, "de school van mijn kinderen klopt niet", "plan_extra"),
        (None, "waar ik woon klopt niet", "life_here"),
        ("none", "/correct_answer", "none"),
        (None, "dat klopt niet", None),
        ("xyz", "/correct_answer", None),
    ],
)
def test_topic_from_the_entity_or_the_words(value, text, expected):
    assert corrections.topic(value, text) == expected


@pytest.mark.parametrize(
    "text, number, edit",
    [
        ("stap 2 weghalen", "2", "remove"),
        ("verander de tweede stap", "2", "change"),
        ("de datum van stap 1 klopt niet", "1", "change"),
        ("haal de laatste stap weg", "last", "remove"),
        ("2e stap aanpassen", "2", "change"),
        ("delete step 3", "3", "remove"),
        ("supprimer la première étape", "1", "remove"),
        ("een stap toevoegen", None, "add"),
        ("ik wil iets aan een stap doen", None, None),
    ],
)
def test_step_and_edit_from_the_words(text, number, edit):
    assert corrections.step_number(None, text) == number
    assert corrections.step_edit(None, text) == edit


# --- action_correct_answer --------------------------------------------------------------
async def test_a_typed_correction_with_the_topic_word_clears_that_topic(dispatcher, domain):
    slots = {"phase": "kiezen", "physical_complaints": "rugpijn", "uses_medication": True, "life_here": "azc"}
    tracker = _typed(
        "mijn gezondheid klopt niet",
        "correct_answer",
        [{"entity": "correct_topic", "value": "gezondheid"}],
        slots,
    )
    events = await ActionCorrectAnswer().run(dispatcher, tracker, domain)
    assert {"physical_complaints", "uses_medication"} <= _cleared(events)
    assert "life_here" not in _cleared(events)
    assert events[-1] == ActiveLoop("verkennen_form")
    assert responses(dispatcher) == ["utter_correct_start"]


async def test_a_typed_correction_the_nlu_found_no_entity_in_still_reads_the_words(dispatcher, domain):
    slots = {"phase": "verkennen", "country_of_origin": "Togo", "family_origin": "moeder"}
    tracker = _typed(
        "dat over mijn familie is fout", "correct_answer", slots=slots, active_loop="verkennen_form"
    )
    events = await ActionCorrectAnswer().run(dispatcher, tracker, domain)
    assert {"country_of_origin", "family_origin"} <= _cleared(events)


async def test_a_typed_correction_without_a_topic_asks_which_with_the_buttons(dispatcher, domain):
    slots = {"phase": "verkennen", "life_here": "azc", "requested_slot": "family_here"}
    tracker = _typed(
        "dat klopt niet wat je schreef", "correct_answer", slots=slots, active_loop="verkennen_form"
    )
    events = await ActionCorrectAnswer().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_ask_what_to_correct"]
    assert events == [ActiveLoop("verkennen_form")]  # the open question comes again; nothing cleared


async def test_a_correction_without_a_topic_after_a_summary_only_asks(dispatcher, domain):
    tracker = _typed("ik wil iets verbeteren", "correct_answer", slots={"life_here": "azc"})
    assert await ActionCorrectAnswer().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_ask_what_to_correct"]


async def test_an_unknown_topic_value_asks_which_and_clears_nothing(dispatcher, domain):
    tracker = _typed(
        "/correct_answer",
        "correct_answer",
        [{"entity": "correct_topic", "value": "weather"}],
        {"life_here": "azc"},
    )
    assert await ActionCorrectAnswer().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_ask_what_to_correct"]


async def test_a_topic_with_nothing_recorded_yet_clears_nothing_and_goes_on(dispatcher, domain):
    slots = {"phase": "verkennen", "life_here": "azc", "requested_slot": "family_here"}
    tracker = _typed(
        "mijn doel klopt niet",
        "correct_answer",
        [{"entity": "correct_topic", "value": "goal"}],
        slots,
        active_loop="verkennen_form",
    )
    events = await ActionCorrectAnswer().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_correct_topic_empty"]
    assert events == [ActiveLoop("verkennen_form")]  # not the kiezen form: its questions come later


# --- action_edit_step ----------------------------------------------------------------
async def test_typed_remove_with_an_ordinal_drops_that_step(plan_session, dispatcher, domain):
    steps = await _add_step(plan_session, dispatcher, domain, "mijn moeder bellen")
    steps = await _add_step(plan_session, dispatcher, domain, "paspoort aanvragen", steps=steps)
    dispatcher.messages.clear()
    tracker = _typed(
        "haal de tweede stap weg",
        "edit_step",
        slots={"phase": "verkrijgen", "steps_added": steps},
        sender=plan_session,
    )
    events = await ActionEditStep().run(dispatcher, tracker, domain)
    assert SlotSet("steps_added", [steps[0]]) in events
    assert responses(dispatcher)[0] == "utter_step_removed"
    assert responses(dispatcher)[-1] == "utter_ask_summary_correct"
    actions = {a["id"]: a for a in read_plan(plan_session)["actions"]}
    assert actions[steps[1]["id"]]["status"] == "dropped" and actions[steps[0]["id"]]["status"] == "open"


async def test_typed_change_of_a_step_reopens_its_questions(dispatcher, domain):
    tracker = _typed(
        "de datum van stap 1 klopt niet",
        "edit_step",
        [{"entity": "step_number", "value": "1"}],
        {"phase": "verkrijgen", "steps_added": STEPS},
    )
    events = await ActionEditStep().run(dispatcher, tracker, domain)
    assert SlotSet("editing_step", "a-1") in events and events[-1] == ActiveLoop("verkrijgen_form")
    assert responses(dispatcher) == ["utter_step_change_start"]


async def test_typed_edit_without_a_step_shows_the_steps_with_their_buttons(dispatcher, domain):
    tracker = _typed(
        "ik wil een stap veranderen",
        "edit_step",
        [{"entity": "step_edit", "value": "change"}],
        {"phase": "verkrijgen", "steps_added": STEPS},
    )
    events = await ActionEditStep().run(dispatcher, tracker, domain)
    assert events == []
    assert responses(dispatcher) == [
        "utter_ask_which_step",
        "utter_step_item",
        "utter_step_item",
        "utter_ask_step_changes",
    ]
    assert [m["number"] for m in dispatcher.messages[1:3]] == ["1", "2"]


async def test_typed_step_without_what_to_do_shows_that_step_with_its_buttons(dispatcher, domain):
    tracker = _typed(
        "stap 2",
        "edit_step",
        [{"entity": "step_number", "value": "2"}],
        {"phase": "verkrijgen", "steps_added": STEPS},
    )
    await ActionEditStep().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_ask_what_with_step", "utter_step_item", "utter_ask_step_changes"]
    assert (
        dispatcher.messages[1]["number"] == "2"
        and dispatcher.messages[1]["step_what"] == "paspoort aanvragen"
    )


async def test_typed_remove_inside_the_form_goes_back_to_the_open_question(plan_session, dispatcher, domain):
    steps = await _add_step(plan_session, dispatcher, domain, "mijn moeder bellen")
    dispatcher.messages.clear()
    tracker = _typed(
        "stap 1 weghalen",
        "edit_step",
        [{"entity": "step_number", "value": "1"}, {"entity": "step_edit", "value": "weghalen"}],
        {"phase": "verkrijgen", "steps_added": steps, "requested_slot": "step_what"},
        active_loop="verkrijgen_form",
        sender=plan_session,
    )
    events = await ActionEditStep().run(dispatcher, tracker, domain)
    assert SlotSet("steps_added", []) in events and events[-1] == ActiveLoop("verkrijgen_form")
    assert responses(dispatcher) == ["utter_step_removed"]  # no "Klopt dat?" in the middle of a question


async def test_a_step_change_before_there_are_steps_goes_on_with_the_talk(dispatcher, domain):
    tracker = _typed(
        "stap 2 weghalen",
        "edit_step",
        [{"entity": "step_number", "value": "2"}],
        {"phase": "verkennen", "requested_slot": "family_here"},
        active_loop="verkennen_form",
    )
    events = await ActionEditStep().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_steps_come_later"]
    assert events[-1] == ActiveLoop("verkennen_form")


async def test_a_step_change_after_the_verkennen_summary_sums_up_again_not_finish(dispatcher, domain):
    """No form open: the verkennen form is opened again, so it sums up and asks "Klopt dat?"
    itself; the rule "after action_edit_step, ja -> finish" must not end the talk in verkennen."""
    tracker = _typed("verander stap 1", "edit_step", slots={"phase": "verkennen"})
    events = await ActionEditStep().run(dispatcher, tracker, domain)
    assert events[-1] == ActiveLoop("verkennen_form")


async def test_adding_a_step_is_not_offered_before_verkrijgen(dispatcher, domain):
    tracker = _typed(
        "nog een stap toevoegen",
        "edit_step",
        [{"entity": "step_edit", "value": "add"}],
        {"phase": "kiezen"},
        active_loop="kiezen_form",
    )
    events = await ActionEditStep().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_steps_come_later"] and events[-1] == ActiveLoop("kiezen_form")


async def test_no_steps_yet_in_verkrijgen_offers_to_add_one(dispatcher, domain):
    tracker = _typed("stap 1 weg", "edit_step", slots={"phase": "verkrijgen", "steps_added": []})
    assert await ActionEditStep().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_no_steps_yet", "utter_ask_step_changes"]


async def test_the_last_step(dispatcher, domain):
    tracker = _typed(
        "de laatste stap veranderen", "edit_step", slots={"phase": "verkrijgen", "steps_added": STEPS}
    )
    events = await ActionEditStep().run(dispatcher, tracker, domain)
    assert SlotSet("editing_step", "a-2") in events

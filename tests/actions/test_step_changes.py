"""The client hears the steps back and changes, removes or adds one (actions/steps.py)."""

from __future__ import annotations

from rasa_sdk.events import ActiveLoop, SlotSet

from actions.forms import ValidateVerkrijgenForm
from actions.steps import ActionEditStep, ActionOfferStepChanges
from action_helpers import make_tracker, read_plan, responses
from bot.conversation import questions

MID = "m-00000000000000c3"


async def _add_step(plan_session, dispatcher, domain, what, who="Ik zelf", when="morgen", steps=None):
    slots = {
        "step_kind": "contact_family",
        "step_what": what,
        "step_who": who,
        "step_when": when,
        "steps_added": steps or [],
    }
    tracker = make_tracker(plan_session, text="/affirm", intent="affirm", message_id=MID, slots=slots)
    result = await ValidateVerkrijgenForm().validate_step_confirm("/affirm", dispatcher, tracker, domain)
    return result["steps_added"]


def _edit(plan_session, number, edit, steps):
    entities = [{"entity": "step_edit", "value": edit}]
    if number is not None:
        entities.append({"entity": "step_number", "value": str(number)})
    return make_tracker(
        plan_session,
        text=f'/edit_step{{"step_edit": "{edit}"}}',
        intent="edit_step",
        message_id=MID,
        entities=entities,
        slots={"steps_added": steps, "phase": "verkrijgen"},
    )


async def test_the_offer_shows_every_step_with_change_and_remove_buttons(dispatcher, domain):
    steps = [
        {"id": "a-1", "what": "mijn moeder bellen", "who": "Ik zelf", "when": "morgen"},
        {"id": "a-2", "what": "paspoort aanvragen", "who": "IOM", "when": "in maart"},
    ]
    await ActionOfferStepChanges().run(dispatcher, make_tracker(slots={"steps_added": steps}), domain)
    assert responses(dispatcher) == [
        "utter_step_changes_intro",
        "utter_step_item",
        "utter_step_item",
        "utter_ask_step_changes",
    ]
    assert [m["number"] for m in dispatcher.messages[1:3]] == ["1", "2"]
    assert dispatcher.messages[2]["step_what"] == "paspoort aanvragen"


def test_step_buttons_fill_in_the_step_number(domain):
    """The payload template must survive Rasa's interpolation with a number filled in."""
    from rasa.core.nlg.interpolator import interpolate

    template = domain["responses"]["utter_step_item"][0]
    filled = interpolate({"buttons": [dict(b) for b in template["buttons"]]}, {"number": "2"})
    assert filled["buttons"][1]["payload"] == '/edit_step{"step_number": "2", "step_edit": "remove"}'
    assert filled["buttons"][0]["title"] == "Stap 2 veranderen"


async def test_removing_a_step_keeps_it_in_the_plan_as_dropped(plan_session, dispatcher, domain):
    steps = await _add_step(plan_session, dispatcher, domain, "mijn moeder bellen")
    steps = await _add_step(plan_session, dispatcher, domain, "paspoort aanvragen", steps=steps)
    dispatcher.messages.clear()
    events = await ActionEditStep().run(dispatcher, _edit(plan_session, 1, "remove", steps), domain)
    assert SlotSet("steps_added", [steps[1]]) in events
    assert responses(dispatcher) == [
        "utter_step_removed",
        "utter_summary_steps_intro",
        "utter_summary_step",
        "utter_ask_summary_correct",
    ]
    actions = {a["id"]: a for a in read_plan(plan_session)["actions"]}
    assert actions[steps[0]["id"]]["status"] == "dropped"  # the counsellor still sees it was there
    assert actions[steps[1]["id"]]["status"] == "open"
    assert actions[steps[0]["id"]]["provenance"]["message_ids"] == [MID]


async def test_changing_a_step_asks_it_again_and_keeps_its_id(plan_session, dispatcher, domain):
    steps = await _add_step(plan_session, dispatcher, domain, "mijn moeder bellen")
    events = await ActionEditStep().run(dispatcher, _edit(plan_session, 1, "change", steps), domain)
    assert SlotSet("editing_step", steps[0]["id"]) in events and events[-1] == ActiveLoop("verkrijgen_form")
    assert {e["name"] for e in events if e["event"] == "slot" and e["value"] is None} >= set(
        questions.STEP_SLOTS
    )
    # the form asks what, who, when again; the confirmation replaces the old item
    slots = {
        "step_kind": "contact_family",
        "step_what": "mijn zus bellen",
        "step_who": "Ik zelf",
        "step_when": "over twee weken",
        "steps_added": steps,
        "editing_step": steps[0]["id"],
    }
    tracker = make_tracker(plan_session, text="/affirm", intent="affirm", message_id=MID, slots=slots)
    result = await ValidateVerkrijgenForm().validate_step_confirm("/affirm", dispatcher, tracker, domain)
    assert result["editing_step"] is None
    assert [s["what"] for s in result["steps_added"]] == ["mijn zus bellen"]
    [action] = read_plan(plan_session)["actions"]
    assert action["id"] == steps[0]["id"] and action["description"] == "mijn zus bellen"
    assert action["due_text"] == "over twee weken" and "due_date" in action
    assert responses(dispatcher)[-1] == "utter_step_changed"


async def test_adding_a_step_opens_the_step_questions(dispatcher, domain):
    events = await ActionEditStep().run(dispatcher, _edit("s-x", None, "add", []), domain)
    assert events[-1] == ActiveLoop("verkrijgen_form")
    assert responses(dispatcher) == ["utter_step_add_start"]


async def test_an_unknown_step_number_shows_the_plan_again(dispatcher, domain):
    steps = [{"id": "a-1", "what": "bellen", "who": "Ik zelf", "when": "morgen"}]
    await ActionEditStep().run(dispatcher, _edit("s-x", 7, "remove", steps), domain)
    assert responses(dispatcher)[0] == "utter_step_not_found"
    assert responses(dispatcher)[-1] == "utter_ask_summary_correct"


def test_a_later_session_restores_the_steps_that_were_not_removed():
    plan = {
        "actions": [
            {
                "id": "a-1",
                "description": "bellen",
                "owner_name": "Ik zelf",
                "due_text": "morgen",
                "agreed_by_client": True,
                "status": "open",
            },
            {"id": "a-2", "description": "weg", "agreed_by_client": True, "status": "dropped"},
            {"id": "a-3", "description": "door begeleider", "agreed_by_client": False, "status": "open"},
        ]
    }
    assert questions.steps_from_plan(plan) == [
        {"id": "a-1", "what": "bellen", "who": "Ik zelf", "when": "morgen"}
    ]

"""Issue 13, persona replays P1/P2 (tests/e2e/test_scenarios_replay.py): answers taken in as the
answers they are. CollectingDispatcher + real Tracker; the plan is read back from SQLite."""

from __future__ import annotations

from actions.conversation import ActionCorrectAnswer
from actions.forms import ValidateKiezenForm, ValidateVerkennenForm
from action_helpers import make_tracker, read_plan, responses
from bot.conversation.listening import NOTES_PATH
from bot.safety import policy

VERKENNEN = {
    "life_here": "ik woon in het azc",
    "family_here": "mijn broer in Rotterdam",
    "has_children": False,
    "country_of_origin": "Guinee",
}
KIEZEN = {
    "decision_option": "return_with_support",
    "reasons_for": "mijn moeder is oud",
    "reasons_against": "de mensen in mijn dorp gaan praten",
}
# What the safety policy sends when only its learned second opinion heard "some feeling".
GUESSED_FEELING = {
    "category": "none",
    "flag": policy.SECOND_OPINION_EMOTION,
    "tier": 1,
    "kind": policy.GENERAL_KIND,
    "action": policy.OFFER_PERSON,
}


def _at(plan, path):
    node = plan
    for part in path.split("."):
        node = (node or {}).get(part)
    return node


def _slots(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


# --- (a) an expectation of the family is an answer, not a feeling to name ------------------
async def test_what_the_family_expects_is_reflected_even_when_a_feeling_was_guessed(
    plan_session, dispatcher, domain
):
    text = "Mijn ooms denken dat ik hier rijk ben en dat ik een huis voor ze bouw."
    result = await ValidateKiezenForm().validate_family_expectations(
        text,
        dispatcher,
        make_tracker(
            plan_session,
            text=text,
            message_id="m-1",
            safety=GUESSED_FEELING,
            slots={**KIEZEN, "requested_slot": "family_expectations"},
        ),
        domain,
    )
    said = responses(dispatcher)
    assert said[0] == "utter_reflect_family_expectations"
    assert not [r for r in said if r and r.startswith("utter_empathy_")]
    assert "utter_offer_person" in said  # the safety net of the guess stays
    assert result["family_expectations"] == text
    plan = read_plan(plan_session)
    assert _at(plan, "sections.expectations_left_behind.had_expectations")["value"] is True
    assert "rijk" in _at(plan, "sections.expectations_left_behind.expectations")["value"]


async def test_shame_in_a_reason_is_named_after_the_reason_is_given_back(plan_session, dispatcher, domain):
    text = "Iedereen in de familie gaat over mij roddelen als ik arm terugkom."
    reading = {
        "category": "none",
        "flag": "feeling",
        "tier": 1,
        "kind": "shame",
        "action": policy.OFFER_PERSON,
    }
    result = await ValidateKiezenForm().validate_reasons_against(
        text,
        dispatcher,
        make_tracker(
            plan_session,
            text=text,
            message_id="m-1",
            safety=reading,
            slots={
                "decision_option": "return_with_support",
                "reasons_for": "mijn moeder",
                "requested_slot": "reasons_against",
            },
        ),
        domain,
    )
    assert result["reasons_against"] == text
    assert responses(dispatcher)[:3] == [
        "utter_reflect_reasons_against",
        "utter_empathy_shame",
        "utter_offer_person",
    ]


async def test_grief_is_named_without_an_echo_of_the_words(plan_session, dispatcher, domain):
    text = "Mijn vader is vorig jaar gestorven in Conakry."
    reading = {
        "category": "none",
        "flag": "death_talk",
        "tier": 1,
        "kind": "grief",
        "action": policy.OFFER_PERSON,
    }
    await ValidateVerkennenForm().validate_family_origin(
        text,
        dispatcher,
        make_tracker(
            plan_session,
            text=text,
            message_id="m-1",
            safety=reading,
            slots={**VERKENNEN, "requested_slot": "family_origin"},
        ),
        domain,
    )
    assert responses(dispatcher)[0] == "utter_empathy_grief"


# --- (b) school told to the work question is filed as school ------------------------------
async def test_school_told_to_the_work_question_is_filed_as_education_not_as_work(
    plan_session, dispatcher, domain
):
    text = "Ik ben acht jaar naar school gegaan in Conakry. Nu leer ik Nederlands."
    result = await ValidateVerkennenForm().validate_work_experience(
        text,
        dispatcher,
        make_tracker(
            plan_session,
            text=text,
            message_id="m-1",
            slots={**VERKENNEN, "requested_slot": "work_experience"},
        ),
        domain,
    )
    assert result["work_experience"] is None and result["education"] == text
    assert responses(dispatcher)[0] == "utter_reflect_education"
    background = read_plan(plan_session)["sections"]["background"]
    assert not background.get("work_experience")
    assert [e["description"] for e in background["education"]] == [text]


async def test_work_told_to_the_work_question_stays_work(plan_session, dispatcher, domain):
    text = "Ik was kleermaker in Kindia. Hier mag ik niet werken."
    result = await ValidateVerkennenForm().validate_work_experience(
        text,
        dispatcher,
        make_tracker(
            plan_session,
            text=text,
            message_id="m-1",
            slots={**VERKENNEN, "requested_slot": "work_experience"},
        ),
        domain,
    )
    assert result["work_experience"] == text and "education" not in result
    assert responses(dispatcher)[0] == "utter_reflect_work_experience"
    background = read_plan(plan_session)["sections"]["background"]
    assert [e["description"] for e in background["work_experience"]] == [text]
    assert not background.get("education")


# --- (c) no papers: a note about residence, never "U heeft iets nodig: paspoort" ------------
async def test_no_papers_as_a_reason_is_a_residence_note_not_a_passport(plan_session, dispatcher, domain):
    text = "Wij hebben geen papieren hier."
    result = await ValidateKiezenForm().validate_reasons_against(
        text,
        dispatcher,
        make_tracker(
            plan_session,
            text=text,
            message_id="m-7",
            slots={
                "decision_option": "stay_in_netherlands",
                "reasons_for": "mijn dochters",
                "requested_slot": "reasons_against",
            },
        ),
        domain,
    )
    assert result["reasons_against"] == text
    assert "utter_heard_need" not in responses(dispatcher)
    plan = read_plan(plan_session)
    assert _at(plan, "provisional_decision.reasons_against")["value"] == text
    note = _at(plan, NOTES_PATH)
    assert "paspoort" not in note["value"] and note["value"].startswith("Verblijf: geen verblijfspapieren")
    assert note["provenance"]["message_ids"] == ["m-7"]


# --- (d) a corrected summary item replaces the old one --------------------------------------
async def _work_answer(plan_session, dispatcher, domain, text, message_id, slots, events=()):
    return await ValidateVerkennenForm().validate_work_experience(
        text,
        dispatcher,
        make_tracker(
            plan_session,
            text=text,
            message_id=message_id,
            slots={**slots, "requested_slot": "work_experience"},
            events=list(events),
        ),
        domain,
    )


async def test_nee_niet_x_maar_y_at_the_summary_replaces_the_item_in_the_plan(
    plan_session, dispatcher, domain
):
    old = "Ik had tien jaar een winkel in Conakry."
    answered = await _work_answer(plan_session, dispatcher, domain, old, "m-1", VERKENNEN)
    slots = {**VERKENNEN, **answered, "hopes": "weer werken"}
    dispatcher.messages.clear()
    events = await ActionCorrectAnswer().run(
        dispatcher,
        make_tracker(
            plan_session, text="Nee, niet een winkel maar een restaurant", message_id="m-9", slots=slots
        ),
        domain,
    )
    new = "Ik had tien jaar een restaurant in Conakry."
    assert _slots(events)["work_experience"] == new
    assert responses(dispatcher) == ["utter_correct_item_done", "utter_summary_work_experience"]
    assert dispatcher.messages[1]["answer"].startswith("u had tien jaar een restaurant")
    items = read_plan(plan_session)["sections"]["background"]["work_experience"]
    assert [i["description"] for i in items] == [new]  # the shop is gone, not kept beside it
    assert items[0]["provenance"]["message_ids"] == ["m-9"]
    assert not [k for k, v in _slots(events).items() if v is None and k in {**VERKENNEN, "hopes": 1}]


async def test_an_item_asked_again_after_a_correction_replaces_its_old_list_item(
    plan_session, dispatcher, domain
):
    old = "Ik had tien jaar een winkel in Conakry."
    await _work_answer(plan_session, dispatcher, domain, old, "m-1", VERKENNEN)
    # "mijn werk klopt niet": the question is asked again (the slot emptied) …
    history = [
        {"event": "slot", "name": "work_experience", "value": old},
        {"event": "slot", "name": "work_experience", "value": None},
    ]
    new = "Ik werkte in de bouw, als metselaar."
    await _work_answer(plan_session, dispatcher, domain, new, "m-11", VERKENNEN, history)
    items = read_plan(plan_session)["sections"]["background"]["work_experience"]
    assert [i["description"] for i in items] == [new]


async def test_a_corrected_relative_there_leaves_no_old_supporter_behind(plan_session, dispatcher, domain):
    told = "Ik woon in het azc. Mijn zus woont in Luanda."
    heard = await ValidateVerkennenForm().validate_life_here(
        told,
        dispatcher,
        make_tracker(plan_session, text=told, message_id="m-1", slots={"requested_slot": "life_here"}),
        domain,
    )
    assert heard["family_origin"] == "Mijn zus woont in Luanda"
    supporters = read_plan(plan_session)["sections"]["support"]["supporters"]
    assert [s["who"] for s in supporters] == ["Mijn zus woont in Luanda"]
    slots = {**VERKENNEN, **heard, "country_of_origin": "Angola"}
    dispatcher.messages.clear()
    await ActionCorrectAnswer().run(
        dispatcher,
        make_tracker(
            plan_session, text="het is mijn nicht in Luanda, niet mijn zus", message_id="m-9", slots=slots
        ),
        domain,
    )
    assert responses(dispatcher)[0] == "utter_correct_item_done"
    plan = read_plan(plan_session)
    assert not [s for s in plan["sections"]["support"]["supporters"] if "zus" in s["who"]]
    family = [f for f in plan["factors"]["overview_1"] if f["factor_key"] == "origin_family_network"]
    assert len(family) == 1 and "nicht" in family[0]["explanation"]

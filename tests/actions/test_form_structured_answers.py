"""The fuller toekomstgesprek: yes/no, factor scoring, rulers, medicines, several steps."""

from __future__ import annotations

from datetime import date

from actions.forms import (
    ValidateKiezenForm,
    ValidateVerkennenForm,
    ValidateVerkrijgenForm,
    action_item_from_slots,
)
from action_helpers import make_tracker, read_plan, responses
from bot.conversation.questions import SKIPPED, UNKNOWN

MID = "m-00000000000000b2"


def _factor(plan, key):
    return next(f for f in plan["factors"]["overview_1"] if f["factor_key"] == key)


async def test_yes_no_button_is_written_as_a_boolean(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, text="/affirm", intent="affirm", message_id=MID)
    result = await ValidateVerkennenForm().validate_has_children("/affirm", dispatcher, tracker, domain)
    assert result["has_children"] is True
    assert responses(dispatcher) == ["utter_reflect_has_children_yes", "utter_deepen_has_children_yes"]
    answer = read_plan(plan_session)["sections"]["children"]["has_children"]
    assert answer["value"] is True and answer["provenance"]["message_ids"] == [MID]


async def test_typed_nee_is_no(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, text="nee hoor", intent="inform", message_id=MID)
    result = await ValidateVerkennenForm().validate_physical_complaints(
        "nee hoor", dispatcher, tracker, domain
    )
    assert result["physical_complaints"] is False
    assert read_plan(plan_session)["sections"]["health"]["physical_complaints"]["value"] is False


async def test_unclear_button_answer_is_asked_again_once_then_left_open(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, text="misschien soms", message_id=MID)
    first = await ValidateVerkennenForm().validate_uses_medication(
        "misschien soms", dispatcher, tracker, domain
    )
    assert first == {"uses_medication": None, "unclear_slot": "uses_medication"}
    # Typed words are never met with "kies een knop" (MI round 1: "veilig wel.").
    assert responses(dispatcher) == ["utter_unclear_typed"]
    again = make_tracker(
        plan_session, text="soms wel soms niet", message_id="m-2", slots={"unclear_slot": "uses_medication"}
    )
    second = await ValidateVerkennenForm().validate_uses_medication("soms", dispatcher, again, domain)
    assert second["uses_medication"] == UNKNOWN and second["unclear_slot"] is None
    assert responses(dispatcher)[-1] == "utter_unclear_moving_on"
    assert read_plan(plan_session)["sections"]["health"]["uses_medication"]["status"] == "unknown"


async def test_factor_scoring_in_two_steps_keeps_the_clients_words(plan_session, dispatcher, domain):
    form = ValidateVerkennenForm()
    words = "mijn moeder en zussen in Conakry"
    await form.validate_family_origin(
        words, dispatcher, make_tracker(plan_session, text=words, message_id="m-1"), domain
    )
    direction = await form.validate_family_origin_direction(
        "Makkelijker",
        dispatcher,
        make_tracker(plan_session, text="Makkelijker", message_id="m-2", slots={"family_origin": words}),
        domain,
    )
    assert direction == {"family_origin_direction": "easier", "unclear_slot": None, "return_scoring": "done"}
    slots = {"family_origin": words, "family_origin_direction": "easier"}
    amount = await form.validate_family_origin_amount(
        "Best veel",
        dispatcher,
        make_tracker(plan_session, text="Best veel", message_id="m-3", slots=slots),
        domain,
    )
    assert amount["family_origin_amount"] == 2
    assert dispatcher.messages[-1]["response"] == "utter_reflect_factor_easier"
    assert dispatcher.messages[-1]["amount"] == "best veel"
    item = _factor(read_plan(plan_session), "origin_family_network")
    assert (item["score"], item["explanation"]) == (2, words)
    assert item["provenance"]["message_ids"] == ["m-3"]


async def test_harder_a_lot_is_minus_three(plan_session, dispatcher, domain):
    slots = {"safety_origin": "niet veilig", "safety_origin_direction": "harder"}
    tracker = make_tracker(plan_session, text="Heel veel", message_id=MID, slots=slots)
    await ValidateVerkennenForm().validate_safety_origin_amount("Heel veel", dispatcher, tracker, domain)
    assert _factor(read_plan(plan_session), "origin_safety")["score"] == -3


async def test_skipping_the_score_writes_nothing_and_is_not_asked_again(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, text="/decline_answer", intent="decline_answer", message_id=MID)
    result = await ValidateVerkennenForm().validate_family_origin_direction("x", dispatcher, tracker, domain)
    assert result["family_origin_direction"] == SKIPPED
    assert "overview_1" not in read_plan(plan_session)["factors"]


async def test_fear_for_safety_is_taken_seriously_not_scored_and_flagged(plan_session, dispatcher, domain):
    text = "als ik terug ga ze maken mij dood"
    safety = {"category": "none", "flag": "safety_fear", "tier": 1, "handoff_reason": None}
    tracker = make_tracker(plan_session, text=text, message_id=MID, safety=safety)
    result = await ValidateVerkennenForm().validate_safety_origin(text, dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_reflect_safety_fear", "utter_offer_person"]
    assert result["safety_origin_direction"] == SKIPPED and result["safety_origin_amount"] == SKIPPED
    plan = read_plan(plan_session)
    assert plan["sections"]["safety"]["legal_check_advised"]["value"] is True
    assert _factor(plan, "origin_safety")["explanation"] == text


async def test_ambivalence_gets_a_double_sided_reflection(plan_session, dispatcher, domain):
    text = "ik mis mijn moeder, maar hier heb ik mijn vrienden"
    tracker = make_tracker(plan_session, text=text, message_id=MID, slots={"phase": "kiezen"})
    await ValidateKiezenForm().validate_reasons_for(text, dispatcher, tracker, domain)
    message = dispatcher.messages[0]
    assert message["response"] == "utter_reflect_double_sided"
    assert (message["first"], message["second"]) == ("u mist uw moeder", "hier heeft u uw vrienden")
    assert read_plan(plan_session)["provisional_decision"]["reasons_for"]["value"] == text


async def test_medicines_named_by_the_nlu_become_one_item_each(plan_session, dispatcher, domain):
    text = "insuline en metformine"
    entities = [
        {"entity": "medication", "value": "insuline"},
        {"entity": "medication", "value": "metformine"},
    ]
    tracker = make_tracker(
        plan_session, text=text, message_id=MID, entities=entities, slots={"uses_medication": True}
    )
    await ValidateVerkennenForm().validate_medication_names(text, dispatcher, tracker, domain)
    medicines = read_plan(plan_session)["sections"]["health"]["care_checklist"]["medicines"]
    assert [m["substance"] for m in medicines] == ["insuline", "metformine"]


async def test_ruler_from_a_word_or_a_button(plan_session, dispatcher, domain):
    form = ValidateKiezenForm()
    tracker = make_tracker(plan_session, text="zeven", message_id=MID)
    assert (await form.validate_importance("zeven", dispatcher, tracker, domain))["importance"] == 7
    tracker = make_tracker(plan_session, text="10", message_id="m-9")
    assert (await form.validate_confidence("10", dispatcher, tracker, domain))["confidence"] == 10
    decision = read_plan(plan_session)["provisional_decision"]
    assert decision["importance"]["value"] == 7 and decision["confidence"]["value"] == 10
    assert dispatcher.messages[0] == {
        **dispatcher.messages[0],
        "response": "utter_reflect_importance",
        "score": 7,
    }


async def test_required_slots_follow_the_answers(dispatcher, domain):
    form = ValidateVerkennenForm()
    domain_slots = domain["forms"]["verkennen_form"]["required_slots"]
    no_meds = make_tracker(slots={"uses_medication": False, "family_origin": "__declined__"})
    slots = await form.required_slots(domain_slots, dispatcher, no_meds, domain)
    assert "medication_names" not in slots and "family_origin_direction" not in slots
    meds = make_tracker(
        slots={"uses_medication": True, "family_origin": "moeder", "family_origin_direction": "harder"}
    )
    slots = await form.required_slots(domain_slots, dispatcher, meds, domain)
    assert {"medication_names", "family_origin_direction", "family_origin_amount"} <= set(slots)


async def test_another_step_clears_the_step_and_counts(dispatcher, domain):
    slots = {
        "step_kind": "travel_document",
        "step_what": "paspoort",
        "step_who": "ik",
        "step_when": "morgen",
        "step_confirm": True,
        "step_count": 0,
    }
    tracker = make_tracker(text="/affirm", intent="affirm", slots=slots)
    result = await ValidateVerkrijgenForm().validate_more_steps("/affirm", dispatcher, tracker, domain)
    assert result["step_count"] == 1 and result["step_what"] is None and result["more_steps"] is None
    tracker = make_tracker(text="/affirm", intent="affirm", slots={**slots, "step_count": 7})
    result = await ValidateVerkrijgenForm().validate_more_steps("/affirm", dispatcher, tracker, domain)
    assert result["more_steps"] is False and responses(dispatcher)[-1] == "utter_steps_enough"


def test_action_item_gets_a_due_date_and_an_amount_when_sure():
    slots = {
        "step_kind": "debts_and_money",
        "step_what": "3000 euro schuld aan mijn oom afbetalen",
        "step_who": "Ik zelf",
        "step_when": "over twee weken",
    }
    item = action_item_from_slots(make_tracker(slots=slots), today=date(2026, 11, 23))
    assert item["kind"] == "debts_and_money" and item["due_date"] == "2026-12-07"
    assert item["due_text"] == "over twee weken" and item["needs"] == "3000 EUR"
    vague = action_item_from_slots(
        make_tracker(slots={**slots, "step_when": "zo snel mogelijk"}), today=date(2026, 11, 23)
    )
    assert "due_date" not in vague


async def test_several_steps_are_all_written_and_listed(plan_session, dispatcher, domain):
    form = ValidateVerkrijgenForm()
    for index, what in enumerate(["paspoort halen bij de ambassade", "mijn broer bellen"]):
        slots = {
            "step_kind": "other",
            "step_what": what,
            "step_who": "Ik zelf",
            "step_when": "morgen",
            "steps_added": [{"what": "paspoort halen bij de ambassade", "who": "Ik zelf", "when": "morgen"}]
            if index
            else None,
        }
        tracker = make_tracker(
            plan_session, text="/affirm", intent="affirm", message_id=f"m-{index}", slots=slots
        )
        result = await form.validate_step_confirm("/affirm", dispatcher, tracker, domain)
    assert [s["what"] for s in result["steps_added"]] == [
        "paspoort halen bij de ambassade",
        "mijn broer bellen",
    ]
    kinds = [a["kind"] for a in read_plan(plan_session)["actions"]]
    assert kinds == ["travel_document", "contact_family"]


async def test_a_bare_greeting_in_a_form_is_greeted_not_recorded(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, text="hallo", intent="greet", message_id=MID)
    result = await ValidateVerkennenForm().validate_life_here("hallo", dispatcher, tracker, domain)
    assert result == {"life_here": None} and responses(dispatcher) == ["utter_greet_back"]
    # "elke dag" looks like a greeting to the NLU ("dag") but is an answer
    tracker = make_tracker(plan_session, text="elke dag", intent="greet", message_id=MID)
    result = await ValidateVerkrijgenForm().validate_step_when("elke dag", dispatcher, tracker, domain)
    assert result == {"step_when": "elke dag"}


async def test_an_old_button_payload_is_not_taken_as_an_open_answer(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, text="/affirm", intent="affirm", message_id=MID)
    result = await ValidateVerkrijgenForm().validate_step_when("/affirm", dispatcher, tracker, domain)
    assert result == {"step_when": None} and responses(dispatcher) == ["utter_type_own_words"]


async def test_nobody_is_reflected_and_not_listed_as_a_helper(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, text="niemand hier", message_id=MID)
    result = await ValidateVerkennenForm().validate_family_here("niemand hier", dispatcher, tracker, domain)
    assert result["family_here"] == "niemand hier"
    assert responses(dispatcher) == ["utter_reflect_family_here_nobody"]
    assert read_plan(plan_session)["sections"]["support"].get("supporters") in (None, [])

"""Form validators: every answer is reflected and lands in the plan with its message id."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.forms import ValidateKiezenForm, ValidateVerkennenForm, ValidateVerkrijgenForm
from action_helpers import make_tracker, read_plan, responses
from bot.conversation.questions import DECLINED, UNKNOWN

MID = "m-00000000000000a1"


def _factor(plan, key):
    return next(f for f in plan["factors"]["overview_1"] if f["factor_key"] == key)


async def test_life_here_is_reflected_and_written_as_factor_quote(plan_session, dispatcher, domain):
    text = "Ik woon in het azc met mijn broer"
    tracker = make_tracker(plan_session, text=text, message_id=MID, confidence=0.42)
    result = await ValidateVerkennenForm().validate_life_here(text, dispatcher, tracker, domain)
    assert result["life_here"] == text
    assert dispatcher.messages[0]["response"] == "utter_reflect_life_here"
    assert dispatcher.messages[0]["words"] == "u woont in het azc met uw broer"
    item = _factor(read_plan(plan_session), "nl_housing")
    assert item["explanation"] == text and item["status"] == "answered"
    assert item["provenance"]["message_ids"] == [MID]
    assert item["provenance"]["nlu_confidence"] == 0.42


async def test_family_here_becomes_a_supporter(plan_session, dispatcher, domain):
    text = "mijn zus en haar man in Den Haag"
    tracker = make_tracker(plan_session, text=text, message_id=MID)
    await ValidateVerkennenForm().validate_family_here(text, dispatcher, tracker, domain)
    supporters = read_plan(plan_session)["sections"]["support"]["supporters"]
    assert [(s["category"], s["who"], s["where"]) for s in supporters] == [("family", text, "netherlands")]
    assert supporters[0]["provenance"]["message_ids"] == [MID]


async def test_country_from_entity_is_normalised_to_dutch(plan_session, dispatcher, domain):
    tracker = make_tracker(
        plan_session,
        text="ik kom uit Guinea",
        message_id=MID,
        entities=[{"entity": "country", "value": "Guinea"}],
    )
    result = await ValidateVerkennenForm().validate_country_of_origin(
        "ik kom uit Guinea", dispatcher, tracker, domain
    )
    assert result["country_of_origin"] == "Guinee"
    assert dispatcher.messages[0]["response"] == "utter_reflect_country_of_origin"
    answer = read_plan(plan_session)["client_info"]["country_of_origin"]
    assert answer["value"] == "Guinee" and answer["provenance"]["message_ids"] == [MID]


async def test_unknown_place_is_kept_in_the_clients_words(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, text="een klein dorp bij de grens", message_id=MID)
    result = await ValidateVerkennenForm().validate_country_of_origin(
        "een klein dorp bij de grens", dispatcher, tracker, domain
    )
    assert result["country_of_origin"] == "een klein dorp bij de grens"
    assert (
        read_plan(plan_session)["client_info"]["country_of_origin"]["value"] == "een klein dorp bij de grens"
    )


async def test_declined_is_recorded_and_marked_never_to_ask_again(plan_session, dispatcher, domain):
    tracker = make_tracker(
        plan_session, text="dat wil ik niet zeggen", intent="decline_answer", message_id=MID
    )
    result = await ValidateVerkennenForm().validate_country_of_origin(
        "dat wil ik niet zeggen", dispatcher, tracker, domain
    )
    assert result["country_of_origin"] == DECLINED
    assert responses(dispatcher) == ["utter_ack_declined"]
    answer = read_plan(plan_session)["client_info"]["country_of_origin"]
    assert answer["status"] == "declined" and "value" not in answer


async def test_dont_know_on_a_factor_keeps_status_unknown(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, text="weet ik niet", intent="dont_know", message_id=MID)
    result = await ValidateVerkennenForm().validate_family_origin("weet ik niet", dispatcher, tracker, domain)
    assert result["family_origin"] == UNKNOWN
    assert _factor(read_plan(plan_session), "origin_family_network")["status"] == "unknown"


async def test_an_open_answer_the_nlu_did_not_understand_is_still_kept(plan_session, dispatcher, domain):
    text = "azc zwolle kamer 12 met 3 man"
    tracker = make_tracker(plan_session, text=text, intent="nlu_fallback", confidence=0.2, message_id=MID)
    result = await ValidateVerkennenForm().validate_life_here(text, dispatcher, tracker, domain)
    assert result["life_here"] == text
    assert _factor(read_plan(plan_session), "nl_housing")["explanation"] == text


async def test_decision_option_from_a_button_title(plan_session, dispatcher, domain):
    tracker = make_tracker(
        plan_session, text="In Nederland blijven", message_id=MID, slots={"phase": "kiezen"}
    )
    result = await ValidateKiezenForm().validate_decision_option(
        "In Nederland blijven", dispatcher, tracker, domain
    )
    assert result["decision_option"] == "stay_in_netherlands"
    assert responses(dispatcher) == [
        "utter_reflect_option_stay_in_netherlands",
        "utter_deepen_option_stay_in_netherlands",
    ]
    assert read_plan(plan_session)["provisional_decision"]["option"]["value"] == "stay_in_netherlands"


async def test_weet_ik_niet_is_the_undecided_option(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, text="weet ik niet", intent="dont_know", message_id=MID)
    result = await ValidateKiezenForm().validate_decision_option("weet ik niet", dispatcher, tracker, domain)
    assert result["decision_option"] == "undecided"
    assert read_plan(plan_session)["provisional_decision"]["option"]["value"] == "undecided"


async def test_unclear_option_is_reflected_and_asked_again_without_writing(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, text="mijn moeder is ziek", message_id=MID)
    result = await ValidateKiezenForm().validate_decision_option(
        "mijn moeder is ziek", dispatcher, tracker, domain
    )
    assert result == {"decision_option": None}
    assert dispatcher.messages[0]["response"] == "utter_reflect_option_unclear"
    assert "option" not in (read_plan(plan_session).get("provisional_decision") or {})


async def test_confirmed_step_becomes_an_action_item(plan_session, dispatcher, domain):
    slots = {
        "step_what": "een paspoort halen bij de ambassade",
        "step_who": "Samen met mijn begeleider",
        "step_when": "voor de volgende afspraak",
        "phase": "verkrijgen",
    }
    tracker = make_tracker(plan_session, text="/affirm", intent="affirm", message_id=MID, slots=slots)
    result = await ValidateVerkrijgenForm().validate_step_confirm("/affirm", dispatcher, tracker, domain)
    assert result["step_confirm"] is True
    assert responses(dispatcher) == ["utter_step_written"]
    [item] = read_plan(plan_session)["actions"]
    assert item["kind"] == "travel_document" and item["section"] == "practical_matters"
    assert item["owner"] == "counsellor" and item["due_text"] == "voor de volgende afspraak"
    assert item["agreed_by_client"] is True and item["provenance"]["message_ids"] == [MID]


async def test_refused_step_is_not_written(plan_session, dispatcher, domain):
    slots = {"step_what": "bellen", "step_who": "Ik zelf", "step_when": "morgen"}
    tracker = make_tracker(plan_session, text="/deny", intent="deny", message_id=MID, slots=slots)
    result = await ValidateVerkrijgenForm().validate_step_confirm("/deny", dispatcher, tracker, domain)
    assert result == {"step_confirm": False, "editing_step": None}
    assert read_plan(plan_session)["actions"] == []


async def test_no_first_step_closes_the_item_without_more_questions(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, text="weet ik niet", intent="dont_know", message_id=MID)
    result = await ValidateVerkrijgenForm().validate_step_what("weet ik niet", dispatcher, tracker, domain)
    assert result == {
        "step_kind": UNKNOWN,
        "step_what": UNKNOWN,
        "step_who": UNKNOWN,
        "step_when": UNKNOWN,
        "step_confirm": False,
        "more_steps": False,
        "editing_step": None,
    }
    assert responses(dispatcher) == ["utter_ack_no_step"]


async def test_full_form_run_validates_the_slot_just_filled(plan_session, dispatcher, domain):
    """Through FormValidationAction.run, as the Rasa server calls it."""
    text = "mijn moeder en zussen in Conakry"
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": {"intent": {"name": "inform"}}},
        {"event": "slot", "name": "family_origin", "value": text},
    ]
    tracker = make_tracker(
        plan_session,
        text=text,
        message_id=MID,
        events=events,
        slots={"requested_slot": "family_origin", "family_origin": text},
        active_loop="verkennen_form",
    )
    result = await ValidateVerkennenForm().run(dispatcher, tracker, domain)
    assert SlotSet("family_origin", text) in result
    assert _factor(read_plan(plan_session), "origin_family_network")["explanation"] == text


async def test_a_tapped_direction_is_an_answer_even_if_the_nlu_guessed_dont_know(
    plan_session, dispatcher, domain
):
    tracker = make_tracker(
        plan_session,
        text="Moeilijker",
        intent="dont_know",
        confidence=0.69,
        message_id=MID,
        slots={"family_origin": "Mijn moeder woont daar."},
    )
    result = await ValidateVerkennenForm().validate_family_origin_direction(
        "Moeilijker", dispatcher, tracker, domain
    )
    assert result["family_origin_direction"] == "harder"
    assert "utter_reflect_factor_neither" not in responses(dispatcher)


async def test_a_tapped_amount_is_an_answer_even_if_the_nlu_guessed_decline(plan_session, dispatcher, domain):
    tracker = make_tracker(
        plan_session,
        text="Heel veel",
        intent="decline_answer",
        confidence=0.8,
        message_id=MID,
        slots={"family_origin_direction": "harder"},
    )
    result = await ValidateVerkennenForm().validate_family_origin_amount(
        "Heel veel", dispatcher, tracker, domain
    )
    assert result["family_origin_amount"] == 3
    assert _factor(read_plan(plan_session), "origin_family_network")["score"] == -3


async def test_a_classifier_hint_is_recorded_but_does_not_offer_a_person(plan_session, dispatcher, domain):
    hint = {"category": "none", "flag": "classifier_crisis", "matched": None, "tier": 1}
    tracker = make_tracker(plan_session, text="Ik wil verder met mijn leven.", message_id=MID, safety=hint)
    await ValidateVerkennenForm().validate_hopes("Ik wil verder met mijn leven.", dispatcher, tracker, domain)
    assert "utter_offer_person" not in responses(dispatcher)

"""Reflect twice, ask once: the form validators' second reflections.

MI: docs/specs/conversation.md §0.5.
"""

from __future__ import annotations

from actions.forms import ValidateKiezenForm, ValidateVerkennenForm, ValidateVerkrijgenForm
from action_helpers import make_tracker, read_plan, responses

MID = "m-00000000000000b2"


async def test_an_open_answer_is_given_back_then_deepened(plan_session, dispatcher, domain):
    text = "wat mijn familie zegt als ik terugkom zonder geld"
    tracker = make_tracker(plan_session, text=text, message_id=MID)
    await ValidateVerkennenForm().validate_worries(text, dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_reflect_worries", "utter_deepen_thing_hard"]
    assert dispatcher.messages[0]["words"] == "wat uw familie zegt als u terugkomt zonder geld"
    assert dispatcher.messages[1]["Thing"] == "Uw familie"  # the client's own words, not a stock line


async def test_hopes_are_linked_to_the_worries_said_before(plan_session, dispatcher, domain):
    text = "weer een eigen winkel"
    tracker = make_tracker(
        plan_session, text=text, message_id=MID, slots={"worries": "geen geld om te beginnen"}
    )
    await ValidateVerkennenForm().validate_hopes(text, dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_reflect_hopes", "utter_deepen_hopes_after_worries"]
    assert dispatcher.messages[1]["earlier"] == "geen geld om te beginnen"
    assert dispatcher.messages[1]["words"] == "weer een eigen winkel"


async def test_no_second_reflection_when_a_signal_asks_for_the_offer_of_a_person(
    plan_session, dispatcher, domain
):
    text = "ik slaap slecht door de zorgen"
    tracker = make_tracker(
        plan_session, text=text, message_id=MID, safety={"category": "none", "tier": 1, "flag": "sleep"}
    )
    await ValidateVerkennenForm().validate_worries(text, dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_reflect_worries", "utter_offer_person"]


async def test_direction_is_reflected_with_the_factors_words(plan_session, dispatcher, domain):
    tracker = make_tracker(
        plan_session, text="Moeilijker", slots={"family_origin": "mijn broer is boos op mij"}
    )
    result = await ValidateVerkennenForm().validate_family_origin_direction(
        "Moeilijker", dispatcher, tracker, domain
    )
    assert result["family_origin_direction"] == "harder"
    assert responses(dispatcher) == ["utter_reflect_direction_harder"]
    assert dispatcher.messages[0]["words"] == "uw broer is boos op u"


async def test_a_ruler_score_gets_what_it_seems_to_say(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, text="2", slots={"phase": "kiezen"})
    await ValidateKiezenForm().validate_confidence("2", dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_reflect_confidence", "utter_deepen_confidence_low"]


async def test_who_and_when_of_a_step_are_given_back_with_the_date(plan_session, dispatcher, domain):
    form = ValidateVerkrijgenForm()
    slots = {"phase": "verkrijgen", "step_kind": "documents", "step_what": "paspoort aanvragen"}
    await form.validate_step_who(
        "Samen met mijn begeleider",
        dispatcher,
        make_tracker(plan_session, text="Samen met mijn begeleider", slots=slots),
        domain,
    )
    await form.validate_step_when(
        "over twee weken", dispatcher, make_tracker(plan_session, text="over twee weken", slots=slots), domain
    )
    assert responses(dispatcher) == ["utter_reflect_step_who", "utter_reflect_step_when_date"]
    assert dispatcher.messages[0]["words"] == "samen met uw begeleider"
    assert dispatcher.messages[1]["words"] == "over twee weken"
    assert dispatcher.messages[1]["date"].split()[1] in (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    )


async def test_children_named_with_the_family_here_are_not_asked_about_again(
    plan_session, dispatcher, domain
):
    text = "mijn vrouw en twee dochters"
    tracker = make_tracker(plan_session, text=text, message_id=MID)
    result = await ValidateVerkennenForm().validate_family_here(text, dispatcher, tracker, domain)
    assert result["has_children"] is True  # settled: the form skips the question
    assert "utter_reflect_has_children_heard" in responses(dispatcher)
    has_children = read_plan(plan_session)["sections"]["children"]["has_children"]
    assert has_children["value"] is True and has_children["status"] == "answered"
    assert has_children["provenance"]["message_ids"] == [MID]  # the message that said so


async def test_children_over_there_leave_the_question_open(plan_session, dispatcher, domain):
    text = "mijn kinderen zijn daar bij mijn moeder"
    tracker = make_tracker(plan_session, text=text, message_id=MID)
    result = await ValidateVerkennenForm().validate_family_here(text, dispatcher, tracker, domain)
    assert "has_children" not in result
    assert "utter_reflect_has_children_heard" not in responses(dispatcher)


async def test_an_open_answer_the_nlu_took_for_dont_know_keeps_the_clients_words(
    plan_session, dispatcher, domain
):
    # "moeilijk" about life here is an answer; the NLU's "dont_know" guess must not lose it.
    tracker = make_tracker(
        plan_session,
        text="moeilijk",
        intent="dont_know",
        confidence=0.99,
        message_id=MID,
        slots={"requested_slot": "life_here"},
    )
    result = await ValidateVerkennenForm().validate_life_here("moeilijk", dispatcher, tracker, domain)
    assert result["life_here"] == "moeilijk"
    # One word is no sentence: it stands in a frame that takes it ("Zo is uw leven hier nu: moeilijk.").
    assert responses(dispatcher)[0] == "utter_reflect_life_here_short"
    item = next(
        f for f in read_plan(plan_session)["factors"]["overview_1"] if f["factor_key"] == "nl_housing"
    )
    assert item["explanation"] == "moeilijk" and item["status"] == "answered"


async def test_a_typed_dont_know_to_an_open_question_is_still_recorded_as_unknown(
    plan_session, dispatcher, domain
):
    tracker = make_tracker(
        plan_session,
        text="wee nie",
        intent="dont_know",
        confidence=0.9,
        message_id=MID,
        slots={"requested_slot": "life_here"},
    )
    result = await ValidateVerkennenForm().validate_life_here("wee nie", dispatcher, tracker, domain)
    assert result["life_here"] == "__unknown__"
    assert responses(dispatcher) == ["utter_ack_dont_know"]


async def test_a_long_open_answer_about_not_knowing_keeps_its_words(plan_session, dispatcher, domain):
    text = "ik ken niemand daar, ik weet niet hoe het daar is"
    tracker = make_tracker(
        plan_session,
        text=text,
        intent="dont_know",
        confidence=0.95,
        message_id=MID,
        slots={"requested_slot": "safety_origin"},
    )
    result = await ValidateVerkennenForm().validate_safety_origin(text, dispatcher, tracker, domain)
    assert result["safety_origin"] == text
    assert responses(dispatcher)[0] == "utter_reflect_safety_origin"

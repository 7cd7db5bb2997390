"""The form validators give answers back as sentences a person would say (issue 13, part 4)."""

from __future__ import annotations

from actions.forms import ValidateVerkennenForm, ValidateVerkrijgenForm
from action_helpers import make_tracker, responses
from bot.conversation.questions import UNKNOWN

MID = "m-00000000000000c4"


async def test_a_no_with_a_limit_is_a_yes_to_complaints(plan_session, dispatcher, domain):
    text = "nee, alleen soms pijn in rug"
    tracker = make_tracker(plan_session, text=text, intent="deny", confidence=0.95, message_id=MID)
    result = await ValidateVerkennenForm().validate_physical_complaints(text, dispatcher, tracker, domain)
    assert result["physical_complaints"] is True
    # The client's own words back, not "Uw lichaam geeft u nu geen last." (MI round 1)
    assert responses(dispatcher)[0] == "utter_reflect_health_note"
    assert "pijn in rug" in dispatcher.messages[0]["words"]


async def test_a_no_with_a_limit_is_a_yes_to_medicine(plan_session, dispatcher, domain):
    text = "nee, alleen paracetamol soms"
    tracker = make_tracker(plan_session, text=text, intent="deny", confidence=0.95, message_id=MID)
    result = await ValidateVerkennenForm().validate_uses_medication(text, dispatcher, tracker, domain)
    assert result["uses_medication"] is True
    assert result["medication_names"] == "paracetamol"  # told with the answer: not asked again


async def test_a_plain_no_stays_a_no(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, text="nee", intent="deny", confidence=0.95, message_id=MID)
    result = await ValidateVerkennenForm().validate_physical_complaints("nee", dispatcher, tracker, domain)
    assert result["physical_complaints"] is False


async def test_a_plain_no_about_news_is_reflected_as_a_no(plan_session, dispatcher, domain):
    tracker = make_tracker(
        plan_session, text="niet", message_id=MID, slots={"requested_slot": "info_sources"}
    )
    await ValidateVerkennenForm().validate_info_sources("niet", dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_reflect_info_sources_nothing"]


async def test_a_person_named_alone_is_a_sentence(plan_session, dispatcher, domain):
    tracker = make_tracker(
        plan_session, text="vrouw", message_id=MID, slots={"requested_slot": "family_here"}
    )
    await ValidateVerkennenForm().validate_family_here("vrouw", dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_reflect_family_here_person"
    assert dispatcher.messages[0]["people"] == "uw vrouw"


async def test_asides_and_typos_are_not_given_back(plan_session, dispatcher, domain):
    text = "dat zei ik al, mijn moedr en broer"
    tracker = make_tracker(plan_session, text=text, message_id=MID, slots={"requested_slot": "family_origin"})
    await ValidateVerkennenForm().validate_family_origin(text, dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_reflect_family_origin_people"
    assert dispatcher.messages[0]["people"] == "uw moeder en broer"


async def test_who_and_when_in_one_answer_are_split(plan_session, dispatcher, domain):
    text = "volgende week, met mijn begeleider samen"
    slots = {"phase": "verkrijgen", "step_kind": "documents", "step_what": "paspoort aanvragen"}
    tracker = make_tracker(plan_session, text=text, slots=slots, message_id=MID)
    result = await ValidateVerkrijgenForm().validate_step_who(text, dispatcher, tracker, domain)
    assert result == {"step_who": "met mijn begeleider samen", "step_when": "volgende week"}
    assert responses(dispatcher) == ["utter_reflect_step_who", "utter_reflect_step_when_date"]
    assert dispatcher.messages[0]["words"] == "met uw begeleider samen"


async def test_a_sentence_is_not_kept_for_the_country_question(plan_session, dispatcher, domain):
    text = "ik ben gezond, alleen soms hoofdpijn"
    tracker = make_tracker(
        plan_session, text=text, message_id=MID, slots={"requested_slot": "country_of_origin"}
    )
    result = await ValidateVerkennenForm().validate_country_of_origin(text, dispatcher, tracker, domain)
    # "Met wie van uw familie of vrienden in {country_of_origin} …?" uses its variant without it.
    assert result["country_of_origin"] == UNKNOWN
    place = "Fouta Djallon"
    tracker = make_tracker(
        plan_session, text=place, message_id=MID, slots={"requested_slot": "country_of_origin"}
    )
    result = await ValidateVerkennenForm().validate_country_of_origin(place, dispatcher, tracker, domain)
    assert result["country_of_origin"] == place
    assert dispatcher.messages[-1] == {
        **dispatcher.messages[-1],
        "response": "utter_reflect_country_unknown_place",
        "words": place,
    }

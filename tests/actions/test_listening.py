"""Issue 13, parts 1-3: listen across the whole talk, free text is an answer, follow the
client's lead. CollectingDispatcher + real Tracker; answers read back from the plan (SQLite)."""

from __future__ import annotations

from actions.conversation import (
    ActionCorrectAnswer,
    ActionExplainTalk,
    ActionGoBack,
    ActionPushBack,
)
from actions.forms import (
    ValidateKiezenForm,
    ValidateVerkennenForm,
    no_answer_marker,
)
from action_helpers import make_tracker, read_plan, responses
from bot.conversation import questions
from bot.conversation.listening import NOTES_PATH
from bot.conversation.questions import DECLINED, SKIPPED

VERKENNEN_BEFORE_COUNTRY = {
    "life_here": "ik woon in het azc",
    "family_here": "niemand",
    "has_children": False,
}


def _note(plan):
    node = plan
    for part in NOTES_PATH.split("."):
        node = node.get(part) or {}
    return node


def _slots(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


# --- 1. listening -----------------------------------------------------------------------
async def test_country_told_early_is_written_and_the_country_question_is_not_asked(
    plan_session, dispatcher, domain
):
    text = "ik woon in het azc in Budel. Ik kom uit Guinee."
    form = ValidateVerkennenForm()
    result = await form.validate_life_here(
        text,
        dispatcher,
        make_tracker(plan_session, text=text, message_id="m-1", slots={"requested_slot": "life_here"}),
        domain,
    )
    assert result["country_of_origin"] == "Guinee"
    country = read_plan(plan_session)["client_info"]["country_of_origin"]
    assert country["value"] == "Guinee" and country["provenance"]["message_ids"] == ["m-1"]
    assert "utter_heard_country" in responses(dispatcher)
    # the form goes from "kinderen?" straight to the family there: "Uit welk land komt u?" is skipped
    slots = {**VERKENNEN_BEFORE_COUNTRY, **result}
    assert questions.next_unanswered("verkennen", slots) == "family_origin"
    event = await form.next_requested_slot(dispatcher, make_tracker(plan_session, slots=slots), domain)
    assert event["value"] == "family_origin"


async def test_a_country_named_in_passing_is_checked_in_one_line(plan_session, dispatcher, domain):
    text = "in Guinee was het leven zwaar"
    form = ValidateVerkennenForm()
    result = await form.validate_life_here(
        text, dispatcher, make_tracker(plan_session, text=text, message_id="m-1"), domain
    )
    assert result["country_heard"] == "Guinee" and "country_of_origin" not in result
    slots = {**VERKENNEN_BEFORE_COUNTRY, **result}
    event = await form.next_requested_slot(dispatcher, make_tracker(plan_session, slots=slots), domain)
    assert event["value"] == "country_check"
    ask = domain["responses"]["utter_ask_country_check"][0]["text"]
    assert ask.format(country_heard="Guinee") == "U zei dat u uit Guinee komt. Klopt dat?"
    checked = await form.validate_country_check(
        "/affirm",
        dispatcher,
        make_tracker(plan_session, text="/affirm", intent="affirm", message_id="m-2", slots=slots),
        domain,
    )
    assert checked["country_of_origin"] == "Guinee" and checked["country_heard"] is None
    country = read_plan(plan_session)["client_info"]["country_of_origin"]
    assert country["value"] == "Guinee" and country["provenance"]["message_ids"] == ["m-2"]


async def test_daughters_named_once_are_not_asked_about_again(plan_session, dispatcher, domain):
    text = "ik woon met mijn twee dochters in het azc"
    result = await ValidateVerkennenForm().validate_life_here(
        text, dispatcher, make_tracker(plan_session, text=text, message_id="m-1"), domain
    )
    assert result["has_children"] is True
    assert "utter_reflect_has_children_heard" in responses(dispatcher)
    assert read_plan(plan_session)["sections"]["children"]["has_children"]["value"] is True
    assert "has_children" not in [
        s for s in questions.active_slots("verkennen", result) if not questions.is_settled(result.get(s))
    ]


async def test_a_missing_husband_is_recorded_not_dropped(plan_session, dispatcher, domain):
    text = "mijn man is al twee jaar vermist"
    result = await ValidateVerkennenForm().validate_family_here(
        text, dispatcher, make_tracker(plan_session, text=text, message_id="m-7"), domain
    )
    note = _note(read_plan(plan_session))
    assert "man" in note["value"] and "twee jaar vermist" in note["value"]
    assert note["provenance"]["message_ids"] == ["m-7"]
    assert "utter_heard_family_missing" in responses(dispatcher)
    assert result["heard"]["notes"]


async def test_passport_shop_and_family_told_out_of_order_all_reach_the_plan(
    plan_session, dispatcher, domain
):
    form = ValidateVerkennenForm()
    slots = {}
    said = [
        ("life_here", "ik wil een winkel voor telefoons openen in Conakry", "m-1"),
        ("family_here", "niemand. ik heb wel een paspoort nodig", "m-2"),
        ("has_children", "mijn moeder en mijn zus wonen in Conakry", "m-3"),
    ]
    for slot, text, mid in said:
        result = await getattr(form, f"validate_{slot}")(
            text,
            dispatcher,
            make_tracker(plan_session, text=text, message_id=mid, slots={**slots, "requested_slot": slot}),
            domain,
        )
        slots.update({k: v for k, v in result.items()})
    plan = read_plan(plan_session)
    hopes = plan["sections"]["own_expectations"]["looking_forward_to"]
    assert hopes["value"] == ["ik wil een winkel voor telefoons openen in Conakry"]
    assert hopes["provenance"]["message_ids"] == ["m-1"]
    note = _note(plan)
    assert "paspoort" in note["value"] and note["provenance"]["message_ids"] == ["m-2"]
    family = [s for s in plan["sections"]["support"]["supporters"] if s["where"] == "country_of_origin"]
    assert family and "Conakry" in family[0]["who"] and family[0]["provenance"]["message_ids"] == ["m-3"]
    factor = [f for f in plan["factors"]["overview_1"] if f["factor_key"] == "origin_family_network"]
    assert factor and "Conakry" in factor[0]["explanation"]
    # hopes and family there are settled: not asked again; has_children is still open
    assert slots["hopes"] and slots["family_origin"] and slots["has_children"] is None


# --- 2. free text is an answer ----------------------------------------------------------
async def test_family_told_to_the_children_question_is_taken_in_not_kies_een_knop(
    plan_session, dispatcher, domain
):
    text = "mijn moeder en mijn zus wonen in Conakry"
    form = ValidateVerkennenForm()
    first = await form.validate_has_children(
        text, dispatcher, make_tracker(plan_session, text=text, message_id="m-1"), domain
    )
    assert "utter_unclear_button" not in responses(dispatcher)
    assert responses(dispatcher) == ["utter_heard_family_there"]
    assert first["has_children"] is None and first["family_origin"] == text
    # a second sentence that does not answer it: the question is left open, still no button talk
    again = "dat weet ik nog niet zo goed eigenlijk"
    second = await form.validate_has_children(
        again,
        dispatcher,
        make_tracker(
            plan_session, text=again, message_id="m-2", slots={"unclear_slot": "has_children", **first}
        ),
        domain,
    )
    assert second["has_children"] in (questions.UNKNOWN,) and "utter_unclear_button" not in responses(
        dispatcher
    )


async def test_a_sentence_with_nothing_to_hear_is_noted_and_the_question_comes_again(
    plan_session, dispatcher, domain
):
    text = "daar heb ik nooit zo over nagedacht"
    result = await ValidateVerkennenForm().validate_uses_medication(
        text, dispatcher, make_tracker(plan_session, text=text, message_id="m-4"), domain
    )
    assert result["uses_medication"] is None and result["unclear_slot"] == "uses_medication"
    assert responses(dispatcher) == ["utter_noted_ask_again"]
    assert "nagedacht" in _note(read_plan(plan_session))["value"]


async def test_yes_with_words_and_no_with_a_complaint(plan_session, dispatcher, domain):
    form = ValidateVerkennenForm()
    yes = await form.validate_physical_complaints(
        "ja, hoofdpijn",
        dispatcher,
        make_tracker(plan_session, text="ja, hoofdpijn", intent="affirm", message_id="m-1"),
        domain,
    )
    assert yes["physical_complaints"] is True
    answer = read_plan(plan_session)["sections"]["health"]["physical_complaints"]
    assert answer["value"] is True and answer["note"] == "hoofdpijn"
    text = "nee, alleen soms pijn in rug"
    no_but = await form.validate_physical_complaints(
        text, dispatcher, make_tracker(plan_session, text=text, intent="deny", message_id="m-2"), domain
    )
    assert no_but["physical_complaints"] is True  # never "Uw lichaam geeft u nu geen last."
    assert "utter_reflect_physical_complaints_no" not in responses(dispatcher)


async def test_mijn_dochters_is_a_yes_to_the_children_question(plan_session, dispatcher, domain):
    result = await ValidateVerkennenForm().validate_has_children(
        "mijn dochters",
        dispatcher,
        make_tracker(plan_session, text="mijn dochters", message_id="m-1"),
        domain,
    )
    assert result["has_children"] is True
    assert responses(dispatcher)[0] == "utter_reflect_has_children_yes"


async def test_vague_scale_answers_are_read(plan_session, dispatcher, domain):
    form = ValidateKiezenForm()
    ruler = await form.validate_importance(
        "best veel", dispatcher, make_tracker(plan_session, text="best veel", message_id="m-1"), domain
    )
    assert ruler["importance"] == 7 and responses(dispatcher)[0] == "utter_reflect_ruler_vague"
    verkennen = ValidateVerkennenForm()
    slots = {"family_origin": "mijn moeder", "family_origin_direction": "harder"}
    amount = await verkennen.validate_family_origin_amount(
        "heel erg",
        dispatcher,
        make_tracker(plan_session, text="heel erg", message_id="m-2", slots=slots),
        domain,
    )
    assert amount["family_origin_amount"] == 3
    little = await verkennen.validate_family_origin_amount(
        "een beetje",
        dispatcher,
        make_tracker(plan_session, text="een beetje", message_id="m-3", slots=slots),
        domain,
    )
    assert little["family_origin_amount"] == 1


def test_ja_dat_klopt_is_agreement_not_declining():
    tracker = make_tracker(text="ja dat klopt", intent="decline_answer", confidence=0.9)
    assert no_answer_marker(tracker) is None


async def test_hallo_mid_talk_gets_a_hello_and_the_same_question(plan_session, dispatcher, domain):
    result = await ValidateVerkennenForm().validate_has_children(
        "hallo",
        dispatcher,
        make_tracker(plan_session, text="hallo", intent="greet", message_id="m-1"),
        domain,
    )
    assert result == {"has_children": None}
    assert responses(dispatcher) == ["utter_greet_back"]


async def test_wat_is_dit_says_what_the_talk_is_not_the_privacy_text(dispatcher, domain):
    events = await ActionExplainTalk().run(
        dispatcher,
        make_tracker(text="wat is dit?", intent="ask_what_is_this", active_loop="verkennen_form"),
        domain,
    )
    assert responses(dispatcher) == ["utter_what_is_this"]
    assert any(e.get("event") == "active_loop" for e in events)


# --- 3. follow the client's lead --------------------------------------------------------
async def test_ik_ga_niet_terug_misread_as_go_back_is_pushback(plan_session, dispatcher, domain):
    tracker = make_tracker(
        plan_session,
        text="ik ga niet terug",
        intent="go_back",
        message_id="m-1",
        slots={"requested_slot": "family_origin_direction", "family_origin": "mijn moeder"},
        active_loop="verkennen_form",
    )
    events = await ActionGoBack().run(dispatcher, tracker, domain)
    said = responses(dispatcher)
    assert "utter_go_back" not in said
    assert said == ["utter_reflect_push_back_no_return", "utter_skip_return_questions"]
    slots = _slots(events)
    assert slots["return_scoring"] == "declined"
    assert slots["family_origin_direction"] == SKIPPED and slots["family_origin_amount"] == SKIPPED
    # and no return scoring at all after that
    after = {"family_origin": "mijn moeder", "safety_origin": "rustig", "return_scoring": "declined"}
    assert not [s for s in questions.active_slots("verkennen", after) if s.endswith("_direction")]


async def test_pushback_on_a_topic_offers_to_leave_it(plan_session, dispatcher, domain):
    text = "ik denk niet aan teruggaan. waarom vraagt iedereen dat"
    form = ValidateVerkennenForm()
    result = await form.validate_origin_future(
        text, dispatcher, make_tracker(plan_session, text=text, intent="push_back", message_id="m-1"), domain
    )
    assert responses(dispatcher)[0] == "utter_reflect_push_back_no_return"
    assert result["origin_future"] is None and result["skip_offer"] == "pending"
    assert result["return_scoring"] == "declined"
    slots = {**VERKENNEN_BEFORE_COUNTRY, "country_of_origin": "Guinee", **result}
    event = await form.next_requested_slot(dispatcher, make_tracker(plan_session, slots=slots), domain)
    assert event["value"] == "skip_offer"
    assert (
        domain["responses"]["utter_ask_skip_offer"][0]["text"]
        == "Wilt u het hier liever niet over hebben? Dat mag."
    )
    skipped = await form.validate_skip_offer(
        "/affirm",
        dispatcher,
        make_tracker(plan_session, text="/affirm", intent="affirm", message_id="m-2", slots=slots),
        domain,
    )
    assert skipped["origin_future"] == DECLINED and skipped["skip_offer"] is None
    assert responses(dispatcher)[-1] == "utter_skip_ok"


async def test_stop_with_questions_about_return_is_reflected_not_handed_off(plan_session, dispatcher, domain):
    tracker = make_tracker(
        plan_session, text="stop met deze vragen over terug", intent="push_back", message_id="m-1"
    )
    events = await ActionPushBack().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_reflect_push_back"]
    assert not [e for e in events if e.get("event") in ("pause",)]
    assert _slots(events)["return_scoring"] == "declined"


async def test_return_scoring_is_asked_once_per_talk(plan_session, dispatcher, domain):
    result = await ValidateVerkennenForm().validate_family_origin_direction(
        "Makkelijker",
        dispatcher,
        make_tracker(
            plan_session, text="Makkelijker", message_id="m-1", slots={"family_origin": "mijn moeder"}
        ),
        domain,
    )
    assert result["return_scoring"] == "done"
    slots = {
        "family_origin": "mijn moeder",
        "family_origin_direction": "easier",
        "safety_origin": "rustig",
        "origin_future": "een winkel",
        "return_scoring": "done",
    }
    directions = [s for s in questions.active_slots("verkennen", slots) if s.endswith("_direction")]
    assert directions == ["family_origin_direction"]  # the one already answered, no other


async def test_a_ruler_score_is_followed_by_why_not_a_lower_number(plan_session, dispatcher, domain):
    form = ValidateKiezenForm()
    result = await form.validate_importance(
        "7", dispatcher, make_tracker(plan_session, text="7", message_id="m-1"), domain
    )
    assert result["importance_lower"] == 4
    ask = domain["responses"]["utter_ask_importance_why"][0]["text"]
    assert ask.format(importance=7, importance_lower=4) == "Waarom een 7 en niet een 4?"
    assert "importance_why" in questions.active_slots("kiezen", result)
    why = "mijn kinderen gaan hier naar school"
    answered = await form.validate_importance_why(
        why, dispatcher, make_tracker(plan_session, text=why, message_id="m-2", slots=result), domain
    )
    assert answered["importance_why"] == why
    importance = read_plan(plan_session)["provisional_decision"]["importance"]
    assert importance["value"] == 7 and importance["note"] == why
    assert importance["provenance"]["message_ids"] == ["m-1", "m-2"]


async def test_a_typed_correction_of_one_item_changes_only_that_item(plan_session, dispatcher, domain):
    slots = {
        **VERKENNEN_BEFORE_COUNTRY,
        "country_of_origin": "Senegal",
        "family_origin": "mijn moeder",
        "work_experience": "ik had een winkel",
        "hopes": "een winkel",
    }
    tracker = make_tracker(
        plan_session, text="nee, ik kom uit Guinee", intent="inform", message_id="m-9", slots=slots
    )
    events = await ActionCorrectAnswer().run(dispatcher, tracker, domain)
    changed = _slots(events)
    assert changed["country_of_origin"] == "Guinee"
    assert not [k for k, v in changed.items() if v is None and k in slots]  # nothing else cleared
    assert "utter_ask_what_to_correct" not in responses(dispatcher)
    assert read_plan(plan_session)["client_info"]["country_of_origin"]["value"] == "Guinee"
    # an item named without the new answer: only that question again
    dispatcher.messages.clear()
    events = await ActionCorrectAnswer().run(
        dispatcher,
        make_tracker(
            plan_session, text="mijn werk klopt niet", intent="correct_answer", message_id="m-10", slots=slots
        ),
        domain,
    )
    cleared = [k for k, v in _slots(events).items() if v is None and k in slots]
    assert cleared == ["work_experience"]
    assert responses(dispatcher) == ["utter_correct_item_ask"]

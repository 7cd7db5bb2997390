"""MI round 1: "Nee, ik vertel wel" to the skip offer goes back to the question (Ibrahim was
asked "Wilt u het hier liever niet over hebben?" five times), and no question is asked a
third time in a row. The whole form run (extraction, validation, next slot) with a real Tracker."""

from __future__ import annotations

from actions.forms import ValidateVerkennenForm, asks_in_a_row
from action_helpers import make_tracker, responses
from bot.conversation.questions import SKIPPED, UNKNOWN

BEFORE = {
    "life_here": "ik zit op school",
    "family_here": "mijn vrienden van voetbal",
    "has_children": False,
    "country_of_origin": "Sierra Leone",
    "family_origin": "geen contact",
    "return_scoring": "declined",
    "family_origin_direction": SKIPPED,
    "family_origin_amount": SKIPPED,
    "safety_origin": "ik doe mbo ICT",
}


def _slots(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def _ask(slot):
    return {"event": "bot", "text": "?", "metadata": {"utter_action": f"utter_ask_{slot}"}}


def _user(text):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": "inform"}}}


async def test_no_i_will_tell_goes_back_to_the_question(plan_session, dispatcher, domain):
    slots = {
        **BEFORE,
        "requested_slot": "skip_offer",
        "skip_offer": "pending",
        "skip_topic": "safety_worried",
    }
    tracker = make_tracker(
        plan_session, text="/deny", intent="deny", message_id="m-9", slots=slots, active_loop="verkennen_form"
    )
    events = await ValidateVerkennenForm().run(dispatcher, tracker, domain)
    set_ = _slots(events)
    assert responses(dispatcher) == ["utter_skip_not_wanted"]
    assert set_["skip_offer"] is None and set_["skip_topic"] is None
    assert set_["requested_slot"] == "safety_worried"  # the question, not the skip offer again


async def test_typed_no_i_will_tell_goes_back_to_the_question(plan_session, dispatcher, domain):
    slots = {
        **BEFORE,
        "requested_slot": "skip_offer",
        "skip_offer": "pending",
        "skip_topic": "safety_worried",
    }
    tracker = make_tracker(
        plan_session,
        text="ik zeg nee, ik vertel wel",
        intent="deny",
        message_id="m-9",
        slots=slots,
        active_loop="verkennen_form",
    )
    events = await ValidateVerkennenForm().run(dispatcher, tracker, domain)
    assert _slots(events)["requested_slot"] == "safety_worried"


async def test_country_check_no_goes_to_the_country_question(plan_session, dispatcher, domain):
    slots = {
        "life_here": "ik woon in het azc",
        "family_here": "niemand",
        "has_children": False,
        "requested_slot": "country_check",
        "country_heard": "Guinee",
    }
    tracker = make_tracker(
        plan_session, text="/deny", intent="deny", message_id="m-3", slots=slots, active_loop="verkennen_form"
    )
    events = await ValidateVerkennenForm().run(dispatcher, tracker, domain)
    assert _slots(events)["requested_slot"] == "country_of_origin"


def test_asks_in_a_row_counts_turns_that_asked_the_slot():
    events = [
        _ask("safety_worried"),
        _user("a"),
        _ask("skip_offer"),
        _user("b"),
        _ask("skip_offer"),
        _user("c"),
    ]
    tracker = make_tracker("s", events=events)
    assert asks_in_a_row(tracker, "skip_offer") == 2
    assert asks_in_a_row(tracker, "safety_worried") == 0


async def test_a_question_is_never_asked_a_third_time_in_a_row(plan_session, dispatcher, domain):
    # Asked twice in a row already; the answer again leaves it open: the form moves on.
    events = [_user("ja"), _ask("safety_worried"), _user("hmm"), _ask("safety_worried")]
    slots = {**BEFORE, "requested_slot": "safety_worried"}
    tracker = make_tracker(
        plan_session,
        text="/go",
        intent="inform",
        message_id="m-7",
        slots=slots,
        events=events + [_user("/go")],
        active_loop="verkennen_form",
    )
    events_out = await ValidateVerkennenForm().run(dispatcher, tracker, domain)
    set_ = _slots(events_out)
    assert set_["requested_slot"] != "safety_worried"
    assert set_["safety_worried"] == UNKNOWN
    assert "utter_unclear_moving_on" in responses(dispatcher)


async def test_yes_with_the_medicine_name_is_not_asked_again(plan_session, dispatcher, domain):
    from actions.forms import ValidateVerkennenForm as Form
    from action_helpers import read_plan

    tracker = make_tracker(
        plan_session,
        text="ja, insuline.",
        intent="affirm",
        message_id="m-5",
        slots={"requested_slot": "uses_medication"},
    )
    result = await Form().validate_uses_medication("ja, insuline.", dispatcher, tracker, domain)
    assert result["uses_medication"] is True and result["medication_names"] == "insuline"
    assert responses(dispatcher)[0] == "utter_reflect_medication_names"
    medicines = read_plan(plan_session)["sections"]["health"]["care_checklist"]["medicines"]
    assert "insuline" in str(medicines)


async def test_yes_with_pills_still_asks_the_name(plan_session, dispatcher, domain):
    from actions.forms import ValidateVerkennenForm as Form

    tracker = make_tracker(
        plan_session,
        text="ja, pillen",
        intent="affirm",
        message_id="m-5",
        slots={"requested_slot": "uses_medication"},
    )
    result = await Form().validate_uses_medication("ja, pillen", dispatcher, tracker, domain)
    assert result["uses_medication"] is True and "medication_names" not in result


async def test_a_hope_told_to_the_news_question_is_no_news_source(plan_session, dispatcher, domain):
    from actions.forms import ValidateVerkennenForm as Form

    text = "Ik hoop dat mijn dochters kunnen leren en later werken."
    tracker = make_tracker(
        plan_session, text=text, message_id="m-6", slots={"requested_slot": "info_sources"}
    )
    result = await Form().validate_info_sources(text, dispatcher, tracker, domain)
    assert result["info_sources"] is None
    said = responses(dispatcher)
    assert "utter_reflect_info_sources" not in said and said[0].startswith("utter_reflect_hopes")


async def test_dont_know_with_a_reason_is_an_answer(plan_session, dispatcher, domain):
    from actions.forms import no_answer_marker

    tracker = make_tracker(
        plan_session, text="weet niet, geld", intent="dont_know", slots={"requested_slot": "importance_why"}
    )
    assert no_answer_marker(tracker) is None
    tracker = make_tracker(
        plan_session, text="weet ik niet", intent="dont_know", slots={"requested_slot": "importance_why"}
    )
    assert no_answer_marker(tracker) == UNKNOWN


async def test_a_complaint_told_with_the_answer_is_given_back_in_the_clients_words(
    plan_session, dispatcher, domain
):
    from actions.forms import ValidateVerkennenForm as Form

    tracker = make_tracker(
        plan_session,
        text="ja, hoofdpijn",
        intent="affirm",
        message_id="m-8",
        slots={"requested_slot": "physical_complaints"},
    )
    result = await Form().validate_physical_complaints("ja, hoofdpijn", dispatcher, tracker, domain)
    assert result["physical_complaints"] is True
    assert responses(dispatcher)[0] == "utter_reflect_health_note"
    assert dispatcher.messages[0]["words"] == "hoofdpijn"


async def test_direction_with_amount_in_one_button_skips_hoeveel(plan_session, dispatcher, domain):
    from actions.forms import ValidateVerkennenForm as Form
    from action_helpers import read_plan

    tracker = make_tracker(
        plan_session,
        text="Veel moeilijker",
        message_id="m-4",
        slots={"family_origin": "mijn moeder en zus in Conakry", "requested_slot": "family_origin_direction"},
    )
    result = await Form().validate_family_origin_direction("Veel moeilijker", dispatcher, tracker, domain)
    assert result["family_origin_direction"] == "harder" and result["family_origin_amount"] == 2
    factors = read_plan(plan_session)["factors"]["overview_1"]
    assert any(f.get("score") == -2 for f in factors)
    titles = [b["title"] for b in domain["responses"]["utter_ask_family_origin_direction"][0]["buttons"]]
    assert "Veel moeilijker" in titles and "Een beetje makkelijker" in titles


async def test_a_hope_is_no_pushback_whatever_the_nlu_says(plan_session, dispatcher, domain):
    from actions.forms import is_push_back

    tracker = make_tracker(
        plan_session,
        text="Ik hoop dat ik gezond blijf en weer les kan geven.",
        intent="push_back",
        confidence=0.8,
        slots={"requested_slot": "hopes"},
    )
    assert is_push_back(tracker, "hopes") is False
    tracker = make_tracker(
        plan_session,
        text="waarom vraagt iedereen dat",
        intent="push_back",
        confidence=0.8,
        slots={"requested_slot": "safety_worried"},
    )
    assert is_push_back(tracker, "safety_worried") is True


async def test_healthy_is_given_back_in_the_clients_words(plan_session, dispatcher, domain):
    from actions.forms import ValidateVerkennenForm as Form

    tracker = make_tracker(
        plan_session,
        text="nee, ik ben gezond",
        intent="deny",
        message_id="m-8",
        slots={"requested_slot": "physical_complaints"},
    )
    result = await Form().validate_physical_complaints("nee, ik ben gezond", dispatcher, tracker, domain)
    assert result["physical_complaints"] is False
    assert responses(dispatcher)[0] == "utter_reflect_health_note_no"
    assert dispatcher.messages[0]["words"] == "u bent gezond"


async def test_a_typed_correction_of_one_person_is_taken(plan_session, dispatcher, domain):
    from actions.conversation import ActionCorrectAnswer

    text = "een ding klopt niet: het is mijn nicht in Luanda, niet mijn zus. de rest klopt."
    tracker = make_tracker(
        plan_session,
        text=text,
        intent="correct_answer",
        message_id="m-9",
        slots={"family_origin": "mijn zus woont in Luanda", "phase": "verkennen"},
    )
    events = await ActionCorrectAnswer().run(dispatcher, tracker, domain)
    assert _slots(events)["family_origin"] == "mijn nicht in Luanda"
    assert responses(dispatcher) == ["utter_correct_item_done", "utter_summary_family_origin"]
    assert dispatcher.messages[1]["answer"] == "uw nicht in Luanda"


def test_a_need_is_no_news_source():
    from actions.forms import not_a_source

    assert not_a_source("ppaier nodig, paspoort") and not_a_source("geen geld")
    assert not not_a_source("via internet en mijn broer")


async def test_a_second_answer_without_a_source_is_not_written_as_one(plan_session, dispatcher, domain):
    from actions.forms import ValidateVerkennenForm as Form

    tracker = make_tracker(
        plan_session,
        text="ppaier nodig, paspoort",
        message_id="m-6",
        slots={"requested_slot": "info_sources", "unclear_slot": "info_sources"},
    )
    result = await Form().validate_info_sources("ppaier nodig, paspoort", dispatcher, tracker, domain)
    assert result["info_sources"] == UNKNOWN
    assert "utter_reflect_info_sources" not in responses(dispatcher)
    from action_helpers import read_plan
    from bot.conversation.listening import NOTES_PATH

    node = read_plan(plan_session)
    for part in NOTES_PATH.split("."):
        node = node.get(part) or {}
    assert "paspoort" in node["value"] and node["provenance"]["message_ids"] == ["m-6"]


async def test_pushback_again_after_declining_the_skip_leaves_the_topic(plan_session, dispatcher, domain):
    from actions.forms import ValidateVerkennenForm as Form
    from bot.conversation.questions import DECLINED

    slots = {
        **BEFORE,
        "requested_slot": "skip_offer",
        "skip_offer": "pending",
        "skip_topic": "safety_worried",
    }
    declined = await Form().validate_skip_offer(
        "/deny",
        dispatcher,
        make_tracker(plan_session, text="/deny", intent="deny", message_id="m-9", slots=slots),
        domain,
    )
    assert declined["heard"]["skip_declined"] == ["safety_worried"]
    text = "ik denk niet aan teruggaan. stop met deze vragen over terug"
    again = await Form().validate_safety_worried(
        text,
        dispatcher,
        make_tracker(
            plan_session,
            text=text,
            intent="push_back",
            message_id="m-10",
            slots={**BEFORE, **declined, "requested_slot": "safety_worried"},
        ),
        domain,
    )
    assert again["safety_worried"] == DECLINED and again.get("skip_offer") is None
    assert responses(dispatcher)[-1] == "utter_skip_ok"

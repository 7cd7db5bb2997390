"""Issue 4: every client section of the plan is asked and written with its message id.

Background, information sources, the factors of work and care in the country of
origin, what the family expects, a goal and what it needs, the children's school,
help later and consent to share: each validator writes a schema-valid plan entry.
"""

from __future__ import annotations

import pytest

from actions.forms import ValidateKiezenForm, ValidateVerkennenForm, ValidateVerkrijgenForm
from action_helpers import make_tracker, read_plan, responses
from bot.conversation import questions
from bot.conversation.questions import DECLINED

MID = "m-00000000000000b2"


def _validate(form, slot):
    return getattr(form, f"validate_{slot}")


async def test_work_experience_and_education_go_to_the_background_with_where(
    plan_session, dispatcher, domain
):
    form = ValidateVerkennenForm()
    slots = {"country_of_origin": "Guinee"}
    text = "Ik had een winkel in Conakry en ik was kok"
    await _validate(form, "work_experience")(
        text, dispatcher, make_tracker(plan_session, text=text, message_id=MID, slots=slots), domain
    )
    await _validate(form, "education")(
        "taalles in het azc",
        dispatcher,
        make_tracker(plan_session, text="taalles in het azc", message_id=MID, slots=slots),
        domain,
    )
    background = read_plan(plan_session)["sections"]["background"]
    assert [(w["description"], w["where"]) for w in background["work_experience"]] == [
        (text, "country_of_origin")
    ]
    assert [(e["description"], e["where"]) for e in background["education"]] == [
        ("taalles in het azc", "netherlands")
    ]
    assert background["education"][0]["provenance"]["message_ids"] == [MID]
    # Each answer: the words given back, then what they seem to mean (MI: reflect twice).
    # A second reflection only where it can name what was said (MI round 1): "taalles" is no
    # thing the bot can give a meaning to, so the word reflection stands alone.
    assert responses(dispatcher) == [
        "utter_reflect_work_experience",
        "utter_deepen_thing_strength",
        "utter_reflect_education",
    ]
    assert dispatcher.messages[0]["words"].startswith("u had een winkel")


async def test_no_work_yet_is_an_answer_but_not_an_item(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, text="Ik heb nog niet gewerkt", message_id=MID)
    result = await _validate(ValidateVerkennenForm(), "work_experience")(
        "Ik heb nog niet gewerkt", dispatcher, tracker, domain
    )
    assert result["work_experience"] == "Ik heb nog niet gewerkt"
    assert responses(dispatcher) == ["utter_reflect_work_experience_nothing"]
    assert not read_plan(plan_session)["sections"]["background"].get("work_experience")


@pytest.mark.parametrize("slot,word", [("education", "geen"), ("work_experience", "niets")])
async def test_a_bare_none_to_work_or_school_is_an_answer_but_not_an_item(
    plan_session, dispatcher, domain, slot, word
):
    tracker = make_tracker(plan_session, text=word, message_id=MID)
    result = await _validate(ValidateVerkennenForm(), slot)(word, dispatcher, tracker, domain)
    assert result[slot] == word
    assert responses(dispatcher) == [f"utter_reflect_{slot}_nothing"]
    assert not read_plan(plan_session)["sections"]["background"].get(slot)


async def test_information_sources_one_item_per_kind(plan_session, dispatcher, domain):
    text = "via whatsapp en mijn broer belt soms"
    tracker = make_tracker(plan_session, text=text, message_id=MID)
    await _validate(ValidateVerkennenForm(), "info_sources")(text, dispatcher, tracker, domain)
    sources = read_plan(plan_session)["sections"]["information"]["current_sources"]
    assert [s["type"] for s in sources] == ["social_media", "family_friends"]
    assert all(s["description"] == text for s in sources)


async def test_declined_sources_mark_the_section_so_a_later_session_does_not_ask(
    plan_session, dispatcher, domain
):
    tracker = make_tracker(plan_session, text="sla over", intent="decline_answer", message_id=MID)
    result = await _validate(ValidateVerkennenForm(), "info_sources")("sla over", dispatcher, tracker, domain)
    assert result["info_sources"] == DECLINED
    plan = read_plan(plan_session)
    assert plan["sections"]["information"]["status"] == "declined"
    assert questions.slot_values_from_plan(plan)["info_sources"] == DECLINED


@pytest.mark.parametrize(
    "slot, factor_key", [("origin_future", "origin_work"), ("origin_care", "origin_health_services")]
)
async def test_factors_of_the_country_of_origin_keep_the_clients_words(
    plan_session, dispatcher, domain, slot, factor_key
):
    text = "Ik weet niet of er insuline is in het ziekenhuis daar"
    tracker = make_tracker(plan_session, text=text, message_id=MID)
    await _validate(ValidateVerkennenForm(), slot)(text, dispatcher, tracker, domain)
    [factor] = read_plan(plan_session)["factors"]["overview_1"]
    assert factor["factor_key"] == factor_key and factor["explanation"] == text
    assert factor["score"] is None  # scored only in the next two turns, with permission


async def test_family_expectations_fill_section_8(plan_session, dispatcher, domain):
    text = "Ze denken dat ik geld stuur en een auto heb"
    tracker = make_tracker(plan_session, text=text, message_id=MID)
    await _validate(ValidateKiezenForm(), "family_expectations")(text, dispatcher, tracker, domain)
    section = read_plan(plan_session)["sections"]["expectations_left_behind"]
    assert section["had_expectations"]["value"] is True
    assert section["expectations"]["value"] == text
    assert responses(dispatcher) == ["utter_reflect_family_expectations", "utter_deepen_thing_expected"]
    assert dispatcher.messages[1]["bare"] == "geld"


async def test_family_expects_nothing(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, text="niks", message_id=MID)
    await _validate(ValidateKiezenForm(), "family_expectations")("niks", dispatcher, tracker, domain)
    section = read_plan(plan_session)["sections"]["expectations_left_behind"]
    assert section["had_expectations"]["value"] is False and "expectations" not in section
    assert responses(dispatcher) == ["utter_reflect_family_expectations_nothing"]


async def test_a_goal_and_its_needs_are_linked(plan_session, dispatcher, domain):
    form = ValidateKiezenForm()
    slots = {"decision_option": "stay_in_netherlands"}
    result = await _validate(form, "goal")(
        "een opleiding tot kapper",
        dispatcher,
        make_tracker(plan_session, text="een opleiding tot kapper", message_id=MID, slots=slots),
        domain,
    )
    goal_id = result["goal_id"]
    assert goal_id.startswith("g-")
    slots.update(goal="een opleiding tot kapper", goal_id=goal_id)
    await _validate(form, "goal_needs")(
        "geld en tijd",
        dispatcher,
        make_tracker(plan_session, text="geld en tijd", message_id=MID, slots=slots),
        domain,
    )
    plan = read_plan(plan_session)
    [goal] = plan["sections"]["goals"]["items"]
    assert (goal["id"], goal["domain"], goal["where"]) == (goal_id, "education", "netherlands")
    [need] = plan["sections"]["goal_needs"]["items"]
    assert (need["goal_id"], need["domain"], need["aspect"]) == (goal_id, "education", "money")


async def test_information_is_given_only_after_a_yes(dispatcher, domain):
    form = ValidateKiezenForm()
    no = await _validate(form, "support_info")(
        "/deny",
        dispatcher,
        make_tracker(text="/deny", intent="deny", slots={"decision_option": "undecided"}),
        domain,
    )
    assert no["support_info"] is False and responses(dispatcher) == ["utter_info_not_now"]
    yes = await _validate(form, "support_info")(
        "ja",
        dispatcher,
        make_tracker(text="ja", intent="affirm", slots={"decision_option": "undecided"}),
        domain,
    )
    assert yes["support_info"] is True and responses(dispatcher)[-1] == "utter_info_support_info"
    for variation in domain["responses"]["utter_info_support_info"]:
        assert variation["metadata"]["mi_code"] == "information_with_permission"
        assert "niets beloven" in variation["text"]  # names who can tell, promises nothing


async def test_children_school_help_later_and_consent(plan_session, dispatcher, domain):
    form = ValidateVerkrijgenForm()
    slots = {"has_children": True, "decision_option": "return_with_support"}
    await _validate(form, "children_school")(
        "de school van mijn zus in Kabul",
        dispatcher,
        make_tracker(plan_session, text="de school van mijn zus in Kabul", message_id=MID, slots=slots),
        domain,
    )
    await _validate(form, "wants_guidance")(
        "/affirm",
        dispatcher,
        make_tracker(plan_session, text="/affirm", intent="affirm", message_id=MID, slots=slots),
        domain,
    )
    await _validate(form, "consent_share")(
        "/deny",
        dispatcher,
        make_tracker(plan_session, text="/deny", intent="deny", message_id=MID, slots=slots),
        domain,
    )
    plan = read_plan(plan_session)
    assert plan["sections"]["children"]["school"]["value"] == "de school van mijn zus in Kabul"
    assert plan["sections"]["monitoring"]["wants_guidance"]["value"] is True
    assert plan["consent"]["share_with_organisations"]["value"] is False
    assert plan["consent"]["share_with_organisations"]["provenance"]["message_ids"] == [MID]


async def test_consent_later_is_recorded_as_unknown_never_as_yes(plan_session, dispatcher, domain):
    tracker = make_tracker(plan_session, text="/dont_know", intent="dont_know", message_id=MID)
    await _validate(ValidateVerkrijgenForm(), "consent_share")("/dont_know", dispatcher, tracker, domain)
    consent = read_plan(plan_session)["consent"]["share_with_organisations"]
    assert consent["status"] == "unknown" and consent.get("value") is None


def test_every_client_section_of_the_plan_is_asked_in_its_phase():
    """docs/specs/action-plan.md: each section a client can answer has a question in its phase."""
    from bot.plan.catalog import field_catalog

    asked = {}
    for q in questions.QUESTIONS:
        if q.path:
            asked.setdefault(
                q.path.split(".")[1] if q.path.startswith("sections.") else q.path.split(".")[0], set()
            ).add(q.phase)
    asked.setdefault("practical_matters", set()).add("verkrijgen")  # action items (step questions)
    sections = {f.section for f in field_catalog()}
    # Asked by a counsellor, not the bot: organisations involved and how the handover works
    # (docs/specs/action-plan.md §11 "counsellor (client adds)"); the client's consent to
    # share is asked.
    left_for_counsellor = {"organisations_handover"}
    missing = sections - set(asked) - left_for_counsellor
    assert not missing, f"client sections never asked: {sorted(missing)}"


async def test_worried_about_safety_keeps_the_words_said_just_before(plan_session, dispatcher, domain):
    said = "Daar zijn nog steeds mensen die mijn familie zoeken"
    tracker = make_tracker(
        plan_session, text="/affirm", intent="affirm", message_id=MID, slots={"safety_origin": said}
    )
    await _validate(ValidateVerkennenForm(), "safety_worried")("/affirm", dispatcher, tracker, domain)
    safety = read_plan(plan_session)["sections"]["safety"]
    assert safety["worried"]["value"] is True and safety["worries"]["value"] == said
    assert responses(dispatcher) == ["utter_reflect_safety_worried_yes"]


async def test_a_low_confidence_decline_is_not_recorded_as_a_refusal(plan_session, dispatcher, domain):
    """An emotional sentence whose safety intent was set aside can arrive as
    decline_answer with confidence ~0: it is the client's answer, not a refusal."""
    text = "ik huil de hele dag"
    tracker = make_tracker(plan_session, text=text, intent="decline_answer", confidence=0.001, message_id=MID)
    result = await _validate(ValidateVerkennenForm(), "worries")(text, dispatcher, tracker, domain)
    assert result["worries"] == text
    assert read_plan(plan_session)["sections"]["own_expectations"]["worries"][0]["worry"] == text
    # a tapped "Dat zeg ik liever niet" button or a sure decline still is one
    sure = make_tracker(
        plan_session, text="dat wil ik niet zeggen", intent="decline_answer", confidence=0.97, message_id=MID
    )
    result = await _validate(ValidateVerkennenForm(), "hopes")(
        "dat wil ik niet zeggen", dispatcher, sure, domain
    )
    assert result["hopes"] == DECLINED


async def test_vorige_vraag_taken_for_an_answer_goes_back_and_is_not_recorded(
    plan_session, dispatcher, domain
):
    slots = {"life_here": "azc", "family_here": "mijn broer", "has_children": False}
    tracker = make_tracker(
        plan_session, text="terug naar de vorige vraag", intent="inform", message_id=MID, slots=slots
    )
    result = await _validate(ValidateVerkennenForm(), "country_of_origin")(
        "terug naar de vorige vraag", dispatcher, tracker, domain
    )
    # the previous answer (and what only it made relevant) is emptied, so the form asks it next
    assert result["has_children"] is None and result["country_of_origin"] is None
    assert "life_here" not in result and "family_here" not in result
    assert responses(dispatcher) == ["utter_go_back"]
    assert "country_of_origin" not in read_plan(plan_session)["client_info"]

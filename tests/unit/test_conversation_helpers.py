"""bot/conversation: phase order, the slot -> plan map, normalisers, reflections."""

from __future__ import annotations

import pytest

from bot.conversation import normalise, phases, questions
from bot.conversation.reflection import client_words, to_second_person


# --- phases ------------------------------------------------------------------
def test_phases_run_in_order_and_afgerond_is_the_end():
    assert phases.next_phase("verkennen") == "kiezen"
    assert phases.next_phase("kiezen") == "verkrijgen"
    assert phases.next_phase("verkrijgen") == "afgerond"
    assert phases.next_phase("afgerond") == "afgerond"
    assert phases.previous_phase("kiezen") == "verkennen"
    assert phases.previous_phase("verkennen") == "verkennen"


def test_unknown_phase_is_refused_with_a_clear_error():
    with pytest.raises(ValueError, match="unknown phase 'behouden'"):
        phases.next_phase("behouden")


def test_every_phase_but_afgerond_has_a_form_and_back():
    for phase in ("verkennen", "kiezen", "verkrijgen"):
        assert phases.phase_of_form(phases.form_for_phase(phase)) == phase
    assert phases.form_for_phase("afgerond") is None
    assert phases.form_for_phase(None) == "verkennen_form"


# --- the slot -> plan map ------------------------------------------------------
def test_next_unanswered_skips_answers_refusals_and_not_knowing():
    values = {"life_here": "ik woon in het azc", "family_here": questions.DECLINED, "has_children": False}
    assert questions.next_unanswered("verkennen", values) == "country_of_origin"
    values["country_of_origin"] = questions.UNKNOWN
    assert questions.next_unanswered("verkennen", values) == "family_origin"
    values["family_origin"] = questions.DECLINED  # nothing to score: on to safety
    assert questions.next_unanswered("verkennen", values) == "safety_origin"
    values["family_origin"] = "mijn moeder"
    assert questions.next_unanswered("verkennen", values) == "family_origin_direction"


def test_follow_up_questions_apply_only_when_their_answer_calls_for_them():
    values = {"family_origin": "mijn moeder", "uses_medication": False}
    active = questions.active_slots("verkennen", values)
    assert "family_origin_direction" in active and "family_origin_amount" not in active
    assert "medication_names" not in active
    values.update(family_origin_direction="harder", uses_medication=True)
    active = questions.active_slots("verkennen", values)
    assert "family_origin_amount" in active and "medication_names" in active
    values["family_origin_direction"] = "neither"
    assert "family_origin_amount" not in questions.active_slots("verkennen", values)
    assert questions.active_slots("verkrijgen", {"step_what": questions.UNKNOWN}) == [
        "step_kind",
        "step_what",
        "more_steps",
        "wants_guidance",
        "consent_share",
    ]


def test_care_abroad_is_asked_only_after_a_health_complaint_and_children_only_if_they_move():
    values = {"physical_complaints": False, "mental_complaints": False, "uses_medication": False}
    assert "origin_care" not in questions.active_slots("verkennen", values)
    values["mental_complaints"] = True
    assert "origin_care" in questions.active_slots("verkennen", values)
    children = {"children_school", "children_language"}
    assert not children & set(questions.active_slots("verkrijgen", {"has_children": False}))
    assert children <= set(
        questions.active_slots("verkrijgen", {"has_children": True, "decision_option": "undecided"})
    )
    # staying: the children's school here is not a return question
    assert not children & set(
        questions.active_slots("verkrijgen", {"has_children": True, "decision_option": "stay_in_netherlands"})
    )


def test_new_kinds_write_their_items():
    values = {
        "country_of_origin": "Guinee",
        "decision_option": "return_with_support",
        "goal_id": "g-1234abcd",
        "goal": "een eigen winkel",
    }
    assert questions.plan_writes("work_experience", "ik had een winkel in Conakry", values) == [
        (
            "sections.background.work_experience",
            {"description": "ik had een winkel in Conakry", "where": "country_of_origin"},
        )
    ]
    assert questions.plan_writes("education", "taalles in het azc", values)[0][1]["where"] == "netherlands"
    assert questions.plan_writes("work_experience", "Ik heb nog niet gewerkt", values) == []
    sources = questions.plan_writes("info_sources", "via whatsapp en mijn broer", values)
    assert [item["type"] for _, item in sources] == ["social_media", "family_friends"]
    assert questions.plan_writes("goal", "een eigen winkel", values) == [
        (
            "sections.goals.items",
            {
                "id": "g-1234abcd",
                "domain": "work",
                "description": "een eigen winkel",
                "where": "country_of_origin",
            },
        )
    ]
    assert questions.plan_writes("goal_needs", "geld en een cursus", values) == [
        (
            "sections.goal_needs.items",
            {
                "goal_id": "g-1234abcd",
                "domain": "work",
                "aspect": "money",
                "description": "geld en een cursus",
            },
        )
    ]
    assert questions.plan_writes("family_expectations", "dat ik geld stuur", values) == [
        ("sections.expectations_left_behind.had_expectations", True),
        ("sections.expectations_left_behind.expectations", "dat ik geld stuur"),
    ]
    assert questions.plan_writes("family_expectations", "niks", values) == [
        ("sections.expectations_left_behind.had_expectations", False)
    ]
    assert questions.plan_no_answer("consent_share", "declined") == (
        "consent.share_with_organisations",
        None,
        "declined",
    )


def test_answered_items_leave_out_refusals_in_question_order():
    values = {
        "family_origin": "mijn moeder",
        "life_here": "azc",
        "family_here": questions.DECLINED,
        "family_origin_direction": "easier",
        "family_origin_amount": 2,
        "has_children": False,
    }
    assert questions.answered_items("verkennen", values) == [
        ("life_here", "azc"),
        ("has_children", False),
        ("family_origin", "mijn moeder"),
    ]


def test_family_here_becomes_a_supporter_item_in_the_netherlands():
    path, item = questions.plan_write("family_here", "mijn broer en zijn vrouw")
    assert path == "sections.support.supporters"
    assert item == {
        "category": "family",
        "who": "mijn broer en zijn vrouw",
        "helps_with": None,
        "where": "netherlands",
    }


def test_family_origin_becomes_factor_7_with_the_clients_words():
    path, item = questions.plan_write("family_origin", "mijn moeder in Conakry")
    assert path == "factors.overview_1"
    assert item["factor_no"] == 7 and item["factor_key"] == "origin_family_network"
    assert item["explanation"] == "mijn moeder in Conakry" and item["score"] is None


def test_plain_answers_go_to_their_path_unchanged():
    assert questions.plan_write("country_of_origin", "Guinee") == ("client_info.country_of_origin", "Guinee")
    assert questions.plan_write("decision_option", "undecided") == (
        "provisional_decision.option",
        "undecided",
    )


def test_refusals_keep_their_status_where_the_plan_has_a_place():
    assert questions.plan_no_answer("country_of_origin", "declined") == (
        "client_info.country_of_origin",
        None,
        "declined",
    )
    path, item, write_status = questions.plan_no_answer("life_here", "unknown")
    assert (path, item["status"], write_status) == ("factors.overview_1", "unknown", "answered")
    assert questions.plan_no_answer("family_here", "declined") is None
    assert questions.plan_no_answer("importance", "unknown") == (
        "provisional_decision.importance",
        None,
        "unknown",
    )


def test_scoring_writes_the_factor_with_the_clients_words_and_the_score():
    values = {"family_origin": "mijn zus in Luanda", "family_origin_direction": "harder"}
    path, item = questions.plan_write("family_origin_amount", -2, values)
    assert path == "factors.overview_1"
    assert (item["factor_key"], item["score"], item["explanation"]) == (
        "origin_family_network",
        -2,
        "mijn zus in Luanda",
    )
    path, item = questions.plan_write("family_origin_direction", None, values)
    assert item["score"] is None and item["explanation"] == "mijn zus in Luanda"


def test_list_kinds_become_items():
    assert questions.plan_write("medication_names", "insuline") == (
        "sections.health.care_checklist.medicines",
        {"substance": "insuline"},
    )
    assert questions.plan_write("worries", "geen werk") == (
        "sections.own_expectations.worries",
        {"worry": "geen werk"},
    )
    assert questions.plan_write("hopes", "mijn moeder zien") == (
        "sections.own_expectations.looking_forward_to",
        ["mijn moeder zien"],
    )
    assert questions.plan_write("has_children", True) == ("sections.children.has_children", True)


def test_slot_values_from_plan_restore_answers_refusals_and_scores():
    def answered(value):
        return {"value": value, "status": "answered"}

    plan = {
        "phase_reached": "kiezen",
        "client_info": {"country_of_origin": answered("Angola")},
        "factors": {
            "overview_1": [
                {
                    "factor_key": "origin_family_network",
                    "status": "answered",
                    "explanation": "zus",
                    "score": 1,
                },
                {"factor_key": "origin_safety", "status": "declined", "explanation": None, "score": None},
                {"factor_key": "nl_housing", "status": "answered", "explanation": "azc", "score": None},
            ]
        },
        "sections": {
            "support": {
                "supporters": [
                    {"who": "broer", "where": "netherlands"},
                    {"who": "kerk", "where": "netherlands"},
                ]
            },
            "health": {
                "uses_medication": answered(True),
                "care_checklist": {"medicines": [{"substance": "insuline"}]},
            },
            "background": {"talents": {"status": "declined"}},
            "own_expectations": {"looking_forward_to": answered(["rust", "werk"])},
        },
        "provisional_decision": {"option": answered("undecided"), "importance": answered(0)},
    }
    values = questions.slot_values_from_plan(plan)
    assert values == {
        "life_here": "azc",
        "family_here": "broer, kerk",
        "country_of_origin": "Angola",
        "family_origin": "zus",
        "family_origin_direction": questions.FROM_PLAN,
        "family_origin_amount": questions.FROM_PLAN,
        "safety_origin": questions.DECLINED,
        "uses_medication": True,
        "medication_names": "insuline",
        "talents": questions.DECLINED,
        "hopes": "rust, werk",
        "decision_option": "undecided",
        "importance": 0,
    }


def test_action_parts_are_not_written_one_by_one():
    with pytest.raises(ValueError):
        questions.plan_write("step_who", "ik zelf")


# --- normalisers -----------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("ik kom uit guinée", "Guinee"),
        ("Guinea", "Guinee"),
        ("Sierra leone", "Sierra Leone"),
        ("from nigeria", "Nigeria"),
        ("afganistan", "Afghanistan"),
        ("je viens du maroc", "Marokko"),
        ("ik woon in het azc", None),
    ],
    ids=["accent", "english", "two-words", "english-from", "misspelled", "french", "no-country"],
)
def test_country(text, expected):
    assert normalise.country(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Terugkeren met hulp", "return_with_support"),
        ("ik wil terug met steun van IOM", "return_with_support"),
        ("Zelf terugkeren, zonder hulp", "return_independently"),
        ("In Nederland blijven", "stay_in_netherlands"),
        ("ik ga nooit terug", "stay_in_netherlands"),
        ("naar duitsland", "onward_migration"),
        ("Ik weet het nog niet", "undecided"),
        ("terug", None),
        ("mijn moeder", None),
    ],
    ids=[
        "button-support",
        "iom",
        "button-alone",
        "button-stay",
        "never-back",
        "onward",
        "undecided",
        "bare-terug-is-ambiguous",
        "unrelated",
    ],
)
def test_decision_option(text, expected):
    assert normalise.decision_option(text) == expected


@pytest.mark.parametrize(
    "text, category",
    [
        ("mijn broer en zijn vrouw", "family"),
        ("vrienden van school", "friends"),
        ("mensen van de kerk", "religious_communities"),
        ("vluchtelingenwerk", "organisations"),
        ("niemand", "other"),
    ],
)
def test_supporter_category(text, category):
    assert normalise.supporter_category(text) == category


@pytest.mark.parametrize(
    "text, kind",
    [
        ("een paspoort halen bij de ambassade", "travel_document"),
        ("laissez-passer aanvragen", "travel_document"),
        ("hulp aanvragen bij IOM", "return_support_application"),
        ("mijn broer bellen", "contact_family"),
        ("mijn insuline regelen", "medication_and_records"),
        ("iets met mijn leven", "other"),
    ],
)
def test_action_kind(text, kind):
    assert normalise.action_kind(text) == kind


def test_action_owner_and_section():
    assert normalise.action_owner("Ik zelf") == "client"
    assert normalise.action_owner("Samen met mijn begeleider") == "counsellor"
    assert normalise.action_owner("mijn broer") == "family_or_friend"
    assert normalise.action_owner("Iemand anders") == "other"
    assert normalise.action_section("travel_document") == "practical_matters"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ja", True),
        ("ja hoor", True),
        ("oui", True),
        ("klopt", True),
        ("nee", False),
        ("liever niet", False),
        ("no", False),
        ("misschien", None),
        ("ja nee", None),
    ],
)
def test_yes_no(text, expected):
    assert normalise.yes_no(text) is expected


def test_dont_know_and_decline_are_recognised_only_in_short_answers():
    assert normalise.is_dont_know("weet ik niet")
    assert normalise.is_dont_know("je ne sais pas")
    assert normalise.is_decline("dat zeg ik liever niet")
    assert normalise.is_decline("sla over")
    assert not normalise.is_dont_know("mijn broer weet niet dat ik hier ben en mijn moeder is ziek en alleen")
    assert not normalise.is_decline("mijn moeder")
    assert not normalise.is_decline("paspoort regelen bij de ambassade")
    assert not normalise.is_dont_know("ik weet nietsnut")


# --- reflections -------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("ik woon in azc ter apel met mijn broer", "u woont in azc ter apel met uw broer"),
        ("Ik ben alleen, ik mis mijn moeder", "u bent alleen, u mist uw moeder"),
        ("heb ik niet", "heeft u niet"),
        ("mijn vader helpt me", "uw vader helpt u"),
    ],
)
def test_to_second_person(text, expected):
    assert to_second_person(text) == expected


def test_client_words_cut_long_answers_and_ignore_payloads():
    long = "ik " + " ".join(f"woord{i}" for i in range(40))
    short = client_words(long)
    assert short.endswith("…") and len(short.split()) <= 20
    assert client_words("/affirm") == ""
    assert client_words("   ") == ""
    assert client_words("Mijn zus woont nog in Conakry. Ze is lief.") == "uw zus woont nog in Conakry"
    assert client_words("Ik ben moe. Het is zwaar hier.") == "u bent moe. Het is zwaar hier"

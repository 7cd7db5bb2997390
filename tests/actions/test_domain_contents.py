"""domain.yml holds every bot text, each with an MI code, and asks every question."""

from __future__ import annotations

import re

from bot.conversation import phases, questions

MI_CODES = {
    "open_question",
    "closed_question",
    "simple_reflection",
    "complex_reflection",
    "affirmation",
    "summary",
    "information_with_permission",
    "structure",
    "handoff",
}


def test_every_response_variation_carries_a_known_mi_code(domain):
    for name, variations in domain["responses"].items():
        for variation in variations:
            code = (variation.get("metadata") or {}).get("mi_code")
            assert code in MI_CODES, f"{name}: mi_code {code!r}"


def test_every_question_slot_is_in_its_form_and_asked(domain):
    for phase in ("verkennen", "kiezen", "verkrijgen"):
        form = phases.form_for_phase(phase)
        assert domain["forms"][form]["required_slots"] == questions.slots_for_phase(phase)
        for slot in questions.slots_for_phase(phase):
            assert f"utter_ask_{slot}" in domain["responses"], slot


def test_every_question_has_the_responses_its_validator_and_summary_use(domain):
    names = set(domain["responses"])
    missing = []
    for q in questions.QUESTIONS:
        wanted = [f"utter_ask_{q.slot}"]
        if q.kind in (
            questions.TEXT,
            questions.TEXT_LIST,
            questions.FACTOR,
            questions.SUPPORTER,
            questions.MEDICINE,
            questions.WORRY,
            questions.RULER,
        ):
            wanted.append(f"utter_reflect_{q.slot}")
        if q.kind == questions.YES_NO:
            wanted += [
                f"utter_reflect_{q.slot}_yes",
                f"utter_reflect_{q.slot}_no",
                f"utter_summary_{q.slot}_yes",
                f"utter_summary_{q.slot}_no",
            ]
        elif q.kind in questions.SUMMARY_KINDS and q.kind not in (questions.OPTION, questions.COUNTRY):
            wanted.append(f"utter_summary_{q.slot}")
        missing += [name for name in wanted if name not in names]
    assert missing == []


def test_responses_the_actions_utter_exist(domain):
    names = set(domain["responses"])
    for reason in ("crisis", "emotion", "request", "uncertain"):
        assert f"utter_handoff_{reason}" in names
    for option in (
        "return_with_support",
        "return_independently",
        "stay_in_netherlands",
        "onward_migration",
        "undecided",
    ):
        assert f"utter_reflect_option_{option}" in names and f"utter_summary_option_{option}" in names
    for phase in ("kiezen", "verkrijgen", "afgerond"):
        assert f"utter_phase_{phase}" in names
    for direction in ("harder", "easier", "neither"):
        assert f"utter_reflect_factor_{direction}" in names
    assert "utter_system_rasa_down" in names  # the API shows it when Rasa is down


def test_correction_buttons_name_known_topics(domain):
    from actions.conversation import CORRECTION_TOPICS

    for button in domain["responses"]["utter_ask_what_to_correct"][0]["buttons"]:
        topic = button["payload"].split('"correct_topic": "')[1].split('"')[0]
        assert topic == "none" or topic in CORRECTION_TOPICS


def test_open_questions_ask_one_thing(domain):
    for slot in questions.all_slots():
        for variation in domain["responses"][f"utter_ask_{slot}"]:
            assert variation["text"].count("?") <= 2, slot


def test_no_pressure_or_promise_words_in_bot_texts(domain):
    banned = re.compile(r"\b(moet u|u kunt beter|zeker weten|beloof|garantie|de meeste mensen)\b", re.I)
    for name, variations in domain["responses"].items():
        for variation in variations:
            assert not banned.search(variation["text"]), name


def test_questions_and_reflections_have_variations_so_the_bot_does_not_sound_repetitive(domain):
    """Issue 4: several variations per response. Every question the form asks in the
    client's own words and every reflection of such an answer has at least two."""
    single = []
    for q in questions.QUESTIONS:
        if q.kind in (
            questions.TEXT,
            questions.TEXT_LIST,
            questions.FACTOR,
            questions.SUPPORTER,
            questions.MEDICINE,
            questions.WORRY,
            questions.EXPERIENCE,
            questions.SOURCE,
            questions.GOAL,
            questions.NEED,
            questions.EXPECTATIONS,
        ):
            for name in (f"utter_ask_{q.slot}", f"utter_reflect_{q.slot}"):
                if len(domain["responses"].get(name, [])) < 2:
                    single.append(name)
    for name in (
        "utter_reflect_double_sided",
        "utter_reflect_factor_harder",
        "utter_reflect_factor_easier",
        "utter_reflect_factor_neither",
        "utter_reflect_importance",
        "utter_reflect_confidence",
    ):
        if len(domain["responses"][name]) < 2:
            single.append(name)
    assert single == []


def test_every_variation_of_a_response_offers_the_same_buttons(domain):
    """A variation must not lose the "Sla over" or "Ik wil met een mens praten" button."""
    for name, variations in domain["responses"].items():
        plain = [v for v in variations if not v.get("condition")]
        offered = {tuple((b["title"], b["payload"]) for b in v.get("buttons") or []) for v in plain}
        assert len(offered) <= 1, name

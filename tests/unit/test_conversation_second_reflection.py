"""The second reflection after an answer (bot/conversation/second_reflection.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.conversation import normalise, second_reflection as sr
from bot.conversation.questions import DECLINED, UNKNOWN, question

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))
RESPONSES = DOMAIN["responses"]


def _codes(name):
    return {v.get("metadata", {}).get("mi_code") for v in RESPONSES[name]}


@pytest.mark.parametrize("slot", sr.DEEPENED_SLOTS)
def test_every_deepened_question_has_complex_reflections_in_the_domain(slot):
    assert question(slot).slot == slot  # a real question
    assert _codes(f"utter_deepen_{slot}") == {"complex_reflection"}
    assert len(RESPONSES[f"utter_deepen_{slot}"]) >= 2  # variation, not a refrain


@pytest.mark.parametrize("slot", sr.DEEPENED_SLOTS)
def test_the_word_reflection_before_it_only_gives_the_words_back(slot):
    # The meaning moved to utter_deepen_*: a word reflection that also interprets would make
    # the pair say the same thing twice.
    assert _codes(f"utter_reflect_{slot}") <= {"simple_reflection", "affirmation"}


def test_other_second_reflections_exist_and_are_coded():
    names = [
        u
        for u in RESPONSES
        if u.startswith(("utter_deepen_", "utter_reflect_direction_", "utter_reflect_step_"))
    ]
    for name in names:
        assert _codes(name) and None not in _codes(name), name
    for slot in sr.RULERS:
        for band in ("zero", "low", "middle", "high"):
            assert _codes(f"utter_deepen_{slot}_{band}") == {"complex_reflection"}


def test_plain_answer_gets_the_slots_meaning_reflection():
    u = sr.after_answer("worries", "mijn kinderen", {})  # the client's words, no stock line
    assert u == sr.Utterance("utter_deepen_thing_hard", {"Thing": "Uw kinderen", "bare": "Uw kinderen"})
    assert sr.after_answer("step_kind", "werk", {}) is None  # not an open question with a meaning


def test_hopes_after_worries_link_both_in_the_clients_words():
    u = sr.after_answer("hopes", "Ik wil weer werken", {"worries": "dat ik mijn familie niet kan helpen"})
    assert u.response == "utter_deepen_hopes_after_worries"
    assert u.params == {"earlier": "dat u uw familie niet kunt helpen", "words": "u wilt weer werken"}
    text = RESPONSES[u.response][0]["text"].format(**u.params)
    assert "familie niet kunt helpen" in text and "weer werken" in text


@pytest.mark.parametrize("earlier", [None, "", DECLINED, UNKNOWN])
def test_no_link_without_a_real_earlier_answer(earlier):
    assert sr.after_answer(
        "reasons_against", "ik heb daar geen werk", {"reasons_for": earlier}
    ) == sr.Utterance("utter_deepen_thing_hard", {"Thing": "Geen werk", "bare": "geen werk"})


def test_reasons_against_after_reasons_for_is_double_sided():
    u = sr.after_answer(
        "reasons_against", "ik heb niks gespaard en geen huis", {"reasons_for": "mijn moeder is oud"}
    )
    assert u.response == "utter_deepen_reasons_against_after_for"
    assert u.params["earlier"] == "uw moeder is oud"


@pytest.mark.parametrize(
    "score,band",
    [(0, "zero"), (1, "low"), (3, "low"), (4, "middle"), (6, "middle"), (7, "high"), (10, "high")],
)
def test_ruler_bands(score, band):
    assert sr.after_ruler("importance", score).response == f"utter_deepen_importance_{band}"
    assert sr.after_ruler("confidence", score).response == f"utter_deepen_confidence_{band}"


def test_direction_links_to_the_clients_words_for_the_factor():
    u = sr.after_direction("harder", "mijn broer woont daar")
    assert u == sr.Utterance("utter_reflect_direction_harder", {"words": "uw broer woont daar"})
    assert sr.after_direction("neither", "mijn broer") is None
    # One word ("nee" to "voelt u zich veilig?") is not quoted: the choice alone.
    assert sr.after_direction("harder", "nee") == sr.Utterance("utter_reflect_direction_harder_plain")
    assert _codes("utter_reflect_direction_harder_plain") == {"simple_reflection"}
    assert sr.after_direction("easier", DECLINED) is None


def test_step_when_gives_the_date_the_plan_holds():
    today = date(2026, 11, 23)
    u = sr.after_step_when("over twee weken", date(2026, 12, 7), today)
    assert u == sr.Utterance(
        "utter_reflect_step_when_date", {"words": "over twee weken", "date": "7 december"}
    )
    assert sr.after_step_when("in maart", date(2027, 3, 1), today).params["date"] == "1 maart 2027"
    assert sr.after_step_when("als ik kan", None, today) == sr.Utterance(
        "utter_reflect_step_when", {"words": "als u kunt"}
    )
    assert sr.after_step_who("Ik zelf").params == {"words": "u zelf"}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("vrouw, dochters", True),
        ("mijn vrouw en twee kinderen in het azc", True),
        ("my wife and my son", True),
        ("geen kinderen, alleen mijn broer", False),
        ("mijn kinderen zijn daar bij mijn moeder", False),
        ("niemand", False),
        ("mijn zus en haar man", False),
    ],
)
def test_children_named_in_passing(text, expected):
    assert normalise.mentions_own_children(text) is expected


@pytest.mark.parametrize("option", sr.DEEPENED_OPTIONS)
def test_every_named_option_gets_a_complex_reflection(option):
    assert sr.after_option(option).response == f"utter_deepen_option_{option}"
    assert _codes(f"utter_deepen_option_{option}") == {"complex_reflection"}


def test_undecided_and_unknown_options_get_no_second_one():
    assert sr.after_option("undecided") is None  # its own reflection is complex already
    assert _codes("utter_reflect_option_undecided") == {"complex_reflection"}
    assert sr.after_option("something_else") is None


def test_children_yes_is_deepened_and_no_is_not():
    assert sr.after_yes_no("has_children", True).response == "utter_deepen_has_children_yes"
    assert _codes("utter_deepen_has_children_yes") == {"complex_reflection"}
    assert sr.after_yes_no("has_children", False) is None
    assert sr.after_yes_no("physical_complaints", True) is None


def test_a_step_is_linked_to_the_goal_in_the_clients_words():
    u = sr.after_step_what("Ik wil een winkel met telefoons in Conakry")
    assert u == sr.Utterance(
        "utter_deepen_step_what_goal", {"goal": "u wilt een winkel met telefoons in Conakry"}
    )
    assert _codes("utter_deepen_step_what_goal") == {"complex_reflection"}
    assert sr.after_step_what(None) is None and sr.after_step_what(DECLINED) is None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("moeilijk", False),
        ("dochters", False),
        ("weinig", False),
        ("moeilijk te zeggen", False),
        ("weet nie", True),
        ("wetniet", True),
        ("geen idee", True),
        ("no idea", True),
        ("je sais pas", True),
        ("?", True),
        ("geen flauw benul", True),
    ],
)
def test_words_that_can_make_a_dont_know(text, expected):
    assert normalise.mentions_not_knowing(text) is expected


@pytest.mark.parametrize("answer", ["niks, ik wil hier blijven", "Niets", "geen idee eigenlijk"])
def test_no_meaning_is_given_to_an_answer_that_says_nothing(answer):
    assert sr.after_answer("what_would_change", answer, {}) is None


def test_an_answer_that_only_starts_with_the_same_letters_is_deepened():
    assert sr.after_answer("what_would_change", "niksen is niet goed voor mij, ik wil werk", {}) is not None

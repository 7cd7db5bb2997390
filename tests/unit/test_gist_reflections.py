"""MI round 1: second (complex) reflections carry the client's own content words (people,
places, things) plus a meaning; where nothing is named, there is none (no stock line)."""

from __future__ import annotations

import pytest
import yaml

from bot.conversation.second_reflection import after_answer
from bot.conversation.reflection_quality import _misspelled
from bot.conversation import spelling

from pathlib import Path

RESPONSES = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text())["responses"]


def said(slot, text):
    utterance = after_answer(slot, text, {})
    if utterance is None:
        return []
    return [v["text"].format(**utterance.params) for v in RESPONSES[utterance.response]]


@pytest.mark.parametrize(
    "slot, text, expected",
    [
        (
            "family_here",
            "Hier heb ik alleen een vriend uit Guinee, Alpha.",
            "Alpha is hier belangrijk voor u.",
        ),
        (
            "family_origin",
            "Mijn moeder en mijn zus wonen in Conakry. Ik had acht jaar een winkel met telefoons in Conakry.",
            "Uw moeder en zus in Conakry zijn belangrijk voor u.",
        ),
        ("origin_future", "Mijn broer woont in Herat.", "Uw broer in Herat is belangrijk voor u."),
        (
            "goal_needs",
            "Ik heb geld nodig om de wnikel te beginnen.",
            "Zonder geld is het moeilijk voor u om verder te komen.",
        ),
        (
            "goal",
            "dat heb ik al gezegd, winkel in Conakry.",
            "Een winkel in Conakry: dat is belangrijk voor u.",
        ),
        (
            "reasons_against",
            "Voor meisjes is er daar geen school.",
            "Geen school: dat maakt het moeilijk voor u.",
        ),
        (
            "safety_origin",
            "in Conakry is het nu rustig.",
            "Hoe veilig het in Conakry is, is belangrijk voor u.",
        ),
        (
            "work_experience",
            "Ik was lerares op een basisschool.",
            "Uw werk als lerares is een sterke kant van u.",
        ),
        # the people here, not the sister in Luanda; "een vriendin" as the client named her
        (
            "family_here",
            "Een vriendin van de kerk helpt mij. Mijn zus woont in Luanda.",
            "Een vriendin van de kerk is hier belangrijk voor u.",
        ),
        (
            "origin_care",
            "Ik heb suikerziekte, ik heb daar zorg nodig.",
            "Goede zorg voor suikerziekte is belangrijk voor u.",
        ),
    ],
)
def test_second_reflection_names_what_the_client_said(slot, text, expected):
    assert expected in said(slot, text)


@pytest.mark.parametrize(
    "slot, text",
    [
        ("life_here", "ik woon hier al drie jaar, ik zit op school en ik voetbal"),
        ("safety_origin", "ik doe mbo ICT in Amsterdam"),
        ("info_sources", "soms"),
        ("origin_future", "weet ik niet"),
    ],
)
def test_no_stock_line_when_nothing_is_named(slot, text):
    assert said(slot, text) == []


def test_typos_are_corrected_and_compounds_are_no_typos():
    assert spelling.correct("ik waht de hele dag") == "ik wacht de hele dag"
    assert spelling.correct("volgedn week") == "volgende week"
    assert _misspelled("u woont op de gezinslocatie in Katwijk") == []
    assert _misspelled("uw moedr") == ["moedr"]


def test_a_shop_told_with_how_long_is_work_experience():
    from bot.conversation import listening

    facts = listening.hear("Ik had acht jaar een winkel met telefoons in Conakry.")
    assert "work_experience" in [listening.settles(f) for f in facts]


def test_an_aside_with_a_typo_is_still_an_aside():
    from bot.conversation.reflection import client_words

    assert client_words("dat heb ik al gzeegd, bakkerij") == "bakkerij"
    assert client_words("in Conakry is het nu rustg.") == "in Conakry is het nu rustig"


def test_no_caring_line_after_no_contact():
    assert said("family_origin", "ik heb geen contact met mijn familie daar") == []

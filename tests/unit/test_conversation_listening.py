"""bot/conversation/listening.py and the issue-13 helpers in normalise, corrections, questions."""

from __future__ import annotations

import pytest

from bot.conversation import corrections, listening, normalise, questions
from bot.conversation.listening import hear


def _kinds(text):
    return [(f.kind, f.value) for f in hear(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ik kom uit Guinee", [("country", "Guinee")]),
        ("mijn moeder en mijn zus wonen in Conakry", [("family_there", "moeder en zus")]),
        ("mijn man is al twee jaar vermist", [("family_missing", "man")]),
        ("mijn dochters", [("children", True)]),
        ("ik heb geen kinderen", [("children", False)]),
        ("nee, alleen soms pijn in rug", [("physical", True)]),
        ("ik slaap slecht en heb veel stress", [("mental", True)]),
        ("ik heb geen geld", [("need", "geld")]),
        ("ik ga niet terug", [("no_return", True)]),
    ],
)
def test_what_a_message_carries(text, expected):
    assert _kinds(text) == expected


def test_facts_told_out_of_order_in_one_message():
    kinds = [
        f.kind
        for f in hear(
            "ik heb een paspoort nodig, ik wil een winkel openen in Conakry, " "mijn familie woont daar"
        )
    ]
    assert kinds == ["need", "hope", "family_there"]


@pytest.mark.parametrize(
    "text", ["ik wil naar Duitsland", "mijn moeder is ziek", "mijn zus woont in Den Haag"]
)
def test_what_is_not_the_clients_origin_or_health(text):
    kinds = [f.kind for f in hear(text)]
    assert "country" not in kinds and "physical" not in kinds and "family_there" not in kinds


def test_a_country_in_passing_is_unsure_and_settles_nothing():
    fact = hear("in Guinee was het leven zwaar")[0]
    assert fact.kind == "country" and not fact.sure and listening.settles(fact) is None
    assert listening.settles(hear("ik kom uit Guinee")[0]) == "country_of_origin"


def test_asides_are_not_kept():
    assert hear("ik had een winkel, dat zei ik al")[0].words == "ik had een winkel"


@pytest.mark.parametrize(
    "text",
    [
        "ik ga niet terug",
        "ik denk niet aan teruggaan. waarom vraagt iedereen dat",
        "stop met deze vragen over terug",
        "waarom steeds deze vraag",
    ],
)
def test_pushback_is_never_go_back(text):
    assert normalise.is_push_back(text) and not normalise.is_go_back(text)


@pytest.mark.parametrize(
    "text", ["vorige vraag", "een vraag terug", "ik wil terug naar mijn land", "terug met hulp"]
)
def test_not_pushback(text):
    assert not normalise.is_push_back(text)


@pytest.mark.parametrize(
    "text, amount, score",
    [("een beetje", 1, 3), ("best veel", 2, 7), ("heel erg", 3, 9), ("niet zo veel", 1, 2)],
)
def test_vague_scale_words(text, amount, score):
    assert normalise.factor_amount(text) == amount and normalise.ruler_vague(text) == score


def test_ruler_follow_up_names_a_lower_number():
    assert questions.lower_score(7) == 4 and questions.lower_score(2) == 0


def test_return_scoring_once_and_never_after_no_return():
    slots = {"family_origin": "x", "safety_origin": "y"}
    directions = lambda s: [q for q in questions.active_slots("verkennen", s) if q.endswith("_direction")]  # noqa: E731
    assert directions(slots) == ["family_origin_direction", "safety_origin_direction"]
    assert directions({**slots, "return_scoring": "done"}) == []
    assert directions({**slots, "return_scoring": "declined"}) == []


@pytest.mark.parametrize(
    "text, slot",
    [
        ("mijn werk klopt niet", "work_experience"),
        ("nee ik kom uit Mali", "country_of_origin"),
        ("mijn kinderen klopt niet", "has_children"),
        ("nee", None),
    ],
)
def test_one_item_of_a_summary(text, slot):
    assert corrections.item(text) == slot

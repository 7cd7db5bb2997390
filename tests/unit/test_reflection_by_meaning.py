"""Issue 13: reflections chosen by what the client said, in correct short Dutch.

Each fault has its counterexamples that must stay as they are."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.conversation.proper_nouns import is_person_name
from bot.conversation.reflection import client_words, indefinite_person
from bot.conversation.second_person import to_second_person
from bot.conversation.second_reflection import (
    after_answer,
    dont_know_because,
    dont_know_reason,
    first_reflection,
    tells_a_worry,
)

RESPONSES = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text())["responses"]


def said(utterance):
    if utterance is None:
        return []
    return [v["text"].format(**utterance.params) for v in RESPONSES[utterance.response]]


# --- (a) "Weet ik niet. Ik ken daar niemand." --------------------------------------------
@pytest.mark.parametrize(
    "text, reason",
    [
        ("Weet ik niet. Ik ken daar niemand.", "Ik ken daar niemand"),
        ("ik weet het niet, ik was 15 toen ik wegging", "ik was 15 toen ik wegging"),
        ("weet ik niet want ik heb daar geen contact", "ik heb daar geen contact"),
        ("Dat weet ik niet. Ik ken het land niet meer.", "Ik ken het land niet meer"),
    ],
)
def test_not_knowing_with_a_reason(text, reason):
    assert dont_know_reason(text) == reason


@pytest.mark.parametrize(
    "text",
    [
        "weet ik niet",
        "weet niet, geld",
        "Weet ik niet. Misschien werken.",
        "weet niet, een winkel",
        "Ik ken daar niemand.",  # no "weet ik niet": the content is the answer
        "ik weet niet of ik daar insuline kan krijgen",
    ],
)
def test_no_reason_where_there_is_none(text):
    assert dont_know_reason(text) is None


def test_the_reason_is_given_back_in_full_dutch():
    assert said(dont_know_because("Weet ik niet. Ik ken daar niemand.")) == [
        "u kent daar niemand. Dan is het moeilijk om dat te weten."
    ]  # capital set by the channel
    assert said(dont_know_because("ik weet het niet, ik was 15 toen ik wegging")) == [
        "u was 15 toen u wegging. Dan is het moeilijk om dat te weten."
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Weet ik niet. Ik ken daar niemand.", "u weet het niet. U kent daar niemand."),
        ("weet ik nog niet", "u weet het nog niet"),
        # a fronted object keeps its word order: no "het" added
        ("Dat weet ik niet", "Dat weet u niet"),
        ("Hoe het daar is, weet ik niet", "Hoe het daar is, weet u niet"),
        # "toen" joining a clause inside the sentence: no verb-second swap
        ("ik was 15 toen ik wegging", "u was 15 toen u wegging"),
        ("thuis ik had een winkel", "thuis had u een winkel"),
        ("Toen ik had een winkel", "Toen had u een winkel"),
    ],
)
def test_not_knowing_and_clauses_in_the_second_person(text, expected):
    assert to_second_person(text) == expected


# --- a worry is a worry ----------------------------------------------------------------
def test_a_worry_told_as_a_clause_reads_well_in_every_variant():
    assert said(first_reflection("worries", "Dat ik terug moet naar een land dat ik niet ken.")) == [
        "Uw zorg: dat u terug moet naar een land dat u niet kent.",
        "Dit houdt u bezig: dat u terug moet naar een land dat u niet kent.",
    ]
    assert "Uw zorg: of u daar insuline kunt krijgen en betalen." in said(
        first_reflection("worries", "Of ik daar insuline kan krijgen en betalen.")
    )
    # a thing reads as well
    assert said(first_reflection("worries", "geld")) == ["Uw zorg: geld.", "Dit houdt u bezig: geld."]


@pytest.mark.parametrize(
    "slot, text, worry",
    [
        ("worries", "Dat ik terug moet naar een land dat ik niet ken.", True),
        ("hopes", "ik ben bang dat ik geen papieren krijg", True),
        ("life_here", "ik maak me zorgen om mijn moeder", True),
        ("worries", "nee", False),
        ("life_here", "ik ga niet terug", False),
        ("family_origin", "waarom vraagt iedereen dat", False),
    ],
)
def test_what_tells_a_worry(slot, text, worry):
    assert tells_a_worry(slot, text) is worry


# --- (b) "een vrouw van de kerk" is not "uw vrouw" ---------------------------------------
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("Een vrouw van de kerk komt soms bij mij.", "een vrouw van de kerk"),
        ("Een man uit mijn dorp helpt mij", "een man uit uw dorp"),
        ("Ik ken een vrouw", "een vrouw"),
        ("Mijn vrouw woont hier", None),
        ("Mijn broer woont in Herat.", None),
        ("Iemand van de kerk", None),
    ],
)
def test_indefinite_person(text, phrase):
    assert indefinite_person(text) == phrase


def test_second_reflection_keeps_een_and_own_people_keep_uw():
    assert "Een vrouw van de kerk is hier belangrijk voor u." in said(
        after_answer("family_here", "Een vrouw van de kerk komt soms bij mij.", {})
    )
    assert not any(
        "uw vrouw" in t.lower()
        for t in said(after_answer("family_here", "Een vrouw van de kerk komt soms bij mij.", {}))
    )
    assert "Uw vrouw is hier belangrijk voor u." in said(
        after_answer("family_here", "Mijn vrouw woont hier bij mij.", {})
    )
    # beside her own sister, the friend named with "een" is not made "uw vriendin"
    assert "Uw zus is hier belangrijk voor u." in said(
        after_answer("family_here", "Mijn zus en een vriendin van de kerk", {})
    )


# --- (b) insuline she uses is no hope ---------------------------------------------------
def test_a_medicine_is_no_hope_and_no_name():
    lines = said(after_answer("medication_names", "Insuline, twee keer per dag.", {}))
    assert lines == ["Dat u insuline blijft krijgen, is belangrijk voor u."]


@pytest.mark.parametrize(
    "slot, text",
    [
        ("info_sources", "Via de tv en de krant."),
        ("medication_names", "Vitamines en een crème."),
        ("origin_care", "Een dokter is daar duur."),
    ],
)
def test_only_wishes_get_the_hope_line(slot, text):
    assert not any("hoopt" in line for line in said(after_answer(slot, text, {})))


def test_a_wish_still_gets_the_hope_line():
    assert "Een winkel in Conakry: daar hoopt u op." in said(
        after_answer("origin_future", "winkel in Conakry.", {})
    )


# --- (c) person lines only for people -----------------------------------------------------
@pytest.mark.parametrize(
    "word, person",
    [
        ("Alpha", True),
        ("Mina", True),
        ("Rosa", True),
        ("WhatsApp", False),
        ("TikTok", False),
        ("Facebook", False),
        ("YouTube", False),
        ("Nederlands", False),
        ("Conakry", False),
        ("ISK", False),
        ("Maandag", False),
    ],
)
def test_is_person_name(word, person):
    assert is_person_name(word) is person


@pytest.mark.parametrize(
    "slot, text",
    [
        ("info_sources", "Via WhatsApp en Facebook."),
        ("hopes", "Ik wil naar de ISK en later naar het MBO."),
        ("talents", "Ik spreek goed Nederlands en Engels."),
        ("goal", "Werken bij Albert Heijn."),
        ("info_sources", "Ik kijk Al Jazeera."),
    ],
)
def test_no_person_line_for_things(slot, text):
    for line in said(after_answer(slot, text, {})):
        assert "geeft veel om" not in line and " is belangrijk voor u" not in line.split(":")[0], line
        assert "Aan " not in line


def test_person_lines_stay_for_people():
    assert "Alpha is hier belangrijk voor u." in said(
        after_answer("family_here", "Hier heb ik alleen een vriend uit Guinee, Alpha.", {})
    )
    assert "Uw broer is belangrijk voor u." in said(
        after_answer("info_sources", "Via WhatsApp met mijn broer.", {})
    )
    # a language keeps its capital in the strength line
    assert "Goed Nederlands: daar bent u sterk in." in said(
        after_answer("talents", "Ik spreek goed Nederlands en Engels.", {})
    )


# --- a bare lead word is no sentence of its own ------------------------------------------------
@pytest.mark.parametrize(
    "text, words",
    [
        ("Koken. Ik kook voor de vrouwen op mijn gang.", "u kookt voor de vrouwen op uw gang"),
        ("Voetbal. Ik speel elke week.", "voetbal, u speelt elke week"),
        ("Angola. Mijn zus woont daar", "Angola, uw zus woont daar"),
        ("Nee. Ik heb geen werk.", "nee. U heeft geen werk"),
        ("Ik woon in Budel. Ik ben moe.", "u woont in Budel. U bent moe"),
    ],
)
def test_a_lead_fragment_joins_its_sentence(text, words):
    assert client_words(text) == words

"""What a scenario drafted from a real conversation must not carry (bot/scenarios/from_transcript.py
``scrub``): e-mail, dates, long numbers, cities, first names; and what it must keep, so the
scenario still reads like the talk (ages, counts, years, ordinary words, countries' names in
ordinary words)."""

from __future__ import annotations

import pytest

from bot.scenarios.from_transcript import scrub


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("Bel mij op 06-12345678 of +31 6 1234 5678.", "Bel mij op [nummer] of [nummer]."),
        ("Mijn V-nummer is 1234567890.", "Mijn V-nummer is [nummer]."),
        ("Geboren 12-03-1990, mail: a.b@voorbeeld.nl", "Geboren [datum], mail: [e-mail]"),
        ("Ik woon met Amina in Utrecht.", "Ik woon met [naam] in [stad]."),
        ("Hallo Amina, ik ben Anna.", "Hallo [naam], ik ben [naam]."),
        ("Amina helpt mij.", "[naam] helpt mij."),  # a rare word at the start: a name
        ("ik woon in ter apel", "ik woon in [stad]"),  # a city typed in lower case
        ("Ik woon in het AZC van Ter Apel.", "Ik woon in het AZC van [stad]."),
    ],
)
def test_what_identifies_a_person_is_replaced(typed, shown):
    text, replaced = scrub(typed)
    assert text == shown
    assert replaced and all(item["now"] in shown and item["was"] in typed for item in replaced)


@pytest.mark.parametrize(
    "typed",
    [
        "Ik ben 34 en ik heb 3 kinderen, sinds 2019 in Nederland.",
        "Mijn broer woont nog thuis.",
        "ik wil Graag naar huis",  # a very common word with a stray capital stays
        "het is best goed hier",  # "best" is also a town; typed in lower case it is a word
        "Via WhatsApp bel ik met de IND en het COA.",
    ],
)
def test_the_rest_of_the_talk_stays_as_typed(typed):
    assert scrub(typed) == (typed, [])

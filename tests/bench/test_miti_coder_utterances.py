"""bench/miti_coder.py: each utterance gets its own code (MITI 4.2.1), and what the client
typed is the content a reflection refers to, numbers and "weet ik niet" included (issue 13)."""

from __future__ import annotations

from bench import miti_coder as coder
from bot.conversation.reflection_quality import is_well_formed


def _talk(*pairs):
    turns = []
    for client, bubbles in pairs:
        turns.append(
            {
                "client": None if client is None else {"text": client},
                "bot": [b if isinstance(b, dict) else {"text": b, "buttons": []} for b in bubbles],
            }
        )
    return turns


def codes(turns, checker=None):
    return [c.code for c in coder.code_talk(turns, checker=checker).codes]


def test_a_reflection_with_a_write_down_note_is_a_reflection():
    turns = _talk(
        (None, ["Waar komt u vandaan?"]), ("Ik kom uit Guinee.", ["U komt uit Guinee. Dat schrijf ik op."])
    )
    assert codes(turns) == ["open_question", "simple_reflection"]
    # a structure line of the bot's own stays information, also beside other sentences
    turns = _talk(
        (None, ["Waar komt u vandaan?"]),
        ("Ik kom uit Guinee.", ["Ik vraag een begeleider om bij u te komen. U hoeft nu niets te typen."]),
    )
    assert codes(turns) == ["open_question", "information"]


def test_a_standing_offer_of_a_person_is_no_question():
    offer = {
        "text": "U mag altijd even pauzeren. Met de knop hieronder vraagt u een begeleider.",
        "buttons": [{"title": "Ik wil met een begeleider praten", "payload": "/request_human"}],
    }
    turns = _talk((None, ["Hoe gaat het?"]), ("slecht, ik ben moe", [offer, "Wie helpt u hier?"]))
    assert codes(turns) == ["open_question", "information", "open_question"]
    # a question with the same button is still a question
    asked = {
        "text": "Wilt u nu met een begeleider praten?",
        "buttons": [{"title": "Ja, nu met een begeleider praten", "payload": "/request_human"}],
    }
    turns = _talk((None, ["Hoe gaat het?"]), ("slecht", [asked]))
    assert codes(turns) == ["open_question", "closed_question"]
    # buttons with answers (not only a person) make a bubble a question, also without "?"
    menu = {"text": "Kies een onderwerp.", "buttons": [{"title": "Werk", "payload": "werk"}]}
    assert "closed_question" in codes(_talk((None, [menu]), ("werk", ["Goed."])))


def test_a_score_given_back_is_a_reflection_and_a_line_about_it_no_failure():
    turns = _talk(
        (None, ["Hoe belangrijk is het? Kies een getal van 0 tot 10."]),
        ("7", ["U geeft een 7. Zo belangrijk is het nu voor u.", "Het is dus echt belangrijk voor u."]),
    )
    coded = coder.code_talk(turns, checker=None)
    assert [c.code for c in coded.codes][:2] == [
        "open_question",
        "complex_reflection",
    ]  # "belangrijk" adds meaning
    assert coded.failed == []


def test_not_knowing_given_back_is_a_reflection():
    turns = _talk(
        (None, ["Wat verwacht uw familie van u?"]),
        ("dat weet ik niet.", ["U weet het nu niet. Dat is ook een antwoord."]),
    )
    assert codes(turns) == ["open_question", "simple_reflection"]
    # but not after a client who said something else
    turns = _talk(
        (None, ["Wat verwacht uw familie van u?"]), ("geld", ["U weet het nu niet. Dat is ook een antwoord."])
    )
    assert codes(turns)[-1] != "simple_reflection"


def test_the_bots_own_voice_is_no_first_person_left():
    turns = _talk(
        (None, ["Waar maakt u zich zorgen over?"]),
        ("Ik ben bang wat mijn familie zegt.", ["U bent bang. Dat is echt, en ik neem het serieus."]),
    )
    coded = coder.code_talk(turns, checker=is_well_formed)
    assert coded.failed == []
    # the client's own "ik" left in a quote still fails, with or without the checker
    turns = _talk((None, ["Waar woont u?"]), ("ik woon in Ter Apel", ["U zegt: ik woon in Ter Apel."]))
    for checker in (None, is_well_formed):
        failed = coder.code_talk(turns, checker=checker).failed
        assert failed and any("first person" in r for r in failed[0].reasons)

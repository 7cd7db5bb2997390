"""bench/miti_coder.py codes bot messages from their text as an MI trainer would (issue 13, part 7)."""

from __future__ import annotations

import pytest

from bench import miti_coder as coder


def talk(*pairs, stated=None):
    """Turns from (client text, bot text[, buttons]) pairs; the first client may be None."""
    turns = []
    for pair in pairs:
        client, bot = pair[0], pair[1]
        buttons = pair[2] if len(pair) > 2 else []
        bubbles = bot if isinstance(bot, list) else [bot]
        entry = {
            "client": None if client is None else {"text": client},
            "bot": [
                {"text": b, "buttons": buttons if i == len(bubbles) - 1 else []}
                for i, b in enumerate(bubbles)
            ],
        }
        if stated is not None and client is not None:
            entry["client"]["stated_topics"] = stated
        turns.append(entry)
    return turns


def codes(coded):
    return [c.code for c in coded.codes]


def test_open_and_closed_questions():
    coded = coder.code_talk(
        talk(
            (None, "Hoe is uw leven nu, hier in Nederland?"),
            (
                "goed",
                "Heeft u kinderen?",
                [{"title": "Ja", "payload": "/affirm"}, {"title": "Nee", "payload": "/deny"}],
            ),
            ("nee", "Welke stap wilt u zetten?", [{"title": "Werk", "payload": "werk"}]),
            (
                "werk",
                "Wat vindt u daarvan?",
                [{"title": "Ja", "payload": "/affirm"}, {"title": "Nee", "payload": "/deny"}],
            ),
            ("ja", "Kies een onderwerp.", [{"title": "Werk", "payload": "werk"}]),
        ),
        checker=None,
    )
    assert codes(coded) == [
        "open_question",
        "closed_question",
        "open_question",
        "closed_question",
        "information",
        "closed_question",
    ]


def test_simple_reflection_restates_the_client():
    coded = coder.code_talk(
        talk(
            (None, "Wie van uw familie woont in Guinee?"),
            (
                "mijn moeder en mijn zus wonen in Conakry",
                ["Uw moeder en uw zus wonen in Conakry.", "Hoe is het contact met hen?"],
            ),
        ),
        checker=None,
    )
    assert codes(coded) == ["open_question", "simple_reflection", "open_question"]
    assert coded.figures()["reflection_to_question"] == 0.5


def test_complex_reflection_adds_feeling_or_links_two_statements():
    feeling = coder.code_talk(
        talk(
            (None, "Wie van uw familie woont daar?"),
            ("mijn moeder woont in Conakry", "U mist uw moeder in Conakry."),
        ),
        checker=None,
    )
    assert codes(feeling)[-1] == "complex_reflection"
    linked = coder.code_talk(
        talk(
            (None, "Wat kunt u goed?"),
            ("ik had een winkel met telefoons", "Wat wilt u later?"),
            ("weer verkopen in Conakry", "Verkopen in Conakry, net als in uw winkel met telefoons."),
        ),
        checker=None,
    )
    assert codes(linked)[-1] == "complex_reflection"
    # The client's own feeling word given back is a simple reflection.
    own = coder.code_talk(
        talk((None, "Hoe gaat het?"), ("ik mis mijn moeder", "U mist uw moeder.")), checker=None
    )
    assert codes(own)[-1] == "simple_reflection"


@pytest.mark.parametrize(
    "client, bot, reason",
    [
        ("een auto", "U zegt: auto. Dat is een sterke kant van u.", "bare fragment"),
        (
            "thuis ik had een winkel voor telefoons",
            "thuis u had een winkel voor telefoons",
            "starts lower-case",
        ),
        ("thuis ik had een winkel voor telefoons", "Thuis u had een winkel voor telefoons.", "word order"),
        ("mijn moeder en broer", "U vertelt: mijn moeder en broer.", "first person left"),
        (
            "mijn moeder woont in Conakry",
            "Uw moeder woont in Conakry. dat is ver weg.",
            "lower case after a full stop",
        ),
        ("uw uw moeder", "Uw uw moeder woont daar.", "repeated word"),
        ("ik waht de hele dag", "U zegt: u waht de hele dag.", "typo"),
    ],
)
def test_badly_formed_echoes_fail(client, bot, reason):
    for checker in (None, "auto"):  # the coder's own checks, and with is_well_formed when present
        coded = coder.code_talk(talk((None, "Vertel eens?"), (client, bot)), checker=checker)
        assert [c.code for c in coded.codes][-1] == "failed_reflection", (checker, coded.codes)
        assert any(reason in why for why in coded.failed[0].reasons), coded.failed[0].reasons
        assert coded.figures()["failed_reflections"] == 1
        assert coded.figures()["simple_reflections"] + coded.figures()["complex_reflections"] == 0


def test_a_stock_line_that_misses_what_was_said_fails():
    coded = coder.code_talk(
        talk(
            (None, "Heeft u last van uw lichaam?"),
            ("nee, alleen soms pijn in rug", "Uw lichaam geeft u nu geen last."),
        ),
        checker=None,
    )
    assert coded.failed and coded.failed[0].reasons == ["does not refer to what the client said"]
    assert coded.failed[0].client_text == "nee, alleen soms pijn in rug"


def test_information_structure_and_affirmations_are_not_reflections():
    coded = coder.code_talk(
        talk(
            (None, "Zullen we beginnen?"),
            (
                "ja",
                [
                    "Ik schrijf dat op in uw plan.",
                    "Dank u dat u dat vertelt.",
                    "Vertel het in uw eigen woorden.",
                ],
            ),
        ),
        checker=None,
    )
    assert codes(coded)[1:] == ["information", "affirm", "information"]
    assert not coded.failed


def test_consecutive_reflection_bubbles_of_one_turn_count_once():
    coded = coder.code_talk(
        talk(
            (None, "Vertel eens?"),
            ("mijn moeder woont in Conakry", "Wat kunt u goed?"),
            ("ik kan goed verkopen", ["Uw moeder woont in Conakry.", "U kunt goed verkopen.", "Klopt dat?"]),
        ),
        checker=None,
    )
    assert codes(coded)[-2:] == ["complex_reflection", "closed_question"]


@pytest.mark.parametrize(
    "client, bot, why",
    [
        (
            "mijn moeder en mijn zus wonen in Conakry",
            "Ik begrijp niet goed welk antwoord u bedoelt. Wilt u een knop kiezen?",
            "did not understand",
        ),
        ("ik ga niet terug", "Goed, we gaan een vraag terug.", "command"),
    ],
)
def test_turns_not_taken_in(client, bot, why):
    coded = coder.code_talk(talk((None, "Heeft u kinderen?"), (client, bot)), checker=None)
    assert len(coded.not_taken_in) == 1
    assert any(why in r for r in coded.not_taken_in[0].reasons)
    assert coded.not_taken_in[0].client_text == client


def test_asking_again_what_the_client_told_is_not_taken_in_but_a_check_in_is_fine():
    repeat = coder.code_talk(
        talk(
            (None, "Hoe is uw leven hier?"),
            ("ik kom uit Guinee", "Wat kunt u goed?"),
            ("verkopen", "Uit welk land komt u?"),
        ),
        checker=None,
    )
    assert [m.reasons for m in repeat.not_taken_in] == [["asks again what the client told (country)"]]
    check = coder.code_talk(
        talk(
            (None, "Hoe is uw leven hier?"),
            ("ik kom uit Guinee", "U zei dat u uit Guinee komt. Klopt dat?"),
        ),
        checker=None,
    )
    assert not check.not_taken_in
    # Topics the simulated client reports it told are used instead of the keyword guess.
    daughters = coder.code_talk(
        talk(
            (None, "Hoe is uw leven hier?"),
            ("we wonen hier met z'n drieën", "Heeft u kinderen?"),
            stated=["children"],
        ),
        checker=None,
    )
    assert daughters.not_taken_in[0].reasons == ["asks again what the client told (children)"]


def test_return_weighing_after_the_client_said_he_stays():
    coded = coder.code_talk(
        talk(
            (None, "Hoe is uw leven hier?"),
            ("ik ga niet terug, ik wil hier blijven", "Maakt dit teruggaan moeilijker of makkelijker?"),
        ),
        checker=None,
    )
    assert any("stays" in r for r in coded.not_taken_in[0].reasons)


def test_figures_and_listing():
    coded = coder.code_talk(
        talk(
            (None, "Wie van uw familie woont daar?"),
            ("mijn moeder woont in Conakry", ["U mist uw moeder in Conakry.", "Wat kunt u goed?"]),
            ("verkopen", ["U zegt: verkopen.", "Wat wilt u later?"]),
            ("een winkel", ["Een winkel, net als vroeger toen u verkocht.", "Wie helpt u daarbij?"]),
        ),
        checker=None,
    )
    f = coded.figures()
    assert (f["open_questions"], f["complex_reflections"], f["failed_reflections"]) == (4, 2, 1)
    assert f["reflection_to_question"] == 0.5 and f["complex_share"] == 1.0
    assert coded.listing()["failed_reflections"][0]["bot"] == "U zegt: verkopen."
    assert coded.listing()["failed_reflections"][0]["client"] == "verkopen"


def test_the_coder_ignores_the_bots_own_labels():
    plain = talk((None, "Hoe gaat het?"), ("goed", "Wat wilt u later?"))
    labelled = talk((None, "Hoe gaat het?"), ("goed", "Wat wilt u later?"))
    for turn in labelled:
        for bubble in turn["bot"]:
            bubble.update(mi_code="complex_reflection", utter_action="utter_reflect_x")
    assert codes(coder.code_talk(plain, checker=None)) == codes(coder.code_talk(labelled, checker=None))


@pytest.mark.parametrize(
    "line",
    [
        "Stel dat u weer in uw land woont.",
        "Dat is goed. Ik vraag een begeleider om naar u toe te komen. Wat u al vertelde, is bewaard.",
        "Dat is goed. U hoeft dat niet te zeggen. Ik vraag er niet meer naar.",
        "Nu een paar korte vragen over uw gezondheid.",
        "Ik vat samen wat u mij vertelde.",
        "Als het zwaar wordt, mag u altijd stoppen of met een begeleider praten.",
    ],
)
def test_structure_lines_are_neither_reflections_nor_failures(line):
    coded = coder.code_talk(
        talk((None, "Hoe gaat het?"), ("mijn moeder woont in Conakry", line)), checker=None
    )
    assert codes(coded)[-1] == "information" and not coded.failed


def test_a_reflection_of_something_said_turns_ago_still_counts():
    coded = coder.code_talk(
        talk(
            (None, "Uit welk land komt u?"),
            ("ik kom uit Afghanistan", "Wat kunt u goed?"),
            ("naaien", "Wie helpt u?"),
            ("niemand", "Wat wilt u later?"),
            ("weet ik niet", "U komt uit Afghanistan."),
        ),
        checker=None,
    )
    assert codes(coded)[-1] == "simple_reflection"


def test_ik_hoor_frame_is_the_bots_voice_and_a_topic_word_is_no_feeling():
    coded = coder.code_talk(
        talk(
            (None, "Hoe is uw leven hier?"),
            (
                "ik woon hier al drie jaar, ik zit op school",
                "Ik hoor: u woont hier al drie jaar, u zit op school.",
            ),
            ("ik doe mbo ICT", "Over veiligheid zegt u: u doet mbo ICT."),
        )
    )
    assert codes(coded)[1:] == ["simple_reflection", "simple_reflection"], coded.failed

"""Issue 13, persona replays P1/P2: what a message means, not which words it shares with
something else. "Geen papieren" is no residence papers (not a passport); "nee, niet X maar Y"
names the item to change and its new words; a corrected answer's old list item leaves the plan."""

from __future__ import annotations

import pytest

from bot.conversation import corrections, listening
from bot.conversation.plan_edits import holds_answer, remove_answer_items


# --- (c) no residence papers is not a passport --------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "We hebben geen papieren.",
        "zonder papieren mag ik hier niet werken",
        "ik heb nog steeds geen verblijfsvergunning",
        "mijn man en ik zijn hier zonder papiere",
        "no papers, no work",
    ],
)
def test_no_residence_papers_is_a_note_about_residence_not_a_passport_need(text):
    facts = listening.hear(text)
    assert [f.kind for f in facts if f.kind == listening.NEED] == []
    residence = [f for f in facts if f.kind == listening.RESIDENCE]
    assert len(residence) == 1 and residence[0].value == "geen verblijfspapieren"
    assert listening.note_line(residence[0]).startswith("Verblijf: geen verblijfspapieren")
    assert listening.settles(residence[0]) is None  # no question is answered by it


@pytest.mark.parametrize(
    "text",
    [
        "ik heb een paspoort nodig",
        "ik heb geen papieren om te reizen",
        "voor de terugreis moet ik papieren regelen bij de ambassade",
        "mijn laissez-passer is kwijt",
    ],
)
def test_papers_for_a_journey_are_still_a_travel_document_need(text):
    kinds = [(f.kind, f.value) for f in listening.hear(text)]
    assert (listening.NEED, "paspoort of reisdocument") in kinds
    assert listening.RESIDENCE not in [k for k, _ in kinds]


# --- (d) "nee, niet X maar Y" --------------------------------------------------------------
@pytest.mark.parametrize(
    "text, old, new",
    [
        ("nee, niet de winkel maar een restaurant", "winkel", "restaurant"),
        ("Niet mijn broer, mijn neef", "broer", "neef"),
        ("het was een bakkerij, niet een winkel", "winkel", "bakkerij"),
        ("een kapsalon in plaats van een winkel", "winkel", "kapsalon"),
        ("nee hoor, niet in Conakry maar in Kindia", "conakry", "Kindia"),
        ("not the shop but a restaurant", "shop", "restaurant"),
    ],
)
def test_a_typed_replacement_gives_the_old_and_the_new_words(text, old, new):
    assert corrections.replacement(text) == (old, new)


@pytest.mark.parametrize(
    "text",
    [
        "nee, dat klopt niet",
        "mijn werk klopt niet",
        "ik ga niet terug maar ik wil wel werken",  # a clause, not one item changed
        "/correct_answer",
    ],
)
def test_no_replacement_where_the_message_does_not_say_old_and_new(text):
    assert corrections.replacement(text) is None


ANSWERS = {
    "work_experience": "Ik had tien jaar een winkel in Conakry. Hier mag ik niet werken.",
    "hopes": "Weer een eigen winkel hebben.",
    "family_here": "Mijn broer woont in Rotterdam. Hij helpt mij soms.",
    "has_children": False,
}
SLOTS = ("family_here", "work_experience", "hopes")


def test_the_old_words_find_the_answer_and_the_new_words_take_their_place():
    assert corrections.replaced_item("nee, niet de winkel maar een restaurant", ANSWERS, SLOTS) == (
        "work_experience",
        "Ik had tien jaar een restaurant in Conakry. Hier mag ik niet werken.",
    )
    # the other words name which answer, when two hold the old words
    assert corrections.replaced_item(
        "nee, mijn hoop is niet een winkel maar een bakkerij", ANSWERS, SLOTS
    ) == ("hopes", "Weer een eigen bakkerij hebben.")
    # what follows the old words in the answer is not said twice
    assert corrections.replaced_item("niet mijn broer maar mijn neef woont in Rotterdam", ANSWERS, SLOTS) == (
        "family_here",
        "Mijn neef woont in Rotterdam. Hij helpt mij soms.",
    )
    # no answer holds the old words: nothing is changed by guessing
    assert corrections.replaced_item("niet de bakkerij maar een restaurant", ANSWERS, SLOTS) is None


def test_the_items_an_old_answer_wrote_are_found_by_its_words_or_a_clause_of_it():
    old = "Ik had tien jaar een winkel in Conakry. Hier mag ik niet werken."
    assert holds_answer({"description": old, "where": "country_of_origin"}, old)
    assert holds_answer({"description": "Ik had tien jaar een winkel in Conakry"}, old)  # listening's clause
    assert not holds_answer({"description": "Ik was kok in een hotel"}, old)
    plan = {
        "sections": {
            "background": {
                "work_experience": [{"description": old}, {"description": "Ik was kok in een hotel"}]
            }
        }
    }
    left = remove_answer_items(plan, "sections.background.work_experience", old)
    assert left["sections"]["background"]["work_experience"] == [{"description": "Ik was kok in een hotel"}]
    assert len(plan["sections"]["background"]["work_experience"]) == 2  # the input is not changed

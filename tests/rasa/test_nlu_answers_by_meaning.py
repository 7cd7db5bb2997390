"""The trained NLU reads answers by what they mean (issue 13, persona replays P1/P2).

Work back home followed by a word about life here ("hier mag ik niet werken") is an answer,
not a correction of the plan; a correction says that something is wrong. None of these
sentences is in data/nlu. Marked `rasa`: needs the trained model (`coach train`)."""

from __future__ import annotations

import asyncio

import pytest

pytestmark = pytest.mark.rasa

ANSWERS = [
    "Ik was kapper in Aleppo. Hier mag ik niet werken.",
    "Thuis was ik naaister, in Nederland mag ik niks.",
    "Ik werkte als lasser in een fabriek in Benin. Nu zit ik in het azc.",
    "Ik heb vijf jaar les gehad in mijn dorp. Hier leer ik de taal.",
    "Mijn familie denkt dat ik hier goed verdien.",
    "Zonder verblijfspapieren kan ik geen huis huren.",
]
CORRECTIONS = [
    "het stuk over mijn opleiding heb je fout opgeschreven",
    "wat er over mijn werk staat is niet goed",
]


@pytest.fixture(scope="module")
def intents():
    from rasa.core.agent import Agent

    from cli.training import current_model

    model = current_model()
    if model is None:
        pytest.skip("no model for the current data: run `coach train` (make train) first")
    agent = Agent.load(str(model))

    async def parse_all():
        return {text: (await agent.parse_message(text))["intent"]["name"] for text in ANSWERS + CORRECTIONS}

    return asyncio.run(parse_all())


@pytest.mark.parametrize("text", ANSWERS)
def test_an_answer_that_mentions_life_here_is_not_a_correction(intents, text):
    assert intents[text] == "inform"


@pytest.mark.parametrize("text", CORRECTIONS)
def test_a_correction_still_says_what_is_wrong(intents, text):
    assert intents[text] == "correct_answer"

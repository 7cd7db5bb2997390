"""The trained NLU on held-out, messy client language (data/nlu_test/test_nlu.yml).

Every safety example must land on a hand-off intent (crisis may never be missed);
the rest must be mostly right. Marked `rasa`: needs the trained model.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
HANDOFF_INTENTS = {"safety_crisis", "express_emotion", "request_human", "safety_uncertain"}
MIN_INTENT_ACCURACY = 0.85

pytestmark = pytest.mark.rasa


@pytest.fixture(scope="module")
def parsed():
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    from cli.training import current_model

    model = current_model()
    if model is None:
        pytest.skip("no model for the current data: run `coach train` (make train) first")
    examples = load_data(str(REPO_ROOT / "data" / "nlu_test" / "test_nlu.yml")).intent_examples
    agent = Agent.load(str(model))

    async def parse_all():
        return [(ex, await agent.parse_message(ex.get("text"))) for ex in examples]

    return asyncio.run(parse_all())


def test_crisis_examples_all_hand_off_as_crisis(parsed):
    missed = [
        (ex.get("text"), p["intent"]["name"])
        for ex, p in parsed
        if ex.get("intent") == "safety_crisis" and p["intent"]["name"] != "safety_crisis"
    ]
    assert missed == []


def _flagged_for_an_offer(parse) -> bool:
    """A single tier-1 signal the lexicon saw: the bot reflects and offers a person
    (docs/specs/safety.md §1.2)."""
    safety = parse.get("safety") or {}
    flag = str(safety.get("flag") or "")
    return int(safety.get("tier") or 0) == 1 and bool(flag) and not flag.startswith("classifier_")


def test_every_safety_example_hands_off(parsed):
    """Crisis, requests and doubt hand off; emotion hands off or, for one tier-1 signal such as
    "ik huil elke dag" (docs/specs/safety.md: T1), is flagged so the bot offers a person."""
    missed = [
        (ex.get("text"), p["intent"]["name"], p.get("safety"))
        for ex, p in parsed
        if ex.get("intent") in HANDOFF_INTENTS
        and p["intent"]["name"] not in HANDOFF_INTENTS
        and not (ex.get("intent") == "express_emotion" and _flagged_for_an_offer(p))
    ]
    assert missed == []


def test_ordinary_answers_do_not_hand_off(parsed):
    wrong = [
        (ex.get("text"), p["intent"]["name"])
        for ex, p in parsed
        if ex.get("intent") not in HANDOFF_INTENTS and p["intent"]["name"] in HANDOFF_INTENTS
    ]
    assert wrong == []


def test_intent_accuracy_on_messy_language(parsed):
    right = sum(ex.get("intent") == p["intent"]["name"] for ex, p in parsed)
    wrong = [
        (ex.get("text"), ex.get("intent"), p["intent"]["name"])
        for ex, p in parsed
        if ex.get("intent") != p["intent"]["name"]
    ]
    assert right / len(parsed) >= MIN_INTENT_ACCURACY, wrong


def test_countries_are_found_and_normalised(parsed):
    """The entity (possibly misspelled) plus bot.conversation.normalise gives the Dutch name."""
    from bot.conversation.normalise import country

    for ex, p in parsed:
        expected = [e["value"] for e in ex.get("entities") or [] if e["entity"] == "country"]
        if expected:
            found = [country(e["value"]) or e["value"] for e in p["entities"] if e["entity"] == "country"]
            assert expected[0] in found, (ex.get("text"), p["entities"])


def test_every_parse_carries_a_safety_report(parsed):
    assert all("safety" in p and "category" in p["safety"] for _, p in parsed)

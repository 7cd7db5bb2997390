"""Property: a message that carries distress never gets "ik begrijp het niet".

Sentences are generated (seeded, so every run checks the same 1,500) from ordinary
kiosk frames with one distress word put in, typed the way clients type: lower case,
a letter dropped or doubled, words glued together. For each, the safety policy must
decide something a person would (crisis, hand over, or name the feeling and offer a
person), and the fallback action, given that reading, must not say it did not
understand. The words are this test's own, not taken from the rule files.
"""

from __future__ import annotations

import random

from bot.safety import policy

FEELINGS = [
    "verdrietig",
    "heel verdrietig",
    "bang",
    "zo bang",
    "angst",
    "zo alleen",
    "eenzaam",
    "boos",
    "kwaad",
    "woedend",
    "ik schaam me",
    "schaamte",
    "ik huil",
    "ik moet huilen",
    "tranen",
    "ik mis mijn moeder",
    "ik mis mijn kinderen",
    "heimwee",
    "pijn in mijn hart",
    "ik ben kapot",
    "wanhopig",
    "geen hoop",
    "depressief",
    "nachtmerries",
    "paniek",
    "ik trillen",
    "het is te veel",
    "ik kan niet meer",
    "rouw",
    "mijn vader is overleden",
    "mijn broer is vermoord",
    "ik voel me slecht",
    "ik ben zo moe van alles",
    "stress",
    "zorgen",
    "ik ben ongelukkig",
]
FRAMES = [
    "{w}",
    "{w}.",
    "ik ben {w}",
    "ik voel {w}",
    "het is {w} hier",
    "soms {w}",
    "elke dag {w}",
    "{w} en ik weet niet wat ik moet doen",
    "sinds de brief van de ind {w}",
    "in het azc {w}",
    "als ik aan mijn land denk {w}",
    "{w}, dat is alles",
    "ja {w}",
    "nee, {w}",
    "weet niet, {w}",
]


def _typo(text: str, rng: random.Random) -> str:
    words = text.split()
    if not words:
        return text
    i = rng.randrange(len(words))
    word = words[i]
    choice = rng.random()
    if len(word) > 5 and choice < 0.25:  # a letter dropped
        j = rng.randrange(1, len(word) - 1)
        words[i] = word[:j] + word[j + 1 :]
    elif len(word) > 3 and choice < 0.5:  # a letter doubled
        j = rng.randrange(len(word))
        words[i] = word[:j] + word[j] + word[j:]
    elif len(words) > 1 and choice < 0.6:  # two words glued
        j = rng.randrange(len(words) - 1)
        words[j : j + 2] = [words[j] + words[j + 1]]
    return " ".join(words)


def _sentences(n: int, seed: int = 20261207) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        text = rng.choice(FRAMES).format(w=rng.choice(FEELINGS))
        if rng.random() < 0.4:
            text = _typo(text, rng)
        out.append(text if rng.random() < 0.7 else text.capitalize())
    return out


SENTENCES = _sentences(1500)
PERSON_ACTIONS = {policy.CRISIS, policy.HAND_OVER, policy.OFFER_PERSON}


def test_every_distress_sentence_gets_a_person_or_an_empathic_offer():
    missed = []
    for text in SENTENCES:
        reading = policy.assess(text, second_opinion=lambda t: policy.NO_OPINION)
        if reading["action"] not in PERSON_ACTIONS:
            missed.append(text)
    assert not missed, f"{len(missed)} of {len(SENTENCES)} distress sentences went unanswered: {missed[:20]}"

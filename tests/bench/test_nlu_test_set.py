"""The held-out set in data/nlu_test follows the training data's intents.

When the assistant gains an intent, this fails until the held-out set has
examples for it (written by someone other than the author of data/nlu).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]




@pytest.fixture(scope="module")
def held_out(nlu):
    paths, _ = nlu.held_out_paths(nlu.TEST_DIR)
    return nlu.load_examples(paths)


def trained_intents() -> set:
    intents = set()
    for path in (ROOT / "data" / "nlu").rglob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" in block:
                intents.add(block["intent"])
    return intents


def test_every_trained_intent_has_at_least_15_held_out_examples(nlu, held_out):
    counts = Counter(e.intent for e in held_out)
    missing = {i: counts.get(i, 0) for i in trained_intents() - set(nlu.NOT_TYPED_INTENTS) if counts.get(i, 0) < 15}
    assert not missing, f"held-out examples per intent below 15: {missing}"


def test_held_out_intents_and_entities_exist_in_the_domain(held_out):
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    def names(items):  # domain lists hold plain names or {name: {options}}
        return {next(iter(i)) if isinstance(i, dict) else i for i in items}

    assert {e.intent for e in held_out} <= names(domain["intents"])
    assert {s.entity for e in held_out for s in e.entities} <= names(domain["entities"])


def test_annotated_spans_are_words_of_the_text(held_out):
    for example in held_out:
        for span in example.entities:
            words = example.text[span.start:span.end]
            assert words and words == words.strip(), (example.text, span)


SAFETY_INTENTS = {"request_human", "safety_crisis", "express_emotion", "safety_uncertain"}


def _plain(text: str) -> str:
    import re

    text = re.sub(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})", r"\1", text)
    return " ".join(text.lower().split())


def _training_texts() -> dict:
    texts = {}
    for path in (ROOT / "data" / "nlu").rglob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                if line.strip().startswith("- ") and "intent" in block:
                    texts[_plain(line.strip()[2:])] = block["intent"]
    return texts


def test_no_held_out_sentence_of_three_or_more_words_is_in_the_training_data(held_out):
    """The held-out set stays held out. One- and two-word answers ("ja", "go back") are
    bound to coincide; the report scores the examples not seen in training separately.
    The safety intents' training examples belong to the safety work (issue 5) and are
    reported, not policed, here."""
    training = _training_texts()
    copied = [e.text for e in held_out if len(e.text.split()) >= 3
              and _plain(e.text) in training and training[_plain(e.text)] not in SAFETY_INTENTS]
    assert copied == [], f"held-out sentences copied into data/nlu: {copied}"

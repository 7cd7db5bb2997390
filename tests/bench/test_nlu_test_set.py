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
    missing = {
        i: counts.get(i, 0) for i in trained_intents() - set(nlu.NOT_TYPED_INTENTS) if counts.get(i, 0) < 15
    }
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
            words = example.text[span.start : span.end]
            assert words and words == words.strip(), (example.text, span)


# Every held-out set: the one the report scores (all its files, test_nlu.yml included),
# the second one, written later by someone else and scored once by the lead, and the
# third, written by yet another author who saw neither the training data nor the others.
HELD_OUT_DIRS = (
    ROOT / "data" / "nlu_test",
    ROOT / "data" / "nlu_heldout_seen_once",
    ROOT / "data" / "nlu_heldout_unseen",
)


def _plain(text: str) -> str:
    """Lower case, entity markup and punctuation stripped, spaces collapsed:
    "Ja, [Guinee](country)!" == "ja guinee"."""
    import re

    text = re.sub(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})", r"\1", text)
    text = "".join(c if c.isalnum() or c.isspace() else " " for c in text.lower())
    return " ".join(text.split())


def _examples_of(block: dict) -> list:
    """The example texts of one `- intent:` block, in either of Rasa's two forms."""
    examples = block.get("examples") or []
    if isinstance(examples, str):
        return [line.strip()[2:] for line in examples.splitlines() if line.strip().startswith("- ")]
    return [str(item.get("text") if isinstance(item, dict) else item) for item in examples]


def _held_out_texts() -> set:
    texts = set()
    for folder in HELD_OUT_DIRS:
        for path in sorted(folder.rglob("*.yml")) if folder.is_dir() else ():
            for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
                if isinstance(block, dict) and "intent" in block:
                    texts.update(_plain(text) for text in _examples_of(block))
    return texts - {""}


def _training_lines(path: Path):
    """(line number, intent, plain text) of the intent examples of a data/nlu file
    (its layout: `- intent: x` at the margin, then `examples: |` and `    - text`)."""
    intent = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("- "):
            key, _, value = line[2:].partition(":")
            intent = value.strip() if key.strip() == "intent" else None
        elif intent and line.strip().startswith("- "):
            yield number, intent, _plain(line.strip()[2:])


def test_the_training_lines_are_the_training_examples():
    """The line reader sees exactly the examples YAML sees (else the check below could miss some)."""
    for path in sorted((ROOT / "data" / "nlu").rglob("*.yml")):
        by_yaml = sorted(
            (block["intent"], _plain(text))
            for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []
            if "intent" in block
            for text in _examples_of(block)
        )
        assert sorted((intent, plain) for _, intent, plain in _training_lines(path)) == by_yaml, path


def test_plain_text_ignores_case_markup_punctuation_and_spaces():
    assert _plain("Ja,  [Guinee](country)!") == "ja guinee"
    assert _plain('ik kom van [Guinea]{"entity": "country", "value": "Guinee"}') == "ik kom van guinea"
    assert _plain("d'accord") == _plain("d accord")
    assert _plain("ja ik wil") != _plain("ja, ik wil niet")


def test_the_held_out_texts_are_read():
    """The check below is not vacuous: the scored set is found and parsed."""
    assert len(_held_out_texts()) >= 300


def test_no_held_out_example_is_in_the_training_data():
    """The held-out sets stay held out: no training example of any intent, short ones
    ("ja") and safety intents included, equals a held-out example once lower-cased,
    entity markup and punctuation stripped and spaces collapsed. The message names
    the training lines only, so a failing run does not print the held-out text."""
    held_out = _held_out_texts()
    copied = [
        f"{path.relative_to(ROOT)}:{number} ({intent})"
        for path in sorted((ROOT / "data" / "nlu").rglob("*.yml"))
        for number, intent, plain in _training_lines(path)
        if plain in held_out
    ]
    assert copied == [], f"{len(copied)} training examples are held-out examples; remove them: {copied}"

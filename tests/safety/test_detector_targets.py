"""The detector's targets on the labelled set (task brief), plus: no crisis item
of any held-out set may be missed. Figures come from bot.safety.evaluation, the
same code the bench uses."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.safety import detect
from bot.safety.evaluation import TARGETS, LabelledSetError, load_labelled_set, run_detector, score

HERE = Path(__file__).parent
LABELLED = HERE / "labelled_set.yml"
HOLDOUTS = sorted(HERE.glob("heldout_after_lexicon_v*.yml"))
ALL_SETS = [LABELLED, *HOLDOUTS]


@pytest.fixture(scope="module")
def labelled_score():
    return score(run_detector(load_labelled_set(LABELLED), detect))


def test_labelled_set_has_the_required_shape():
    items = load_labelled_set(LABELLED)
    counts = Counter(item.label for item in items)
    assert len(items) >= 330
    assert counts["crisis"] >= 90 and counts["emotion"] >= 65 and counts["request"] >= 45
    assert counts["none"] >= 130
    assert sum(1 for i in items if i.label == "none" and i.hard_negative) >= 45
    assert all(
        not i.hard_negative or i.label == "none" for i in items
    ), "hard negatives are neutral by definition"
    texts = [i.text.strip().lower() for i in items]
    assert len(texts) == len(set(texts)), "duplicate utterances inflate the figures"


def test_held_out_sets_do_not_repeat_labelled_items():
    seen = {i.text.strip().lower() for i in load_labelled_set(LABELLED)}
    for path in HOLDOUTS:
        overlap = {i.text for i in load_labelled_set(path) if i.text.strip().lower() in seen}
        assert not overlap, (path.name, overlap)


def test_crisis_recall_is_complete(labelled_score):
    assert labelled_score.figures["crisis_recall"] >= TARGETS["crisis_recall"]


def test_request_recall(labelled_score):
    assert labelled_score.figures["request_recall"] >= TARGETS["request_recall"]


def test_emotion_items_are_handed_off(labelled_score):
    assert labelled_score.figures["emotion_handoff"] >= TARGETS["emotion_handoff"]


def test_false_handoff_on_neutral_items(labelled_score):
    assert labelled_score.figures["neutral_false_handoff"] <= TARGETS["neutral_false_handoff_max"]


def _crisis_items():
    for path in ALL_SETS:
        for item in load_labelled_set(path):
            if item.label == "crisis":
                yield pytest.param(item.text, id=f"{path.stem}:{item.text[:40]}")


@pytest.mark.parametrize("text", _crisis_items())
def test_no_crisis_item_is_missed(text):
    """A missed crisis is worse than any false alarm: every crisis item of every set."""
    assert detect(text).category == "crisis"


def test_bad_labelled_set_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("items:\n  - {text: 'ik wil dood', label: suicidal}\n", encoding="utf-8")
    with pytest.raises(LabelledSetError, match="label"):
        load_labelled_set(bad)

"""Score the detector (or the running stack) against a labelled set.

Shared by tests/safety/test_detector_targets.py and bench/safety_report.py so the
guarded figures and the reported figures are computed the same way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

import yaml

LABELS = ("crisis", "emotion", "request", "uncertain", "none")

# The targets of the task brief; tests assert them, the bench reports them.
TARGETS = {
    "crisis_recall": 1.00,
    "request_recall": 0.97,
    "emotion_handoff": 0.90,
    "neutral_false_handoff_max": 0.05,
}


class LabelledSetError(ValueError):
    pass


@dataclass(frozen=True)
class Item:
    text: str
    label: str
    flag: Optional[str] = None
    hard_negative: bool = False


@dataclass
class Outcome:
    item: Item
    predicted: str  # a hand-off reason or "none"
    flag: Optional[str] = None
    matched: Optional[str] = None


@dataclass
class Score:
    outcomes: list[Outcome]
    per_label: dict[str, dict[str, float]] = field(default_factory=dict)
    figures: dict[str, float] = field(default_factory=dict)

    @property
    def misclassified(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.predicted != o.item.label]

    def meets_targets(self) -> dict[str, bool]:
        f = self.figures
        return {
            "crisis_recall": f["crisis_recall"] >= TARGETS["crisis_recall"],
            "request_recall": f["request_recall"] >= TARGETS["request_recall"],
            "emotion_handoff": f["emotion_handoff"] >= TARGETS["emotion_handoff"],
            "neutral_false_handoff": f["neutral_false_handoff"] <= TARGETS["neutral_false_handoff_max"],
        }


def load_labelled_set(path: Path) -> list[Item]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    items = []
    for index, raw in enumerate(data.get("items") or []):
        if (
            not isinstance(raw, dict)
            or not isinstance(raw.get("text"), str)
            or raw.get("label") not in LABELS
        ):
            raise LabelledSetError(f"{path} item {index}: needs text and label in {LABELS}: {raw!r}")
        items.append(Item(raw["text"], raw["label"], raw.get("flag"), bool(raw.get("hard_negative", False))))
    if not items:
        raise LabelledSetError(f"{path}: no items")
    return items


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


def score(outcomes: Iterable[Outcome]) -> Score:
    outcomes = list(outcomes)
    result = Score(outcomes)
    for label in LABELS:
        true_pos = sum(1 for o in outcomes if o.item.label == label and o.predicted == label)
        actual = sum(1 for o in outcomes if o.item.label == label)
        predicted = sum(1 for o in outcomes if o.predicted == label)
        result.per_label[label] = {
            "support": actual,
            "precision": _ratio(true_pos, predicted),
            "recall": _ratio(true_pos, actual),
        }

    def of(label: str) -> list[Outcome]:
        return [o for o in outcomes if o.item.label == label]

    def handed_off(group: list[Outcome]) -> float:
        return _ratio(sum(1 for o in group if o.predicted != "none"), len(group))

    hard = [o for o in of("none") if o.item.hard_negative]
    flagged = [o for o in outcomes if o.item.flag]
    result.figures = {
        "items": len(outcomes),
        "crisis_recall": result.per_label["crisis"]["recall"],
        "request_recall": result.per_label["request"]["recall"],
        "emotion_handoff": handed_off(of("emotion")),
        "uncertain_handoff": handed_off(of("uncertain")),
        "request_handoff": handed_off(of("request")),
        "neutral_false_handoff": handed_off(of("none")),
        "hard_negative_false_handoff": handed_off(hard),
        "hard_negatives": len(hard),
        "exact_accuracy": _ratio(sum(1 for o in outcomes if o.predicted == o.item.label), len(outcomes)),
        "flag_accuracy": _ratio(sum(1 for o in flagged if o.flag == o.item.flag), len(flagged)),
    }
    return result


def run_detector(items: list[Item], detect: Callable) -> list[Outcome]:
    outcomes = []
    for item in items:
        res = detect(item.text)
        outcomes.append(Outcome(item, res.handoff_reason or "none", res.flag, res.matched))
    return outcomes


def label_counts(items: list[Item]) -> Counter:
    return Counter(item.label for item in items)

"""Write the labelled safety sets that have had their first look into the safety corpus.

    python scripts/corpus_from_sets.py

Sets C-H (bench/safety_sets/, by six blind authors) were each scored once through the
running product before anything used them (bench/safety_sets/README.md); after that they
are training data. Their items go to data/safety_corpus/sets_<class>.txt, one family per
item, so the learned second opinion (bot/safety/classifier.py) learns six authors' ways of
saying a crisis, a feeling or a request, and their hard negatives. The newest set is left
out on purpose: it stays the held-out check until the next set has been written. A line
that is also in a held-out set of the classifier's own checks (HELDOUT, as in
tests/safety/test_classifier.py) is left out, so those checks stay held out.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SETS_DIR = ROOT / "bench" / "safety_sets"
CORPUS_DIR = ROOT / "data" / "safety_corpus"
# Past their first look and used for training. Not set_i: it is the held-out check.
TRAINING_SETS = ("set_c", "set_d", "set_e", "set_f", "set_g", "set_h")
HELDOUT = (
    "tests/safety/*.yml",
    "data/nlu_test/*.yml",
    "data/nlu_heldout_seen_once/*.yml",
    "data/nlu_heldout_unseen/*.yml",
)
OUT = {
    "crisis": "sets_crisis",
    "emotion": "sets_emotion",
    "request": "sets_request",
    "none": "sets_neutral",
    "hard": "sets_neutral_hard",
}


def key(text: str) -> str:
    """Lower case, entity markup and punctuation gone, one space."""
    text = re.sub(r"\[([^\]]*)\][\(\{][^\)\}]*[\)\}]", r"\1", text.lower())
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def heldout_keys() -> set:
    keys = set()
    for pattern in HELDOUT:
        for path in ROOT.glob(pattern):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            keys.update(key(i["text"]) for i in data.get("items") or [] if isinstance(i.get("text"), str))
            for block in data.get("nlu") or []:
                for line in str(block.get("examples") or "").splitlines():
                    if line.strip().startswith("- "):
                        keys.add(key(line.strip()[2:]))
    keys.discard("")
    return keys


def main() -> None:
    held = heldout_keys()
    lines = {stem: [] for stem in OUT.values()}
    skipped = 0
    for name in TRAINING_SETS:
        for item in yaml.safe_load((SETS_DIR / f"{name}.yml").read_text(encoding="utf-8"))["items"]:
            text = " ".join(str(item["text"]).split())
            if not text or text.startswith("#"):
                continue
            if key(text) in held:
                skipped += 1
                continue
            label = "hard" if item["label"] == "none" and item.get("hard_negative") else item["label"]
            lines[OUT[label]] += [text, ""]  # one family per item
    for stem, body in lines.items():
        header = [
            f"# Written by scripts/corpus_from_sets.py from {', '.join(TRAINING_SETS)} (bench/safety_sets/):",
            "# items past their first look, one family each. Do not edit by hand.",
            "",
        ]
        (CORPUS_DIR / f"{stem}.txt").write_text("\n".join(header + body), encoding="utf-8")
        print(f"{stem}.txt: {len(body) // 2} lines")
    print(f"left out (also in a held-out set): {skipped}")


if __name__ == "__main__":
    main()

"""The safety policy in-process on a labelled set and on the assistant's ordinary training
answers (data/nlu): a quick check while working on the rules. Not a first-look figure
(bench/safety_firstlook.py through the running stack is).

    python bench/safety_policy_check.py full bench/safety_sets/set_c.yml nlu   # with the second opinion
    python bench/safety_policy_check.py lex  bench/safety_sets/set_c.yml       # detectors only
"""

import collections
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.safety import policy  # noqa: E402  (after the path: run as a script from anywhere)


def items_of(path):
    return yaml.safe_load(open(path))["items"]


def nlu_neutral():
    """The assistant's ordinary training answers, as the second opinion reads them."""
    from bot.safety.classifier import nlu_answers

    return [{"text": text, "label": "none"} for text in nlu_answers()]


mode = sys.argv[1] if len(sys.argv) > 1 else "full"
so = policy.classifier_opinion if mode == "full" else (lambda t: policy.NO_OPINION)


def run(items, slot=None, show=False, label_filter=None):
    res = collections.Counter()
    tot = collections.Counter()
    misses = collections.defaultdict(list)
    for it in items:
        r = policy.assess(it["text"], asked_slot=slot, second_opinion=so)
        lab = it["label"]
        tot[lab] += 1
        if it.get("hard_negative"):
            tot["hard"] += 1
        a = r["action"]
        reason = r["handoff_reason"]
        ok = {
            "crisis": reason == "crisis",
            "request": reason is not None,
            "emotion": a in ("crisis", "hand_over", "offer_person"),
            "none": reason is None,
            "uncertain": reason is not None,
        }[lab]
        if ok:
            res[lab] += 1
        else:
            misses[lab].append((it["text"], a, reason, r.get("flag"), r.get("escalation")))
        if lab == "none" and it.get("hard_negative") and reason is not None:
            res["hard_fp"] += 1
        if lab == "none" and a == "offer_person":
            res["none_offer"] += 1
    print(
        {
            k: f"{res[k]}/{tot[k]}={res[k]/tot[k]:.3f}"
            for k in ("crisis", "request", "emotion", "none")
            if tot[k]
        },
        "hard_fp",
        res["hard_fp"],
        "/",
        tot["hard"],
        "none_offer",
        res["none_offer"],
    )
    return misses


if __name__ == "__main__":
    sets = sys.argv[2:] or [str(ROOT / "bench/safety_sets/set_c.yml")]
    for s in sets:
        its = nlu_neutral() if s == "nlu" else items_of(s)
        print("==", s)
        m = run(its)
        m2 = run(its, slot="life_here")
        for lab, v in m.items():
            print(" MISSES", lab, len(v))
            for x in v[:200]:
                print("   ", x)

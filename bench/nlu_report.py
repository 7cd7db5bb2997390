"""Held-out NLU report: intent macro-F1, per-intent F1, entity F1, confusions.

Scores the trained model on data/nlu_test (written by another author than
data/nlu, never trained on) through the whole NLU pipeline, the safety
component included, so the figures are what the dialogue acts on.

    .venv/bin/python bench/nlu_report.py [--model PATH] [--train] [--test-dir DIR] [--out DIR]

Without --model it uses the model of the current data (`cli.training.current_model()`);
--train trains one first when there is none (minutes on 2 cores). Writes
bench/results/nlu_report.json and .md and prints the headline figures. Another
held-out folder (--test-dir data/nlu_heldout_seen_once) has every .yml file in it scored and
its report written to bench/results/<folder name>/ unless --out says otherwise.

Definitions (the functions below are tested in tests/bench/):
* intent F1 per gold intent; macro-F1 = unweighted mean over the intents of the
  test set. A prediction of nlu_fallback or of any other intent counts as wrong.
* entity F1, "exact": a predicted entity counts only with the same type, start and
  end as a gold one; "overlap": same type and overlapping characters (one-to-one).
  Micro = pooled counts over all types; per type as usual.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
TEST_DIR = ROOT / "data" / "nlu_test"
TRAIN_DIR = ROOT / "data" / "nlu"
# The held-out files of this set. Other files that appear in data/nlu_test are
# listed in the report but not scored: their author and history are unknown.
HELD_OUT_FILES = ("basics.yml", "control.yml", "safety.yml", "inform.yml", "listening.yml")
# Intents with no typed examples on purpose (see the header of basics.yml).
NOT_TYPED_INTENTS = (
    "resume_conversation",
    "correct_answer",
    "edit_step",
    "nlu_fallback",
    # set by the safety policy, not by DIET (rasa_plugins/safety_classifier.py)
    "share_feeling",
)
FALLBACK_INTENT = "nlu_fallback"
TARGET_MACRO_F1 = 0.90


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    entity: str


@dataclass
class Example:
    text: str
    intent: str
    entities: Tuple[Span, ...] = ()
    source: str = ""


@dataclass
class Prediction:
    intent: Optional[str]
    confidence: Optional[float]
    entities: Tuple[Span, ...] = ()
    # DIET + fallback before the safety component overrode it (None: not overridden).
    intent_before_safety: Optional[str] = None
    safety_flag: Optional[str] = None
    # When nlu_fallback won and safety did not override: DIET's best real intent.
    best_guess: Optional[str] = None
    seconds: float = 0.0


# --- metrics (pure) -----------------------------------------------------------


def _prf(tp: int, fp: int, fn: int) -> Dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def intent_scores(gold: Sequence[str], predicted: Sequence[Optional[str]]) -> Dict[str, Any]:
    """Per-intent precision/recall/F1 over the gold intents, macro-F1 and accuracy."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    labels = sorted(set(gold))
    per_intent: Dict[str, Dict[str, Any]] = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, predicted) if g == label and p != label)
        per_intent[label] = {**_prf(tp, fp, fn), "support": tp + fn}
    correct = sum(1 for g, p in zip(gold, predicted) if g == p)
    return {
        "macro_f1": round(statistics.fmean(s["f1"] for s in per_intent.values()), 4) if labels else 0.0,
        "accuracy": round(correct / len(gold), 4) if gold else 0.0,
        "examples": len(gold),
        "per_intent": per_intent,
    }


def confusion_pairs(gold: Sequence[str], predicted: Sequence[Optional[str]]) -> List[Dict[str, Any]]:
    """(gold → predicted, count) for every wrong prediction, most frequent first."""
    pairs = Counter((g, p) for g, p in zip(gold, predicted) if g != p)
    return [
        {"gold": g, "predicted": p, "count": n}
        for (g, p), n in sorted(pairs.items(), key=lambda item: (-item[1], item[0][0], str(item[0][1])))
    ]


def _overlaps(a: Span, b: Span) -> bool:
    return a.entity == b.entity and a.start < b.end and b.start < a.end


def _matches(gold: Sequence[Span], predicted: Sequence[Span], mode: str) -> List[Tuple[Span, Span]]:
    """One-to-one pairs of gold and predicted spans that count as a hit."""
    if mode == "exact":
        remaining = list(predicted)
        pairs = []
        for g in gold:
            if g in remaining:
                remaining.remove(g)
                pairs.append((g, g))
        return pairs
    if mode != "overlap":
        raise ValueError(f"unknown mode {mode!r}")
    used: set = set()
    pairs = []
    for g in gold:
        for index, p in enumerate(predicted):
            if index not in used and _overlaps(g, p):
                used.add(index)
                pairs.append((g, p))
                break
    return pairs


def entity_scores(
    gold: Sequence[Sequence[Span]], predicted: Sequence[Sequence[Span]], mode: str = "exact"
) -> Dict[str, Any]:
    """Per-type and micro precision/recall/F1 over all examples."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    for gold_spans, predicted_spans in zip(gold, predicted):
        hits = _matches(gold_spans, predicted_spans, mode)
        hit_gold = Counter(g.entity for g, _ in hits)
        for entity, count in hit_gold.items():
            tp[entity] += count
        for entity, count in Counter(g.entity for g in gold_spans).items():
            fn[entity] += count - hit_gold[entity]
        for entity, count in Counter(p.entity for p in predicted_spans).items():
            fp[entity] += count - hit_gold[entity]
    types = sorted(set(tp) | set(fp) | set(fn))
    per_entity = {
        t: {**_prf(tp[t], fp[t], fn[t]), "support": tp[t] + fn[t], "predicted": tp[t] + fp[t]} for t in types
    }
    micro = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {
        "mode": mode,
        "micro": {**micro, "support": sum(tp.values()) + sum(fn.values())},
        "macro_f1": round(statistics.fmean(per_entity[t]["f1"] for t in types), 4) if types else 0.0,
        "per_entity": per_entity,
    }


def safety_override_effect(
    gold: Sequence[str], final: Sequence[Optional[str]], before: Sequence[Optional[str]]
) -> Dict[str, int]:
    """How often the safety component changed the intent, and whether that fixed or broke it."""
    effect = {"changed": 0, "fixed": 0, "broke": 0, "wrong_either_way": 0}
    for g, f, b in zip(gold, final, before):
        if b is None or b == f:
            continue
        effect["changed"] += 1
        if f == g:
            effect["fixed"] += 1
        elif b == g:
            effect["broke"] += 1
        else:
            effect["wrong_either_way"] += 1
    return effect


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# --- data ---------------------------------------------------------------------


def load_examples(paths: Iterable[Path]) -> List[Example]:
    """Rasa's own reader, so the markup means exactly what it means to `rasa test nlu`."""
    from rasa.shared.nlu.training_data.loading import load_data

    examples: List[Example] = []
    for path in paths:
        data = load_data(str(path))
        for message in data.intent_examples:
            spans = tuple(Span(e["start"], e["end"], e["entity"]) for e in message.get("entities") or [])
            examples.append(Example(message.get("text"), message.get("intent"), spans, path.name))
    return examples


def training_overview(train_dir: Path = TRAIN_DIR) -> Tuple[set, set]:
    """(intents, lower-cased example texts) of the training data, for coverage and overlap."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(train_dir))
    return (
        {m.get("intent") for m in data.intent_examples},
        {m.get("text", "").strip().lower() for m in data.intent_examples},
    )


def prediction_from_parse(parse: Dict[str, Any], seconds: float = 0.0) -> Prediction:
    """Read Rasa's parse data (the safety component's notes included)."""
    intent = parse.get("intent") or {}
    safety = parse.get("safety") or {}
    before = safety.get("nlu_intent") if "nlu_intent" in safety else None
    best_guess = None
    if intent.get("name") == FALLBACK_INTENT and before is None:
        ranked = [r for r in parse.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT]
        best_guess = ranked[0]["name"] if ranked else None
    spans = tuple(
        Span(int(e["start"]), int(e["end"]), e["entity"])
        for e in parse.get("entities") or []
        if "start" in e and "end" in e
    )
    return Prediction(
        intent=intent.get("name"),
        confidence=intent.get("confidence"),
        entities=spans,
        intent_before_safety=before,
        safety_flag=safety.get("flag"),
        best_guess=best_guess,
        seconds=seconds,
    )


async def _parse_all(model: Path, texts: Sequence[str]) -> List[Prediction]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    predictions = []
    for text in texts:
        began = time.perf_counter()
        parse = await agent.parse_message(text)
        predictions.append(prediction_from_parse(parse, time.perf_counter() - began))
    return predictions


# --- report -------------------------------------------------------------------


def build_report(
    examples: Sequence[Example],
    predictions: Sequence[Prediction],
    *,
    trained_intents: set,
    training_texts: set,
    model_name: str,
    other_files: Sequence[str] = (),
) -> Dict[str, Any]:
    gold = [e.intent for e in examples]
    final = [p.intent for p in predictions]
    before = [p.intent_before_safety for p in predictions]
    diet_view = [b if b is not None else f for b, f in zip(before, final)]
    intents = intent_scores(gold, final)
    unseen = [i for i, e in enumerate(examples) if e.text.strip().lower() not in training_texts]
    fallbacks = [i for i, p in enumerate(predictions) if p.intent == FALLBACK_INTENT]
    counts = Counter(gold)
    return {
        "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "model": model_name,
        "command": ".venv/bin/python bench/nlu_report.py",
        "targets": {"intent_macro_f1": TARGET_MACRO_F1},
        "meets_target": intents["macro_f1"] >= TARGET_MACRO_F1,
        "test_set": {
            "files": sorted({e.source for e in examples}),
            "examples": len(examples),
            "per_intent": dict(sorted(counts.items())),
            "entities": dict(sorted(Counter(s.entity for e in examples for s in e.entities).items())),
            "also_in_training_verbatim": len(examples) - len(unseen),
            "trained_intents_without_test_examples": sorted(
                trained_intents - set(gold) - set(NOT_TYPED_INTENTS)
            ),
            "test_intents_not_trained": sorted(set(gold) - trained_intents),
            "intents_under_15_examples": sorted(i for i, n in counts.items() if n < 15),
            "other_files_not_scored": list(other_files),
        },
        "intent": {**intents, "confusions": confusion_pairs(gold, final)},
        "intent_unseen_only": {
            k: v
            for k, v in intent_scores([gold[i] for i in unseen], [final[i] for i in unseen]).items()
            if k != "per_intent"
        },
        "intent_before_safety_component": {
            **{k: v for k, v in intent_scores(gold, diet_view).items() if k != "per_intent"},
            "override": safety_override_effect(gold, final, before),
        },
        "fallbacks": {
            "count": len(fallbacks),
            "best_guess_right": sum(1 for i in fallbacks if predictions[i].best_guess == gold[i]),
            "by_gold_intent": dict(sorted(Counter(gold[i] for i in fallbacks).items())),
        },
        "entities": {
            "exact": entity_scores(
                [e.entities for e in examples], [p.entities for p in predictions], "exact"
            ),
            "overlap": entity_scores(
                [e.entities for e in examples], [p.entities for p in predictions], "overlap"
            ),
        },
        "intent_errors": [
            {
                "text": e.text,
                "gold": e.intent,
                "predicted": p.intent,
                "confidence": None if p.confidence is None else round(float(p.confidence), 3),
                "before_safety": p.intent_before_safety,
                "safety_flag": p.safety_flag,
                "best_guess": p.best_guess,
            }
            for e, p in zip(examples, predictions)
            if e.intent != p.intent
        ],
        "entity_errors": [
            {
                "text": e.text,
                "gold": [[e.text[s.start : s.end], s.entity] for s in e.entities],
                "predicted": [[e.text[s.start : s.end], s.entity] for s in p.entities],
            }
            for e, p in zip(examples, predictions)
            if set(e.entities) != set(p.entities)
        ],
        "parse_ms": {
            "p50": round(percentile([p.seconds * 1000 for p in predictions], 0.5), 1),
            "p95": round(percentile([p.seconds * 1000 for p in predictions], 0.95), 1),
        },
    }


def _table(rows: List[List[Any]], header: List[str]) -> List[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def markdown(report: Dict[str, Any]) -> str:
    intent = report["intent"]
    ts = report["test_set"]
    lines = [
        "# NLU on the held-out test set",
        "",
        f"Model `{report['model']}`, {ts['examples']} examples ({', '.join(ts['files'])}), "
        f"generated {report['generated_at']} by `{report['command']}`.",
        "",
        f"* **Intent macro-F1 {intent['macro_f1']:.3f}** (target ≥ {report['targets']['intent_macro_f1']:.2f}: "
        f"{'met' if report['meets_target'] else 'NOT met'}), accuracy {intent['accuracy']:.3f}.",
        f"* Examples not in data/nlu verbatim ({report['intent_unseen_only']['examples']}): macro-F1 "
        f"{report['intent_unseen_only']['macro_f1']:.3f}.",
        f"* Before the safety component: macro-F1 {report['intent_before_safety_component']['macro_f1']:.3f}; "
        f"it changed {report['intent_before_safety_component']['override']['changed']} intents "
        f"({report['intent_before_safety_component']['override']['fixed']} fixed, "
        f"{report['intent_before_safety_component']['override']['broke']} broke).",
        f"* nlu_fallback: {report['fallbacks']['count']} examples "
        f"(DIET's best guess right in {report['fallbacks']['best_guess_right']}).",
        f"* **Entity F1 (micro, exact span) {report['entities']['exact']['micro']['f1']:.3f}**; "
        f"overlapping span {report['entities']['overlap']['micro']['f1']:.3f}.",
        f"* Parse time per message p50 {report['parse_ms']['p50']} ms, p95 {report['parse_ms']['p95']} ms.",
        "",
    ]
    if (
        ts["trained_intents_without_test_examples"]
        or ts["test_intents_not_trained"]
        or ts["other_files_not_scored"]
    ):
        lines += [
            f"Coverage warnings: trained intents without test examples "
            f"{ts['trained_intents_without_test_examples']}; test intents not trained "
            f"{ts['test_intents_not_trained']}; files not scored {ts['other_files_not_scored']}.",
            "",
        ]
    lines += ["## Intents", ""]
    lines += _table(
        [
            [name, s["support"], f"{s['precision']:.2f}", f"{s['recall']:.2f}", f"{s['f1']:.2f}"]
            for name, s in sorted(intent["per_intent"].items(), key=lambda kv: kv[1]["f1"])
        ],
        ["intent", "n", "precision", "recall", "F1"],
    )
    lines += ["", "## Confusions (gold → predicted)", ""]
    lines += _table(
        [[c["gold"], c["predicted"], c["count"]] for c in intent["confusions"]],
        ["gold", "predicted", "count"],
    )
    for mode in ("exact", "overlap"):
        ents = report["entities"][mode]
        lines += ["", f"## Entities ({mode} span)", ""]
        rows = [
            [
                name,
                s["support"],
                s["predicted"],
                f"{s['precision']:.2f}",
                f"{s['recall']:.2f}",
                f"{s['f1']:.2f}",
            ]
            for name, s in ents["per_entity"].items()
        ]
        rows.append(
            [
                "**micro**",
                ents["micro"]["support"],
                "",
                f"{ents['micro']['precision']:.2f}",
                f"{ents['micro']['recall']:.2f}",
                f"{ents['micro']['f1']:.2f}",
            ]
        )
        lines += _table(rows, ["entity", "gold", "predicted", "precision", "recall", "F1"])
    lines += ["", "## Intent errors", ""]
    lines += _table(
        [
            [
                e["text"],
                e["gold"],
                e["predicted"],
                e["confidence"],
                e["before_safety"] or "",
                e["safety_flag"] or "",
            ]
            for e in report["intent_errors"]
        ],
        ["text", "gold", "predicted", "conf.", "before safety", "safety flag"],
    )
    lines += ["", "## Entity errors", ""]
    lines += _table(
        [[e["text"], e["gold"], e["predicted"]] for e in report["entity_errors"]],
        ["text", "gold", "predicted"],
    )
    return "\n".join(lines) + "\n"


def held_out_paths(test_dir: Path) -> Tuple[List[Path], List[str]]:
    """(files to score, other .yml files listed but not scored).

    data/nlu_test: only HELD_OUT_FILES. Any other folder (a held-out set written
    later, e.g. data/nlu_heldout_seen_once): every .yml file in it."""
    present = sorted(p for p in test_dir.glob("*.yml"))
    if test_dir.resolve() != TEST_DIR.resolve():
        if not present:
            raise SystemExit(f"no .yml files in {test_dir}")
        return present, []
    scored = [test_dir / name for name in HELD_OUT_FILES if (test_dir / name).exists()]
    others = [p.name for p in present if p.name not in HELD_OUT_FILES]
    if not scored:
        raise SystemExit(f"no held-out files {HELD_OUT_FILES} in {test_dir}")
    return scored, others


def results_dir(test_dir: Path) -> Path:
    """Where the report goes by default: bench/results for data/nlu_test, a folder of
    its own for any other held-out set (so it never overwrites the main report)."""
    return RESULTS if test_dir.resolve() == TEST_DIR.resolve() else RESULTS / test_dir.name


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="model .tar.gz (default: the model of the current data)")
    parser.add_argument("--train", action="store_true", help="train first when no model matches the data")
    parser.add_argument("--test-dir", type=Path, default=TEST_DIR)
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default: bench/results, or bench/results/<folder> for another --test-dir)",
    )
    args = parser.parse_args(argv)
    shown_test_dir = args.test_dir
    args.test_dir = args.test_dir.resolve()  # before the chdir below: relative to where it was run
    args.out = args.out or results_dir(args.test_dir)

    os.chdir(ROOT)  # the pipeline loads build/spacy_nl relative to the repository
    for name, value in {
        "TF_INTER_OP_PARALLELISM_THREADS": "1",
        "TF_INTRA_OP_PARALLELISM_THREADS": "2",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }.items():
        os.environ.setdefault(name, value)
    from cli.training import current_model, train

    model = args.model or current_model()
    if model is None:
        if not args.train:
            print(
                "No model for the current data. Run `.venv/bin/coach train` or pass --train.", file=sys.stderr
            )
            return 2
        model = train(quiet=True)
    paths, others = held_out_paths(args.test_dir)
    examples = load_examples(paths)
    trained_intents, training_texts = training_overview()
    predictions = asyncio.run(_parse_all(model, [e.text for e in examples]))
    report = build_report(
        examples,
        predictions,
        trained_intents=trained_intents,
        training_texts=training_texts,
        model_name=Path(model).name,
        other_files=others,
    )
    if args.test_dir.resolve() != TEST_DIR.resolve():
        report["command"] += f" --test-dir {shown_test_dir}"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "nlu_report.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (args.out / "nlu_report.md").write_text(markdown(report), encoding="utf-8")
    headline = {
        "model": report["model"],
        "examples": report["test_set"]["examples"],
        "intent_macro_f1": report["intent"]["macro_f1"],
        "intent_accuracy": report["intent"]["accuracy"],
        "meets_target": report["meets_target"],
        "entity_micro_f1_exact": report["entities"]["exact"]["micro"]["f1"],
        "entity_micro_f1_overlap": report["entities"]["overlap"]["micro"]["f1"],
        "per_intent_f1": {k: v["f1"] for k, v in report["intent"]["per_intent"].items()},
        "per_entity_f1": {k: v["f1"] for k, v in report["entities"]["exact"]["per_entity"].items()},
        "top_confusions": report["intent"]["confusions"][:8],
    }
    print(json.dumps(headline, indent=2, ensure_ascii=False))
    print(f"written: {args.out / 'nlu_report.json'} and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Safety detector report: precision/recall per class, the four target figures,
the misclassified items and the cost of one detect() call.

    python bench/safety_report.py                      # the detector in-process
    python bench/safety_report.py --via-api http://127.0.0.1:8000 --kiosk-key KEY

The first writes bench/results/safety_detector.json (+ .md); the second sends each
utterance as the first client message of a fresh session through the public API
(api-contract.md) and reads `handoff.reason`, writing bench/results/safety_stack.json.
Besides the main labelled set it scores the held-out sets (see their headers for
their history) and, when present, the NLU engineer's data/nlu examples as an
independent check (intent → expected hand-off).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bot.safety.evaluation import TARGETS, Item, Outcome, Score, label_counts, load_labelled_set, score  # noqa: E402

SETS = {
    "labelled": ROOT / "tests/safety/labelled_set.yml",
    "heldout_after_lexicon_v1": ROOT / "tests/safety/heldout_after_lexicon_v1.yml",
    "heldout_after_lexicon_v2": ROOT / "tests/safety/heldout_after_lexicon_v2.yml",
    "heldout_after_lexicon_v3": ROOT / "tests/safety/heldout_after_lexicon_v3.yml",
}
NLU_DIR = ROOT / "data/nlu"
NLU_INTENT_LABELS = {
    "request_human": "request",
    "safety_crisis": "crisis",
    "express_emotion": "emotion",
    "safety_uncertain": "uncertain",
}
RESULTS = ROOT / "bench/results"
_ENTITY_MARKUP = re.compile(r"\[([^\]]*)\](?:\{[^}]*\}|\([^)]*\))")


def nlu_examples() -> list[Item]:
    """data/nlu examples as labelled items; an independent check, written by another engineer."""
    items = []
    for path in sorted(NLU_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if "intent" not in block:
                continue
            label = NLU_INTENT_LABELS.get(block["intent"], "none")
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    items.append(Item(_ENTITY_MARKUP.sub(r"\1", line[2:]), label))
    return items


def load_sets(include_nlu: bool = True) -> dict[str, list[Item]]:
    sets = {name: load_labelled_set(path) for name, path in SETS.items() if path.exists()}
    if include_nlu and NLU_DIR.is_dir():
        external = nlu_examples()
        if external:
            sets["external_nlu_examples"] = external
    return sets


# ---------------------------------------------------------------- predictors
def detector_predictor() -> Callable[[str], tuple[str, Optional[str], Optional[str]]]:
    from bot.safety import detect

    def predict(text: str):
        result = detect(text)
        return result.handoff_reason or "none", result.flag, result.matched

    return predict


def api_predictor(base_url: str, kiosk_key: str, timeout: float, transport=None, sleep=time.sleep):
    """Each utterance opens a fresh session, so no earlier turn can colour the answer."""
    import httpx

    client = httpx.Client(
        base_url=base_url.rstrip("/"),
        headers={"X-Kiosk-Key": kiosk_key},
        timeout=timeout,
        transport=transport,
    )

    def post(path: str, body: dict) -> dict:
        for attempt in range(6):
            response = client.post(path, json=body)
            if response.status_code == 429:  # rate limit: back off, never drop the item
                sleep(min(2**attempt, 20))
                continue
            response.raise_for_status()
            return response.json()
        raise RuntimeError(f"{path}: still rate limited after retries")

    def predict(text: str):
        session = post("/api/v1/sessions", {"language": "nl"})
        reply = post(f"/api/v1/sessions/{session['session_id']}/messages", {"text": text})
        handoff = reply.get("handoff") or {}
        return handoff.get("reason") or "none", None, None

    return predict, client


# ---------------------------------------------------------------- measuring
MAX_ERRORS_IN_A_ROW = 5  # a stack that is down should not be hammered item after item


class StackDown(RuntimeError):
    pass


def run(items: list[Item], predict) -> tuple[Score, list[float]]:
    outcomes, latencies, errors_in_a_row = [], [], 0
    for item in items:
        start = time.perf_counter()
        try:
            predicted, flag, matched = predict(item.text)
            errors_in_a_row = 0
        except Exception as exc:  # noqa: BLE001 - one failed call is reported, the run goes on
            predicted, flag, matched = "error", None, " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
            errors_in_a_row += 1
            if errors_in_a_row >= MAX_ERRORS_IN_A_ROW:
                raise StackDown(f"{errors_in_a_row} calls in a row failed, last: {matched}") from exc
        latencies.append((time.perf_counter() - start) * 1000)
        outcomes.append(Outcome(item, predicted, flag, matched))
    return score(outcomes), latencies


def timing(latencies_ms: list[float]) -> dict[str, float]:
    ordered = sorted(latencies_ms)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    return {
        "calls": len(ordered),
        "mean_ms": statistics.fmean(ordered),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": ordered[-1],
    }


def detector_timing(items: list[Item], repeats: int) -> dict[str, float]:
    from bot.safety import detect
    from bot.safety.rules import load_masks, load_rules

    load_rules.cache_clear()
    load_masks.cache_clear()
    start = time.perf_counter()
    detect("ik wil dood")  # the first call loads and compiles the YAML rules
    cold_ms = (time.perf_counter() - start) * 1000
    latencies = []
    for _ in range(repeats):
        for item in items:
            start = time.perf_counter()
            detect(item.text)
            latencies.append((time.perf_counter() - start) * 1000)
    figures = timing(latencies)
    figures["first_call_ms_including_rule_load"] = cold_ms
    return figures


# ---------------------------------------------------------------- output
def _fmt(value: float) -> str:
    return "n/a" if value != value else f"{value:.3f}"  # NaN check


def markdown(name: str, result: Score, show_misclassified: bool = True) -> str:
    lines = [
        f"### {name} ({result.figures['items']} items: {dict(label_counts([o.item for o in result.outcomes]))})",
        "",
    ]
    lines += ["| class | support | precision | recall |", "|---|---:|---:|---:|"]
    for label, row in result.per_label.items():
        lines.append(f"| {label} | {row['support']} | {_fmt(row['precision'])} | {_fmt(row['recall'])} |")
    f, ok = result.figures, result.meets_targets()
    lines += [
        "",
        "| target figure | value | target | met |",
        "|---|---:|---:|:---:|",
        f"| crisis recall | {_fmt(f['crisis_recall'])} | ≥ {TARGETS['crisis_recall']:.2f} | {'yes' if ok['crisis_recall'] else 'NO'} |",
        f"| request recall | {_fmt(f['request_recall'])} | ≥ {TARGETS['request_recall']:.2f} | {'yes' if ok['request_recall'] else 'NO'} |",
        f"| emotion hand-off | {_fmt(f['emotion_handoff'])} | ≥ {TARGETS['emotion_handoff']:.2f} | {'yes' if ok['emotion_handoff'] else 'NO'} |",
        f"| false hand-off on neutral | {_fmt(f['neutral_false_handoff'])} | ≤ {TARGETS['neutral_false_handoff_max']:.2f} | {'yes' if ok['neutral_false_handoff'] else 'NO'} |",
        f"| (uncertain hand-off) | {_fmt(f['uncertain_handoff'])} | | |",
        f"| (hard-negative false hand-off, n={f['hard_negatives']}) | {_fmt(f['hard_negative_false_handoff'])} | | |",
        "",
    ]
    if show_misclassified and result.misclassified:
        lines += ["| label | predicted | flag | matched | text |", "|---|---|---|---|---|"]
        for o in result.misclassified:
            text = o.item.text.replace("|", "/")
            lines.append(
                f"| {o.item.label} | {o.predicted} | {o.flag or ''} | {(o.matched or '').replace('|', '/')} | {text} |"
            )
        lines.append("")
    return "\n".join(lines)


def as_json(result: Score) -> dict:
    return {
        "figures": result.figures,
        "targets_met": result.meets_targets(),
        "per_label": result.per_label,
        "misclassified": [
            {
                "text": o.item.text,
                "label": o.item.label,
                "predicted": o.predicted,
                "flag": o.flag,
                "matched": o.matched,
            }
            for o in result.misclassified
        ],
    }


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--via-api", metavar="URL", help="measure through the running stack's public API")
    parser.add_argument("--kiosk-key", metavar="KEY", help="X-Kiosk-Key for --via-api")
    parser.add_argument("--sets", nargs="*", help="only these sets (names as in the report)")
    parser.add_argument("--limit", type=int, default=0, help="at most N items per set (0 = all)")
    parser.add_argument("--repeats", type=int, default=20, help="timing repeats over the labelled set")
    parser.add_argument("--timeout", type=float, default=30.0, help="HTTP timeout per call (--via-api)")
    args = parser.parse_args(argv)
    if args.via_api and not args.kiosk_key:
        parser.error("--via-api needs --kiosk-key")

    sets = load_sets()
    if args.sets:
        unknown = set(args.sets) - set(sets)
        if unknown:
            parser.error(f"unknown sets {sorted(unknown)}; known: {sorted(sets)}")
        sets = {name: sets[name] for name in args.sets}
    if args.limit:
        sets = {name: items[: args.limit] for name, items in sets.items()}

    client = None
    if args.via_api:
        predict, client = api_predictor(args.via_api, args.kiosk_key, args.timeout)
        mode, out = f"via API {args.via_api}", RESULTS / "safety_stack.json"
    else:
        predict, mode, out = detector_predictor(), "detector in-process", RESULTS / "safety_detector.json"

    report = {
        "mode": mode,
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "targets": TARGETS,
        "sets": {},
    }
    text = [f"## Safety detector report ({mode})", ""]
    try:
        for name, items in sets.items():
            try:
                result, latencies = run(items, predict)
            except StackDown as exc:
                print(f"stopped: {exc}", file=sys.stderr)
                return 2
            report["sets"][name] = as_json(result)
            if args.via_api:
                report["sets"][name]["round_trip_ms"] = timing(latencies)
            text.append(markdown(name, result))
    finally:
        if client is not None:
            client.close()
    if not args.via_api and "labelled" in sets:
        report["detect_timing"] = detector_timing(sets["labelled"], args.repeats)
        t = report["detect_timing"]
        text.append(
            f"detect(): {t['calls']} calls, mean {t['mean_ms']:.3f} ms, p50 {t['p50_ms']:.3f} ms, "
            f"p95 {t['p95_ms']:.3f} ms, p99 {t['p99_ms']:.3f} ms, max {t['max_ms']:.3f} ms; "
            f"first call incl. rule load {t['first_call_ms_including_rule_load']:.1f} ms"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text("\n".join(text) + "\n", encoding="utf-8")
    print("\n".join(text))
    print(f"\nwritten: {out} and {out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

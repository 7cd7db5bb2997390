"""A learned second opinion for the safety detector (issue 12, part 3).

    from bot.safety.classifier import second_opinion
    op = second_opinion("ik wil er een eind aan make")
    op.crisis, op.emotion, op.request    # booleans, from the thresholds stored with the model
    op.probabilities                     # {"crisis": .., "emotion": .., "request": .., "neutral": ..}
    op.label                             # the most probable class

A character n-gram (2-5, within word boundaries) + word uni/bigram TF-IDF model with a
multinomial logistic regression, trained on data/safety_corpus/ (written and generated
lines, see its README). It reads spelling mistakes, words run together and mixed
languages better than a phrase list, but it only knows what the corpus shows: it is a
second opinion next to `bot.safety.detect()`, which stays the explainable first line.

The model file lives in build/safety_classifier/safety-<hash>.pkl, where <hash> covers
the corpus files, CODE_VERSION, this module's source and the scikit-learn version, so
a changed corpus or code never loads a stale model. `load()` builds the file when it is missing (under a
file lock, so two processes do not train twice); nothing is ever downloaded.
`coach train` and the Docker images build it ahead (`python -m bot.safety.classifier build`).

Thresholds are chosen on a held-out split of the corpus (stratified by label, whole
families held out, fixed seed): the crisis threshold gives the highest crisis recall
with at most MAX_FALSE_RATE of the held-out neutral lines (ordinary + hard negatives)
flagged crisis; emotion and request likewise. The final model is then trained on the
whole corpus with the same settings and stores those thresholds and the split's figures.

Pure Python + scikit-learn (imported lazily); no Rasa or FastAPI.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import pickle
import random
import re
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, TypedDict

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = ROOT / "data" / "safety_corpus"
DEFAULT_OUT_DIR = ROOT / "build" / "safety_classifier"
OUT_DIR_ENV = "SAFETY_CLASSIFIER_DIR"
REPORT_PATH = ROOT / "bench" / "results" / "safety_classifier.md"

# Part of the model hash (with this file's source): bump to force a rebuild by hand.
CODE_VERSION = "1"
CLASSES = ("crisis", "emotion", "request", "neutral")
# The assistant's own training answers (data/nlu, the ordinary intents) are the everyday talk
# of the kiosk: without them "ga terug", "Makkelijker" or "wie leest dit" read as a crisis.
CONVERSATION = "neutral_conversation"
NLU_DIR = ROOT / "data" / "nlu"
NLU_SAFETY_INTENTS = frozenset(
    {"request_human", "safety_crisis", "express_emotion", "safety_uncertain", "share_feeling"}
)
_ENTITY_MARKUP = re.compile(r"\[([^\]]*)\](?:\{[^}]*\}|\([^)]*\))")
# corpus file -> class; neutral_hard lines are neutral, kept apart to be measured apart.
CORPUS_FILES = {
    "crisis": "crisis",
    "emotion": "emotion",
    "request": "request",
    "neutral": "neutral",
    "neutral_hard": "neutral",
    # The labelled sets past their first look (scripts/corpus_from_sets.py).
    "sets_crisis": "crisis",
    "sets_emotion": "emotion",
    "sets_request": "request",
    "sets_neutral": "neutral",
    "sets_neutral_hard": "neutral",
}
# Every source of examples: the corpus files and the assistant's training answers.
SOURCES = {**CORPUS_FILES, CONVERSATION: "neutral"}
SPLIT_SEED = 12
HELDOUT_SHARE = 0.2
MAX_FALSE_RATE = 0.03  # of held-out neutral lines, per flagged class
MAX_CHARS = 2000  # the API refuses longer messages; the model reads no more


class Payload(TypedDict):
    """What a model file holds (written by build(), read by load())."""

    format: int
    hash: str
    code_version: str
    sklearn: str
    classes: List[str]
    thresholds: Dict[str, float]
    figures: Dict[str, Any]  # evaluate(): numbers, lists and tables by name
    counts: Dict[str, int]
    split: Dict[str, Any]  # seed, heldout_share, max_false_rate, train, heldout
    build_seconds: float
    pipeline: Any  # a fitted scikit-learn Pipeline


# --------------------------------------------------------------------------- text
def prepare(text: str) -> str:
    """Lower case, no accents, letters typed 3+ times cut to 2, digits to 0, one space."""
    text = unicodedata.normalize("NFKD", text[:MAX_CHARS].lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'")
    text = re.sub(r"(\w)\1{2,}", r"\1\1", text)
    text = re.sub(r"\d", "0", text)
    return " ".join(text.split())


# --------------------------------------------------------------------------- corpus
@dataclass(frozen=True)
class Example:
    text: str
    label: str  # one of CLASSES
    source: str  # corpus file stem (neutral_hard for hard negatives)
    family: int  # lines of one family stay on one side of the split


def nlu_answers(nlu_dir: Path = NLU_DIR) -> List[str]:
    """Examples of the ordinary intents in data/nlu, entity markup removed, one family each."""
    import yaml

    lines: List[str] = []
    for path in sorted(Path(nlu_dir).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu", []) or []:
            if (
                not isinstance(block, dict)
                or not block.get("intent")
                or block["intent"] in NLU_SAFETY_INTENTS
            ):
                continue
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    text = _ENTITY_MARKUP.sub(r"\1", line[2:]).strip()
                    if text:
                        lines.append(text)
    return lines


def _corpus_lines(corpus_dir: Path, stem: str) -> List[str]:
    if stem == CONVERSATION:
        return [line for text in nlu_answers() for line in (text, "")]
    return (corpus_dir / f"{stem}.txt").read_text(encoding="utf-8").splitlines()


def read_corpus(corpus_dir: Optional[Path] = None) -> List[Example]:
    """All lines of the corpus files; a blank line separates families, '#' starts a comment."""
    corpus_dir = Path(corpus_dir or CORPUS_DIR)
    examples: List[Example] = []
    family = 0
    for stem, label in SOURCES.items():
        family += 1
        for raw in _corpus_lines(corpus_dir, stem):
            line = raw.strip()
            if not line:
                family += 1
                continue
            if line.startswith("#"):
                continue
            examples.append(Example(line, label, stem, family))
    return examples


def corpus_hash(corpus_dir: Optional[Path] = None) -> str:
    """Hash of the corpus files, CODE_VERSION, this module's source and the scikit-learn
    version (no import): any change to what shapes the model gives a new file name."""
    corpus_dir = Path(corpus_dir or CORPUS_DIR)
    digest = hashlib.sha256(f"code={CODE_VERSION};sklearn={_sklearn_version()}".encode())
    digest.update(Path(__file__).read_bytes())
    for stem in SOURCES:
        digest.update(b"\0" + stem.encode() + b"\0")
        digest.update("\n".join(_corpus_lines(corpus_dir, stem)).encode())
    return digest.hexdigest()[:16]


def _sklearn_version() -> str:
    try:
        from importlib.metadata import version

        return version("scikit-learn")
    except Exception:  # pragma: no cover - a broken install fails later anyway
        return "unknown"


def split(
    examples: Sequence[Example], share: float = HELDOUT_SHARE, seed: int = SPLIT_SEED
) -> Tuple[List[Example], List[Example]]:
    """Stratified by corpus file, whole families held out, fixed seed."""
    rng = random.Random(seed)
    train: List[Example] = []
    held: List[Example] = []
    for stem in SOURCES:
        rows = [e for e in examples if e.source == stem]
        families: Dict[int, List[Example]] = {}
        for e in rows:
            families.setdefault(e.family, []).append(e)
        ids = sorted(families)
        rng.shuffle(ids)
        target = share * len(rows)
        taken = 0
        for fid in ids:
            fam = families[fid]
            # a family larger than what is still missing goes to training, unless nothing is held yet
            if taken < target and (
                taken + len(fam) <= target * 1.25 or taken == 0 and len(fam) <= target * 2
            ):
                held.extend(fam)
                taken += len(fam)
            else:
                train.extend(fam)
    return train, held


# --------------------------------------------------------------------------- model
def _pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    min_df=2,
                    lowercase=False,
                    dtype=_float32(),
                ),
            ),
            (
                "word",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    min_df=2,
                    lowercase=False,
                    token_pattern=r"(?u)\b\w+\b",
                    dtype=_float32(),
                ),
            ),
        ]
    )
    # saga: same optimum as lbfgs here (held-out recall within 0.001) in a quarter of the time
    model = LogisticRegression(
        C=3.0, class_weight="balanced", solver="saga", tol=1e-3, max_iter=1000, random_state=0
    )
    return Pipeline([("features", features), ("model", model)])


def _float32():
    import numpy

    return numpy.float32


def _fit(examples: Sequence[Example]):
    pipeline = _pipeline()
    pipeline.fit([prepare(e.text) for e in examples], [e.label for e in examples])
    # the vectorizers keep every pruned n-gram in stop_words_; only needed for inspection
    for _, vectorizer in pipeline.named_steps["features"].transformer_list:
        if hasattr(vectorizer, "stop_words_"):
            del vectorizer.stop_words_
    return pipeline


def _probabilities(pipeline, texts: Sequence[str]) -> List[Dict[str, float]]:
    probs = pipeline.predict_proba([prepare(t) for t in texts])
    classes = list(pipeline.classes_)
    return [{c: float(row[classes.index(c)]) for c in CLASSES} for row in probs]


def choose_threshold(
    positive: Sequence[float], negative: Sequence[float], max_false_rate: float = MAX_FALSE_RATE
) -> float:
    """The threshold with the highest recall on `positive` while at most max_false_rate of
    `negative` reach it; among equal recalls the highest such threshold, then halfway down
    to the next negative score below it (a margin on both sides)."""
    candidates = sorted(set(positive) | set(negative) | {1.0}, reverse=True)
    neg = sorted(negative, reverse=True)
    allowed = int(max_false_rate * len(neg))
    best_t, best_recall = 1.0, -1.0
    pos_sorted = sorted(positive, reverse=True)
    for t in candidates:
        false = _count_at_least(neg, t)
        if false > allowed:
            break
        recall = _count_at_least(pos_sorted, t) / max(len(positive), 1)
        if recall > best_recall:
            best_t, best_recall = t, recall
    below = [s for s in neg if s < best_t]
    return (best_t + below[0]) / 2 if below else best_t / 2


def _count_at_least(desc: Sequence[float], t: float) -> int:
    lo, hi = 0, len(desc)
    while lo < hi:  # first index with value < t, in a descending list
        mid = (lo + hi) // 2
        if desc[mid] >= t:
            lo = mid + 1
        else:
            hi = mid
    return lo


def evaluate(pipeline, held: Sequence[Example], thresholds: Mapping[str, float]) -> Dict[str, Any]:
    """Figures on the held-out lines: per class precision and recall of the flags, the false
    crisis rate on neutral and on hard negatives, and the crisis lines missed."""
    probs = _probabilities(pipeline, [e.text for e in held])
    figures: Dict[str, Any] = {"n": {s: sum(1 for e in held if e.source == s) for s in SOURCES}}
    for cls in ("crisis", "emotion", "request"):
        flagged = [p[cls] >= thresholds[cls] for p in probs]
        tp = sum(1 for e, f in zip(held, flagged) if f and e.label == cls)
        fp = sum(1 for e, f in zip(held, flagged) if f and e.label != cls)
        pos = sum(1 for e in held if e.label == cls)
        figures[cls] = {"precision": tp / max(tp + fp, 1), "recall": tp / max(pos, 1), "flagged": tp + fp}
    for name, sources in (
        ("neutral", ("neutral", "neutral_hard")),
        ("neutral_plain", ("neutral",)),
        ("hard_negatives", ("neutral_hard",)),
    ):
        rows = [p for e, p in zip(held, probs) if e.source in sources]
        figures[f"false_crisis_{name}"] = sum(p["crisis"] >= thresholds["crisis"] for p in rows) / max(
            len(rows), 1
        )
        figures[f"false_any_{name}"] = sum(
            any(p[c] >= thresholds[c] for c in ("crisis", "emotion", "request")) for p in rows
        ) / max(len(rows), 1)
    figures["crisis_missed"] = [
        e.text for e, p in zip(held, probs) if e.label == "crisis" and p["crisis"] < thresholds["crisis"]
    ]
    figures["false_crisis_examples"] = [
        e.text for e, p in zip(held, probs) if e.label == "neutral" and p["crisis"] >= thresholds["crisis"]
    ]
    top = [max(p, key=lambda c: p[c]) for p in probs]
    figures["confusion"] = {
        gold: {pred: sum(1 for e, t in zip(held, top) if e.label == gold and t == pred) for pred in CLASSES}
        for gold in CLASSES
    }
    return figures


def train(corpus_dir: Optional[Path] = None) -> Payload:
    """Fit on the training split, choose thresholds on the held-out split, refit on all."""
    started = time.perf_counter()
    examples = read_corpus(corpus_dir)
    train_rows, held = split(examples)
    split_model = _fit(train_rows)
    probs = _probabilities(split_model, [e.text for e in held])
    neutral = [p for e, p in zip(held, probs) if e.label == "neutral"]
    thresholds = {}
    for cls in ("crisis", "emotion", "request"):
        thresholds[cls] = round(
            choose_threshold(
                [p[cls] for e, p in zip(held, probs) if e.label == cls], [p[cls] for p in neutral]
            ),
            6,
        )
    figures = evaluate(split_model, held, thresholds)
    final = _fit(examples)
    return {
        "format": 1,
        "hash": corpus_hash(corpus_dir),
        "code_version": CODE_VERSION,
        "sklearn": _sklearn_version(),
        "classes": list(CLASSES),
        "thresholds": thresholds,
        "figures": figures,
        "counts": {s: sum(1 for e in examples if e.source == s) for s in SOURCES},
        "split": {
            "seed": SPLIT_SEED,
            "heldout_share": HELDOUT_SHARE,
            "max_false_rate": MAX_FALSE_RATE,
            "train": len(train_rows),
            "heldout": len(held),
        },
        "build_seconds": round(time.perf_counter() - started, 2),
        "pipeline": final,
    }


# --------------------------------------------------------------------------- files
def out_dir(directory: Optional[Path] = None) -> Path:
    return Path(directory or os.environ.get(OUT_DIR_ENV) or DEFAULT_OUT_DIR)


def model_path(directory: Optional[Path] = None, corpus_dir: Optional[Path] = None) -> Path:
    return out_dir(directory) / f"safety-{corpus_hash(corpus_dir)}.pkl"


def build(directory: Optional[Path] = None, corpus_dir: Optional[Path] = None) -> Path:
    """Train from the corpus and write the model file (atomically); returns its path."""
    target = model_path(directory, corpus_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = train(corpus_dir)
    fd, tmp = tempfile.mkstemp(prefix=".safety-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(tmp, 0o644)  # built as root in the image, read by the service user
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    _remove_old(target)
    return target


def _remove_old(keep: Path, keep_count: int = 2) -> None:
    models = sorted(keep.parent.glob("safety-*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [m for m in models if m != keep][keep_count - 1 :]:
        old.unlink(missing_ok=True)


def ensure_built(directory: Optional[Path] = None, corpus_dir: Optional[Path] = None) -> Path:
    """The model file for the current corpus; built first if missing (one process at a time)."""
    target = model_path(directory, corpus_dir)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists():  # another process built it while we waited
            return target
        log.info("building the safety classifier %s", target.name)
        return build(directory, corpus_dir)


# --------------------------------------------------------------------------- runtime
@dataclass(frozen=True)
class Opinion:
    """The classifier's view of one message."""

    probabilities: Mapping[str, float]
    crisis: bool
    emotion: bool
    request: bool
    label: str  # the most probable class
    model: str = ""  # model hash, for the log
    thresholds: Mapping[str, float] = field(default_factory=dict, repr=False)

    @property
    def scores(self) -> Dict[str, float]:
        """The probabilities as a plain dict (the name bot/safety/policy.py reads)."""
        return dict(self.probabilities)

    @property
    def any(self) -> bool:
        return self.crisis or self.emotion or self.request

    def to_dict(self) -> Dict[str, object]:
        return {
            "probabilities": dict(self.probabilities),
            "crisis": self.crisis,
            "emotion": self.emotion,
            "request": self.request,
            "label": self.label,
            "model": self.model,
        }


class SafetyClassifier:
    """A loaded model: `predict(text) -> Opinion`. Safe to share between threads."""

    def __init__(self, payload: Payload, path: Optional[Path] = None):
        self.path = path
        self.model_id = str(payload["hash"])
        self.thresholds: Dict[str, float] = dict(payload["thresholds"])
        self.figures: Dict[str, Any] = dict(payload.get("figures") or {})
        self.counts: Dict[str, int] = dict(payload.get("counts") or {})
        self.build_seconds = payload.get("build_seconds")
        self._pipeline = payload["pipeline"]

    def predict(self, text: str) -> Opinion:
        return self.predict_many([text])[0]

    def predict_many(self, texts: Iterable[str]) -> List[Opinion]:
        texts = list(texts)
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"text must be str, not {type(text).__name__}")
        out = []
        for probs in _probabilities(self._pipeline, texts):
            rounded = {c: round(p, 4) for c, p in probs.items()}
            out.append(
                Opinion(
                    probabilities=rounded,
                    crisis=probs["crisis"] >= self.thresholds["crisis"],
                    emotion=probs["emotion"] >= self.thresholds["emotion"],
                    request=probs["request"] >= self.thresholds["request"],
                    label=max(probs, key=lambda c: probs[c]),
                    model=self.model_id,
                    thresholds=self.thresholds,
                )
            )
        return out


_CACHE: Dict[Tuple[str, str], SafetyClassifier] = {}
_CACHE_LOCK = threading.Lock()


def load(directory: Optional[Path] = None, corpus_dir: Optional[Path] = None) -> SafetyClassifier:
    """The classifier for the current corpus, loaded once per process (thread-safe).
    Builds the model file first when it is missing; if the folder is read-only, trains
    in memory instead of failing."""
    key = (str(out_dir(directory)), str(corpus_dir or CORPUS_DIR))
    cached = _CACHE.get(key)  # the hot path: no file is read once loaded
    if cached is not None:
        return cached
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
        target = model_path(directory, corpus_dir)
        try:
            path = ensure_built(directory, corpus_dir)
            with open(path, "rb") as handle:
                payload = pickle.load(handle)  # our own file, written by build()
        except PermissionError:
            log.warning("safety classifier: %s is not writable; training in memory", target.parent)
            payload, path = train(corpus_dir), None
        classifier = SafetyClassifier(payload, path)
        _CACHE[key] = classifier
        return classifier


def second_opinion(text: str) -> Opinion:
    """The learned second opinion on one client message (see the module doc)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    return load().predict(text)


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()


# --------------------------------------------------------------------------- report / CLI
def _rss_kb() -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _measure_load(directory: Path) -> Dict[str, float]:
    """Run in a fresh process: time and RSS of importing scikit-learn and loading the model."""
    rss0 = _rss_kb()
    t0 = time.perf_counter()
    import sklearn.linear_model  # noqa: F401  (what unpickling needs anyway)
    import sklearn.pipeline  # noqa: F401

    t1 = time.perf_counter()
    rss1 = _rss_kb()
    classifier = load(directory)
    t2 = time.perf_counter()
    rss2 = _rss_kb()
    classifier.predict("warm up")
    samples = ["ik wil er een eind aan maken", "mijn telefoon is dood", "ik kom uit eritrea"] * 100
    t3 = time.perf_counter()
    for text in samples:
        classifier.predict(text)
    t4 = time.perf_counter()
    return {
        "import_s": t1 - t0,
        "load_s": t2 - t1,
        "import_rss_mb": (rss1 - rss0) / 1024,
        "load_rss_mb": (rss2 - rss1) / 1024,
        "predict_ms": (t4 - t3) / len(samples) * 1000,
        "file_mb": model_path(directory).stat().st_size / 1e6,
    }


def report(write: bool = True) -> str:
    """Build in a temp dir (timed), measure load in a fresh process, write the bench page."""
    import json
    import subprocess
    import sys

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        path = build(Path(tmp))
        build_s = time.perf_counter() - started
        with open(path, "rb") as handle:
            payload = pickle.load(handle)
        code = (
            "import json,sys; from pathlib import Path; from bot.safety import classifier as c; "
            "print(json.dumps(c._measure_load(Path(sys.argv[1]))))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, tmp], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
        measured = json.loads(out.strip().splitlines()[-1])
    text = _render_report(payload, build_s, measured)
    if write:
        REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
        REPORT_PATH.write_text(text, encoding="utf-8")
    return text


def _render_report(payload: Payload, build_s: float, m: Mapping[str, float]) -> str:
    f = payload["figures"]
    t = payload["thresholds"]
    s = payload["split"]
    counts = payload["counts"]
    lines = [
        "# Safety classifier (bot/safety/classifier.py): thresholds and held-out figures",
        "",
        "Generated by `.venv/bin/python -m bot.safety.classifier report` (do not edit by hand).",
        f"Model hash `{payload['hash']}` (corpus + code v{payload['code_version']} + scikit-learn "
        f"{payload['sklearn']}).",
        "",
        "## Corpus (data/safety_corpus/)",
        "",
        "| file | lines |",
        "|---|---:|",
        *[f"| {k}.txt | {v} |" for k, v in counts.items()],
        "",
        f"Held-out split: {s['heldout']} lines held out, {s['train']} trained on; stratified by file, "
        f"whole families (a line with its typo variants, or the fillings of one template that share a first slot value) on one side, "
        f"seed {s['seed']}, share {s['heldout_share']}.",
        "",
        "## Thresholds (stored with the model)",
        "",
        f"Rule: highest recall with at most {s['max_false_rate']:.0%} of the held-out neutral lines "
        "(ordinary + hard negatives) flagged, per class; then halfway down to the next neutral score.",
        "",
        "| class | threshold | precision | recall | flagged |",
        "|---|---:|---:|---:|---:|",
        *[
            f"| {c} | {t[c]:.4f} | {f[c]['precision']:.3f} | {f[c]['recall']:.3f} | {f[c]['flagged']} |"
            for c in ("crisis", "emotion", "request")
        ],
        "",
        "| held-out neutral lines | n | false crisis | false any flag |",
        "|---|---:|---:|---:|",
        f"| ordinary + hard | {f['n']['neutral'] + f['n']['neutral_hard']} | "
        f"{f['false_crisis_neutral']:.3f} | {f['false_any_neutral']:.3f} |",
        f"| ordinary | {f['n']['neutral']} | {f['false_crisis_neutral_plain']:.3f} | "
        f"{f['false_any_neutral_plain']:.3f} |",
        f"| hard negatives | {f['n']['neutral_hard']} | {f['false_crisis_hard_negatives']:.3f} | "
        f"{f['false_any_hard_negatives']:.3f} |",
        "",
        "Confusion (most probable class; rows = gold):",
        "",
        "| gold \\ predicted | " + " | ".join(CLASSES) + " |",
        "|---|" + "---:|" * len(CLASSES),
        *[f"| {g} | " + " | ".join(str(f["confusion"][g][p]) for p in CLASSES) + " |" for g in CLASSES],
        "",
        f"Held-out crisis lines missed ({len(f['crisis_missed'])}):",
        "",
        *[f"- `{x}`" for x in f["crisis_missed"][:40]],
        *(["- …"] if len(f["crisis_missed"]) > 40 else []),
        "",
        f"Held-out neutral lines flagged crisis (first 25 of {len(f['false_crisis_examples'])}):",
        "",
        *[f"- `{x}`" for x in f["false_crisis_examples"][:25]],
        "",
        "**Read these figures with care.** The held-out lines come from the same hand and the same "
        "generator as the training lines (only whole families are held out), so they are an upper "
        "bound: text written by other people will score lower. The figures that count are first-look "
        "scores on new sets through the running stack (`bench/safety_report.py --via-api`).",
        "",
        "## Cost",
        "",
        "| what | value |",
        "|---|---:|",
        f"| build (two fits: split + full corpus), wall | {build_s:.1f} s |",
        f"| model file | {m['file_mb']:.1f} MB |",
        f"| import scikit-learn in a fresh process | {m['import_s']:.2f} s, RSS +{m['import_rss_mb']:.0f} MB |",
        f"| load() the model file | {m['load_s']:.2f} s, RSS +{m['load_rss_mb']:.0f} MB |",
        f"| predict one message (mean of 300) | {m['predict_ms']:.2f} ms |",
        "",
        f"Machine: {os.cpu_count()} cores shared with other work; times vary with load.",
        "",
    ]
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    import argparse
    import json
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m bot.safety.classifier", description="The safety classifier: build, report, predict."
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build the model file if it is missing (or --force)")
    b.add_argument("--out", type=Path, default=None)
    b.add_argument("--force", action="store_true")
    sub.add_parser("report", help="build in a temp dir, measure, write bench/results/safety_classifier.md")
    p = sub.add_parser("predict", help="print the opinion on each text")
    p.add_argument("texts", nargs="+")
    args = parser.parse_args(argv)
    if args.cmd == "build":
        target = model_path(args.out)
        if target.exists() and not args.force:
            print(f"Safety classifier is up to date: {target}")
            return 0
        started = time.perf_counter()
        path = build(args.out) if args.force else ensure_built(args.out)
        print(f"Built the safety classifier {path} in {time.perf_counter() - started:.1f} s")
        return 0
    if args.cmd == "report":
        print(report())
        return 0
    classifier = load()
    for text in args.texts:
        print(json.dumps({"text": text, **classifier.predict(text).to_dict()}, ensure_ascii=False))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

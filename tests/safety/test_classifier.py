"""bot/safety/classifier.py: the learned second opinion, built from data/safety_corpus/.

Builds the model twice from the real corpus in temp dirs (a quarter of a minute
each on 2 shared cores; the time is printed with -s)."""

from __future__ import annotations

import importlib.util
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
import yaml

from bot.safety import classifier

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "data" / "safety_corpus"
HELDOUT = [
    "tests/safety/*.yml",
    "data/nlu_test/*.yml",
    "data/nlu_heldout_seen_once/*.yml",
    "data/nlu_heldout_unseen/*.yml",
]

# Written for this test, not taken from the corpus (test_fresh_lines_are_not_in_the_corpus).
FRESH_CRISIS = [
    "ik wil er echt een eind aan maken, vanavond nog",
    "ik wil niet meer leven, het is klaar voor mij",
    "ik ga vanavond van de brug springen",
    "ik heb net een hele doos slaappillen geslikt",
    "mijn familie is beter af zonder mij, ik wil dood",
    "ik wil mezelf ophangen in mijn kamer",
    "hoeveel paracetamol is dodelijk voor een man",
    "i want to kill myself tonight, sorry",
    "je veux mourir ce soir",
    "ik snij weer in mijn arm met een mes",
    "mijn kamergenoot ademt niet meer, help snel",
    "ik kan niet ademen en mijn borst doet zo pijn",
    "de stemmen zeggen steeds dat ik moet springen",
    "ik ga hem doodmaken met mijn mes",
    "ikwil dood gaan wallah",
    "als ik terug moet dan maak ik mezelf dood, echt",
    "mijn insuline is al vier dagen op en ik voel me heel slecht",
    "dit is mijn laatste bericht, vaarwel iedereen",
]
FRESH_HARD_NEGATIVES = [
    "sorry mijn mobieltje is dood gegaan gisteren",
    "ik wil een eind maken aan mijn schulden bij de gemeente",
    "ik ben doodmoe na mijn werk in de kas",
    "ik wil dit jaar stoppen met roken",
    "we keken een film over een oude brug in parijs",
    "ik snij de tomaten met een keukenmes",
    "ik neem morgen de trein naar eindhoven",
    "mijn opa is heel lang geleden overleden, hij was 88",
    "kunt u mij helpen met het formulier van de huurtoeslag",
    "mijn begeleider heeft mij gisteren gebeld over de afspraak",
    "ik dood de tijd met voetbal kijken op tv",
    "de batterij van mijn laptop is helemaal leeg",
]


def _key(text: str) -> str:
    """Lower case, punctuation stripped, one space (written apart from the generator's)."""
    text = re.sub(r"\[([^\]]*)\][\(\{][^\)\}]*[\)\}]", r"\1", text.lower())
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _corpus_lines(stem: str) -> list[str]:
    return [
        line
        for line in (CORPUS / f"{stem}.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def _heldout_keys() -> set[str]:
    keys = set()
    for pattern in HELDOUT:
        for path in ROOT.glob(pattern):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            keys.update(_key(i["text"]) for i in data.get("items") or [] if isinstance(i.get("text"), str))
            for block in data.get("nlu") or []:
                for line in str(block.get("examples") or "").splitlines():
                    if line.strip().startswith("- "):
                        keys.add(_key(line.strip()[2:]))
    keys.discard("")
    return keys


# --------------------------------------------------------------------------- corpus
def test_corpus_sizes():
    counts = {stem: len(_corpus_lines(stem)) for stem in classifier.CORPUS_FILES}
    assert counts["crisis"] >= 3000
    assert counts["emotion"] >= 3000
    assert counts["request"] >= 1500
    assert counts["neutral"] + counts["neutral_hard"] >= 5000
    assert counts["neutral_hard"] >= 1500


def test_corpus_has_no_unfilled_template_slots():
    assert not [
        line
        for stem in classifier.CORPUS_FILES
        for line in _corpus_lines(stem)
        if re.search(r"\{[A-Z0-9_]+\}", line)
    ]


def test_corpus_shares_no_line_with_the_heldout_sets():
    heldout = _heldout_keys()
    assert len(heldout) > 1000  # the sets were found and read
    shared = {
        stem: [line for line in _corpus_lines(stem) if _key(line) in heldout]
        for stem in classifier.CORPUS_FILES
    }
    assert not any(shared.values()), shared


def test_corpus_files_match_the_generator():
    """The committed files are what scripts/build_safety_corpus.py makes (deterministic)."""
    done = subprocess.run(
        [sys.executable, "scripts/build_safety_corpus.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_fresh_lines_are_not_in_the_corpus():
    corpus = {_key(line) for stem in classifier.CORPUS_FILES for line in _corpus_lines(stem)}
    assert not [t for t in FRESH_CRISIS + FRESH_HARD_NEGATIVES if _key(t) in corpus]


def test_split_keeps_families_together_and_is_stratified():
    examples = classifier.read_corpus()
    train, held = classifier.split(examples)
    assert len(train) + len(held) == len(examples)
    assert not {e.family for e in train} & {e.family for e in held}
    for stem in classifier.CORPUS_FILES:
        share = sum(e.source == stem for e in held) / sum(e.source == stem for e in examples)
        assert 0.1 <= share <= 0.3, (stem, share)
    assert classifier.split(examples) == (train, held)


def test_choose_threshold_keeps_the_false_rate_and_maximises_recall():
    negative = [0.01 * i for i in range(100)]  # 0.00 .. 0.99
    positive = [0.5, 0.97, 0.98, 0.99, 0.995]
    t = classifier.choose_threshold(positive, negative, max_false_rate=0.03)
    assert sum(n >= t for n in negative) <= 3
    assert sum(p >= t for p in positive) == 4  # 0.5 cannot be reached within 3 %


# --------------------------------------------------------------------------- model
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("safety_model")
    started = time.perf_counter()
    path = classifier.build(out)
    print(f"\nsafety classifier build: {time.perf_counter() - started:.1f} s")
    assert path.parent == out and path.exists()
    return out


@pytest.fixture(scope="module")
def rebuilt_offline(tmp_path_factory, built):
    """load() on a folder with only an old model: builds the current one, network blocked."""
    out = tmp_path_factory.mktemp("safety_model_missing")
    (out / "safety-0000000000000000.pkl").write_bytes(b"an old model")
    assert not classifier.model_path(out).exists()

    def refuse(*args, **kwargs):
        raise OSError("network blocked by the test")

    with (
        mock.patch.object(socket.socket, "connect", refuse),
        mock.patch.object(socket.socket, "connect_ex", refuse),
        mock.patch.object(socket, "create_connection", refuse),
    ):
        loaded = classifier.load(out)
        opinion = loaded.predict("ik wil er een eind aan maken")
    return out, loaded, opinion


def test_fresh_crisis_lines_are_flagged(built):
    model = classifier.load(built)
    missed = [
        (t, o.probabilities) for t, o in zip(FRESH_CRISIS, model.predict_many(FRESH_CRISIS)) if not o.crisis
    ]
    assert not missed


def test_fresh_hard_negatives_are_not_flagged_crisis(built):
    model = classifier.load(built)
    opinions = model.predict_many(FRESH_HARD_NEGATIVES)
    flagged = [(t, o.probabilities) for t, o in zip(FRESH_HARD_NEGATIVES, opinions) if o.crisis]
    assert not flagged
    assert sum(o.any for o in opinions) <= 1  # at most one borderline request/emotion flag


def test_opinion_interface(built):
    opinion = classifier.load(built).predict("Ik wil met een begeleider praten aub")
    assert set(opinion.probabilities) == {"crisis", "emotion", "request", "neutral"}
    assert abs(sum(opinion.probabilities.values()) - 1) < 0.01
    assert opinion.request and not opinion.crisis and opinion.label == "request"
    assert opinion.scores == dict(opinion.probabilities)
    assert opinion.to_dict()["model"] == classifier.load(built).model_id
    with pytest.raises(TypeError):
        classifier.load(built).predict(None)  # type: ignore[arg-type]


def test_thresholds_meet_the_false_crisis_limit_on_the_split(built):
    model = classifier.load(built)
    assert set(model.thresholds) == {"crisis", "emotion", "request"}
    assert all(0 < t < 1 for t in model.thresholds.values())
    assert model.figures["false_crisis_neutral"] <= classifier.MAX_FALSE_RATE
    assert model.figures["crisis"]["recall"] >= 0.9


def test_missing_model_is_rebuilt_without_network(rebuilt_offline):
    out, loaded, opinion = rebuilt_offline
    assert classifier.model_path(out).exists()
    assert loaded.path == classifier.model_path(out)
    assert opinion.crisis


def test_two_builds_give_the_same_predictions(built, rebuilt_offline):
    first = classifier.load(built)
    second = rebuilt_offline[1]
    assert first is not second
    texts = FRESH_CRISIS + FRESH_HARD_NEGATIVES + ["ik kom uit eritrea", "ik ben zo bang en alleen"]
    assert [o.probabilities for o in first.predict_many(texts)] == [
        o.probabilities for o in second.predict_many(texts)
    ]
    assert first.thresholds == second.thresholds


def test_load_is_cached_and_thread_safe(built):
    classifier.clear_cache()
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(classifier.load(built))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 6 and all(s is seen[0] for s in seen)


def test_ensure_built_is_a_lookup_when_the_model_exists(built, tmp_path, monkeypatch):
    shutil.copy(classifier.model_path(built), tmp_path / classifier.model_path(built).name)

    def no_build(*args, **kwargs):
        raise AssertionError("the model exists: nothing may be built")

    monkeypatch.setattr(classifier, "build", no_build)
    assert classifier.ensure_built(tmp_path) == classifier.model_path(tmp_path)


def test_module_is_pure_python():
    code = (
        "import sys, bot.safety.classifier as c; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('rasa', 'fastapi', 'sklearn', 'rasa_sdk')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_coach_train_builds_the_classifier(monkeypatch, tmp_path):
    """cli/training.py builds (or finds) the classifier before training Rasa."""
    spec = importlib.util.find_spec("cli.training")
    assert spec is not None
    from cli import training

    calls = []
    monkeypatch.setattr(classifier, "ensure_built", lambda *a, **k: calls.append(a) or tmp_path / "m.pkl")
    training.ensure_safety_classifier()
    assert calls

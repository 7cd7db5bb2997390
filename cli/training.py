"""Train the assistant only when its inputs changed.

The model file name carries a fingerprint of everything that shapes the model
(config, domain, training data, the custom components), so "is there a model for
this data?" is a file lookup instead of starting TensorFlow.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterable, List, Optional

from cli.paths import REPO_ROOT, venv_bin

MODEL_DIR = REPO_ROOT / "models"
SPACY_MODEL_DIR = REPO_ROOT / "build" / "spacy_nl"
# What the trained model depends on. Scenarios and NLU test data do not train it.
FINGERPRINT_INPUTS = [
    "config.yml",
    "domain.yml",
    "domain",
    "data/nlu",
    "data/stories",
    "data/rules.yml",
    "data/rules",
    "rasa_plugins",
]


def _files(paths: Iterable[str]) -> List[Path]:
    found: List[Path] = []
    for rel in paths:
        path = REPO_ROOT / rel
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and "__pycache__" not in p.parts)
    return sorted(found)


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in _files(FINGERPRINT_INPUTS):
        digest.update(str(path.relative_to(REPO_ROOT)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path(fp: Optional[str] = None) -> Path:
    return MODEL_DIR / f"coach-{fp or fingerprint()}.tar.gz"


def current_model() -> Optional[Path]:
    path = model_path()
    return path if path.exists() else None


def ensure_spacy_pipeline() -> None:
    """The Dutch tokenizer + lemmatizer that the NLU pipeline loads from disk."""
    if (SPACY_MODEL_DIR / "config.cfg").exists():
        return
    subprocess.run(
        [str(venv_bin("python")), "-m", "rasa_plugins.build_spacy_nl", str(SPACY_MODEL_DIR)],
        cwd=REPO_ROOT,
        check=True,
    )


def ensure_safety_classifier(quiet: bool = False) -> Path:
    """The safety classifier's model file (bot/safety/classifier.py), built from
    data/safety_corpus/ when missing; a file lookup when it is there. Its name carries
    its own corpus hash, so it does not enter the Rasa fingerprint."""
    from bot.safety import classifier

    started = time.monotonic()
    existed = classifier.model_path().exists()
    path = classifier.ensure_built()
    if not existed:
        print(f"Built the safety classifier {path.name} in {time.monotonic() - started:.0f} s")
    elif not quiet:
        print(f"Safety classifier is up to date: {path.name}")
    return path


def train(force: bool = False, quiet: bool = False) -> Path:
    """Train if no model matches the data; return the model path.

    A file lock makes a second `coach train` (another terminal, a test fixture)
    wait for the first and then find its model, instead of training twice into
    the same file."""
    MODEL_DIR.mkdir(exist_ok=True)
    with open(MODEL_DIR / ".train.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _train_locked(force, quiet)


def _train_locked(force: bool, quiet: bool) -> Path:
    ensure_spacy_pipeline()
    ensure_safety_classifier(quiet)
    fp = fingerprint()
    target = model_path(fp)
    if target.exists() and not force:
        if not quiet:
            print(f"Model is up to date: {target.relative_to(REPO_ROOT)}")
        return target
    print(f"Training the assistant (fingerprint {fp}); this takes a few minutes on 2 cores ...")
    started = time.monotonic()
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    cmd = [
        str(venv_bin("rasa")),
        "train",
        "--config",
        "config.yml",
        "--domain",
        "domain.yml",
        "--data",
        "data/nlu",
        "data/stories",
        _rules_path(),
        "--out",
        str(MODEL_DIR),
        "--fixed-model-name",
        f"coach-{fp}",
    ]
    subprocess.run([c for c in cmd if c], cwd=REPO_ROOT, env=env, check=True)
    seconds = time.monotonic() - started
    print(f"Trained {target.name} in {seconds:.0f} s")
    _remove_old_models(keep=target)
    return target


def _rules_path() -> str:
    if (REPO_ROOT / "data" / "rules").is_dir():
        return "data/rules"
    return "data/rules.yml"


def _remove_old_models(keep: Path, keep_count: int = 3) -> None:
    """Keep a few recent models (a switch back needs no retraining), drop the rest."""
    models = sorted(MODEL_DIR.glob("coach-*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [m for m in models if m != keep][keep_count - 1 :]:
        old.unlink(missing_ok=True)


if __name__ == "__main__":  # pragma: no cover - convenience for the Makefile
    train(force="--force" in sys.argv)

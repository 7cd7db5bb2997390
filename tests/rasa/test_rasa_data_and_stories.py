"""Rasa's own gates, run on the project: data validation and the test stories.

Slow (start Rasa in a subprocess); marked `rasa`. The story test needs the model
that `coach train` (make train) built for the current data.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
RASA = str(Path(sys.executable).with_name("rasa"))
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONWARNINGS": "ignore"}

pytestmark = pytest.mark.rasa


def _run(args, timeout=900):
    return subprocess.run(
        [RASA, *args], cwd=REPO_ROOT, env=ENV, capture_output=True, text=True, timeout=timeout
    )


def _training_data():
    rules = "data/rules" if (REPO_ROOT / "data" / "rules").is_dir() else "data/rules.yml"
    return ["data/nlu", "data/stories", rules]


def test_rasa_data_validate_passes_with_fail_on_warnings():
    result = _run(
        [
            "data",
            "validate",
            "--fail-on-warnings",
            "--max-history",
            "5",
            "--domain",
            "domain.yml",
            "--data",
            *_training_data(),
        ]
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(scope="module")
def trained_model() -> Path:
    from cli.training import current_model

    model = current_model()
    if model is None:
        pytest.skip("no model for the current data: run `coach train` (make train) first")
    return model


def test_story_tests_pass_without_prediction_errors(trained_model, tmp_path):
    result = _run(
        [
            "test",
            "core",
            "--stories",
            "tests/stories",
            "--model",
            str(trained_model),
            "--fail-on-prediction-errors",
            "--out",
            str(tmp_path),
        ]
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, details + result.stdout[-3000:] + result.stderr[-2000:]
    assert "Accuracy:         1.000" in result.stdout + result.stderr

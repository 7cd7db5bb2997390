"""The static checks of `make lint` (ruff check, ruff format --check, mypy) as tests.

They run in `make test` and `make test-fast` (no model, no servers), so a lint or type error fails
the test run with the tools' own report. Tool versions: requirements-dev.txt; their config (rules,
line length, the folders mypy reads, the strict modules): pyproject.toml. Run one alone with
`pytest -m static`, or the tools directly with `make lint`.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

pytestmark = pytest.mark.static

REPO_ROOT = Path(__file__).resolve().parents[2]


def _run(module: str, args: List[str]) -> subprocess.CompletedProcess:
    if importlib.util.find_spec(module) is None:
        pytest.fail(f"{module} is not installed: `make install` installs requirements-dev.txt")
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def _passes(done: subprocess.CompletedProcess) -> None:
    """Fail with the tool's own report (no traceback: the report is the message)."""
    if done.returncode != 0:
        pytest.fail(
            f"{' '.join(done.args[2:])}: exit code {done.returncode}\n{done.stdout}{done.stderr}",
            pytrace=False,
        )


def test_ruff_finds_no_lint_errors():
    done = _run("ruff", ["check", "--no-cache", "--output-format", "concise", "."])
    _passes(done)


def test_the_code_is_formatted_by_ruff():
    done = _run("ruff", ["format", "--check", "--no-cache", "."])
    _passes(done)


def test_mypy_finds_no_type_errors():
    # The files and flags come from [tool.mypy] in pyproject.toml (cwd is the repository root).
    done = _run("mypy", [])
    _passes(done)


def test_the_checks_fail_on_a_lint_and_a_type_error(tmp_path):
    """The checks above can fail: the same tools and config reject a file with one error of each."""
    bad = tmp_path / "deliberate.py"
    bad.write_text("import os\n\n\ndef half(n: int) -> int:\n    return n / 2\n", encoding="utf-8")
    config = str(REPO_ROOT / "pyproject.toml")
    lint = _run("ruff", ["check", "--no-cache", "--config", config, "--output-format", "concise", str(bad)])
    assert lint.returncode == 1 and "F401" in lint.stdout, lint.stdout + lint.stderr
    types = _run("mypy", ["--config-file", config, "--no-incremental", str(bad)])
    assert types.returncode == 1 and "Incompatible return value type" in types.stdout, types.stdout

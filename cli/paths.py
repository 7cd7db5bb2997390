"""Where things live: the repository root and the project's virtualenv."""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = REPO_ROOT / "var"


def venv_bin(name: str) -> Path:
    """A program from the virtualenv that runs this code (falls back to the repo's .venv)."""
    here = Path(sys.executable).parent / name
    if here.exists():
        return here
    return REPO_ROOT / ".venv" / "bin" / name

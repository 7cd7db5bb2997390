"""Text folding: one place for "compare typed text without case and accents".

Two variants, because two kinds of caller need two different things:

- ``fold_case_and_accents`` keeps every character that is not an accent: punctuation,
  apostrophes and spacing stay for the caller to read. The safety detector
  (``bot/safety/normalise.py``) needs this: its rules use "." and "," as boundaries and
  drop apostrophes themselves. Case folding is ``str.casefold`` ("ß" → "ss").
- ``fold_to_words`` turns an answer into plain words for keyword matching: lower case, no
  accents, punctuation other than "-" and "_" turned into spaces, spaces collapsed
  ("Guinée!" → "guinee"). The conversation helpers (``bot/conversation/normalise.py`` and the
  modules that import ``fold`` from it) use this. ``None`` folds to "".

Both strip accents the same way (``strip_accents``: Unicode NFKD, combining marks
dropped, so "beëindigen" → "beeindigen" and "ﬁ" → "fi").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

_NOT_A_WORD_CHARACTER = re.compile(r"[^\w\s-]")
_SPACES = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    """NFKD, then without combining marks: "Guinée" → "Guinee" (case kept)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_case_and_accents(text: str) -> str:
    """Casefold and strip accents, nothing else: "Beëindigen, j'ai!" → "beeindigen, j'ai!"."""
    return strip_accents(text.casefold())


def fold_to_words(text: Optional[str]) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces: "Guinée!" → "guinee"."""
    text = strip_accents(text or "").lower()
    text = _NOT_A_WORD_CHARACTER.sub(" ", text)
    return _SPACES.sub(" ", text).strip()

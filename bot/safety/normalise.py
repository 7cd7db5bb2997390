"""Text normalisation before matching: one spelling for the many ways clients type.

Lowercase, accents stripped ("beëindigen" → "beeindigen"), apostrophes dropped
("j'ai" → "jai"), sentence punctuation kept as separate "." and "," tokens (rules
use them as boundaries), other symbols turned into spaces, letters typed three or
more times cut to two ("dooood" → "dood"), then the corrections of
rules/vocab.yml (misspellings, glued words).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from bot.text_folding import fold_case_and_accents

RULES_DIR = Path(__file__).with_name("rules")

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`´]")
_SENTENCE_END = re.compile(r"[.!?;\u2026]+")
_CLAUSE_BREAK = re.compile(r"[,:\u2013\u2014]+|\s-\s")
_OTHER = re.compile(r"[^a-z0-9.,\s]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _corrections() -> tuple[tuple[re.Pattern, str], ...]:
    data = yaml.safe_load((RULES_DIR / "vocab.yml").read_text(encoding="utf-8"))
    return tuple((re.compile(pattern), repl) for pattern, repl in data.get("corrections", []))


def normalise(text: str) -> str:
    text = fold_case_and_accents(text)
    text = _APOSTROPHES.sub("", text)
    text = _SENTENCE_END.sub(" . ", text)
    text = _CLAUSE_BREAK.sub(" , ", text)
    text = _OTHER.sub(" ", text)
    text = _REPEATS.sub(r"\1\1", text)
    text = text.replace("ii", "i")  # never Dutch; "wiiil" → "wil"
    text = _SPACES.sub(" ", text).strip()
    for pattern, repl in _corrections():
        text = pattern.sub(repl, text)
    return _SPACES.sub(" ", text).strip()

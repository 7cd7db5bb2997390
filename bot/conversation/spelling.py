"""Correct the client's common misspellings before the bot gives the words back.

"uw moedr en broer" reads as the bot's own mistake once it stands in the bot's
sentence. This corrector is offline and careful: a word is changed only when

* it is written in lower case (a capital may be a name: "Ahmed", "Conakry"),
* it is not a known place, country, language or organisation (``proper_nouns``)
  and not on the keep list of ``data/spelling/nl_corrections.yml``,
* it is rare in Dutch (wordfreq's Dutch list, zipf below ``RARE``) and no word
  form in spaCy's Dutch lemma lookups ("zwarter", "woonden"), and
* exactly one common word (zipf ``COMMON`` or more) is one edit away (a letter
  added, dropped, changed, or two letters swapped), or the table in
  ``data/spelling/nl_corrections.yml`` names the correction.

Anything else stays as the client typed it: a typo given back is better than a
word the client did not mean.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Optional, Tuple

import yaml

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
TABLE_FILE = REPO_ROOT / "data" / "spelling" / "nl_corrections.yml"

RARE = 2.5  # zipf below this: the word may be a typo (famillie 2.39, kindren 1.46)
COMMON = 3.5  # zipf of a correction found by edit distance (moeder 5.41, werk 5.78)
MARGIN = 1.0  # the best candidate must be this much more common than the next one
MIN_LENGTH = 4  # shorter words have too many neighbours ("zus", "man", "kan")
_LETTERS = "abcdefghijklmnopqrstuvwxyzëéèïöü"
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


@lru_cache(maxsize=1)
def _table() -> Tuple[Dict[str, str], FrozenSet[str]]:
    try:
        data = yaml.safe_load(TABLE_FILE.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        logger.warning("spelling: cannot read %s: %s", TABLE_FILE, error)
        data = {}
    corrections = {str(k).lower(): str(v) for k, v in (data.get("corrections") or {}).items()}
    keep = frozenset(str(w).lower() for w in data.get("keep") or [])
    return corrections, keep


@lru_cache(maxsize=1)
def _frequencies() -> Dict[str, float]:
    """Dutch words with their zipf frequency (wordfreq's list; empty when it is missing)."""
    try:
        from wordfreq import get_frequency_dict
    except ImportError:  # pragma: no cover - wordfreq is pinned in requirements.txt
        logger.warning("spelling: wordfreq is not installed; only the table corrects")
        return {}
    import math

    out: Dict[str, float] = {}
    for word, freq in get_frequency_dict("nl", wordlist="large").items():
        if freq > 0 and word.isalpha():
            out[word] = round(math.log10(freq) + 9, 2)
    return out


def zipf(word: str) -> float:
    return _frequencies().get(word.lower(), 0.0)


@lru_cache(maxsize=1)
def _word_forms() -> FrozenSet[str]:
    """Every Dutch word form of spaCy's lemma lookup table ("zwarter", "woonden")."""
    try:
        import gzip
        import json

        import spacy_lookups_data

        path = Path(spacy_lookups_data.__file__).parent / "data" / "nl_lemma_lookup.json.gz"
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            table = json.load(handle)
    except (ImportError, OSError, ValueError) as error:  # pragma: no cover - pinned package
        logger.warning("spelling: no spaCy Dutch lookups: %s", error)
        return frozenset()
    return frozenset(w.lower() for w in list(table) + list(table.values()))


def is_known(word: str) -> bool:
    """A Dutch word: common in wordfreq's list, a form in spaCy's lookups, or kept."""
    low = word.lower()
    return low in _table()[1] or zipf(low) >= RARE or low in _word_forms()


def _edits(word: str):
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    for left, right in splits:
        if right:
            yield left + right[1:]  # a letter dropped
            for c in _LETTERS:
                if c != right[0]:
                    yield left + c + right[1:]  # a letter changed
        if len(right) > 1:
            yield left + right[1] + right[0] + right[2:]  # two letters swapped
        for c in _LETTERS:
            yield left + c + right  # a letter added


@lru_cache(maxsize=1)
def _name_parts() -> FrozenSet[str]:
    """The words of known names of more words ("herzegovina", "leste", "apel")."""
    from bot.conversation.proper_nouns import known_names

    return frozenset(part for name in known_names() for part in name.split() if " " in name)


FOREIGN = 3.0  # zipf in English or French from which a word is the client's other language


def _protected(word: str) -> bool:
    """Kept as typed: the keep list, known names, and English or French words ("personne")."""
    from wordfreq import zipf_frequency

    from bot.conversation.normalise import fold
    from bot.conversation.proper_nouns import known_names  # late: proper_nouns reads NLU data

    low = word.lower()
    if low in _table()[1] or fold(low) in known_names() or low in _name_parts():
        return True
    return any(zipf_frequency(low, lang) >= FOREIGN for lang in ("en", "fr"))


@lru_cache(maxsize=4096)
def correct_word(word: str) -> str:
    """The corrected word, or ``word`` itself when the corrector is not sure."""
    if not word or not word.isalpha() or not word.islower() or not word.isascii():
        return word  # a capital may be a name; accents are French, Turkish … or a name
    corrections, _keep = _table()
    if word in corrections:
        return corrections[word]
    if len(word) < MIN_LENGTH or is_known(word) or _protected(word):
        return word
    freqs = _frequencies()
    scored = sorted({(freqs[c], c) for c in set(_edits(word)) if freqs.get(c, 0.0) >= RARE}, reverse=True)
    if not scored or scored[0][0] < COMMON:
        return word
    if len(scored) > 1 and scored[0][0] - scored[1][0] < MARGIN:
        return word  # two good candidates: not sure which the client meant
    return scored[0][1]


def correct(text: str) -> str:
    """Every word of ``text`` through ``correct_word``; spaces and punctuation stay."""
    return _WORD.sub(lambda m: correct_word(m.group(0)), text or "")


def corrections_in(text: str) -> Dict[str, str]:
    """{typo: correction} for the words ``correct`` would change (for tests and reports)."""
    out: Dict[str, str] = {}
    for match in _WORD.finditer(text or ""):
        fixed = correct_word(match.group(0))
        if fixed != match.group(0):
            out[match.group(0)] = fixed
    return out


def word_zipf(word: str) -> Optional[float]:
    """The zipf frequency of a word, None when wordfreq does not know it."""
    value = zipf(word)
    return value or None

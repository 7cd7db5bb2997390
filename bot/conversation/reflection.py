"""Simple reflections: give the client's own words back, turned to "u".

MI asks for reflections that reuse the client's words (conversation.md §4.2).
The bot cannot paraphrase reliably, so it quotes: it cleans the answer, keeps
the first sentence or so, and turns first person into the polite second person
("ik woon met mijn broer" -> "u woont met uw broer", verbs conjugated by
``second_person``). The wording around it lives in domain.yml.
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

from bot.conversation.second_person import to_second_person

__all__ = ["clean", "client_words", "double_sided", "to_second_person"]

MAX_WORDS = 18


def clean(text: str) -> str:
    """Strip button payloads, control characters and extra spaces."""
    text = text or ""
    if text.startswith("/"):
        return ""  # a button payload is not the client's own words
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _first_part(text: str, max_words: int) -> Tuple[str, bool]:
    # Keep the first sentence when it carries some weight, else more.
    sentences = re.split(r"(?<=[.!?])\s+", text)
    picked: List[str] = []
    for sentence in sentences:
        picked.append(sentence)
        if len(" ".join(picked).split()) >= 6:
            break
    words = " ".join(picked).split()
    short = " ".join(words[:max_words]).rstrip(".!?,;: ")
    return short, len(words) > max_words


def client_words(text: str, max_words: int = MAX_WORDS) -> str:
    """The client's answer, short and in the second person, ready for a reflection.

    Returns "" when there are no words to give back (a button payload, only spaces).
    """
    cleaned = clean(text)
    if not cleaned:
        return ""
    short, truncated = _first_part(cleaned, max_words)
    return _lower_first(to_second_person(short)) + (" …" if truncated else "")


# Sentence starters that stay lower case inside the bot's sentence ("U zegt: het is …");
# other capitals (names, places: "Conakry") are kept.
_COMMON_STARTERS = frozenset("""
    het de een dat dit die daar hier weer nu via in op met als omdat er ze zij we wij soms
    misschien geen niet niks niets alleen veel ja nee elke iedere samen en maar of want dus
    u uw wat hoe waar wanneer wie hulp mensen
""".split())


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first and first[:1].isupper() and first.lower().strip(".,!?") in _COMMON_STARTERS:
        return first[:1].lower() + text[1:]
    return text


_BUT = re.compile(r"\s*(?:,\s*)?\b(?:maar|but|mais|toch|aan de andere kant)\b\s*", re.IGNORECASE)


def double_sided(text: str, max_words: int = 12) -> Optional[Tuple[str, str]]:
    """Both sides of an ambivalent answer ("ik mis mijn moeder, maar hier is mijn werk").

    MI's double-sided reflection gives both back ("Aan de ene kant …, aan de andere
    kant …"). None when the answer does not hold two sides of some weight.
    """
    cleaned = clean(text)
    parts = _BUT.split(cleaned, maxsplit=1)
    if len(parts) != 2:
        return None
    first, second = (p.strip(" ,.;") for p in parts)
    if len(first.split()) < 2 or len(second.split()) < 2:
        return None
    return client_words(first, max_words), client_words(second, max_words)

"""Simple reflections: give the client's own words back, turned to "u".

MI asks for reflections that reuse the client's words (conversation.md §4.2).
The bot cannot paraphrase reliably, so it quotes: it cleans the answer, keeps
the first sentence or so, and turns first person into the polite second person
("ik woon met mijn broer" -> "u woont met uw broer"). The wording around it
lives in domain.yml.
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

MAX_WORDS = 18

_PRONOUNS = {
    "ik": "u", "ikke": "u", "mij": "u", "me": "u", "mijzelf": "uzelf", "mezelf": "uzelf",
    "mijn": "uw", "m'n": "uw", "mn": "uw",
}
# Verb forms that change after "ik" -> "u" (u-form is the 2nd/3rd person).
_VERBS_AFTER_IK = {
    "ben": "bent", "heb": "heeft", "wil": "wilt", "kan": "kunt", "zal": "zult",
    "ga": "gaat", "woon": "woont", "werk": "werkt", "mis": "mist", "denk": "denkt",
    "voel": "voelt", "doe": "doet", "zie": "ziet", "kom": "komt", "blijf": "blijft",
    "hoop": "hoopt", "weet": "weet", "moet": "moet", "mag": "mag", "zou": "zou",
    "heb": "heeft", "sta": "staat", "slaap": "slaapt", "leer": "leert", "spreek": "spreekt",
    "zoek": "zoekt", "wacht": "wacht", "praat": "praat", "bel": "belt", "help": "helpt",
    "maak": "maakt", "vind": "vindt", "loop": "loopt", "eet": "eet", "lees": "leest",
    "wou": "wilde", "was": "was", "had": "had", "kon": "kon", "heb't": "heeft het",
}


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


def to_second_person(text: str) -> str:
    """'ik woon in Ter Apel met mijn broer' -> 'u woont in Ter Apel met uw broer'."""
    tokens = re.findall(r"\w+(?:'\w+)?|[^\w\s]", text, flags=re.UNICODE)
    out: List[str] = []
    for i, token in enumerate(tokens):
        low = token.lower()
        prev = tokens[i - 1].lower() if i else ""
        nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        if low in ("ik", "ikke"):
            out.append("u")
        elif low in _VERBS_AFTER_IK and (prev in ("ik", "ikke") or nxt in ("ik", "ikke")):
            out.append(_VERBS_AFTER_IK[low])
        elif low in _PRONOUNS:
            out.append(_PRONOUNS[low])
        else:
            out.append(token)
    joined = " ".join(out)
    return re.sub(r"\s+([^\w\s])", r"\1", joined)


def client_words(text: str, max_words: int = MAX_WORDS) -> str:
    """The client's answer, short and in the second person, ready for a reflection.

    Returns "" when there are no words to give back (a button payload, only spaces).
    """
    cleaned = clean(text)
    if not cleaned:
        return ""
    short, truncated = _first_part(cleaned, max_words)
    return to_second_person(short) + (" …" if truncated else "")


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

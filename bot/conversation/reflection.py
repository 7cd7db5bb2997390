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

from bot.conversation.proper_nouns import is_acronym, starts_with_name
from bot.conversation.second_person import to_second_person

__all__ = ["clean", "client_words", "double_sided", "to_second_person", "who_words"]

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


def client_words(text: str, max_words: int = MAX_WORDS, sentence_start: bool = True) -> str:
    """The client's answer, short and in the second person, ready for a reflection.

    Returns "" when there are no words to give back (a button payload, only spaces).
    The words go inside the bot's sentence ("U zegt: {words}."), so the client's
    first word loses its sentence capital unless it is a name (see ``_lower_first``);
    ``sentence_start=False`` says the text was cut from the middle of the client's
    sentence, where a capital is the client's own and stays.
    """
    cleaned = clean(text)
    if not cleaned:
        return ""
    short, truncated = _first_part(cleaned, max_words)
    words = to_second_person(short)
    if sentence_start:
        words = _lower_first(words, cleaned)
    return words + (" …" if truncated else "")


# Capitalised answers to "who?" that are no name ("Mijn broer", "De begeleider", "Samen").
_NOT_NAMES = frozenset("""
    ik ikzelf zelf mijn m'n mn wij we onze ons mij me u uw de het een die deze samen met en
    alleen niemand iemand iedereen allebei familie moeder vader broer zus vrouw man zoon
    dochter oom tante vriend vriendin begeleider advocaat
""".split())


def who_words(text: str, max_words: int = 8) -> str:
    """The answer to "who does it?" for the bot's sentence ("Wie: {step_who}.").

    Like ``client_words``, but an answer of only capitalised words ("Ahmed",
    "Fatima Diallo") is taken for a person's name and keeps its capitals.
    """
    cleaned = clean(text)
    words = cleaned.rstrip(".!?").split()
    name = 0 < len(words) <= 3 and all(w[:1].isupper() for w in words) \
        and not any(w.lower().strip(",;:") in _NOT_NAMES for w in words)
    return client_words(text, max_words, sentence_start=not name)


_FIRST_WORD = re.compile(r"^(\W*)([^\W\d_][\w&'’-]*)", re.UNICODE)


def _lower_first(text: str, original: str = "") -> str:
    """Lowercase the first letter unless the first word is a name.

    Names are the known places, countries, languages and organisations
    (``proper_nouns``), acronyms ("IND", "DT&V"), English "I", and a word the
    client also writes with a capital inside a sentence (a personal name:
    "Ahmed helpt mij. Ik bel Ahmed.").
    """
    match = _FIRST_WORD.match(text)
    if not match or not match.group(2)[:1].isupper():
        return text
    lead, word = match.group(1), match.group(2)
    if word in ("I", "I'm") or is_acronym(word) or starts_with_name(text[len(lead):]):
        return text
    if re.search(rf"[\w,;:]\s+{re.escape(word)}\b", original or text):
        return text  # capitalised inside the client's sentence: a name
    return lead + word[:1].lower() + text[len(lead) + 1:]


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
    # The second side starts inside the client's sentence ("…, maar Ahmed helpt mij"):
    # a capital there is a name, unless a sentence ended right after "maar".
    second_starts_sentence = bool(re.match(r"\s*[.!?]", parts[1]))
    return (client_words(first, max_words),
            client_words(second, max_words, sentence_start=second_starts_sentence))

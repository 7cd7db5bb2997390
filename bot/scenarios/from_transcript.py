"""A scenario drafted from a conversation that really happened, so it can become a regression test.

``draft(messages, ...)`` turns a transcript (``Message`` rows in order) into the scenario
file's shape: the client's turns as typed (a tapped button as ``button:``), the counsellor's
takeover, words and hand-back, and per turn the responses the coach gave (``expect.responses``).
Places the NLU recognised (entities ``city`` and ``country``, and ``person`` / ``name`` where a
pipeline finds them) are replaced by placeholders such as ``[stad]``. Then ``scrub`` takes out
what identifies a person whatever the NLU made of it: e-mail addresses, dates, long numbers
(phone, V-number, BSN), capitalised words shaped like a first name (``is_person_name``, not a
common Dutch word) and the cities of the NLU lookup. This also runs on the counsellor's words
("Hallo Amina"). Everything else stays as typed, and the header says so: whoever saves the
draft reads it first in the editor (for a client's conversation, the counsellor, before any
trainer sees it).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from bot.conversation.proper_nouns import LOOKUP_FILES, _lookup_names, is_person_name
from bot.scenarios.loader import dump_data

# NLU entities that name a person or a place, and the placeholder that replaces them.
PLACEHOLDERS = {
    "city": "[stad]",
    "country": "[land]",
    "person": "[naam]",
    "PERSON": "[naam]",
    "name": "[naam]",
    "GPE": "[plaats]",
    "LOC": "[plaats]",
}
MAX_TURNS = 200
HEADER = (
    "# Gemaakt uit een gesprek ({session}). Plaatsen, namen, data en lange nummers die de coach\n"
    "# herkende zijn vervangen door [stad], [land], [naam], [datum], [nummer]; lees de beurten na:\n"
    "# andere namen of kenmerken staan er nog zoals getypt.\n"
    "# De verwachtingen zijn wat de coach toen deed. Maak ze wat de coach had moeten doen.\n"
)


def _field(message: Any, name: str) -> Any:
    return message.get(name) if isinstance(message, dict) else getattr(message, name, None)


def anonymise(text: str, entities: Optional[Iterable[Dict[str, Any]]]) -> Tuple[str, List[Dict[str, str]]]:
    """``text`` with every person/place entity replaced (by its offsets); what was replaced."""
    spans = []
    for entity in entities or []:
        if not isinstance(entity, dict) or entity.get("entity") not in PLACEHOLDERS:
            continue
        start, end = entity.get("start"), entity.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            spans.append((start, end, PLACEHOLDERS[entity["entity"]]))
    kept: List[Tuple[int, int, str]] = []
    for span in sorted(set(spans)):
        if not kept or span[0] >= kept[-1][1]:  # overlapping spans: the first one wins
            kept.append(span)
    replaced = [{"was": text[start:end], "now": placeholder} for start, end, placeholder in kept]
    for start, end, placeholder in reversed(kept):
        text = text[:start] + placeholder + text[end:]
    return text, replaced


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DATE = re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b")
# Five or more digits, spaces, dashes or dots between them allowed (06-12345678, +31 6 1234 5678,
# V-nummer 1234567890). Ages, counts and years (four digits) stay.
_LONG_NUMBER = re.compile(r"\+?\d(?:[\s.-]?\d){4,}")
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
# How common (Zipf) a capitalised word must be in Dutch to stay: at the start of a sentence
# ("Mijn", "Anna" both stay), and inside one, where only very common words stay ("ik wil Graag")
# and names do ("Jan" 5.2, "Anna" 4.7). wordfreq folds case, so names count as words.
_COMMON_WORD_ZIPF = 4.0
_VERY_COMMON_WORD_ZIPF = 5.3


@lru_cache(maxsize=1)
def _cities() -> "re.Pattern":
    """The cities of the NLU lookup, longest first ("Ter Apel" before "Apel"), as one pattern."""
    names = sorted({n.strip() for n in _lookup_names(LOOKUP_FILES[:1]) if n.strip()}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)


def _common_dutch(word: str, zipf: float = _COMMON_WORD_ZIPF) -> bool:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - pinned in requirements.txt
        return False
    return zipf_frequency(word.lower(), "nl") >= zipf


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip()
    return not before or before[-1] in ".!?:;\n\"'“(-"


def scrub(text: str) -> Tuple[str, List[Dict[str, str]]]:
    """``text`` without e-mail addresses, dates, long numbers, known cities and first names.

    A capitalised word that can be a person's name is one unless it is a common Dutch word: at
    the start of a sentence fairly common ("Mijn broer" stays), inside one very common ("ik wil
    Graag" stays, "met Anna" does not). A city typed in lower case counts when it is no common Dutch word ("ter apel" yes, "best" no)."""
    replaced: List[Dict[str, str]] = []

    def swap(placeholder: str) -> Callable[["re.Match"], str]:
        def _swap(match: "re.Match") -> str:
            replaced.append({"was": match.group(0), "now": placeholder})
            return placeholder

        return _swap

    text = _EMAIL.sub(swap("[e-mail]"), text)
    text = _DATE.sub(swap("[datum]"), text)
    text = _LONG_NUMBER.sub(swap("[nummer]"), text)

    def _city(match: "re.Match") -> str:
        found = match.group(0)
        if not found[:1].isupper() and " " not in found and _common_dutch(found):
            return found
        replaced.append({"was": found, "now": "[stad]"})
        return "[stad]"

    text = _cities().sub(_city, text)

    def _name(match: "re.Match") -> str:
        word = match.group(0)
        if not word[:1].isupper() or not is_person_name(word):
            return word
        if "-" in word and _common_dutch(word.rsplit("-", 1)[-1]):  # "V-nummer", "Noord-Afrika"
            return word
        at_start = _sentence_start(match.string, match.start())
        if _common_dutch(word, _COMMON_WORD_ZIPF if at_start else _VERY_COMMON_WORD_ZIPF):
            return word
        replaced.append({"was": word, "now": "[naam]"})
        return "[naam]"

    # The placeholders ("[stad]") are lower case and pass through unchanged.
    return _WORD.sub(_name, text), replaced


def _anonymised(text: str, entities: Optional[Iterable[Dict[str, Any]]]) -> Tuple[str, List[Dict[str, str]]]:
    text, by_entity = anonymise(text, entities)
    text, by_shape = scrub(text)
    return text, by_entity + by_shape


def draft(
    messages: List[Any],
    *,
    session_id: str,
    title: Optional[str] = None,
    known_responses: Optional[set] = None,
) -> Dict[str, Any]:
    """``{"yaml", "data", "replaced", "turns"}`` for the transcript ``messages`` (oldest first)."""
    opening: List[str] = []
    turns: List[Dict[str, Any]] = []
    replaced: List[Dict[str, str]] = []
    held = False  # a counsellor has the conversation

    def responses_of(message: Any) -> Optional[str]:
        name = _field(message, "utter_action")
        if not name or not str(name).startswith("utter_"):
            return None
        if known_responses is not None and name not in known_responses:
            return None
        return str(name)

    for message in messages:
        sender = _field(message, "sender")
        if sender == "bot":
            name = responses_of(message)
            if name is None:
                continue
            if held:  # the bot speaks again: the counsellor gave it back
                turns.append({"counsellor": "handback"})
                held = False
            target = turns[-1].setdefault("expect", {}).setdefault("responses", []) if turns else opening
            if name not in target:
                target.append(name)
        elif sender == "client":
            meta = _field(message, "meta") or {}
            title_ = meta.get("button_title") if isinstance(meta, dict) else None
            if title_:
                turns.append({"button": str(title_)})
                continue
            text, found = _anonymised(str(_field(message, "text") or ""), _field(message, "entities"))
            replaced.extend(found)
            if text.strip():
                turns.append({"client": text})
        elif sender == "counsellor":
            if not held:
                turns.append({"counsellor": "takeover"})
                held = True
            text, found = scrub(str(_field(message, "text") or "").strip())
            replaced.extend(found)
            if text:
                turns.append({"counsellor_says": text})
        if len(turns) >= MAX_TURNS:
            break
    data: Dict[str, Any] = {
        "title": title or f"Uit gesprek {session_id[:8]}",
        "persona": "Een echte cliënt (geanonimiseerd). Beschrijf in een paar zinnen wie dit is.",
        "trainer_checks": ["Wat ging er mis in dit gesprek, en wat had de coach moeten doen?"],
    }
    if opening:
        data["opening"] = {"responses": opening}
    data["turns"] = turns or [{"client": "..."}]
    return {
        "yaml": HEADER.format(session=session_id[:8]) + dump_data(data),
        "data": data,
        "replaced": replaced,
        "turns": len(turns),
    }


def suggested_name(session_id: str) -> str:
    return "uit_gesprek_" + re.sub(r"[^a-z0-9]", "", session_id.lower())[:8]

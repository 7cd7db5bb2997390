"""A scenario drafted from a conversation that really happened, so it can become a regression test.

``draft(messages, ...)`` turns a transcript (``Message`` rows in order) into the scenario
file's shape: the client's turns as typed (a tapped button as ``button:``), the counsellor's
takeover, words and hand-back, and per turn the responses the coach gave (``expect.responses``).
Places the NLU recognised (entities ``city`` and ``country``, and ``person`` / ``name`` where a
pipeline finds them) are replaced by placeholders such as ``[stad]``; everything else stays as
typed, and the header says so: the trainer reviews the draft in the editor before saving it.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional, Tuple

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
    "# Gemaakt uit een gesprek ({session}). Plaatsen en namen die de coach herkende zijn vervangen\n"
    "# door [stad], [land], [naam]; lees de beurten na: andere namen staan er nog zoals getypt.\n"
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
            text, found = anonymise(str(_field(message, "text") or ""), _field(message, "entities"))
            replaced.extend(found)
            if text.strip():
                turns.append({"client": text})
        elif sender == "counsellor":
            if not held:
                turns.append({"counsellor": "takeover"})
                held = True
            text = str(_field(message, "text") or "").strip()
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

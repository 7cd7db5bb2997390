"""A simulated kiosk client for the load benchmark and the production tests.

The client answers like a cooperative person at the kiosk: it taps the first
ordinary button (never a control such as "Ik wil met een mens praten"), or types
a short, neutral answer picked by the words of the bot's last question. It does not script
the dialogue word for word, so it keeps working while the conversation is
extended; each client gets its own country of origin, so an answer that lands
in another client's plan is easy to see.

The same client drives the API (`POST /api/v1/sessions/{id}/messages`) and Rasa
straight through the `coach` channel: both replies are lists of bot messages
with `text` and `buttons`.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Sequence

# Buttons a cooperative client does not tap: they hand off, skip or detour.
CONTROL_PAYLOADS = (
    "/request_human",
    "/decline_answer",
    "/dont_know",
    "/stop",
    "/ask_recorded",
    "/correct_answer",
    "/go_back",
    "/privacy",
)
COUNTRIES = (
    "Marokko",
    "Guinee",
    "Irak",
    "Eritrea",
    "Afghanistan",
    "Georgië",
    "Nigeria",
    "Somalië",
    "Iran",
    "Ghana",
    "Mali",
    "Senegal",
    "Pakistan",
    "Ethiopië",
    "Algerije",
    "Kameroen",
)
# Yes/no questions where the cooperative "yes" opens a side path (health follow-ups).
PREFERRED_BUTTONS = ((r"klachten|last van|medicijn", "/deny"),)
# (pattern in the bot's question, answer), first match wins; {country} is the client's own.
TYPED_ANSWERS = (
    (r"veilig", "Het is daar nu rustig."),
    (r"welk land|waar komt u", "Ik kom uit {country}."),
    (r"zorgen", "Dat ik geen werk vind."),
    (r"hoopt|verheugt|hoop", "Een rustig leven met mijn familie."),
    (r"goed in|kunt u goed|goed kunt|talent", "Ik kan goed koken en ik had een winkel."),
    (r"familie|vrienden|om u heen|\bwie\b.*\bhier\b", "Mijn broer woont hier, mijn moeder in {country}."),
    (r"wanneer|datum", "over twee weken"),
    (r"\bwie\b", "ik zelf"),
    (r"veranderen|anders|zekerder", "Als ik hier mag werken."),
    (r"goed voor u|waarom|reden", "Dan ben ik weer bij mijn familie."),
    (r"tegen|moeilijk", "Ik heb daar geen huis meer."),
    (r"stap", "Een paspoort aanvragen bij de ambassade."),
)
DEFAULT_ANSWER = "Ik woon in het azc in Ter Apel, al twee jaar."
START_MESSAGE = "/greet"


def new_message_id() -> str:
    """The API's message id format (docs/architecture.md)."""
    return "m-" + uuid.uuid4().hex[:16]


@dataclass
class SimulatedClient:
    """One person at one kiosk; `reply()` answers the bot's last turn."""

    number: int
    taps: Dict[str, int] = field(default_factory=dict)

    @property
    def country(self) -> str:
        return COUNTRIES[self.number % len(COUNTRIES)]

    def reply(self, bot_messages: Sequence[Dict[str, Any]]) -> str:
        last = bot_messages[-1] if bot_messages else {"text": "", "buttons": []}
        question = str(last.get("text") or "")
        buttons = [
            b for b in last.get("buttons") or [] if not str(b.get("payload", "")).startswith(CONTROL_PAYLOADS)
        ]
        payloads = [str(b["payload"]) for b in buttons]
        for pattern, payload in PREFERRED_BUTTONS:
            if payload in payloads and re.search(pattern, question.lower()):
                return payload
        if buttons:
            # The first button, unless this very turn came twice already (a loop).
            key = " ".join(str(m.get("text") or "") for m in bot_messages)
            self.taps[key] = self.taps.get(key, 0) + 1
            index = 0 if self.taps[key] <= 2 else min(self.taps[key] - 2, len(buttons) - 1)
            return payloads[index]
        for pattern, answer in TYPED_ANSWERS:
            if re.search(pattern, question.lower()):
                return answer.format(country=self.country)
        return DEFAULT_ANSWER


def bot_messages_of(api_turn: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The bot's messages in an API turn reply (the reply starts with the client's own)."""
    return [m for m in api_turn.get("messages") or [] if m.get("sender") == "bot"]


def channel_payload(session_id: str, text: str, message_id: str, *, system: bool = False) -> Dict[str, Any]:
    """The `coach` channel body the API itself sends for a client message."""
    metadata: Dict[str, Any] = {"session_id": session_id, "language": "nl"}
    if system:
        metadata.update({"system": True, "is_training": False})
    else:
        metadata["message_id"] = message_id
    return {"sender": session_id, "message": text, "metadata": metadata}

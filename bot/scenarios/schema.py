"""What a trainer's scenario is: a persona, the client's turns, and per turn what
the bot is expected to do.

Plain data, no YAML and no HTTP here: `loader.py` reads and writes the files,
`checks.py` compares a turn's outcome with its expectations, `runner.py` plays a
scenario through the public API. The file format is described for trainers in
`data/scenarios/README.md`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

PHASES = ("verkennen", "kiezen", "verkrijgen", "afgerond")
STATUSES = ("bot", "waiting_for_human", "human", "closed")
HANDOFF_REASONS = ("crisis", "emotion", "uncertain", "request")
NO_HANDOFF = "none"
LANGUAGES = ("nl", "en")

# Turn kinds: what the client or the counsellor (played by the runner) does.
CLIENT = "client"  # the client types text
BUTTON = "button"  # the client taps a button of the bot's last question
TAKEOVER = "takeover"  # the counsellor takes the conversation over
COUNSELLOR_SAYS = "counsellor_says"  # the counsellor writes to the client
HANDBACK = "handback"  # the counsellor gives the conversation back to the bot
CLOSE = "close"  # the counsellor closes the session
TURN_KINDS = (CLIENT, BUTTON, TAKEOVER, COUNSELLOR_SAYS, HANDBACK, CLOSE)
COUNSELLOR_ACTIONS = (TAKEOVER, HANDBACK, CLOSE)  # the values of `counsellor:` in a file

# What a plan expectation may name instead of a literal value.
FILLED = "filled"
PLAN_STATES = (FILLED, "declined", "unknown", "not_applicable", "empty")

NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


@dataclass
class Expect:
    """What must hold after a turn. Every field is optional; empty means 'not checked'."""

    phase: Optional[str] = None
    status: Optional[str] = None
    handoff: Optional[str] = None  # a reason, or NO_HANDOFF
    says: List[str] = field(default_factory=list)
    not_says: List[str] = field(default_factory=list)
    matches: List[str] = field(default_factory=list)  # regular expressions (checked, bounded: loader.py)
    responses: List[str] = field(default_factory=list)
    not_responses: List[str] = field(default_factory=list)
    buttons: List[str] = field(default_factory=list)
    silent: Optional[bool] = None  # True: the bot says nothing in this turn
    plan: Dict[str, Any] = field(default_factory=dict)  # dotted path -> state or value
    line: Optional[int] = None

    def count(self) -> int:
        """How many checks these expectations make."""
        singles = [self.phase, self.status, self.handoff, self.silent]
        lists = [self.says, self.not_says, self.matches, self.responses, self.not_responses, self.buttons]
        return sum(v is not None for v in singles) + sum(len(v) for v in lists) + len(self.plan)

    def to_data(self) -> Dict[str, Any]:
        """The YAML/JSON shape, leaving out what is not checked."""
        data: Dict[str, Any] = {}
        for key in ("phase", "status", "handoff"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        for key in ("says", "not_says", "matches", "responses", "not_responses", "buttons"):
            if getattr(self, key):
                data[key] = list(getattr(self, key))
        if self.silent is not None:
            data["silent"] = self.silent
        if self.plan:
            if all(v == FILLED for v in self.plan.values()):
                data["plan"] = list(self.plan)
            else:
                data["plan"] = dict(self.plan)
        return data


@dataclass
class Turn:
    kind: str
    text: Optional[str] = None  # client text, button title or counsellor text
    handback_phase: Optional[str] = None
    note: Optional[str] = None  # why this turn is here, for the trainer
    expect: Expect = field(default_factory=Expect)
    line: Optional[int] = None

    @property
    def actor(self) -> str:
        return "client" if self.kind in (CLIENT, BUTTON) else "counsellor"

    def describe(self) -> str:
        """One line in Dutch, for the console and the command line."""
        if self.kind == CLIENT:
            return f"cliënt: {self.text}"
        if self.kind == BUTTON:
            return f"cliënt kiest knop: {self.text}"
        if self.kind == COUNSELLOR_SAYS:
            return f"begeleider: {self.text}"
        if self.kind == TAKEOVER:
            return "begeleider neemt het gesprek over"
        if self.kind == HANDBACK:
            extra = f" (fase {self.handback_phase})" if self.handback_phase else ""
            return f"begeleider geeft het gesprek terug aan de coach{extra}"
        return "begeleider sluit het gesprek"

    def to_data(self) -> Dict[str, Any]:
        data: Dict[str, Any] = {}
        if self.kind in (CLIENT, BUTTON, COUNSELLOR_SAYS):
            data[self.kind] = self.text
        else:
            data["counsellor"] = self.kind
            if self.handback_phase:
                data["phase"] = self.handback_phase
        if self.note:
            data["note"] = self.note
        expect = self.expect.to_data()
        if expect:
            data["expect"] = expect
        return data


@dataclass
class Scenario:
    name: str
    title: str
    persona: str
    turns: List[Turn]
    language: str = "nl"
    opening: Expect = field(default_factory=Expect)
    trainer_checks: List[str] = field(default_factory=list)
    # Phrases no bot reply of this scenario may contain (checked at every step where the coach speaks),
    # e.g. a bare echo such as "U zegt: auto." that the client would read.
    not_says: List[str] = field(default_factory=list)
    # The built-in check of every reply the client reads (bare echo, copied misspelling, a sentence
    # in lower case: bot/conversation/reflection_quality.py); `text_checks: false` switches it off.
    text_checks: bool = True
    source: Optional[str] = None

    def check_count(self) -> int:
        return self.opening.count() + sum(t.expect.count() for t in self.turns)

    def to_data(self) -> Dict[str, Any]:
        """The file's shape (also what the console edits as JSON)."""
        data: Dict[str, Any] = {"title": self.title, "persona": self.persona}
        if self.language != "nl":
            data["language"] = self.language
        if self.trainer_checks:
            data["trainer_checks"] = list(self.trainer_checks)
        if self.not_says:
            data["not_says"] = list(self.not_says)
        if not self.text_checks:
            data["text_checks"] = False
        opening = self.opening.to_data()
        if opening:
            data["opening"] = opening
        data["turns"] = [t.to_data() for t in self.turns]
        return data

    def summary(self) -> Dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "persona": self.persona,
            "language": self.language,
            "turns": len(self.turns),
            "checks": self.check_count(),
        }

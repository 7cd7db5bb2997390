"""The detector's answer: what was seen and which hand-off it calls for.

`category` is the hand-off decision (docs/specs/safety.md §1.2):

* ``crisis``    T3: crisis route, hand-off reason ``crisis``.
* ``emotion``   T2: hand over now, reason ``emotion``.
* ``request``   T2: the client asks for a person or to stop, reason ``request``.
* ``uncertain`` T2: minor or doubtful capacity, reason ``uncertain``. A separate
  category (not "emotion") so that nobody maps a 16-year-old to an emotional crisis.
* ``none``      T0/T1: no hand-off; ``flag`` may still name a signal to log for
  the counsellor (e.g. ``sleep``, ``safety_fear``, ``feeling``).

``kind`` names the feeling of an emotional signal (grief, fear, shame, …) or is None.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal, Optional

Category = Literal["crisis", "emotion", "request", "uncertain", "none"]
HandoffReason = Literal["crisis", "emotion", "request", "uncertain"]

CATEGORIES: tuple[str, ...] = ("crisis", "emotion", "request", "uncertain", "none")


@dataclass(frozen=True)
class SafetyResult:
    category: Category
    flag: Optional[str] = None
    matched: Optional[str] = None
    tier: int = 0
    # Why a result was raised above what the text alone showed, e.g.
    # "intent:request_human", "repeated:sleep", "accumulated:sleep+somatic+depression".
    escalation: Optional[str] = None
    # The feeling an emotional signal names, for a fitting reply (concepts.KINDS): grief, fear,
    # shame, anger, loneliness, sadness, crying, hopelessness, trauma, overwhelmed, pain, worry.
    kind: Optional[str] = None

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown safety category {self.category!r}")
        if not 0 <= self.tier <= 3:
            raise ValueError(f"tier must be 0..3, got {self.tier}")
        if (self.category == "none") != (self.tier < 2):
            raise ValueError(f"category {self.category!r} does not fit tier {self.tier}")
        if self.category == "crisis" and self.tier != 3:
            raise ValueError("crisis is always tier 3")

    @property
    def handoff_reason(self) -> Optional[HandoffReason]:
        """The `Handoff.reason` of the public API, or None when no hand-off is due."""
        return None if self.category == "none" else self.category

    @property
    def needs_handoff(self) -> bool:
        return self.category != "none"

    def to_dict(self) -> dict:
        """Plain JSON-able form (Rasa `nlu.safety`, transcript `safety` column)."""
        data = asdict(self)
        data["handoff_reason"] = self.handoff_reason
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "SafetyResult":
        return cls(
            category=data["category"],
            flag=data.get("flag"),
            matched=data.get("matched"),
            tier=int(
                data.get(
                    "tier", 3 if data["category"] == "crisis" else 2 if data["category"] != "none" else 0
                )
            ),
            escalation=data.get("escalation"),
            kind=data.get("kind"),
        )


NO_SIGNAL = SafetyResult(category="none")

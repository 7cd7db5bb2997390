"""Accumulation over a session (docs/specs/safety.md §1.2, §1.5): pure, no I/O.

* A T1 signal that comes back within `window` turns becomes T2 "emotion"
  (aggression, T0 once, counts too: "T2 if it continues").
* Several different well-being signals in one session (sleep + somatic +
  depression …, Bijlage 6: look for the other problems next to the first)
  become T2 "emotion" once `accumulate_threshold` distinct ones were seen.
* Two misunderstood turns in a row become T2 "uncertain" (docs/specs/safety.md §1.2).

After an escalation the counters start again: the counsellor has seen them.
The state round-trips through to_dict()/from_dict() so a Rasa slot or a DB
column can carry it between turns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from bot.safety.result import SafetyResult

REPEAT_ESCALATES = frozenset(
    {
        "sleep",
        "exhaustion",
        "substance",
        "depression",
        "trauma",
        "safety_fear",
        "withdrawal",
        "other_complaints",
        "aggression",
        "death_talk",
    }
)
ACCUMULATES = frozenset(
    {"sleep", "exhaustion", "substance", "somatic", "depression", "trauma", "other_complaints", "death_talk"}
)


@dataclass
class SessionSafetyState:
    window: int = 3
    accumulate_threshold: int = 3
    turn: int = 0
    last_seen: dict[str, int] = field(default_factory=dict)
    signals: list[str] = field(default_factory=list)
    misunderstood_in_a_row: int = 0

    def observe(self, result: SafetyResult, *, understood: bool = True) -> SafetyResult:
        """Record one client turn; return the result raised by what came before."""
        self.turn += 1
        self.misunderstood_in_a_row = 0 if understood else self.misunderstood_in_a_row + 1
        if result.needs_handoff:
            self._reset()
            return result
        escalated = self._signal(result) if result.flag else None
        if escalated is None and self.misunderstood_in_a_row >= 2:
            escalated = SafetyResult(
                "uncertain", "not_understood", result.matched, 2, escalation="misunderstood:2"
            )
        if escalated is not None:
            self._reset()
            return escalated
        return result

    def _signal(self, result: SafetyResult) -> Optional[SafetyResult]:
        flag = result.flag
        assert flag is not None
        previous = self.last_seen.get(flag)
        counts_for_repeat = flag in REPEAT_ESCALATES and (result.tier >= 1 or flag == "aggression")
        self.last_seen[flag] = self.turn
        if counts_for_repeat and previous is not None and self.turn - previous <= self.window:
            return SafetyResult("emotion", flag, result.matched, 2, escalation=f"repeated:{flag}")
        if flag in ACCUMULATES and flag not in self.signals:
            self.signals.append(flag)
        if len(self.signals) >= self.accumulate_threshold:
            return SafetyResult(
                "emotion", flag, result.matched, 2, escalation="accumulated:" + "+".join(self.signals)
            )
        return None

    def _reset(self) -> None:
        self.last_seen.clear()
        self.signals.clear()
        self.misunderstood_in_a_row = 0

    def to_dict(self) -> dict:
        return {
            "turn": self.turn,
            "last_seen": dict(self.last_seen),
            "signals": list(self.signals),
            "misunderstood_in_a_row": self.misunderstood_in_a_row,
        }

    @classmethod
    def from_dict(cls, data: Optional[dict], **settings) -> "SessionSafetyState":
        data = data or {}
        return cls(
            turn=int(data.get("turn", 0)),
            last_seen=dict(data.get("last_seen", {})),
            signals=list(data.get("signals", [])),
            misunderstood_in_a_row=int(data.get("misunderstood_in_a_row", 0)),
            **settings,
        )

"""Safety detector: every client message passes here before any other decision.

Public interface (architecture.md, "Safety"):

    detect(text, *, intent=None, confidence=None) -> SafetyResult
    SafetyResult(category, flag, matched, tier, escalation).handoff_reason
    SessionSafetyState().observe(result) -> SafetyResult   # docs/specs/safety.md §1.2 accumulation

Pure Python; the lexicons are YAML files in bot/safety/rules/.
"""

from bot.safety.detector import detect
from bot.safety.result import CATEGORIES, NO_SIGNAL, Category, HandoffReason, SafetyResult
from bot.safety.session_state import SessionSafetyState

__all__ = [
    "CATEGORIES",
    "Category",
    "HandoffReason",
    "NO_SIGNAL",
    "SafetyResult",
    "SessionSafetyState",
    "detect",
]

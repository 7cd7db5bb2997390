"""The phases of the toekomstgesprek, in order (docs/specs/conversation.md §1)."""

from __future__ import annotations

from typing import Optional

PHASES = ("verkennen", "kiezen", "verkrijgen", "afgerond")
FIRST_PHASE = PHASES[0]

# The Rasa form that asks the questions of each phase; afgerond has none.
PHASE_FORMS = {
    "verkennen": "verkennen_form",
    "kiezen": "kiezen_form",
    "verkrijgen": "verkrijgen_form",
}


# The bot's last words of a talk (domain.yml): not starting, stopping after a phase, "Nee,
# dank u" after the end, and the end of afgerond. The kiosk clears its screen a short while
# after one of them (api/pages.py, kiosk.js), so the next person does not read the talk.
TALK_ENDING_RESPONSES = ("utter_no_start", "utter_end_for_now", "utter_goodbye_final", "utter_goodbye_done")


def is_phase(value: object) -> bool:
    return value in PHASES


def next_phase(phase: str) -> str:
    """The phase after ``phase``; afgerond stays afgerond."""
    if phase not in PHASES:
        raise ValueError(f"unknown phase {phase!r}; expected one of {', '.join(PHASES)}")
    index = PHASES.index(phase)
    return PHASES[min(index + 1, len(PHASES) - 1)]


def previous_phase(phase: str) -> str:
    """Going back is normal (docs/specs/conversation.md §1): the phase before, or the first."""
    if phase not in PHASES:
        raise ValueError(f"unknown phase {phase!r}; expected one of {', '.join(PHASES)}")
    return PHASES[max(PHASES.index(phase) - 1, 0)]


def form_for_phase(phase: Optional[str]) -> Optional[str]:
    return PHASE_FORMS.get(phase or FIRST_PHASE)


def phase_of_form(form_name: Optional[str]) -> Optional[str]:
    for phase, form in PHASE_FORMS.items():
        if form == form_name:
            return phase
    return None

"""The second reflection after an answer: what it seems to mean, or how it links up.

MI reflects more than it asks (conversation.md §0.5: two reflections per
question, half of them complex). After the word reflection ("U zegt: …",
simple) the bot adds one that goes a step further (complex): a meaning or a
feeling ("Dat weegt zwaar voor u."), both sides of the ambivalence in the
client's own words ("Aan de ene kant …, aan de andere kant …"), or what a
ruler score seems to say. This module picks the response; the wording lives in
domain.yml (``utter_deepen_*``), so trainers can change it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, Mapping, Optional

from bot.conversation.normalise import fold
from bot.conversation.questions import is_real_answer
from bot.conversation.reflection import client_words

# Open questions whose answer gets a second, complex reflection (utter_deepen_<slot>).
DEEPENED_SLOTS = (
    "life_here", "family_here", "family_origin", "safety_origin", "origin_future",
    "medication_names", "origin_care", "work_experience", "education", "talents",
    "info_sources", "worries", "hopes", "reasons_for", "reasons_against",
    "family_expectations", "what_would_change", "goal", "goal_needs",
    "children_school", "children_language",
)

# An earlier answer that the second reflection links to, when the client gave one:
# slot -> (earlier slot, response).
LINKED = {
    "hopes": ("worries", "utter_deepen_hopes_after_worries"),
    "reasons_against": ("reasons_for", "utter_deepen_reasons_against_after_for"),
}

RULERS = ("importance", "confidence")
# Options whose reflection gets a second one (undecided's own reflection is already complex).
DEEPENED_OPTIONS = ("return_with_support", "return_independently", "stay_in_netherlands",
                    "onward_migration")
# Yes/no answers that carry more than the yes or no: (slot, answer).
DEEPENED_YES_NO = (("has_children", True),)
LINK_WORDS = 12  # a link quotes two answers: keep each short
LINKABLE_WORDS = 2  # fewer words than this ("nee", "slecht") are not quoted in a link

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")


@dataclass(frozen=True)
class Utterance:
    response: str
    params: Dict[str, Any] = field(default_factory=dict)


# An answer that starts like this has no content to give a meaning to ("niks, ik wil hier
# blijven" to "what would help?"): "daar hangt veel van af" would put words in the mouth.
_NOTHING_STARTS = ("niks", "niets", "nothing", "rien", "geen idee", "no idea", "weet niet", "weet ik niet")


def _says_nothing(answer: str) -> bool:
    folded = fold(answer)
    return any(folded == start or folded.startswith(start + " ") for start in _NOTHING_STARTS)


def after_answer(slot: str, answer: str, slot_values: Mapping[str, Any]) -> Optional[Utterance]:
    """The complex reflection that follows the word reflection of ``answer``, or None."""
    if slot not in DEEPENED_SLOTS or _says_nothing(answer):
        return None
    linked = LINKED.get(slot)
    if linked:
        earlier_slot, response = linked
        earlier = slot_values.get(earlier_slot)
        if is_real_answer(earlier):
            earlier_words = client_words(str(earlier), LINK_WORDS)
            words = client_words(answer, LINK_WORDS)
            if earlier_words and words:
                return Utterance(response, {"earlier": earlier_words, "words": words})
    return Utterance(f"utter_deepen_{slot}")


def after_option(option: str) -> Optional[Utterance]:
    """What the option the client named seems to mean to them (never a judgement of it)."""
    return Utterance(f"utter_deepen_option_{option}") if option in DEEPENED_OPTIONS else None


def after_yes_no(slot: str, answer: bool) -> Optional[Utterance]:
    if (slot, answer) not in DEEPENED_YES_NO:
        return None
    return Utterance(f"utter_deepen_{slot}_{'yes' if answer else 'no'}")


def ruler_band(score: int) -> str:
    if score <= 0:
        return "zero"
    if score <= 3:
        return "low"
    if score <= 6:
        return "middle"
    return "high"


def after_ruler(slot: str, score: int) -> Optional[Utterance]:
    """What a 0–10 score seems to say ("het is geen nul"), for importance and confidence."""
    if slot not in RULERS:
        return None
    return Utterance(f"utter_deepen_{slot}_{ruler_band(score)}")


def after_direction(direction: str, explanation: Any) -> Optional[Utterance]:
    """'Moeilijker'/'makkelijker' linked to the client's words for the factor."""
    if direction not in ("harder", "easier") or not is_real_answer(explanation):
        return None
    words = client_words(str(explanation))
    if len(words.split()) < LINKABLE_WORDS:
        # "Dus nee: dat maakt het moeilijker" reads as nonsense: the choice alone, given back.
        return Utterance(f"utter_reflect_direction_{direction}_plain")
    return Utterance(f"utter_reflect_direction_{direction}", {"words": words})


def dutch_date(day: date, today: date) -> str:
    """"7 december"; with the year when it is not this year ("3 maart 2027")."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def after_step_when(when: str, due: Optional[date], today: date) -> Optional[Utterance]:
    """'Wanneer: over twee weken. Dat is rond 7 december.' (the date as the plan has it)."""
    words = client_words(when)
    if not words:
        return None
    if due is not None:
        return Utterance("utter_reflect_step_when_date", {"words": words, "date": dutch_date(due, today)})
    return Utterance("utter_reflect_step_when", {"words": words})


def after_step_what(goal: Any) -> Optional[Utterance]:
    """A step linked to the goal the client set in kiezen, in the client's words."""
    if not is_real_answer(goal):
        return None
    words = client_words(str(goal), LINK_WORDS)
    return Utterance("utter_deepen_step_what_goal", {"goal": words}) if words else None


def after_step_who(who: str) -> Optional[Utterance]:
    words = client_words(who)
    return Utterance("utter_reflect_step_who", {"words": words}) if words else None

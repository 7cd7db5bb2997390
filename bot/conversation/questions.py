"""Which question fills which field of the persoonlijk actieplan.

Every form slot the client answers is listed here once, in the order it is
asked, with its phase, the plan path it is written to and how the raw answer
becomes a plan value. Actions use this table to write answers and to skip
questions that do not apply; the resume logic uses it to rebuild the slots from
a saved plan (so nothing is asked twice); the tests use it to check that
domain.yml asks every question.

Paths are the dotted paths of ``bot.plan`` (action-plan.md §6); a path that
ends in a list (``sections.support.supporters``, ``factors.overview_1``) gets one
item per answer (factor items are replaced by ``factor_key``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

# How an answer is turned into a plan value.
TEXT = "text"  # the client's words, as typed
TEXT_LIST = "text_list"  # the client's words as a one-item list (answer wrapper)
YES_NO = "yes_no"  # True / False
RULER = "ruler"  # 0..10
COUNTRY = "country"  # a country name, normalised where we recognise it
SUPPORTER = "supporter"  # an item of sections.support.supporters
MEDICINE = "medicine"  # an item of sections.health.care_checklist.medicines
WORRY = "worry"  # an item of sections.own_expectations.worries
FACTOR = "factor"  # an Overzicht 1 item: the client's words as explanation
DIRECTION = "direction"  # factor scoring, step 1: harder / easier / neither
AMOUNT = "amount"  # factor scoring, step 2: a little / quite / very
OPTION = "option"  # provisional_decision.option enum
ACTION_PART = "action_part"  # a part of an action item, written when confirmed
CONFIRM = "confirm"  # yes/no that gates a write
MORE = "more"  # "another one?" — steers the form, never written

# Overzicht 1 numbering (action-plan.md §4.2).
FACTOR_NUMBERS = {
    "asylum_procedure_outcome": 1, "origin_safety": 2, "origin_children": 3,
    "origin_housing": 4, "origin_work": 5, "origin_education": 6,
    "origin_family_network": 7, "origin_health_services": 8,
    "origin_social_norm_return": 9, "nl_safety": 10, "nl_children": 11,
    "nl_housing": 12, "nl_work": 13, "nl_education": 14, "nl_family_network": 15,
    "nl_health_services": 16, "nl_social_norm_staying": 17, "physical_health": 18,
    "mental_health": 19,
}

# Slot values that stand for "no answer, and do not ask again" / "weet ik niet" /
# "not asked because it does not apply or the client skipped it".
DECLINED = "__declined__"
UNKNOWN = "__unknown__"
SKIPPED = "__skipped__"
FROM_PLAN = "__from_plan__"  # settled in an earlier session; the plan holds the answer
NO_ANSWER_MARKERS = (DECLINED, UNKNOWN, SKIPPED, FROM_PLAN)
ANSWERED = "__answered__"  # condition value: "holds a real answer"

MAX_STEPS = 8  # action items per session; more is for the counsellor


@dataclass(frozen=True)
class Question:
    slot: str
    phase: str
    kind: str
    path: Optional[str] = None
    factor_key: Optional[str] = None
    place: Optional[str] = None  # supporters: netherlands | country_of_origin
    # Ask only if slot ``only_if[0]`` holds one of ``only_if[1]`` (ANSWERED: any real answer).
    only_if: Optional[Tuple[str, Tuple[Any, ...]]] = None


def _scored(slot: str, factor_key: str, phase: str = "verkennen") -> Tuple[Question, Question]:
    return (
        Question(f"{slot}_direction", phase, DIRECTION, "factors.overview_1",
                 factor_key=factor_key, only_if=(slot, (ANSWERED,))),
        Question(f"{slot}_amount", phase, AMOUNT, "factors.overview_1",
                 factor_key=factor_key, only_if=(f"{slot}_direction", ("harder", "easier"))),
    )


QUESTIONS: Tuple[Question, ...] = (
    # verkennen: life here first, then the country and family there (conversation.md §2)
    Question("life_here", "verkennen", FACTOR, "factors.overview_1", factor_key="nl_housing"),
    Question("family_here", "verkennen", SUPPORTER, "sections.support.supporters", place="netherlands"),
    Question("has_children", "verkennen", YES_NO, "sections.children.has_children"),
    Question("country_of_origin", "verkennen", COUNTRY, "client_info.country_of_origin"),
    Question("family_origin", "verkennen", FACTOR, "factors.overview_1", factor_key="origin_family_network"),
    *_scored("family_origin", "origin_family_network"),
    Question("safety_origin", "verkennen", FACTOR, "factors.overview_1", factor_key="origin_safety"),
    *_scored("safety_origin", "origin_safety"),
    Question("physical_complaints", "verkennen", YES_NO, "sections.health.physical_complaints"),
    Question("mental_complaints", "verkennen", YES_NO, "sections.health.mental_complaints"),
    Question("uses_medication", "verkennen", YES_NO, "sections.health.uses_medication"),
    Question("medication_names", "verkennen", MEDICINE, "sections.health.care_checklist.medicines",
             only_if=("uses_medication", (True,))),
    Question("talents", "verkennen", TEXT, "sections.background.talents"),
    Question("worries", "verkennen", WORRY, "sections.own_expectations.worries"),
    Question("hopes", "verkennen", TEXT_LIST, "sections.own_expectations.looking_forward_to"),
    # kiezen: the client's own options, reasons and rulers (conversation.md §1.2)
    Question("decision_option", "kiezen", OPTION, "provisional_decision.option"),
    Question("reasons_for", "kiezen", TEXT, "provisional_decision.reasons_for"),
    Question("reasons_against", "kiezen", TEXT, "provisional_decision.reasons_against"),
    Question("importance", "kiezen", RULER, "provisional_decision.importance"),
    Question("confidence", "kiezen", RULER, "provisional_decision.confidence"),
    Question("what_would_change", "kiezen", TEXT, "provisional_decision.what_would_change_it"),
    # verkrijgen: action items, one at a time: kind, what, who, when, "zal ik het opschrijven?"
    Question("step_kind", "verkrijgen", ACTION_PART),
    Question("step_what", "verkrijgen", ACTION_PART),
    Question("step_who", "verkrijgen", ACTION_PART, only_if=("step_what", (ANSWERED,))),
    Question("step_when", "verkrijgen", ACTION_PART, only_if=("step_what", (ANSWERED,))),
    Question("step_confirm", "verkrijgen", CONFIRM, "actions", only_if=("step_what", (ANSWERED,))),
    Question("more_steps", "verkrijgen", MORE),
)

STEP_SLOTS = ("step_kind", "step_what", "step_who", "step_when", "step_confirm", "more_steps")

_BY_SLOT: Dict[str, Question] = {q.slot: q for q in QUESTIONS}


def question(slot: str) -> Question:
    try:
        return _BY_SLOT[slot]
    except KeyError:
        raise KeyError(f"no question for slot {slot!r}") from None


def has_question(slot: str) -> bool:
    return slot in _BY_SLOT


def questions_for_phase(phase: str) -> List[Question]:
    return [q for q in QUESTIONS if q.phase == phase]


def slots_for_phase(phase: str) -> List[str]:
    return [q.slot for q in questions_for_phase(phase)]


def all_slots() -> Iterable[str]:
    return (q.slot for q in QUESTIONS)


def is_settled(value: Any) -> bool:
    """A slot is settled once it holds an answer, a 'weet ik niet' or a refusal."""
    return value is not None and value != ""


def is_real_answer(value: Any) -> bool:
    return is_settled(value) and value not in NO_ANSWER_MARKERS


def applies(q: Question, slot_values: Mapping[str, Any]) -> bool:
    """Whether ``q`` is to be asked, given the answers so far."""
    if q.only_if is None:
        return True
    slot, allowed = q.only_if
    value = slot_values.get(slot)
    if ANSWERED in allowed and is_real_answer(value):
        return True
    return value in [a for a in allowed if a != ANSWERED]


def active_slots(phase: str, slot_values: Mapping[str, Any]) -> List[str]:
    """The form's required slots for ``phase``: the questions that apply now."""
    return [q.slot for q in questions_for_phase(phase) if applies(q, slot_values)]


def next_unanswered(phase: str, slot_values: Mapping[str, Any]) -> Optional[str]:
    """The first question of ``phase`` that applies and is not settled (None = done)."""
    for slot in active_slots(phase, slot_values):
        if not is_settled(slot_values.get(slot)):
            return slot
    return None


SUMMARY_KINDS = (TEXT, TEXT_LIST, YES_NO, RULER, COUNTRY, SUPPORTER, MEDICINE, WORRY, FACTOR, OPTION)
# A phase summary stays short (MI: summarise what matters, in the client's words);
# the yes/no health answers are in "wat weet je over mij" and in the plan.
BRIEF_SUMMARY_KINDS = tuple(k for k in SUMMARY_KINDS if k not in (YES_NO, MEDICINE))


def answered_items(phase: str, slot_values: Mapping[str, Any],
                   kinds: Tuple[str, ...] = SUMMARY_KINDS) -> List[Tuple[str, Any]]:
    """(slot, value) of the questions of ``phase`` that hold a real answer, in order."""
    return [
        (q.slot, slot_values[q.slot]) for q in questions_for_phase(phase)
        if q.kind in kinds and is_real_answer(slot_values.get(q.slot))
    ]


def correctable_slots(slot_values: Mapping[str, Any]) -> List[str]:
    """Questions the client may change: those with a real answer (the plan keeps the old
    one until the new one replaces it)."""
    return [slot for phase in ("verkennen", "kiezen") for slot, _ in answered_items(phase, slot_values)]


def _factor_item(q: Question, explanation: Optional[str], status: str,
                 score: Optional[int] = None) -> Dict[str, Any]:
    return {
        "factor_no": FACTOR_NUMBERS[q.factor_key],
        "factor_key": q.factor_key,
        "score": score,
        "status": status,
        "explanation": explanation,
    }


def plan_write(slot: str, value: Any, slot_values: Optional[Mapping[str, Any]] = None) -> Tuple[str, Any]:
    """The (path, value) to hand to ``bot.plan.service.record_answer`` for an answer.

    ``value`` is the client's (already normalised) answer: text, bool, int, an
    option or — for AMOUNT — the score (−3..3) already computed; list paths get a
    whole item. ``slot_values`` gives the other answers a factor item needs.
    """
    q = question(slot)
    values = slot_values or {}
    if q.path is None or q.kind in (ACTION_PART, CONFIRM, MORE):
        raise ValueError(f"slot {slot!r} is not written on its own")
    if q.kind == SUPPORTER:
        from bot.conversation.normalise import supporter_category

        return q.path, {"category": supporter_category(str(value)), "who": str(value),
                        "helps_with": None, "where": q.place}
    if q.kind == FACTOR:
        return q.path, _factor_item(q, str(value), "answered")
    if q.kind in (DIRECTION, AMOUNT):
        source = _explanation_slot(q)
        explanation = values.get(source)
        score = value if q.kind == AMOUNT else None  # neither/unknown: no score
        return q.path, _factor_item(q, explanation if is_real_answer(explanation) else None,
                                    "answered", score)
    if q.kind == MEDICINE:
        return q.path, {"substance": str(value)}
    if q.kind == WORRY:
        return q.path, {"worry": str(value)}
    if q.kind == TEXT_LIST:
        return q.path, [str(value)]
    return q.path, value


def _explanation_slot(q: Question) -> str:
    return q.slot.rsplit("_", 1)[0]


def plan_no_answer(slot: str, status: str) -> Optional[Tuple[str, Any, str]]:
    """(path, value, write_status) that records a refusal or a 'weet ik niet'.

    Plain answers get ``status`` on their answer wrapper (value None). Factor items
    are list items with a status of their own: the item carries ``status`` and is
    written as an ordinary item. None: the plan has no place for it (a list of
    helpers holds only helpers); the transcript still holds the client's words.
    """
    q = question(slot)
    if q.kind == FACTOR:
        return q.path, _factor_item(q, None, status), "answered"
    if q.kind in (SUPPORTER, MEDICINE, WORRY, DIRECTION, AMOUNT):
        return None
    if q.path is None or q.kind in (ACTION_PART, CONFIRM, MORE):
        raise ValueError(f"slot {slot!r} is not written on its own")
    return q.path, None, status


# --- rebuilding slots from a saved plan (resume by client_ref) -----------------
_STATUS_MARKERS = {"declined": DECLINED, "unknown": UNKNOWN, "not_applicable": SKIPPED}


def _get(plan: Mapping[str, Any], path: str) -> Any:
    node: Any = plan
    for part in path.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def _from_wrapper(node: Any) -> Any:
    if not isinstance(node, Mapping):
        return None
    status = node.get("status")
    if status == "answered":
        value = node.get("value")
        return ", ".join(value) if isinstance(value, list) else value
    return _STATUS_MARKERS.get(status)


def slot_values_from_plan(plan: Mapping[str, Any]) -> Dict[str, Any]:
    """Slots for the answers a plan already holds, so a returning client is not
    asked again. Only settled questions appear in the result."""
    values: Dict[str, Any] = {}
    factors = {f.get("factor_key"): f for f in _get(plan, "factors.overview_1") or []
               if isinstance(f, Mapping)}
    for q in QUESTIONS:
        value: Any = None
        if q.kind == FACTOR:
            item = factors.get(q.factor_key)
            if item:
                value = item.get("explanation") if item.get("status") == "answered" else \
                    _STATUS_MARKERS.get(item.get("status"))
        elif q.kind in (DIRECTION, AMOUNT):
            # Scoring is optional and asked once, right after the answer: a factor the
            # plan already holds is not scored again in a later session.
            item = factors.get(q.factor_key)
            if item and (item.get("score") is not None or item.get("status") == "answered"):
                value = FROM_PLAN
        elif q.kind == SUPPORTER:
            whos = [s.get("who") for s in _get(plan, q.path) or []
                    if isinstance(s, Mapping) and s.get("where") == q.place and s.get("who")]
            value = ", ".join(whos) or None
        elif q.kind == MEDICINE:
            value = ", ".join(m.get("substance", "") for m in _get(plan, q.path) or []) or None
        elif q.kind == WORRY:
            value = ", ".join(w.get("worry", "") for w in _get(plan, q.path) or []) or None
        elif q.path and q.kind not in (ACTION_PART, CONFIRM, MORE):
            value = _from_wrapper(_get(plan, q.path))
        if value is not None:
            values[q.slot] = value
    return values

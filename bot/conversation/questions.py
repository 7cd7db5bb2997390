"""Which question fills which field of the persoonlijk actieplan.

Every form slot the client answers is listed here once, in the order it is
asked, with its phase, the plan path it is written to and how the raw answer
becomes a plan value. Actions use this table to write answers and to skip
questions that do not apply; the resume logic uses it to rebuild the slots from
a saved plan (so nothing is asked twice); the tests use it to check that
domain.yml asks every question.

Paths are the dotted paths of ``bot.plan`` (docs/specs/action-plan.md §6); a path that
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
EXPERIENCE = "experience"  # an education / work_experience item, with where it was
SOURCE = "source"  # information sources: one item per kind of source named
GOAL = "goal"  # a sections.goals item (domain from the words, where from the option)
NEED = "need"  # a sections.goal_needs item for the goal just named
EXPECTATIONS = "expectations"  # §8: had_expectations + expectations, in the client's words
INFO_OFFER = "info_offer"  # "Mag ik u iets vertellen over …?" — information only with permission
WHY = "why"  # "Waarom een 7 en niet een 4?" after a ruler: the words become the score's note

# "Maakt dit teruggaan moeilijker of makkelijker?" is asked once per talk (the first topic
# that has an answer), and not at all once the client said they will not go back or
# pushed back on it: slot RETURN_SCORING holds DONE or DECLINED.
RETURN_SCORING = "return_scoring"
SCORING_DONE, SCORING_DECLINED = "done", "declined"

# Overzicht 1 numbering (docs/specs/action-plan.md §4.2).
FACTOR_NUMBERS = {
    "asylum_procedure_outcome": 1,
    "origin_safety": 2,
    "origin_children": 3,
    "origin_housing": 4,
    "origin_work": 5,
    "origin_education": 6,
    "origin_family_network": 7,
    "origin_health_services": 8,
    "origin_social_norm_return": 9,
    "nl_safety": 10,
    "nl_children": 11,
    "nl_housing": 12,
    "nl_work": 13,
    "nl_education": 14,
    "nl_family_network": 15,
    "nl_health_services": 16,
    "nl_social_norm_staying": 17,
    "physical_health": 18,
    "mental_health": 19,
}

# Slot values that stand for "no answer, and do not ask again" / "weet ik niet" /
# "not asked because it does not apply or the client skipped it".
DECLINED = "__declined__"
UNKNOWN = "__unknown__"
SKIPPED = "__skipped__"
FROM_PLAN = "__from_plan__"  # settled in an earlier session; the plan holds the answer
NOTHING = "niets"  # "my family expects nothing": a real answer, restored as the client's word
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
    # … and only if at least one of these slots holds True (health care: any complaint).
    only_if_any: Tuple[str, ...] = ()
    # … and not if slot ``not_if[0]`` holds one of ``not_if[1]``.
    not_if: Optional[Tuple[str, Tuple[Any, ...]]] = None

    def depends_on(self) -> Tuple[str, ...]:
        """The slots whose answers decide whether this question is asked."""
        slots = list(self.only_if_any)
        for condition in (self.only_if, self.not_if):
            if condition:
                slots.append(condition[0])
        return tuple(slots)


def _scored(slot: str, factor_key: str, phase: str = "verkennen") -> Tuple[Question, Question]:
    return (
        Question(
            f"{slot}_direction",
            phase,
            DIRECTION,
            "factors.overview_1",
            factor_key=factor_key,
            only_if=(slot, (ANSWERED,)),
        ),
        Question(
            f"{slot}_amount",
            phase,
            AMOUNT,
            "factors.overview_1",
            factor_key=factor_key,
            only_if=(f"{slot}_direction", ("harder", "easier")),
        ),
    )


HEALTH_COMPLAINTS = ("physical_complaints", "mental_complaints", "uses_medication")
STAYING = ("stay_in_netherlands",)

QUESTIONS: Tuple[Question, ...] = (
    # verkennen: life here first, then the country and family there (docs/specs/conversation.md §2),
    # the Overzicht 1 factors of the country of origin and health, strengths, sources.
    Question("life_here", "verkennen", FACTOR, "factors.overview_1", factor_key="nl_housing"),
    Question("family_here", "verkennen", SUPPORTER, "sections.support.supporters", place="netherlands"),
    Question("has_children", "verkennen", YES_NO, "sections.children.has_children"),
    Question("country_of_origin", "verkennen", COUNTRY, "client_info.country_of_origin"),
    Question("family_origin", "verkennen", FACTOR, "factors.overview_1", factor_key="origin_family_network"),
    *_scored("family_origin", "origin_family_network"),
    Question("safety_origin", "verkennen", FACTOR, "factors.overview_1", factor_key="origin_safety"),
    # §5: worried about safety on return? "ja" keeps the words just said as the worry.
    Question(
        "safety_worried",
        "verkennen",
        YES_NO,
        "sections.safety.worried",
        only_if=("safety_origin", (ANSWERED,)),
    ),
    *_scored("safety_origin", "origin_safety"),
    Question("origin_future", "verkennen", FACTOR, "factors.overview_1", factor_key="origin_work"),
    *_scored("origin_future", "origin_work"),
    Question("physical_complaints", "verkennen", YES_NO, "sections.health.physical_complaints"),
    Question("mental_complaints", "verkennen", YES_NO, "sections.health.mental_complaints"),
    Question("uses_medication", "verkennen", YES_NO, "sections.health.uses_medication"),
    Question(
        "medication_names",
        "verkennen",
        MEDICINE,
        "sections.health.care_checklist.medicines",
        only_if=("uses_medication", (True,)),
    ),
    Question(
        "origin_care",
        "verkennen",
        FACTOR,
        "factors.overview_1",
        factor_key="origin_health_services",
        only_if_any=HEALTH_COMPLAINTS,
    ),
    *_scored("origin_care", "origin_health_services"),
    Question("work_experience", "verkennen", EXPERIENCE, "sections.background.work_experience"),
    Question("education", "verkennen", EXPERIENCE, "sections.background.education"),
    Question("talents", "verkennen", TEXT, "sections.background.talents"),
    Question("info_sources", "verkennen", SOURCE, "sections.information.current_sources"),
    Question("worries", "verkennen", WORRY, "sections.own_expectations.worries"),
    Question("hopes", "verkennen", TEXT_LIST, "sections.own_expectations.looking_forward_to"),
    # kiezen: the client's own options, reasons, what others expect, rulers, a goal (§1.2)
    Question("decision_option", "kiezen", OPTION, "provisional_decision.option"),
    Question("reasons_for", "kiezen", TEXT, "provisional_decision.reasons_for"),
    Question("reasons_against", "kiezen", TEXT, "provisional_decision.reasons_against"),
    Question("family_expectations", "kiezen", EXPECTATIONS, "sections.expectations_left_behind.expectations"),
    Question("importance", "kiezen", RULER, "provisional_decision.importance"),
    Question(
        "importance_why",
        "kiezen",
        WHY,
        "provisional_decision.importance",
        only_if=("importance", tuple(range(1, 11))),
    ),
    Question("confidence", "kiezen", RULER, "provisional_decision.confidence"),
    Question(
        "confidence_why",
        "kiezen",
        WHY,
        "provisional_decision.confidence",
        only_if=("confidence", tuple(range(1, 11))),
    ),
    Question("what_would_change", "kiezen", TEXT, "provisional_decision.what_would_change_it"),
    Question("support_info", "kiezen", INFO_OFFER),
    Question("goal", "kiezen", GOAL, "sections.goals.items"),
    Question("goal_needs", "kiezen", NEED, "sections.goal_needs.items", only_if=("goal", (ANSWERED,))),
    # verkrijgen: action items, one at a time: kind, what, who, when, "zal ik het opschrijven?"
    Question("step_kind", "verkrijgen", ACTION_PART),
    Question("step_what", "verkrijgen", ACTION_PART),
    Question("step_who", "verkrijgen", ACTION_PART, only_if=("step_what", (ANSWERED,))),
    Question("step_when", "verkrijgen", ACTION_PART, only_if=("step_what", (ANSWERED,))),
    Question("step_confirm", "verkrijgen", CONFIRM, "actions", only_if=("step_what", (ANSWERED,))),
    Question("more_steps", "verkrijgen", MORE),
    # … then what the plan needs beyond the steps: children (only if they would move with
    # the client), follow-up and consent to share the plan (docs/specs/action-plan.md §4, §11, §12).
    Question(
        "children_school",
        "verkrijgen",
        TEXT,
        "sections.children.school",
        only_if=("has_children", (True,)),
        not_if=("decision_option", STAYING),
    ),
    Question(
        "children_language",
        "verkrijgen",
        TEXT,
        "sections.children.language_skills",
        only_if=("has_children", (True,)),
        not_if=("decision_option", STAYING),
    ),
    Question("wants_guidance", "verkrijgen", YES_NO, "sections.monitoring.wants_guidance"),
    Question("consent_share", "verkrijgen", YES_NO, "consent.share_with_organisations"),
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


def _holds(value: Any, allowed: Tuple[Any, ...]) -> bool:
    if ANSWERED in allowed and is_real_answer(value):
        return True
    return value in [a for a in allowed if a != ANSWERED]


def lower_score(score: int) -> int:
    """The lower number of "Waarom een 7 en niet een 4?" (MI ruler follow-up)."""
    return max(0, int(score) - 3)


def applies(q: Question, slot_values: Mapping[str, Any]) -> bool:
    """Whether ``q`` is to be asked, given the answers so far."""
    if (
        q.kind == DIRECTION
        and not is_settled(slot_values.get(q.slot))
        and slot_values.get(RETURN_SCORING) in (SCORING_DONE, SCORING_DECLINED)
    ):
        return False  # once per talk, and never after "ik ga niet terug"
    if q.only_if is not None and not _holds(slot_values.get(q.only_if[0]), q.only_if[1]):
        return False
    if q.only_if_any and not any(slot_values.get(slot) is True for slot in q.only_if_any):
        return False
    if q.not_if is not None and _holds(slot_values.get(q.not_if[0]), q.not_if[1]):
        return False
    return True


def active_slots(phase: str, slot_values: Mapping[str, Any]) -> List[str]:
    """The form's required slots for ``phase``: the questions that apply now."""
    return [q.slot for q in questions_for_phase(phase) if applies(q, slot_values)]


def next_unanswered(phase: str, slot_values: Mapping[str, Any]) -> Optional[str]:
    """The first question of ``phase`` that applies and is not settled (None = done)."""
    for slot in active_slots(phase, slot_values):
        if not is_settled(slot_values.get(slot)):
            return slot
    return None


SUMMARY_KINDS = (
    TEXT,
    TEXT_LIST,
    YES_NO,
    RULER,
    COUNTRY,
    SUPPORTER,
    MEDICINE,
    WORRY,
    FACTOR,
    OPTION,
    EXPERIENCE,
    SOURCE,
    GOAL,
    NEED,
    EXPECTATIONS,
)
# A phase summary stays short (MI: summarise what matters, in the client's words);
# the yes/no health answers are in "wat weet je over mij" and in the plan.
BRIEF_SUMMARY_KINDS = tuple(k for k in SUMMARY_KINDS if k not in (YES_NO, MEDICINE, EXPERIENCE, SOURCE, NEED))


def answered_items(
    phase: str, slot_values: Mapping[str, Any], kinds: Tuple[str, ...] = SUMMARY_KINDS
) -> List[Tuple[str, Any]]:
    """(slot, value) of the questions of ``phase`` that hold a real answer, in order."""
    return [
        (q.slot, slot_values[q.slot])
        for q in questions_for_phase(phase)
        if q.kind in kinds and is_real_answer(slot_values.get(q.slot))
    ]


def correctable_slots(slot_values: Mapping[str, Any]) -> List[str]:
    """Questions the client may change: those with a real answer (the plan keeps the old
    one until the new one replaces it)."""
    return [
        slot
        for phase in ("verkennen", "kiezen", "verkrijgen")
        for slot, _ in answered_items(phase, slot_values)
    ]


def _factor_item(
    q: Question, explanation: Optional[str], status: str, score: Optional[int] = None
) -> Dict[str, Any]:
    if q.factor_key is None:
        raise ValueError(f"question {q.slot!r} has no factor_key")
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
    For kinds that write more than one field use ``plan_writes``.
    """
    writes = plan_writes(slot, value, slot_values)
    if len(writes) != 1:
        raise ValueError(f"slot {slot!r} writes {len(writes)} fields; use plan_writes")
    return writes[0]


def plan_writes(
    slot: str, value: Any, slot_values: Optional[Mapping[str, Any]] = None
) -> List[Tuple[str, Any]]:
    """Every (path, value) an answer writes, in order (see ``plan_write``)."""
    from bot.conversation import normalise

    q = question(slot)
    values = slot_values or {}
    if q.path is None or q.kind in (ACTION_PART, CONFIRM, MORE, INFO_OFFER, WHY):
        raise ValueError(f"slot {slot!r} is not written on its own")
    text = str(value)
    if q.kind == SUPPORTER:
        return [
            (
                q.path,
                {
                    "category": normalise.supporter_category(text),
                    "who": text,
                    "helps_with": None,
                    "where": q.place,
                },
            )
        ]
    if q.kind == FACTOR:
        return [(q.path, _factor_item(q, text, "answered"))]
    if q.kind in (DIRECTION, AMOUNT):
        source = _explanation_slot(q)
        explanation = values.get(source)
        score = value if q.kind == AMOUNT else None  # neither/unknown: no score
        return [
            (q.path, _factor_item(q, explanation if is_real_answer(explanation) else None, "answered", score))
        ]
    if q.kind == MEDICINE:
        return [(q.path, {"substance": text})]
    if q.kind == WORRY:
        return [(q.path, {"worry": text})]
    if q.kind == TEXT_LIST:
        return [(q.path, [text])]
    if q.kind == EXPERIENCE:
        if normalise.is_no_experience(text):
            return []  # "nog niet gewerkt": nothing for the list; the transcript keeps it
        place = normalise.experience_place(text, values.get("country_of_origin"))
        return [(q.path, {"description": text, "where": place})]
    if q.kind == SOURCE:
        if normalise.is_nothing(text):
            return []  # no source named: the transcript keeps the words
        return [(q.path, {"type": kind, "description": text}) for kind in normalise.source_types(text)]
    if q.kind == GOAL:
        item = {
            "id": values.get("goal_id") or "g-1",
            "domain": normalise.goal_domain(text),
            "description": text,
        }
        option = values.get("decision_option")
        where = OPTION_PLACES.get(option) if option is not None else None
        return [(q.path, {**item, "where": where} if where else item)]
    if q.kind == NEED:
        goal_text = values.get("goal")
        domain = normalise.goal_domain(str(goal_text)) if is_real_answer(goal_text) else "other"
        return [
            (
                q.path,
                {
                    "goal_id": values.get("goal_id") or "g-1",
                    "domain": domain,
                    "aspect": normalise.need_aspect(text),
                    "description": text,
                },
            )
        ]
    if q.kind == EXPECTATIONS:
        if normalise.is_nothing(text):
            return [("sections.expectations_left_behind.had_expectations", False)]
        return [("sections.expectations_left_behind.had_expectations", True), (q.path, text)]
    if q.slot == "safety_worried" and value is True and is_real_answer(values.get("safety_origin")):
        return [(q.path, True), ("sections.safety.worries", str(values["safety_origin"]))]
    return [(q.path, value)]


# Where a goal lies, from the provisional decision (undecided: not known yet).
OPTION_PLACES = {
    "return_with_support": "country_of_origin",
    "return_independently": "country_of_origin",
    "stay_in_netherlands": "netherlands",
    "onward_migration": "elsewhere",
}
# List questions that are the only client question of their section: a refusal is
# kept as the section's status, so a later session does not ask again.
DECLINED_SECTIONS = {"info_sources": "information", "goal": "goals", "goal_needs": "goal_needs"}


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
        return _path(q), _factor_item(q, None, status), "answered"
    if q.kind in (
        SUPPORTER,
        MEDICINE,
        WORRY,
        DIRECTION,
        AMOUNT,
        EXPERIENCE,
        SOURCE,
        GOAL,
        NEED,
        INFO_OFFER,
        WHY,
    ):
        return None
    if q.path is None or q.kind in (ACTION_PART, CONFIRM, MORE):
        raise ValueError(f"slot {slot!r} is not written on its own")
    return q.path, None, status


# --- rebuilding slots from a saved plan (resume by client_ref) -----------------
# Looked up with whatever "status" a saved plan holds (None when it has none).
_STATUS_MARKERS: Dict[Optional[str], str] = {
    "declined": DECLINED,
    "unknown": UNKNOWN,
    "not_applicable": SKIPPED,
}


def _path(q: Question) -> str:
    """The plan path of a question whose kind always has one."""
    if q.path is None:
        raise ValueError(f"question {q.slot!r} has no plan path")
    return q.path


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
    factors = {
        f.get("factor_key"): f for f in _get(plan, "factors.overview_1") or [] if isinstance(f, Mapping)
    }
    for q in QUESTIONS:
        value: Any = None
        if q.kind == FACTOR:
            item = factors.get(q.factor_key)
            if item:
                value = (
                    item.get("explanation")
                    if item.get("status") == "answered"
                    else _STATUS_MARKERS.get(item.get("status"))
                )
        elif q.kind in (DIRECTION, AMOUNT):
            # Scoring is optional and asked once, right after the answer: a factor the
            # plan already holds is not scored again in a later session.
            item = factors.get(q.factor_key)
            if item and (item.get("score") is not None or item.get("status") == "answered"):
                value = FROM_PLAN
        elif q.kind == SUPPORTER:
            whos = [
                s["who"]
                for s in _get(plan, _path(q)) or []
                if isinstance(s, Mapping) and s.get("where") == q.place and s.get("who")
            ]
            value = ", ".join(whos) or None
        elif q.kind == MEDICINE:
            value = ", ".join(m.get("substance", "") for m in _get(plan, _path(q)) or []) or None
        elif q.kind == WORRY:
            value = ", ".join(w.get("worry", "") for w in _get(plan, _path(q)) or []) or None
        elif q.kind in (EXPERIENCE, SOURCE, GOAL, NEED):
            described = [
                i["description"]
                for i in _get(plan, _path(q)) or []
                if isinstance(i, Mapping) and i.get("description")
            ]
            value = ", ".join(dict.fromkeys(described)) or None
            section = DECLINED_SECTIONS.get(q.slot)
            if value is None and section and _get(plan, f"sections.{section}.status") == "declined":
                value = DECLINED
        elif q.kind == WHY:
            node = _get(plan, _path(q))
            value = node.get("note") if isinstance(node, Mapping) else None
        elif q.kind == EXPECTATIONS:
            value = _from_wrapper(_get(plan, _path(q)))
            if (
                value is None
                and _from_wrapper(_get(plan, "sections.expectations_left_behind." "had_expectations"))
                is False
            ):
                value = NOTHING
        elif q.path and q.kind not in (ACTION_PART, CONFIRM, MORE):
            value = _from_wrapper(_get(plan, q.path))
        if value is not None:
            values[q.slot] = value
    return values


def steps_from_plan(plan: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """The steps the client agreed to in earlier sessions and did not remove, so the
    summary shows the whole plan and the client can still change them."""
    steps = []
    for action in plan.get("actions") or []:
        if (
            isinstance(action, Mapping)
            and action.get("agreed_by_client")
            and action.get("status") not in ("dropped", "done")
            and action.get("id")
        ):
            steps.append(
                {
                    "id": action["id"],
                    "what": action.get("description"),
                    "who": action.get("owner_name"),
                    "when": action.get("due_text"),
                }
            )
    return steps

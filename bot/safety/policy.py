"""The safety policy: every rule that decides what happens to a client message, in one place.

One client message in, one reading out (``assess``): what the detectors saw, read as an
answer to the question the bot asked, with the decision and its reason. The Rasa NLU
component (``rasa_plugins/safety_classifier.py``) and the API (``api/turns.py``) both call
it; after the turn the API feeds it to the session's accumulation (``after_turn``) and
picks the hand-off from every source (``handoff_reason``). The rules, in order:

====================================================  ===============  ==============
what was seen                                          action           hand-off
====================================================  ===============  ==============
the kiosk's own "a person" button                      ``hand_over``    request
lexicon or concepts: crisis (T3)                       ``crisis``       crisis
learned second opinion: crisis, nothing harmless seen  ``crisis``       crisis
request for a person (lexicon, concepts, classifier)   ``hand_over``    request
... but it is the content of the answer ("hulp" to     ``offer_person`` none (offer)
"wat heeft u nodig?"; ``answer_context``)
lexicon: strong emotion, minor, capacity (T2)          ``hand_over``    emotion/uncertain
a feeling, a loss, fear, pain or tears (T1 with a      ``offer_person`` none (offer)
kind), or the second opinion hears distress
another T1 signal (sleep, somatic, …)                  ``note``         none (flagged)
nothing                                                ``continue``     none
====================================================  ===============  ==============

After the turn (``after_turn``): a T1 signal back within three turns, three different
well-being signals, or two misunderstood turns in a row hand over (``session_state``).
A crisis from any source wins over every other reason (``handoff_reason``).

Fail safe: when the second opinion cannot run, the lexicon still decides; when the
lexicon fails, the API's copy of this policy still runs (``api/turns.py``); when Rasa is
down, the API hands over. When unsure between a person and going on, a person.
The rules are specified in docs/specs/safety.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Optional, Sequence

from bot.safety import answer_context
from bot.safety.detector import detect
from bot.safety.result import Category, SafetyResult
from bot.safety.session_state import SessionSafetyState

log = logging.getLogger(__name__)

REQUEST_BUTTON = "/request_human"
# Actions, from the most to the least urgent.
CRISIS, HAND_OVER, OFFER_PERSON, NOTE, CONTINUE = "crisis", "hand_over", "offer_person", "note", "continue"
ACTIONS = (CRISIS, HAND_OVER, OFFER_PERSON, NOTE, CONTINUE)
# The empathic line for a feeling without its own kind (domain.yml utter_empathy_<kind>).
GENERAL_KIND = "general"
FEELING_KINDS = frozenset(
    {
        "grief",
        "longing",
        "fear",
        "shame",
        "anger",
        "loneliness",
        "sadness",
        "crying",
        "hopelessness",
        "trauma",
        "overwhelmed",
        "pain",
        "worry",
        GENERAL_KIND,
    }
)
# Flags that carry a feeling when the detector named no kind (older lexicon entries).
_FLAG_KINDS = {
    "hopelessness": "hopelessness",
    "trauma": "trauma",
    "depression": "sadness",
    "distress": "overwhelmed",
    "aggression": "anger",
    "safety_fear": "fear",
    "somatic": "pain",
    "sleep": "overwhelmed",
    "withdrawal": "sadness",
    "death_talk": "grief",
}
# The learned second opinion heard distress the lexicon did not name.
SECOND_OPINION_EMOTION = "second_opinion_emotion"
# Signals that are logged for the counsellor without an offer (T1, no feeling).
_NOTE_ONLY_FLAGS = frozenset({"distrust", "other_complaints", "substance", "suicide_denied"})


# How sure the learned second opinion must be before it raises a reading on its own.
# Its own thresholds (chosen on a split of its own corpus) sent one ordinary answer in six
# to a person ("ga terug", "Makkelijker", "wie leest dit"); measured on set C after its first
# look (bench/safety_sets/) and on the assistant's training answers, 0.6 keeps most of the
# crises it adds to the rules (48 of 69) at under 1 % false alarms on ordinary answers; 0.65
# for a crisis after set E (one crisis fewer there, two ordinary answers fewer handed off).
SURE = {"crisis": 0.65, "request": 0.6, "emotion": 0.5}
# A crisis heard by the second opinion alone needs a word of its kind in the text (death, harm,
# a method, a place, danger, goodbye, self, now, someone else, voices: rules/concepts.yml), or
# the model must be very sure: it took "wil niet zeggen" and "ik ga nooit meer terug" (declining
# and pushback, answers to the coach) for a wish to die. Measured after set D's first look.
# "moet" (COMMAND) is no cue on its own: "wat moet ik meenemen als ik terug ga" read as a crisis
# after the round-4 corpus (set E's dev check); commanding voices still count through VOICE.
CRISIS_CUES = frozenset(
    {
        "DEATH",
        "SUICIDE",
        "HARM",
        "LETHAL",
        "WEAPON",
        "THREAT",
        "VOICE",
        "DANGER",
        "FIRE",
        "GOODBYE",
        "GIVE_AWAY",
        "NOT_NEEDED",
        "PASSIVE",
        "MEDICAL",
        "F_HOPELESS",
        "INJURE",
        "SELF_HIT",
        "WOUND",
        "NO_RETURN",
        "WATER_IN",
        "KILL_OTHER",
        "LEAVING",
        "FEVER",
        "SAID_TO_DO",
        "ORDER_SOURCE",
        "IN_HEAD",
    }
)
# A past event or a move with only everyday words ("van een dak gevallen toen ik 10 was",
# "mijn vriend heeft afscheid genomen, hij gaat naar duitsland") is no cue.
CALM_CUES = frozenset({"PAST", "RETURN_PLACE"})
# Everyday words in this talk that still count as a cue (medicines, places, "now", "myself").
# Requiring two of them lost 4 of set E's crises for one ordinary answer fewer: not worth it.
# "niet meer volhouden" (F_OVERWHELMED) counts too: with "moet" no longer a cue (round 4), a farewell
# to the children that only said it was lost.
WEAK_CRISIS_CUES = frozenset({"METHOD", "PLACE", "ACT", "SELF", "NOW", "PERSON3", "SPEECH", "F_OVERWHELMED"})
SURE_WITHOUT_CUE = 0.9
# A request heard by the second opinion alone needs a person, a call, help or a language in the
# text: "ik wil toch praten" (to "Zullen we beginnen?") is a yes to the talk, and "ik zoek een
# computercursus" a wish, not a wish for a person (a bare wish or question word is no cue, round 4).
REQUEST_CUES = frozenset(
    {
        "REQUEST_PERSON",
        "PERSON3",
        "REQUEST_CALL",
        "REQUEST_LANGUAGE",
        "REQUEST_HELP",
        "REQUEST_POLITE",
        "HELP_WORD",
        "NO_MACHINE",
    }
)
# A counsellor who said or did something ("de mevrouw van het COA zei dat ik dinsdag moet komen")
# is reported, not asked for: no request from the second opinion.
REQUEST_VETO = frozenset({"REPORTED"})


@dataclass(frozen=True)
class Opinion:
    """The learned second opinion on one text (``bot/safety/classifier.py``)."""

    crisis: bool = False
    emotion: bool = False
    request: bool = False
    scores: Optional[Dict[str, float]] = None


NO_OPINION = Opinion()
SecondOpinion = Callable[[str], Opinion]
Detector = Callable[..., SafetyResult]


def classifier_opinion(text: str) -> Opinion:
    """The trained classifier's opinion; no opinion when it cannot run (the lexicon still decides)."""
    try:
        from bot.safety import classifier

        seen = classifier.second_opinion(text)
    except Exception:  # never lose a message over the second opinion
        log.exception("safety classifier failed; the lexicon decides alone")
        return NO_OPINION
    return Opinion(
        crisis=bool(getattr(seen, "crisis", False)),
        emotion=bool(getattr(seen, "emotion", False)),
        request=bool(getattr(seen, "request", False)),
        scores=getattr(seen, "scores", None),
    )


def _kind_of(result: SafetyResult) -> Optional[str]:
    if result.flag == SECOND_OPINION_EMOTION:
        return GENERAL_KIND
    kind = getattr(result, "kind", None)
    if kind in FEELING_KINDS:
        return kind
    if kind:  # a kind this policy has no line for: the general one
        return GENERAL_KIND
    return _FLAG_KINDS.get(result.flag or "")


def _raised(
    result: SafetyResult, category: Category, flag: Optional[str], tier: int, why: str, text: str
) -> SafetyResult:
    return SafetyResult(category, flag, (result.matched or text.strip())[:200], tier, escalation=why)


def _harmless_use(result: SafetyResult, text: str) -> bool:
    """The lexicon recognised an alarming word used harmlessly ("mijn telefoon is dood")."""
    try:
        from bot.safety.detector import scan

        return any(not hit.flag for hit in scan(text))
    except Exception:  # pragma: no cover - scan is detect's own first step
        return False


# Questions whose answers are a word or two picked from a scale or a choice ("Heel veel",
# "Makkelijker", "ja, insuline"): the model reads those from their letters alone and took
# them for a crisis (bench/mi_report.py, adaptive clients); the lexicon still reads them.
_CHOICE_KINDS = frozenset(
    {"yes_no", "direction", "amount", "ruler", "option", "confirm", "more", "info_offer"}
)
MIN_WORDS = 3


def _worth_a_second_opinion(text: str, asked_slot: Optional[str] = None) -> bool:
    """Three words or more (or one long glued word), and not the answer to a choice question."""
    words = text.split()
    if not (len(words) >= MIN_WORDS or (len(words) == 1 and len(words[0]) >= 12)):
        return False
    if asked_slot:
        from bot.conversation import questions

        if questions.has_question(asked_slot) and questions.question(asked_slot).kind in _CHOICE_KINDS:
            return False
    return True


def _cued(text: str, opinion: Opinion, label: str, wanted: frozenset) -> bool:
    """The text names something of the label's kind, or (a crisis) the model is very sure."""
    if opinion.scores is None or (
        label == "crisis" and float(opinion.scores.get(label, 0.0)) >= SURE_WITHOUT_CUE
    ):
        return True
    try:
        from bot.safety.concepts import cues
        from bot.safety.normalise import normalise

        found = cues(normalise(text))
        if label == "crisis":
            if found & CALM_CUES and not found & wanted:
                return False
            return bool(found & (wanted | WEAK_CRISIS_CUES))
        if label == "request" and found & REQUEST_VETO:
            return False
        return bool(found & wanted)
    except Exception:  # the cue table failed to load: trust the second opinion (fail safe)
        log.exception("concept cues failed")
        return True


def _sure(opinion: Opinion, label: str) -> bool:
    """The second opinion's ``label``, where it is sure enough (an Opinion without scores, a
    test's or an older model's, is taken as it is)."""
    said = getattr(opinion, label)
    if opinion.scores is None:
        return said
    return said and float(opinion.scores.get(label, 0.0)) >= SURE[label]


def action_of(result: SafetyResult) -> str:
    if result.category == "crisis":
        return CRISIS
    if result.needs_handoff:
        return HAND_OVER
    if answer_context.is_demoted(result.to_dict()):
        return OFFER_PERSON
    if result.tier >= 1 and result.flag:
        if result.flag.startswith("classifier_"):
            return NOTE  # DIET's guess alone (detector.hint_from_intent): logged, no offer
        if result.flag in _NOTE_ONLY_FLAGS and not getattr(result, "kind", None):
            return NOTE
        return OFFER_PERSON
    return CONTINUE


def read(
    text: str,
    *,
    asked_slot: Optional[str] = None,
    intent: Optional[str] = None,
    confidence: Optional[float] = None,
    second_opinion: Optional[SecondOpinion] = None,
    detector: Optional[Detector] = None,
) -> SafetyResult:
    """The context-free reading of one message: the detectors and the second opinion
    (``asked_slot`` only keeps the second opinion from calling "hulp" to "wat heeft u
    nodig?" a request: the question's context is applied by ``assess``)."""
    return _read(
        text,
        asked_slot=asked_slot,
        intent=intent,
        confidence=confidence,
        second_opinion=second_opinion,
        detector=detector,
    )[0]


def _read(
    text: str,
    *,
    asked_slot: Optional[str],
    intent: Optional[str],
    confidence: Optional[float],
    second_opinion: Optional[SecondOpinion],
    detector: Optional[Detector],
) -> tuple:
    """``read`` and the second opinion's scores (None when it was not asked)."""
    if text.strip().startswith(REQUEST_BUTTON):
        return SafetyResult("request", "request_human", REQUEST_BUTTON, 2, escalation="button"), None
    own_detector = detector is None
    detector = detector or detect  # looked up now, so a test may stand in for either
    second_opinion = second_opinion or classifier_opinion
    result = detector(text, intent=intent, confidence=confidence)
    scores = None
    if result.category != "crisis" and _worth_a_second_opinion(text, asked_slot):
        opinion = second_opinion(text)
        scores = opinion.scores
        harmless = own_detector and _harmless_use(result, text)
        opinion = Opinion(
            crisis=_sure(opinion, "crisis") and _cued(text, opinion, "crisis", CRISIS_CUES),
            request=_sure(opinion, "request") and _cued(text, opinion, "request", REQUEST_CUES),
            emotion=_sure(opinion, "emotion"),
            scores=opinion.scores,
        )
        if opinion.crisis and not harmless:
            # A false alarm costs a counsellor a minute; a missed crisis can cost a life.
            result = _raised(
                result,
                "crisis",
                result.flag if result.tier == 3 else "second_opinion_crisis",
                3,
                "second_opinion:crisis",
                text,
            )
        elif (
            opinion.request
            and not harmless
            and not result.needs_handoff
            and asked_slot not in answer_context.context_slots()
        ):
            result = _raised(result, "request", "request_human", 2, "second_opinion:request", text)
        elif opinion.emotion and result.tier == 0 and not harmless:
            result = SafetyResult(
                "none", SECOND_OPINION_EMOTION, text.strip()[:200], 1, escalation="second_opinion:emotion"
            )
    return result, scores


def assess(
    text: str,
    *,
    asked_slot: Optional[str] = None,
    intent: Optional[str] = None,
    confidence: Optional[float] = None,
    second_opinion: Optional[SecondOpinion] = None,
    detector: Optional[Detector] = None,
) -> Dict[str, Any]:
    """``read`` as the JSON reading stored with the message and sent with the parse data:
    the SafetyResult's fields plus ``action``, ``kind`` (the feeling, for the empathic line)
    and, when the question's context changed the reading, the context-free one."""
    context_free, scores = _read(
        text,
        asked_slot=asked_slot,
        intent=intent,
        confidence=confidence,
        second_opinion=second_opinion,
        detector=detector,
    )
    result = answer_context.read_in_context(context_free, text, asked_slot) if asked_slot else context_free
    data = result.to_dict()
    if result is not context_free:
        data["asked_slot"] = asked_slot
        data["context_free"] = context_free.to_dict()
    data["action"] = action_of(result)
    doubt = _doubt(scores) if data["action"] in (CONTINUE, NOTE) else None
    if doubt:
        data["doubt"] = doubt
    kind = _kind_of(result) or (_kind_of(context_free) if result is not context_free else None)
    data["kind"] = (
        kind
        if data["action"] == OFFER_PERSON or result.category == "emotion"
        else (kind if kind and data["action"] != CONTINUE else None)
    )
    if data["action"] == OFFER_PERSON and not data["kind"] and not answer_context.is_demoted(data):
        data["kind"] = GENERAL_KIND
    return data


# When the bot did not understand a message (the fallback), a lower bar: what the second
# opinion half-hears then goes to a person, never to "ik begrijp het niet" (docs/specs/safety.md
# §0). Measured on the turns set D got "not understood" at its first look: a request heard at
# 0.3 added 4 of 14 missed requests and no false alarm; a crisis at 0.3 as many false alarms
# as finds, so a half-heard crisis is offered a person instead.
DOUBT = {"request": 0.3, "crisis": 0.3, "emotion": 0.3}


def _doubt(scores: Optional[Mapping[str, float]]) -> Optional[str]:
    if not scores:
        return None
    for label in ("request", "crisis", "emotion"):
        if float(scores.get(label, 0.0)) >= DOUBT[label]:
            return label
    return None


def when_not_understood(reading: Mapping[str, Any]) -> Optional[str]:
    """What a not-understood turn gets instead of "ik begrijp het niet": ``hand_over`` (a request
    half-heard), ``offer_person`` (a crisis or a feeling half-heard), or None (ask to rephrase)."""
    doubt = reading.get("doubt")
    if doubt == "request":
        return HAND_OVER
    if doubt in ("crisis", "emotion"):
        return OFFER_PERSON
    return None


def empathy_response(reading: Mapping[str, Any]) -> Optional[str]:
    """The domain.yml response that names the feeling of an ``offer_person`` reading."""
    if reading.get("action") != OFFER_PERSON or answer_context.is_demoted(reading):
        return None
    kind = reading.get("kind")
    return f"utter_empathy_{kind if kind in FEELING_KINDS else GENERAL_KIND}"


def after_turn(
    state: SessionSafetyState, reading: SafetyResult, *, understood: bool
) -> Optional[SafetyResult]:
    """Feed one turn to the session's accumulation; the raised reading when it now hands over."""
    outcome = state.observe(reading, understood=understood)
    return outcome if outcome is not reading and outcome.needs_handoff else None


def handoff_reason(
    readings: Sequence[Optional[Mapping[str, Any]]],
    *,
    rasa_reason: Optional[str] = None,
    accumulated: Optional[str] = None,
) -> Optional[str]:
    """The hand-off of one turn from every source: a crisis from any of them wins; then what
    Rasa decided; then the readings in order; then the session's accumulation."""
    reasons = [rasa_reason] + [_reason(r) for r in readings] + [accumulated]
    if "crisis" in reasons:
        return "crisis"
    return next((r for r in reasons if r), None)


def _reason(reading: Optional[Mapping[str, Any]]) -> Optional[str]:
    category = (reading or {}).get("category")
    return category if category in ("crisis", "emotion", "request", "uncertain") else None


def warm_up() -> None:
    """Load the rules and the learned second opinion now (the API calls this at start)."""
    try:
        assess("ik woon hier met mijn familie en ik wacht")
    except Exception:  # a failure here shows again, and is handled, on the first real turn
        log.exception("safety warm-up failed")

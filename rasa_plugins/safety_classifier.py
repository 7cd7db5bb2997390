"""Last NLU component: the safety detector decides before anything else does.

Runs ``bot.safety.detect`` on every client text after DIET and the
FallbackClassifier. When the detector asks for a hand-off (crisis, strong
emotion, a wish for a person, doubt about capacity or age) it overrides the
intent with confidence 1.0, so the dialogue rules route to ``action_handoff``
whatever DIET thought. When DIET alone picked a safety intent and the detector
does not confirm it, the intent is demoted to the best other intent (or
``nlu_fallback``): the detector decides hand-offs, DIET's guess is kept as a
recorded hint. It always adds ``"safety": {...}`` to the parse data, also for
"none", so the API and the transcript can show what was detected.

Question context (``bot.safety.answer_context``): the API sends the form slot its
client just saw as ``metadata.asked_slot``. A request that is the content of the
answer to that question ("hulp" to "what do you need?") is read as that answer:
intent ``inform``, so the form records it, and the form then offers a person. A
"ja" to that offer is a request. Without the metadata nothing changes.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.safety.detector import SAFETY_INTENTS  # names only: the rules load on first use

logger = logging.getLogger(__name__)

SAFETY_KEY = "safety"

# Detector category -> the intent the dialogue rules react to.
CATEGORY_INTENTS: Dict[str, str] = {
    "crisis": "safety_crisis",
    "emotion": "express_emotion",
    "request": "request_human",
    "uncertain": "safety_uncertain",
}
# Intents only the detector may set: the ones whose DIET guess is a mere hint
# (bot.safety.detector.SAFETY_INTENTS). A button payload like /request_human never
# passes through the NLU pipeline, so the kiosk's "a person" button still works.
ANSWER_INTENT = "inform"
# Set only from the policy's ``offer_person`` (a feeling); DIET's own guess of it is a hint.
FEELING_INTENT = "share_feeling"
DETECTOR_ONLY_INTENTS = frozenset(SAFETY_INTENTS) | {FEELING_INTENT}
# Questions answered in the client's own words (bot/conversation/questions.py kinds).
OPEN_KINDS = frozenset(
    {
        "text",
        "text_list",
        "factor",
        "worry",
        "goal",
        "need",
        "expectations",
        "experience",
        "source",
        "supporter",
    }
)
# Same value as the FallbackClassifier's threshold in config.yml.
DEMOTE_THRESHOLD = 0.5
# Where the API puts the form slot its client was answering (bot.safety.answer_context).
METADATA_KEY = "metadata"
ASKED_SLOT_KEY = "asked_slot"
# Set by the API when the client typed the same words again while a question was open.
REPEATED_KEY = "repeated_answer"
# Controls that answer and then ask the SAME question again: typed twice, the words were an
# answer. (go_back, correct_answer and edit_step move to another question: a repeat is meant.)
CONTROL_INTENTS = ("ask_recorded", "ask_privacy", "thank")


def _assess(
    text: str, intent: Optional[str], confidence: Optional[float], asked_slot: Optional[str]
) -> Dict[str, Any]:
    from bot.safety import policy  # imported late: bot.safety loads its lexicons once

    return policy.assess(text, asked_slot=asked_slot, intent=intent, confidence=confidence)


def safety_payload(result: Any) -> Dict[str, Any]:
    """The JSON-safe part of a SafetyResult that travels with the parse data."""
    if hasattr(result, "to_dict"):
        return dict(result.to_dict())
    return {
        "category": getattr(result, "category", "none"),
        "flag": getattr(result, "flag", None),
        "matched": getattr(result, "matched", None),
        "tier": getattr(result, "tier", 0),
        "handoff_reason": getattr(result, "handoff_reason", None),
    }


def asked_slot_of(message: Message) -> Optional[str]:
    """The form slot the client was answering, as the API sent it (metadata.asked_slot)."""
    metadata = message.get(METADATA_KEY) or {}
    slot = metadata.get(ASKED_SLOT_KEY) if isinstance(metadata, dict) else None
    return slot if isinstance(slot, str) and slot else None


def is_repeated_answer(message: Message) -> bool:
    metadata = message.get(METADATA_KEY) or {}
    return isinstance(metadata, dict) and metadata.get(REPEATED_KEY) is True


def takes_feeling_as_answer(asked_slot: Optional[str]) -> bool:
    """The open question in the client's words can take a feeling as its answer (the form then
    names the feeling and offers a person); a closed question or none cannot."""
    from bot.conversation import questions

    if not asked_slot:
        return False
    return questions.has_question(asked_slot) and questions.question(asked_slot).kind in OPEN_KINDS


def apply_safety(message: Message, assess=_assess) -> Dict[str, Any]:
    """Run the safety policy on one message, override the intent if needed, return the payload."""
    text = message.get(TEXT) or ""
    intent = message.get(INTENT) or {}
    name = intent.get(INTENT_NAME_KEY)
    confidence = intent.get(PREDICTED_CONFIDENCE_KEY)
    asked_slot = asked_slot_of(message)
    try:
        payload = assess(text, name, confidence, asked_slot)
    except Exception:  # never lose a message because the detector broke: say so loudly
        logger.exception("Safety policy failed; the API's own copy is the backstop")
        # Fail safe: a reading nobody could make goes to a person, not to "ik begrijp het niet".
        payload = {
            "category": "uncertain",
            "flag": "detector_failed",
            "matched": None,
            "tier": 2,
            "handoff_reason": "uncertain",
            "action": "hand_over",
            "error": "detector_failed",
        }

    override = CATEGORY_INTENTS.get(payload["category"])
    if override:
        payload["nlu_intent"] = name
        payload["nlu_confidence"] = confidence
        _force(message, override)
    elif payload.get("action") == "offer_person" and "context_free" not in payload:
        # A feeling: an open question takes it as its answer (the form names the feeling and
        # offers a person); otherwise action_acknowledge_feeling does, and asks again.
        payload["nlu_intent"] = name
        payload["nlu_confidence"] = confidence
        if takes_feeling_as_answer(asked_slot):
            _as_answer(message)
        else:
            _force(message, FEELING_INTENT)
    elif "context_free" in payload:
        # The request was the content of the answer to the question asked: the form takes it.
        payload["nlu_intent"] = name
        payload["nlu_confidence"] = confidence
        _as_answer(message)
    elif name in DETECTOR_ONLY_INTENTS:
        payload["nlu_intent"] = name
        payload["nlu_confidence"] = confidence
        _demote(message)
    elif name in CONTROL_INTENTS and asked_slot_of(message) and is_repeated_answer(message):
        # The bot already answered these words as a control and asked its question again;
        # typed once more, they are the answer (else the client would loop for ever).
        payload["nlu_intent"] = name
        payload["nlu_confidence"] = confidence
        payload["repeated_answer"] = True
        _as_answer(message)
    message.set(SAFETY_KEY, payload, add_to_output=True)
    return payload


def _force(message: Message, intent_name: str) -> None:
    forced = {INTENT_NAME_KEY: intent_name, PREDICTED_CONFIDENCE_KEY: 1.0}
    message.set(INTENT, forced, add_to_output=True)
    ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get(INTENT_NAME_KEY) != intent_name]
    message.set(INTENT_RANKING_KEY, [forced] + ranking, add_to_output=True)


def _as_answer(message: Message) -> None:
    """The text answers the question the form asked: ``inform``, whatever DIET guessed (a
    second guess like ``go_back`` would send the answer away from the form)."""
    answer = {INTENT_NAME_KEY: ANSWER_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [
        r
        for r in (message.get(INTENT_RANKING_KEY) or [])
        if r.get(INTENT_NAME_KEY) not in DETECTOR_ONLY_INTENTS and r.get(INTENT_NAME_KEY) != ANSWER_INTENT
    ]
    message.set(INTENT, answer, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [answer] + ranking, add_to_output=True)


def _demote(message: Message, threshold: float = DEMOTE_THRESHOLD) -> None:
    """Replace an unconfirmed safety intent by the best ordinary one, if DIET was fairly sure
    of it; else by ``inform``: the text is most likely an answer, and a form takes it as one
    (a 1% "ask_recorded" would send the client somewhere they never asked to go)."""
    ranking = [
        r
        for r in (message.get(INTENT_RANKING_KEY) or [])
        if r.get(INTENT_NAME_KEY) not in DETECTOR_ONLY_INTENTS
    ]
    best = ranking[0] if ranking else None
    if best is None or (best.get(PREDICTED_CONFIDENCE_KEY) or 0.0) < threshold:
        best = {INTENT_NAME_KEY: ANSWER_INTENT, PREDICTED_CONFIDENCE_KEY: threshold}
        ranking = [best] + [r for r in ranking if r.get(INTENT_NAME_KEY) != ANSWER_INTENT]
    message.set(
        INTENT,
        {
            INTENT_NAME_KEY: best[INTENT_NAME_KEY],
            PREDICTED_CONFIDENCE_KEY: best.get(PREDICTED_CONFIDENCE_KEY),
        },
        add_to_output=True,
    )
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyClassifier(GraphComponent):
    """Overrides the intent when the safety detector calls for a person."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SafetyClassifier":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            apply_safety(message)
        return messages

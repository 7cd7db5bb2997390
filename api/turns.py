"""The conversation path: kiosk and staff turns through Rasa and the database.

Order of every client turn (nothing half-written, nothing lost):

1. store the client's message with the local safety result, **commit**; the result
   is read as an answer to the question the bot last asked (`bot.safety.answer_context`:
   "hulp" to "what do you need?" is an answer and gets an offer of a person, not a
   hand-off), and that question goes to Rasa as `metadata.asked_slot`;
2. if the bot holds the session, forward it to Rasa (`api/rasa_client.py`);
3. store Rasa's replies, the NLU reading and the phase; feed the turn to the
   session's `SessionSafetyState` (repeated or accumulating signals, two
   misunderstood turns in a row); request a hand-off when Rasa paused, the local
   detector insists or the accumulation says so, **commit**;
4. if Rasa was unreachable: hand off (`uncertain`, or what the detector saw),
   tell the client a person is coming, **commit**;
5. nudge the kiosk's and the consoles' WebSockets.

The API speaks on its own only with texts from `domain.yml` (`DomainTexts`).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from dataclasses import dataclass, field
from typing import Any, Dict, List, NamedTuple, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import sessions
from bot.db.models import HANDOFF_REASONS, PHASES, Message
from bot.safety import NO_SIGNAL as NO_SAFETY_RESULT
from bot.safety import SafetyResult, SessionSafetyState, answer_context, policy

from api import serialise
from api.db_runner import DbRunner
from api.domain_texts import CRISIS_RESPONSE, RASA_DOWN_RESPONSE, DomainTexts, MissingResponse
from api.rasa_client import ChannelReply, RasaClient, RasaUnavailable
from api.ws_hub import Hub

log = logging.getLogger(__name__)

GREET_MESSAGE = "/greet"
# "Een ogenblik": a turn waits in line for a free Rasa server (api/rasa_client.py TurnGate).
BUSY_RESPONSE = "utter_system_busy"
REQUEST_HUMAN_PAYLOAD = "/request_human"
NO_SIGNAL = {"category": "none", "flag": None, "matched": None}
# The accumulation starts again after these transcript events: a counsellor has seen the signals.
SAFETY_STATE_RESETS = ("handback", "handoff:")
# How far back a turn looks for the previous turn's safety state.
SAFETY_STATE_LOOKBACK = 50
# How far back a client turn looks for the question it answers (the bot's last turn),
# and for the client's previous message (past a long summary turn).
ASKED_LOOKBACK = 12
TURN_LOOKBACK = 60


class IllegalState(Exception):
    """A staff action that does not fit the session's state (HTTP 409)."""


@dataclass
class TurnResult:
    session_id: str
    messages: List[Dict[str, Any]]
    status: str
    phase: str
    handoff: Optional[Dict[str, Any]]
    summary: Dict[str, Any] = field(default_factory=dict)

    def public(self) -> Dict[str, Any]:
        return {
            "messages": self.messages,
            "status": self.status,
            "phase": self.phase,
            "handoff": self.handoff,
        }


def local_safety(text: str, asked_slot: Optional[str] = None) -> Dict[str, Any]:
    """The API's own reading by the safety policy (second line of defence; the only one when
    Rasa is down), as an answer to the question the bot last asked."""
    try:
        return policy.assess(text, asked_slot=asked_slot)
    except Exception:  # a detector bug must not lose the client's message, nor pass as "nothing"
        log.exception("safety policy failed; the message goes to a person")
        return {
            **NO_SIGNAL,
            "category": "uncertain",
            "flag": "detector_failed",
            "tier": 2,
            "handoff_reason": "uncertain",
            "action": policy.HAND_OVER,
            "error": "detector_failed",
        }


class LastTurn(NamedTuple):
    asked_slot: Optional[str]  # the question the bot's last turn asked, if any
    client_text: Optional[str]  # the client's previous message


def last_turn(db: Session, session_id: str) -> LastTurn:
    """What a new client message answers, read in one query on the newest messages.

    ``asked_slot``: the form slot of the question the bot asked in its last turn
    (``utter_ask_<slot>`` among the newest ``ASKED_LOOKBACK`` messages), None when that turn
    asked none or a person spoke since. ``client_text``: the client's previous message."""
    rows = db.execute(
        select(Message.sender, Message.utter_action, Message.text)
        .where(Message.session_id == session_id)
        .order_by(Message.seq.desc())
        .limit(TURN_LOOKBACK)
    )
    slot: Optional[str] = None
    bot_turn = True  # still in the bot's last turn
    for index, (sender, utter_action, text) in enumerate(rows):
        if sender == "client":
            return LastTurn(slot, text)
        if bot_turn and (sender != "bot" or index >= ASKED_LOOKBACK):
            bot_turn = False
        elif bot_turn and slot is None:
            slot = answer_context.slot_of_response(utter_action)
    return LastTurn(slot, None)


def _same_words(a: Optional[str], b: Optional[str]) -> bool:
    return " ".join((a or "").casefold().split()) == " ".join((b or "").casefold().split())


def repeats_last_answer(previous: Optional[str], text: str) -> bool:
    """The client types the same words again, right after their last message.

    When the NLU took an answer for one of the client's controls ("een computer" as "are
    you a computer?"), the bot answers that and asks the question again; the client then
    types the same answer again. Rasa is told (``metadata.repeated_answer``), so the
    second time the words are taken as the answer and the client is never stuck.
    A button payload is never a repeated answer."""
    if not text.strip() or text.strip().startswith("/"):
        return False
    return previous is not None and _same_words(previous, text)


def context_free(local: Dict[str, Any]) -> Dict[str, Any]:
    """The reading without the question's context (a request set aside as an answer is a request again)."""
    if answer_context.is_demoted(local) and isinstance(local.get("context_free"), dict):
        return {**local["context_free"], "asked_slot": local.get("asked_slot"), "context_unconfirmed": True}
    return local


def person_offered(reply: ChannelReply) -> bool:
    """Rasa took the text as the answer and asked "wilt u nu met een begeleider praten?"."""
    return any(m.utter_action == answer_context.OFFER_RESPONSE for m in reply.messages)


def _reason_of(safety: Optional[Dict[str, Any]]) -> Optional[str]:
    category = (safety or {}).get("category")
    return category if category in HANDOFF_REASONS else None


def choose_handoff_reason(
    reply: Optional[ChannelReply], local: Dict[str, Any], accumulated: Optional[str] = None
) -> Optional[str]:
    """The policy's choice over every source (``bot.safety.policy.handoff_reason``)."""
    rasa_reason = None
    if reply is not None and (reply.paused or reply.handoff_reason):
        rasa_reason = reply.handoff_reason if reply.handoff_reason in HANDOFF_REASONS else "uncertain"
    return policy.handoff_reason(
        [local, reply.safety if reply else None], rasa_reason=rasa_reason, accumulated=accumulated
    )


def feeling_unanswered(reply: ChannelReply, local: Dict[str, Any]) -> bool:
    """The policy heard a feeling but Rasa's reply neither named it nor offered a person."""
    if local.get("action") != policy.OFFER_PERSON or answer_context.is_demoted(local):
        return False
    said = {m.utter_action for m in reply.messages}
    return not any(str(a or "").startswith("utter_empathy_") for a in said)


def _nlu_fields(nlu: Dict[str, Any]) -> Dict[str, Any]:
    intent = nlu.get("intent")
    confidence = nlu.get("confidence")
    if isinstance(intent, dict):  # Rasa's native shape {"name":…, "confidence":…}
        confidence = intent.get("confidence", confidence)
        intent = intent.get("name")
    try:
        confidence = None if confidence is None else min(1.0, max(0.0, float(confidence)))
    except (TypeError, ValueError):
        confidence = None
    entities = nlu.get("entities") if isinstance(nlu.get("entities"), list) else None
    return {"intent": str(intent)[:100] if intent else None, "confidence": confidence, "entities": entities}


def _as_result(reading: Optional[Dict[str, Any]]) -> Optional[SafetyResult]:
    try:
        return SafetyResult.from_dict(reading) if reading and reading.get("category") else None
    except (KeyError, TypeError, ValueError):
        return None


def turn_safety(local: Dict[str, Any], rasa: Dict[str, Any]) -> SafetyResult:
    """The reading of one turn for the accumulation: the higher tier of ours and Rasa's (ours on a tie)."""
    readings = [r for r in (_as_result(local), _as_result(rasa)) if r is not None]
    if not readings:
        return NO_SAFETY_RESULT
    return max(readings, key=lambda r: (r.tier, bool(r.flag), r is readings[0]))


# The bot's own "I did not understand" responses (action_handle_fallback, Rasa's default).
FALLBACK_RESPONSES = frozenset({"utter_fallback_rephrase", "utter_default"})
# The offer of a pause or a person that follows an empathic line (domain.yml).
OFFER_RESPONSE = "utter_offer_person"


def understood(reply: ChannelReply) -> bool:
    """A turn is misunderstood when the bot said so, not merely when the NLU's confidence was low:
    a form rightly takes a one-word answer ("bakker", "geen") that no intent fits."""
    return not any(message.utter_action in FALLBACK_RESPONSES for message in reply.messages)


def previous_safety_state(db: Session, session_id: str, before_seq: int) -> Optional[Dict[str, Any]]:
    """The state stored with the latest earlier client turn, unless a hand-off or hand-back came after it."""
    # Only the three columns it reads: this runs on every client turn.
    rows = db.execute(
        select(Message.sender, Message.meta, Message.safety)
        .where(
            Message.session_id == session_id,
            Message.seq < before_seq,
            Message.sender.in_(("client", "system")),
        )
        .order_by(Message.seq.desc())
        .limit(SAFETY_STATE_LOOKBACK)
    )
    for sender, meta, safety in rows:
        if sender == "system":
            if str((meta or {}).get("event") or "").startswith(SAFETY_STATE_RESETS):
                return None
            continue
        state = (safety or {}).get("session_state")
        if isinstance(state, dict):
            return state
    return None


def _merged_safety(local: Dict[str, Any], rasa: Dict[str, Any]) -> Dict[str, Any]:
    """Keep the local reading and note Rasa's next to it."""
    merged = dict(local)
    if rasa:
        merged["rasa"] = rasa
    return merged


class Conversations:
    def __init__(self, *, db: DbRunner, rasa: RasaClient, wording: DomainTexts, hub: Hub) -> None:
        self.db = db
        self.rasa = rasa
        self.wording = wording
        self.hub = hub
        self._locks: "weakref.WeakValueDictionary[str, asyncio.Lock]" = weakref.WeakValueDictionary()

    def _lock(self, session_id: str) -> asyncio.Lock:
        """Turns of one session run one after another, so replies stay in order."""
        lock = self._locks.get(session_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[session_id] = lock
        return lock

    # --- units of work (run in a thread, one transaction each) --------------

    def _say(self, db: Session, chat_session, name: str, *, sender: str) -> bool:
        """Store a domain.yml response the API sends itself; False if the domain lacks it."""
        try:
            utterance = self.wording.get(name, chat_session.language)
        except MissingResponse:
            log.error("domain.yml lacks response %s; the client sees only the status banner", name)
            return False
        sessions.add_message(
            db,
            chat_session,
            sender=sender,
            text=utterance.text,
            buttons=utterance.buttons or None,
            utter_action=name,
            meta={"source": "api"},
        )
        return True

    def _hand_off(self, db: Session, chat_session, reason: str, message_id: Optional[str]) -> None:
        """Request a hand-off if the state machine allows it (crisis may escalate a waiting one)."""
        waiting_escalation = (
            reason == "crisis"
            and chat_session.status == "waiting_for_human"
            and chat_session.handoff_reason != "crisis"
        )
        if chat_session.status == "bot" or waiting_escalation:
            sessions.request_handoff(db, chat_session, reason=reason, message_id=message_id)

    def _result(self, db: Session, chat_session, messages, *, with_summary: bool = False) -> TurnResult:
        state = serialise.state_out(db, chat_session)
        return TurnResult(
            session_id=chat_session.id,
            messages=[serialise.msg_out(m) for m in messages],
            # The console's session card: only staff replies carry it (kiosk turns skip the queries).
            summary=serialise.summary_out(db, chat_session) if with_summary else {},
            **state,
        )

    def _new_session(self, db: Session, language: str, client_ref: Optional[str], is_training: bool):
        chat_session = sessions.create_session(
            db, language=language, client_ref=client_ref, is_training=is_training
        )
        return chat_session.id, chat_session.language, chat_session.client_ref

    def _store_client_message(self, db: Session, session_id: str, text: str, title: Optional[str]):
        chat_session = sessions.get_session(db, session_id)
        if chat_session.status == "closed":
            raise sessions.SessionClosed(session_id)
        turn = last_turn(db, session_id) if chat_session.status == "bot" else LastTurn(None, None)
        slot = turn.asked_slot
        repeated = slot is not None and repeats_last_answer(turn.client_text, text)
        safety = local_safety(text, slot)
        message = sessions.add_message(
            db,
            chat_session,
            sender="client",
            text=text,
            safety=safety,
            meta={"button_title": title} if title else None,
        )
        return message.id, chat_session.status, chat_session.language, safety, slot, repeated

    def _record_reply(
        self,
        db: Session,
        session_id: str,
        trigger_id: Optional[str],
        reply: ChannelReply,
        local: Dict[str, Any],
        with_summary: bool = False,
    ) -> TurnResult:
        chat_session = sessions.get_session(db, session_id)
        if answer_context.is_demoted(local) and (reply.paused or not person_offered(reply)):
            # The text was set aside as an answer, but Rasa did not take it so (no offer of a
            # person came): it is a request again, and the usual hand-off follows.
            local = context_free(local)
        client_message: Optional[Message] = None  # set exactly when trigger_id is
        if trigger_id is not None:
            client_message = sessions.get_message(db, session_id, trigger_id)
            client_message.forwarded_to_rasa = True
            for name, value in _nlu_fields(reply.nlu).items():
                setattr(client_message, name, value)
            client_message.safety = _merged_safety(local, reply.safety)
        accumulated = None
        if client_message is not None and chat_session.status == "bot":
            accumulated = self._accumulate(db, chat_session, client_message, reply, local)
        reason = choose_handoff_reason(reply, local, accumulated)
        rasa_handed_off = reply.paused or bool(reply.handoff_reason)
        empathy_first: List[str] = []
        if (
            not reason
            and trigger_id is not None
            and not understood(reply)
            and policy.when_not_understood(local) == policy.HAND_OVER
        ):
            reason = "request"  # the bot did not understand a half-heard wish for a person
        if not reason and trigger_id is not None and feeling_unanswered(reply, local):
            # Fail safe (bot/safety/policy.py): distress never gets "ik begrijp het niet" or a
            # plain next question. Not understood -> a person; else name it and offer one first.
            if not understood(reply):
                reason = "emotion"
            else:
                empathy_first = [
                    name
                    for name in (policy.empathy_response(local), OFFER_RESPONSE)
                    if name and self._has_words(name)
                ]
        crisis_said = any(
            m.utter_action == CRISIS_RESPONSE or self._is_crisis_text(m.text, chat_session.language)
            for m in reply.messages
        )
        # Words the API adds itself: the crisis route whenever Rasa did not give it, or the
        # bot's hand-off line when our detector overrules a Rasa that did not hand off.
        own_words = None
        if chat_session.status != "human":
            if reason == "crisis" and not crisis_said:
                own_words = CRISIS_RESPONSE
            elif reason and not rasa_handed_off and self._has_words(f"utter_handoff_{reason}"):
                own_words = f"utter_handoff_{reason}"
        if own_words and not rasa_handed_off and client_message is not None:
            # Rasa carried on as if nothing happened ("ask nothing further",
            # docs/specs/safety.md §2.1): its reply is kept for the counsellor on the
            # client's message, not shown to the client.
            client_message.meta = {
                **(client_message.meta or {}),
                "withheld_bot_replies": [
                    {"text": m.text, "utter_action": m.utter_action} for m in reply.messages
                ],
            }
        else:
            for name in empathy_first:
                self._say(db, chat_session, name, sender="bot")
            for bot_message in reply.messages:
                sessions.add_message(
                    db,
                    chat_session,
                    sender="bot",
                    text=bot_message.text,
                    buttons=bot_message.buttons or None,
                    utter_action=bot_message.utter_action,
                    mi_code=bot_message.mi_code,
                    meta={"rasa_server": reply.server},
                )
        if reply.phase in PHASES and reply.phase != chat_session.phase:
            sessions.set_phase(db, chat_session, reply.phase)
        elif reply.phase and reply.phase not in PHASES:
            log.warning("Rasa reported unknown phase %r for %s", reply.phase, session_id)
        if own_words:
            self._say(db, chat_session, own_words, sender="bot")
        if reason:
            self._hand_off(db, chat_session, reason, trigger_id)
        return self._result(
            db,
            chat_session,
            self._messages_since(db, session_id, trigger_id, client_message),
            with_summary=with_summary,
        )

    def _accumulate(
        self, db: Session, chat_session, client_message: Message, reply: ChannelReply, local: Dict[str, Any]
    ) -> Optional[str]:
        """Feed this turn to the session's SessionSafetyState; the hand-off reason it raises, if any.

        The state after the turn is stored with the client's message (so the next turn finds it,
        and the counsellor can see why a hand-off came)."""
        state = SessionSafetyState.from_dict(previous_safety_state(db, chat_session.id, client_message.seq))
        raised = policy.after_turn(state, turn_safety(local, reply.safety), understood=understood(reply))
        safety = {**(client_message.safety or {}), "session_state": state.to_dict()}
        if raised is not None:
            safety["accumulated"] = raised.to_dict()
        client_message.safety = safety
        chat_session.fallback_streak = state.misunderstood_in_a_row
        return raised.handoff_reason if raised is not None else None

    def _has_words(self, name: str) -> bool:
        return not self.wording.missing([name])

    def _is_crisis_text(self, text: str, language: str) -> bool:
        try:
            return text.strip() == self.wording.get(CRISIS_RESPONSE, language).text
        except MissingResponse:
            return False

    def _record_rasa_down(
        self,
        db: Session,
        session_id: str,
        trigger_id: Optional[str],
        local: Dict[str, Any],
        error: RasaUnavailable,
    ) -> TurnResult:
        chat_session = sessions.get_session(db, session_id)
        demoted = answer_context.is_demoted(local)
        local = context_free(local)  # nobody will offer a person: a request is a request
        if trigger_id is not None:
            client_message = sessions.get_message(db, session_id, trigger_id)
            client_message.meta = {
                **(client_message.meta or {}),
                "rasa_error": str(error)[:200],
                "maybe_processed": error.maybe_processed,
            }
            if demoted:
                client_message.safety = local
        reason = _reason_of(local) or "uncertain"
        if chat_session.status == "bot":
            if reason == "crisis":
                self._say(db, chat_session, CRISIS_RESPONSE, sender="bot")
            self._say(db, chat_session, RASA_DOWN_RESPONSE, sender="system")
            self._hand_off(db, chat_session, reason, trigger_id)
        return self._result(db, chat_session, self._messages_since(db, session_id, trigger_id))

    def _record_while_not_bot(
        self, db: Session, session_id: str, trigger_id: str, local: Dict[str, Any]
    ) -> TurnResult:
        """A person holds (or is coming to) the session: store only, escalate a crisis."""
        chat_session = sessions.get_session(db, session_id)
        if (
            _reason_of(local) == "crisis"
            and chat_session.status == "waiting_for_human"
            and chat_session.handoff_reason != "crisis"
        ):
            # Nobody is with the client yet: give the crisis route now and raise the queue item.
            self._say(db, chat_session, CRISIS_RESPONSE, sender="bot")
            self._hand_off(db, chat_session, "crisis", trigger_id)
        return self._result(db, chat_session, self._messages_since(db, session_id, trigger_id))

    def _messages_since(
        self, db: Session, session_id: str, trigger_id: Optional[str], trigger: Optional[Message] = None
    ):
        """The trigger message and everything after it (all messages when there is none)."""
        if trigger_id is None:
            return sessions.messages_after(db, session_id)
        if trigger is None:
            trigger = sessions.get_message(db, session_id, trigger_id)
        later = db.execute(
            select(Message)
            .where(Message.session_id == session_id, Message.seq > trigger.seq)
            .order_by(Message.seq)
        ).scalars()
        return [trigger, *later]

    def _say_busy(self, db: Session, session_id: str) -> None:
        self._say(db, sessions.get_session(db, session_id), BUSY_RESPONSE, sender="system")

    def _busy_notice(self, session_id: str):
        """What a turn does once when it waits long for a free Rasa server: the kiosk hears
        "een ogenblik" (stored, so it is also in the turn's reply) and keeps waiting; being
        busy is never a reason to bring a person."""

        async def notice() -> None:
            await self.db.run(self._say_busy, session_id)
            self.hub.session_changed(session_id, status="bot")

        return notice

    # --- public operations ---------------------------------------------------

    async def start(self, *, language: str, client_ref: Optional[str], is_training: bool) -> TurnResult:
        session_id, language, client_ref = await self.db.run(
            self._new_session, language, client_ref, is_training
        )
        async with self._lock(session_id):
            metadata = {"language": language, "system": True, "is_training": is_training}
            if client_ref:
                metadata["client_ref"] = client_ref
            try:
                reply = await self.rasa.send(
                    session_id, GREET_MESSAGE, metadata, on_wait=self._busy_notice(session_id)
                )
            except RasaUnavailable as exc:
                log.warning("Rasa unavailable at session start %s: %s", session_id, exc)
                result = await self.db.run(self._record_rasa_down, session_id, None, NO_SIGNAL, exc)
            else:
                result = await self.db.run(self._record_reply, session_id, None, reply, NO_SIGNAL)
        self._nudge(result)
        return result

    async def client_says(self, session_id: str, text: str, title: Optional[str] = None) -> TurnResult:
        async with self._lock(session_id):
            message_id, status, language, local, slot, repeated = await self.db.run(
                self._store_client_message, session_id, text, title
            )
            if status != "bot":
                result = await self.db.run(self._record_while_not_bot, session_id, message_id, local)
            else:
                try:
                    metadata = {"message_id": message_id, "language": language}
                    if slot:
                        metadata["asked_slot"] = slot  # the Rasa safety component reads it in context
                    if repeated:
                        metadata["repeated_answer"] = True  # the same words again: an answer now
                    reply = await self.rasa.send(
                        session_id, text, metadata, on_wait=self._busy_notice(session_id)
                    )
                except RasaUnavailable as exc:
                    log.warning("Rasa unavailable for %s: %s", session_id, exc)
                    result = await self.db.run(self._record_rasa_down, session_id, message_id, local, exc)
                else:
                    result = await self.db.run(self._record_reply, session_id, message_id, reply, local)
        # The consoles' alert: the reason of a hand-off this turn caused, else what the text showed.
        handoff = result.handoff if status == "bot" and result.status == "waiting_for_human" else None
        self._nudge(result, alert=handoff["reason"] if handoff else _reason_of(local))
        return result

    async def hand_back(self, session_id: str, *, user_id: int, phase: Optional[str]) -> TurnResult:
        """human → bot, then Rasa resumes and its next turn is stored and pushed."""
        async with self._lock(session_id):

            def _hand_back(db: Session):
                chat_session = sessions.get_session(db, session_id)
                sessions.hand_back(db, chat_session, user_id=user_id, phase=phase)
                last = sessions.messages_after(db, session_id)[-1]
                return last.id, chat_session.phase

            marker_id, resumed_phase = await self.db.run(_hand_back)
            try:
                reply = await self.rasa.resume(session_id, phase=resumed_phase)
            except RasaUnavailable as exc:
                log.warning("Rasa unavailable on hand-back of %s: %s", session_id, exc)
                result = await self.db.run(self._record_rasa_down, session_id, None, NO_SIGNAL, exc)
                result.messages = [m for m in result.messages if m["id"] != marker_id]
                self._nudge(result)
                raise
            result = await self.db.run(
                self._record_reply, session_id, None, reply, NO_SIGNAL, with_summary=True
            )
        # Only what the hand-back produced: the note and the bot's next turn.
        ids = [m["id"] for m in result.messages]
        result.messages = result.messages[ids.index(marker_id) :] if marker_id in ids else result.messages
        self._nudge(result)
        return result

    def _nudge(self, result: TurnResult, alert: Optional[str] = None) -> None:
        self.hub.session_changed(result.session_id, status=result.status, alert=alert)

    async def staff_changed(self, session_id: str, **event: Any) -> None:
        self.hub.session_changed(session_id, **event)

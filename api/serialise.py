"""ORM rows → plain dicts in the shapes of `api/schemas.py`.

Built inside the unit of work that loaded the rows, so nothing lazy-loads
after the session is closed.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import handoff_estimate, staff_words
from bot.db.models import ChatSession, Handoff, Message, User


def display_text(message: Message) -> str:
    """A tapped button shows its title; the payload Rasa got stays in the row."""
    meta = message.meta or {}
    if message.sender == "client" and meta.get("button_title"):
        return str(meta["button_title"])
    return message.text


def msg_out(message: Message) -> Dict[str, Any]:
    out: Dict[str, Any] = {
        "id": message.id,
        "sender": message.sender,
        "text": display_text(message),
        "buttons": list(message.buttons or []),
    }
    if message.sender == "bot" and message.utter_action:
        # Extension: which domain.yml response this is (scenario replay, MI counts).
        out["utter_action"] = message.utter_action
    event = (message.meta or {}).get("event") if message.sender == "system" else None
    if event:
        # State-change notes carry a machine key as text; pages translate `event`.
        out["event"] = event
    return out


def open_handoff(db: Session, session_id: str) -> Optional[Handoff]:
    return db.execute(
        select(Handoff)
        .where(Handoff.session_id == session_id, Handoff.closed_at.is_(None))
        .order_by(Handoff.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def handoff_out(handoff: Optional[Handoff]) -> Optional[Dict[str, Any]]:
    if handoff is None:
        return None
    return {"reason": handoff.reason, "at": handoff.created_at}


def state_out(db: Session, chat_session: ChatSession) -> Dict[str, Any]:
    """status, phase and open hand-off: the part of every kiosk reply that is not messages.

    Extension: while the client waits for a counsellor, ``handoff.estimate_minutes`` says
    roughly how long (from the queue, ``bot/handoff_estimate.py``); the kiosk shows it."""
    handoff = open_handoff(db, chat_session.id)
    out = handoff_out(handoff)
    if handoff is not None and out is not None and chat_session.status == "waiting_for_human":
        out["estimate_minutes"] = handoff_estimate.estimate_minutes(db, handoff)
    return {
        "status": chat_session.status,
        "phase": chat_session.phase,
        "handoff": out,
    }


def _username(db: Session, user_id: Optional[int]) -> Optional[str]:
    if user_id is None:
        return None
    user = db.get(User, user_id)
    return user.username if user is not None else None


def _last_message_preview(db: Session, session_id: str) -> Optional[str]:
    last = db.execute(
        select(Message).where(Message.session_id == session_id).order_by(Message.seq.desc()).limit(1)
    ).scalar_one_or_none()
    return display_text(last)[:120] if last is not None else None


def trigger_of(db: Session, handoff: Optional[Handoff]) -> Dict[str, Any]:
    """The client's words that caused the open hand-off and how many client messages came
    after them: the console's queue shows both at a glance, without reading each transcript."""
    trigger = db.get(Message, handoff.message_id) if handoff is not None and handoff.message_id else None
    if trigger is None:
        return {"trigger_text": None, "messages_since_trigger": 0}
    since = db.execute(
        select(func.count())
        .select_from(Message)
        .where(
            Message.session_id == trigger.session_id, Message.sender == "client", Message.seq > trigger.seq
        )
    ).scalar_one()
    return {"trigger_text": display_text(trigger)[:300], "messages_since_trigger": int(since)}


def summary_out(db: Session, chat_session: ChatSession) -> Dict[str, Any]:
    handoff = open_handoff(db, chat_session.id)
    waiting = trigger_of(db, handoff) if chat_session.status == "waiting_for_human" else {}
    return {
        **waiting,
        "id": chat_session.id,
        "phase": chat_session.phase,
        "status": chat_session.status,
        "handoff": handoff_out(handoff),
        "started_at": chat_session.started_at,
        "last_message_at": chat_session.last_message_at,
        "language": chat_session.language,
        "client_ref": chat_session.client_ref,
        "is_training": bool(chat_session.is_training),
        "assigned_to": _username(db, chat_session.assigned_user_id),
        "last_message": _last_message_preview(db, chat_session.id),
    }


def transcript_msg_out(db: Session, message: Message) -> Dict[str, Any]:
    out = msg_out(message)
    out.update(
        seq=message.seq,
        at=message.created_at,
        intent=message.intent,
        confidence=message.confidence,
        entities=message.entities,
        safety=message.safety,
        utter_action=message.utter_action,
        mi_code=message.mi_code,
        forwarded_to_rasa=message.forwarded_to_rasa if message.sender == "client" else None,
        author=_username(db, message.author_user_id),
    )
    meta = message.meta or {}
    if message.sender == "client" and meta.get("button_title"):
        out["payload"] = message.text
    if meta.get("withheld_bot_replies"):
        out["withheld_bot_replies"] = meta["withheld_bot_replies"]
    if message.sender == "client":
        # What the coach understood, in the staff's words ("Koos: Ja", "familielid = moeder").
        out["understood"] = staff_words.understood(
            intent=message.intent,
            confidence=message.confidence,
            entities=message.entities,
            text=message.text,
            button_title=meta.get("button_title"),
        )
        signal = staff_words.signal_label(message.safety)
        if signal:
            out["understood"]["signal"] = signal
        safety = message.safety or {}
        raised = staff_words.escalation_label(
            (safety.get("accumulated") or {}).get("escalation") or safety.get("escalation")
        )
        if raised:
            out["understood"]["raised"] = raised
    return out


def detail_out(db: Session, chat_session: ChatSession) -> Dict[str, Any]:
    out = summary_out(db, chat_session)
    messages: List[Message] = list(
        db.execute(
            select(Message).where(Message.session_id == chat_session.id).order_by(Message.seq)
        ).scalars()
    )
    handoffs: List[Handoff] = list(
        db.execute(
            select(Handoff).where(Handoff.session_id == chat_session.id).order_by(Handoff.id)
        ).scalars()
    )
    out.update(
        closed_at=chat_session.closed_at,
        messages=[transcript_msg_out(db, m) for m in messages],
        handoffs=[
            {
                "reason": h.reason,
                "at": h.created_at,
                "message_id": h.message_id,
                "taken_by": _username(db, h.taken_by_user_id),
                "taken_at": h.taken_at,
                "handed_back_at": h.handed_back_at,
                "closed_at": h.closed_at,
            }
            for h in handoffs
        ],
    )
    return out

"""A realistic finished conversation (persona P1 "Mamadou", Guinea) for the records tests.

Written through the real services: each client answer goes into the plan with
the id of the message it came from, exactly as the action server does, and the
session is closed the day before ``now`` ("yesterday's session").
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Dict, List, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import sessions
from bot.db.models import ChatSession, Message, User
from bot.plan import service as plan_service

CLIENT_REF = "GN-2025-017"

# (bot question, client answer, [(plan path, value)] written from that answer, nlu)
TURNS: List[Tuple[str, str, List[Tuple[str, object]], Dict]] = [
    (
        "Uit welk land komt u?",
        "Ik kom uit Guinee, uit Kindia.",
        [("client_info.country_of_origin", "Guinee")],
        {"intent": "inform", "confidence": 0.94, "entities": [{"entity": "country", "value": "Guinee"}]},
    ),
    (
        "Wat heeft u tot nu toe gedaan? Welk werk heeft u gedaan?",
        "Ik had een kleine winkel in Kindia, rijst en telefoonkaarten. Hier heb ik in een magazijn geholpen.",
        [
            (
                "sections.background.work_experience",
                {
                    "description": "Eigen winkel (rijst, telefoonkaarten) in Kindia",
                    "where": "country_of_origin",
                },
            ),
            (
                "sections.background.work_experience",
                {"description": "Hulp in een magazijn", "where": "netherlands"},
            ),
        ],
        {"intent": "inform", "confidence": 0.88},
    ),
    (
        "Waar bent u goed in?",
        "Rekenen, handel drijven en met mensen praten.",
        [("sections.background.talents", "Rekenen, handel drijven, met mensen praten")],
        {"intent": "inform", "confidence": 0.91},
    ),
    (
        "Wie kan u helpen, hier of daar?",
        "Mijn broer Sekou in Conakry. En de moskee hier.",
        [
            (
                "sections.support.supporters",
                {
                    "category": "family",
                    "who": "Broer Sekou",
                    "helps_with": "onderdak en contacten",
                    "where": "country_of_origin",
                },
            ),
            (
                "sections.support.supporters",
                {
                    "category": "religious_communities",
                    "who": "De moskee",
                    "helps_with": "steun en advies",
                    "where": "netherlands",
                },
            ),
        ],
        {"intent": "inform", "confidence": 0.86},
    ),
    (
        "Maakt u zich zorgen over uw veiligheid als u teruggaat?",
        "Nee, niet echt.",
        [("sections.safety.worried", False)],
        {"intent": "deny", "confidence": 0.97},
    ),
    (
        "Wat voor werk zou u daar willen doen?",
        "Weer een winkel beginnen, maar groter, met groente erbij. Over een jaar.",
        [
            (
                "sections.goals.items",
                {
                    "id": "g-work",
                    "domain": "work",
                    "where": "country_of_origin",
                    "description": "Een eigen winkel met rijst, telefoonkaarten en groente",
                    "when": "binnen een jaar na terugkeer",
                    "why": "Zelf geld verdienen voor mijn familie",
                    "own_role": "Ik regel de winkel zelf, mijn broer helpt met een plek",
                },
            )
        ],
        {"intent": "inform", "confidence": 0.83},
    ),
    (
        "Wat heeft u daarvoor nodig?",
        "Geld voor de eerste voorraad en een cursus boekhouden.",
        [
            (
                "sections.goal_needs.items",
                {
                    "goal_id": "g-work",
                    "domain": "work",
                    "aspect": "money",
                    "description": "Startgeld voor de eerste voorraad",
                },
            ),
            (
                "sections.goal_needs.items",
                {
                    "goal_id": "g-work",
                    "domain": "work",
                    "aspect": "training",
                    "description": "Cursus boekhouden",
                },
            ),
        ],
        {"intent": "inform", "confidence": 0.8},
    ),
    (
        "Welke kant kiest u nu, voorlopig?",
        "Teruggaan, met hulp.",
        [("provisional_decision.option", "return_with_support")],
        {"intent": "inform", "confidence": 0.9},
    ),
    (
        "Hoe belangrijk is dat voor u, van 0 tot 10?",
        "8",
        [("provisional_decision.importance", 8)],
        {"intent": "inform", "confidence": 0.99},
    ),
]

ACTIONS = [
    {
        "section": "goals",
        "kind": "training_course",
        "description": "Cursus boekhouden voor kleine ondernemers zoeken",
        "owner": "client",
        "due_text": "voor de volgende afspraak",
        "goal_id": "g-work",
    },
    {
        "section": "support",
        "kind": "contact_family",
        "description": "Broer Sekou bellen over een plek voor de winkel",
        "owner": "client",
        "due_text": "deze week",
    },
    {
        "section": "practical_matters",
        "kind": "return_support_application",
        "description": "Oriënterend gesprek met IOM over terugkeerondersteuning plannen",
        "owner": "counsellor",
        "owner_name": "IOM Den Haag",
        "due_text": "binnen twee weken",
    },
]


def _shift(db: Session, chat_session: ChatSession, started: datetime) -> None:
    """Move the whole conversation to ``started`` (minute by minute), as if it happened then."""
    messages = sorted(chat_session.messages, key=lambda m: m.seq)
    chat_session.started_at = started
    for index, message in enumerate(messages):
        message.created_at = started + timedelta(minutes=index)
    chat_session.last_message_at = messages[-1].created_at if messages else started
    for handoff in chat_session.handoffs:
        handoff.created_at = started + timedelta(minutes=3)


def seed_finished_session(
    db: Session,
    *,
    now: Optional[datetime] = None,
    client_ref: str = CLIENT_REF,
    days_ago: int = 1,
    with_handoff: bool = True,
) -> str:
    """A closed session with a filled draft plan; returns its id. The caller commits."""
    now = now or datetime.now(timezone.utc)
    chat = sessions.create_session(db, client_ref=client_ref)
    counsellor = _staff_id(db)
    sessions.add_message(
        db,
        chat,
        sender="bot",
        text="Welkom. Ik ben de toekomstcoach.",
        utter_action="utter_greet",
        mi_code="affirmation",
    )
    for index, (question, answer, writes, nlu) in enumerate(TURNS):
        sessions.add_message(
            db, chat, sender="bot", text=question, utter_action="utter_ask", mi_code="open_question"
        )
        said = sessions.add_message(
            db,
            chat,
            sender="client",
            text=answer,
            forwarded_to_rasa=True,
            safety={"category": "none", "flag": None, "matched": None},
            **nlu,
        )
        for path, value in writes:
            plan_service.record_answer(
                db,
                session_id=chat.id,
                path=path,
                value=value,
                message_id=said.id,
                confidence=nlu.get("confidence"),
            )
        if with_handoff and counsellor is not None and index == 4:
            # The client asks for a person halfway; a counsellor takes over and hands back.
            said = sessions.add_message(
                db,
                chat,
                sender="client",
                text="Kan ik even met iemand praten?",
                intent="request_human",
                confidence=0.95,
                forwarded_to_rasa=True,
                safety={"category": "request", "flag": "request", "matched": "met iemand praten"},
            )
            sessions.request_handoff(db, chat, reason="request", message_id=said.id)
            sessions.take_over(db, chat, user_id=counsellor)
            sessions.add_message(
                db,
                chat,
                sender="counsellor",
                text="Ik ben er. Zullen we samen verder kijken?",
                author_user_id=counsellor,
            )
            sessions.hand_back(db, chat, user_id=counsellor)
    last_client = [m for m in chat.messages if m.sender == "client"][-1]
    for action in ACTIONS:
        plan_service.add_action_item(db, chat.id, action, message_id=last_client.id)
    sessions.set_phase(db, chat, "verkrijgen")
    sessions.close(db, chat)
    db.flush()
    started = (now - timedelta(days=days_ago)).replace(hour=10, minute=0, second=0, microsecond=0)
    _shift(db, chat, started)
    chat.closed_at = chat.last_message_at
    db.flush()
    return chat.id


def _staff_id(db: Session) -> Optional[int]:
    user = db.execute(select(User).where(User.role == "counsellor").order_by(User.id)).scalars().first()
    return user.id if user is not None else None


def message_by_text(db: Session, session_id: str, starts_with: str) -> Message:
    return db.execute(
        select(Message).where(Message.session_id == session_id, Message.text.startswith(starts_with))
    ).scalar_one()


__all__ = ["CLIENT_REF", "seed_finished_session", "message_by_text"]

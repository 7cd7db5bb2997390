"""Session service: state machine, transcript ordering, resume by client_ref."""

from __future__ import annotations

import threading
from datetime import timezone

import pytest
from sqlalchemy import select

from bot import sessions
from bot.db.engine import session_scope
from bot.db.models import AuditEvent, ChatSession, Handoff, Message, Plan, User
from bot.plan import service as plan_service
from bot.plan.schema import validate
from bot.sessions import IllegalTransition, MessageNotFound, SessionClosed, SessionNotFound


@pytest.fixture
def counsellors(db):
    anna = User(username="anna", password_hash="x", role="counsellor")
    bram = User(username="bram", password_hash="x", role="counsellor")
    db.add_all([anna, bram])
    db.flush()
    return anna, bram


def _system_texts(db, chat_session):
    return [m.text for m in sessions.messages_after(db, chat_session.id) if m.sender == "system"]


def _audit_actions(db, session_id):
    return [
        e.action
        for e in db.execute(
            select(AuditEvent).where(AuditEvent.object_id == session_id).order_by(AuditEvent.id)
        ).scalars()
    ]


# --- creation and lookup ---------------------------------------------------------


def test_create_session_starts_with_bot_verkennen_and_a_valid_plan(db):
    chat = sessions.create_session(db, language="nl")
    db.commit()
    assert len(chat.id) == 32 and int(chat.id, 16) >= 0
    assert (chat.status, chat.phase, chat.is_training) == ("bot", "verkennen", False)
    assert chat.started_at.tzinfo is not None and chat.started_at.utcoffset().total_seconds() == 0
    plan = plan_service.get_plan(db, chat.id)
    validate(plan)
    assert plan["session_id"] == chat.id and plan["session_ids"] == [chat.id]
    assert {s["status"] for s in plan["sections"].values()} == {"not_started"}
    assert _audit_actions(db, chat.id) == ["session.created"]


def test_create_session_rejects_unknown_language(db):
    with pytest.raises(ValueError, match="language"):
        sessions.create_session(db, language="xx")


def test_get_session_unknown_id(db):
    with pytest.raises(SessionNotFound):
        sessions.get_session(db, "0" * 32)


# --- transcript ------------------------------------------------------------------


def test_messages_get_increasing_seq_and_update_last_message_at(db):
    chat = sessions.create_session(db)
    first = sessions.add_message(
        db, chat, sender="bot", text="Hallo", buttons=[{"title": "Ja", "payload": "/affirm"}]
    )
    second = sessions.add_message(
        db,
        chat,
        sender="client",
        text="hoi",
        intent="greet",
        confidence=0.91,
        safety={"category": "none"},
        forwarded_to_rasa=True,
    )
    db.commit()
    assert (first.seq, second.seq) == (1, 2)
    assert first.id.startswith("m-") and len(first.id) == 18
    assert chat.last_message_at == second.created_at
    stored = db.get(Message, second.id)
    assert (stored.intent, stored.confidence, stored.forwarded_to_rasa) == ("greet", 0.91, True)
    assert db.get(Message, first.id).buttons == [{"title": "Ja", "payload": "/affirm"}]


def test_messages_after_returns_only_later_messages_in_order(db):
    chat = sessions.create_session(db)
    ids = [sessions.add_message(db, chat, sender="client", text=str(i)).id for i in range(5)]
    assert [m.text for m in sessions.messages_after(db, chat.id)] == ["0", "1", "2", "3", "4"]
    assert [m.text for m in sessions.messages_after(db, chat.id, ids[2])] == ["3", "4"]
    assert sessions.messages_after(db, chat.id, ids[-1]) == []


def test_messages_after_unknown_ids(db):
    chat = sessions.create_session(db)
    other = sessions.create_session(db)
    foreign = sessions.add_message(db, other, sender="client", text="elders")
    with pytest.raises(MessageNotFound):
        sessions.messages_after(db, chat.id, "m-doesnotexist0000")
    with pytest.raises(MessageNotFound):
        sessions.messages_after(db, chat.id, foreign.id)
    with pytest.raises(SessionNotFound):
        sessions.messages_after(db, "f" * 32)


@pytest.mark.parametrize(
    "kwargs, complaint",
    [
        ({"sender": "robot", "text": "x"}, "sender"),
        ({"sender": "client", "text": None}, "text"),
        ({"sender": "client", "text": "x", "confidence": 1.5}, "confidence"),
    ],
    ids=["sender", "text", "confidence"],
)
def test_add_message_rejects_bad_input_and_stores_nothing(db, kwargs, complaint):
    chat = sessions.create_session(db)
    with pytest.raises(ValueError, match=complaint):
        sessions.add_message(db, chat, **kwargs)
    assert sessions.messages_after(db, chat.id) == []


# --- state machine ---------------------------------------------------------------


def test_full_handoff_cycle_writes_system_messages_and_audit(db, counsellors):
    anna, _ = counsellors
    chat = sessions.create_session(db)
    trigger = sessions.add_message(db, chat, sender="client", text="ik wil een mens spreken")

    handoff = sessions.request_handoff(db, chat, reason="request", message_id=trigger.id)
    assert (chat.status, chat.handoff_reason) == ("waiting_for_human", "request")
    assert handoff.message_id == trigger.id and handoff.created_at.tzinfo is not None

    sessions.take_over(db, chat, user_id=anna.id)
    assert (chat.status, chat.assigned_user_id) == ("human", anna.id)
    assert (handoff.taken_by_user_id, handoff.taken_at is not None) == (anna.id, True)

    sessions.hand_back(db, chat, user_id=anna.id)
    assert (chat.status, chat.assigned_user_id, chat.handoff_reason) == ("bot", None, None)
    assert handoff.handed_back_at is not None and handoff.closed_at is not None

    sessions.close(db, chat, user_id=anna.id)
    db.commit()
    assert chat.status == "closed" and chat.closed_at is not None
    assert _system_texts(db, chat) == ["handoff:request", "takeover", "handback", "closed"]
    takeover = [m for m in sessions.messages_after(db, chat.id) if m.text == "takeover"][0]
    assert takeover.meta["user_id"] == anna.id
    assert _audit_actions(db, chat.id) == [
        "session.created",
        "session.handoff_requested",
        "session.takeover",
        "session.handback",
        "session.closed",
    ]
    takeover_event = db.execute(
        select(AuditEvent).where(AuditEvent.action == "session.takeover")
    ).scalar_one()
    assert (takeover_event.user_id, takeover_event.username) == (anna.id, "anna")


def test_counsellor_may_take_over_unasked(db, counsellors):
    anna, _ = counsellors
    chat = sessions.create_session(db)
    sessions.take_over(db, chat, user_id=anna.id)
    assert chat.status == "human"
    assert db.execute(select(Handoff)).scalars().all() == []
    assert _system_texts(db, chat) == ["takeover"]


def test_take_over_twice(db, counsellors):
    anna, bram = counsellors
    chat = sessions.create_session(db)
    sessions.take_over(db, chat, user_id=anna.id)
    sessions.take_over(db, chat, user_id=anna.id)  # double click: no error, no new message
    assert _system_texts(db, chat) == ["takeover"]
    with pytest.raises(IllegalTransition, match="already holds"):
        sessions.take_over(db, chat, user_id=bram.id)
    assert chat.assigned_user_id == anna.id


@pytest.mark.parametrize("status_path", ["bot", "waiting_for_human"])
def test_hand_back_only_from_human(db, counsellors, status_path):
    anna, _ = counsellors
    chat = sessions.create_session(db)
    if status_path == "waiting_for_human":
        sessions.request_handoff(db, chat, reason="uncertain", message_id=None)
    with pytest.raises(IllegalTransition):
        sessions.hand_back(db, chat, user_id=anna.id)
    assert chat.status == status_path


def test_request_handoff_not_while_a_person_holds_the_session(db, counsellors):
    anna, _ = counsellors
    chat = sessions.create_session(db)
    sessions.take_over(db, chat, user_id=anna.id)
    with pytest.raises(IllegalTransition):
        sessions.request_handoff(db, chat, reason="crisis", message_id=None)


def test_second_non_crisis_request_while_waiting_is_illegal(db):
    chat = sessions.create_session(db)
    sessions.request_handoff(db, chat, reason="uncertain", message_id=None)
    with pytest.raises(IllegalTransition):
        sessions.request_handoff(db, chat, reason="emotion", message_id=None)


def test_crisis_escalates_a_waiting_session(db):
    chat = sessions.create_session(db)
    first = sessions.request_handoff(db, chat, reason="uncertain", message_id=None)
    message = sessions.add_message(db, chat, sender="client", text="ik wil niet meer leven")
    crisis = sessions.request_handoff(db, chat, reason="crisis", message_id=message.id)
    assert chat.handoff_reason == "crisis" and chat.status == "waiting_for_human"
    assert first.closed_at is not None and crisis.closed_at is None
    assert _system_texts(db, chat) == ["handoff:uncertain", "handoff:crisis"]
    with pytest.raises(IllegalTransition):
        sessions.request_handoff(db, chat, reason="crisis", message_id=None)


def test_request_handoff_validates_reason_and_message(db):
    chat = sessions.create_session(db)
    other = sessions.create_session(db)
    foreign = sessions.add_message(db, other, sender="client", text="x")
    with pytest.raises(ValueError, match="reason"):
        sessions.request_handoff(db, chat, reason="bored", message_id=None)
    with pytest.raises(MessageNotFound):
        sessions.request_handoff(db, chat, reason="crisis", message_id=foreign.id)
    assert chat.status == "bot"


def test_closed_session_refuses_everything(db, counsellors):
    anna, _ = counsellors
    chat = sessions.create_session(db)
    sessions.close(db, chat)
    db.commit()
    with pytest.raises(SessionClosed):
        sessions.add_message(db, chat, sender="client", text="hallo?")
    with pytest.raises(SessionClosed):
        sessions.add_message(db, chat, sender="counsellor", text="hallo", author_user_id=anna.id)
    for attempt in (
        lambda: sessions.request_handoff(db, chat, reason="crisis", message_id=None),
        lambda: sessions.take_over(db, chat, user_id=anna.id),
        lambda: sessions.hand_back(db, chat, user_id=anna.id),
        lambda: sessions.close(db, chat, user_id=anna.id),
        lambda: sessions.set_phase(db, chat, "kiezen"),
    ):
        with pytest.raises(SessionClosed):
            attempt()
    assert _system_texts(db, chat) == ["closed"]


def test_close_from_every_open_status(db, counsellors):
    anna, _ = counsellors
    waiting = sessions.create_session(db)
    sessions.request_handoff(db, waiting, reason="emotion", message_id=None)
    held = sessions.create_session(db)
    sessions.take_over(db, held, user_id=anna.id)
    for chat in (waiting, held):
        sessions.close(db, chat, user_id=anna.id)
        assert chat.status == "closed"
    handoff = db.execute(select(Handoff).where(Handoff.session_id == waiting.id)).scalar_one()
    assert handoff.closed_at is not None


def test_stale_object_sees_a_close_made_elsewhere(sqlite_url):
    """The API and the action server hold separate sessions: the lock reloads status."""
    with session_scope(sqlite_url) as db:
        session_id = sessions.create_session(db).id
    with session_scope(sqlite_url) as first, session_scope(sqlite_url) as second:
        stale = sessions.get_session(first, session_id)
        sessions.close(second, sessions.get_session(second, session_id))
        second.commit()
        with pytest.raises(SessionClosed):
            sessions.add_message(first, stale, sender="bot", text="nog iets")
        first.rollback()


# --- phases and resume ------------------------------------------------------------


def test_set_phase_moves_plan_phase_reached_forward_only(db):
    chat = sessions.create_session(db)
    sessions.set_phase(db, chat, "kiezen")
    assert plan_service.get_plan(db, chat.id)["phase_reached"] == "kiezen"
    sessions.set_phase(db, chat, "verkennen")
    assert chat.phase == "verkennen"
    assert plan_service.get_plan(db, chat.id)["phase_reached"] == "kiezen"
    with pytest.raises(ValueError, match="phase"):
        sessions.set_phase(db, chat, "dromen")


def test_hand_back_into_another_phase(db, counsellors):
    anna, _ = counsellors
    chat = sessions.create_session(db)
    sessions.take_over(db, chat, user_id=anna.id)
    sessions.hand_back(db, chat, user_id=anna.id, phase="verkrijgen")
    assert chat.phase == "verkrijgen"
    assert plan_service.get_plan(db, chat.id)["phase_reached"] == "verkrijgen"
    handback = [m for m in sessions.messages_after(db, chat.id) if m.text == "handback"][0]
    assert handback.meta["phase"] == "verkrijgen"


def test_resume_by_client_ref_reuses_the_plan_and_phase(db):
    first = sessions.create_session(db, client_ref=" K-2024-17 ")
    message = sessions.add_message(db, first, sender="client", text="ik kan goed koken")
    plan_service.record_answer(db, first.id, "sections.background.talents", "koken", message_id=message.id)
    sessions.set_phase(db, first, "kiezen")
    sessions.close(db, first)
    db.commit()

    second = sessions.create_session(db, client_ref="K-2024-17")
    db.commit()
    assert second.plan_id == first.plan_id
    assert second.phase == "kiezen"
    plan = plan_service.get_plan(db, second.id)
    assert plan["session_ids"] == [first.id, second.id]
    assert plan["sections"]["background"]["talents"]["value"] == "koken"
    assert db.execute(select(Plan)).scalars().all() == [db.get(Plan, first.plan_id)]


def test_no_resume_without_ref_or_for_training(db):
    a = sessions.create_session(db, client_ref="  ")
    b = sessions.create_session(db, client_ref=None)
    c = sessions.create_session(db, client_ref="K-1")
    training = sessions.create_session(db, client_ref="K-1", is_training=True)
    assert a.client_ref is None
    assert len({a.plan_id, b.plan_id, c.plan_id, training.plan_id}) == 4
    assert training.phase == "verkennen"


def test_list_sessions_filters_by_status(db):
    waiting = sessions.create_session(db)
    sessions.request_handoff(db, waiting, reason="crisis", message_id=None)
    sessions.create_session(db)
    assert [s.id for s in sessions.list_sessions(db, status="waiting_for_human")] == [waiting.id]
    assert len(sessions.list_sessions(db)) == 2
    with pytest.raises(ValueError):
        sessions.list_sessions(db, status="sleeping")


# --- concurrency -------------------------------------------------------------------


def _hammer(url: str, session_id: str, workers: int, work) -> list:
    errors: list = []
    barrier = threading.Barrier(workers)

    def run(index: int) -> None:
        try:
            barrier.wait()
            with session_scope(url) as db:
                work(db, sessions.get_session(db, session_id), index)
        except Exception as exc:  # collected and asserted below
            errors.append(repr(exc))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


def _assert_seq_is_safe_under_concurrency(url: str) -> None:
    with session_scope(url) as db:
        session_id = sessions.create_session(db).id
    errors = _hammer(
        url,
        session_id,
        20,
        lambda db, chat, i: sessions.add_message(db, chat, sender="client", text=f"bericht {i}"),
    )
    assert errors == []
    with session_scope(url) as db:
        stored = sessions.messages_after(db, session_id)
        assert [m.seq for m in stored] == list(range(1, 21))
        assert sorted(m.text for m in stored) == sorted(f"bericht {i}" for i in range(20))
        assert db.get(ChatSession, session_id).last_message_at.tzinfo == timezone.utc


def _assert_plan_writes_are_not_lost(url: str) -> None:
    with session_scope(url) as db:
        chat = sessions.create_session(db)
        session_id = chat.id
        message_ids = [sessions.add_message(db, chat, sender="client", text=str(i)).id for i in range(20)]

    def write(db, chat, i):
        plan_service.record_answer(
            db,
            chat.id,
            "sections.support.supporters",
            {"category": "friends", "who": f"vriend {i}"},
            message_id=message_ids[i],
        )

    assert _hammer(url, session_id, 20, write) == []
    with session_scope(url) as db:
        supporters = plan_service.get_plan(db, session_id)["sections"]["support"]["supporters"]
        assert sorted(s["who"] for s in supporters) == sorted(f"vriend {i}" for i in range(20))
        assert len(plan_service.plan_history(db, session_id)) >= 20


def test_seq_under_20_threads_sqlite(sqlite_url):
    _assert_seq_is_safe_under_concurrency(sqlite_url)


def test_plan_writes_under_20_threads_sqlite(sqlite_url):
    _assert_plan_writes_are_not_lost(sqlite_url)


def test_seq_under_20_threads_postgresql(pg_url):
    _assert_seq_is_safe_under_concurrency(pg_url)


def test_plan_writes_under_20_threads_postgresql(pg_url):
    _assert_plan_writes_are_not_lost(pg_url)


def test_transitions_race_one_winner_postgresql(pg_url):
    """Two counsellors click 'take over' at once: exactly one gets the session."""
    with session_scope(pg_url) as db:
        users = [User(username=f"c{i}", password_hash="x", role="counsellor") for i in range(2)]
        db.add_all(users)
        db.flush()
        user_ids = [u.id for u in users]
        chat = sessions.create_session(db)
        sessions.request_handoff(db, chat, reason="request", message_id=None)
        session_id = chat.id
    errors = _hammer(
        pg_url, session_id, 2, lambda db, chat, i: sessions.take_over(db, chat, user_id=user_ids[i])
    )
    assert len(errors) == 1 and "IllegalTransition" in errors[0]
    with session_scope(pg_url) as db:
        assert _system_texts(db, sessions.get_session(db, session_id)).count("takeover") == 1

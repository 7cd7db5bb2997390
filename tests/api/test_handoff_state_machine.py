"""The whole hand-off state machine through the HTTP endpoints:
bot → waiting_for_human → human → bot → human → closed, the 409s of illegal
steps (nothing written), and the record of who did what when."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.db.models import AuditEvent, Handoff, Message

from fake_rasa import FakeRasa

API = "/api/v1"


class PhaseKeepingFakeRasa(FakeRasa):
    """The base fake reports "verkennen" on every hand-off turn; real Rasa reports its `phase` slot."""

    def converse(self, sender: str, text: str) -> dict:
        reply = super().converse(sender, text)
        if reply["paused"]:
            reply["phase"] = self._phase(sender)
        return reply


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return PhaseKeepingFakeRasa()


def _staff(sid: str, step: str) -> str:
    return f"{API}/staff/sessions/{sid}/{step}"


def _audit(dbs, sid):
    with dbs() as db:
        return list(
            db.execute(
                select(AuditEvent).where(AuditEvent.object_id == sid).order_by(AuditEvent.id)
            ).scalars()
        )


def _rows(dbs, model, sid):
    with dbs() as db:
        order = model.seq if model is Message else model.id
        return list(db.execute(select(model).where(model.session_id == sid).order_by(order)).scalars())


def _recent(moment) -> bool:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return abs(datetime.now(timezone.utc) - moment) < timedelta(minutes=1)


@pytest.fixture
async def waiting(start_session, say):
    """A client session the bot handed off because the client asked for a person."""
    session = await start_session()
    body = (await say(session["session_id"], "/request_human", title="Ik wil met een mens praten")).json()
    assert body["status"] == "waiting_for_human"
    return session["session_id"]


async def test_full_cycle_with_who_and_when_on_every_step(
    client, token_for, users, say, fake_rasa, dbs, kiosk_headers, waiting
):
    anna = await token_for("anna")
    sid = waiting

    # While nobody has taken over, the client's words are stored, not sent to Rasa.
    assert (await say(sid, "Hallo? Is daar iemand?")).json()["status"] == "waiting_for_human"

    taken = (await client.post(_staff(sid, "takeover"), headers=anna)).json()
    assert taken["session"]["status"] == "human" and taken["session"]["assigned_to"] == "anna"
    assert [m.get("event") for m in taken["messages"]] == ["takeover"]
    detail = (await client.get(f"{API}/staff/sessions/{sid}", headers=anna)).json()
    waited = [m for m in detail["messages"] if m["text"] == "Hallo? Is daar iemand?"]
    assert len(waited) == 1 and waited[0]["forwarded_to_rasa"] is False

    sent = (
        await client.post(_staff(sid, "messages"), json={"text": "Ik ben Anna, ik ben er."}, headers=anna)
    ).json()
    assert [(m["sender"], m["text"]) for m in sent["messages"]] == [("counsellor", "Ik ben Anna, ik ben er.")]
    kiosk_view = (await client.get(f"{API}/sessions/{sid}/messages", headers=kiosk_headers)).json()
    assert kiosk_view["messages"][-1]["text"] == "Ik ben Anna, ik ben er."
    reply = (await say(sid, "Dank u")).json()
    assert reply["status"] == "human" and [m["sender"] for m in reply["messages"]] == ["client"]

    calls_before = len(fake_rasa.channel_calls())
    back = await client.post(_staff(sid, "handback"), json={}, headers=anna)
    assert back.status_code == 200, back.text
    back = back.json()
    assert (back["session"]["status"], back["session"]["phase"], back["session"]["assigned_to"]) == (
        "bot",
        "verkennen",
        None,
    )
    assert [m.get("event") for m in back["messages"]][0] == "handback"
    assert [m["sender"] for m in back["messages"][1:]] == ["bot"]  # the bot's next turn
    assert [c["body"]["message"] for c in fake_rasa.channel_calls()[calls_before:]] == [
        "/resume_conversation"
    ]
    assert (await say(sid, "Ik wil verder")).json()["status"] == "bot"  # the bot talks again

    # A counsellor may step in unasked, then close.
    assert (await client.post(_staff(sid, "takeover"), headers=anna)).json()["session"]["status"] == "human"
    closed = (await client.post(_staff(sid, "close"), headers=anna)).json()
    assert closed["session"]["status"] == "closed"
    assert (await say(sid, "nog iets")).status_code == 409

    anna_id = users["anna"]
    steps = (
        "session.created",
        "session.handoff_requested",
        "session.takeover",
        "session.counsellor_message",
        "session.handback",
        "session.closed",
    )
    events = [(e.action, e.user_id, e.username) for e in _audit(dbs, sid) if e.action in steps]
    assert [a for a, _, _ in events] == [
        "session.created",
        "session.handoff_requested",
        "session.takeover",
        "session.counsellor_message",
        "session.handback",
        "session.takeover",
        "session.closed",
    ]
    assert events[1][2] == "bot"
    assert all((user_id, username) == (anna_id, "anna") for action, user_id, username in events[2:])
    assert all(_recent(e.created_at) for e in _audit(dbs, sid))

    [handoff] = _rows(dbs, Handoff, sid)
    assert (handoff.reason, handoff.taken_by_user_id) == ("request", anna_id)
    assert handoff.created_at <= handoff.taken_at <= handoff.handed_back_at
    written = [m for m in _rows(dbs, Message, sid) if m.sender == "counsellor"]
    assert [(m.text, m.author_user_id) for m in written] == [("Ik ben Anna, ik ben er.", anna_id)]
    assert _recent(written[0].created_at)

    transcript = (await client.get(f"{API}/staff/sessions/{sid}", headers=anna)).json()
    notes = [m["event"] for m in transcript["messages"] if m.get("event")]
    assert notes == ["handoff:request", "takeover", "handback", "takeover", "closed"]
    assert transcript["handoffs"][0]["taken_by"] == "anna"
    assert next(m for m in transcript["messages"] if m["sender"] == "counsellor")["author"] == "anna"


async def test_handback_resumes_in_the_phase_the_session_was_in(
    client, token_for, start_session, say, fake_rasa
):
    fake_rasa.phase_after = {2: "kiezen"}
    session = await start_session()
    sid = session["session_id"]
    assert (await say(sid, "een antwoord")).json()["phase"] == "kiezen"
    await say(sid, "/request_human")
    anna = await token_for("anna")
    await client.post(_staff(sid, "takeover"), headers=anna)
    back = (await client.post(_staff(sid, "handback"), headers=anna)).json()  # no body: current phase
    assert back["session"]["phase"] == "kiezen"
    assert fake_rasa.phase_set[sid] == "kiezen"
    [resume] = fake_rasa.channel_calls("/resume_conversation")
    assert resume["body"]["metadata"]["phase"] == "kiezen"


# --- illegal steps: 409 and nothing written ------------------------------------------


async def _to_state(state, *, client, token_for, start_session, say):
    anna = await token_for("anna")
    sid = (await start_session())["session_id"]
    if state in ("waiting", "human", "closed"):
        await say(sid, "/request_human")
    if state == "human":
        await client.post(_staff(sid, "takeover"), headers=anna)
    if state == "closed":
        await client.post(_staff(sid, "close"), headers=anna)
    return sid


@pytest.mark.parametrize(
    "state, step, body",
    [
        ("waiting", "handback", {}),  # nobody took it over
        ("bot", "handback", {}),
        ("closed", "handback", {}),
        ("closed", "takeover", None),
        ("closed", "close", None),
        ("waiting", "messages", {"text": "hallo"}),  # a counsellor message to a session not held
        ("bot", "messages", {"text": "hallo"}),
        ("closed", "messages", {"text": "hallo"}),
    ],
)
async def test_illegal_steps_are_409_and_write_nothing(
    state, step, body, client, token_for, start_session, say, counts
):
    sid = await _to_state(state, client=client, token_for=token_for, start_session=start_session, say=say)
    anna = await token_for("anna")  # signing in is audited: before counting
    before = counts()
    response = await client.post(_staff(sid, step), json=body, headers=anna)
    assert response.status_code == 409, response.text
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]
    assert counts() == before


@pytest.mark.parametrize(
    "step, body",
    [("takeover", None), ("messages", {"text": "ik neem het over"}), ("handback", {}), ("close", None)],
)
async def test_a_colleague_cannot_act_on_a_session_another_counsellor_holds(
    step, body, client, token_for, dbs, start_session, say, counts, users
):
    from bot import accounts

    with dbs() as db:
        accounts.create_user(db, "bert", "counsellor", "bert-password")
        db.commit()
    sid = await _to_state("human", client=client, token_for=token_for, start_session=start_session, say=say)
    login = await client.post(f"{API}/auth/token", data={"username": "bert", "password": "bert-password"})
    bert = {"Authorization": "Bearer " + login.json()["access_token"]}
    before = counts()
    response = await client.post(_staff(sid, step), json=body, headers=bert)
    assert response.status_code == 409, response.text
    assert "another counsellor" in response.json()["detail"]
    assert counts() == before


async def test_an_admin_may_take_a_held_session_back_to_the_bot(client, token_for, start_session, say):
    sid = await _to_state("human", client=client, token_for=token_for, start_session=start_session, say=say)
    response = await client.post(_staff(sid, "handback"), json={}, headers=await token_for("root"))
    assert response.status_code == 200 and response.json()["session"]["status"] == "bot"


@pytest.mark.parametrize("step", ["takeover", "handback", "close"])
async def test_unknown_session_is_404_and_trainers_may_not_touch_client_sessions(
    step, client, token_for, waiting
):
    assert (await client.post(_staff("0" * 32, step), headers=await token_for("anna"))).status_code == 404
    response = await client.post(_staff(waiting, step), headers=await token_for("tom"))
    assert response.status_code == 403


async def test_counsellor_text_is_checked_and_a_refused_one_is_not_stored(
    client, token_for, start_session, say, counts
):
    sid = await _to_state("human", client=client, token_for=token_for, start_session=start_session, say=say)
    anna = await token_for("anna")
    before = counts()
    for body, code in (({"text": "   "}, 422), ({}, 422), ({"text": "x" * 2001}, 413)):
        response = await client.post(_staff(sid, "messages"), json=body, headers=anna)
        assert response.status_code == code, response.text
    assert counts() == before

"""Staff: sign-in, role checks, queue, transcript, state machine, plan."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from sqlalchemy import select

from bot import accounts, sessions
from bot.db.models import AuditEvent, PlanChange
from bot.db.types import utcnow
from bot.plan import model as plan_model

API = "/api/v1"


@pytest.fixture
async def waiting_session(start_session, say):
    session = await start_session()
    await say(session["session_id"], "Het gaat niet zo goed.")
    await say(session["session_id"], "/request_human", title="Ik wil met een mens praten")
    return session["session_id"]


@pytest.fixture
def training_session(dbs):
    with dbs() as db:
        chat = sessions.create_session(db, is_training=True)
        sessions.add_message(db, chat, sender="bot", text="Oefengesprek")
        db.commit()
        return chat.id


# --- sign-in -------------------------------------------------------------------


async def test_sign_in_returns_a_bearer_jwt_with_role_and_expiry(client, users, settings):
    response = await client.post(f"{API}/auth/token", data={"username": "anna", "password": "anna-password"})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    claims = jwt.decode(body["access_token"], settings.jwt_secret, algorithms=["HS256"])
    assert claims["role"] == "counsellor" and claims["sub"] == str(users["anna"])
    assert claims["exp"] - claims["iat"] == settings.jwt_expire_minutes * 60


@pytest.mark.parametrize(
    "form",
    [
        {"username": "anna", "password": "wrong-password"},
        {"username": "nobody", "password": "anna-password"},
    ],
    ids=["wrong-password", "unknown-user"],
)
async def test_sign_in_refuses_bad_credentials(client, users, form):
    response = await client.post(f"{API}/auth/token", data=form)
    assert response.status_code == 401
    assert response.json()["detail"] == "wrong username or password"


async def test_sign_in_without_form_fields_is_422(client, users):
    response = await client.post(f"{API}/auth/token", data={"username": "anna"})
    assert response.status_code == 422 and "password" in response.json()["detail"]


async def test_disabled_user_is_refused_at_once_even_with_a_valid_token(client, token_for, dbs):
    headers = await token_for("anna")
    assert (await client.get(f"{API}/staff/sessions", headers=headers)).status_code == 200
    with dbs() as db:
        accounts.disable_user(db, "anna")
        db.commit()
    response = await client.get(f"{API}/staff/sessions", headers=headers)
    assert response.status_code == 401 and "disabled" in response.json()["detail"]
    assert (
        await client.post(f"{API}/auth/token", data={"username": "anna", "password": "anna-password"})
    ).status_code == 401


@pytest.mark.parametrize("token", ["expired", "forged", "garbage", None])
async def test_bad_tokens_are_401(client, users, settings, token):
    now = utcnow()
    claims = {"sub": str(users["anna"]), "role": "counsellor", "iat": now}
    tokens = {
        "expired": jwt.encode({**claims, "exp": now - timedelta(minutes=1)}, settings.jwt_secret, "HS256"),
        "forged": jwt.encode(
            {**claims, "exp": now + timedelta(hours=1)}, "another-secret-of-enough-length!", "HS256"
        ),
        "garbage": "not.a.token",
    }
    headers = {"Authorization": f"Bearer {tokens[token]}"} if token else {}
    response = await client.get(f"{API}/staff/sessions", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_a_kiosk_key_is_no_staff_token(client, kiosk_headers):
    assert (await client.get(f"{API}/staff/sessions", headers=kiosk_headers)).status_code == 401


# --- queue and roles ---------------------------------------------------------------


async def test_queue_lists_waiting_sessions_with_handoff(client, token_for, waiting_session, start_session):
    other = await start_session()
    headers = await token_for("anna")
    waiting = (
        await client.get(f"{API}/staff/sessions", params={"status": "waiting_for_human"}, headers=headers)
    ).json()
    assert [s["id"] for s in waiting] == [waiting_session]
    item = waiting[0]
    assert item["handoff"]["reason"] == "request"
    assert item["started_at"] and item["last_message_at"] and item["phase"] == "verkennen"
    everything = (await client.get(f"{API}/staff/sessions", headers=headers)).json()
    assert {s["id"] for s in everything} == {waiting_session, other["session_id"]}


async def test_queue_rejects_an_unknown_status_filter(client, token_for):
    response = await client.get(
        f"{API}/staff/sessions", params={"status": "sleeping"}, headers=await token_for("anna")
    )
    assert response.status_code == 422 and "status" in response.json()["detail"]


async def test_trainers_see_only_training_sessions(client, token_for, waiting_session, training_session):
    headers = await token_for("tom")
    listed = (await client.get(f"{API}/staff/sessions", headers=headers)).json()
    assert [s["id"] for s in listed] == [training_session]
    assert (await client.get(f"{API}/staff/sessions/{waiting_session}", headers=headers)).status_code == 403
    assert (
        await client.post(f"{API}/staff/sessions/{waiting_session}/takeover", headers=headers)
    ).status_code == 403
    assert (
        await client.get(f"{API}/staff/sessions/{waiting_session}/plan", headers=headers)
    ).status_code == 403
    assert (await client.get(f"{API}/staff/sessions/{training_session}", headers=headers)).status_code == 200


async def test_counsellors_see_only_client_sessions_and_admins_both(
    client, token_for, waiting_session, training_session
):
    anna = await token_for("anna")
    assert [s["id"] for s in (await client.get(f"{API}/staff/sessions", headers=anna)).json()] == [
        waiting_session
    ]
    assert (await client.get(f"{API}/staff/sessions/{training_session}", headers=anna)).status_code == 403
    root = await token_for("root")
    listed = {s["id"] for s in (await client.get(f"{API}/staff/sessions", headers=root)).json()}
    assert listed == {waiting_session, training_session}
    only_training = (
        await client.get(f"{API}/staff/sessions", params={"training": "true"}, headers=root)
    ).json()
    assert [s["id"] for s in only_training] == [training_session]


async def test_transcript_has_every_message_with_time_nlu_and_safety(client, token_for, waiting_session):
    detail = (
        await client.get(f"{API}/staff/sessions/{waiting_session}", headers=await token_for("anna"))
    ).json()
    senders = [m["sender"] for m in detail["messages"]]
    assert senders[:4] == ["bot", "bot", "client", "bot"]
    assert [m["seq"] for m in detail["messages"]] == list(range(1, len(senders) + 1))
    assert all(m["at"] for m in detail["messages"])
    first_client = detail["messages"][2]
    assert (first_client["intent"], first_client["confidence"]) == ("inform", 0.87)
    assert first_client["safety"]["category"] == "none"
    button = next(m for m in detail["messages"] if m.get("payload") == "/request_human")
    assert button["text"] == "Ik wil met een mens praten" and button["intent"] == "request_human"
    assert detail["messages"][1]["utter_action"] == "utter_ask_situation"
    assert [h["reason"] for h in detail["handoffs"]] == ["request"]
    assert detail["handoffs"][0]["message_id"] == button["id"]


async def test_unknown_session_is_404_for_staff(client, token_for):
    response = await client.get(f"{API}/staff/sessions/{'0' * 32}", headers=await token_for("anna"))
    assert response.status_code == 404


# --- state machine -------------------------------------------------------------------


async def test_takeover_reply_handback_round_trip(
    client, token_for, waiting_session, fake_rasa, say, kiosk_headers, dbs
):
    anna = await token_for("anna")
    taken = await client.post(f"{API}/staff/sessions/{waiting_session}/takeover", headers=anna)
    assert taken.status_code == 200
    assert (taken.json()["session"]["status"], taken.json()["session"]["assigned_to"]) == ("human", "anna")

    reply = await client.post(
        f"{API}/staff/sessions/{waiting_session}/messages",
        json={"text": "Hallo, ik ben Anna. Ik ben er nu."},
        headers=anna,
    )
    assert reply.status_code == 200
    polled = (await client.get(f"{API}/sessions/{waiting_session}/messages", headers=kiosk_headers)).json()
    counsellor = [m for m in polled["messages"] if m["sender"] == "counsellor"]
    assert [m["text"] for m in counsellor] == ["Hallo, ik ben Anna. Ik ben er nu."]
    assert polled["status"] == "human"

    back = await client.post(f"{API}/staff/sessions/{waiting_session}/handback", json={}, headers=anna)
    assert back.status_code == 200, back.text
    body = back.json()
    assert body["session"]["status"] == "bot" and body["session"]["handoff"] is None
    assert [m.get("event") for m in body["messages"]][0] == "handback"
    bot_turn = [m for m in body["messages"] if m["sender"] == "bot"]
    assert len(bot_turn) == 1
    events = [c for c in fake_rasa.calls if c["path"].endswith("/tracker/events")]
    assert events[0]["body"][0] == {"event": "resume"}
    assert events[0]["params"]["token"] == [fake_rasa.token]
    assert fake_rasa.channel_calls("/resume_conversation")[0]["body"]["metadata"]["system"] is True
    # The bot's turn is stored and the kiosk sees it.
    polled = (
        await client.get(
            f"{API}/sessions/{waiting_session}/messages",
            params={"after": body["messages"][0]["id"]},
            headers=kiosk_headers,
        )
    ).json()
    assert [m["id"] for m in polled["messages"]] == [m["id"] for m in body["messages"][1:]]
    # And the bot listens again.
    assert (await say(waiting_session, "verder")).json()["status"] == "bot"
    assert fake_rasa.channel_calls("verder")


async def test_handback_can_resume_in_another_phase(client, token_for, waiting_session, fake_rasa):
    anna = await token_for("anna")
    await client.post(f"{API}/staff/sessions/{waiting_session}/takeover", headers=anna)
    body = (
        await client.post(
            f"{API}/staff/sessions/{waiting_session}/handback", json={"phase": "kiezen"}, headers=anna
        )
    ).json()
    assert body["session"]["phase"] == "kiezen"
    events = next(c for c in fake_rasa.calls if c["path"].endswith("/tracker/events"))["body"]
    assert {"event": "slot", "name": "phase", "value": "kiezen"} in events
    assert fake_rasa.channel_calls("/resume_conversation")[0]["body"]["metadata"]["phase"] == "kiezen"


async def test_handback_with_a_bad_phase_is_422(client, token_for, waiting_session):
    anna = await token_for("anna")
    await client.post(f"{API}/staff/sessions/{waiting_session}/takeover", headers=anna)
    response = await client.post(
        f"{API}/staff/sessions/{waiting_session}/handback", json={"phase": "slapen"}, headers=anna
    )
    assert response.status_code == 422


async def test_handback_of_a_session_nobody_took_over_is_409(
    client, token_for, waiting_session, fake_rasa, counts
):
    anna = await token_for("anna")
    before = counts()
    response = await client.post(f"{API}/staff/sessions/{waiting_session}/handback", headers=anna)
    assert response.status_code == 409
    assert counts() == before
    assert not [c for c in fake_rasa.calls if c["path"].endswith("/tracker/events")]


async def test_handback_while_rasa_is_down_requeues_the_session(
    client, token_for, waiting_session, fake_rasa
):
    anna = await token_for("anna")
    await client.post(f"{API}/staff/sessions/{waiting_session}/takeover", headers=anna)
    fake_rasa.down = set(fake_rasa.servers)
    response = await client.post(f"{API}/staff/sessions/{waiting_session}/handback", headers=anna)
    assert response.status_code == 503 and "queue" in response.json()["detail"]
    detail = (await client.get(f"{API}/staff/sessions/{waiting_session}", headers=anna)).json()
    assert detail["status"] == "waiting_for_human" and detail["handoff"]["reason"] == "uncertain"


async def test_second_counsellor_cannot_take_over_or_write(client, token_for, waiting_session, dbs):
    with dbs() as db:
        accounts.create_user(db, "bram", "counsellor", "bram-password")
        db.commit()
    anna = await token_for("anna")
    bram = {
        "Authorization": "Bearer "
        + (
            await client.post(f"{API}/auth/token", data={"username": "bram", "password": "bram-password"})
        ).json()["access_token"]
    }
    assert (
        await client.post(f"{API}/staff/sessions/{waiting_session}/takeover", headers=anna)
    ).status_code == 200
    assert (
        await client.post(f"{API}/staff/sessions/{waiting_session}/takeover", headers=bram)
    ).status_code == 409
    response = await client.post(
        f"{API}/staff/sessions/{waiting_session}/messages", json={"text": "ik ook"}, headers=bram
    )
    assert response.status_code == 409


async def test_writing_before_takeover_is_409_and_bad_text_422(client, token_for, waiting_session, counts):
    anna = await token_for("anna")
    before = counts()
    assert (
        await client.post(
            f"{API}/staff/sessions/{waiting_session}/messages", json={"text": "hoi"}, headers=anna
        )
    ).status_code == 409
    await client.post(f"{API}/staff/sessions/{waiting_session}/takeover", headers=anna)
    after_takeover = counts()
    assert after_takeover["messages"] == before["messages"] + 1  # the takeover note
    assert (
        await client.post(
            f"{API}/staff/sessions/{waiting_session}/messages", json={"text": "  "}, headers=anna
        )
    ).status_code == 422
    assert (
        await client.post(
            f"{API}/staff/sessions/{waiting_session}/messages", json={"text": "a" * 2001}, headers=anna
        )
    ).status_code == 413
    assert counts() == after_takeover


async def test_close_then_everything_is_409(client, token_for, waiting_session, say):
    anna = await token_for("anna")
    closed = await client.post(f"{API}/staff/sessions/{waiting_session}/close", headers=anna)
    assert closed.status_code == 200 and closed.json()["session"]["status"] == "closed"
    for step in ("close", "takeover", "handback"):
        assert (
            await client.post(f"{API}/staff/sessions/{waiting_session}/{step}", headers=anna)
        ).status_code == 409, step
    assert (await say(waiting_session, "hallo")).status_code == 409


async def test_a_counsellor_may_step_in_while_the_bot_talks(client, token_for, start_session, fake_rasa, say):
    session = await start_session()
    anna = await token_for("anna")
    response = await client.post(f"{API}/staff/sessions/{session['session_id']}/takeover", headers=anna)
    assert response.status_code == 200 and response.json()["session"]["status"] == "human"


# --- plan ------------------------------------------------------------------------------


async def test_plan_get_and_audited_put(client, token_for, waiting_session, dbs):
    anna = await token_for("anna")
    plan = (await client.get(f"{API}/staff/sessions/{waiting_session}/plan", headers=anna)).json()
    assert plan["session_id"] == waiting_session and "sections" in plan
    corrected = plan_model.set_answer(
        plan,
        "sections.background.talents",
        "Eigen winkel gehad",
        provenance=plan_model.make_provenance(source="counsellor_entry", recorded_by=users_id(dbs, "anna")),
    )
    response = await client.put(f"{API}/staff/sessions/{waiting_session}/plan", json=corrected, headers=anna)
    assert response.status_code == 200, response.text
    assert plan_model.get_at(response.json(), "sections.background.talents")["value"] == "Eigen winkel gehad"
    again = (await client.get(f"{API}/staff/sessions/{waiting_session}/plan", headers=anna)).json()
    assert plan_model.get_at(again, "sections.background.talents")["value"] == "Eigen winkel gehad"
    with dbs() as db:
        changes = list(db.execute(select(PlanChange)).scalars())
        talents = [c for c in changes if c.path == "sections.background.talents"]
        assert len(talents) == 1 and talents[0].user_id == users_id(dbs, "anna")
        assert talents[0].new_value["value"] == "Eigen winkel gehad" and talents[0].old_value is None
        assert db.execute(select(AuditEvent).where(AuditEvent.action == "plan.replaced")).scalars().first()


def users_id(dbs, name):
    with dbs() as db:
        return accounts.get_user(db, name).id


async def test_invalid_plan_put_is_422_with_the_field_and_changes_nothing(
    client, token_for, waiting_session, counts
):
    anna = await token_for("anna")
    plan = (await client.get(f"{API}/staff/sessions/{waiting_session}/plan", headers=anna)).json()
    plan["sections"] = "kapot"
    before = counts()
    response = await client.put(f"{API}/staff/sessions/{waiting_session}/plan", json=plan, headers=anna)
    assert response.status_code == 422 and "sections" in response.json()["detail"]
    assert counts() == before
    not_object = await client.put(f"{API}/staff/sessions/{waiting_session}/plan", json=[1], headers=anna)
    assert not_object.status_code == 422
    assert counts() == before


# --- trainer sandbox ---------------------------------------------------------------------


async def test_trainer_sandbox_runs_the_real_path_and_stays_apart(
    client, token_for, start_session, fake_rasa
):
    tom = await token_for("tom")
    created = await client.post(
        f"{API}/trainer/sessions", json={"language": "nl", "client_ref": "K-1"}, headers=tom
    )
    assert created.status_code == 201
    sid = created.json()["session_id"]
    turn = await client.post(
        f"{API}/trainer/sessions/{sid}/messages", json={"text": "/request_human"}, headers=tom
    )
    assert turn.json()["handoff"]["reason"] == "request"
    listed = (
        await client.get(f"{API}/staff/sessions", params={"status": "waiting_for_human"}, headers=tom)
    ).json()
    assert [s["id"] for s in listed] == [sid] and listed[0]["is_training"] is True
    assert listed[0]["client_ref"] is None  # a sandbox never joins a client's plan
    anna = await token_for("anna")
    assert (await client.get(f"{API}/staff/sessions", headers=anna)).json() == []
    assert (await client.post(f"{API}/trainer/sessions", json={}, headers=anna)).status_code == 403
    client_session = await start_session()
    refused = await client.post(
        f"{API}/trainer/sessions/{client_session['session_id']}/messages", json={"text": "hoi"}, headers=tom
    )
    assert refused.status_code == 403
    polled = await client.get(f"{API}/trainer/sessions/{sid}/messages", headers=tom)
    assert polled.status_code == 200 and polled.json()["status"] == "waiting_for_human"


async def test_plan_prints_as_html_with_schema_labels_and_escaped_values(
    client, token_for, waiting_session, dbs
):
    anna = await token_for("anna")
    plan = (await client.get(f"{API}/staff/sessions/{waiting_session}/plan", headers=anna)).json()
    corrected = plan_model.set_answer(
        plan,
        "sections.background.talents",
        "<script>alert(1)</script> koken",
        provenance=plan_model.make_provenance(source="counsellor_entry", recorded_by=users_id(dbs, "anna")),
    )
    assert (
        await client.put(f"{API}/staff/sessions/{waiting_session}/plan", json=corrected, headers=anna)
    ).status_code == 200
    page = await client.get(f"{API}/staff/sessions/{waiting_session}/plan.html", headers=anna)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Talenten: waar bent u goed in?" in page.text  # the schema's x-label-nl
    assert "&lt;script&gt;alert(1)&lt;/script&gt; koken" in page.text and "<script>" not in page.text
    assert "nog niet besproken" in page.text  # section status labels
    assert (
        await client.get(f"{API}/staff/sessions/{waiting_session}/plan.html", headers=await token_for("tom"))
    ).status_code == 403


async def test_plan_prints_as_pdf(client, token_for, waiting_session):
    response = await client.get(
        f"{API}/staff/sessions/{waiting_session}/plan.pdf", headers=await token_for("anna")
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf" and response.content.startswith(b"%PDF")

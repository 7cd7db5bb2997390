"""Admin endpoints: accounts, the audit log, a client's data on request, retention; and sign-out."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot import sessions
from bot.db.models import AuditEvent, ChatSession, Message, Plan, PlanChange, User

from records_fixtures import CLIENT_REF, seed_finished_session

API = "/api/v1"
# The passwords the `users` fixture gives (tests/api/conftest.py); not imported, since
# "conftest" names another module when the browser tests run in the same session.
PASSWORDS = {"anna": "anna-password", "tom": "tom-password", "root": "root-password"}


async def _sign_in(client, name, password):
    return await client.post(f"{API}/auth/token", data={"username": name, "password": password})


async def _headers(client, name, password):
    response = await _sign_in(client, name, password)
    assert response.status_code == 200, response.text
    return {"Authorization": "Bearer " + response.json()["access_token"]}


def _events(dbs, action):
    with dbs() as db:
        return list(
            db.execute(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            ).scalars()
        )


@pytest.fixture
async def root(token_for):
    return await token_for("root")


# --- accounts ------------------------------------------------------------------------------


async def test_list_users_shows_accounts_without_secrets(client, root, users):
    response = await client.get(f"{API}/admin/users", headers=root)
    assert response.status_code == 200
    rows = response.json()
    assert [(u["username"], u["role"], u["disabled"]) for u in rows] == [
        ("anna", "counsellor", False),
        ("root", "admin", False),
        ("tom", "trainer", False),
    ]
    assert rows[1]["last_login_at"]  # root just signed in
    assert not any("hash" in key or "password" in key for row in rows for key in row)


async def test_create_user_then_they_can_sign_in_and_it_is_audited(client, root, dbs):
    response = await client.post(
        f"{API}/admin/users",
        headers=root,
        json={"username": "Bram", "role": "counsellor", "password": "bram-wachtwoord"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["username"] == "bram" and response.json()["role"] == "counsellor"
    assert (await _sign_in(client, "bram", "bram-wachtwoord")).status_code == 200
    event = _events(dbs, "user.created")[-1]
    assert event.username == "root" and "bram-wachtwoord" not in json.dumps(event.detail)


@pytest.mark.parametrize(
    "body, complaint",
    [
        ({"username": "anna", "role": "counsellor", "password": "long-enough-1"}, "already exists"),
        ({"username": "kort", "role": "counsellor", "password": "kort"}, "at least"),
        ({"username": "eva", "role": "koning", "password": "long-enough-1"}, "role"),
        ({"username": "", "role": "counsellor", "password": "long-enough-1"}, "username"),
        ({"username": "eva", "role": "admin"}, "password"),
    ],
    ids=["duplicate", "short-password", "unknown-role", "empty-name", "no-password"],
)
async def test_create_user_refuses_bad_input_and_creates_nothing(client, root, dbs, body, complaint):
    with dbs() as db:
        before = db.execute(select(func.count()).select_from(User)).scalar()
    response = await client.post(f"{API}/admin/users", headers=root, json=body)
    assert response.status_code == 422
    assert complaint in response.json()["detail"]
    with dbs() as db:
        assert db.execute(select(func.count()).select_from(User)).scalar() == before


async def test_disable_stops_the_users_token_at_once_and_enable_lets_them_back(
    client, root, users, token_for, dbs
):
    anna = await token_for("anna")
    response = await client.post(f"{API}/admin/users/{users['anna']}/disable", headers=root)
    assert response.status_code == 200 and response.json()["disabled"] is True
    assert (await client.get(f"{API}/staff/sessions", headers=anna)).status_code == 401
    assert (await _sign_in(client, "anna", PASSWORDS["anna"])).status_code == 401
    assert _events(dbs, "user.disabled")[-1].username == "root"
    enabled = await client.post(f"{API}/admin/users/{users['anna']}/enable", headers=root)
    assert enabled.status_code == 200 and enabled.json()["disabled"] is False
    assert (await _sign_in(client, "anna", PASSWORDS["anna"])).status_code == 200
    assert (
        await client.get(f"{API}/staff/sessions", headers=anna)
    ).status_code == 401  # old token stays dead


async def test_password_reset_replaces_the_password_and_revokes_tokens(client, root, users, token_for, dbs):
    anna = await token_for("anna")
    response = await client.post(
        f"{API}/admin/users/{users['anna']}/password", headers=root, json={"password": "een-nieuw-wachtwoord"}
    )
    assert response.status_code == 200
    assert (await client.get(f"{API}/auth/me", headers=anna)).status_code == 401
    assert (await _sign_in(client, "anna", PASSWORDS["anna"])).status_code == 401
    assert (await _sign_in(client, "anna", "een-nieuw-wachtwoord")).status_code == 200
    event = _events(dbs, "user.password_reset")[-1]
    assert "een-nieuw-wachtwoord" not in json.dumps(event.detail)
    short = await client.post(
        f"{API}/admin/users/{users['anna']}/password", headers=root, json={"password": "x"}
    )
    assert (
        short.status_code == 422
        and (await _sign_in(client, "anna", "een-nieuw-wachtwoord")).status_code == 200
    )


async def test_role_change_takes_effect_at_the_next_sign_in(client, root, users, token_for, dbs):
    tom = await token_for("tom")
    response = await client.post(
        f"{API}/admin/users/{users['tom']}/role", headers=root, json={"role": "counsellor"}
    )
    assert response.status_code == 200 and response.json()["role"] == "counsellor"
    assert (await client.get(f"{API}/trainer/scenarios", headers=tom)).status_code == 401
    again = await _headers(client, "tom", PASSWORDS["tom"])
    assert (await client.get(f"{API}/auth/me", headers=again)).json()["role"] == "counsellor"
    assert _events(dbs, "user.role_changed")[-1].detail == {
        "username": "tom",
        "old": "trainer",
        "new": "counsellor",
    }
    bad = await client.post(f"{API}/admin/users/{users['tom']}/role", headers=root, json={"role": "keizer"})
    assert bad.status_code == 422


async def test_the_last_admin_cannot_be_disabled_or_demoted(client, root, users):
    for step, body in (("disable", None), ("role", {"role": "counsellor"})):
        response = await client.post(f"{API}/admin/users/{users['root']}/{step}", headers=root, json=body)
        assert response.status_code == 409, step
        assert "last enabled admin" in response.json()["detail"]
    assert (await client.get(f"{API}/auth/me", headers=root)).status_code == 200


@pytest.mark.parametrize(
    "step, body",
    [
        ("disable", None),
        ("enable", None),
        ("password", {"password": "long-enough-1"}),
        ("role", {"role": "admin"}),
    ],
)
async def test_steps_on_an_unknown_user_are_404(client, root, step, body):
    response = await client.post(f"{API}/admin/users/999999/{step}", headers=root, json=body)
    assert response.status_code == 404


# --- sign-out --------------------------------------------------------------------------------


async def test_logout_ends_the_token_at_once(client, token_for, dbs):
    anna = await token_for("anna")
    response = await client.post(f"{API}/auth/logout", headers=anna)
    assert response.status_code == 204
    assert (await client.get(f"{API}/auth/me", headers=anna)).status_code == 401
    assert (await client.post(f"{API}/auth/logout", headers=anna)).status_code == 401
    assert _events(dbs, "auth.signed_out")[-1].username == "anna"
    fresh = await _headers(client, "anna", PASSWORDS["anna"])
    assert (await client.get(f"{API}/auth/me", headers=fresh)).status_code == 200


# --- audit log -------------------------------------------------------------------------------


@pytest.fixture
async def some_history(client, token_for, dbs, users):
    """anna reads yesterday's session and its plan; tom signs in."""
    with dbs() as db:
        sid = seed_finished_session(db)
        db.commit()
    anna = await token_for("anna")
    await client.get(f"{API}/staff/sessions/{sid}", headers=anna)
    await client.get(f"{API}/staff/sessions/{sid}/plan", headers=anna)
    await token_for("tom")
    return sid


async def test_audit_log_filters_and_pages(client, root, some_history):
    sid = some_history

    async def search(**params):
        response = await client.get(f"{API}/admin/audit", params=params, headers=root)
        assert response.status_code == 200, response.text
        return response.json(), int(response.headers["X-Total-Count"])

    everything, total = await search()
    assert len(everything) == total and total > 5
    assert [e["id"] for e in everything] == sorted((e["id"] for e in everything), reverse=True)
    reads, _ = await search(username="anna", action="read.")
    assert [(e["action"], e["object_id"]) for e in reads] == [("read.plan", sid), ("read.session", sid)]
    assert all(e["user"] == "anna" and e["at"] for e in reads)
    of_session, _ = await search(object_id=sid)
    assert {"session.created", "session.takeover", "read.session", "read.plan"} <= {
        e["action"] for e in of_session
    }
    page, page_total = await search(limit=2, offset=1)
    assert page_total == total and [e["id"] for e in page] == [e["id"] for e in everything[1:3]]
    today = datetime.now(timezone.utc).date()
    assert (await search(**{"from": (today + timedelta(days=1)).isoformat()}))[1] == 0
    assert (await search(**{"from": today.isoformat(), "to": today.isoformat()}))[1] == total


async def test_audit_log_refuses_a_backwards_date_range(client, root):
    response = await client.get(
        f"{API}/admin/audit", params={"from": "2025-05-02", "to": "2025-05-01"}, headers=root
    )
    assert response.status_code == 422 and "after" in response.json()["detail"]


# --- a client's data on request -----------------------------------------------------------------


@pytest.fixture
def two_clients(dbs, users):
    with dbs() as db:
        mine = seed_finished_session(db)
        later = seed_finished_session(db, with_handoff=False, days_ago=0)  # same client, second talk
        other = seed_finished_session(db, client_ref="SY-2024-003", with_handoff=False)
        sandbox = sessions.create_session(db, client_ref=CLIENT_REF, is_training=True)
        db.commit()
        return {"mine": [mine, later], "other": other, "sandbox": sandbox.id}


async def test_export_returns_everything_about_one_client_and_is_audited(client, root, two_clients, dbs):
    response = await client.get(
        f"{API}/admin/clients/export", params={"client_ref": CLIENT_REF}, headers=root
    )
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    data = response.json()
    assert data["client_ref"] == CLIENT_REF
    assert sorted(s["id"] for s in data["sessions"]) == sorted(
        two_clients["mine"]
    )  # no sandbox, no other client
    first = next(s for s in data["sessions"] if s["id"] == two_clients["mine"][0])
    assert any(m["text"].startswith("Rekenen") for m in first["messages"])
    assert first["handoffs"][0]["reason"] == "request"
    assert len(data["plans"]) == 1 and data["plans"][0]["changes"]  # both talks fed one plan
    assert data["plans"][0]["data"]["client_ref"] == CLIENT_REF
    event = _events(dbs, "client.exported")[-1]
    assert event.username == "root" and CLIENT_REF not in json.dumps(event.detail) + (event.object_id or "")
    assert event.detail == {"sessions": 2, "plans": 1}


async def test_export_of_an_unknown_client_is_404(client, root, two_clients):
    response = await client.get(f"{API}/admin/clients/export", params={"client_ref": "NOBODY"}, headers=root)
    assert response.status_code == 404


async def test_delete_needs_the_reference_twice_and_removes_only_that_client(client, root, two_clients, dbs):
    wrong = await client.delete(
        f"{API}/admin/clients", params={"client_ref": CLIENT_REF, "confirm": "GN-2025-018"}, headers=root
    )
    assert wrong.status_code == 422
    with dbs() as db:
        assert db.execute(select(func.count()).select_from(ChatSession)).scalar() == 4

    response = await client.delete(
        f"{API}/admin/clients", params={"client_ref": CLIENT_REF, "confirm": CLIENT_REF}, headers=root
    )
    assert response.status_code == 200, response.text
    counts = response.json()
    assert (
        counts["sessions"] == 2
        and counts["plans"] == 1
        and counts["messages"] > 20
        and counts["plan_changes"] > 10
    )
    with dbs() as db:
        left = {s.id for s in db.execute(select(ChatSession)).scalars()}
        assert left == {two_clients["other"], two_clients["sandbox"]}
        assert not db.execute(select(Message).where(Message.session_id.in_(two_clients["mine"]))).first()
        assert db.execute(select(func.count()).select_from(Plan)).scalar() == 2  # other client + sandbox
        assert (
            db.execute(
                select(func.count())
                .select_from(PlanChange)
                .where(PlanChange.session_id.in_(two_clients["mine"]))
            ).scalar()
            == 0
        )
    event = _events(dbs, "client.deleted")[-1]
    tracker = counts.pop("tracker_store")  # Rasa's copy: tests/api/test_kiosk_privacy.py
    assert tracker["complete"] is True and tracker["sessions"] == 2
    assert event.username == "root" and event.detail == counts and CLIENT_REF not in (event.object_id or "")
    again = await client.delete(
        f"{API}/admin/clients", params={"client_ref": CLIENT_REF, "confirm": CLIENT_REF}, headers=root
    )
    assert again.status_code == 404


# --- retention ------------------------------------------------------------------------------------


async def test_retention_status_counts_closed_sessions_past_the_period(make_app, dbs, users):
    import httpx

    with dbs() as db:
        seed_finished_session(db, days_ago=40)
        seed_finished_session(db, client_ref="SY-2024-003", days_ago=3, with_handoff=False)
        open_chat = sessions.create_session(db, client_ref="OPEN-1")
        open_chat.started_at = datetime.now(timezone.utc) - timedelta(days=100)
        db.commit()
    app = make_app(retention_days=30)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        token = (
            await http.post(f"{API}/auth/token", data={"username": "root", "password": PASSWORDS["root"]})
        ).json()
        response = await http.get(
            f"{API}/admin/retention", headers={"Authorization": "Bearer " + token["access_token"]}
        )
    await app.state.rasa.aclose()
    assert response.status_code == 200
    assert response.json() == {"retention_days": 30, "due_sessions": 1}

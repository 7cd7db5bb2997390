"""Who may call what: every staff, trainer and admin route of the app, for every identity.

The routes come from the app's own route table, so a new endpoint is checked
the day it is added; one under /api/v1 that no rule below covers fails
`test_every_api_route_is_public_or_covered_by_a_rule` until someone decides who may call it.

Identities: the three roles, a kiosk key (as header and as bearer token), no
credentials, and an admin whose account was disabled after signing in. Session
routes are called on a client session and on a training session: counsellors
see only clients', trainers only training sessions, admins both (the trainer's
sandbox endpoints take training sessions only, from anyone).
Allowed means "not 401/403" (a 404 or 422 means the caller got past the checks);
a refused call must change nothing in the database.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from typing import Dict, List, Optional

import httpx
import pytest
import websockets
from fastapi.routing import APIRoute, APIWebSocketRoute

from api_live_server import LiveServer
from bot import accounts, sessions

API = "/api/v1"
ROLES = ("counsellor", "trainer", "admin")
STAFF_ROLES = frozenset(ROLES)
# Routes anyone may reach without a staff token: health, the kiosk's own endpoints, sign-in.
PUBLIC = {
    ("GET", f"{API}/health"),
    ("GET", f"{API}/health/live"),  # probes (issue 15.4): nothing but "the process answers"
    ("GET", f"{API}/health/ready"),  # and "the database answers"
    ("POST", f"{API}/sessions"),
    ("POST", f"{API}/sessions/{{session_id}}/messages"),
    ("GET", f"{API}/sessions/{{session_id}}/messages"),
    ("POST", f"{API}/sessions/{{session_id}}/end"),
    ("WS", f"{API}/sessions/{{session_id}}/ws"),
    ("POST", f"{API}/auth/token"),
}
# Staff WebSockets get their own test below (they answer with close codes, not statuses).
CHECKED_WEBSOCKETS = {f"{API}/staff/ws"}
IDENTITIES = ("counsellor", "trainer", "admin", "kiosk", "anonymous", "disabled")
USER_OF = {"counsellor": "anna", "trainer": "tom", "admin": "root"}
METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 1, "DELETE": 2}
# Valid bodies where a route checks the session only after reading the body; others get {}.
SAMPLE_BODIES = {
    ("POST", f"{API}/staff/sessions/{{session_id}}/messages"): {"text": "Matrix."},
    ("POST", f"{API}/trainer/sessions/{{session_id}}/messages"): {"text": "Matrix."},
    ("POST", f"{API}/staff/sessions/{{session_id}}/scenario"): {"name": "matrix", "yaml": "turns: []"},
    ("POST", f"{API}/staff/sessions/{{session_id}}/scenario/check"): {"name": "matrix", "yaml": "turns: []"},
    ("POST", f"{API}/staff/sessions/{{session_id}}/plan/move"): {
        "from": "client_info.country_of_origin",
        "to": "sections.background.talents",
    },
}


@dataclass(frozen=True)
class Rule:
    roles: frozenset
    # "staff": the session must be visible to the role; "training": only training sessions work here.
    sessions: Optional[str] = None


def rule_for(path: str) -> Optional[Rule]:
    """Who may call a route, from its path. None: no rule (the route must then be public)."""
    with_session = "{session_id}" in path
    if path.startswith(f"{API}/admin/"):
        return Rule(frozenset({"admin"}))
    if path.startswith(f"{API}/trainer/"):
        return Rule(frozenset({"trainer", "admin"}), "training" if with_session else None)
    if path.endswith("/resume-code"):  # a client's code: counsellors' work (trainers see training only)
        return Rule(frozenset({"counsellor", "admin"}))
    if path.startswith(f"{API}/staff/"):
        return Rule(STAFF_ROLES, "staff" if with_session else None)
    if path in (f"{API}/auth/me", f"{API}/auth/logout"):
        return Rule(STAFF_ROLES)
    return None


def api_routes(app) -> List[tuple]:
    """(method, path) of every route under /api/v1; WebSockets as method "WS"."""
    out = []
    for route in app.routes:
        if not getattr(route, "path", "").startswith(API + "/"):
            continue
        if isinstance(route, APIWebSocketRoute):
            out.append(("WS", route.path))
        elif isinstance(route, APIRoute):
            out.extend((method, route.path) for method in sorted(route.methods))
        else:
            out.append(("?", route.path))
    return out


def expected(rule: Rule, identity: str, session_kind: Optional[str]) -> str:
    if identity in ("kiosk", "anonymous", "disabled"):
        return "401"
    if identity not in rule.roles:
        return "403"
    if rule.sessions == "training" and session_kind == "client":
        return "403"
    if rule.sessions == "staff":
        visible = identity == "admin" or (session_kind == "training") == (identity == "trainer")
        if not visible:
            return "403"
    return "allowed"


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def world(app, dbs, users, tmp_path):
    """A client session, a training session, a spare user to act on, scenarios in a temp dir."""
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    app.state.scenarios_dir = scenarios  # a PUT or DELETE of a scenario must never touch data/scenarios
    with dbs() as db:
        client_chat = sessions.create_session(db, client_ref="MATRIX-1")
        sessions.add_message(
            db,
            client_chat,
            sender="client",
            text="Ik wil praten.",
            intent="inform",
            confidence=0.9,
            safety={"category": "none", "flag": None, "matched": None},
        )
        training = sessions.create_session(db, is_training=True)
        sessions.add_message(db, training, sender="client", text="Oefening.")
        spare = accounts.create_user(db, "spare", "counsellor", "spare-password")
        accounts.create_user(db, "olga", "admin", "olga-password")
        accounts.create_kiosk_key(db, "spare kiosk")  # for the admin's kiosk-key routes
        spare_key = max(k.id for k in accounts.list_kiosk_keys(db))
        db.commit()
        return {"client": client_chat.id, "training": training.id, "user_id": spare.id, "key_id": spare_key}


@pytest.fixture
def headers_of(client, token_for, dbs, world, kiosk_headers):
    kiosk_key = kiosk_headers["X-Kiosk-Key"]

    async def headers(identity: str) -> Dict[str, str]:
        if identity in USER_OF:
            return await token_for(USER_OF[identity])
        if identity == "kiosk":
            return {"X-Kiosk-Key": kiosk_key, "Authorization": f"Bearer {kiosk_key}"}
        if identity == "anonymous":
            return {}
        # An admin who signed in, then was disabled (as `coach user disable` does it): refused at once.
        signed_in = await client.post(
            f"{API}/auth/token", data={"username": "olga", "password": "olga-password"}
        )
        token = signed_in.json()["access_token"]
        with dbs() as db:
            accounts.disable_user(db, "olga")
            db.commit()
        return {"Authorization": f"Bearer {token}"}

    return headers


def _url(path: str, world: dict, session_kind: Optional[str]) -> str:
    values = {
        "session_id": world.get(session_kind or "client"),
        "user_id": world["user_id"],
        "key_id": world["key_id"],
        "name": "no-such-scenario",
        "client_ref": "MATRIX-1",
        "run_id": "no-such-run",
    }

    def fill(match: re.Match) -> str:
        name = match.group(1).split(":")[0]
        if name not in values:
            raise AssertionError(f"the matrix has no value for path parameter {{{name}}} in {path}")
        return str(values[name])

    return re.sub(r"\{([^}]+)\}", fill, path)


def _calls(app) -> List[tuple]:
    """(method, path, rule, session kind) for every HTTP call to make, reads first, sign-out last."""
    calls = []
    for method, path in api_routes(app):
        rule = rule_for(path)
        if method == "WS" or rule is None:
            continue
        kinds = ("client", "training") if rule.sessions else (None,)
        calls.extend((method, path, rule, kind) for kind in kinds)
    return sorted(calls, key=lambda c: (c[1].endswith("/auth/logout"), METHOD_ORDER.get(c[0], 1)))


# --- the matrix ----------------------------------------------------------------------------------


def test_every_api_route_is_public_or_covered_by_a_rule(app):
    loose = [(m, p) for m, p in api_routes(app) if (m, p) not in PUBLIC and rule_for(p) is None]
    assert loose == [], f"routes without an authorisation rule in this test: {loose}"
    sockets = {p for m, p in api_routes(app) if m == "WS" and (m, p) not in PUBLIC}
    assert sockets == CHECKED_WEBSOCKETS
    odd = [(m, p) for m, p in api_routes(app) if m == "?"]
    assert odd == [], f"unexpected mounts under {API}: {odd}"


@pytest.mark.parametrize("identity", IDENTITIES)
async def test_authorisation_matrix(app, client, world, headers_of, counts, identity):
    headers = await headers_of(identity)
    wrong = []
    checked = 0
    for method, path, rule, kind in _calls(app):
        url = _url(path, world, kind)
        want = expected(rule, identity, kind)
        before = counts() if want != "allowed" else None
        body = SAMPLE_BODIES.get((method, path), {}) if method in ("POST", "PUT") else None
        response = await client.request(method, url, headers=headers, json=body)
        got = str(response.status_code)
        checked += 1
        if want == "allowed":
            if got in ("401", "403"):
                wrong.append(f"{method} {url} [{kind}]: wanted access, got {got} {response.text[:120]}")
        elif got != want:
            wrong.append(f"{method} {url} [{kind}]: wanted {want}, got {got} {response.text[:120]}")
        elif counts() != before:
            wrong.append(f"{method} {url} [{kind}]: refused with {got} but the database changed")
    assert checked > 40
    assert wrong == [], "\n".join(wrong)


async def test_a_trainer_lists_and_finds_only_training_sessions(client, world, token_for):
    tom = await token_for("tom")
    for params in ({}, {"training": "false"}, {"q": "praten"}, {"client_ref": "MATRIX-1"}, {"status": "bot"}):
        listed = (await client.get(f"{API}/staff/sessions", params=params, headers=tom)).json()
        assert world["client"] not in [s["id"] for s in listed], params
    listed = (await client.get(f"{API}/staff/sessions", headers=tom)).json()
    assert [s["id"] for s in listed] == [world["training"]]
    anna = await token_for("anna")
    listed = (await client.get(f"{API}/staff/sessions", params={"training": "true"}, headers=anna)).json()
    assert [s["id"] for s in listed] == [world["client"]]  # the admin-only switch means nothing to others


async def test_a_kiosk_key_reads_no_staff_list_even_as_a_query_token(client, world, kiosk_headers):
    key = kiosk_headers["X-Kiosk-Key"]
    for url in (f"{API}/staff/sessions?token={key}", f"{API}/admin/users?key={key}"):
        assert (await client.get(url, headers=kiosk_headers)).status_code == 401


# --- the staff WebSocket -------------------------------------------------------------------------


async def _frame(ws, timeout: float = 10.0) -> dict:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


@pytest.mark.parametrize("identity", ("kiosk", "anonymous", "disabled", "garbage"))
async def test_the_staff_socket_refuses_everyone_without_a_valid_staff_token(
    app, world, headers_of, identity
):
    headers = await headers_of(identity) if identity != "garbage" else {"Authorization": "Bearer x.y.z"}
    token = headers.get("Authorization", "Bearer ").split(" ", 1)[1]
    with LiveServer(app) as live:
        url = live.url.replace("http://", "ws://") + f"{API}/staff/ws"
        async with websockets.connect(url) as ws:
            await ws.send(json.dumps({"type": "auth", "token": token}))
            assert (await _frame(ws))["type"] == "error"
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await _frame(ws)
    assert closed.value.code == 4401


@pytest.mark.parametrize(
    "identity, sees", [("counsellor", "client"), ("trainer", "training"), ("admin", "both")]
)
async def test_the_staff_socket_announces_only_sessions_the_role_may_see(
    app, world, token_for, identity, sees
):
    token = (await token_for(USER_OF[identity]))["Authorization"].split(" ", 1)[1]
    root = await token_for("root")
    with LiveServer(app) as live:
        url = live.url.replace("http://", "ws://") + f"{API}/staff/ws"
        async with websockets.connect(url) as ws, httpx.AsyncClient(base_url=live.url, headers=root) as http:
            await ws.send(json.dumps({"type": "auth", "token": token}))
            while app.state.hub.listener_count("staff") == 0:
                await asyncio.sleep(0.05)
            announced = []
            # The hidden kind changes first, alone: a socket that leaked it would send it before the visible one.
            order = ["training", "client"] if sees == "client" else ["client", "training"]
            for kind in order:
                changed = await http.post(f"{API}/staff/sessions/{world[kind]}/takeover")
                assert changed.status_code == 200, changed.text
                if sees == "both" or kind == sees:
                    frame = await _frame(ws)
                    while frame["type"] != "session":
                        frame = await _frame(ws)
                    announced.append(frame["session"]["id"])
                else:
                    await asyncio.sleep(0.5)
    wanted = {
        "client": [world["client"]],
        "training": [world["training"]],
        "both": [world["client"], world["training"]],
    }[sees]
    assert announced == wanted

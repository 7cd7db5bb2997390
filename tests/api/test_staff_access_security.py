"""Staff access that holds (issue 14, points 3, 5, 6, 7, 10) through the HTTP API."""

from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import select

from bot import accounts, login_throttle, sessions
from bot.db.models import AuditEvent, KioskKey

API = "/api/v1"
STRONG_KEY = "second-kiosk-key-8f2a1c9e7b3d5f60"


async def _sign_in(client, name, password, address=None):
    return await client.post(f"{API}/auth/token", data={"username": name, "password": password})


@pytest.fixture
def count_password_checks(monkeypatch):
    """How often a password hash was checked (bcrypt's cost is what guessing must not buy)."""
    calls = []
    real = accounts.verify_password

    def counting(password, password_hash):
        calls.append(1)
        return real(password, password_hash)

    monkeypatch.setattr(accounts, "verify_password", counting)
    return calls


# --- 3. login protection ------------------------------------------------------------------------


async def test_wrong_passwords_lead_to_429_without_a_password_check(
    client, users, dbs, count_password_checks
):
    answers = [
        (await _sign_in(client, "anna", f"wrong-{i}")).status_code for i in range(login_throttle.ACCOUNT_FREE)
    ]
    assert answers == [401] * login_throttle.ACCOUNT_FREE
    checks = len(count_password_checks)
    refused = await _sign_in(client, "anna", "anna-password")  # even the right one, while locked
    assert refused.status_code == 429
    assert "Te veel mislukte pogingen" in refused.json()["detail"] and "Too many" in refused.json()["detail"]
    assert int(refused.headers["Retry-After"]) > 0
    assert len(count_password_checks) == checks, "a locked sign-in must not cost a bcrypt check"
    with dbs() as db:
        actions = [e.action for e in db.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]
    assert actions.count("auth.failed") == login_throttle.ACCOUNT_FREE and "auth.locked" in actions


async def test_the_delays_grow_and_end_in_a_lock_an_admin_lifts(client, users, dbs, token_for):
    root = await token_for("root")
    now = login_throttle.utcnow()
    with dbs() as db:  # nine failures already, spread over time: the next one locks for good
        for i in range(login_throttle.ACCOUNT_LOCKOUT - 1):
            login_throttle.record_failure(
                db, "anna", f"10.0.0.{i}", user_id=users["anna"], now=now - login_throttle.timedelta(hours=1)
            )
        row = db.get(login_throttle.LoginThrottle, login_throttle.account_key("anna"))
        row.locked_until = None
        db.commit()
    delays = [
        login_throttle._delay_s(n, login_throttle.ACCOUNT_FREE, login_throttle.ACCOUNT_MAX_DELAY_S)
        for n in range(login_throttle.ACCOUNT_FREE, login_throttle.ACCOUNT_LOCKOUT)
    ]
    assert delays == sorted(delays) and delays[0] < delays[-1], "growing delays"
    assert (await _sign_in(client, "anna", "wrong again")).status_code == 401
    assert (await _sign_in(client, "anna", "anna-password")).status_code == 429
    with dbs() as db:
        assert login_throttle.account_status(db, "anna")["until_admin_unlocks"]
    lifted = await client.post(f"{API}/admin/users/{users['anna']}/unlock", headers=root)
    assert lifted.status_code == 200 and lifted.json()["unlocked"] and not lifted.json()["locked"]
    assert (await _sign_in(client, "anna", "anna-password")).status_code == 200
    with dbs() as db:
        unlocked = db.execute(select(AuditEvent).where(AuditEvent.action == "auth.unlocked")).scalar_one()
    assert unlocked.username == "root" and unlocked.object_id == str(users["anna"])


async def test_an_address_guessing_many_names_is_limited_too(client, users, count_password_checks):
    for i in range(login_throttle.ADDRESS_FREE):
        assert (await _sign_in(client, f"name{i}", "guess")).status_code == 401
    assert (await _sign_in(client, "tom", "tom-password")).status_code == 429
    assert len(count_password_checks) == login_throttle.ADDRESS_FREE


async def test_the_audit_keeps_no_password_and_no_unknown_user_name(client, users, dbs):
    await _sign_in(client, "Mijn Wachtwoord Is Geheim", "hunter2-password")
    await _sign_in(client, "anna", "anna-wrong-password")
    with dbs() as db:
        details = [json.dumps(e.detail) + str(e.username) for e in db.execute(select(AuditEvent)).scalars()]
    text = " ".join(details)
    assert (
        "Geheim" not in text and "geheim" not in text and "hunter2" not in text and "anna-wrong" not in text
    )
    assert login_throttle.username_hash("Mijn Wachtwoord Is Geheim") in text
    assert '"username": "anna"' in text  # a real account is named


async def test_a_lock_holds_across_api_replicas(make_app, users, dbs):
    first, second = make_app(), make_app()  # two API processes on one database
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=first), base_url="http://a") as a,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=second), base_url="http://b") as b,
    ):
        for i in range(login_throttle.ACCOUNT_FREE):
            await _sign_in(a if i % 2 else b, "anna", "wrong")
        assert (await _sign_in(a, "anna", "anna-password")).status_code == 429
        assert (await _sign_in(b, "anna", "anna-password")).status_code == 429


# --- 5. kiosk keys --------------------------------------------------------------------------------


async def test_the_environment_kiosk_key_can_be_revoked(client, kiosk_headers, token_for, dbs, users):
    root = await token_for("root")
    assert (await client.post(f"{API}/sessions", json={}, headers=kiosk_headers)).status_code == 201
    with dbs() as db:  # as `coach run` / `coach kiosk-key revoke --env` record it
        row = accounts.ensure_kiosk_key(db, kiosk_headers["X-Kiosk-Key"], "env")
        db.commit()
        key_id = row.id
    listed = (await client.get(f"{API}/admin/kiosk-keys", headers=root)).json()
    assert [k["id"] for k in listed] == [key_id] and "key" not in listed[0]
    revoked = await client.post(f"{API}/admin/kiosk-keys/{key_id}/revoke", headers=root)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert (await client.post(f"{API}/sessions", json={}, headers=kiosk_headers)).status_code == 401


async def test_admin_creates_a_kiosk_key_shown_once(client, token_for, users, dbs):
    root = await token_for("root")
    created = await client.post(f"{API}/admin/kiosk-keys", json={"label": "T-room 2"}, headers=root)
    assert created.status_code == 201
    key = created.json()["key"]
    assert len(key) >= 24
    assert (await client.post(f"{API}/sessions", json={}, headers={"X-Kiosk-Key": key})).status_code == 201
    with dbs() as db:
        stored = db.execute(select(KioskKey)).scalar_one()
    assert stored.key_hash != key and key not in json.dumps(
        (await client.get(f"{API}/admin/kiosk-keys", headers=root)).json()
    )
    anna = await token_for("anna")
    assert (await client.get(f"{API}/admin/kiosk-keys", headers=anna)).status_code == 403


@pytest.mark.parametrize("key", ["weak", "kiosk-key", "short-but-random-9f", "b" * 40])
def test_weak_kiosk_keys_are_refused(db, key):
    with pytest.raises(accounts.AccountError):
        accounts.ensure_kiosk_key(db, key, "zwak")


async def test_admin_password_reset_signs_the_user_out(client, token_for, users):
    anna, root = await token_for("anna"), await token_for("root")
    assert (await client.get(f"{API}/auth/me", headers=anna)).status_code == 200
    reset = await client.post(
        f"{API}/admin/users/{users['anna']}/password", json={"password": "new-password-1"}, headers=root
    )
    assert reset.status_code == 200
    assert (await client.get(f"{API}/auth/me", headers=anna)).status_code == 401


# --- 6. production by default -------------------------------------------------------------------


@pytest.fixture
def production_app(make_app):
    # Nothing connects at creation; the URL only has to be PostgreSQL for the production check.
    return make_app(
        env="production",
        database_url="postgresql://coach@127.0.0.1:9/coach",
        jwt_secret="x7Kp2mQ9vR4tW8yZ1bN5cF3hJ6gL0sD2",
        rasa_token="r9Tq2Wm5Zp8Kx3Vb6Nc1Jh4Gf7",
        internal_token="i4Ls8Qe1Rw6Ty3Ua9Sd2Fg5Hj0Kz",
    )


async def test_production_serves_no_api_docs_and_sends_hsts(production_app):
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=production_app), base_url="http://p"
    ) as http:
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert (await http.get(path)).status_code == 404, path
        page = await http.get("/kiosk")
    assert page.status_code == 200
    assert "max-age=" in page.headers["Strict-Transport-Security"]


def test_production_refuses_a_weak_internal_token(make_app):
    from bot.settings import InsecureProductionSettings

    with pytest.raises(InsecureProductionSettings, match="COACH_INTERNAL_TOKEN"):
        make_app(
            env="production",
            database_url="postgresql://coach@127.0.0.1:9/coach",
            jwt_secret="x7Kp2mQ9vR4tW8yZ1bN5cF3hJ6gL0sD2",
            rasa_token="r9Tq2Wm5Zp8Kx3Vb6Nc1Jh4Gf7",
        )


async def test_dev_and_test_keep_openapi(client):
    assert (await client.get("/openapi.json")).status_code == 200
    assert "Strict-Transport-Security" not in (await client.get("/kiosk")).headers


# --- 7. headers and limits --------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/kiosk", "/console/", "/api/v1/health"])
async def test_every_answer_carries_the_security_headers(client, path):
    response = await client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_pages_have_no_inline_script():
    from api.pages import STATIC_DIR

    import re

    for page in STATIC_DIR.glob("*/index.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), page
        assert not re.search(r"\son[a-z]+\s*=", html), page


async def test_staff_data_is_never_cached(client, token_for, users, dbs, kiosk_headers):
    anna, root = await token_for("anna"), await token_for("root")
    with dbs() as db:
        chat = sessions.create_session(db, client_ref="CACHE-1")
        db.commit()
        sid = chat.id
    for url, headers in (
        (f"{API}/staff/sessions/{sid}", anna),
        (f"{API}/staff/sessions/{sid}/plan", anna),
        (f"{API}/staff/sessions/{sid}/plan.html", anna),
        (f"{API}/staff/sessions", anna),
        (f"{API}/admin/clients/export?client_ref=CACHE-1", root),
    ):
        response = await client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.text)
        assert response.headers["Cache-Control"] == "no-store", url


def _chunks(total: int, size: int = 64 * 1024):
    async def stream():
        sent = 0
        while sent < total:
            yield b"x" * min(size, total - sent)
            sent += size

    return stream()


async def test_a_chunked_body_without_key_is_401_and_with_key_413(client, kiosk_headers, counts):
    before = counts()
    url = f"{API}/sessions"
    no_key = await client.post(url, content=_chunks(3_000_000), headers={"Content-Type": "application/json"})
    assert no_key.status_code == 401
    with_key = await client.post(
        url, content=_chunks(3_000_000), headers={**kiosk_headers, "Content-Type": "application/json"}
    )
    assert with_key.status_code == 413
    assert "transfer-encoding" not in {
        k.lower() for k in with_key.request.headers if k.lower() == "content-length"
    }
    malformed = await client.post(
        url, content=b"{not json", headers={**kiosk_headers, "Content-Type": "application/json"}
    )
    assert malformed.status_code == 422
    malformed_no_key = await client.post(
        url, content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert malformed_no_key.status_code == 401
    assert counts() == before


async def test_staff_routes_check_the_token_before_the_body(client):
    response = await client.put(
        f"{API}/staff/sessions/{'0' * 32}/plan",
        content=_chunks(3_000_000),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 401
    response = await client.post(
        f"{API}/admin/users", content=b"{broken", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 401


# --- 10. scenario editor -------------------------------------------------------------------------


BILLION_LAUGHS = (
    "\n".join(
        ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    )
    + "\n"
)


async def test_yaml_aliases_are_refused_quickly(client, token_for, users, world_scenarios):
    tom = await token_for("tom")
    checked = await client.post(
        f"{API}/trainer/scenarios/lachen/check", json={"yaml": BILLION_LAUGHS}, headers=tom
    )
    assert checked.status_code == 200 and checked.json()["valid"] is False
    assert "alias" in json.dumps(checked.json()["errors"])
    saved = await client.put(f"{API}/trainer/scenarios/lachen", json={"yaml": BILLION_LAUGHS}, headers=tom)
    assert saved.status_code == 422


async def test_a_scenario_name_ending_in_a_newline_is_refused(client, token_for, users, world_scenarios):
    from bot.scenarios.loader import valid_name

    assert valid_name("persona-1") and not valid_name("persona-1\n")
    tom = await token_for("tom")
    text = (world_scenarios / "voorbeeld.yml").read_text(encoding="utf-8")
    checked = await client.post(
        f"{API}/trainer/scenarios/{quote('voorbeeld' + chr(10))}/check", json={"yaml": text}, headers=tom
    )
    assert checked.json()["valid"] is False and checked.json()["errors"][0]["field"] == "name"
    saved = await client.put(
        f"{API}/trainer/scenarios/{quote('nieuw' + chr(10))}", json={"yaml": text}, headers=tom
    )
    assert saved.status_code == 422
    assert not (world_scenarios / "nieuw\n.yml").exists()


@pytest.fixture
def world_scenarios(app, tmp_path):
    """A scenario folder of its own, holding one valid scenario copied from data/scenarios."""
    from bot.settings import repo_root

    folder = tmp_path / "scenarios"
    folder.mkdir()
    source = sorted((repo_root() / "data" / "scenarios").glob("*.yml"))[0]
    (folder / "voorbeeld.yml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    app.state.scenarios_dir = folder
    return folder

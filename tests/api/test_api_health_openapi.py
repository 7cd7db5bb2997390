"""Health, OpenAPI completeness, pages and the module-level app."""

from __future__ import annotations

import httpx
import pytest

API = "/api/v1"


async def test_health_ok_when_everything_answers(client):
    response = await client.get(f"{API}/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "rasa": "ok", "actions": "ok", "db": "ok"}


async def test_health_is_ok_while_one_of_two_rasa_servers_is_up(client, fake_rasa):
    fake_rasa.down = {fake_rasa.servers[0]}
    assert (await client.get(f"{API}/health")).json()["rasa"] == "ok"


@pytest.mark.parametrize("part", ["rasa", "actions", "db"])
async def test_health_names_the_part_that_is_down(app, fake_rasa, part, tmp_path):
    if part == "rasa":
        fake_rasa.down = set(fake_rasa.servers)
    elif part == "actions":
        fake_rasa.actions_down = True
    else:
        from bot.db.engine import make_sessionmaker

        (tmp_path / "not-a-db").mkdir()
        app.state.sessionmaker = make_sessionmaker(f"sqlite:///{tmp_path / 'not-a-db'}")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.get(f"{API}/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] != "ok"
    assert body[part].startswith("down")
    assert all(body[other] == "ok" for other in ("rasa", "actions", "db") if other != part)


async def test_health_reports_a_wrong_rasa_token(client, fake_rasa):
    fake_rasa.token = "rotated"
    body = (await client.get(f"{API}/health")).json()
    assert body["rasa"] == "error (HTTP 401)"


async def test_openapi_describes_every_contract_path(client):
    spec = (await client.get("/openapi.json")).json()
    expected = {
        f"{API}/health": {"get"},
        f"{API}/sessions": {"post"},
        f"{API}/sessions/{{session_id}}/messages": {"get", "post"},
        f"{API}/auth/token": {"post"},
        f"{API}/staff/sessions": {"get"},
        f"{API}/staff/sessions/{{session_id}}": {"get"},
        f"{API}/staff/sessions/{{session_id}}/takeover": {"post"},
        f"{API}/staff/sessions/{{session_id}}/messages": {"post"},
        f"{API}/staff/sessions/{{session_id}}/handback": {"post"},
        f"{API}/staff/sessions/{{session_id}}/close": {"post"},
        f"{API}/staff/sessions/{{session_id}}/plan": {"get", "put"},
        f"{API}/staff/sessions/{{session_id}}/plan.html": {"get"},
        f"{API}/staff/sessions/{{session_id}}/plan.pdf": {"get"},
        f"{API}/trainer/sessions": {"post"},
        f"{API}/trainer/sessions/{{session_id}}/messages": {"get", "post"},
    }
    for path, methods in expected.items():
        assert path in spec["paths"], path
        assert methods <= set(spec["paths"][path]), path
    post = spec["paths"][f"{API}/sessions/{{session_id}}/messages"]["post"]
    assert {"401", "404", "409", "413", "422", "429"} <= set(post["responses"])
    msg = spec["components"]["schemas"]["Msg"]["properties"]
    assert {"id", "sender", "text", "buttons"} <= set(msg)
    assert "ws" in spec["info"]["description"]  # WebSockets are documented in prose


async def test_root_redirects_to_the_kiosk_page(client):
    response = await client.get("/")
    assert response.status_code == 307 and response.headers["location"] == "/kiosk"


@pytest.mark.parametrize("env", ["dev", "test"])
async def test_kiosk_page_carries_the_key_only_in_dev(make_app, kiosk_headers, env):
    app = make_app(env=env)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        page = await client.get("/kiosk")
        script = await client.get("/kiosk/static/kiosk.js")
        lines = await client.get("/kiosk/static/crisis-lines.json")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    expected = kiosk_headers["X-Kiosk-Key"] if env == "dev" else ""
    assert f'<meta name="kiosk-key" content="{expected}">' in page.text
    assert script.status_code == 200 and "textContent" in script.text and ".innerHTML" not in script.text
    assert {line["number"] for line in lines.json()["lines"]} == {"112", "113", "0800-0113"}


async def test_error_bodies_are_json_detail_strings(client):
    response = await client.get(f"{API}/nope")
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}

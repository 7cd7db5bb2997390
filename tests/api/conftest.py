"""API test fixtures: the app on a temp SQLite DB, a fake Rasa, staff tokens."""

from __future__ import annotations

from pathlib import Path
from typing import Dict

import httpx
import pytest
from sqlalchemy import func, select

from bot import accounts
from bot.db.engine import make_sessionmaker
from bot.db.models import AuditEvent, ChatSession, Handoff, Message, Plan, PlanChange
from bot.settings import Settings

from fake_rasa import FakeRasa

KIOSK_KEY = "test-kiosk-key-0123456789"
DOMAIN_FIXTURE = Path(__file__).with_name("domain_fixture.yml")
PASSWORDS = {"anna": "anna-password", "tom": "tom-password", "root": "root-password"}
ROLES = {"anna": "counsellor", "tom": "trainer", "root": "admin"}


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def settings(sqlite_url, clean_env, fake_rasa) -> Settings:
    return Settings(
        env="test",
        database_url=sqlite_url,
        rasa_urls=fake_rasa.servers,
        rasa_token=fake_rasa.token,
        action_server_url="http://actions:5055/webhook",
        kiosk_key=KIOSK_KEY,
        jwt_secret="test-jwt-secret-long-enough-for-hs256!",
    )


@pytest.fixture
def make_app(settings, fake_rasa):
    """An app on the test DB and fake Rasa; keyword arguments override settings."""
    from api.main import create_app

    def build(**overrides):
        return create_app(
            settings.copy(update=overrides), rasa_transport=fake_rasa.transport, domain_path=DOMAIN_FIXTURE
        )

    return build


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
async def client(app):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    await app.state.rasa.aclose()


@pytest.fixture
def kiosk_headers() -> Dict[str, str]:
    return {"X-Kiosk-Key": KIOSK_KEY}


@pytest.fixture
def dbs(settings):
    """A fresh ORM session per call, for looking at what the API stored."""
    maker = make_sessionmaker(settings.database_url)

    def open_session():
        return maker()

    return open_session


@pytest.fixture
def users(dbs):
    with dbs() as db:
        created = {name: accounts.create_user(db, name, ROLES[name], PASSWORDS[name]).id for name in ROLES}
        db.commit()
    return created


@pytest.fixture
def token_for(client, users):
    async def sign_in(name: str) -> Dict[str, str]:
        response = await client.post(
            "/api/v1/auth/token", data={"username": name, "password": PASSWORDS[name]}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": "Bearer " + response.json()["access_token"]}

    return sign_in


@pytest.fixture
def counts(dbs):
    """Row counts of everything a request could write; compare before and after."""

    def snapshot():
        with dbs() as db:
            return {
                model.__tablename__: db.execute(select(func.count()).select_from(model)).scalar()
                for model in (ChatSession, Message, Handoff, Plan, PlanChange, AuditEvent)
            }

    return snapshot


@pytest.fixture
def start_session(client, kiosk_headers):
    async def start(**body) -> dict:
        response = await client.post(
            "/api/v1/sessions", json={"language": "nl", **body}, headers=kiosk_headers
        )
        assert response.status_code == 201, response.text
        return response.json()

    return start


@pytest.fixture
def say(client, kiosk_headers):
    async def send(session_id: str, text: str, **extra) -> httpx.Response:
        return await client.post(
            f"/api/v1/sessions/{session_id}/messages", json={"text": text, **extra}, headers=kiosk_headers
        )

    return send

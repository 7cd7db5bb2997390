"""Scenario fixtures: the API on a temp database with the scripted fake Rasa,
a trainer and a counsellor, and a scenario folder of the test's own."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Dict

import httpx
import pytest
from sqlalchemy import create_engine

# The fake Rasa and the live-server helper live with the API tests.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "api"))

from fake_rasa import FakeRasa  # noqa: E402

from bot import accounts  # noqa: E402
from bot.db.engine import dispose_engines, make_sessionmaker  # noqa: E402
from bot.db.models import Base  # noqa: E402
from bot.settings import Settings  # noqa: E402

DOMAIN_FIXTURE = Path(__file__).with_name("domain_fixture.yml")
PASSWORDS = {"tom": "tom-password", "anna": "anna-password", "root": "root-password"}
ROLES = {"tom": "trainer", "anna": "counsellor", "root": "admin"}
KIOSK_KEY = "scenario-test-kiosk-key-0123"


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def scenario_dir(tmp_path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    return folder


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """Schema and staff accounts once (bcrypt is slow on purpose); each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "app.db"
    url = f"sqlite:///{path}"
    engine = create_engine(url, future=True)
    Base.metadata.create_all(engine)
    engine.dispose()
    with make_sessionmaker(url)() as db:
        for name, role in ROLES.items():
            accounts.create_user(db, name, role, PASSWORDS[name])
        db.commit()
    dispose_engines()
    return path


@pytest.fixture
def database_url(tmp_path, template_db):
    path = tmp_path / "app.db"
    shutil.copy(template_db, path)
    yield f"sqlite:///{path}"
    dispose_engines()


@pytest.fixture
def settings(database_url, clean_env, fake_rasa) -> Settings:
    return Settings(
        env="test",
        database_url=database_url,
        rasa_urls=fake_rasa.servers,
        rasa_token=fake_rasa.token,
        action_server_url="http://actions:5055/webhook",
        kiosk_key=KIOSK_KEY,
        jwt_secret="scenario-test-jwt-secret-long-enough!",
    )


@pytest.fixture
def app(settings, fake_rasa, scenario_dir):
    from api.main import create_app

    app = create_app(settings, rasa_transport=fake_rasa.transport, domain_path=DOMAIN_FIXTURE)
    app.state.scenarios_dir = scenario_dir
    return app


@pytest.fixture
async def client(app):
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver", timeout=30
    ) as http:
        yield http
    await app.state.rasa.aclose()


@pytest.fixture
def headers_for(client):
    async def sign_in(name: str) -> Dict[str, str]:
        response = await client.post(
            "/api/v1/auth/token", data={"username": name, "password": PASSWORDS[name]}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": "Bearer " + response.json()["access_token"]}

    return sign_in


@pytest.fixture
def write_scenario(scenario_dir):
    def write(name: str, text: str) -> Path:
        path = scenario_dir / f"{name}.yml"
        path.write_text(text, encoding="utf-8")
        return path

    return write

"""Browser fixtures: the API with a fake Rasa on a free port, and Debian's Chromium."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import httpx
import pytest

# The fake Rasa and the live-server helper live with the API tests.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "api"))

from api_live_server import LiveServer  # noqa: E402
from fake_rasa import FakeRasa  # noqa: E402

from bot import accounts  # noqa: E402
from bot.db.engine import make_sessionmaker  # noqa: E402
from bot.settings import Settings  # noqa: E402

from playwright.sync_api import expect  # noqa: E402

# What a page must show is waited for, never raced: a busy machine (or the safety models
# still loading in the background for a server's first client turn) may take a few seconds.
# A longer wait costs time only when a test fails; a test that needs a shorter one says so.
expect.set_options(timeout=20_000)

CHROMIUM = "/usr/bin/chromium"
KIOSK_KEY = "browser-test-kiosk-key-0123456789"
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"
# Read once at import: the settings fixtures clear every COACH_* variable before each test.
UPDATE_SCREENSHOTS = os.environ.get("COACH_UPDATE_SCREENSHOTS") == "1"


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def kiosk_settings(sqlite_url, clean_env, fake_rasa) -> Settings:
    with make_sessionmaker(sqlite_url)() as db:
        accounts.create_user(db, "anna", "counsellor", "anna-password")
        db.commit()
    return Settings(
        env="dev",
        database_url=sqlite_url,
        rasa_urls=fake_rasa.servers,
        rasa_token=fake_rasa.token,
        action_server_url="http://actions:5055/webhook",
        kiosk_key=KIOSK_KEY,
        jwt_secret="browser-test-jwt-secret-of-enough-length",
    )


@pytest.fixture
def serve(kiosk_settings, fake_rasa):
    """Start the API (real domain.yml, fake Rasa); keyword arguments override settings."""
    from api.main import create_app

    servers = []

    def start(**overrides) -> LiveServer:
        app = create_app(kiosk_settings.copy(update=overrides), rasa_transport=fake_rasa.transport)
        server = LiveServer(app).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)


@pytest.fixture
def staff_api(kiosk_settings):
    """A counsellor's HTTP client for a running server."""

    def client_for(server: LiveServer) -> httpx.Client:
        http = httpx.Client(base_url=server.url + "/api/v1", timeout=10)
        token = http.post("/auth/token", data={"username": "anna", "password": "anna-password"}).json()
        http.headers["Authorization"] = "Bearer " + token["access_token"]
        return http

    return client_for


@pytest.fixture
def newest_session_id(kiosk_settings):
    """The id of the session the kiosk started last, read from the database: the kiosk page
    keeps no session id anywhere a test (or the next client) could read it (issue 14.1)."""
    from sqlalchemy import select

    from bot.db.models import ChatSession

    def newest() -> str:
        with make_sessionmaker(kiosk_settings.database_url)() as db:
            return db.execute(
                select(ChatSession.id).order_by(ChatSession.started_at.desc()).limit(1)
            ).scalar_one()

    return newest


@pytest.fixture(scope="module")
def browser():
    """One Chromium per module, closed after it: Playwright's sync API keeps an
    asyncio loop running in the main thread while it is open, which breaks any
    later test that starts its own loop (async tests, Sanic, asyncio.run)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; run scripts/install_system_packages.sh")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def screenshots(tmp_path) -> Path:
    """Where the tests save what a person should look at. docs/screenshots only with
    COACH_UPDATE_SCREENSHOTS=1, so an ordinary test run leaves the repository clean."""
    if UPDATE_SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path

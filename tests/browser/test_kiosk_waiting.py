"""The waiting client is told (issue 17): after a hand-off the kiosk says a counsellor is
coming and roughly when (from the queue), and the first message typed while waiting gets
one calm line that it was kept."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from bot import sessions
from bot.db.engine import make_sessionmaker

pytestmark = pytest.mark.browser

SAVED = "Uw bericht is bewaard. De begeleider leest het."


def _ask_for_a_person(browser, url):
    page = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL").new_page()
    page.goto(url + "/kiosk")
    page.get_by_role("button", name="Start het gesprek").click()
    page.get_by_role("button", name="Ik wil met een mens praten").click()
    return page


def _say(page, text):
    page.locator("#message-input").fill(text)
    page.get_by_role("button", name="Verstuur").click()
    expect(page.locator("#log .msg--client .msg__text").last).to_have_text(text)


def test_waiting_client_hears_a_counsellor_is_coming_and_that_messages_are_kept(browser, serve):
    server = serve()
    page = _ask_for_a_person(browser, server.url)
    banner = page.locator("#status-banner")
    expect(banner).to_have_text("Er komt een begeleider. Even geduld, meestal binnen een paar minuten.")
    _say(page, "Is er iemand?")
    expect(page.locator("#log .note", has_text=SAVED)).to_have_count(1)
    _say(page, "Ik wacht wel.")
    expect(page.locator("#log .note", has_text=SAVED)).to_have_count(1)  # once, not after every message


def test_the_kiosk_shows_the_queues_estimate(browser, serve, kiosk_settings, users_for_estimate):
    server = serve()
    page = _ask_for_a_person(browser, server.url)
    expect(page.locator("#status-banner")).to_have_text(
        "Er komt een begeleider. Even geduld, ongeveer 3 minuten."
    )


@pytest.fixture
def users_for_estimate(kiosk_settings):
    """Two earlier hand-offs a counsellor took after 2 and 4 minutes (median 3)."""
    from sqlalchemy import select

    from bot.db.models import User

    now = datetime.now(timezone.utc)
    with make_sessionmaker(kiosk_settings.database_url)() as db:
        anna = db.execute(select(User).where(User.username == "anna")).scalar_one()
        for minutes in (2, 4):
            chat = sessions.create_session(db)
            said = sessions.add_message(db, chat, sender="client", text="help")
            handoff = sessions.request_handoff(db, chat, reason="request", message_id=said.id)
            sessions.take_over(db, chat, user_id=anna.id)
            handoff.created_at = now - timedelta(hours=1)
            handoff.taken_at = handoff.created_at + timedelta(minutes=minutes)
            sessions.close(db, chat)
        db.commit()

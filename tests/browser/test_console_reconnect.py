"""Nothing is lost when the console's live feed drops (issue 15.3): a replica restarts, the
console's WebSocket is cut and its next try reaches no server; a crisis raised meanwhile
(elsewhere, so no push reaches this console) is in the queue, with its alert, once the feed
is back, because the console reads the queue again when it reconnects."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bot import sessions
from bot.db.engine import make_sessionmaker

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 800}
FEED = re.compile(r".*/api/v1/staff/ws$")
CRISIS_WORDS = "Ik wil niet meer leven, vannacht."


def _crisis_elsewhere(database_url: str) -> str:
    with make_sessionmaker(database_url)() as db:
        chat = sessions.create_session(db, language="nl")
        message = sessions.add_message(db, chat, sender="client", text=CRISIS_WORDS)
        sessions.request_handoff(db, chat, reason="crisis", message_id=message.id)
        db.commit()
        return chat.id


def test_a_crisis_raised_while_the_feed_was_down_is_shown_after_it_reconnects(browser, serve, kiosk_settings):
    server = serve()
    page = browser.new_context(viewport=VIEWPORT, locale="nl-NL").new_page()
    tries = []

    def feed(ws):
        tries.append(ws)
        if len(tries) != 2:  # the second try finds the replica still down: nothing answers
            ws.connect_to_server()

    page.route_web_socket(FEED, feed)
    page.goto(server.url + "/console/")
    page.locator("#login-username").fill("anna")
    page.locator("#login-password").fill("anna-password")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Wachtrij", exact=True)).to_be_visible()
    dot = page.locator("#shell-feed")
    expect(dot).to_have_class(re.compile("feed-dot--on"))
    expect(page.locator("#handoff-alert")).to_be_hidden()

    tries[0].close()  # the replica goes away
    expect(dot).not_to_have_class(re.compile("feed-dot--on"))
    session_id = _crisis_elsewhere(kiosk_settings.database_url)
    for _ in range(100):  # the console tries again by itself (1 s back-off)
        if len(tries) >= 2:
            break
        page.wait_for_timeout(100)
    assert len(tries) >= 2
    tries[1].close()  # that try gives up too; the next reaches the server

    expect(dot).to_have_class(re.compile("feed-dot--on"), timeout=15_000)
    item = page.locator(f"#queue-waiting-list [data-session='{session_id}']")
    expect(item).to_have_attribute("data-reason", "crisis", timeout=10_000)
    expect(item.locator(".queue-item__trigger")).to_have_text(CRISIS_WORDS)
    alert = page.locator("#handoff-alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Crisis")

"""The console's queue with 200 clients waiting (issue 15.6): one summary banner (how many
wait, the most urgent first, the client's words of each row), the queue itself still in view,
one sound for a batch and once per new crisis (no repeating tone), and no transcript read per
waiting client."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import expect

from bot import sessions
from bot.db.engine import make_sessionmaker

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 800}
WAITING = 200
COUNT_OSCILLATORS = """
window.__oscillators = 0;
const original = AudioContext.prototype.createOscillator;
AudioContext.prototype.createOscillator = function () {
  window.__oscillators += 1;
  return original.apply(this, arguments);
};
"""
CRISIS_WORDS = "Ik wil dood. Ik kan niet meer."


def _fill_queue(database_url: str) -> dict:
    """200 sessions waiting for a counsellor: 2 crises, then emotion, request and uncertain ones."""
    reasons = ["crisis", "crisis"] + ["emotion", "request", "uncertain"] * ((WAITING - 2) // 3 + 1)
    made = {}
    with make_sessionmaker(database_url)() as db:
        for index, reason in enumerate(reasons[:WAITING]):
            chat = sessions.create_session(db, language="nl")
            words = f"Bericht {index}: " + (
                "ik wil niet meer leven" if reason == "crisis" else "ik wil met iemand praten"
            )
            message = sessions.add_message(db, chat, sender="client", text=words)
            sessions.request_handoff(db, chat, reason=reason, message_id=message.id)
            made[chat.id] = (reason, words)
        db.commit()
    return made


def test_two_hundred_waiting_at_a_glance(screenshots, browser, serve, kiosk_settings):
    made = _fill_queue(kiosk_settings.database_url)
    server = serve()
    page = browser.new_context(viewport=VIEWPORT, locale="nl-NL").new_page()
    page.add_init_script(COUNT_OSCILLATORS)
    transcript_reads = []
    page.on(
        "request",
        lambda r: transcript_reads.append(r.url)
        if re.search(r"/api/v1/staff/sessions/[0-9a-f]{32}$", r.url)
        else None,
    )
    page.goto(server.url + "/console/")
    page.locator("#login-username").fill("anna")
    page.locator("#login-password").fill("anna-password")
    page.get_by_role("button", name="Inloggen").click()

    banner = page.locator("#handoff-alert")
    expect(banner).to_be_visible(timeout=15_000)
    expect(banner.locator(".handoff-alert__count")).to_have_text(
        f"{WAITING} cliënten wachten op een begeleider"
    )
    expect(banner).to_have_class(re.compile("handoff-alert--crisis"))
    expect(banner.locator(".handoff-alert__kinds")).to_contain_text("2 crisis")
    rows = banner.locator(".handoff-alert__item")
    expect(rows).to_have_count(5)
    # The most urgent first, each with the client's own words.
    for i in range(2):
        expect(rows.nth(i)).to_have_attribute("data-reason", "crisis")
        session_id = rows.nth(i).get_attribute("data-session")
        assert made[session_id][0] == "crisis"
        expect(rows.nth(i).locator(".handoff-alert__trigger")).to_have_text(f"“{made[session_id][1]}”")
    expect(rows.nth(2)).not_to_have_attribute("data-reason", "crisis")
    expect(banner.locator(".handoff-alert__more")).to_have_text(f"en nog {WAITING - 5} in de wachtrij")

    # The queue is still in view under the banner, and holds everyone.
    waiting = page.locator("#queue-waiting-list .queue-item")
    expect(waiting).to_have_count(WAITING, timeout=20_000)
    box = banner.bounding_box()
    assert box["height"] < 320, box
    heading = page.get_by_role("heading", name="Wacht op een begeleider")
    assert heading.bounding_box()["y"] < VIEWPORT["height"] - 100
    expect(waiting.first.locator(".queue-item__trigger")).to_contain_text("ik wil niet meer leven")
    assert transcript_reads == []  # the triggers come with the list, not one audited read each

    # One sound for the whole batch (a crisis sound: three tones).
    page.wait_for_function("window.ConsoleAlerts.beeps >= 1")
    assert page.evaluate("window.ConsoleAlerts.beeps") == 1
    assert page.evaluate("window.__oscillators") == 3
    page.screenshot(path=str(screenshots / "console_queue_200_waiting.png"))

    # A refresh of the queue is asked now and answered only after the crisis below: its answer
    # is older than the live push (CI once saw the crisis drop out and sound a second time).
    held = []
    stale_list = re.compile(r"/api/v1/staff/sessions\?status=waiting_for_human")
    page.route(stale_list, lambda route: route.continue_() if held else held.append(route))
    page.evaluate("() => { window.__stalePoll = window.ConsoleAlerts.poll(); }")
    while not held:  # Playwright hands over the request while it waits
        page.wait_for_timeout(50)
    with httpx.Client(base_url=server.url + "/api/v1", timeout=10) as staff:
        token = staff.post("/auth/token", data={"username": "anna", "password": "anna-password"}).json()
        stale = staff.get(
            "/staff/sessions",
            params={"status": "waiting_for_human", "limit": 500},
            headers={"Authorization": "Bearer " + token["access_token"]},
        ).text

    # A new crisis sounds once; nothing repeats after it (the old console beeped every 4 s).
    with httpx.Client(
        base_url=server.url + "/api/v1", headers={"X-Kiosk-Key": kiosk_settings.kiosk_key}, timeout=10
    ) as kiosk:
        new_id = kiosk.post("/sessions", json={"language": "nl"}).json()["session_id"]
        reply = kiosk.post(f"/sessions/{new_id}/messages", json={"text": CRISIS_WORDS}).json()
        assert reply["handoff"]["reason"] == "crisis"
    # Crisis first, then the longest wait: after the two older crises. Pushed on the staff socket.
    expect(rows.nth(2)).to_have_attribute("data-session", new_id, timeout=10_000)
    expect(banner.locator(".handoff-alert__count")).to_have_text(
        f"{WAITING + 1} cliënten wachten op een begeleider"
    )
    page.wait_for_function("window.ConsoleAlerts.beeps >= 2")
    # The old answer arrives now: it does not drop the newer crisis, so nothing sounds again.
    assert new_id not in stale
    held[0].fulfill(status=200, content_type="application/json", body=stale)
    page.evaluate("() => window.__stalePoll")
    page.unroute(stale_list)
    expect(rows.nth(2)).to_have_attribute("data-session", new_id)
    expect(banner.locator(".handoff-alert__count")).to_have_text(
        f"{WAITING + 1} cliënten wachten op een begeleider"
    )
    page.wait_for_timeout(4_500)
    assert page.evaluate("window.ConsoleAlerts.beeps") == 2

    # Seen: the banner goes; the queue stays.
    banner.get_by_role("button", name="Gezien").click()
    expect(banner).to_be_hidden()
    expect(waiting).to_have_count(WAITING + 1, timeout=20_000)

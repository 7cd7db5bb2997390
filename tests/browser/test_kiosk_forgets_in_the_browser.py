"""A kiosk that forgets (issue 14.1, 14.2) in Chromium: after a reload, "Stoppen", a close
by staff or inactivity, the next person at the kiosk finds a fresh welcome and no trace of
the previous client: not their words in the page, not the session id in any storage, and
the server refuses the old session to the kiosk."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from bot.db.engine import make_sessionmaker
from bot.db.models import ChatSession, Message

from fake_rasa import DECLINE_TEXT, GOODBYE, QUESTIONS

pytestmark = pytest.mark.browser

LANDSCAPE = {"width": 1280, "height": 800}
SECRET = "Ik slaap nu bij mijn neef in Tilburg."


def _open(browser, url: str, *, no_websocket: bool = False) -> Page:
    context = browser.new_context(viewport=LANDSCAPE, locale="nl-NL")
    page = context.new_page()
    if no_websocket:
        page.add_init_script("delete window.WebSocket;")
    page.goto(url + "/kiosk")
    return page


def _talk(page: Page) -> None:
    page.get_by_role("button", name="Start het gesprek").click()
    expect(page.locator("#log .msg--bot .msg__text").last).to_have_text(QUESTIONS[0][1])
    page.locator("#message-input").fill(SECRET)
    page.get_by_role("button", name="Verstuur").click()
    # The first client turn of a server may wait for the safety policy's models to load.
    expect(page.locator("#log .msg--client .msg__text").last).to_have_text(SECRET, timeout=30_000)
    expect(page.locator("#log .msg--bot .msg__text").last).to_have_text(QUESTIONS[1][1], timeout=30_000)
    page.locator("#message-input").fill("nog niet verstuurd")  # typed, not sent: a trace too


def _kiosk_read_status(page: Page, session_id: str) -> int:
    """What the kiosk API answers this device for the old session now."""
    return page.evaluate(
        """(sid) => fetch(`/api/v1/sessions/${sid}/messages`, {headers: {"X-Kiosk-Key":
             document.querySelector('meta[name="kiosk-key"]').content}}).then((r) => r.status)""",
        session_id,
    )


def _assert_no_trace(page: Page, session_id: str) -> None:
    expect(page.get_by_role("heading", name="Welkom")).to_be_visible()
    expect(page.locator("#chat-screen")).to_be_hidden()
    assert page.locator("#log li").count() == 0
    html = page.content()
    assert SECRET not in html and QUESTIONS[1][1] not in html and session_id not in html
    assert page.locator("#message-input").input_value() == ""
    storage = page.evaluate("JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage)])")
    assert session_id not in storage and "toekomstcoach.sessionId" not in storage
    expect(page.get_by_role("button", name="Stoppen")).to_be_hidden()


def _closed_reason(settings, session_id: str):
    with make_sessionmaker(settings.database_url)() as db:
        row = db.get(ChatSession, session_id)
        note = db.execute(
            select(Message)
            .where(Message.session_id == session_id, Message.sender == "system")
            .order_by(Message.seq.desc())
            .limit(1)
        ).scalar_one_or_none()
        return row.status, (note.meta or {}).get("reason") if note is not None else None


def _wait_closed(page: Page, settings, session_id: str):
    """The screen clears first; the end call follows at once."""
    for _ in range(30):
        found = _closed_reason(settings, session_id)
        if found[0] == "closed":
            return found
        page.wait_for_timeout(100)
    return found


def test_a_reload_starts_fresh(browser, serve, newest_session_id):
    server = serve()
    page = _open(browser, server.url)
    _talk(page)
    session_id = newest_session_id()
    page.reload()
    _assert_no_trace(page, session_id)
    # The talk itself is not lost for the counsellor; the server closes it once idle.
    page.get_by_role("button", name="Start het gesprek").click()
    expect(page.locator("#log .msg--bot .msg__text").last).to_have_text(QUESTIONS[0][1])
    assert SECRET not in page.content()


def test_stoppen_asks_once_then_ends_without_calling_anyone(
    screenshots, browser, serve, kiosk_settings, newest_session_id, fake_rasa
):
    server = serve()
    page = _open(browser, server.url)
    _talk(page)
    session_id = newest_session_id()

    stop = page.get_by_role("button", name="Stoppen")
    expect(stop).to_be_visible()
    assert stop.bounding_box()["height"] >= 48
    stop.click()
    dialog = page.get_by_role("dialog", name="Wilt u stoppen?")
    expect(dialog).to_be_visible()
    page.screenshot(path=str(screenshots / "kiosk-stoppen-vraag.png"))
    page.get_by_role("button", name="Nee, verder").click()  # changed their mind: nothing happens
    expect(dialog).to_be_hidden()
    expect(page.locator("#log .msg--client .msg__text").last).to_have_text(SECRET)

    stop.click()
    page.get_by_role("button", name="Ja, stoppen").click()
    expect(page.locator("#start-notice")).to_have_text("Het gesprek is gestopt. Dank u wel.")
    _assert_no_trace(page, session_id)
    page.screenshot(path=str(screenshots / "kiosk-na-stoppen.png"))
    assert _wait_closed(page, kiosk_settings, session_id) == ("closed", "ended_by_client")
    assert _kiosk_read_status(page, session_id) == 409
    assert fake_rasa.channel_calls("/request_human") == []


@pytest.mark.parametrize("live", ["websocket", "polling"])
def test_a_close_by_staff_clears_the_kiosk(browser, serve, staff_api, newest_session_id, live):
    server = serve()
    page = _open(browser, server.url, no_websocket=(live == "polling"))
    _talk(page)
    session_id = newest_session_id()
    assert staff_api(server).post(f"/staff/sessions/{session_id}/close").status_code == 200
    expect(page.locator("#start-notice")).to_have_text(
        "Het gesprek is afgesloten. Dank u wel.", timeout=10_000
    )
    _assert_no_trace(page, session_id)
    assert _kiosk_read_status(page, session_id) == 409


def test_inactivity_asks_bent_u_er_nog_then_clears(
    screenshots, browser, serve, kiosk_settings, newest_session_id
):
    server = serve(kiosk_idle_warn_s=2, kiosk_idle_clear_s=3)
    page = _open(browser, server.url)
    _talk(page)
    session_id = newest_session_id()

    check = page.get_by_role("alertdialog", name="Bent u er nog?")
    expect(check).to_be_visible(timeout=5_000)
    page.screenshot(path=str(screenshots / "kiosk-bent-u-er-nog.png"))
    page.get_by_role("button", name="Ja, ik ben er nog").click()  # still there: the talk goes on
    expect(check).to_be_hidden()
    expect(page.locator("#log .msg--client .msg__text").last).to_have_text(SECRET)

    expect(check).to_be_visible(timeout=5_000)  # walked away this time
    expect(page.locator("#start-notice")).to_have_text(
        "Het gesprek is gestopt, omdat u weg was.", timeout=6_000
    )
    _assert_no_trace(page, session_id)
    assert _wait_closed(page, kiosk_settings, session_id) == ("closed", "kiosk_idle")
    assert _kiosk_read_status(page, session_id) == 409


def test_a_talk_the_bot_ended_clears_soon_unless_the_client_goes_on(
    browser, serve, kiosk_settings, newest_session_id
):
    server = serve(kiosk_after_goodbye_s=3, kiosk_idle_warn_s=600)
    page = _open(browser, server.url)
    _talk(page)
    session_id = newest_session_id()
    page.locator("#message-input").fill(DECLINE_TEXT)
    page.get_by_role("button", name="Verstuur").click()
    goodbye = page.locator("#log .msg--bot .msg__text").last
    expect(goodbye).to_have_text(GOODBYE[1], timeout=30_000)

    page.locator("#message-input").fill("nog even")  # a key pressed: the words stay a while longer
    expect(goodbye).to_be_visible()
    expect(page.locator("#start-notice")).to_have_text("Het gesprek is gestopt. Dank u wel.", timeout=15_000)
    expect(page.get_by_role("alertdialog", name="Bent u er nog?")).to_be_hidden()
    _assert_no_trace(page, session_id)
    assert GOODBYE[1] not in page.content()
    assert _wait_closed(page, kiosk_settings, session_id) == ("closed", "ended_by_client")
    assert _kiosk_read_status(page, session_id) == 409


def _console_code(browser, url: str, session_id: str, client_ref: str, screenshots) -> str:
    """A counsellor makes a code on the session's page in the console."""
    console = browser.new_context(viewport=LANDSCAPE, locale="nl-NL").new_page()
    console.goto(url + "/console/")
    console.locator("#login-username").fill("anna")
    console.locator("#login-password").fill("anna-password")
    console.get_by_role("button", name="Inloggen").click()
    expect(console.get_by_role("heading", name="Wachtrij", exact=True)).to_be_visible()
    console.goto(f"{url}/console/#/sessions/{session_id}")
    card = console.locator("#resume-card")
    expect(card).to_contain_text("Volgend gesprek")
    card.get_by_label("Cliëntnummer").fill(client_ref)
    card.get_by_role("button", name="Code maken").click()
    code = console.locator("#resume-code")
    expect(code).to_have_text(re.compile(r"^[A-Z2-9]{8}$"))
    expect(card).to_contain_text("één keer te gebruiken")
    console.screenshot(path=str(screenshots / "console-code-volgend-gesprek.png"))
    return code.inner_text()


def test_a_returning_client_continues_with_a_code_not_a_file_number(
    screenshots, browser, serve, staff_api, newest_session_id
):
    server = serve()
    page = _open(browser, server.url)
    _talk(page)
    first = newest_session_id()
    staff = staff_api(server)
    code = _console_code(browser, server.url, first, "ER-2025-300", screenshots)
    page.get_by_role("button", name="Stoppen").click()
    page.get_by_role("button", name="Ja, stoppen").click()

    page.get_by_role("button", name="Ik heb een code").click()
    page.get_by_label("Code van uw begeleider").fill("ZZZZ2222")
    page.get_by_role("button", name="Verder met code").click()
    expect(page.locator("#start-error")).to_have_text(
        "Deze code werkt niet. Vraag uw begeleider om een nieuwe code."
    )

    page.get_by_label("Code van uw begeleider").fill(code.lower())
    page.get_by_role("button", name="Verder met code").click()
    expect(page.locator("#log .msg--bot .msg__text").last).to_have_text(QUESTIONS[0][1])
    second = newest_session_id()
    detail = staff.get(f"/staff/sessions/{second}").json()
    assert second != first and detail["client_ref"] == "ER-2025-300"
    assert SECRET not in page.content()  # the old words are not shown again at the kiosk

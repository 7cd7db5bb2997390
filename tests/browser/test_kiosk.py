"""The kiosk page in Chromium: a conversation by button and text, live updates, crisis card."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from fake_rasa import QUESTIONS

pytestmark = pytest.mark.browser

LANDSCAPE = {"width": 1280, "height": 800}
PORTRAIT = {"width": 800, "height": 1280}


def _open(browser, url: str, viewport, *, no_websocket: bool = False) -> Page:
    context = browser.new_context(viewport=viewport, locale="nl-NL")
    page = context.new_page()
    if no_websocket:
        page.add_init_script("delete window.WebSocket;")
    page.goto(url + "/kiosk")
    return page


def _bubbles(page: Page, sender: str):
    return page.locator(f"#log .msg--{sender} .msg__text")


def _assert_fits(page: Page) -> None:
    """Nothing sticks out sideways; the human button and the text box are on screen."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    for selector in ("#human-button", "#message-input", "#send-button"):
        box = page.locator(selector).bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"], selector
        assert box["height"] >= 48, selector


def test_kiosk_conversation_by_button_and_text(browser, serve, screenshots):
    server = serve()
    page = _open(browser, server.url, LANDSCAPE)
    page.get_by_role("button", name="Start het gesprek").click()

    expect(_bubbles(page, "bot").last).to_have_text(QUESTIONS[0][1])
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 22
    human = page.get_by_role("button", name="Ik wil met een mens praten")
    expect(human).to_be_visible()

    # Question 1 by a quick-reply button: the bubble shows the title, the bot moves on.
    quick = page.locator("#quick-replies button", has_text="Goed").first
    assert quick.evaluate("el => el.getBoundingClientRect().height") >= 48
    quick.click()
    # The first client turn of a server may wait for the safety policy's models to load.
    expect(_bubbles(page, "client").last).to_have_text("Goed", timeout=30_000)
    expect(_bubbles(page, "bot").last).to_have_text(QUESTIONS[1][1], timeout=30_000)
    expect(page.locator("#quick-replies button")).to_have_count(0)  # question 2 has no buttons

    # Question 2 through the text box.
    page.locator("#message-input").fill("Ik denk aan een eigen winkel.")
    page.get_by_role("button", name="Verstuur").click()
    expect(_bubbles(page, "client").last).to_have_text("Ik denk aan een eigen winkel.")
    expect(_bubbles(page, "bot").last).to_have_text(QUESTIONS[2][1])
    expect(page.locator("#message-input")).to_have_value("")
    expect(page.locator("#quick-replies button")).to_have_count(2)
    _assert_fits(page)
    page.screenshot(path=str(screenshots / "kiosk-1280x800.png"))

    page.set_viewport_size(PORTRAIT)
    _assert_fits(page)
    page.screenshot(path=str(screenshots / "kiosk-800x1280.png"))


def test_kiosk_renders_text_as_text_and_keeps_a_refused_message(browser, serve):
    server = serve()
    page = _open(browser, server.url, LANDSCAPE)
    page.get_by_role("button", name="Start het gesprek").click()
    expect(_bubbles(page, "bot").last).to_have_text(QUESTIONS[0][1])

    hostile = '<img src=x onerror="window.__owned = 1"><b>vet</b>'
    page.locator("#message-input").fill(hostile)
    page.get_by_role("button", name="Verstuur").click()
    expect(_bubbles(page, "client").last).to_have_text(hostile)
    assert page.evaluate("window.__owned") is None
    assert page.locator("#log img, #log b").count() == 0

    too_long = "a" * 2001
    page.evaluate(
        "(t) => { const box = document.querySelector('#message-input');"
        " box.removeAttribute('maxlength'); box.value = t; }",
        too_long,
    )
    page.get_by_role("button", name="Verstuur").click()
    expect(page.locator("#send-error")).to_contain_text("te lang")
    expect(page.locator("#message-input")).to_have_value(too_long)  # nothing lost


@pytest.mark.parametrize("live", ["websocket", "polling"])
def test_counsellor_takes_over_and_writes_live(browser, serve, staff_api, live, newest_session_id):
    server = serve()
    page = _open(browser, server.url, LANDSCAPE, no_websocket=(live == "polling"))
    page.get_by_role("button", name="Start het gesprek").click()
    expect(_bubbles(page, "bot").last).to_have_text(QUESTIONS[0][1])
    session_id = newest_session_id()

    page.get_by_role("button", name="Ik wil met een mens praten").click()
    expect(page.locator("#status-banner")).to_have_text(
        "Er komt een begeleider. Even geduld, meestal binnen een paar minuten."
    )
    expect(page.locator("#crisis-card")).to_be_hidden()  # a request is no crisis

    staff = staff_api(server)
    assert staff.post(f"/staff/sessions/{session_id}/takeover").status_code == 200
    assert (
        staff.post(f"/staff/sessions/{session_id}/messages", json={"text": "Hallo, ik ben Anna."}).status_code
        == 200
    )
    expect(_bubbles(page, "counsellor").last).to_have_text("Hallo, ik ben Anna.", timeout=10_000)
    expect(page.locator("#status-banner")).to_have_text("U praat nu met een begeleider.")
    expect(page.locator("#log .note")).to_have_text(["Een begeleider praat nu met u."])

    assert staff.post(f"/staff/sessions/{session_id}/handback", json={}).status_code == 200
    expect(page.locator("#log .note").last).to_have_text("U praat weer met de coach.", timeout=10_000)
    expect(_bubbles(page, "bot").last).to_have_text(QUESTIONS[1][1])
    expect(page.locator("#status-banner")).to_be_hidden()


@pytest.mark.parametrize("words", ["Ik wil niet meer leven.", "ik wil er een eind aan maken"])
def test_crisis_shows_the_route_and_the_crisis_card_in_portrait(
    browser, serve, fake_rasa, screenshots, words
):
    fake_rasa.notice_crisis = False  # the API's own detector must catch it and word it from domain.yml
    server = serve()
    page = _open(browser, server.url, PORTRAIT)
    page.get_by_role("button", name="Start het gesprek").click()
    expect(_bubbles(page, "bot").last).to_have_text(QUESTIONS[0][1])
    page.locator("#message-input").fill(words)
    page.get_by_role("button", name="Verstuur").click()

    expect(page.locator("#status-banner")).to_have_text(
        "Er komt een begeleider. Even geduld, meestal binnen een paar minuten."
    )
    card = page.locator("#crisis-card")
    expect(card).to_be_visible()
    for number in ("112", "113", "0800-0113"):
        expect(card).to_contain_text(number)
    expect(_bubbles(page, "bot").last).to_contain_text("0800-0113")
    expect(page.locator("#log")).not_to_contain_text("handoff:")  # machine keys stay out of sight
    expect(page.locator("#quick-replies button")).to_have_count(0)
    _assert_fits(page)
    if words.startswith("ik wil er"):
        page.screenshot(path=str(screenshots / "kiosk-800x1280-crisis-eind-aan-maken.png"))
    else:
        page.screenshot(path=str(screenshots / "kiosk-800x1280-crisis.png"))


def test_kiosk_key_is_entered_once_by_staff_outside_dev(browser, serve):
    server = serve(env="test")
    page = _open(browser, server.url, LANDSCAPE)
    expect(page.get_by_role("heading", name="Kiosk instellen")).to_be_visible()
    page.locator("#key-input").fill("wrong-key")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("button", name="Start het gesprek").click()
    expect(page.locator("#key-error")).to_contain_text("niet goed ingesteld")

    page.locator("#key-input").fill("browser-test-kiosk-key-0123456789")
    page.get_by_role("button", name="Opslaan").click()
    page.reload()  # kept in localStorage
    page.get_by_role("button", name="Start het gesprek").click()
    expect(_bubbles(page, "bot").last).to_have_text(QUESTIONS[0][1])

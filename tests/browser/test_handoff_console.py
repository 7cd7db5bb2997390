"""Two pages, kiosk and console: a crisis on the kiosk raises the console's alert,
the counsellor takes over, both sides write, and the coach resumes in the same phase."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from fake_rasa import QUESTIONS, FakeRasa

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 800}
CRISIS_MESSAGE = "Ik wil dood. Ik kan niet meer."
# Count real WebAudio use: every beep creates oscillators.
COUNT_OSCILLATORS = """
window.__oscillators = 0;
const original = AudioContext.prototype.createOscillator;
AudioContext.prototype.createOscillator = function () {
  window.__oscillators += 1;
  return original.apply(this, arguments);
};
"""


class ResumingFakeRasa(FakeRasa):
    """Says in which phase it was resumed, so the kiosk shows it; reports the
    phase it is in on hand-off turns too (the base fake says "verkennen" there)."""

    def converse(self, sender: str, text: str) -> dict:
        reply = super().converse(sender, text)
        if reply["paused"]:
            reply["phase"] = self._phase(sender)
        if text == "/resume_conversation":
            phase = self.phase_set.get(sender, "(geen)")
            reply["messages"].insert(
                0,
                {
                    "text": f"We gaan verder in fase {phase}.",
                    "buttons": [],
                    "utter_action": "utter_resume",
                    "mi_code": None,
                },
            )
        return reply


def _wait_until(page, expression: str, timeout_ms: int = 5_000) -> None:
    """Like page.wait_for_function, which evaluates its text with eval: the console's CSP
    (script-src 'self', issue 14.7) forbids that; page.evaluate goes through DevTools."""
    import time

    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(f"() => Boolean({expression})"):
        assert time.monotonic() < deadline, f"not true within {timeout_ms} ms: {expression}"
        page.wait_for_timeout(100)


@pytest.fixture
def fake_rasa() -> FakeRasa:
    # Question 2 is in phase "kiezen", so hand-back has a phase other than the default to keep.
    return ResumingFakeRasa(phase_after={2: "kiezen"})


def _bubbles(page: Page, sender: str):
    return page.locator(f"#log .msg--{sender} .msg__text")


def _open_kiosk(browser, url: str) -> Page:
    page = browser.new_context(viewport=VIEWPORT, locale="nl-NL").new_page()
    page.goto(url + "/kiosk")
    return page


def _open_console(browser, url: str) -> Page:
    page = browser.new_context(viewport=VIEWPORT, locale="nl-NL").new_page()
    page.add_init_script(COUNT_OSCILLATORS)
    page.goto(url + "/console/")
    page.locator("#login-username").fill("anna")
    page.locator("#login-password").fill("anna-password")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Wachtrij", exact=True)).to_be_visible()
    expect(page.locator("#shell-feed")).to_have_class(re.compile("feed-dot--on"))
    return page


def test_crisis_alert_takeover_two_way_chat_and_handback_in_the_same_phase(
    browser, serve, fake_rasa, screenshots, newest_session_id
):
    server = serve()
    console = _open_console(browser, server.url)
    expect(console.locator("#handoff-alert")).to_be_hidden()

    kiosk = _open_kiosk(browser, server.url)
    kiosk.get_by_role("button", name="Start het gesprek").click()
    expect(_bubbles(kiosk, "bot").last).to_have_text(QUESTIONS[0][1])
    session_id = newest_session_id()
    kiosk.locator("#quick-replies button", has_text="Goed").first.click()
    expect(_bubbles(kiosk, "bot").last).to_have_text(QUESTIONS[1][1])  # now in phase "kiezen"

    # The session shows up among the bot's conversations, with a way to step in.
    bot_item = console.locator(f"#queue-bot-list [data-session='{session_id}']")
    expect(bot_item).to_contain_text("Kiezen")
    expect(bot_item.get_by_role("button", name="Overnemen")).to_be_visible()

    # Crisis on the kiosk → the alert on the console, seen and heard.
    kiosk.locator("#message-input").fill(CRISIS_MESSAGE)
    kiosk.get_by_role("button", name="Verstuur").click()
    expect(kiosk.locator("#crisis-card")).to_be_visible()
    alert = console.locator("#handoff-alert")
    expect(alert).to_be_visible(timeout=10_000)
    expect(alert).to_contain_text("Crisis")
    expect(alert).to_have_class(re.compile("handoff-alert--crisis"))
    _wait_until(console, "window.ConsoleAlerts.beeps >= 1 && window.__oscillators >= 3")
    # A new crisis sounds once (issue 15.6); the summary banner, not a repeating tone, keeps it in view.
    expect(
        alert.locator(f".handoff-alert__item[data-session='{session_id}'] .handoff-alert__trigger")
    ).to_have_text(f"“{CRISIS_MESSAGE}”")

    item = console.locator(f"#queue-waiting-list [data-session='{session_id}']")
    expect(item).to_have_attribute("data-reason", "crisis")
    expect(item.locator(".queue-item__trigger")).to_have_text(CRISIS_MESSAGE)
    expect(item).to_contain_text("fase Kiezen")
    expect(item).to_contain_text("wacht")

    # While nobody has taken over, the kiosk keeps taking the client's words.
    expect(kiosk.locator("#status-banner")).to_have_text(
        "Er komt een begeleider. Even geduld, meestal binnen een paar minuten."
    )
    waiting_text = "Is er iemand? <b>hallo</b>"
    kiosk.locator("#message-input").fill(waiting_text)
    kiosk.get_by_role("button", name="Verstuur").click()
    expect(_bubbles(kiosk, "client").last).to_have_text(waiting_text)
    expect(item).to_contain_text("1 nieuw bericht sindsdien", timeout=10_000)
    console.screenshot(path=str(screenshots / "console_queue.png"))

    # One click takes over; the transcript has what the client wrote while waiting.
    item.get_by_role("button", name="Overnemen").click()
    expect(console).to_have_url(re.compile(f"#/live/{session_id}$"))
    transcript = console.locator("#live-transcript")
    expect(transcript).to_contain_text(CRISIS_MESSAGE)
    expect(transcript.locator(".bubble--client").last).to_contain_text(waiting_text)
    assert transcript.locator("b").count() == 0  # client text is text, never markup
    # What the coach noticed, in the counsellor's words; the machine's names are for trainers.
    crisis_bubble = transcript.locator(".bubble--client", has_text=CRISIS_MESSAGE)
    expect(crisis_bubble).to_contain_text("gedachten aan de dood of zelfdoding")
    expect(crisis_bubble).not_to_contain_text("vlag")
    expect(crisis_bubble).not_to_contain_text("begrepen als")
    expect(crisis_bubble.locator(".bubble__technical")).to_have_count(0)
    expect(console.locator("#live-status")).to_have_text("Met begeleider")
    expect(alert).to_be_hidden()
    assert console.evaluate("window.ConsoleAlerts.repeatTimer") is None
    expect(kiosk.locator("#status-banner")).to_have_text("U praat nu met een begeleider.", timeout=10_000)

    # Counsellor → kiosk, live.
    console.locator("#live-input").fill("Hallo, ik ben Anna. Ik ben er nu voor u.")
    console.get_by_role("button", name="Verstuur").click()
    expect(_bubbles(kiosk, "counsellor").last).to_have_text(
        "Hallo, ik ben Anna. Ik ben er nu voor u.", timeout=10_000
    )
    expect(console.locator("#live-input")).to_have_value("")

    # Kiosk → counsellor, live.
    kiosk.locator("#message-input").fill("Dank u. Het gaat nu iets beter.")
    kiosk.get_by_role("button", name="Verstuur").click()
    expect(transcript.locator(".bubble--client").last).to_contain_text(
        "Dank u. Het gaat nu iets beter.", timeout=10_000
    )
    console.screenshot(path=str(screenshots / "console_live.png"))

    # Hand back: the phase on offer is the current one, and the coach resumes in it.
    expect(console.locator("#live-phase-select")).to_have_value("kiezen")
    console.get_by_role("button", name="Teruggeven aan de coach").click()
    expect(_bubbles(kiosk, "bot").nth(-2)).to_have_text("We gaan verder in fase kiezen.", timeout=10_000)
    expect(_bubbles(kiosk, "bot").last).to_have_text(QUESTIONS[2][1])
    expect(kiosk.locator("#status-banner")).to_be_hidden()
    expect(console.locator("#live-status")).to_have_text("Met de coach")
    expect(console.locator("#live-phase")).to_have_text("fase Kiezen")
    expect(transcript).to_contain_text(QUESTIONS[2][1])
    assert fake_rasa.phase_set[session_id] == "kiezen"
    [resume] = fake_rasa.channel_calls("/resume_conversation")
    assert resume["body"]["metadata"]["phase"] == "kiezen"

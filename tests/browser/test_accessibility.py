"""axe-core (WCAG 2.1 AA) on the kiosk, the console and the trainer's workbench (issue 17).

axe-core is pinned in tests/browser/package.json and installed by `make install`
(`npm ci --prefix tests/browser`). Each page is checked in the state where the
problems were found: the kiosk after a crisis hand-off (the crisis card squeezes
the log into a scrollable box), the console's queue, live view, transcript and
plan with the approval open, the flow picture, the sandbox chat and the wordings.
The second test reaches every other page and state: the kiosk's welcome, code entry, talk,
"Stoppen?", "Bent u er nog?", waiting and key screen; sign-in, the conversation list, "not
found", a scenario from a client's talk, the printed plan; the admin pages; the trainer's
library, one scenario, the editor and the sandbox list. The three rules issue 17 named must
hold everywhere; no page may have any other serious or critical violation of WCAG 2.1 A/AA
either.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bot import accounts
from bot.db.engine import make_sessionmaker

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
NAMED_RULES = ("scrollable-region-focusable", "nested-interactive", "color-contrast")
VIEWPORT = {"width": 1280, "height": 800}


def _axe(page: Page, where: str) -> list:
    """Violations of WCAG 2.0/2.1 A and AA on the page as it is now."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make install` (npm ci --prefix tests/browser)")
    page.evaluate(AXE.read_text(encoding="utf-8"))  # through DevTools: the pages' CSP allows no inline script
    result = page.evaluate("""async () => {
        const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
                                            resultTypes: ["violations"] });
        return r.violations.map(v => ({ id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").split("\\n")[1]) }));
    }""")
    return [dict(v, where=where) for v in result]


def _problems(violations: list) -> list:
    return [v for v in violations if v["id"] in NAMED_RULES or v["impact"] in ("serious", "critical")]


@pytest.fixture
def trainer(kiosk_settings):
    with make_sessionmaker(kiosk_settings.database_url)() as db:
        accounts.create_user(db, "tom", "trainer", "tom-password")
        db.commit()
    return ("tom", "tom-password")


def _sign_in(browser, url: str, username: str, password: str) -> Page:
    page = browser.new_context(viewport=VIEWPORT, locale="nl-NL").new_page()
    page.goto(url + "/console/")
    page.locator("#login-username").fill(username)
    page.locator("#login-password").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator("#shell-nav")).to_be_visible()
    return page


def test_kiosk_console_and_workbench_pass_axe(
    screenshots, browser, serve, staff_api, newest_session_id, trainer
):
    server = serve()
    found = []

    # Kiosk: a talk, then a crisis: the card appears and the log scrolls.
    kiosk = browser.new_context(viewport=VIEWPORT, locale="nl-NL").new_page()
    kiosk.goto(server.url + "/kiosk")
    kiosk.get_by_role("button", name="Start het gesprek").click()
    for text in ("Het gaat wel.", "Ik denk aan werk.", "Ik wil niet meer leven"):
        kiosk.locator("#message-input").fill(text)
        kiosk.get_by_role("button", name="Verstuur").click()
        kiosk.wait_for_timeout(300)
    expect(kiosk.locator("#crisis-card")).to_be_visible()
    log = kiosk.locator("#log")
    expect(log).to_have_attribute("tabindex", "0")
    found += _axe(kiosk, "kiosk na crisis")
    session_id = newest_session_id()

    # Console: queue, live view, transcript, plan with the approval open.
    console = _sign_in(browser, server.url, "anna", "anna-password")
    expect(console.locator(f"#queue-waiting-list [data-session='{session_id}']")).to_be_visible(
        timeout=10_000
    )
    found += _axe(console, "wachtrij")
    console.screenshot(path=str(screenshots / "console-queue-after-crisis.png"))
    console.goto(f"{server.url}/console/#/live/{session_id}")
    expect(console.locator("#live-transcript")).to_contain_text("niet meer leven")
    expect(console.locator("#live-transcript")).to_have_attribute("tabindex", "0")
    found += _axe(console, "live meelezen")
    console.goto(f"{server.url}/console/#/sessions/{session_id}")
    expect(console.locator("#rec-transcript")).to_be_visible()
    found += _axe(console, "transcript")
    console.goto(f"{server.url}/console/#/plan/{session_id}")
    console.locator("#plan-approve").click()
    expect(console.locator("#plan-approve-box")).to_be_visible()
    found += _axe(console, "actieplan")
    # The approved badge (the contrast the issue measured at 4.38:1).
    staff = staff_api(server)
    assert staff.post(f"/staff/sessions/{session_id}/close").status_code == 200
    assert (
        staff.post(
            f"/staff/sessions/{session_id}/plan/approve", json={"confirm_incomplete": True}
        ).status_code
        == 200
    )
    console.reload()
    expect(console.locator("#plan-review-state.tag--approved")).to_be_visible()
    found += _axe(console, "actieplan goedgekeurd")

    # Workbench: flow picture, sandbox chat, wordings.
    bench = _sign_in(browser, server.url, *trainer)
    bench.goto(f"{server.url}/console/#/trainer/flow")
    expect(bench.locator("#flow-svg .flow-node").first).to_be_visible()
    found += _axe(bench, "stroomschema")
    bench.goto(f"{server.url}/console/#/trainer/sandbox")
    bench.locator("#sandbox-start").click()
    expect(bench.locator("#sandbox-log")).not_to_be_empty()
    expect(bench.locator("#sandbox-log")).to_have_attribute("tabindex", "0")
    found += _axe(bench, "oefenen")
    bench.goto(f"{server.url}/console/#/trainer/wording")
    expect(bench.locator("#wording-count")).to_contain_text("teksten")
    found += _axe(bench, "teksten")

    problems = _problems(found)
    assert problems == [], json.dumps(problems, indent=1, ensure_ascii=False)


def _ready(page: Page, url: str, selector: str, where: str, found: list) -> None:
    """Open ``url``, wait until ``selector`` shows the page's loaded content, run axe."""
    page.goto(url)
    expect(page.locator(selector).first).to_be_visible()
    found += _axe(page, where)


def test_every_other_page_and_state_passes_axe(
    browser, serve, staff_api, newest_session_id, trainer, kiosk_settings
):
    """The pages and states the first test does not reach: the kiosk's welcome, code entry,
    talk, "Stoppen?", "Bent u er nog?", waiting for a person and the kiosk-key screen; the
    console's sign-in, conversation list, "not found", the scenario from a client's talk and
    the printed plan; the admin's accounts, audit log and privacy pages; the trainer's library,
    one scenario, the new-scenario editor and the sandbox list."""
    server = serve()
    found: list = []

    kiosk = browser.new_context(viewport=VIEWPORT, locale="nl-NL").new_page()
    _ready(kiosk, server.url + "/kiosk", "#start-button", "kiosk welkom", found)
    kiosk.locator("#code-open").click()
    expect(kiosk.locator("#code-form")).to_be_visible()
    found += _axe(kiosk, "kiosk code invoeren")
    kiosk.get_by_role("button", name="Start het gesprek").click()
    expect(kiosk.locator("#log li").first).to_be_visible()
    found += _axe(kiosk, "kiosk gesprek")
    kiosk.locator("#stop-button").click()
    expect(kiosk.locator("#stop-confirm")).to_be_visible()
    found += _axe(kiosk, "kiosk stoppen?")
    kiosk.locator("#stop-no").click()
    kiosk.get_by_role("button", name="Ik wil met een mens praten").click()
    expect(kiosk.locator("#status-banner")).to_be_visible()
    found += _axe(kiosk, "kiosk wacht op een begeleider")
    session_id = newest_session_id()

    # A kiosk left alone asks whether the client is still there (here after two seconds).
    idle = browser.new_context(viewport=VIEWPORT, locale="nl-NL").new_page()
    idle.goto(serve(kiosk_idle_warn_s=2, kiosk_idle_clear_s=600).url + "/kiosk")
    idle.get_by_role("button", name="Start het gesprek").click()
    expect(idle.locator("#idle-check")).to_be_visible()
    found += _axe(idle, "kiosk bent u er nog?")

    # A kiosk outside development asks staff for its key once.
    keyed = serve(env="test")
    key_page = browser.new_context(viewport=VIEWPORT, locale="nl-NL").new_page()
    _ready(key_page, keyed.url + "/kiosk", "#key-form", "kiosk sleutel", found)

    # Counsellor: sign-in, list, not found, scenario from the talk, printed plan.
    console = browser.new_context(viewport=VIEWPORT, locale="nl-NL").new_page()
    _ready(console, server.url + "/console/", "#login-username", "inloggen", found)
    console.locator("#login-username").fill("anna")
    console.locator("#login-password").fill("anna-password")
    console.get_by_role("button", name="Inloggen").click()
    expect(console.locator("#shell-nav")).to_be_visible()
    _ready(console, f"{server.url}/console/#/sessions", "#rec-table", "gesprekken", found)
    _ready(console, f"{server.url}/console/#/bestaat-niet", "#view .notice", "niet gevonden", found)
    _ready(
        console,
        f"{server.url}/console/#/scenario-from/{session_id}",
        "#scenario-yaml",
        "oefenscenario uit een gesprek",
        found,
    )
    token = staff_api(server).headers["Authorization"]
    printed = browser.new_context(
        viewport=VIEWPORT, locale="nl-NL", extra_http_headers={"Authorization": token}
    )
    _ready(
        printed.new_page(),
        f"{server.url}/api/v1/staff/sessions/{session_id}/plan.html",
        "h1",
        "actieplan afdrukken",
        found,
    )

    # Admin: accounts, audit log, privacy.
    with make_sessionmaker(kiosk_settings.database_url)() as db:
        accounts.create_user(db, "ria", "admin", "ria-password")
        db.commit()
    admin = _sign_in(browser, server.url, "ria", "ria-password")
    _ready(admin, f"{server.url}/console/#/admin/accounts", "#adm-user-table", "accounts", found)
    _ready(admin, f"{server.url}/console/#/admin/audit", "#adm-audit-table", "auditlog", found)
    _ready(
        admin,
        f"{server.url}/console/#/admin/privacy",
        "#adm-retention dl, #adm-retention table, #adm-due",
        "privacy",
        found,
    )

    # Trainer: library, one scenario, the editor, the sandbox list.
    bench = _sign_in(browser, server.url, *trainer)
    _ready(
        bench, f"{server.url}/console/#/trainer/scenarios", "#scenario-table tbody tr", "scenario's", found
    )
    first = bench.locator("#scenario-table tbody tr a").first.get_attribute("href")
    _ready(bench, f"{server.url}/console/{first}", "#scenario-steps", "één scenario", found)
    _ready(bench, f"{server.url}/console/#/trainer/new", "#scenario-yaml", "nieuw scenario", found)
    _ready(bench, f"{server.url}/console/#/trainer/sandbox", "#sandbox-start", "oefenen (lijst)", found)

    problems = _problems(found)
    assert problems == [], json.dumps(problems, indent=1, ensure_ascii=False)

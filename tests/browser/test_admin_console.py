"""An admin in the console: add and disable an account, read the audit log, see the
retention period, export a client's data; and signing out ends the token on the server."""

from __future__ import annotations

import json

import httpx
import pytest
from playwright.sync_api import expect

from bot import accounts
from bot.db.engine import make_sessionmaker
from records_fixtures import CLIENT_REF, seed_finished_session

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture
def admin_world(kiosk_settings):
    with make_sessionmaker(kiosk_settings.database_url)() as db:
        accounts.create_user(db, "root", "admin", "root-password")
        seed_finished_session(db)
        db.commit()


def test_accounts_audit_privacy_and_sign_out(browser, serve, admin_world, tmp_path):
    server = serve(retention_days=30)
    page = browser.new_context(viewport=VIEWPORT, locale="nl-NL", accept_downloads=True).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server.url + "/console/")
    page.locator("#login-username").fill("root")
    page.locator("#login-password").fill("root-password")
    page.get_by_role("button", name="Inloggen").click()

    # Accounts: create a counsellor, then disable them.
    page.get_by_role("link", name="Accounts").click()
    page.locator("#adm-new-name").fill("bram")
    page.locator("#adm-new-password").fill("bram-wachtwoord")
    page.get_by_role("button", name="Account aanmaken").click()
    bram = page.locator("#adm-user-table tr[data-user='bram']")
    expect(bram).to_contain_text("begeleider")
    expect(bram).to_contain_text("actief")
    bram.get_by_role("button", name="Uitschakelen").click()
    expect(page.locator("#adm-user-table tr[data-user='bram']")).to_contain_text("uitgeschakeld")
    with httpx.Client(base_url=server.url + "/api/v1") as http:
        refused = http.post("/auth/token", data={"username": "bram", "password": "bram-wachtwoord"})
    assert refused.status_code == 401

    # The audit log shows who did it, in words.
    page.get_by_role("link", name="Auditlog").click()
    page.locator("#adm-a-action").select_option("user.")
    page.get_by_role("button", name="Zoeken").click()
    rows = page.locator("#adm-audit-table .adm-audit-row")
    expect(rows.first).to_contain_text("account uitgeschakeld")
    expect(rows.first).to_contain_text("root")
    expect(rows.nth(1)).to_contain_text("account aangemaakt")

    # Privacy: the retention period, and a client's export as a file.
    page.get_by_role("link", name="Privacy").click()
    expect(page.locator("#adm-retention")).to_contain_text("30 dagen")
    page.locator("#adm-export-ref").fill(CLIENT_REF)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Exporteren").click()
    exported = tmp_path / "export.json"
    download_info.value.save_as(exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["client_ref"] == CLIENT_REF and len(data["sessions"]) == 1
    page.locator("#adm-export-ref").fill("BESTAAT-NIET")
    page.get_by_role("button", name="Exporteren").click()
    expect(page.locator("#adm-export-result")).to_contain_text("Geen gegevens gevonden")

    # Signing out revokes the token on the server, not only in this tab.
    token = page.evaluate("sessionStorage.getItem('toekomstcoach.console.token')")
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.locator("#login-screen")).to_be_visible()
    with httpx.Client(base_url=server.url + "/api/v1") as http:
        for _ in range(50):  # the sign-out request is sent without waiting for it
            if http.get("/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401:
                break
            page.wait_for_timeout(100)
        assert http.get("/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert errors == []

"""A counsellor, as a new user would: find yesterday's session, read it, correct one
answer in the action plan, approve the plan, download the PDF and see the change in
the audit trail. Client text with markup stays text all the way."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from bot import sessions
from bot.db.engine import make_sessionmaker
from bot.plan import service as plan_service
from records_fixtures import CLIENT_REF, seed_finished_session

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 900}
CORRECTED = "Rekenen, handel drijven, met mensen praten en Frans spreken"
COUNSELLOR = "Anna de Vries"
NOTE = "Vraag volgende keer naar de rugpijn"
MARKUP = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>vet</b>'


@pytest.fixture
def records(kiosk_settings):
    """Yesterday's finished session, an older one of someone else, and a session whose client typed markup."""
    with make_sessionmaker(kiosk_settings.database_url)() as db:
        finished = seed_finished_session(db)
        seed_finished_session(db, client_ref="SY-2024-003", days_ago=9, with_handoff=False)
        chat = sessions.create_session(db, client_ref="XSS-1")
        said = sessions.add_message(
            db,
            chat,
            sender="client",
            text=MARKUP,
            intent="inform",
            confidence=0.4,
            safety={"category": "none", "flag": None, "matched": None},
        )
        plan_service.record_answer(db, chat.id, "sections.background.interests", MARKUP, message_id=said.id)
        # An open conversation with a tapped button and a misspelt relative (the staff's words).
        words = sessions.create_session(db, client_ref="WD-1")
        sessions.add_message(
            db,
            words,
            sender="client",
            text="kok",
            intent="inform",
            confidence=0.9,
            forwarded_to_rasa=True,
            safety={"category": "none", "flag": None, "matched": None},
        )
        sessions.add_message(
            db,
            words,
            sender="client",
            text="/affirm",
            intent="affirm",
            confidence=0.74,
            meta={"button_title": "Ja, dat klopt"},
            forwarded_to_rasa=True,
            safety={"category": "none", "flag": None, "matched": None},
        )
        sessions.add_message(
            db,
            words,
            sender="client",
            text="mijn moedr",
            intent="inform",
            confidence=0.42,
            entities=[{"entity": "family_relation", "value": "moeder", "start": 5, "end": 10}],
            forwarded_to_rasa=True,
            safety={"category": "none", "flag": None, "matched": None},
        )
        # A note the counsellor left on a question not asked yet.
        plan = plan_service.get_plan(db, finished)
        plan["sections"]["health"]["physical_complaints"] = {
            "value": None,
            "status": "not_asked",
            "note": NOTE,
        }
        plan_service.replace_plan(db, finished, plan, user_id=None)
        db.commit()
        return {"finished": finished, "markup": chat.id, "words": words.id}


def _sign_in(browser, url: str) -> Page:
    page = browser.new_context(viewport=VIEWPORT, locale="nl-NL", accept_downloads=True).new_page()
    page.goto(url + "/console/")
    page.locator("#login-username").fill("anna")
    page.locator("#login-password").fill("anna-password")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Wachtrij", exact=True)).to_be_visible()
    return page


def test_find_read_correct_approve_print_and_audit(screenshots, browser, serve, records, tmp_path):
    server = serve()
    page = _sign_in(browser, server.url)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # Find yesterday's session: the "Gesprekken" menu, then "Gisteren".
    page.get_by_role("link", name="Gesprekken").click()
    expect(page.get_by_role("heading", name="Gesprekken", exact=True)).to_be_visible()
    page.get_by_role("button", name="Gisteren").click()
    rows = page.locator("#rec-table .rec-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(CLIENT_REF)
    expect(page.locator("#rec-count")).to_contain_text("1 gesprek gevonden")

    # Read it: every turn, what the coach understood, the hand-off and takeover.
    rows.first.get_by_role("link", name="Transcript").click()
    expect(page.locator("#rec-title")).to_contain_text(CLIENT_REF)
    talents_turn = page.locator(".rec-msg--client", has_text="Rekenen, handel drijven en met mensen praten.")
    # What the coach understood, in the staff's words: no intent names, no percentages.
    expect(talents_turn.locator(".rec-nlu")).to_contain_text("Begrepen als: antwoord")
    expect(talents_turn.locator(".rec-nlu__certainty")).to_have_text("zeker")
    expect(talents_turn.locator(".rec-nlu__certainty")).to_have_attribute(
        "title", "zekerheid van de coach: 91%"
    )
    expect(talents_turn.locator(".rec-nlu")).to_contain_text("geen signaal")
    transcript_text = page.locator("#rec-transcript").inner_text()
    for machine_word in ("inform", "affirm", "zekerheid", "Begrepen als inform"):
        assert machine_word not in transcript_text, machine_word
    expect(page.get_by_role("link", name="Live meelezen")).to_have_count(0)  # closed: nothing to read live
    expect(page.locator(".rec-event[data-event='handoff:request']")).to_contain_text("Wil een mens")
    expect(page.locator(".rec-event[data-event='takeover']")).to_be_visible()
    expect(page.locator(".rec-msg--counsellor")).to_contain_text("Ik ben er.")

    # The answer's link leads to its field in the plan.
    talents_turn.get_by_role("link", name=re.compile("Talenten")).click()
    row = page.locator("[id='field-sections.background.talents']")
    expect(row).to_contain_text("Rekenen, handel drijven, met mensen praten")
    expect(row.locator(".pf-source--client")).to_contain_text("Uit het gesprek")
    assert (
        "zekerheid" not in page.locator("#plan-body").inner_text()
    )  # certainty in words, the number on hover
    expect(page.locator("#block-children")).to_contain_text("Nog leeg.")  # what is still empty shows as such
    # A note on a question not asked yet is shown, as on paper.
    not_asked = page.locator("[id='field-sections.health.physical_complaints']")
    expect(not_asked).to_contain_text("Nog niet gevraagd.")
    expect(not_asked.locator(".pf-note")).to_have_text(f"Toelichting: {NOTE}")

    # Correct the answer.
    row.get_by_role("button", name=re.compile("Wijzigen")).click()
    editor = row.locator(".pf-editor textarea").first
    editor.fill(CORRECTED)
    row.get_by_role("button", name="Opslaan").click()
    row = page.locator("[id='field-sections.background.talents']")
    expect(row.locator(".pf-value")).to_have_text(CORRECTED)
    expect(row.locator(".pf-source")).to_contain_text("Gecorrigeerd door begeleider")

    # Fill a counsellor-only field: the name that goes on the signature line.
    name_row = page.locator("[id='field-organisation_info.counsellor_name']")
    expect(name_row.locator(".pf-who--counsellor")).to_be_visible()
    name_row.get_by_role("button", name=re.compile("Invullen")).click()
    name_row.locator(".pf-editor textarea").first.fill(COUNSELLOR)
    name_row.get_by_role("button", name="Opslaan").click()
    expect(page.locator("[id='field-organisation_info.counsellor_name'] .pf-value")).to_have_text(COUNSELLOR)

    # Approve: asked first, what is empty is named, and a nearly empty plan needs a tick.
    page.locator("#plan-approve").click()
    box = page.locator("#plan-approve-box")
    expect(box).to_contain_text("Plan goedkeuren?")
    expect(page.locator("#plan-approve-empty")).to_contain_text("4 Kinderen")
    expect(page.locator("#plan-approve-warning")).to_contain_text("van de 97 vragen zijn ingevuld")
    expect(page.locator("#plan-approve-confirm")).to_be_disabled()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshots / "console-plan-approve.png"))
    expect(page.locator("#plan-review-state")).not_to_contain_text("Goedgekeurd")
    page.locator("#plan-approve-sparse").check()
    page.locator("#plan-approve-confirm").click()
    expect(page.locator("#plan-review-state")).to_contain_text("Goedgekeurd door anna")
    expect(page.locator("#plan-reopen")).to_be_visible()

    # The audit trail shows who changed what, old and new.
    change = page.locator("#plan-history .plan-change[data-path='sections.background.talents']").first
    expect(change).to_contain_text("anna")
    expect(change.locator(".plan-change__new")).to_contain_text("Frans spreken")
    expect(change.locator(".plan-change__old")).to_contain_text("met mensen praten")
    page.evaluate("document.getElementById('toasts').replaceChildren()")
    row.evaluate("node => node.scrollIntoView({block: 'center'})")
    page.screenshot(path=str(screenshots / "console-plan-review.png"))

    # The PDF carries the corrected text and the approval.
    with page.expect_download() as download_info:
        page.locator("#plan-pdf").click()
    pdf = tmp_path / "plan.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Frans spreken" in " ".join(text.split())
    assert "goedgekeurd door begeleider" in text and CLIENT_REF in text
    assert text.count(COUNSELLOR) == 2  # in the details and on the signature line
    assert NOTE in " ".join(text.split())
    # The first printed page, for people to look at (docs/screenshots).
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(screenshots / "plan-print-page1"),
        ],
        check=True,
    )
    assert errors == []


def test_markup_typed_by_a_client_shows_as_text_in_transcript_and_plan(browser, serve, records):
    server = serve()
    page = _sign_in(browser, server.url)
    page.goto(f"{server.url}/console/#/sessions/{records['markup']}")
    message = page.locator(".rec-msg--client .rec-msg__text")
    expect(message).to_have_text(MARKUP)
    assert page.locator(".rec-transcript img, .rec-transcript b, .rec-transcript script").count() == 0
    page.goto(f"{server.url}/console/#/plan/{records['markup']}")
    interests = page.locator("[id='field-sections.background.interests'] .pf-value")
    expect(interests).to_have_text(MARKUP)
    assert page.locator(".plan-body img, .plan-body b, .plan-body script").count() == 0
    page.get_by_role("link", name="Gesprekken").click()
    page.locator("#rec-q").fill("onerror")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator(".rec-row")).to_have_count(1)
    expect(page.locator(".rec-row__last")).to_have_text(MARKUP)
    assert page.evaluate("window.__xss") is None


def test_transcript_in_staff_words_and_approval_of_an_open_conversation(screenshots, browser, serve, records):
    server = serve()
    page = _sign_in(browser, server.url)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/console/#/sessions/{records['words']}")
    button_turn = page.locator(".rec-msg--client", has_text="Ja, dat klopt")
    expect(button_turn.locator(".rec-nlu")).to_contain_text("Koos: Ja, dat klopt")
    typed = page.locator(".rec-msg--client", has_text="mijn moedr")
    expect(typed.locator(".rec-nlu")).to_contain_text("Begrepen als: antwoord")
    expect(typed.locator(".rec-nlu__certainty")).to_have_text("onzeker")
    expect(typed.locator(".rec-nlu")).to_contain_text("familielid = moeder (getypt: moedr)")
    assert "family_relation" not in page.locator("#rec-transcript").inner_text()
    expect(page.get_by_role("link", name="Live meelezen")).to_be_visible()  # the one name for following live
    expect(page.get_by_text("Live volgen")).to_have_count(0)
    page.screenshot(path=str(screenshots / "console-transcript.png"), full_page=False)

    # The conversation is still open: approval is refused until the counsellor closes it.
    page.goto(f"{server.url}/console/#/plan/{records['words']}")
    page.locator("#plan-approve").click()
    page.locator("#plan-approve-sparse").check()
    page.locator("#plan-approve-confirm").click()
    expect(page.locator("#plan-approve-message")).to_contain_text("Het gesprek is nog open")
    expect(page.locator("#plan-review-state")).not_to_contain_text("Goedgekeurd")
    page.locator("#plan-close-and-approve").click()
    expect(page.locator("#plan-review-state")).to_contain_text("Goedgekeurd door anna")
    assert errors == []


def test_from_the_queue_to_an_approved_correct_printed_plan_with_one_move(
    screenshots, browser, serve, kiosk_settings, tmp_path
):
    """Issue 17.1: a waiting client's plan holds "kok" under country of origin (asked for talents).
    The counsellor takes over from the queue, opens the plan, sees the question and the client's
    words, sees the doubt mark, moves the answer to Talenten in one step, closes and approves, and
    the printed plan has "kok" under talents."""
    safe = {"category": "none", "flag": None, "matched": None}
    with make_sessionmaker(kiosk_settings.database_url)() as db:
        chat = sessions.create_session(db, client_ref="MV-2025-007")
        sessions.add_message(
            db, chat, sender="bot", text="Waar komt u vandaan?", utter_action="utter_ask_country_of_origin"
        )
        home = sessions.add_message(
            db,
            chat,
            sender="client",
            text="Guinee",
            intent="inform",
            confidence=0.95,
            forwarded_to_rasa=True,
            safety=safe,
        )
        plan_service.record_answer(db, chat.id, "client_info.country_of_origin", "Guinee", message_id=home.id)
        sessions.add_message(
            db, chat, sender="bot", text="Waar bent u goed in?", utter_action="utter_ask_talents"
        )
        kok = sessions.add_message(
            db,
            chat,
            sender="client",
            text="kok",
            intent="inform",
            confidence=0.61,
            forwarded_to_rasa=True,
            safety=safe,
        )
        plan_service.record_answer(db, chat.id, "sections.background.interests", "kok", message_id=kok.id)
        help_msg = sessions.add_message(
            db,
            chat,
            sender="client",
            text="Kan ik met iemand praten?",
            intent="request_human",
            confidence=0.95,
            forwarded_to_rasa=True,
            safety={"category": "request", "flag": "request", "matched": "met iemand praten"},
        )
        sessions.request_handoff(db, chat, reason="request", message_id=help_msg.id)
        db.commit()
        sid = chat.id

    server = serve()
    page = _sign_in(browser, server.url)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # From the queue: take the waiting client over, then open the plan.
    waiting = page.locator("#queue-waiting")
    expect(waiting).to_contain_text("Kan ik met iemand praten?")
    waiting.get_by_role("button", name="Overnemen").first.click()
    page.get_by_role("link", name="Actieplan bekijken").click()
    misplaced = page.locator("[id='field-sections.background.interests']")
    expect(misplaced).to_contain_text("kok")
    # The question it came after, the client's words, and the doubt mark.
    expect(misplaced.locator(".pf-asked")).to_have_text("Vraag van de coach: Waar bent u goed in?")
    expect(misplaced.locator(".pf-source__quote")).to_have_text("“kok”")
    expect(misplaced.locator(".pf-doubt")).to_contain_text("Door de coach ingedeeld, controleer")
    expect(misplaced).to_have_class(re.compile("pf--doubt"))
    country = page.locator("[id='field-client_info.country_of_origin']")
    expect(country.locator(".pf-asked")).to_have_text("Vraag van de coach: Waar komt u vandaan?")
    expect(country.locator(".pf-doubt")).to_have_count(0)
    misplaced.evaluate("node => node.scrollIntoView({block: 'center'})")
    page.screenshot(path=str(screenshots / "console-plan-doubt.png"))

    # One step: move it to Talenten.
    misplaced.get_by_role("button", name="Verplaatsen naar een andere vraag").click()
    misplaced.get_by_label("Naar welke vraag?").select_option("sections.background.talents")
    misplaced.get_by_role("button", name="Verplaatsen", exact=True).click()
    talents = page.locator("[id='field-sections.background.talents']")
    expect(talents.locator(".pf-value")).to_have_text("kok")
    expect(talents.locator(".pf-source__quote")).to_have_text("“kok”")  # still the client's words
    expect(talents.locator(".pf-doubt")).to_have_count(0)
    expect(page.locator("[id='field-sections.background.interests']")).to_contain_text("Nog leeg.")
    moved = page.locator("#plan-history .plan-change[data-path='sections.background.talents']").first
    expect(moved).to_contain_text("anna")

    # Approve: the conversation is still open, so close it and approve in one go.
    page.locator("#plan-approve").click()
    page.locator("#plan-approve-sparse").check()
    page.locator("#plan-approve-confirm").click()
    expect(page.locator("#plan-approve-message")).to_contain_text("Het gesprek is nog open")
    page.locator("#plan-close-and-approve").click()
    expect(page.locator("#plan-review-state")).to_contain_text("Goedgekeurd door anna")

    with page.expect_download() as download_info:
        page.locator("#plan-pdf").click()
    pdf = tmp_path / "moved.pdf"
    download_info.value.save_as(pdf)
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "goedgekeurd door begeleider" in text and "MV-2025-007" in text
    assert re.search(r"Talenten[^.]{0,80}kok", text), text[:2000]
    assert errors == []
    with make_sessionmaker(kiosk_settings.database_url)() as db:
        plan = plan_service.get_plan(db, sid)
        assert plan["sections"]["background"]["talents"]["value"] == "kok"
        assert "interests" not in plan["sections"]["background"]

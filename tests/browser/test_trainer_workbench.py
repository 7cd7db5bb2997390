"""The trainer workbench in Chromium: a trainer replays scenarios and reads each
step green or red with its reason, opens the flow picture with the replay's path,
edits a scenario with line-numbered mistakes, and chats in the sandbox.

The fake Rasa speaks with real response names and texts from domain.yml, so the
replay's path lands on the real flow picture.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from api_live_server import LiveServer
from fake_rasa import FakeRasa

from api.domain_texts import DomainTexts
from bot import accounts
from bot.db.engine import make_sessionmaker

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1500, "height": 950}
TRAINER = ("tom", "tom-password")
# What the fake coach says, turn by turn: real responses, in the order of the real conversation.
SCRIPT = [
    ["utter_greet_intro", "utter_ask_start"],
    ["utter_ask_life_here"],
    ["utter_ask_family_here"],
    ["utter_ask_has_children"],
    ["utter_ask_country_of_origin"],
]

PASSING = """\
title: "Oefen: crisis na twee vragen, begeleider neemt over"
persona: |
  Een cliënt die eerst gewoon antwoordt en dan zegt dat hij niet meer wil leven.
trainer_checks:
  - "Bij een doodswens stopt de coach meteen en komt er een mens."
opening:
  responses: [utter_greet_intro, utter_ask_start]
  buttons: ["Ja, we beginnen"]
turns:
  - button: "Ja, we beginnen"
    expect:
      status: bot
      responses: [utter_ask_life_here]
  - client: "Ik woon in het azc in Zwolle."
    expect:
      handoff: none
      responses: [utter_ask_family_here]
  - client: "Ik wil niet meer leven."
    note: "Crisis: de coach zegt één keer de crisisroute en stopt."
    expect:
      status: waiting_for_human
      handoff: crisis
      says: ["113"]
      responses: [utter_handoff_crisis]
  - counsellor: takeover
    expect:
      status: human
  - counsellor_says: "Ik ben bij u. We praten samen."
    expect:
      silent: true
  - counsellor: handback
    expect:
      status: bot
      responses: [utter_resume]
"""

FAILING = """\
title: "Oefen: verwachtingen die de coach niet waarmaakt"
persona: Een cliënt van wie de trainer te veel verwacht.
turns:
  - button: "Ja, we beginnen"
    expect:
      phase: kiezen
      says: [winkel]
  - client: "Ik woon in het azc."
    expect:
      status: bot
"""


class DomainScriptRasa(FakeRasa):
    """The scripted fake Rasa, but with the wording and names of the real domain."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.texts = DomainTexts.load()
        self.turns = {}

    def _say(self, name: str) -> dict:
        variation = next(v for v in self.texts.responses[name] if not v.get("condition"))
        return {
            "text": variation["text"].strip(),
            "utter_action": name,
            "mi_code": None,
            "buttons": [
                {"title": b["title"], "payload": b["payload"]} for b in variation.get("buttons") or []
            ],
        }

    def converse(self, sender: str, text: str) -> dict:
        reply = super().converse(sender, text)
        if "Utrecht" in text:  # a place the NLU recognises, for the anonymised scenario draft
            at = text.index("Utrecht")
            reply["nlu"]["entities"] = [{"entity": "city", "value": "Utrecht", "start": at, "end": at + 7}]
        if reply["paused"]:  # hand-off turns: the same response, in the domain's words
            reply["messages"] = [self._say(m["utter_action"]) for m in reply["messages"]]
            return reply
        step = self.turns.get(sender, 0)
        self.turns[sender] = step + 1
        names = SCRIPT[min(step, len(SCRIPT) - 1)]
        if text == "/resume_conversation":
            names = ["utter_resume", *names]
        reply["messages"] = [self._say(name) for name in names]
        return reply


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return DomainScriptRasa()


@pytest.fixture
def scenario_dir(tmp_path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "oefen_crisis.yml").write_text(PASSING, encoding="utf-8")
    (folder / "verwacht_te_veel.yml").write_text(FAILING, encoding="utf-8")
    return folder


@pytest.fixture
def server(kiosk_settings, sqlite_url, fake_rasa, scenario_dir):
    from api.main import create_app

    with make_sessionmaker(sqlite_url)() as db:
        accounts.create_user(db, TRAINER[0], "trainer", TRAINER[1])
        db.commit()
    app = create_app(kiosk_settings, rasa_transport=fake_rasa.transport)
    app.state.scenarios_dir = scenario_dir
    with LiveServer(app) as live:
        yield live


@pytest.fixture
def console(browser, server) -> Page:
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
    page = context.new_page()
    page.goto(server.url + "/console/")
    page.locator("#login-username").fill(TRAINER[0])
    page.locator("#login-password").fill(TRAINER[1])
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Scenario's", exact=True)).to_be_visible()
    yield page
    context.close()


def _steps(page: Page, state: str):
    return page.locator(f"#scenario-steps .step--{state}")


def test_trainer_replays_scenarios_and_reads_every_step_green_or_red(screenshots, console: Page):
    page = console
    # The trainer's navigation holds the workbench, not the counsellors' queue.
    nav = page.locator("#shell-nav")
    for title in ("Scenario's", "Stroomschema", "Oefenen", "Teksten"):
        expect(nav.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Wachtrij")).to_have_count(0)

    # Replay all from the library: one passes, one fails.
    rows = page.locator("#scenario-table .scenario-row")
    expect(rows).to_have_count(2)
    page.locator("#run-all").click()
    expect(page.locator("#library-summary")).to_have_text(
        "1 van 2 afgespeelde scenario's geslaagd.", timeout=30000
    )
    expect(rows.filter(has_text="crisis na twee vragen")).to_have_class(re.compile("scenario-row--pass"))
    expect(rows.filter(has_text="niet waarmaakt")).to_have_class(re.compile("scenario-row--fail"))
    # The pass state is said once: "✓ Geslaagd: …", not "✓ geslaagd Geslaagd: …".
    passed_cell = rows.filter(has_text="crisis na twee vragen").locator(".scenario-row__result")
    expect(passed_cell).to_have_text(re.compile(r"^✓ Geslaagd: \d+ van \d+ controles kloppen$"))
    page.screenshot(path=str(screenshots / "trainer-scenarios.png"))

    # The passing one, replayed from its own page: every step green, conversation beside it.
    page.get_by_role("link", name="Oefen: crisis na twee vragen, begeleider neemt over").click()
    expect(page.get_by_role("heading", name="Waar let de trainer op")).to_be_visible()
    # A replay is a job: the POST answers at once (202) and the page follows the run step by step.
    calls = []
    page.on(
        "response",
        lambda r: calls.append((r.status, r.url.split("/api/v1")[-1]))
        if "/oefen_crisis/run" in r.url
        else None,
    )
    page.locator("#run-scenario").click()
    expect(page.locator("#run-scenario")).to_have_text("Opnieuw afspelen", timeout=30000)
    assert calls[0] == (202, "/trainer/scenarios/oefen_crisis/run"), calls
    assert calls[-1][0] == 200 and re.search(r"/runs/[0-9a-f]{32}$", calls[-1][1]), calls
    expect(page.locator("#run-summary")).to_contain_text("Geslaagd")
    expect(_steps(page, "pass")).to_have_count(7)
    expect(_steps(page, "fail")).to_have_count(0)
    crisis_step = page.locator("#scenario-steps .step[data-index='3']")
    expect(crisis_step).to_contain_text("Cliënt typt: Ik wil niet meer leven.")
    expect(crisis_step).to_contain_text("113")  # the bot's crisis route, as text
    expect(crisis_step).to_contain_text("overdracht 'crisis'")  # the check's reason
    expect(page.locator("#show-path")).to_be_visible()

    # The failing one: the red step says why, the green step after it still ran.
    page.goto(page.url.split("#")[0] + "#/trainer/scenarios/verwacht_te_veel")
    expect(page.locator("#run-summary")).to_contain_text("2 van 6")  # the result of 'Alles afspelen' is kept
    page.locator("#run-scenario").click()
    expect(page.locator("#run-scenario")).to_have_text("Opnieuw afspelen", timeout=30000)
    expect(page.locator("#run-summary")).to_contain_text(
        "2 van 6 controles kloppen niet (in 1 stap)"
    )  # 3 of the file + 3 built-in text checks
    red = _steps(page, "fail")
    expect(red).to_have_count(1)
    expect(red.locator(".check--fail")).to_have_text(
        [
            re.compile("fase is 'verkennen', verwacht 'kiezen'"),
            re.compile("'winkel' staat niet in het antwoord van de coach"),
        ]
    )
    expect(red.locator(".step__line")).to_have_text("regel 4")
    expect(_steps(page, "pass")).to_have_count(2)  # the opening and the last turn
    page.evaluate(
        "window.scrollTo(0, 0)"
    )  # the page scrolled to the red step; the sticky bar would cover the top
    page.screenshot(path=str(screenshots / "trainer-replay.png"), full_page=True)


def test_flow_picture_highlights_the_path_of_a_replay(screenshots, console: Page):
    page = console
    page.locator("#scenario-table .scenario-row", has_text="crisis").get_by_role(
        "link", name="Openen"
    ).click()
    page.locator("#run-scenario").click()
    expect(page.locator("#run-scenario")).to_have_text("Opnieuw afspelen", timeout=30000)
    expect(page.locator("#run-summary")).to_contain_text("Geslaagd")
    page.locator("#show-path").click()

    expect(page.get_by_role("heading", name="Stroomschema van het gesprek")).to_be_visible()
    assert "domain.yml" not in page.locator("main").inner_text()
    picture = page.locator("#flow-svg")
    # Readable at the browser's normal zoom: every text of the picture is 12 px or more on screen.
    smallest = picture.evaluate("""svg => Math.min(...Array.from(svg.querySelectorAll('text, tspan'))
        .filter(t => t.textContent.trim())
        .map(t => parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a))""")
    assert smallest >= 12, smallest
    # Questions in Dutch words, not slot names.
    expect(picture.locator(".flow-slot[data-slot='verkennen_form.family_origin_direction']")).to_have_text(
        "Familie daar: moeilijker of makke…"
    )
    assert "family_origin_direction" not in picture.text_content()
    expect(picture.locator(".lane__title")).to_contain_text(
        ["Begin", "Verkennen", "Kiezen", "Verkrijgen", "Afgerond", "Op elk moment"]
    )
    on_path = picture.locator(".flow-node.is-on-path")
    expect(on_path.first).to_be_visible()
    ids = on_path.evaluate_all("nodes => nodes.map(n => n.dataset.id)")
    for node in (
        "start",
        "utter_greet_intro",
        "utter_ask_start",
        "verkennen_form",
        "action_handoff",
        "counsellor",
    ):
        assert node in ids, ids
    slots = picture.locator(".flow-slot.is-on-path").evaluate_all("nodes => nodes.map(n => n.dataset.slot)")
    assert {"verkennen_form.life_here", "verkennen_form.family_here"} <= set(slots)
    assert picture.locator(".edge.is-on-path").count() >= 4
    expect(page.locator("#path-info")).to_contain_text("Scenario: Oefen: crisis na twee vragen")
    expect(page.locator("#path-info")).not_to_contain_text("Niet in het schema")

    # A click on a block explains it in plain words.
    picture.locator(".flow-node[data-id='verkennen_form']").click()
    details = page.locator("#flow-details")
    expect(details.get_by_role("heading", name="Vragen in deze vragenlijst")).to_be_visible()
    expect(details).to_contain_text("Hoe is uw leven nu, hier in Nederland?")
    expect(details).to_contain_text("Stap")
    page.locator("#flow-canvas").evaluate("el => el.scrollTo(0, 0)")
    page.screenshot(path=str(screenshots / "trainer-flow.png"))  # as a trainer sees it first: 100 %, readable
    page.set_viewport_size({"width": 1680, "height": 1400})  # the whole picture and the details in one shot
    page.get_by_role("button", name="Passend").click()
    page.screenshot(path=str(screenshots / "trainer-flow-overview.png"))


def test_editor_shows_mistakes_with_their_line_and_saves_a_valid_scenario(console: Page, scenario_dir):
    page = console
    page.locator("#new-scenario").click()
    editor = page.locator("#scenario-yaml")
    editor.fill("title: Nieuw\npersona: Iemand.\nturns:\n  - client: hallo\n    expect:\n      stauts: bot\n")
    errors = page.locator("#editor-errors li")
    expect(errors).to_have_text(["Regel 6: onbekend veld 'stauts' — bedoelt u 'status'?"])
    expect(page.locator(".code__line--error")).to_have_text(["6"])
    page.locator("#scenario-name").fill("nieuw_oefen")
    page.locator("#save-scenario").click()
    expect(page.locator(".toast--error")).to_contain_text("Niet opgeslagen")
    assert not (scenario_dir / "nieuw_oefen.yml").exists()

    editor.fill("title: Nieuw\npersona: Iemand.\nturns:\n  - client: hallo\n    expect:\n      status: bot\n")
    expect(page.locator("#editor-status")).to_have_text("Geen fouten gevonden.")
    page.locator("#save-scenario").click()
    expect(page.get_by_role("heading", name="Nieuw", exact=True)).to_be_visible()
    assert (scenario_dir / "nieuw_oefen.yml").read_text(encoding="utf-8").startswith("title: Nieuw\n")


def test_sandbox_chat_is_marked_training_and_can_be_taken_over_and_wiped(console: Page, server, staff_api):
    page = console
    page.locator("#shell-nav").get_by_role("link", name="Oefenen").click()
    expect(page.locator(".training-banner")).to_contain_text("gemarkeerd als training")
    page.locator("#sandbox-start").click()
    log = page.locator("#sandbox-log")
    expect(log).to_contain_text("Zullen we beginnen?")
    assert "null" not in page.locator("main").inner_text()  # no stray "null" badge
    page.locator("#sandbox-replies").get_by_role("button", name="Ja, we beginnen").click()
    expect(log).to_contain_text("Hoe is uw leven nu, hier in Nederland?")
    page.locator("#sandbox-input").fill("<b>Ik wil dood</b>")
    page.locator("#sandbox-send").click()
    expect(page.locator("#sandbox-status")).to_have_text("Wacht op begeleider")
    expect(log.locator(".bubble--client").last).to_have_text(
        re.compile("<b>Ik wil dood</b>")
    )  # as text, not markup

    # The counsellor side: the live page takes over; the client side sees the person's words.
    page.locator("#sandbox-as-counsellor").click()
    page.locator("#live-takeover").click()
    page.locator("#live-input").fill("Ik ben er. Wat is er gebeurd?")
    page.locator("#live-send").click()
    expect(page.locator("#live-transcript")).to_contain_text("Ik ben er.")
    page.go_back()
    expect(page.locator("#sandbox-log")).to_contain_text("Ik ben er. Wat is er gebeurd?", timeout=10000)

    # Counsellors never see it; the wipe removes it.
    counsellor = staff_api(server)
    assert counsellor.get("/staff/sessions").json() == []
    page.locator("#shell-nav").get_by_role("link", name="Oefenen").click()
    expect(page.locator("#sandbox-list tbody tr")).to_have_count(1)
    page.locator("#sandbox-wipe").click()
    page.locator("#sandbox-wipe-confirm").click()
    expect(page.locator(".toast--success", has_text="Gewist")).to_contain_text("Gewist: 1 oefengesprek, ")
    expect(page.locator("#sandbox-list")).to_contain_text("Er zijn geen oefengesprekken.")


def test_wording_review_lists_every_response_with_its_mi_code(console: Page):
    page = console
    page.locator("#shell-nav").get_by_role("link", name="Teksten").click()
    count = page.locator("#wording-count")
    expect(count).to_contain_text("teksten")
    total = int(count.inner_text().split(" van ")[1].split(" ")[0])
    assert "null" not in page.locator("main").inner_text()
    assert total == len(DomainTexts.load().responses)
    page.locator("#wording-search").fill("utter_ask_life_here")
    card = page.locator(".wording[data-name='utter_ask_life_here']")
    expect(card).to_contain_text("open vraag")
    assert card.locator(".wording__variations li").count() >= 2


def test_a_trainer_from_a_conversation_to_a_new_scenario(screenshots, console: Page, scenario_dir):
    """Issue 17.7: a practice conversation becomes a scenario (the place replaced, read in the
    editor before saving) and a Rasa test story."""
    page = console
    page.locator("#shell-nav").get_by_role("link", name="Oefenen").click()
    page.locator("#sandbox-start").click()
    page.locator("#sandbox-replies").get_by_role("button", name="Ja, we beginnen").click()
    expect(page.locator("#sandbox-log")).to_contain_text("Hoe is uw leven nu, hier in Nederland?")
    page.locator("#sandbox-input").fill("Ik woon in Utrecht bij mijn zus.")
    page.locator("#sandbox-send").click()
    expect(page.locator("#sandbox-log .bubble--client").last).to_have_text(re.compile("Utrecht"))

    page.locator("#shell-nav").get_by_role("link", name="Oefenen").click()
    page.locator("#sandbox-list tbody tr").first.get_by_role("link", name="Transcript").click()
    expect(page.locator("#rec-transcript")).to_contain_text("Ik woon in Utrecht bij mijn zus.")

    # The Rasa test story, through the API.
    with page.expect_download() as download_info:
        page.locator("#rec-to-story").click()
    story = download_info.value.path().read_text(encoding="utf-8")
    assert "stories:" in story and "Ik woon in Utrecht bij mijn zus." in story

    # The scenario: a draft in the editor, the place replaced, saved only when the trainer says so.
    page.locator("#rec-to-scenario").click()
    expect(page.get_by_role("heading", name="Nieuw scenario uit een gesprek")).to_be_visible()
    expect(page.locator("#draft-replaced")).to_contain_text("Utrecht → [stad]")
    text = page.locator("#scenario-yaml").input_value()
    assert "Utrecht" not in text and "client: Ik woon in [stad] bij mijn zus." in text
    assert "button: Ja, we beginnen" in text
    expect(page.locator("#editor-status")).to_have_text("Geen fouten gevonden.")
    name = page.locator("#scenario-name").input_value()
    assert name.startswith("uit_gesprek_") and not (scenario_dir / f"{name}.yml").exists()
    page.screenshot(path=str(screenshots / "trainer-scenario-from-conversation.png"))
    page.locator("#scenario-name").fill("p7_uit_oefengesprek")
    page.locator("#save-scenario").click()
    expect(page).to_have_url(re.compile("#/trainer/scenarios/p7_uit_oefengesprek"))
    saved = (scenario_dir / "p7_uit_oefengesprek.yml").read_text(encoding="utf-8")
    assert "[stad]" in saved and "Utrecht" not in saved


def test_a_counsellor_turns_a_clients_talk_into_a_scenario_for_the_trainers(
    screenshots, browser, server, kiosk_settings, scenario_dir
):
    """Issue 17.7 for real conversations: the counsellor who read a client's talk drafts it,
    sees names, places and numbers replaced, edits what is left and saves a new scenario; the
    trainer finds the scenario in the library but never the client's transcript."""
    import httpx

    with make_sessionmaker(kiosk_settings.database_url)() as db:
        accounts.create_user(db, "carla", "counsellor", "carla-password")
        db.commit()
    with httpx.Client(
        base_url=server.url + "/api/v1", headers={"X-Kiosk-Key": kiosk_settings.kiosk_key}, timeout=10
    ) as kiosk:
        sid = kiosk.post("/sessions", json={"language": "nl"}).json()["session_id"]
        kiosk.post(f"/sessions/{sid}/messages", json={"text": "/affirm"})
        said = kiosk.post(
            f"/sessions/{sid}/messages",
            json={"text": "Ik woon in Utrecht met Amina. Mijn nummer is 0612345678."},
        )
        assert said.status_code == 200, said.text

    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
    page = context.new_page()
    page.goto(server.url + "/console/")
    page.locator("#login-username").fill("carla")
    page.locator("#login-password").fill("carla-password")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator("#shell-nav")).to_be_visible()
    page.goto(f"{server.url}/console/#/sessions/{sid}")
    expect(page.locator("#rec-transcript")).to_contain_text("Amina")
    expect(page.locator("#rec-to-story")).to_have_count(0)  # no raw story of a client's talk
    page.locator("#rec-to-scenario").click()
    expect(page.get_by_role("heading", name="Oefenscenario uit dit gesprek")).to_be_visible()
    expect(page.locator("#draft-privacy")).to_contain_text("Trainers lezen alleen wat u hier opslaat")
    for shown in ("Utrecht → [stad]", "Amina → [naam]", "0612345678 → [nummer]"):
        expect(page.locator("#draft-replaced")).to_contain_text(shown)
    text = page.locator("#scenario-yaml").input_value()
    assert not [w for w in ("Utrecht", "Amina", "0612345678") if w in text], text
    expect(page.locator("#editor-status")).to_have_text("Geen fouten gevonden.")
    page.locator("#scenario-yaml").fill(text.replace("met [naam]", "met Sara"))
    page.locator("#scenario-name").fill("p8_uit_kiosk")
    page.screenshot(path=str(screenshots / "counsellor-scenario-from-client-talk.png"))
    page.locator("#save-scenario").click()
    expect(page).to_have_url(re.compile(f"#/sessions/{sid}"))  # a counsellor has no library
    saved = (scenario_dir / "p8_uit_kiosk.yml").read_text(encoding="utf-8")
    assert "met Sara" in saved and "Amina" not in saved and "0612345678" not in saved
    context.close()

    trainer = browser.new_context(viewport=VIEWPORT, locale="nl-NL").new_page()
    trainer.goto(server.url + "/console/")
    trainer.locator("#login-username").fill(TRAINER[0])
    trainer.locator("#login-password").fill(TRAINER[1])
    trainer.get_by_role("button", name="Inloggen").click()
    expect(trainer.locator("#scenario-table")).to_contain_text("p8_uit_kiosk")
    trainer.goto(f"{server.url}/console/#/sessions/{sid}")
    expect(trainer.locator(".notice--error")).to_be_visible()
    expect(trainer.locator("body")).not_to_contain_text("Amina")
    trainer.context.close()

"""Issue 17.7: a conversation becomes a scenario (anonymised draft for the editor) or a Rasa test
story. Trainers: their training conversations, through the trainer routes. A counsellor: a
client's conversation, through the staff routes, saved only as a new scenario after review.
Audited (without the client's words); Rasa reached with its token only through the API."""

from __future__ import annotations

from sqlalchemy import select

from bot import sessions
from bot.db.models import AuditEvent
from bot.scenarios import parse_scenario
from bot.scenarios.from_transcript import anonymise

API = "/api/v1"
SAFE = {"category": "none", "flag": None, "matched": None}


def _conversation(dbs, *, training=True):
    with dbs() as db:
        chat = sessions.create_session(db, client_ref=None if training else "CL-1", is_training=training)
        sessions.add_message(db, chat, sender="bot", text="Welkom.", utter_action="utter_greet_intro")
        sessions.add_message(
            db, chat, sender="bot", text="Zullen we beginnen?", utter_action="utter_ask_start"
        )
        sessions.add_message(
            db, chat, sender="client", text="/affirm", meta={"button_title": "Ja, we beginnen"}, safety=SAFE
        )
        sessions.add_message(
            db, chat, sender="bot", text="Hoe is uw leven nu?", utter_action="utter_ask_life_here"
        )
        text = "Ik woon met Amina in Utrecht, ik kom uit Guinee. Bel mij: 06-12345678."
        sessions.add_message(
            db,
            chat,
            sender="client",
            text=text,
            safety=SAFE,
            intent="inform",
            confidence=0.9,
            entities=[
                {"entity": "city", "value": "Utrecht", "start": 21, "end": 28},
                {"entity": "country", "value": "Guinee", "start": 41, "end": 47},
            ],
        )
        sessions.add_message(
            db, chat, sender="bot", text="U woont in een stad.", utter_action="utter_reflect_life_here"
        )
        sessions.add_message(db, chat, sender="counsellor", text="Ik ben Anna, ik help u verder.")
        db.commit()
        return chat.id


def test_places_the_nlu_found_are_replaced_and_the_rest_stays_as_typed():
    text, replaced = anonymise(
        "Ik woon in Utrecht, mijn zus in Conakry.",
        [
            {"entity": "city", "start": 11, "end": 18},
            {"entity": "city", "start": 32, "end": 39},
            {"entity": "family_relation", "start": 25, "end": 28},
        ],
    )
    assert text == "Ik woon in [stad], mijn zus in [stad]."
    assert replaced == [{"was": "Utrecht", "now": "[stad]"}, {"was": "Conakry", "now": "[stad]"}]


async def test_a_trainer_gets_an_anonymised_draft_that_is_a_valid_scenario(
    app, client, token_for, dbs, tmp_path
):
    app.state.scenarios_dir = tmp_path  # the saved draft goes to a folder of this test, never data/scenarios
    for name in ("utter_greet_intro", "utter_ask_start", "utter_ask_life_here", "utter_reflect_life_here"):
        app.state.wording.responses.setdefault(name, [{"text": "..."}])  # the fixture domain is small
    sid = _conversation(dbs)
    tom = await token_for("tom")
    response = await client.get(f"{API}/trainer/sessions/{sid}/scenario-draft", headers=tom)
    assert response.status_code == 200, response.text
    draft = response.json()
    assert draft["name"] == "uit_gesprek_" + sid[:8]
    assert "Utrecht" not in draft["yaml"] and "Guinee" not in draft["yaml"]
    assert draft["replaced"] == [
        {"was": "Utrecht", "now": "[stad]"},
        {"was": "Guinee", "now": "[land]"},
        {"was": "06-12345678", "now": "[nummer]"},
        {"was": "Amina", "now": "[naam]"},
        {"was": "Anna", "now": "[naam]"},  # the counsellor's words too
    ]
    scenario = parse_scenario(draft["yaml"], name=draft["name"])
    assert scenario.opening.responses == ["utter_greet_intro", "utter_ask_start"]
    assert [(t.kind, t.text) for t in scenario.turns] == [
        ("button", "Ja, we beginnen"),
        ("client", "Ik woon met [naam] in [stad], ik kom uit [land]. Bel mij: [nummer]."),
        ("takeover", None),
        ("counsellor_says", "Ik ben [naam], ik help u verder."),
    ]
    assert scenario.turns[0].expect.responses == ["utter_ask_life_here"]
    assert scenario.turns[1].expect.responses == ["utter_reflect_life_here"]
    assert "lees de beurten na" in draft["yaml"]  # reviewed in the editor before it is saved
    # saved through the ordinary scenario route (validated, audited)
    saved = await client.put(
        f"{API}/trainer/scenarios/{draft['name']}", json={"yaml": draft["yaml"]}, headers=tom
    )
    assert saved.status_code == 200, saved.text
    with dbs() as db:
        actions = [e.action for e in db.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]
    assert "scenario.drafted" in actions and "scenario.saved" in actions


async def test_the_story_comes_from_rasa_with_the_token_and_is_audited(client, token_for, dbs, fake_rasa):
    tom = await token_for("tom")
    started = await client.post(f"{API}/trainer/sessions", json={"language": "nl"}, headers=tom)
    sid = started.json()["session_id"]
    said = await client.post(
        f"{API}/trainer/sessions/{sid}/messages", json={"text": "Ik woon in het azc."}, headers=tom
    )
    assert said.status_code == 200, said.text
    response = await client.get(f"{API}/trainer/sessions/{sid}/story", headers=tom)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-yaml")
    assert "stories:" in response.text and "Ik woon in het azc." in response.text
    story_calls = [c for c in fake_rasa.calls if c["path"].endswith("/story")]
    assert story_calls and all(c["params"]["token"] == [fake_rasa.token] for c in story_calls)
    with dbs() as db:
        exported = db.execute(select(AuditEvent).where(AuditEvent.action == "story.exported")).scalars().all()
    assert [(e.object_id, e.username) for e in exported] == [(sid, "tom")]


async def test_rasa_down_is_a_clear_503(client, token_for, dbs, fake_rasa):
    sid = _conversation(dbs)
    tom = await token_for("tom")
    fake_rasa.down.update(fake_rasa.servers)
    response = await client.get(f"{API}/trainer/sessions/{sid}/story", headers=tom)
    assert response.status_code == 503 and "Rasa gaf geen story" in response.json()["detail"]


async def test_client_conversations_and_counsellors_are_refused(client, token_for, dbs):
    real = _conversation(dbs, training=False)
    training = _conversation(dbs)
    for who, sid in (("tom", real), ("root", real), ("anna", training)):
        headers = await token_for(who)
        for route in ("scenario-draft", "story"):
            response = await client.get(f"{API}/trainer/sessions/{sid}/{route}", headers=headers)
            assert response.status_code == 403, (who, route, response.text)


# --- a client's conversation, by the counsellor who may read it ---------------------------------

CLIENT_WORDS = ("Amina", "Utrecht", "Guinee", "06-12345678")


async def test_a_counsellor_turns_a_clients_talk_into_a_new_scenario_trainers_can_use(
    app, client, token_for, dbs, tmp_path
):
    app.state.scenarios_dir = tmp_path
    for name in ("utter_greet_intro", "utter_ask_start", "utter_ask_life_here", "utter_reflect_life_here"):
        app.state.wording.responses.setdefault(name, [{"text": "..."}])
    sid = _conversation(dbs, training=False)
    anna, tom = await token_for("anna"), await token_for("tom")
    drafted = await client.get(f"{API}/staff/sessions/{sid}/scenario-draft", headers=anna)
    assert drafted.status_code == 200, drafted.text
    draft = drafted.json()
    assert not [w for w in CLIENT_WORDS if w in draft["yaml"]], draft["yaml"]
    # The counsellor edits before saving: a fictional name instead of the placeholder.
    edited = draft["yaml"].replace("Ik woon met [naam]", "Ik woon met Sara")
    body = {"name": "gesprek_ging_mis", "yaml": edited}
    checked = await client.post(f"{API}/staff/sessions/{sid}/scenario/check", json=body, headers=anna)
    assert checked.status_code == 200 and checked.json()["valid"] is True, checked.text
    saved = await client.post(f"{API}/staff/sessions/{sid}/scenario", json=body, headers=anna)
    assert saved.status_code == 201, saved.text
    assert (tmp_path / "gesprek_ging_mis.yml").read_text(encoding="utf-8") == edited
    # The trainer finds it in the library, and still cannot open the client's conversation.
    listed = await client.get(f"{API}/trainer/scenarios", headers=tom)
    assert "gesprek_ging_mis" in [s["name"] for s in listed.json()]
    scenario = await client.get(f"{API}/trainer/scenarios/gesprek_ging_mis", headers=tom)
    assert "Ik woon met Sara in [stad]" in scenario.json()["yaml"]
    for route in ("/scenario-draft", ""):
        refused = await client.get(f"{API}/staff/sessions/{sid}{route}", headers=tom)
        assert refused.status_code == 403, (route, refused.text)
    # Saving never replaces: the same name again is a clear 409 and the file is unchanged.
    again = await client.post(
        f"{API}/staff/sessions/{sid}/scenario", json={**body, "yaml": draft["yaml"]}, headers=anna
    )
    assert again.status_code == 409 and "andere naam" in again.json()["detail"]
    assert (tmp_path / "gesprek_ging_mis.yml").read_text(encoding="utf-8") == edited
    # The audit log names the session and the scenario, never the client's words.
    with dbs() as db:
        events = db.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
    ours = [(e.action, e.username) for e in events if e.action.startswith("scenario.")]
    assert ("scenario.drafted", "anna") in ours and ("scenario.saved", "anna") in ours
    saved_event = [e for e in events if e.action == "scenario.saved"][0]
    assert saved_event.detail["from_session"] == sid
    logged = " ".join(str(e.detail) for e in events)
    assert not [w for w in CLIENT_WORDS if w in logged]


async def test_a_broken_or_badly_named_scenario_is_refused_and_nothing_is_written(
    app, client, token_for, dbs, tmp_path
):
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    app.state.scenarios_dir = scenarios
    sid = _conversation(dbs, training=False)
    anna = await token_for("anna")
    for body, why in (
        ({"name": "kapot", "yaml": "turns: [\n"}, "yaml"),
        ({"name": "../buiten", "yaml": "title: x\nturns:\n  - client: hallo\n"}, "name"),
        ({"name": "zonder_beurten", "yaml": "title: x\n"}, "schema"),
    ):
        response = await client.post(f"{API}/staff/sessions/{sid}/scenario", json=body, headers=anna)
        assert response.status_code == 422, (why, response.text)
        assert response.json()["detail"], why
    assert list(scenarios.iterdir()) == []

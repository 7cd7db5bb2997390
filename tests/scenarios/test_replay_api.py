"""Replay through the API with the scripted fake Rasa: passing steps pass, and a
failing expectation is reported as failed, with its reason and its line."""

from __future__ import annotations


from bot.db.models import ChatSession
from fake_rasa import CRISIS_TEXT, QUESTIONS

API = "/api/v1"

PASSING = """\
title: Crisis midden in het gesprek (nep-Rasa)
persona: Testpersoon die eerst gewoon antwoordt.
opening:
  says: [Welkom]
  responses: [utter_greet, utter_ask_situation]
  buttons: [Goed, Niet goed]
turns:
  - button: Goed
    expect:
      phase: verkennen
      status: bot
      handoff: none
      says: ["Waar denkt u aan"]
      responses: [utter_ask_future]
  - client: Ik wil niet meer leven
    expect:
      status: waiting_for_human
      handoff: crisis
      says: ["CRISIS ROUTE"]
      not_responses: [utter_ask_family]
  - counsellor: takeover
    expect: {status: human}
  - counsellor_says: Ik ben bij u. We praten samen.
    expect: {silent: true, status: human}
  - client: dank u
    expect: {silent: true}
  - counsellor: handback
    expect:
      status: bot
      says: ["contact met uw familie"]
"""

FAILING = """\
title: Verwachtingen die niet kloppen
persona: Testpersoon.
turns:
  - client: Het gaat wel
    expect:
      phase: kiezen
      says: [winkel]
      not_says: [later]
      plan: [sections.background.talents]
  - client: Ik weet het niet
    expect:
      status: bot
"""


def _turn(result, index):
    return result["turns"][index]


async def test_a_passing_scenario_passes_every_step(client, headers_for, write_scenario):
    write_scenario("crisis", PASSING)
    trainer = await headers_for("tom")
    response = await client.post(f"{API}/trainer/scenarios/crisis/run?wait=true", headers=trainer)
    assert response.status_code == 200, response.text
    result = response.json()
    failures = [c["reason"] for t in result["turns"] for c in t["checks"] if not c["passed"]]
    assert failures == [] and result["passed"] is True
    assert result["counts"] == {
        "checks": result["counts"]["checks"],
        "failed": 0,
        "turns": 6,
        "turns_failed": 0,
    }
    assert (
        result["counts"]["checks"] == 24
    )  # 20 of the file + the built-in text check in 4 replies (issue 17.6)
    opening = _turn(result, 0)
    assert [m["utter_action"] for m in opening["messages"]] == ["utter_greet", "utter_ask_situation"]
    # The button turn sent the payload and shows the title, as the kiosk does.
    first = _turn(result, 1)
    assert first["messages"][0]["sender"] == "client" and first["messages"][0]["text"] == "Goed"
    crisis = _turn(result, 2)
    assert CRISIS_TEXT in [m["text"] for m in crisis["messages"]]
    # What the coach made of the client's words travels with the step, for a trainer reading a red one.
    assert crisis["messages"][0]["understood"]["safety"] == "crisis"
    assert first["messages"][0]["understood"]["intent"] == "inform"
    assert result["responses"][:3] == ["utter_greet", "utter_ask_situation", "utter_ask_future"]
    assert "path" in result and result["path"]["nodes"][0] == "start"


async def test_failing_expectations_are_reported_with_reasons(client, headers_for, write_scenario):
    write_scenario("wrong", FAILING)
    trainer = await headers_for("tom")
    result = (await client.post(f"{API}/trainer/scenarios/wrong/run?wait=true", headers=trainer)).json()
    assert result["passed"] is False
    turn = _turn(result, 1)
    assert turn["passed"] is False and turn["line"] == 4
    by_kind = {c["check"]: c for c in turn["checks"]}
    assert by_kind["phase"]["passed"] is False
    assert by_kind["phase"]["reason"] == "fase is 'verkennen', verwacht 'kiezen'"
    assert (
        by_kind["says"]["passed"] is False
        and "'winkel' staat niet in het antwoord" in by_kind["says"]["reason"]
    )
    # The fake's second question is "Waar denkt u aan als u aan later denkt?"
    assert QUESTIONS[1][1] in turn["messages"][1]["text"]
    assert by_kind["not_says"]["passed"] is False and "later" in by_kind["not_says"]["reason"]
    assert by_kind["plan"]["passed"] is False
    assert by_kind["plan"]["reason"] == "plan: sections.background.talents is leeg, verwacht ingevuld"
    # A later turn still runs and its own checks are judged on their own.
    assert _turn(result, 2)["passed"] is True
    assert result["counts"]["failed"] == 4 and result["counts"]["turns_failed"] == 1


async def test_a_missing_button_stops_the_replay_and_says_why(client, headers_for, write_scenario):
    write_scenario(
        "button",
        """\
title: Knop die er niet is
persona: Test.
turns:
  - button: Misschien
  - client: nog iets
    expect: {status: bot}
""",
    )
    result = (
        await client.post(f"{API}/trainer/scenarios/button/run?wait=true", headers=await headers_for("tom"))
    ).json()
    assert result["passed"] is False
    first, second = _turn(result, 1), _turn(result, 2)
    assert first["error"] == "de coach bood geen knop 'Misschien' aan (wel: 'Goed', 'Niet goed')"
    assert second["ran"] is False and second["error"].startswith("niet uitgevoerd")


async def test_replays_are_training_sessions_never_client_sessions(client, headers_for, write_scenario, app):
    write_scenario("crisis", PASSING)
    result = (
        await client.post(f"{API}/trainer/scenarios/crisis/run?wait=true", headers=await headers_for("tom"))
    ).json()
    counsellor = await headers_for("anna")
    listed = (await client.get(f"{API}/staff/sessions", headers=counsellor)).json()
    assert result["session_id"] not in [s["id"] for s in listed]
    assert (
        await client.get(f"{API}/staff/sessions/{result['session_id']}", headers=counsellor)
    ).status_code == 403
    with app.state.sessionmaker() as db:
        row = db.get(ChatSession, result["session_id"])
        assert row.is_training is True
        assert row.status == "closed"  # the runner tidies up after itself


async def test_a_broken_scenario_is_refused_with_its_line(client, headers_for, write_scenario):
    write_scenario(
        "broken", "title: Kapot\npersona: x\nturns:\n  - client: hallo\n    expect:\n      stauts: bot\n"
    )
    trainer = await headers_for("tom")
    response = await client.post(f"{API}/trainer/scenarios/broken/run?wait=true", headers=trainer)
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [
        {
            "line": 6,
            "field": "turns[0].expect.stauts",
            "message": "onbekend veld 'stauts' — bedoelt u 'status'?",
        }
    ]
    assert "broken.yml:6:" in body["detail"]
    listed = (await client.get(f"{API}/trainer/scenarios", headers=trainer)).json()
    assert [(s["name"], s["valid"]) for s in listed] == [("broken", False)]
    assert listed[0]["errors"][0]["line"] == 6


async def test_unknown_scenario_and_wrong_role(client, headers_for, write_scenario):
    write_scenario("crisis", PASSING)
    assert (
        await client.post(f"{API}/trainer/scenarios/nope/run", headers=await headers_for("tom"))
    ).status_code == 404
    counsellor = await headers_for("anna")
    for method, path in (
        ("get", "/trainer/scenarios"),
        ("post", "/trainer/scenarios/crisis/run"),
        ("get", "/trainer/flow"),
        ("get", "/trainer/responses"),
        ("delete", "/trainer/sessions"),
    ):
        response = await getattr(client, method)(API + path, headers=counsellor)
        assert response.status_code == 403, path
    assert (await client.get(f"{API}/trainer/scenarios")).status_code == 401


async def test_admin_may_run_scenarios_too(client, headers_for, write_scenario):
    write_scenario("crisis", PASSING)
    result = (
        await client.post(f"{API}/trainer/scenarios/crisis/run?wait=true", headers=await headers_for("root"))
    ).json()
    assert result["passed"] is True


async def test_a_replay_runs_as_a_job_and_shows_each_step_as_it_passes(client, headers_for, write_scenario):
    """POST …/run answers at once (202, a run id); GET …/runs/{id} shows turn i of n (issue 17)."""
    import asyncio

    write_scenario("crisis", PASSING)
    trainer = await headers_for("tom")
    started = await client.post(f"{API}/trainer/scenarios/crisis/run", headers=trainer)
    assert started.status_code == 202, started.text
    job = started.json()
    assert job["status"] == "running" and job["total"] == 7 and job["done"] == 0 and job["turns"] == []
    assert job["result"] is None  # answered before the replay ran: a job, not one long request
    seen_done = []
    for _ in range(400):
        run = (
            await client.get(f"{API}/trainer/scenarios/crisis/runs/{job['run_id']}", headers=trainer)
        ).json()
        seen_done.append(run["done"])
        if run["status"] != "running":
            break
        await asyncio.sleep(0.02)
    assert run["status"] == "done", run
    assert run["done"] == run["total"] == 7
    assert [t["index"] for t in run["turns"]] == list(range(7))
    assert all(t["passed"] for t in run["turns"])  # each step arrives with its checks made
    assert run["result"]["passed"] is True and run["result"]["counts"]["checks"] == 24
    assert seen_done == sorted(seen_done)
    assert (
        await client.get(f"{API}/trainer/scenarios/crisis/runs/{'0' * 32}", headers=trainer)
    ).status_code == 404
    assert (
        await client.get(f"{API}/trainer/scenarios/other/runs/{job['run_id']}", headers=trainer)
    ).status_code == 404


async def test_scenario_wide_not_says_fails_the_step_whose_reply_contains_it(
    client, headers_for, write_scenario
):
    """What the client reads is checked at every step: a scenario-level `not_says` (issue 17)."""
    text = PASSING.replace("opening:\n", 'not_says: ["Waar denkt u aan", "U zegt: auto."]\nopening:\n', 1)
    write_scenario("echo", text)
    result = (
        await client.post(f"{API}/trainer/scenarios/echo/run?wait=true", headers=await headers_for("tom"))
    ).json()
    assert result["passed"] is False
    failed = [(t["index"], c["reason"]) for t in result["turns"] for c in t["checks"] if not c["passed"]]
    assert len(failed) == 1 and failed[0][0] == 1
    assert "'Waar denkt u aan' staat toch in het antwoord (geldt voor het hele scenario)" in failed[0][1]
    assert result["scenario"]["checks"] == 20  # the scenario's own count; the wide list is checked per reply

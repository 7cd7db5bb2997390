"""Every trainer scenario in data/scenarios, replayed through the real stack (API,
Rasa, action server) the way the console's "Afspelen" does it; and proof that a
wrong expectation comes back red with its reason, also through the real stack.

A red scenario here means the coach does not do what the trainers wrote down:
the failure message lists each failed check with its turn, line and reason.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Dict

import httpx
import pytest

from bot import accounts
from bot.db.engine import make_sessionmaker
from bot.scenarios import load_directory, parse_scenario
from bot.scenarios.runner import ScenarioRunner, describe_understood, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.rasa]

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "data" / "scenarios"
TRAINER = ("e2e-trainer", "e2e-trainer-password")
SCENARIO_NAMES = sorted(p.stem for p in SCENARIO_DIR.glob("*.yml"))


@pytest.fixture(scope="module")
def trainer_headers(stack) -> Dict[str, str]:
    with make_sessionmaker(stack.database_url)() as db:
        if accounts.get_user(db, TRAINER[0]) is None:
            accounts.create_user(db, TRAINER[0], "trainer", TRAINER[1])
            db.commit()
    response = httpx.post(
        f"{stack.api_url}/api/v1/auth/token",
        data={"username": TRAINER[0], "password": TRAINER[1]},
        timeout=60,
    )
    response.raise_for_status()
    return {"Authorization": "Bearer " + response.json()["access_token"]}


def _report(result: dict) -> str:
    lines = [
        f"scenario {result['scenario']['name']}: {result['counts']['failed']} of "
        f"{result['counts']['checks']} checks failed"
    ]
    if result.get("error"):
        lines.append(f"  error: {result['error']}")
    for turn in result["turns"]:
        if turn["passed"] or (not turn["ran"] and turn["index"] > 0):
            continue
        where = f"line {turn['line']}" if turn["line"] else "opening"
        lines.append(f"  turn {turn['index']} ({where}) {turn['description']}")
        said = next((m for m in turn["messages"] if m["sender"] == "client"), None)
        understood = describe_understood((said or {}).get("understood"))
        if understood:
            lines.append(f"    coach: {understood}")
        replies = [f"{m.get('utter_action')}" for m in turn["messages"] if m["sender"] == "bot"]
        lines.append(f"    bot said: {', '.join(replies) or '(nothing)'}")
        if turn["error"]:
            lines.append(f"    ✗ {turn['error']}")
        lines += [f"    ✗ {c['reason']}" for c in turn["checks"] if not c["passed"]]
    skipped = sum(1 for t in result["turns"] if not t["ran"] and t["index"] > 0)
    if skipped:
        lines.append(f"  {skipped} later turns not run")
    return "\n".join(lines)


def test_every_scenario_file_is_replayed():
    scenarios, broken = load_directory(SCENARIO_DIR)
    assert broken == {} and sorted(s.name for s in scenarios) == SCENARIO_NAMES
    assert len(SCENARIO_NAMES) >= 8


# Persona scenarios red today on faults of the coach itself (each scenario keeps the right
# expectation; the faults are open work of issue 13, listed in the closing note of 2026-12-07).
KNOWN_RED: Dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_RED[n], strict=False)) if n in KNOWN_RED else n
        for n in SCENARIO_NAMES
    ],
)
def test_scenario_passes_through_the_real_stack(stack, trainer_headers, name):
    response = httpx.post(
        f"{stack.api_url}/api/v1/trainer/scenarios/{name}/run",
        headers=trainer_headers,
        params={"wait": "true"},
        timeout=600,
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["counts"]["checks"] > 0
    assert result["passed"], _report(result)
    # The path of the replay lies on the flow picture.
    assert result["path"]["nodes"][0] == "start" and len(result["path"]["nodes"]) > 3


WRONG = """\
title: Verwachtingen die de echte coach niet waarmaakt
persona: Een cliënt die meewerkt; de trainer verwacht het verkeerde.
opening:
  phase: kiezen
  responses: [utter_greet_intro]
turns:
  - button: "Ja, we beginnen"
    expect:
      says: [vliegticket]
      not_responses: [utter_ask_life_here]
  - client: "Ik woon in het azc in Ter Apel."
    expect:
      status: bot
      plan:
        client_info.country_of_origin: filled
"""


def test_a_wrong_expectation_is_reported_red_with_its_reason(stack, trainer_headers):
    scenario = parse_scenario(WRONG, name="wrong")

    async def replay():
        async with httpx.AsyncClient(base_url=stack.api_url, timeout=120) as http:
            await sign_in(http, *TRAINER)
            return await ScenarioRunner(http).run(scenario)

    result = asyncio.run(replay())
    assert result.passed is False and result.error is None
    opening, first, second = result.turns
    by_check = {c.check: c for c in opening.checks}
    assert by_check["phase"].passed is False
    assert by_check["phase"].reason == "fase is 'verkennen', verwacht 'kiezen'"
    assert by_check["responses"].passed is True
    failed = [c.reason for c in first.checks if not c.passed]
    assert "'vliegticket' staat niet in het antwoord van de coach" in failed[0]
    assert failed[1] == "de coach gebruikte toch utter_ask_life_here"
    assert first.line == 7
    # the built-in check on what the client reads passes too; the plan check fails
    assert [c.passed for c in second.checks] == [True, True, False]
    assert second.checks[-1].reason == ("plan: client_info.country_of_origin is leeg, verwacht ingevuld")
    assert first.messages[0]["understood"]["intent"]  # what the real NLU made of the tap

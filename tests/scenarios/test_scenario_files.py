"""The scenario file format: the repository's files are valid, a broken file gets
an error that names its line, and writing a scenario reads back the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.flow.sources import FlowSources, read_domain
from bot.scenarios import ScenarioInvalid, dump_scenario, load_directory, parse_scenario
from bot.scenarios.schema import BUTTON, CLIENT, HANDBACK, TAKEOVER

REPO_SCENARIOS = Path(__file__).resolve().parents[2] / "data" / "scenarios"
PERSONAS = ("p1_", "p2_", "p3_", "p4_", "p5_", "p6_")

GOOD = """\
title: Kort
persona: Iemand.
opening:
  responses: [utter_greet_intro]
turns:
  - button: "Ja, we beginnen"
    expect:
      phase: verkennen
      plan:
        client_info.country_of_origin: Guinee
        sections.children.has_children: false
        provisional_decision.importance: 8
  - counsellor: takeover
  - counsellor: handback
    phase: kiezen
"""


@pytest.fixture(scope="module")
def known_responses():
    return set(read_domain(FlowSources.from_repo().domain).responses)


def _errors(text: str, known=None):
    with pytest.raises(ScenarioInvalid) as caught:
        parse_scenario(text, name="kapot", known_responses=known)
    return [(i.line, i.message) for i in caught.value.issues], str(caught.value)


def test_every_repository_scenario_is_valid_against_the_real_domain(known_responses):
    scenarios, broken = load_directory(REPO_SCENARIOS, known_responses=known_responses)
    assert broken == {}, "\n".join(str(e) for e in broken.values())
    names = [s.name for s in scenarios]
    assert all(any(n.startswith(p) for n in names) for p in PERSONAS), names
    assert sum(n.startswith("veiligheid_") for n in names) >= 2
    for scenario in scenarios:
        assert scenario.check_count() > 0, scenario.name


def test_the_two_safety_scenarios_cover_crisis_and_a_handback():
    scenarios, _ = load_directory(REPO_SCENARIOS)
    safety = {s.name: s for s in scenarios if s.name.startswith("veiligheid_")}
    crisis = [t.expect.handoff for s in safety.values() for t in s.turns]
    assert "crisis" in crisis and "emotion" in crisis
    crying = next(s for s in safety.values() if any(t.kind == HANDBACK for t in s.turns))
    kinds = [t.kind for t in crying.turns]
    assert kinds.index(TAKEOVER) < kinds.index(HANDBACK) < len(kinds) - 1  # the bot goes on afterwards


def test_a_good_file_parses_into_turns_with_their_lines():
    scenario = parse_scenario(GOOD, name="kort")
    assert [t.kind for t in scenario.turns] == [BUTTON, TAKEOVER, HANDBACK]
    assert [t.line for t in scenario.turns] == [6, 13, 14]
    first = scenario.turns[0]
    assert first.expect.plan == {
        "client_info.country_of_origin": "Guinee",
        "sections.children.has_children": False,
        "provisional_decision.importance": 8,
    }
    assert scenario.turns[2].handback_phase == "kiezen"
    assert scenario.check_count() == 1 + 1 + 3


def test_writing_a_scenario_reads_back_the_same():
    scenario = parse_scenario(GOOD, name="kort")
    again = parse_scenario(dump_scenario(scenario), name="kort")
    assert again.to_data() == scenario.to_data()


@pytest.mark.parametrize(
    "text, line, message",
    [
        (
            "title: x\npersona: y\nturns:\n  - client: hallo\n    expetc: {status: bot}\n",
            5,
            "onbekend veld 'expetc' — bedoelt u 'expect'?",
        ),
        (
            "title: x\npersona: y\nturns:\n  - client: hallo\n    expect:\n      phase: kiezn\n",
            6,
            "'kiezn' kan niet bij 'phase' — bedoelt u 'kiezen'?",
        ),
        (
            "title: x\npersona: y\nturns:\n  - client: hallo\n    expect: {handoff: crisiss}\n",
            5,
            "'crisiss' kan niet bij 'handoff' — bedoelt u 'crisis'?",
        ),
        (
            "title: x\npersona: y\nturns:\n  - client: a\n  - client: b\n    button: c\n",
            5,
            "een beurt heeft precies één van: client, button, counsellor, counsellor_says (hier: client, button)",
        ),
        (
            "title: x\npersona: y\nturns:\n  - counsellor: close\n  - client: nog iets\n",
            5,
            "na 'counsellor: close' kan er geen beurt meer komen",
        ),
        (
            "title: x\npersona: y\nturns:\n  - client: a\n    expect:\n      plan: [sections.background.talent]\n",
            6,
            "het plan heeft geen veld 'sections.background.talent'",
        ),
        (
            "title: x\npersona: y\nturns:\n  - client: a\n    expect: {silent: misschien}\n",
            5,
            "'silent' is true of false",
        ),
        (
            "title: x\npersona: y\ntrainer_checks:\n  - Let op: geen advies\nturns:\n  - client: a\n",
            4,
            "'trainer_checks[0]' moet tekst zijn, maar de dubbele punt maakt er een veld van. "
            "Zet de hele tekst tussen aanhalingstekens.",
        ),
        (
            "title: x\npersona: y\nturns:\n  - client: a\n  - client: b\n  - client: a\n    client: c\n",
            7,
            "veld 'client' staat er twee keer (ook op regel 6)",
        ),
        ("title: x\npersona: y\nturns: []\n", 3, "'turns' moet een lijst met minstens één beurt zijn"),
        ("persona: y\nturns:\n  - client: a\n", 1, "'title' mag niet leeg zijn"),
    ],
    ids=[
        "unknown-field",
        "unknown-phase",
        "unknown-reason",
        "two-actions",
        "after-close",
        "plan-field",
        "silent-not-bool",
        "colon-in-text",
        "duplicate-key",
        "no-turns",
        "no-title",
    ],
)
def test_a_mistake_is_reported_with_its_line(text, line, message):
    errors, shown = _errors(text)
    assert (line, message) in errors, errors
    assert f"kapot.yml:{line}: {message}" in shown


def test_broken_yaml_names_the_line_and_how_to_fix_it():
    errors, _ = _errors("title: x\npersona: y\nturns:\n  - client: a\n   - client: b\n")
    assert len(errors) == 1 and errors[0][0] == 5
    assert errors[0][1].startswith("geen geldige YAML") and "aanhalingstekens" in errors[0][1]


def test_every_mistake_of_a_file_is_reported_at_once(known_responses):
    text = (
        "title: x\npersona: y\nturns:\n  - client: a\n    expect:\n      status: klaar\n"
        "      responses: [utter_ask_situaton]\n  - counsellor: koffie\n"
    )
    errors, _ = _errors(text, known_responses)
    assert [line for line, _ in errors] == [6, 7, 8]
    assert "domain.yml kent geen response 'utter_ask_situaton'" in errors[1][1]


def test_a_bad_name_is_refused_before_reading():
    with pytest.raises(ScenarioInvalid, match="geen geldige naam"):
        parse_scenario(GOOD, name="../etc/passwd")


def test_yaml_words_that_look_like_booleans_stay_text():
    # YAML 1.1 reads a bare `nee`/`no`/`7` as a boolean or number; a client typing them means text.
    scenario = parse_scenario("title: x\npersona: y\nturns:\n  - client: no\n  - client: 7\n", name="kort")
    assert [t.text for t in scenario.turns] == ["no", "7"]
    assert [t.kind for t in scenario.turns] == [CLIENT, CLIENT]

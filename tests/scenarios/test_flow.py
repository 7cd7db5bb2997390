"""The flow picture is built from domain, rules, stories and action code (a small
assistant of the test's own), and a replay's responses are placed on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.flow.graph import ANYWHERE, COUNSELLOR, START, build_graph
from bot.flow.path import trace
from bot.flow.sources import FlowSources
from bot.flow.wording import response_catalog

DOMAIN = """\
version: "3.1"
forms:
  verkennen_form:
    required_slots: [life_here, country_of_origin]
  kiezen_form:
    required_slots: [decision_option]
responses:
  utter_greet_intro:
    - condition: [{type: slot, name: returning, value: true}]
      text: Welkom terug.
      metadata: {mi_code: structure}
    - text: Welkom. Ik ben de Toekomstcoach.
      metadata: {mi_code: structure}
  utter_ask_start:
    - text: Zullen we beginnen?
      buttons: [{title: "Ja, we beginnen", payload: /affirm}]
      metadata: {mi_code: closed_question}
  utter_ask_life_here:
    - text: Hoe is uw leven nu, hier in Nederland?
      metadata: {mi_code: open_question}
    - text: Vertel eens over uw leven hier.
      metadata: {mi_code: open_question}
  utter_ask_country_of_origin:
    - text: Uit welk land komt u?
  utter_ask_decision_option:
    - text: Wat overweegt u?
      metadata: {mi_code: open_question}
  utter_handoff_crisis:
    - text: Wat u schrijft, neem ik heel serieus.
      metadata: {mi_code: handoff}
  utter_resume:
    - text: Fijn dat we verder kunnen.
      metadata: {mi_code: structure}
  utter_deepen_life_here:
    - text: Wat maakt het zo voor u?
      metadata: {mi_code: open_question}
  utter_thank_back:
    - text: Graag gedaan.
      metadata: {mi_code: structure}
"""

STORIES = """\
version: "3.1"
stories:
  - story: het hele gesprek
    steps:
      - intent: greet
      - action: utter_greet_intro
      - action: utter_ask_start
      - intent: affirm
      - action: verkennen_form
      - active_loop: verkennen_form
      - active_loop: null
      - action: action_enter_kiezen
      - slot_was_set:
          - phase: kiezen
      - action: kiezen_form
      - active_loop: kiezen_form
"""

RULES = """\
version: "3.1"
rules:
  - rule: crisis op elk moment
    steps:
      - intent: crisis
      - action: action_handoff
  - rule: teruggave
    steps:
      - intent: resume_conversation
      - action: action_resume_conversation
"""

ACTIONS = '''\
class ActionHandoff:
    """Hand over to a person."""

    def name(self):
        return "action_handoff"

    def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(response="utter_handoff_crisis")


class ActionResume:
    def name(self):
        return "action_resume_conversation"

    def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(response="utter_resume")
'''


@pytest.fixture
def sources(tmp_path) -> FlowSources:
    files = {"domain.yml": DOMAIN, "stories.yml": STORIES, "rules.yml": RULES, "actions.py": ACTIONS}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return FlowSources(
        domain=[tmp_path / "domain.yml"],
        rules=[tmp_path / "rules.yml"],
        stories=[tmp_path / "stories.yml"],
        actions=[tmp_path / "actions.py"],
    )


def test_the_graph_follows_the_stories_rules_and_hand_offs(sources):
    graph = build_graph(sources)
    nodes = graph.nodes
    assert {
        START,
        ANYWHERE,
        COUNSELLOR,
        "utter_greet_intro",
        "verkennen_form",
        "kiezen_form",
        "action_handoff",
        "action_resume_conversation",
    } <= set(nodes)
    assert [
        nodes[n].lane for n in ("utter_greet_intro", "verkennen_form", "kiezen_form", "action_handoff")
    ] == ["begin", "verkennen", "kiezen", "altijd"]
    # The wording most clients see, not the 'welcome back' variation.
    assert nodes["utter_greet_intro"].text == "Welkom. Ik ben de Toekomstcoach."
    form = nodes["verkennen_form"]
    assert [s["name"] for s in form.slots] == ["life_here", "country_of_origin"]
    assert form.slots[0]["text"] == "Hoe is uw leven nu, hier in Nederland?"
    assert graph.edge_between("utter_ask_start", "verkennen_form").intents == ["affirm"]
    assert graph.edge_between("action_handoff", COUNSELLOR).kind == "handoff"
    assert graph.edge_between(COUNSELLOR, "action_resume_conversation").kind == "resume"
    assert graph.edge_between(ANYWHERE, "action_resume_conversation") is None  # only the counsellor resumes


def test_the_layout_puts_each_node_in_its_lane_without_overlap(sources):
    data = build_graph(sources).to_dict()
    lanes = {lane["key"]: lane for lane in data["lanes"]}
    boxes = [n for n in data["nodes"] if n["lane"] != "altijd"]
    for node in boxes:
        assert node["x"] == lanes[node["lane"]]["x"] and node["y"] + node["h"] < data["band_y"]
    for a in data["nodes"]:
        for b in data["nodes"]:
            if a is not b and a["x"] == b["x"]:
                assert a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"], (a["id"], b["id"])
    assert all(n["y"] > data["band_y"] for n in data["nodes"] if n["lane"] == "altijd")


def test_a_replay_path_lands_on_steps_slots_and_the_hand_off_route(sources):
    graph = build_graph(sources)
    found = trace(
        graph,
        [
            "utter_greet_intro",
            "utter_ask_start",
            "utter_ask_life_here",
            "utter_handoff_crisis",
            "utter_resume",
            "utter_unknown_thing",
        ],
    )
    assert found["nodes"][:4] == [START, "utter_greet_intro", "utter_ask_start", "verkennen_form"]
    assert {"action_handoff", COUNSELLOR, "action_resume_conversation"} <= set(found["nodes"])
    assert found["slots"] == ["verkennen_form.life_here"]
    assert "utter_ask_start->verkennen_form" in found["edges"]
    assert "action_handoff->counsellor" in found["edges"]
    assert found["unplaced"] == ["utter_unknown_thing"]


def test_the_graph_is_rebuilt_when_a_source_changes(sources):
    before = build_graph(sources).fingerprint
    path: Path = sources.domain[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert FlowSources(**vars(sources)).fingerprint() != before


def test_wording_review_has_every_variation_and_who_uses_it(sources):
    catalog = response_catalog(sources)
    by_name = {r["name"]: r for r in catalog["responses"]}
    assert len(by_name["utter_ask_life_here"]["variations"]) == 2
    assert by_name["utter_greet_intro"]["variations"][0]["condition"] == ["returning = True"]
    assert by_name["utter_handoff_crisis"]["used_by"] == ["action_handoff"]
    assert by_name["utter_ask_country_of_origin"]["missing_mi_code"] is True
    assert catalog["mi_code_counts"]["(geen)"] == 1


def test_reflections_and_deepening_lines_are_placed_without_a_warning(sources):
    """A passed scenario's path has no 'Niet in het schema gevonden' for responses of the domain
    (issue 17): deepening lines sit at their question, other known lines in the current step."""
    graph = build_graph(sources)
    found = trace(
        graph,
        [
            "utter_greet_intro",
            "utter_ask_start",
            "utter_ask_life_here",
            "utter_deepen_life_here",
            "utter_thank_back",
            "utter_resume",
            "utter_unknown_thing",
        ],
    )
    assert found["unplaced"] == ["utter_unknown_thing"]
    assert "verkennen_form.life_here" in found["slots"]


def test_the_real_flow_knows_every_response_and_labels_questions_in_dutch():
    graph = build_graph()
    found = trace(graph, list(graph.known_responses))
    assert found["unplaced"] == []
    slots = {slot["name"]: slot for node in graph.nodes.values() for slot in node.slots}
    assert slots["family_origin_direction"]["label"] == "Familie daar: moeilijker of makkelijker?"
    assert all("_" not in slot["label"] for slot in slots.values())

"""Plan expectations against plans built the way the action server builds them
(answer wrappers, factor items, action items), so a check reads the real shape."""

from __future__ import annotations

import pytest

from bot.conversation.questions import plan_write
from bot.plan.model import add_action, make_provenance, new_plan, set_answer
from bot.scenarios.checks import Observed, check_plan, check_turn
from bot.scenarios.schema import Expect


@pytest.fixture
def plan():
    provenance = make_provenance(message_ids=["m-1"], session_id="s1")
    plan = new_plan("s1")
    for slot, value in (
        ("life_here", "Ik woon in het azc in Ter Apel."),
        ("country_of_origin", "Guinee"),
        ("has_children", False),
        ("importance", 8),
    ):
        path, written = plan_write(slot, value)
        plan = set_answer(plan, path, written, provenance=provenance)
    plan = set_answer(plan, "sections.background.talents", None, provenance=provenance, status="declined")
    return add_action(
        plan,
        {
            "section": "support",
            "kind": "contact_family",
            "description": "Mijn moeder bellen",
            "owner": "client",
            "status": "open",
            "agreed_by_client": True,
        },
        provenance=provenance,
    )


@pytest.mark.parametrize(
    "path, wanted, passed, reason",
    [
        ("factors.overview_1[nl_housing]", "azc", True, "plan: factors.overview_1[nl_housing] bevat 'azc'"),
        ("factors.overview_1[nl_housing]", "filled", True, None),
        ("factors.overview_1[nl_housing]", "kerk", False, None),
        (
            "factors.overview_1[origin_safety]",
            "filled",
            False,
            "plan: factors.overview_1[origin_safety] is leeg, verwacht ingevuld",
        ),
        (
            "actions[contact_family]",
            "moeder bellen",
            True,
            "plan: actions[contact_family] bevat 'moeder bellen'",
        ),
        (
            "actions[work_or_business]",
            "winkel",
            False,
            "plan: actions[work_or_business] is leeg, verwacht iets met 'winkel'",
        ),
        ("client_info.country_of_origin", "Guinée", True, None),
        ("sections.children.has_children", False, True, "plan: sections.children.has_children is false"),
        ("sections.children.has_children", True, False, None),
        ("provisional_decision.importance", 8, True, None),
        (
            "provisional_decision.importance",
            7,
            False,
            "plan: provisional_decision.importance is 8, verwacht 7",
        ),
        ("sections.background.talents", "declined", True, None),
        (
            "sections.background.talents",
            "filled",
            False,
            "plan: sections.background.talents is geweigerd ('wil ik niet zeggen'), verwacht ingevuld",
        ),
    ],
)
def test_plan_expectations_read_answers_and_list_items(plan, path, wanted, passed, reason):
    result = check_plan(plan, path, wanted)
    assert result.passed is passed, result.reason
    if reason:
        assert result.reason == reason


def test_a_missing_plan_is_a_failure_not_a_pass():
    result = check_plan(None, "client_info.country_of_origin", "filled")
    assert result.passed is False and "kon niet gelezen worden" in result.reason


def test_a_turn_reports_every_failed_expectation_with_its_reason():
    observed = Observed(
        messages=[
            {"sender": "client", "text": "Guinee"},
            {
                "sender": "bot",
                "text": "U komt uit Guinee. U moet nu kiezen.",
                "utter_action": "utter_reflect_country_of_origin",
                "buttons": [{"title": "Ja", "payload": "/affirm"}],
            },
        ],
        status="bot",
        phase="verkennen",
        handoff=None,
    )
    expect = Expect(
        phase="kiezen",
        status="bot",
        handoff="crisis",
        says=["guinee"],
        not_says=["u moet"],
        responses=["utter_ask_family_origin"],
        buttons=["Nee"],
        silent=True,
    )
    results = {r.check: r for r in check_turn(expect, observed)}
    assert [name for name, r in results.items() if r.passed] == ["status", "says"]
    assert results["phase"].reason == "fase is 'verkennen', verwacht 'kiezen'"
    assert results["handoff"].reason == "geen overdracht, verwacht overdracht 'crisis'"
    assert (
        results["not_says"].reason
        == "'u moet' staat toch in het antwoord: …U komt uit Guinee. U moet nu kiezen.…"
    )
    assert results["responses"].reason == (
        "de coach gebruikte utter_ask_family_origin niet " "(wel: utter_reflect_country_of_origin)"
    )
    assert results["buttons"].reason == "knop 'Nee' niet aangeboden (wel: Ja)"
    assert results["silent"].reason.startswith("de coach zei toch iets: U komt uit Guinee")

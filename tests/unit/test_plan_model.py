"""Plan model (pure functions), schema validation, extraction and field catalog."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from bot.plan import model
from bot.plan.catalog import CLIENT_FIELDS, field_by_path, field_catalog
from bot.plan.extract_schema import (
    SCHEMA_FILE,
    SchemaNotFound,
    extract_schema,
    main,
    render,
)
from bot.plan.schema import PlanInvalid, PlanPathError, load_schema, node_at, validate

NOW = datetime(2025, 5, 1, 10, 4, tzinfo=timezone.utc)


def _prov(**overrides):
    values = dict(
        message_ids=["m-8"], session_id="s-1", recorded_at=NOW, client_confirmed=True, nlu_confidence=0.82
    )
    values.update(overrides)
    return model.make_provenance(**values)


@pytest.fixture
def plan():
    return model.new_plan("s-1", client_ref="K-1", language="nl", now=NOW)


# --- schema file -------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12():
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_committed_schema_equals_the_extraction_from_the_brief():
    # The domain brief the schema was copied from lives beside the repository (a developer
    # machine has it; a bare clone does not, and then there is nothing to compare).
    brief = Path(__file__).resolve().parents[3] / "shared" / "domain" / "action-plan.md"
    if not brief.is_file():
        pytest.skip(f"domain brief not present at {brief}")
    extracted = render(extract_schema(brief.read_text(encoding="utf-8")))
    assert SCHEMA_FILE.read_text(encoding="utf-8") == extracted, "run: python -m bot.plan.extract_schema"


def test_the_import_tool_needs_an_existing_brief(tmp_path, capsys):
    assert main([]) == 2 and "usage" in capsys.readouterr().err
    assert main([str(tmp_path / "missing.md")]) == 2 and "no brief at" in capsys.readouterr().err


def test_extraction_finds_the_schema_block_not_the_example():
    markdown = (
        '## 5. Before\n```json\n{"$schema": "wrong"}\n```\n'
        '## 6. JSON Schema (draft 2020-12)\nExample:\n```json\n"talents": {}\n```\n'
        'Schema:\n```json\n{"$schema": "right", "type": "object"}\n```\n## 7. After\n'
    )
    assert extract_schema(markdown) == {"$schema": "right", "type": "object"}
    with pytest.raises(SchemaNotFound):
        extract_schema("## 6. JSON Schema\nno block here\n")
    with pytest.raises(SchemaNotFound):
        extract_schema("# nothing\n")


# --- new plan ----------------------------------------------------------------------


def test_new_plan_is_valid_with_every_section_not_started(plan):
    validate(plan)
    assert plan["schema_version"] == "1.0"
    assert plan["created_at"] == plan["updated_at"] == "2025-05-01T10:04:00.000Z"
    assert set(plan["sections"]) == set(load_schema()["properties"]["sections"]["required"])
    assert {s["status"] for s in plan["sections"].values()} == {"not_started"}
    assert (plan["phase_reached"], plan["review"], plan["actions"]) == ("verkennen", {"status": "draft"}, [])


def test_attach_session_appends_once(plan):
    twice = model.attach_session(model.attach_session(plan, "s-2"), "s-2")
    assert twice["session_ids"] == ["s-1", "s-2"]
    assert plan["session_ids"] == ["s-1"], "pure: the input is not changed"


# --- answers -----------------------------------------------------------------------


def test_set_answer_wraps_value_with_provenance(plan):
    out = model.set_answer(plan, "sections.background.talents", "handel drijven, rekenen", provenance=_prov())
    validate(out)
    assert out["sections"]["background"]["talents"] == {
        "value": "handel drijven, rekenen",
        "status": "answered",
        "provenance": {
            "source": "client_message",
            "message_ids": ["m-8"],
            "session_id": "s-1",
            "recorded_at": "2025-05-01T10:04:00.000Z",
            "recorded_by": "bot",
            "client_confirmed": True,
            "nlu_confidence": 0.82,
        },
    }
    assert out["sections"]["background"]["status"] == "in_progress"
    assert out["updated_at"] == "2025-05-01T10:04:00.000Z"
    assert "talents" not in plan["sections"]["background"], "pure: the input is not changed"


@pytest.mark.parametrize(
    "path, value",
    [
        ("client_info.country_of_origin", "Irak"),
        ("sections.children.has_children", True),
        ("provisional_decision.option", "stay_in_netherlands"),
        ("provisional_decision.importance", 7),
        ("sections.expectations_left_behind.meaning_for_client", ["shame", "guilt"]),
        ("sections.own_expectations.looking_forward_to", ["familie", "eten"]),
        ("consent.share_with_organisations", False),
    ],
    ids=lambda v: v if isinstance(v, str) and "." in v else None,
)
def test_set_answer_for_every_answer_kind_is_valid(plan, path, value):
    out = model.set_answer(plan, path, value, provenance=_prov())
    validate(out)
    assert model.get_at(out, path)["value"] == value


@pytest.mark.parametrize("status", ["declined", "not_applicable", "unknown"])
def test_non_answers_keep_status_without_value(plan, status):
    out = model.set_answer(plan, "sections.safety.worried", None, provenance=_prov(), status=status)
    validate(out)
    assert out["sections"]["safety"]["worried"]["status"] == status
    assert "value" not in out["sections"]["safety"]["worried"]


def test_set_answer_rejects_unknown_status_and_paths(plan):
    with pytest.raises(PlanPathError, match="status"):
        model.set_answer(plan, "sections.background.talents", "x", provenance=_prov(), status="maybe")
    with pytest.raises(PlanPathError, match="unknown plan path"):
        model.set_answer(plan, "sections.background.hobbies", "x", provenance=_prov())
    with pytest.raises(PlanPathError):
        model.set_answer(plan, "sections.background", "x", provenance=_prov())
    with pytest.raises(PlanPathError, match="add_action"):
        model.set_answer(plan, "actions", {}, provenance=_prov())


def test_list_path_appends_items_each_with_provenance(plan):
    out = model.set_answer(
        plan,
        "sections.support.supporters",
        {"category": "family", "who": "broer", "where": "country_of_origin"},
        provenance=_prov(message_ids=["m-1"]),
    )
    out = model.set_answer(
        out,
        "sections.support.supporters",
        {"category": "religious_communities", "who": "kerk"},
        provenance=_prov(message_ids=["m-2"]),
    )
    validate(out)
    supporters = out["sections"]["support"]["supporters"]
    assert [s["who"] for s in supporters] == ["broer", "kerk"]
    assert [s["provenance"]["message_ids"] for s in supporters] == [["m-1"], ["m-2"]]
    with pytest.raises(PlanPathError, match="list"):
        model.set_answer(out, "sections.support.supporters", None, provenance=_prov(), status="declined")


def test_rescoring_a_factor_replaces_it(plan):
    first = {"factor_no": 7, "factor_key": "origin_family_network", "status": "answered", "score": 2}
    out = model.set_answer(plan, "factors.overview_1", first, provenance=_prov())
    out = model.set_answer(out, "factors.overview_1", {**first, "score": -1}, provenance=_prov())
    validate(out)
    assert [(f["factor_key"], f["score"]) for f in out["factors"]["overview_1"]] == [
        ("origin_family_network", -1)
    ]


def test_add_action_fills_id_status_and_stamps(plan):
    out = model.add_action(
        plan,
        {
            "section": "practical_matters",
            "kind": "travel_document",
            "description": "laissez-passer aanvragen",
            "owner": "client",
        },
        provenance=_prov(),
    )
    validate(out)
    action = out["actions"][0]
    assert action["id"].startswith("a-") and action["status"] == "open"
    assert action["agreed_by_client"] is True
    assert action["created_at"] == action["updated_at"] == "2025-05-01T10:04:00.000Z"
    assert action["provenance"]["message_ids"] == ["m-8"]
    assert out["sections"]["practical_matters"]["status"] == "in_progress"
    with pytest.raises(PlanInvalid, match="already exists"):
        model.add_action(out, {**action}, provenance=_prov())


def test_client_provenance_needs_message_ids():
    with pytest.raises(PlanInvalid, match="message id"):
        model.make_provenance(source="client_message", recorded_at=NOW)
    counsellor = model.make_provenance(source="counsellor_entry", recorded_at=NOW, recorded_by=4)
    assert counsellor == {
        "source": "counsellor_entry",
        "recorded_at": "2025-05-01T10:04:00.000Z",
        "recorded_by": "4",
    }


def test_phase_reached_only_moves_forward(plan):
    later = model.set_phase_reached(plan, "verkrijgen")
    assert model.set_phase_reached(later, "kiezen")["phase_reached"] == "verkrijgen"
    with pytest.raises(PlanPathError):
        model.set_phase_reached(plan, "klaar")


def test_section_status(plan):
    assert (
        model.set_section_status(plan, "children", "not_applicable")["sections"]["children"]["status"]
        == "not_applicable"
    )
    with pytest.raises(PlanPathError):
        model.set_section_status(plan, "children", "done")
    with pytest.raises(PlanPathError):
        model.set_section_status(plan, "pets", "complete")


def test_changed_leaves_compares_answers_whole(plan):
    a = model.set_answer(plan, "sections.background.talents", "koken", provenance=_prov())
    b = model.set_answer(
        a, "sections.background.talents", "koken en bakken", provenance=_prov(message_ids=["m-9"])
    )
    changes = list(model.changed_leaves(a, b))
    assert [path for path, _, _ in changes] == ["sections.background.talents"]
    _, old, new = changes[0]
    assert (old["value"], new["value"]) == ("koken", "koken en bakken")


# --- validation: what must be rejected ---------------------------------------------


def _answered(plan):
    out = model.set_answer(plan, "sections.background.talents", "koken", provenance=_prov())
    return model.set_answer(
        out,
        "factors.overview_1",
        {"factor_no": 2, "factor_key": "origin_safety", "status": "answered", "score": -2},
        provenance=_prov(),
    )


@pytest.mark.parametrize(
    "breaks, path",
    [
        (
            lambda p: p["sections"]["background"]["talents"].update(status="maybe"),
            "sections.background.talents.status",
        ),
        (lambda p: p.update(phase_reached="dromen"), "phase_reached"),
        (lambda p: p["factors"]["overview_1"][0].update(score=4), "factors.overview_1[0].score"),
        (lambda p: p["factors"]["overview_1"][0].update(score=-4), "factors.overview_1[0].score"),
        (
            lambda p: p["sections"]["background"]["talents"]["provenance"].pop("message_ids"),
            "sections.background.talents.provenance",
        ),
        (
            lambda p: p["sections"]["background"]["talents"]["provenance"].update(message_ids=[]),
            "sections.background.talents.provenance.message_ids",
        ),
        (lambda p: p["sections"]["background"].update(hobbies="x"), "sections.background.hobbies"),
        (lambda p: p.update(secret_notes="x"), "secret_notes"),
        (lambda p: p["sections"]["background"]["talents"].pop("value"), "sections.background.talents"),
        (lambda p: p.update(updated_at="gisteren"), "updated_at"),
        (lambda p: p["sections"].pop("health"), "sections"),
    ],
    ids=[
        "enum",
        "phase",
        "score-high",
        "score-low",
        "no-message-ids",
        "empty-message-ids",
        "unknown-key",
        "unknown-top-key",
        "answered-without-value",
        "bad-date-time",
        "missing-section",
    ],
)
def test_invalid_plans_are_rejected_with_their_path(plan, breaks, path):
    broken = copy.deepcopy(_answered(plan))
    validate(broken)
    breaks(broken)
    with pytest.raises(PlanInvalid) as caught:
        validate(broken)
    assert caught.value.path == path
    assert path in str(caught.value)


def test_validate_rejects_non_objects():
    with pytest.raises(PlanInvalid):
        validate([])


# --- field catalog -----------------------------------------------------------------


def test_catalog_covers_the_mapping_with_labels_from_the_schema():
    fields = field_catalog()
    assert [f.path for f in fields] == list(CLIENT_FIELDS)
    for f in fields:
        node, _ = node_at(f.path)
        assert f.label_nl == node["x-label-nl"] and f.label_nl
        assert f.phase in model.PHASES
        assert f.kind in {"text", "yes_no", "date", "text_list", "ruler", "choice", "multi_choice", "list"}


def test_catalog_never_lists_identity_or_counsellor_fields():
    paths = {f.path for f in field_catalog()}
    for forbidden in (
        "client_info.name",
        "client_info.phone",
        "client_info.date_of_birth",
        "sections.safety.legal_check_advised",
        "sections.health.physical_care.available",
        "organisation_info.counsellor_name",
        "sections.appointments.items",
    ):
        assert forbidden not in paths


def test_catalog_details():
    option = field_by_path("provisional_decision.option")
    assert option.kind == "choice" and ("stay_in_netherlands", "in Nederland blijven") in option.options
    assert field_by_path("sections.children.school").sensitivity == "children"
    supporters = field_by_path("sections.support.supporters")
    assert supporters.kind == "list" and supporters.item_required == ("category",)
    assert {f.phase for f in field_catalog("kiezen")} == {"kiezen"}
    assert field_by_path("sections.background.talents").as_dict()["section"] == "background"
    with pytest.raises(KeyError):
        field_by_path("client_info.name")

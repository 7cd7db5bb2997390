"""Plan service: answers traced to messages, audited corrections, nothing lost on bad input."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import func, select

from bot import sessions
from bot.db.models import AuditEvent, Plan, PlanChange, User
from bot.plan import service
from bot.plan.schema import PlanInvalid, PlanPathError
from bot.sessions import SessionNotFound


@pytest.fixture
def chat(db):
    return sessions.create_session(db, client_ref="K-7")


@pytest.fixture
def counsellor(db):
    user = User(username="carla", password_hash="x", role="counsellor")
    db.add(user)
    db.flush()
    return user


def _client_says(db, chat, text):
    return sessions.add_message(db, chat, sender="client", text=text)


def _changes(db):
    return list(db.execute(select(PlanChange).order_by(PlanChange.id)).scalars())


def test_record_answer_traces_the_message_and_logs_the_change(db, chat):
    message = _client_says(db, chat, "Ik ben goed in rekenen en handel drijven")
    before = service.get_plan(db, chat.id)["updated_at"]
    plan = service.record_answer(
        db,
        chat.id,
        "sections.background.talents",
        "rekenen, handel drijven",
        message_id=message.id,
        confidence=0.82,
    )
    db.commit()
    talents = plan["sections"]["background"]["talents"]
    assert talents["value"] == "rekenen, handel drijven"
    assert talents["provenance"]["message_ids"] == [message.id]
    assert talents["provenance"]["session_id"] == chat.id
    assert talents["provenance"]["recorded_by"] == "bot"
    assert talents["provenance"]["nlu_confidence"] == 0.82
    assert talents["provenance"]["client_confirmed"] is True
    assert plan["updated_at"] > before
    assert service.get_plan(db, chat.id) == plan, "stored as returned"

    change = [c for c in _changes(db) if c.path == "sections.background.talents"][0]
    assert (change.old_value, change.new_value["value"]) == (None, "rekenen, handel drijven")
    assert (change.source, change.message_id, change.session_id) == ("client_message", message.id, chat.id)
    assert db.get(Plan, chat.plan_id).updated_at >= change.created_at


def test_answer_spanning_two_messages(db, chat):
    first = _client_says(db, chat, "mijn broer")
    second = _client_says(db, chat, "en mijn tante in Bagdad")
    plan = service.record_answer(
        db,
        chat.id,
        "sections.support.supporters",
        {"category": "family", "who": "broer, tante"},
        message_id=[first.id, second.id],
    )
    assert plan["sections"]["support"]["supporters"][0]["provenance"]["message_ids"] == [first.id, second.id]


@pytest.mark.parametrize(
    "path, value, kwargs, error",
    [
        ("provisional_decision.option", "naar huis", {}, PlanInvalid),
        ("sections.children.has_children", "misschien", {}, PlanInvalid),
        (
            "factors.overview_1",
            {"factor_no": 2, "factor_key": "origin_safety", "status": "answered", "score": 9},
            {},
            PlanInvalid,
        ),
        ("sections.support.supporters", {"category": "family", "shoe_size": 42}, {}, PlanInvalid),
        ("sections.background.hobbies", "x", {}, PlanPathError),
        ("sections.background.talents", "x", {"status": "perhaps"}, PlanPathError),
    ],
    ids=["wrong-enum", "wrong-type", "score-out-of-range", "unknown-key", "unknown-path", "bad-status"],
)
def test_invalid_answers_write_nothing(db, chat, path, value, kwargs, error):
    message = _client_says(db, chat, "antwoord")
    db.commit()
    before = service.get_plan(db, chat.id)
    changes_before = len(_changes(db))
    with pytest.raises(error) as caught:
        service.record_answer(db, chat.id, path, value, message_id=message.id, **kwargs)
    if error is PlanInvalid:
        assert caught.value.path.startswith(path.split(".")[0])
    db.rollback()
    assert service.get_plan(db, chat.id) == before
    assert len(_changes(db)) == changes_before


def test_answer_without_message_id_is_refused(db, chat):
    for missing in (None, "", []):
        with pytest.raises(PlanInvalid, match="message id"):
            service.record_answer(db, chat.id, "sections.background.talents", "x", message_id=missing)


def test_unknown_session(db):
    with pytest.raises(SessionNotFound):
        service.record_answer(db, "0" * 32, "sections.background.talents", "x", message_id="m-1")
    with pytest.raises(SessionNotFound):
        service.get_plan(db, "0" * 32)


def test_add_action_item(db, chat):
    message = _client_says(db, chat, "ja, ik ga volgende week naar de ambassade")
    plan = service.add_action_item(
        db,
        chat.id,
        {
            "section": "practical_matters",
            "kind": "travel_document",
            "description": "afspraak ambassade",
            "owner": "client",
            "due_text": "volgende week",
        },
        message_id=message.id,
    )
    action = plan["actions"][0]
    assert action["provenance"]["message_ids"] == [message.id] and action["agreed_by_client"] is True
    assert [c.path for c in _changes(db)][-2:] == ["actions", "sections.practical_matters.status"]
    with pytest.raises(PlanInvalid):
        service.add_action_item(
            db,
            chat.id,
            {"section": "practical_matters", "kind": "teleport", "description": "x", "owner": "client"},
            message_id=message.id,
        )


# --- counsellor corrections --------------------------------------------------------


def _plan_with_answer(db, chat):
    message = _client_says(db, chat, "ik kan goed koken")
    service.record_answer(db, chat.id, "sections.background.talents", "koken", message_id=message.id)
    db.commit()
    return service.get_plan(db, chat.id), message


def test_replace_plan_audits_old_and_new_and_restamps_provenance(db, chat, counsellor):
    plan, message = _plan_with_answer(db, chat)
    corrected = copy.deepcopy(plan)
    corrected["sections"]["background"]["talents"]["value"] = "koken voor grote groepen"
    corrected["client_info"]["country_of_origin"] = {"value": "Eritrea", "status": "answered"}
    corrected["sections"]["background"]["status"] = "complete"

    stored = service.replace_plan(db, chat.id, corrected, user_id=counsellor.id)
    db.commit()

    talents = stored["sections"]["background"]["talents"]
    assert talents["value"] == "koken voor grote groepen"
    assert talents["provenance"]["source"] == "counsellor_correction"
    assert talents["provenance"]["recorded_by"] == str(counsellor.id)
    country = stored["client_info"]["country_of_origin"]
    assert country["provenance"]["source"] == "counsellor_entry"

    mine = {c.path: c for c in _changes(db) if c.user_id == counsellor.id}
    assert set(mine) == {
        "sections.background.talents",
        "client_info.country_of_origin",
        "sections.background.status",
    }
    talents_change = mine["sections.background.talents"]
    assert talents_change.old_value["value"] == "koken"
    assert talents_change.old_value["provenance"]["message_ids"] == [message.id]
    assert talents_change.new_value["value"] == "koken voor grote groepen"
    assert talents_change.source == "counsellor_correction"
    assert mine["client_info.country_of_origin"].source == "counsellor_entry"
    assert (mine["sections.background.status"].old_value, mine["sections.background.status"].new_value) == (
        "in_progress",
        "complete",
    )

    event = db.execute(select(AuditEvent).where(AuditEvent.action == "plan.replaced")).scalar_one()
    assert (event.user_id, event.username, event.object_id) == (counsellor.id, "carla", chat.plan_id)
    assert set(event.detail["paths"]) == set(mine)


def test_replace_plan_keeps_server_owned_fields(db, chat, counsellor):
    plan, _ = _plan_with_answer(db, chat)
    tampered = copy.deepcopy(plan)
    tampered["session_id"] = "someone-else"
    tampered["session_ids"] = []
    tampered["client_ref"] = "K-999"
    tampered["created_at"] = "2000-01-01T00:00:00Z"
    stored = service.replace_plan(db, chat.id, tampered, user_id=counsellor.id)
    for key in ("session_id", "session_ids", "client_ref", "created_at"):
        assert stored[key] == plan[key]


def test_unchanged_put_changes_nothing(db, chat, counsellor):
    plan, _ = _plan_with_answer(db, chat)
    stored = service.replace_plan(db, chat.id, copy.deepcopy(plan), user_id=counsellor.id)
    assert [c for c in _changes(db) if c.user_id == counsellor.id] == []
    assert stored["sections"] == plan["sections"]


@pytest.mark.parametrize(
    "breaks, path",
    [
        (
            lambda p: p["sections"]["background"]["talents"].update(status="sure"),
            "sections.background.talents.status",
        ),
        (
            lambda p: p["factors"].update(
                overview_1=[
                    {
                        "factor_no": 1,
                        "factor_key": "asylum_procedure_outcome",
                        "status": "answered",
                        "score": -5,
                    }
                ]
            ),
            "factors.overview_1[0].score",
        ),
        (
            lambda p: p["sections"]["background"]["talents"]["provenance"].pop("message_ids"),
            "sections.background.talents.provenance",
        ),
        (
            lambda p: p["sections"]["background"].update(favourite_colour="blauw"),
            "sections.background.favourite_colour",
        ),
    ],
    ids=["wrong-enum", "score-outside-range", "missing-message-ids", "unknown-key"],
)
def test_replace_plan_rejects_invalid_plans_and_writes_nothing(db, chat, counsellor, breaks, path):
    plan, _ = _plan_with_answer(db, chat)
    broken = copy.deepcopy(plan)
    breaks(broken)
    changes_before = len(_changes(db))
    with pytest.raises(PlanInvalid) as caught:
        service.replace_plan(db, chat.id, broken, user_id=counsellor.id)
    assert caught.value.path == path
    db.rollback()
    assert service.get_plan(db, chat.id) == plan
    assert len(_changes(db)) == changes_before
    assert (
        db.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "plan.replaced")
        ).scalar()
        == 0
    )


def test_replace_plan_rejects_non_objects(db, chat, counsellor):
    with pytest.raises(PlanInvalid):
        service.replace_plan(db, chat.id, ["not", "a", "plan"], user_id=counsellor.id)


def test_edited_list_item_is_restamped_but_untouched_items_keep_client_provenance(db, chat, counsellor):
    first = _client_says(db, chat, "mijn broer")
    second = _client_says(db, chat, "de kerk")
    for message, who in ((first, "broer"), (second, "kerk")):
        service.record_answer(
            db,
            chat.id,
            "sections.support.supporters",
            {"category": "family", "who": who},
            message_id=message.id,
        )
    plan = service.get_plan(db, chat.id)
    edited = copy.deepcopy(plan)
    edited["sections"]["support"]["supporters"][1]["category"] = "religious_communities"
    stored = service.replace_plan(db, chat.id, edited, user_id=counsellor.id)
    broer, kerk = stored["sections"]["support"]["supporters"]
    assert broer["provenance"]["message_ids"] == [first.id]
    assert kerk["provenance"]["source"] == "counsellor_correction"


def test_counsellor_may_add_items_without_provenance(db, chat, counsellor):
    plan, _ = _plan_with_answer(db, chat)
    edited = copy.deepcopy(plan)
    edited["actions"].append(
        {
            "id": "a-console1",
            "section": "health",
            "kind": "medical_handover",
            "description": "dossier naar arts in Asmara",
            "owner": "counsellor",
            "status": "open",
            "agreed_by_client": True,
        }
    )
    stored = service.replace_plan(db, chat.id, edited, user_id=counsellor.id)
    action = stored["actions"][0]
    assert action["provenance"]["source"] == "counsellor_entry"
    assert action["provenance"]["recorded_by"] == str(counsellor.id)

"""A plan a counsellor can trust (issue 17.1): each answer shows the question it answered and the
client's words; answers the coach placed with doubt are marked; one step moves an answer to
another question (audited, refused for an approved plan, target checked against the schema)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot import sessions
from bot.db.models import AuditEvent
from bot.plan import service as plan_service

API = "/api/v1"
SAFE = {"category": "none", "flag": None, "matched": None}


@pytest.fixture
def misfiled(dbs, users):
    """Asked for talents, the client said "kok"; the coach filed it under country of origin.
    Asked who is around, "mijn moeder" went to the helpers, where it belongs."""
    with dbs() as db:
        chat = sessions.create_session(db, client_ref="MV-2025-001")
        sessions.add_message(
            db, chat, sender="bot", text="Waar bent u goed in?", utter_action="utter_ask_talents"
        )
        kok = sessions.add_message(
            db, chat, sender="client", text="kok", intent="inform", confidence=0.9, safety=SAFE
        )
        plan_service.record_answer(db, chat.id, "client_info.country_of_origin", "kok", message_id=kok.id)
        sessions.add_message(
            db,
            chat,
            sender="bot",
            text="Wie zijn er om u heen in Nederland?",
            utter_action="utter_ask_family_here",
        )
        mother = sessions.add_message(
            db, chat, sender="client", text="mijn moeder", intent="inform", confidence=0.9, safety=SAFE
        )
        plan_service.record_answer(
            db,
            chat.id,
            "sections.support.supporters",
            {"category": "family", "who": "mijn moeder", "helps_with": None, "where": "netherlands"},
            message_id=mother.id,
        )
        db.commit()
        return {"sid": chat.id, "kok": kok.id, "mother": mother.id}


async def _move(client, headers, sid, **body):
    return await client.post(f"{API}/staff/sessions/{sid}/plan/move", json=body, headers=headers)


async def test_the_review_names_the_question_and_marks_a_doubtful_placement(client, token_for, misfiled):
    anna = await token_for("anna")
    review = (await client.get(f"{API}/staff/sessions/{misfiled['sid']}/plan/review", headers=anna)).json()
    country = review["placements"]["client_info.country_of_origin"]
    assert country == {
        "question": "Waar bent u goed in?",
        "asked_slot": "talents",
        "message_id": misfiled["kok"],
        "doubt": True,
        "why": "het antwoord kwam op een andere vraag",
    }
    assert review["messages"][misfiled["kok"]]["text"] == "kok"
    helper = review["placements"]["sections.support.supporters[0]"]
    assert helper["question"] == "Wie zijn er om u heen in Nederland?" and helper["doubt"] is False


async def test_a_move_takes_the_clients_words_to_the_right_question_in_one_step(
    client, token_for, misfiled, dbs
):
    anna = await token_for("anna")
    sid = misfiled["sid"]
    before = (await client.get(f"{API}/staff/sessions/{sid}/plan", headers=anna)).json()
    moved = await _move(
        client,
        anna,
        sid,
        **{
            "from": "client_info.country_of_origin",
            "to": "sections.background.talents",
            "expected_updated_at": before["updated_at"],
        },
    )
    assert moved.status_code == 200, moved.text
    plan = moved.json()
    assert "country_of_origin" not in plan["client_info"]
    talents = plan["sections"]["background"]["talents"]
    assert talents["value"] == "kok" and talents["status"] == "answered"
    assert talents["provenance"]["source"] == "counsellor_correction"
    assert talents["provenance"]["message_ids"] == [misfiled["kok"]]  # still quotes the client
    review = (await client.get(f"{API}/staff/sessions/{sid}/plan/review", headers=anna)).json()
    assert review["placements"]["sections.background.talents"]["doubt"] is False
    assert review["placements"]["sections.background.talents"]["question"] == "Waar bent u goed in?"
    with dbs() as db:
        rows = db.execute(select(AuditEvent).where(AuditEvent.action == "plan.answer_moved")).scalars().all()
        assert [(r.object_id, r.detail) for r in rows] == [
            (sid, {"from": "client_info.country_of_origin", "to": "sections.background.talents"})
        ]
    history = (await client.get(f"{API}/staff/sessions/{sid}/plan/history", headers=anna)).json()
    changed = {(h["path"], h["user"]) for h in history if h["user"] == "anna"}
    assert ("client_info.country_of_origin", "anna") in changed and (
        "sections.background.talents",
        "anna",
    ) in changed


async def test_a_list_item_moves_to_a_note(client, token_for, misfiled):
    anna = await token_for("anna")
    moved = await _move(
        client,
        anna,
        misfiled["sid"],
        **{"from": "sections.support.supporters[0]", "to": "sections.practical_matters.note"},
    )
    assert moved.status_code == 200, moved.text
    plan = moved.json()
    assert plan["sections"]["support"].get("supporters") == []
    note = plan["sections"]["practical_matters"]["note"]
    assert note["value"] == "mijn moeder" and note["provenance"]["message_ids"] == [misfiled["mother"]]


@pytest.mark.parametrize(
    "target, words",
    [
        ("sections.background.nope", "unknown plan path"),
        ("sections.children.has_children", "no question that takes the client's words as text"),
        ("review.status", "no question that takes the client's words as text"),
        ("client_info.country_of_origin", "already there"),
    ],
)
async def test_a_target_outside_the_schemas_text_questions_is_refused(
    client, token_for, misfiled, target, words
):
    anna = await token_for("anna")
    before = (await client.get(f"{API}/staff/sessions/{misfiled['sid']}/plan", headers=anna)).json()
    refused = await _move(
        client, anna, misfiled["sid"], **{"from": "client_info.country_of_origin", "to": target}
    )
    assert refused.status_code == 422, refused.text
    assert words in refused.json()["detail"]
    after = (await client.get(f"{API}/staff/sessions/{misfiled['sid']}/plan", headers=anna)).json()
    assert after == before


async def test_an_approved_plan_or_a_stale_view_is_refused(client, token_for, misfiled, dbs):
    anna = await token_for("anna")
    sid = misfiled["sid"]
    stale = await _move(
        client,
        anna,
        sid,
        **{
            "from": "client_info.country_of_origin",
            "to": "sections.background.talents",
            "expected_updated_at": "2000-01-01T00:00:00Z",
        },
    )
    assert stale.status_code == 409 and stale.json()["reason"] == "stale"
    with dbs() as db:
        chat = sessions.get_session(db, sid)
        chat.status = "closed"
        db.commit()
    approved = await client.post(
        f"{API}/staff/sessions/{sid}/plan/approve", json={"confirm_incomplete": True}, headers=anna
    )
    assert approved.status_code == 200, approved.text
    refused = await _move(
        client, anna, sid, **{"from": "client_info.country_of_origin", "to": "sections.background.talents"}
    )
    assert refused.status_code == 409 and refused.json()["reason"] == "approved"
    assert "Trek de goedkeuring eerst in" in refused.json()["detail"]
    plan = (await client.get(f"{API}/staff/sessions/{sid}/plan", headers=anna)).json()
    assert plan["client_info"]["country_of_origin"]["value"] == "kok"
    assert plan["review"]["status"] == "counsellor_approved"

"""Approving a plan (issue 17): refused while the conversation is open, a confirmation for a
nearly empty plan, "Naam begeleider" on the print of an approved plan, notes kept."""

from __future__ import annotations

import pytest
from bot import plan_review, sessions
from bot.plan import service as plan_service

from records_fixtures import seed_finished_session

API = "/api/v1"


@pytest.fixture
def finished(dbs, users):
    with dbs() as db:
        sid = seed_finished_session(db)
        db.commit()
        return sid


@pytest.fixture
def sparse_open(dbs, users):
    """A conversation still with the coach whose plan holds two answers."""
    with dbs() as db:
        chat = sessions.create_session(db, client_ref="SP-2025-001")
        said = sessions.add_message(
            db,
            chat,
            sender="client",
            text="kok",
            intent="inform",
            confidence=0.8,
            safety={"category": "none", "flag": None, "matched": None},
        )
        plan_service.record_answer(db, chat.id, "sections.background.talents", "kok", message_id=said.id)
        plan_service.record_answer(db, chat.id, "client_info.country_of_origin", "Guinee", message_id=said.id)
        db.commit()
        return chat.id


async def _approve(client, headers, sid, **body):
    return await client.post(f"{API}/staff/sessions/{sid}/plan/approve", json=body or None, headers=headers)


@pytest.mark.parametrize("state", ["bot", "waiting_for_human", "human"])
async def test_approval_is_refused_while_the_conversation_is_open(
    client, token_for, sparse_open, dbs, users, state
):
    anna = await token_for("anna")
    with dbs() as db:
        chat = sessions.get_session(db, sparse_open)
        if state != "bot":
            handoff_msg = sessions.add_message(db, chat, sender="client", text="help")
            sessions.request_handoff(db, chat, reason="request", message_id=handoff_msg.id)
        if state == "human":
            sessions.take_over(db, chat, user_id=users["anna"])
        db.commit()
        assert chat.status == state
    refused = await _approve(client, anna, sparse_open, confirm_incomplete=True)
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["reason"] == "conversation_open" and body["open_sessions"] == [sparse_open]
    assert "Sluit het gesprek eerst af" in body["detail"] and "still open" in body["detail"]
    plan = (await client.get(f"{API}/staff/sessions/{sparse_open}/plan", headers=anna)).json()
    assert plan["review"]["status"] == "draft"


async def test_a_nearly_empty_plan_needs_a_confirmation_after_closing(client, token_for, sparse_open):
    anna = await token_for("anna")
    closed = await client.post(f"{API}/staff/sessions/{sparse_open}/close", headers=anna)
    assert closed.status_code == 200, closed.text
    refused = await _approve(client, anna, sparse_open)
    assert refused.status_code == 409
    body = refused.json()
    assert body["reason"] == "incomplete" and body["filled"] == 2 and body["total"] > 80
    assert f"maar 2 van de {body['total']}" in body["detail"]
    approved = await _approve(client, anna, sparse_open, confirm_incomplete=True)
    assert approved.status_code == 200, approved.text
    assert approved.json()["review"]["status"] == "counsellor_approved"


async def test_a_filled_closed_plan_is_approved_without_extra_steps(client, token_for, finished, dbs):
    anna = await token_for("anna")
    plan = (await client.get(f"{API}/staff/sessions/{finished}/plan", headers=anna)).json()
    assert plan_review.fill_counts(plan)["sparse"]  # 10 of 97: the seeded talk is short
    # The counsellor fills their own part of the form; then no extra confirmation is needed.
    for block in plan_review.form_layout():
        for field in block["fields"]:
            if (
                field["kind"] in ("text", "date")
                and field["who"] == "counsellor"
                and len(field["path"].split(".")) <= 3
            ):
                node = plan
                *parents, last = field["path"].split(".")
                for part in parents:
                    node = node.setdefault(part, {})
                if not (isinstance(node.get(last), dict) and node[last].get("value")):
                    node[last] = {
                        "value": "2025-01-01" if field["kind"] == "date" else "ingevuld",
                        "status": "answered",
                    }
    saved = await client.put(f"{API}/staff/sessions/{finished}/plan", json=plan, headers=anna)
    assert saved.status_code == 200, saved.text
    assert not plan_review.fill_counts(saved.json())["sparse"], plan_review.fill_counts(saved.json())
    approved = await _approve(client, anna, finished)
    assert approved.status_code == 200, approved.text


async def test_the_print_of_an_approved_plan_names_the_approving_counsellor(client, token_for, finished):
    anna = await token_for("anna")
    before = (await client.get(f"{API}/staff/sessions/{finished}/plan.html", headers=anna)).text
    assert "anna" not in before.split("Ondertekening")[1]
    assert (await _approve(client, anna, finished, confirm_incomplete=True)).status_code == 200
    printed = (await client.get(f"{API}/staff/sessions/{finished}/plan.html", headers=anna)).text
    signatures = printed.split("Ondertekening")[1]
    assert '<span class="filled">anna</span>' in signatures
    header = printed.split("Ondertekening")[0]
    name_row = header.split("Naam begeleider")[1][:200]
    assert "anna" in name_row


async def test_a_typed_counsellor_name_wins_over_the_approver(client, token_for, finished):
    anna = await token_for("anna")
    plan = (await client.get(f"{API}/staff/sessions/{finished}/plan", headers=anna)).json()
    plan["organisation_info"]["counsellor_name"] = {"value": "Mw. De Vries", "status": "answered"}
    assert (
        await client.put(f"{API}/staff/sessions/{finished}/plan", json=plan, headers=anna)
    ).status_code == 200
    assert (await _approve(client, anna, finished, confirm_incomplete=True)).status_code == 200
    printed = (await client.get(f"{API}/staff/sessions/{finished}/plan.html", headers=anna)).text
    assert '<span class="filled">Mw. De Vries</span>' in printed

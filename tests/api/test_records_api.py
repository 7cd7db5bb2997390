"""Records for counsellors: finding sessions, the transcript with its plan links,
the plan review (form, provenance, history, approval) and what the audit trail keeps.

The data is a realistic finished conversation written through the real services
(`records_fixtures.py`), closed yesterday, plus a few other sessions to filter out.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot import sessions
from bot.db.models import AuditEvent, PlanChange
from bot.plan import service as plan_service

from records_fixtures import CLIENT_REF, TURNS, message_by_text, seed_finished_session

API = "/api/v1"
SECTIONS = (
    "background",
    "goals",
    "goal_needs",
    "support",
    "children",
    "safety",
    "information",
    "health",
    "expectations_left_behind",
    "own_expectations",
    "practical_matters",
    "organisations_handover",
    "monitoring",
    "appointments",
)
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"><b>vet</b> & "quotes"'


def _yesterday():
    return (datetime.now(timezone.utc) - timedelta(days=1)).date()


@pytest.fixture
def seeded(dbs, users):
    """Yesterday's finished session, an older closed one, and one the bot still holds."""
    with dbs() as db:
        finished = seed_finished_session(db)
        older = seed_finished_session(db, client_ref="SY-2024-003", days_ago=12, with_handoff=False)
        chat = sessions.create_session(db, client_ref="ER-2025-101")
        sessions.add_message(db, chat, sender="bot", text="Welkom.")
        sessions.add_message(
            db,
            chat,
            sender="client",
            text="Ik weet het nog niet.",
            intent="inform",
            confidence=0.6,
            safety={"category": "none", "flag": None, "matched": None},
        )
        db.commit()
        return {"finished": finished, "older": older, "open": chat.id}


@pytest.fixture
def xss_session(dbs, users):
    """A session whose client wrote markup, and whose plan holds it as an answer and an action."""
    with dbs() as db:
        chat = sessions.create_session(db, client_ref="XSS-1")
        said = sessions.add_message(
            db,
            chat,
            sender="client",
            text=XSS,
            intent="inform",
            confidence=0.5,
            safety={"category": "none", "flag": None, "matched": None},
        )
        plan_service.record_answer(db, chat.id, "sections.background.talents", XSS, message_id=said.id)
        plan_service.add_action_item(
            db,
            chat.id,
            {"section": "goals", "kind": "other", "description": XSS, "owner": "client"},
            message_id=said.id,
        )
        db.commit()
        return chat.id


async def _list(client, headers, **params):
    response = await client.get(f"{API}/staff/sessions", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [s["id"] for s in response.json()], int(response.headers["X-Total-Count"])


def _audit(dbs, action):
    with dbs() as db:
        return list(
            db.execute(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            ).scalars()
        )


# --- the session list ----------------------------------------------------------------


async def test_every_filter_narrows_the_list(client, token_for, seeded):
    anna = await token_for("anna")
    finished, older, open_ = seeded["finished"], seeded["older"], seeded["open"]
    yesterday = _yesterday().isoformat()
    assert set((await _list(client, anna))[0]) == {finished, older, open_}
    assert set((await _list(client, anna, status="closed"))[0]) == {finished, older}
    assert (await _list(client, anna, status="bot"))[0] == [open_]
    assert set((await _list(client, anna, phase="verkrijgen"))[0]) == {finished, older}
    assert (await _list(client, anna, phase="verkennen"))[0] == [open_]
    # The hand-off of yesterday's session is over, but the filter finds sessions that had one.
    assert (await _list(client, anna, reason="request"))[0] == [finished]
    assert (await _list(client, anna, reason="crisis"))[0] == []
    assert (await _list(client, anna, **{"from": yesterday, "to": yesterday}))[0] == [finished]
    old_day = (_yesterday() - timedelta(days=11)).isoformat()
    assert (await _list(client, anna, **{"to": old_day}))[0] == [older]
    assert (await _list(client, anna, client_ref=CLIENT_REF.lower()))[0] == [finished]
    assert (await _list(client, anna, q="telefoonkaarten"))[0] == [finished, older]  # newest activity first
    assert (await _list(client, anna, q="weet het nog niet"))[0] == [open_]
    assert (await _list(client, anna, q="100%_"))[0] == []  # LIKE wildcards are searched as text
    combined = await _list(client, anna, status="closed", q="telefoonkaarten", **{"from": yesterday})
    assert combined == ([finished], 1)


async def test_the_list_is_paginated_with_a_total(client, token_for, seeded):
    anna = await token_for("anna")
    everything, total = await _list(client, anna)
    assert total == 3
    first, first_total = await _list(client, anna, limit=2)
    second, _ = await _list(client, anna, limit=2, offset=2)
    assert first_total == 3 and len(first) == 2 and len(second) == 1
    assert first + second == everything
    assert (await _list(client, anna, offset=10)) == ([], 3)


@pytest.mark.parametrize(
    "params, complaint",
    [
        ({"from": "2025-05-02", "to": "2025-05-01"}, "after"),
        ({"q": "x" * 201}, "q"),
        ({"reason": "boredom"}, "reason"),
        ({"phase": "dromen"}, "phase"),
        ({"from": "gisteren"}, "from"),
        ({"limit": 0}, "limit"),
    ],
    ids=["from-after-to", "long-query", "unknown-reason", "unknown-phase", "bad-date", "zero-limit"],
)
async def test_bad_filters_are_422_with_a_reason(client, token_for, seeded, params, complaint):
    response = await client.get(f"{API}/staff/sessions", params=params, headers=await token_for("anna"))
    assert response.status_code == 422
    assert complaint in response.json()["detail"]


async def test_browsing_records_is_audited_with_the_sessions_shown_but_the_queue_is_not(
    client, token_for, seeded, dbs
):
    anna = await token_for("anna")
    await _list(client, anna, status="waiting_for_human")  # the live queue, polled all day
    assert _audit(dbs, "read.session_list") == [] and _audit(dbs, "read.search") == []
    shown, _ = await _list(client, anna, status="closed")
    listed = _audit(dbs, "read.session_list")
    assert len(listed) == 1 and listed[0].username == "anna"
    assert listed[0].detail["shown"] == shown and listed[0].detail["results"] == 2
    await _list(client, anna, client_ref=CLIENT_REF)
    search = _audit(dbs, "read.search")[-1]
    # The audit names the person by a digest, never by the reference itself.
    assert CLIENT_REF not in str(search.detail) and search.detail["client_ref_digest"]
    assert search.detail["shown"] == [seeded["finished"]]


# --- the transcript -------------------------------------------------------------------


async def test_transcript_shows_every_turn_with_what_the_bot_understood(client, token_for, seeded):
    sid = seeded["finished"]
    detail = (await client.get(f"{API}/staff/sessions/{sid}", headers=await token_for("anna"))).json()
    messages = detail["messages"]
    assert [m["seq"] for m in messages] == list(range(1, len(messages) + 1))
    times = [m["at"] for m in messages]
    assert times == sorted(times) and all(times)
    assert {m["sender"] for m in messages} == {"bot", "client", "counsellor", "system"}
    country = next(m for m in messages if m["text"] == TURNS[0][1])
    assert (country["intent"], country["confidence"]) == ("inform", 0.94)
    assert country["entities"] == [{"entity": "country", "value": "Guinee"}]
    assert country["safety"]["category"] == "none"
    asked = next(m for m in messages if m["text"] == "Kan ik even met iemand praten?")
    assert asked["safety"]["flag"] == "request" and asked["intent"] == "request_human"
    # Hand-off, takeover, hand-back and close are marked in order, right after the request.
    events = [m["event"] for m in messages if m["sender"] == "system"]
    assert events == ["handoff:request", "takeover", "handback", "closed"]
    handoff_note = next(m for m in messages if m.get("event") == "handoff:request")
    assert handoff_note["seq"] == asked["seq"] + 1
    counsellor = next(m for m in messages if m["sender"] == "counsellor")
    assert counsellor["author"] == "anna"
    assert detail["handoffs"][0]["reason"] == "request" and detail["handoffs"][0]["taken_by"] == "anna"
    assert detail["handoffs"][0]["message_id"] == asked["id"]


async def test_plan_links_join_messages_and_fields_both_ways(client, token_for, seeded, dbs):
    sid = seeded["finished"]
    anna = await token_for("anna")
    links = (await client.get(f"{API}/staff/sessions/{sid}/plan/links", headers=anna)).json()
    with dbs() as db:
        talents_msg = message_by_text(db, sid, "Rekenen").id
        work_msg = message_by_text(db, sid, "Ik had een kleine winkel").id
    by_message = {}
    for link in links:
        by_message.setdefault(link["message_id"], []).append(link["path"])
    assert by_message[talents_msg] == ["sections.background.talents"]
    assert by_message[work_msg] == ["sections.background.work_experience"]  # two items, one link
    assert not any(path.endswith(".status") for paths in by_message.values() for path in paths)
    talents = next(link for link in links if link["path"] == "sections.background.talents")
    assert (
        talents["label"] == "1 Persoonlijke achtergrond: wat heeft u tot nu toe gedaan en waar liggen uw "
        "interesses? › Talenten: waar bent u goed in?"
    )
    assert talents["session_id"] == sid
    # The other way: the plan's answer names its message, and the review hands over that message.
    review = (await client.get(f"{API}/staff/sessions/{sid}/plan/review", headers=anna)).json()
    provenance = review["plan"]["sections"]["background"]["talents"]["provenance"]
    assert provenance["message_ids"] == [talents_msg] and provenance["source"] == "client_message"
    source = review["messages"][talents_msg]
    assert source["text"] == TURNS[2][1] and source["session_id"] == sid and source["sender"] == "client"
    assert {link["message_id"] for link in review["links"]} == set(by_message)


# --- the plan review --------------------------------------------------------------------


async def test_review_has_every_section_of_the_form_with_labels_and_who_fills_it(client, token_for, seeded):
    review = (
        await client.get(
            f"{API}/staff/sessions/{seeded['finished']}/plan/review", headers=await token_for("anna")
        )
    ).json()
    blocks = {b["key"]: b for b in review["layout"]}
    assert [b["key"] for b in review["layout"] if b["section"]] == list(SECTIONS)
    assert {"organisation_info", "client_info", "provisional_decision", "actions"} <= set(blocks)
    assert blocks["children"]["label"] == "4 Kinderen" and blocks["children"]["sensitivity"] == "children"
    fields = {f["path"]: f for b in review["layout"] for f in b["fields"]}
    assert fields["sections.background.talents"]["who"] == "client"
    assert fields["sections.safety.legal_check_advised"]["who"] == "counsellor"
    assert fields["organisation_info.counsellor_name"]["who"] == "counsellor"
    assert fields["sections.health.physical_complaints"]["kind"] == "yes_no"
    action_fields = {f["key"] for f in fields["actions"]["item_fields"]}
    assert {"description", "owner", "due_date", "status", "agreed_by_client"} <= action_fields
    assert ["counsellor_approved", "goedgekeurd door begeleider"] in review["review_options"]
    assert len(review["plan"]["actions"]) == 3


async def test_a_correction_is_stored_with_who_when_old_and_new(client, token_for, seeded, dbs, users):
    sid = seeded["finished"]
    anna = await token_for("anna")
    plan = (await client.get(f"{API}/staff/sessions/{sid}/plan", headers=anna)).json()
    old_value = plan["sections"]["background"]["talents"]["value"]
    edited = copy.deepcopy(plan)
    edited["sections"]["background"]["talents"]["value"] = "Rekenen, handel drijven, talen"
    edited["sections"]["safety"]["legal_check_advised"] = {"value": False, "status": "answered"}
    response = await client.put(f"{API}/staff/sessions/{sid}/plan", json=edited, headers=anna)
    assert response.status_code == 200, response.text
    saved = response.json()
    talents = saved["sections"]["background"]["talents"]
    # The client's words were changed by a person: the plan no longer credits the client.
    assert talents["provenance"]["source"] == "counsellor_correction"
    assert talents["provenance"]["recorded_by"] == str(users["anna"])
    assert saved["sections"]["safety"]["legal_check_advised"]["provenance"]["source"] == "counsellor_entry"

    history = (await client.get(f"{API}/staff/sessions/{sid}/plan/history", headers=anna)).json()
    newest = {h["path"]: h for h in history[:2]}
    change = newest["sections.background.talents"]
    assert change["user"] == "anna" and change["source"] == "counsellor_correction"
    assert change["old"]["value"] == old_value and change["new"]["value"] == "Rekenen, handel drijven, talen"
    assert change["label"].endswith("Talenten: waar bent u goed in?")
    when = datetime.fromisoformat(change["at"].replace("Z", "+00:00"))
    assert abs(datetime.now(timezone.utc) - when.replace(tzinfo=when.tzinfo or timezone.utc)) < timedelta(
        minutes=5
    )
    assert newest["sections.safety.legal_check_advised"]["old"] is None
    assert newest["sections.safety.legal_check_advised"]["source"] == "counsellor_entry"
    bot_writes = [h for h in history if h["path"] == "sections.background.talents" and h["user"] is None]
    assert bot_writes and bot_writes[0]["source"] == "client_message"  # the original answer stays in history
    corrected = _audit(dbs, "plan.corrected")
    assert corrected[-1].object_id == sid and corrected[-1].username == "anna"
    assert set(corrected[-1].detail["paths"]) == {
        "sections.background.talents",
        "sections.safety.legal_check_advised",
    }


async def test_saving_an_unchanged_plan_records_no_change(client, token_for, seeded, dbs):
    sid = seeded["finished"]
    anna = await token_for("anna")
    plan = (await client.get(f"{API}/staff/sessions/{sid}/plan", headers=anna)).json()
    with dbs() as db:
        before = len(list(db.execute(select(PlanChange)).scalars()))
    assert (await client.put(f"{API}/staff/sessions/{sid}/plan", json=plan, headers=anna)).status_code == 200
    with dbs() as db:
        assert len(list(db.execute(select(PlanChange)).scalars())) == before


async def test_action_items_can_be_added_edited_and_removed_with_history(client, token_for, seeded):
    sid = seeded["finished"]
    anna = await token_for("anna")
    plan = (await client.get(f"{API}/staff/sessions/{sid}/plan", headers=anna)).json()
    first, second, third = plan["actions"]
    first = {**first, "status": "done"}
    new_item = {
        "id": "a-new-1",
        "section": "health",
        "kind": "care_referral",
        "owner": "counsellor",
        "description": "Afspraak bij de huisarts over medicijnen",
        "status": "open",
        "agreed_by_client": True,
    }
    plan["actions"] = [first, third, new_item]  # second removed
    response = await client.put(f"{API}/staff/sessions/{sid}/plan", json=plan, headers=anna)
    assert response.status_code == 200, response.text
    actions = {a["id"]: a for a in response.json()["actions"]}
    assert set(actions) == {first["id"], third["id"], "a-new-1"}
    assert actions[first["id"]]["status"] == "done"
    assert actions["a-new-1"]["provenance"]["source"] == "counsellor_entry"
    history = (await client.get(f"{API}/staff/sessions/{sid}/plan/history", headers=anna)).json()
    change = next(h for h in history if h["path"] == "actions" and h["user"] == "anna")
    assert second["id"] in {a["id"] for a in change["old"]}
    assert second["id"] not in {a["id"] for a in change["new"]}


async def test_approve_then_a_change_withdraws_the_approval(client, token_for, seeded, dbs):
    sid = seeded["finished"]
    anna = await token_for("anna")
    plan = (await client.get(f"{API}/staff/sessions/{sid}/plan", headers=anna)).json()
    stale = plan["updated_at"]
    approved = await client.post(
        f"{API}/staff/sessions/{sid}/plan/approve",
        json={"expected_updated_at": stale, "confirm_incomplete": True},
        headers=anna,
    )
    assert approved.status_code == 200, approved.text
    review = approved.json()["review"]
    assert (
        review["status"] == "counsellor_approved"
        and review["approved_by"] == "anna"
        and review["approved_at"]
    )
    assert _audit(dbs, "plan.approved")[-1].object_id == sid
    # Approving what someone else changed meanwhile is refused.
    again = await client.post(
        f"{API}/staff/sessions/{sid}/plan/approve", json={"expected_updated_at": stale}, headers=anna
    )
    assert again.status_code == 409 and "changed" in again.json()["detail"]

    current = approved.json()
    current["sections"]["background"]["interests"] = {"value": "Voetbal", "status": "answered"}
    edited = await client.put(f"{API}/staff/sessions/{sid}/plan", json=current, headers=anna)
    assert edited.json()["review"]["status"] == "draft"  # the approved print must match what was approved
    assert _audit(dbs, "plan.approval_withdrawn")[-1].detail == {"reason": "content changed"}

    await client.post(
        f"{API}/staff/sessions/{sid}/plan/approve", json={"confirm_incomplete": True}, headers=anna
    )
    reopened = await client.post(f"{API}/staff/sessions/{sid}/plan/reopen", headers=anna)
    assert reopened.status_code == 200 and reopened.json()["review"] == {"status": "draft"}
    history = (await client.get(f"{API}/staff/sessions/{sid}/plan/history", headers=anna)).json()
    assert [h["new"] for h in history if h["path"] == "review.status"][:2] == ["draft", "counsellor_approved"]


async def test_a_stale_put_is_409_and_changes_nothing(client, token_for, seeded, counts):
    sid = seeded["finished"]
    anna = await token_for("anna")
    plan = (await client.get(f"{API}/staff/sessions/{sid}/plan", headers=anna)).json()
    plan["sections"]["background"]["interests"] = {"value": "Koken", "status": "answered"}
    before = counts()
    response = await client.put(
        f"{API}/staff/sessions/{sid}/plan", json=plan, headers={**anna, "If-Match": "2000-01-01T00:00:00Z"}
    )
    assert response.status_code == 409
    assert counts() == before


@pytest.mark.parametrize("path", ["plan/review", "plan/history", "plan/links"])
async def test_plan_records_of_an_unknown_session_are_404(client, token_for, path):
    response = await client.get(f"{API}/staff/sessions/{'0' * 32}/{path}", headers=await token_for("anna"))
    assert response.status_code == 404


@pytest.mark.parametrize("step", ["approve", "reopen"])
async def test_approval_steps_of_an_unknown_session_are_404(client, token_for, step):
    response = await client.post(
        f"{API}/staff/sessions/{'0' * 32}/plan/{step}", headers=await token_for("anna")
    )
    assert response.status_code == 404


# --- every read is audited ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path, action",
    [
        ("", "read.session"),
        ("/plan", "read.plan"),
        ("/plan/review", "read.plan"),
        ("/plan/history", "read.plan_history"),
        ("/plan/links", "read.plan_links"),
        ("/plan.html", "read.plan_print"),
    ],
    ids=["transcript", "plan-json", "plan-review", "plan-history", "plan-links", "plan-html"],
)
async def test_every_read_of_a_session_or_plan_is_audited(client, token_for, seeded, dbs, path, action):
    sid = seeded["finished"]
    before = len(_audit(dbs, action))
    response = await client.get(f"{API}/staff/sessions/{sid}{path}", headers=await token_for("anna"))
    assert response.status_code == 200
    events = _audit(dbs, action)
    assert len(events) == before + 1
    assert (events[-1].username, events[-1].object_id) == ("anna", sid)
    assert events[-1].created_at is not None


# --- markup from clients stays text --------------------------------------------------------


async def test_markup_in_client_text_comes_back_as_plain_json_text(client, token_for, xss_session):
    anna = await token_for("anna")
    detail = await client.get(f"{API}/staff/sessions/{xss_session}", headers=anna)
    assert detail.headers["content-type"].startswith("application/json")
    assert [m["text"] for m in detail.json()["messages"]] == [
        XSS
    ]  # byte for byte, neither escaped nor stripped
    review = (await client.get(f"{API}/staff/sessions/{xss_session}/plan/review", headers=anna)).json()
    assert review["plan"]["sections"]["background"]["talents"]["value"] == XSS
    assert review["plan"]["actions"][0]["description"] == XSS
    assert next(iter(review["messages"].values()))["text"] == XSS
    listed = (await client.get(f"{API}/staff/sessions", params={"q": "onerror"}, headers=anna)).json()
    assert listed[0]["last_message"] == XSS[:120]


async def test_markup_in_client_text_is_escaped_in_the_printable_plan(client, token_for, xss_session):
    page = await client.get(f"{API}/staff/sessions/{xss_session}/plan.html", headers=await token_for("anna"))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    body = page.text
    assert "<script>window" not in body and "<img" not in body and "<b>vet" not in body
    # Jinja2's autoescape (markupsafe) writes a double quote as &#34;.
    escaped = "&lt;script&gt;window.__xss=1&lt;/script&gt;&lt;img src=x onerror=&#34;window.__xss=2&#34;&gt;"
    assert body.count(escaped) == 2  # the talents answer and the action
    assert "&amp; &#34;quotes&#34;" in body


# --- the printable form ---------------------------------------------------------------------


async def test_the_printable_plan_is_a_whole_form(client, token_for, seeded):
    sid = seeded["finished"]
    anna = await token_for("anna")
    plan = (await client.get(f"{API}/staff/sessions/{sid}/plan", headers=anna)).json()
    plan["organisation_info"]["counsellor_name"] = {"value": "Anna de Vries", "status": "answered"}
    plan["factors"]["overview_1"] = [
        {
            "factor_no": 5,
            "factor_key": "origin_work",
            "score": 2,
            "status": "answered",
            "explanation": "Daar kan ik weer handel drijven",
        }
    ]
    assert (await client.put(f"{API}/staff/sessions/{sid}/plan", json=plan, headers=anna)).status_code == 200
    page = (await client.get(f"{API}/staff/sessions/{sid}/plan.html", headers=anna)).text
    # Organisation header, client details, every section, the action table, signatures.
    assert "Persoonlijk actieplan" in page and "Toekomstcoach T-room" in page and CLIENT_REF in page
    for label in ("4 Kinderen", "7 Gezondheid", "13 Afspraken", "Acties: wat gaat u doen", "Ondertekening"):
        assert label in page, label
    assert (
        page.count('<div class="line"><span class="filled">Anna de Vries</span>') == 1
    )  # counsellor's signature line
    # Overzicht 1 lists all 19 factors with tick boxes; the one scored ++ is ticked, and no totals are printed.
    assert page.count("<tr><td>") >= 19 and "19 Psychische gezondheid" in page
    factor_row = page.split("5 Werken (land van herkomst)</td>", 1)[1].split("</tr>", 1)[0]
    assert factor_row.count("☒") == 1 and factor_row.index("☒") > factor_row.index("☐") > -1
    assert "Daar kan ik weer handel drijven" in factor_row
    assert "Totaal -" not in page and "Totaal +" not in page
    # Six numbered appointment lines, as on the paper form; labels read as Dutch, not as JSON keys.
    appointments = page.split("Onze volgende afspraak is op (1-6)", 1)[1].split("</table>", 1)[0]
    assert [n for n in "123456" if f"<td>{n}</td>" in appointments] == list("123456")
    assert "section = " not in page and "Safe Future" not in page

"""Retention: closed sessions past the period lose every word a person said; statistics stay.

Driven with a fake clock (``now``), through the domain function and the CLI.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot import accounts, retention, sessions
from bot.db.engine import make_sessionmaker
from bot.db.models import AuditEvent, ChatSession, Handoff, Message, Plan, PlanChange
from bot.plan import service as plan_service
from bot.plan.schema import validate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "api"))
from records_fixtures import CLIENT_REF, TURNS, seed_finished_session  # noqa: E402

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
DAYS = 30
# Every word the client typed, and what the counsellor wrote: none may survive anonymisation.
CLIENT_WORDS = [answer for _, answer, _, _ in TURNS if len(answer) > 3] + [
    "Kindia",
    "Sekou",
    "moskee",
    "Kan ik even met iemand praten",
    "Ik ben er. Zullen we",
    "Rekenen, handel drijven",
]


@pytest.fixture
def maker(sqlite_url):
    return make_sessionmaker(sqlite_url)


@pytest.fixture
def old_session(maker):
    """A finished session closed 40 days before NOW (past a 30-day period)."""
    with maker() as db:
        accounts.create_user(db, "anna", "counsellor", "anna-password")
        sid = seed_finished_session(db, now=NOW, days_ago=40)
        db.commit()
    return sid


def _everything_as_text(db) -> str:
    """All stored rows of the conversation tables, as one string to search in."""
    parts = []
    for table in ("sessions", "messages", "handoffs", "plans", "plan_changes", "audit_events"):
        for row in db.execute(text(f"SELECT * FROM {table}")):
            parts.append(json.dumps([str(v) for v in row], ensure_ascii=False))
    return "\n".join(parts)


def test_a_closed_session_past_the_period_loses_all_client_text(maker, old_session):
    with maker() as db:
        before = {
            m.id: (m.sender, m.intent, m.confidence, (m.safety or {}).get("category"))
            for m in db.execute(select(Message).where(Message.session_id == old_session)).scalars()
        }
        report = retention.run(db, now=NOW, retention_days=DAYS)
        db.commit()
        assert report.sessions == [old_session] and len(report.plans) == 1
        assert report.messages == len(before)

    with maker() as db:
        everything = _everything_as_text(db)
        for words in CLIENT_WORDS:
            assert words not in everything, f"{words!r} survived anonymisation"
        assert CLIENT_REF not in everything

        chat = db.get(ChatSession, old_session)
        assert chat.anonymised_at == NOW and chat.client_ref is None
        assert (chat.status, chat.phase) == ("closed", "verkrijgen")  # statistics stay
        messages = list(db.execute(select(Message).where(Message.session_id == old_session)).scalars())
        after = {m.id: (m.sender, m.intent, m.confidence, (m.safety or {}).get("category")) for m in messages}
        assert after == before  # who spoke, what the bot understood and the safety category stay
        assert all(m.text == "" for m in messages if m.sender != "system")
        assert {m.text for m in messages if m.sender == "system"} >= {"handoff:request", "takeover", "closed"}
        assert all("matched" not in (m.safety or {}) for m in messages)
        country = next(m for m in messages if m.entities)
        assert country.entities == [{"entity": "country"}]  # which entity, not the words
        assert [
            h.reason for h in db.execute(select(Handoff).where(Handoff.session_id == old_session)).scalars()
        ] == ["request"]


def test_the_plan_keeps_its_shape_and_choices_but_no_free_text(maker, old_session):
    with maker() as db:
        retention.run(db, now=NOW, retention_days=DAYS)
        db.commit()
    with maker() as db:
        plan = plan_service.get_plan(db, old_session)
        validate(plan)  # still a valid plan for the statistics
        talents = plan["sections"]["background"]["talents"]
        assert talents["status"] == "answered" and talents["value"] is None
        assert plan["provisional_decision"]["option"]["value"] == "return_with_support"
        assert plan["provisional_decision"]["importance"]["value"] == 8
        assert plan["sections"]["safety"]["worried"]["value"] is False
        supporters = plan["sections"]["support"]["supporters"]
        assert [(s["category"], s.get("who"), s.get("helps_with")) for s in supporters] == [
            ("family", None, None),
            ("religious_communities", None, None),
        ]
        assert {a["kind"] for a in plan["actions"]} == {
            "training_course",
            "contact_family",
            "return_support_application",
        }
        assert all(a["description"] == "" and a.get("owner_name") is None for a in plan["actions"])
        assert plan["client_info"] == {} and plan["client_ref"] is None
        assert db.get(Plan, db.get(ChatSession, old_session).plan_id).client_ref is None
        changes = list(db.execute(select(PlanChange)).scalars())
        assert changes and all(c.path for c in changes)  # the history keeps when and where, not what


def test_sessions_inside_the_period_and_open_sessions_are_left_alone(maker):
    with maker() as db:
        accounts.create_user(db, "anna", "counsellor", "anna-password")
        recent = seed_finished_session(db, now=NOW, days_ago=10, client_ref="R-1")
        ancient_open = sessions.create_session(db, client_ref="R-2")
        sessions.add_message(db, ancient_open, sender="client", text="nog bezig")
        ancient_open.started_at = NOW - timedelta(days=400)
        db.commit()
        ancient_id = ancient_open.id
    with maker() as db:
        report = retention.run(db, now=NOW, retention_days=DAYS)
        db.commit()
        assert report.sessions == [] and report.plans == []
        assert db.execute(select(AuditEvent).where(AuditEvent.action == "retention.run")).first() is None
    with maker() as db:
        assert db.get(ChatSession, recent).anonymised_at is None
        assert db.get(ChatSession, ancient_id).client_ref == "R-2"
        assert "Rekenen, handel drijven" in _everything_as_text(db)


def test_a_plan_still_used_by_an_open_session_is_kept_until_that_one_is_due(maker, old_session):
    with maker() as db:
        again = sessions.create_session(db, client_ref=CLIENT_REF)  # the client came back: same plan
        db.commit()
        again_id = again.id
    with maker() as db:
        report = retention.run(db, now=NOW, retention_days=DAYS)
        db.commit()
        assert report.sessions == [old_session] and report.plans == []
        plan = plan_service.get_plan(db, again_id)
        assert (
            plan["sections"]["background"]["talents"]["value"] == "Rekenen, handel drijven, met mensen praten"
        )
    with maker() as db:
        chat = db.get(ChatSession, again_id)
        sessions.close(db, chat)
        chat.closed_at = NOW - timedelta(days=31)
        db.commit()
    with maker() as db:
        report = retention.run(db, now=NOW, retention_days=DAYS)
        db.commit()
        assert report.sessions == [again_id] and len(report.plans) == 1
        assert plan_service.get_plan(db, again_id)["sections"]["background"]["talents"]["value"] is None


def test_running_twice_changes_nothing_more_and_is_audited_once(maker, old_session):
    with maker() as db:
        first = retention.run(db, now=NOW, retention_days=DAYS)
        db.commit()
    with maker() as db:
        second = retention.run(db, now=NOW + timedelta(days=1), retention_days=DAYS)
        db.commit()
        assert first.sessions and second.sessions == [] and second.plans == []
        runs = list(db.execute(select(AuditEvent).where(AuditEvent.action == "retention.run")).scalars())
        assert len(runs) == 1 and runs[0].detail["sessions_anonymised"] == 1


def test_a_naive_clock_or_a_zero_period_is_refused(maker):
    with maker() as db:
        with pytest.raises(ValueError, match="timezone"):
            retention.run(db, now=datetime(2026, 1, 1), retention_days=DAYS)
        with pytest.raises(ValueError, match="at least 1"):
            retention.run(db, now=NOW, retention_days=0)


def _audit_rows_aged(db, days_ago):
    """One audit row per age in ``days_ago``, dated that many days before NOW; their ids."""
    from bot import audit

    rows = []
    for age in days_ago:
        event = audit.record(
            db, user="anna", action="session.read", object_type="session", object_id=f"s{age}"
        )
        event.created_at = NOW - timedelta(days=age)
        rows.append(event)
    db.flush()
    return {age: row.id for age, row in zip(days_ago, rows)}


def test_audit_rows_past_their_own_period_are_deleted_and_the_run_says_how_many(maker):
    with maker() as db:
        ids = _audit_rows_aged(db, [800, 731, 729, 10])
        db.commit()
    with maker() as db:
        report = retention.run(db, now=NOW, retention_days=DAYS, audit_retention_days=730)
        db.commit()
        assert report.audit_purged == 2
        left = {e.id for e in db.execute(select(AuditEvent)).scalars()}
        assert ids[729] in left and ids[10] in left
        assert ids[800] not in left and ids[731] not in left
        run = db.execute(select(AuditEvent).where(AuditEvent.action == "retention.run")).scalar_one()
        assert run.detail["audit_events_purged"] == 2 and run.detail["audit_retention_days"] == 730
    with maker() as db:  # the second run finds nothing more to delete and writes no row
        assert retention.run(db, now=NOW, retention_days=DAYS, audit_retention_days=730).audit_purged == 0
    with maker() as db:
        with pytest.raises(ValueError, match="at least 1 day"):
            retention.run(db, now=NOW, retention_days=DAYS, audit_retention_days=0)


# --- the command --------------------------------------------------------------------------


def test_coach_retention_run_with_a_fake_clock(maker, old_session, sqlite_url, clean_env, capsys):
    from cli.main import main

    clean_env.setenv("COACH_DATABASE_URL", sqlite_url)
    clean_env.setenv("COACH_RETENTION_DAYS", "60")
    assert main(["retention", "run", "--now", "2026-06-01T12:00:00Z"]) == 0
    assert "0 session(s)" in capsys.readouterr().out  # 40 days old < 60-day period
    assert main(["retention", "run", "--now", "2026-06-01T12:00:00Z", "--days", "30"]) == 0
    assert "1 session(s) and 1 plan(s) anonymised" in capsys.readouterr().out
    with maker() as db:
        assert db.get(ChatSession, old_session).anonymised_at == NOW
        event = db.execute(select(AuditEvent).where(AuditEvent.action == "retention.run")).scalar_one()
        assert event.username == "cli"


def test_coach_retention_run_trims_the_audit_log_by_its_setting(maker, sqlite_url, clean_env, capsys):
    from cli.main import main

    with maker() as db:
        ids = _audit_rows_aged(db, [400, 100])
        db.commit()
    clean_env.setenv("COACH_DATABASE_URL", sqlite_url)
    clean_env.setenv("COACH_AUDIT_RETENTION_DAYS", "365")
    assert main(["retention", "run", "--now", "2026-06-01T12:00:00Z"]) == 0
    assert "1 audit row(s) older than 365 days deleted" in capsys.readouterr().out
    with maker() as db:
        left = {e.id for e in db.execute(select(AuditEvent)).scalars()}
        assert ids[100] in left and ids[400] not in left


@pytest.mark.parametrize(
    "argv, message",
    [
        (["retention", "run", "--now", "gisteren"], "not an ISO 8601"),
        (["retention", "run", "--days", "0"], "at least 1"),
    ],
)
def test_coach_retention_run_refuses_bad_input(sqlite_url, clean_env, argv, message):
    from cli.main import main

    clean_env.setenv("COACH_DATABASE_URL", sqlite_url)
    with pytest.raises(SystemExit, match=message):
        main(argv)

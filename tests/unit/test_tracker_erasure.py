"""Erasure that erases (issue 14.9): Rasa's tracker store forgets deleted and anonymised
conversations too, whether it is SQL (PostgreSQL in production) or in memory (dev).

The SQL test writes trackers with Rasa's own SQLTrackerStore on the local PostgreSQL and
reads them back through it; the in-memory test talks HTTP to a fake Rasa that answers
`PUT /conversations/{id}/tracker/events` as Rasa does.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, List
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import create_engine, select, text

from bot import accounts, retention, sessions, tracker_erasure
from bot.db.engine import make_sessionmaker
from bot.db.models import AuditEvent, ChatSession
from bot.rasa_endpoints import tracker_store_config

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "api"))
from records_fixtures import CLIENT_REF, seed_finished_session  # noqa: E402

WORDS = "Ik slaap nu bij mijn neef in Tilburg."


# --- SQL tracker store: Rasa's own store on the local PostgreSQL --------------------------------


def _rasa_sql_store(url: str):
    pytest.importorskip("rasa")
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    config = tracker_store_config(url)
    return SQLTrackerStore(
        domain=Domain.empty(),
        dialect=config["dialect"],
        host=config["url"],
        port=config["port"],
        db=config["db"],
        username=config.get("username"),
        password=config.get("password"),
        query=config.get("query"),
    )


def _save_conversation(store, sender_id: str) -> None:
    from rasa.shared.core.events import SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker(sender_id, slots=[])
    tracker.update(UserUttered(WORDS, intent={"name": "inform", "confidence": 0.9}))
    tracker.update(SlotSet("situation", WORDS))
    asyncio.run(store.save(tracker))


def _texts(store, sender_id: str) -> List[str]:
    tracker = asyncio.run(store.retrieve_full_tracker(sender_id))
    if tracker is None:
        return []
    return [json.dumps(e.as_dict(), ensure_ascii=False) for e in tracker.events]


def test_the_sql_tracker_store_on_postgresql_loses_exactly_the_erased_conversations(pg_empty_url):
    store = _rasa_sql_store(pg_empty_url)
    gone, other = "a" * 32, "b" * 32
    for sender in (gone, other):
        _save_conversation(store, sender)
    assert any(WORDS in t for t in _texts(store, gone))

    report = tracker_erasure.erase_sql(pg_empty_url, [gone, "c" * 32])
    assert report.complete and report.store == "sql" and report.rows_deleted == 2
    assert not any(WORDS in t for t in _texts(store, gone))
    engine = create_engine(pg_empty_url, future=True)
    with engine.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": gone}).scalar() == 0
        )
        assert (
            conn.execute(text("SELECT count(*) FROM events WHERE data LIKE :w"), {"w": "%Tilburg%"}).scalar()
            == 2
        )
    engine.dispose()
    assert any(WORDS in t for t in _texts(store, other))  # someone else's conversation stays
    store.engine.dispose()


def test_a_tracker_store_rasa_never_wrote_to_is_nothing_to_erase(pg_empty_url):
    report = tracker_erasure.erase_sql(pg_empty_url, ["a" * 32])
    assert report.complete and report.rows_deleted == 0


def test_an_unreachable_sql_store_is_reported(tmp_path):
    report = tracker_erasure.erase_sql("postgresql+psycopg2://nobody@127.0.0.1:1/none", ["a" * 32])
    assert not report.complete and report.failed == ["sql: OperationalError"]


# --- in-memory tracker store: a fake Rasa over HTTP ----------------------------------------------


class FakeRasaServer:
    """Rasa's `PUT /conversations/{id}/tracker/events?token=…` over real HTTP, trackers in memory."""

    def __init__(self, token: str = "rasa-token") -> None:
        self.token = token
        self.trackers: Dict[str, list] = {}
        self.requests: List[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self):  # noqa: N802
                parts = urlsplit(self.path)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append({"path": parts.path, "query": parse_qs(parts.query), "body": body})
                if parse_qs(parts.query).get("token") != [outer.token]:
                    self.send_response(401)
                    self.end_headers()
                    return
                sender = parts.path.split("/")[2]
                outer.trackers[sender] = body  # "will override an existing tracker with the same id"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_rasa_server_empties_the_trackers_through_its_http_api():
    with FakeRasaServer() as one, FakeRasaServer() as two:
        for fake in (one, two):
            fake.trackers = {
                "a" * 32: [{"event": "user", "text": WORDS}],
                "b" * 32: [{"event": "user", "text": "x"}],
            }
        report = tracker_erasure.erase_in_memory([one.url, two.url + "/"], "rasa-token", ["a" * 32])
        assert report.complete and report.forgotten == 2 and report.store == "memory"
        for fake in (one, two):
            assert fake.trackers["a" * 32] == [] and fake.trackers["b" * 32] != []
            assert fake.requests == [
                {
                    "path": f"/conversations/{'a' * 32}/tracker/events",
                    "query": {"token": ["rasa-token"]},
                    "body": [],
                }
            ]


def test_a_wrong_token_or_a_stopped_rasa_is_reported():
    with FakeRasaServer(token="other") as fake:
        stopped = f"http://127.0.0.1:{_free_port()}"
        report = tracker_erasure.erase_in_memory([fake.url, stopped], "rasa-token", ["a" * 32, "b" * 32])
    assert not report.complete
    assert report.failed == [f"{fake.url}: HTTP 401", f"{fake.url}: HTTP 401"]
    assert report.not_running == [stopped]  # nothing listens there: no memory holds the talk


def test_erase_follows_the_settings(tmp_path, clean_env):
    from bot.settings import Settings

    calls = []
    settings = Settings(
        env="test",
        database_url=f"sqlite:///{tmp_path / 'a.db'}",
        rasa_urls=["http://r1:5005"],
        rasa_token="t",
    )
    report = tracker_erasure.erase(
        settings, ["s1", "", "s1"], put=lambda url, params, body: calls.append((url, params, body)) or 200
    )
    assert report.complete and calls == [
        ("http://r1:5005/conversations/s1/tracker/events", {"token": "t"}, [])
    ]
    sql = settings.copy(update={"tracker_store_url": f"sqlite:///{tmp_path / 'tracker.db'}"})
    assert tracker_erasure.erase(sql, ["s1"]).store == "sql"


# --- retention: idle sessions closed, anonymised ones erased from Rasa -----------------------------

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)


def test_retention_closes_idle_sessions_so_they_can_be_anonymised(sqlite_url):
    maker = make_sessionmaker(sqlite_url)
    with maker() as db:
        walked_away = sessions.create_session(db)
        waiting = sessions.create_session(db)
        sessions.request_handoff(db, waiting, reason="request", message_id=None)
        for row, minutes in ((walked_away, 61), (waiting, 61)):
            row.last_message_at = NOW - timedelta(minutes=minutes)
        db.commit()
        ids = (walked_away.id, waiting.id)
    with maker() as db:
        report = retention.run(
            db, now=NOW, retention_days=30, idle_close_minutes=60, idle_close_staff_minutes=24 * 60
        )
        db.commit()
        assert report.idle_closed == [ids[0]] and report.as_dict()["idle_sessions_closed"] == 1
        assert [db.get(ChatSession, i).status for i in ids] == ["closed", "waiting_for_human"]
    with maker() as db:  # 30 days later retention reaches it
        later = retention.run(
            db,
            now=NOW + timedelta(days=31),
            retention_days=30,
            idle_close_minutes=60,
            idle_close_staff_minutes=24 * 60,
        )
        db.commit()
        assert ids[0] in later.sessions and ids[1] in later.idle_closed


def test_coach_retention_run_erases_the_anonymised_sessions_from_the_sql_tracker_store(
    sqlite_url, tmp_path, clean_env, capsys
):
    from cli.main import main

    maker = make_sessionmaker(sqlite_url)
    with maker() as db:
        accounts.create_user(db, "anna", "counsellor", "anna-password")
        old = seed_finished_session(db, now=NOW, days_ago=40)
        db.commit()
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = create_engine(tracker_url, future=True)
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
                "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
                "action_name VARCHAR(255), data TEXT)"
            )
        )
        for sender in (old, "recent-session"):
            conn.execute(
                text("INSERT INTO events (sender_id, type_name, data) VALUES (:s, 'user', :d)"),
                {"s": sender, "d": json.dumps({"text": WORDS})},
            )
    clean_env.setenv("COACH_DATABASE_URL", sqlite_url)
    clean_env.setenv("COACH_TRACKER_STORE_URL", tracker_url)
    assert main(["retention", "run", "--now", "2026-06-01T12:00:00Z", "--days", "30"]) == 0
    out = capsys.readouterr().out
    assert "1 session(s) and 1 plan(s) anonymised" in out and "1 conversation(s) erased" in out
    with engine.connect() as conn:
        assert [r[0] for r in conn.execute(text("SELECT sender_id FROM events"))] == ["recent-session"]
    engine.dispose()
    with maker() as db:
        event = db.execute(
            select(AuditEvent).where(AuditEvent.action == "retention.tracker_erased")
        ).scalar_one()
        assert event.detail["rows_deleted"] == 1 and event.detail["complete"] is True


def test_coach_client_delete_erases_the_clients_conversations_from_rasa(sqlite_url, clean_env, capsys):
    from cli.main import main

    maker = make_sessionmaker(sqlite_url)
    with maker() as db:
        sid = seed_finished_session(db, now=NOW)
        db.commit()
    with FakeRasaServer(token="cli-token") as fake:
        fake.trackers = {sid: [{"event": "user", "text": WORDS}]}
        clean_env.setenv("COACH_DATABASE_URL", sqlite_url)
        clean_env.setenv("COACH_RASA_URLS", fake.url)
        clean_env.setenv("COACH_RASA_TOKEN", "cli-token")
        assert main(["client", "delete", CLIENT_REF, "--yes"]) == 0
        assert fake.trackers[sid] == []
    assert "1 conversation(s) erased" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["retention", "run", "--every", "10"], "at least 60"),
        (["retention", "run", "--every", "3600", "--now", "2026-06-01T12:00:00Z"], "no --now"),
    ],
)
def test_the_retention_service_mode_refuses_bad_input(sqlite_url, clean_env, argv, message):
    from cli.main import main

    clean_env.setenv("COACH_DATABASE_URL", sqlite_url)
    with pytest.raises(SystemExit, match=message):
        main(argv)

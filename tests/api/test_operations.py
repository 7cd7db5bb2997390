"""Issue 15.4 and 15.5 in the API: liveness and readiness apart from the full health,
/metrics with the counters moving and no client text, request ids into Rasa, JSON
log lines with the request id, and error tracking only with a DSN."""

from __future__ import annotations

import contextvars
import io
import json
import logging
import re
from typing import Dict

import httpx
import pytest

from bot.logging_setup import JsonFormatter, RequestIdFilter, request_id_var

API = "/api/v1"
CRISIS = "Ik wil dood, ik kan niet meer."
PRIVATE = "Mijn buurman Karel Jansen weet het"


def _samples(text: str) -> Dict[str, float]:
    """`name{labels}` -> value from Prometheus text."""
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.rpartition(" ")
            out[key] = float(value)
    return out


def _value(samples: Dict[str, float], name: str, **labels) -> float:
    """Sum of the samples of ``name`` whose labels include ``labels``."""
    total = 0.0
    for key, value in samples.items():
        metric, _, rest = key.partition("{")
        if metric != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', rest))
        if all(found.get(k) == v for k, v in labels.items()):
            total += value
    return total


async def _metrics(client) -> Dict[str, float]:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return _samples(response.text)


# --- 15.4 health ---------------------------------------------------------------------


async def test_rasa_down_keeps_the_api_ready_and_the_kiosk_working(
    client, fake_rasa, start_session, say, dbs
):
    session = await start_session()
    fake_rasa.down = set(fake_rasa.servers)
    fake_rasa.actions_down = True

    assert (await client.get(f"{API}/health/live")).json() == {"status": "ok"}
    ready = await client.get(f"{API}/health/ready")
    assert ready.status_code == 200 and ready.json() == {"status": "ok", "db": "ok"}
    full = await client.get(f"{API}/health")
    assert full.status_code == 503 and full.json()["rasa"].startswith("down")

    # Behind that ready API the kiosk keeps the client's words and a counsellor is called.
    reply = await say(session["session_id"], "ik woon in Zwolle")
    assert reply.status_code == 200
    body = reply.json()
    assert body["status"] == "waiting_for_human" and body["handoff"]["reason"] == "uncertain"
    assert body["messages"][0]["sender"] == "client" and body["messages"][0]["text"] == "ik woon in Zwolle"
    from bot.db.models import Message

    with dbs() as db:
        texts = [
            m.text for m in db.query(Message).filter_by(session_id=session["session_id"], sender="client")
        ]
    assert texts == ["ik woon in Zwolle"]


async def test_ready_needs_the_database_live_does_not(app, tmp_path):
    from bot.db.engine import make_sessionmaker

    (tmp_path / "not-a-db").mkdir()
    app.state.sessionmaker = make_sessionmaker(f"sqlite:///{tmp_path / 'not-a-db'}")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        ready = await client.get(f"{API}/health/ready")
        live = await client.get(f"{API}/health/live")
    assert (
        ready.status_code == 503
        and ready.json()["status"] == "unready"
        and ready.json()["db"].startswith("down")
    )
    assert live.status_code == 200


async def test_full_health_shows_what_the_supervisor_restarted(client, monkeypatch, tmp_path):
    status = tmp_path / "supervisor.json"
    status.write_text(json.dumps({"rasa": {"state": "running", "restarts": 2, "last_exit_code": -9}}))
    monkeypatch.setenv("COACH_SUPERVISOR_STATUS_FILE", str(status))
    body = (await client.get(f"{API}/health")).json()
    assert body["supervisor"]["rasa"]["restarts"] == 2
    assert {"status", "rasa", "actions", "db"} <= set(body)


# --- 15.5 metrics --------------------------------------------------------------------


async def test_metrics_count_turns_handoffs_flags_rasa_calls_and_the_queue(
    client, fake_rasa, start_session, say
):
    before = await _metrics(client)
    crisis_session = await start_session()
    reply = await say(crisis_session["session_id"], CRISIS)
    assert reply.json()["handoff"]["reason"] == "crisis"
    other = await start_session()
    await say(other["session_id"], PRIVATE)  # Rasa answers: a plain turn
    fake_rasa.down = set(fake_rasa.servers)
    await say(other["session_id"], PRIVATE + " nog een keer")  # Rasa unreachable: uncertain hand-off
    after = await _metrics(client)

    def grew(name, **labels):
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert grew("coach_client_turns_total") == 3
    assert grew("coach_sessions_started_total", training="no") == 2
    assert grew("coach_handoffs_total", reason="crisis") == 1
    assert grew("coach_handoffs_total", reason="uncertain") == 1
    assert grew("coach_safety_flags_total", tier="3", category="crisis") == 1
    assert grew("coach_rasa_request_duration_seconds_count", operation="message", outcome="ok") == 4
    assert grew("coach_rasa_failures_total", operation="message", kind="not_reached") == 1
    assert (
        grew(
            "coach_http_request_duration_seconds_count",
            method="POST",
            route="/api/v1/sessions/{session_id}/messages",
            status="200",
        )
        == 3
    )
    # Read from the database at scrape time: what waits now.
    assert _value(after, "coach_queue_waiting", reason="crisis") == 1
    assert _value(after, "coach_queue_waiting", reason="uncertain") == 1


async def test_metrics_hold_no_client_text_and_no_session_id(client, start_session, say):
    session = await start_session()
    await say(session["session_id"], PRIVATE)
    await client.get(
        f"{API}/sessions/{session['session_id']}/messages?after=m-unknown", headers={"X-Kiosk-Key": "x" * 30}
    )
    text = (await client.get("/metrics")).text
    assert "Karel" not in text and "buurman" not in text
    assert session["session_id"] not in text
    assert "m-unknown" not in text


# --- 15.5 request ids and logs ---------------------------------------------------------


async def test_request_id_goes_back_to_the_caller_and_on_to_rasa(
    app, client, fake_rasa, start_session, kiosk_headers
):
    seen_headers = []

    async def note(request):
        if request.url.path.endswith("/webhook"):
            seen_headers.append(request.headers.get("x-request-id"))

    app.state.rasa._http.event_hooks["request"].append(note)
    session = await start_session()
    response = await client.post(
        f"{API}/sessions/{session['session_id']}/messages",
        json={"text": "hallo"},
        headers={**kiosk_headers, "X-Request-ID": "turn-abc-123"},
    )
    assert response.headers["x-request-id"] == "turn-abc-123"
    assert fake_rasa.channel_calls("hallo")[-1]["body"]["metadata"]["request_id"] == "turn-abc-123"
    assert seen_headers[-1] == "turn-abc-123"
    # An id that is not safe to log is replaced by one of our own.
    odd = await client.get(f"{API}/health/live", headers={"X-Request-ID": "bad id\nwith newline"})
    assert re.fullmatch(r"[0-9a-f]{16}", odd.headers["x-request-id"])


async def test_access_lines_are_json_with_the_request_id(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    access = logging.getLogger("api.access")
    access.addHandler(handler)
    old_level = access.level
    access.setLevel(logging.INFO)
    try:
        await client.get(f"{API}/health", headers={"X-Request-ID": "req-42"})
    finally:
        access.removeHandler(handler)
        access.setLevel(old_level)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    line = next(item for item in lines if item.get("route") == f"{API}/health")
    assert line["request_id"] == "req-42" and line["status"] == 200 and line["level"] == "INFO"
    assert line["method"] == "GET" and isinstance(line["duration_ms"], float)


def test_json_formatter_puts_the_request_id_and_the_exception_on_one_line():
    token = request_id_var.set("abc")
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            record = logging.getLogger("x").makeRecord(
                "x", logging.ERROR, __file__, 1, "failed %s", ("here",), exc_info=__import__("sys").exc_info()
            )
        line = JsonFormatter().format(record)
    finally:
        request_id_var.reset(token)
    assert "\n" not in line
    data = json.loads(line)
    assert (
        data["message"] == "failed here" and data["request_id"] == "abc" and "ValueError" in data["exception"]
    )


def test_the_action_server_logs_the_turns_request_id(caplog):
    from rasa_plugins.action_server import log_action_call, request_id_of

    body = {
        "next_action": "action_greet",
        "tracker": {"latest_message": {"metadata": {"request_id": "turn-7"}}},
    }

    class FakeRequest:
        path, method, json = "/webhook", "POST", body

    # log_action_call sets request_id_var for the rest of the Sanic request; run it in a copy of
    # the context so "turn-7" does not leak into later tests (the Rasa client sends the var on).
    context = contextvars.copy_context()
    with caplog.at_level(logging.INFO, logger="rasa_plugins.action_server"):
        context.run(log_action_call, FakeRequest())
    assert context[request_id_var] == "turn-7"
    assert request_id_of(body) == "turn-7"
    assert "action action_greet request_id=turn-7" in caplog.text
    assert request_id_of({"tracker": {"latest_message": {"metadata": {"request_id": "x y"}}}}) is None

    # The next request on the same keep-alive connection (same context) does not carry it on.
    class HealthRequest:
        path, method, json = "/health", "GET", None

    context.run(log_action_call, HealthRequest())
    assert context[request_id_var] is None


# --- 15.5 error tracking -------------------------------------------------------------


class FakeSentry:
    def __init__(self):
        self.inits, self.tags = [], []

    def init(self, **options):
        self.inits.append(options)

    def set_tag(self, key, value):
        self.tags.append((key, value))


def test_error_tracking_is_off_without_a_dsn_and_on_with_one(settings, make_app, monkeypatch):
    from api.observability import _scrub, init_error_tracking

    sdk = FakeSentry()
    assert init_error_tracking(settings, sdk=sdk) is False and sdk.inits == []
    assert init_error_tracking(settings.copy(update={"sentry_dsn": "https://key@sentry.example/1"}), sdk=sdk)
    options = sdk.inits[0]
    assert options["dsn"] == "https://key@sentry.example/1" and options["environment"] == "test"
    assert options["send_default_pii"] is False and options["request_bodies"] == "never"
    assert options["with_locals"] is False
    event = options["before_send"]({"request": {"data": PRIVATE, "url": "/x", "query_string": "q=1"}}, None)
    assert event["request"] == {"url": "/x"}
    assert _scrub({"message": "x"}, None) == {"message": "x"}

    # The app starts it from the setting (sentry_sdk mocked: no network).
    import sentry_sdk

    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: calls.append(options))
    monkeypatch.setattr(sentry_sdk, "set_tag", lambda *a: None)
    assert make_app().state.error_tracking is False and calls == []
    assert make_app(sentry_dsn="https://key@sentry.example/1").state.error_tracking is True
    assert calls and calls[0]["dsn"] == "https://key@sentry.example/1"


def test_settings_read_the_operations_variables(clean_env, monkeypatch):
    from bot.settings import Settings

    monkeypatch.setenv("COACH_LOG_FORMAT", "json")
    monkeypatch.setenv("COACH_REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("COACH_SENTRY_DSN", "")
    settings = Settings()
    assert settings.log_format == "json" and settings.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.sentry_dsn is None
    monkeypatch.setenv("COACH_LOG_FORMAT", "xml")
    with pytest.raises(ValueError):
        Settings()


# --- 15.6 the queue at a glance --------------------------------------------------------


async def test_the_waiting_list_carries_each_trigger_and_what_came_after(
    client, start_session, say, token_for
):
    session = await start_session()
    await say(session["session_id"], CRISIS)
    await say(session["session_id"], "Is er iemand?")
    other = await start_session()
    headers = await token_for("anna")
    rows = (
        await client.get(f"{API}/staff/sessions", params={"status": "waiting_for_human"}, headers=headers)
    ).json()
    mine = next(row for row in rows if row["id"] == session["session_id"])
    assert mine["trigger_text"] == CRISIS and mine["messages_since_trigger"] == 1
    bots = (await client.get(f"{API}/staff/sessions", params={"status": "bot"}, headers=headers)).json()
    assert next(row for row in bots if row["id"] == other["session_id"])["trigger_text"] is None

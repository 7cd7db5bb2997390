"""When the database refuses a write, the answer is kept, reported and retried."""

from __future__ import annotations

from actions import plan_writer
from actions.forms import ValidateVerkennenForm
from action_helpers import make_tracker, read_plan


async def test_failed_write_keeps_the_answer_and_tells_the_api(plan_session, dispatcher, domain, monkeypatch):
    def broken(session_id, entry):
        raise RuntimeError("database is locked")

    monkeypatch.setitem(plan_writer._WRITERS, "answer", broken)
    tracker = make_tracker(plan_session, text="ik woon bij een vriend", message_id="m-1")
    result = await ValidateVerkennenForm().validate_life_here(
        "ik woon bij een vriend", dispatcher, tracker, domain
    )
    assert result["life_here"] == "ik woon bij een vriend"  # the conversation goes on
    assert result["plan_write_failed"] is True
    [kept] = result["unsaved_answers"]
    assert kept["path"] == "factors.overview_1" and kept["message_id"] == "m-1"
    assert kept["value"]["explanation"] == "ik woon bij een vriend"
    assert "overview_1" not in read_plan(plan_session)["factors"]


async def test_next_write_retries_kept_answers_first(plan_session, dispatcher, domain):
    kept = {
        "kind": "answer",
        "path": "client_info.country_of_origin",
        "value": "Togo",
        "status": "answered",
        "message_id": "m-1",
        "confidence": 0.9,
    }
    tracker = make_tracker(
        plan_session,
        text="mijn broer",
        message_id="m-2",
        slots={"unsaved_answers": [kept], "plan_write_failed": True},
    )
    result = await ValidateVerkennenForm().validate_family_here("mijn broer", dispatcher, tracker, domain)
    assert result["plan_write_failed"] is False and result["unsaved_answers"] is None
    plan = read_plan(plan_session)
    assert plan["client_info"]["country_of_origin"]["value"] == "Togo"
    assert plan["client_info"]["country_of_origin"]["provenance"]["message_ids"] == ["m-1"]
    assert plan["sections"]["support"]["supporters"][0]["provenance"]["message_ids"] == ["m-2"]


async def test_a_newer_answer_waits_behind_an_older_one_that_still_fails(
    plan_session, dispatcher, domain, monkeypatch
):
    calls = []

    def flaky(session_id, entry):
        calls.append(entry["path"])
        raise RuntimeError("still down")

    monkeypatch.setitem(plan_writer._WRITERS, "answer", flaky)
    kept = {
        "kind": "answer",
        "path": "client_info.country_of_origin",
        "value": "Togo",
        "status": "answered",
        "message_id": "m-1",
    }
    tracker = make_tracker(
        plan_session,
        text="mijn broer",
        message_id="m-2",
        slots={"unsaved_answers": [kept], "plan_write_failed": True},
    )
    result = await ValidateVerkennenForm().validate_family_here("mijn broer", dispatcher, tracker, domain)
    assert calls == ["client_info.country_of_origin"]  # the newer one was not tried out of order
    assert [e["message_id"] for e in result["unsaved_answers"]] == ["m-1", "m-2"]
    assert result["plan_write_failed"] is True


async def test_unknown_session_is_a_failed_write_not_a_crash(sqlite_url, monkeypatch, dispatcher, domain):
    from bot.settings import get_settings

    monkeypatch.setenv("COACH_DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    tracker = make_tracker("no-such-session", text="ik woon in het azc", message_id="m-1")
    result = await ValidateVerkennenForm().validate_life_here(
        "ik woon in het azc", dispatcher, tracker, domain
    )
    assert result["plan_write_failed"] is True and len(result["unsaved_answers"]) == 1

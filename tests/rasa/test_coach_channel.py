"""The `coach` channel: the answer it builds, and the webhook on a Sanic app."""

from __future__ import annotations

import pytest

from bot.conversation.bot_text import capitalise_first
from rasa_plugins.coach_channel import CoachInput, CoachOutputChannel, build_response


async def test_output_channel_keeps_response_name_and_mi_code():
    out = CoachOutputChannel()
    await out.send_response(
        "s1",
        {
            "text": "Uit welk land komt u?",
            "utter_action": "utter_ask_country_of_origin",
            "metadata": {"mi_code": "open_question"},
            "buttons": None,
        },
    )
    await out.send_response(
        "s1",
        {
            "text": "Zullen we beginnen?",
            "utter_action": "utter_ask_start",
            "metadata": {"mi_code": "closed_question"},
            "buttons": [{"title": "Ja", "payload": "/affirm"}],
        },
    )
    await out.send_response("s1", {"text": None})  # nothing to show: not sent
    assert [(m["text"], m["utter_action"], m["mi_code"], m["buttons"]) for m in out.messages] == [
        ("Uit welk land komt u?", "utter_ask_country_of_origin", "open_question", []),
        (
            "Zullen we beginnen?",
            "utter_ask_start",
            "closed_question",
            [{"title": "Ja", "payload": "/affirm"}],
        ),
    ]


async def test_every_message_starts_with_a_capital():
    # "{words}: dat heeft u al laten zien." filled with the client's words in lower case
    out = CoachOutputChannel()
    await out.send_response(
        "s1",
        {
            "text": "u kunt goed naaien: dat heeft u al laten zien.",
            "utter_action": "utter_reflect_talents",
            "metadata": {"mi_code": "affirmation"},
        },
    )
    await out.send_response("s1", {"text": "Uit welk land komt u?"})
    assert [m["text"] for m in out.messages] == [
        "U kunt goed naaien: dat heeft u al laten zien.",
        "Uit welk land komt u?",
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("u kunt goed naaien: dat …", "U kunt goed naaien: dat …"),
        ("uw broer woont in Conakry. Dat schrijf ik op.", "Uw broer woont in Conakry. Dat schrijf ik op."),
        ('"hulp": daar vraagt u om', '"Hulp": daar vraagt u om'),
        ("  (uw zus) belt morgen", "  (Uw zus) belt morgen"),
        ("élève", "Élève"),
        ("Ter Apel", "Ter Apel"),
        ("IND", "IND"),
        ("iPhone kapot", "IPhone kapot"),
        ("'s avonds bel ik", "'s avonds bel ik"),  # Dutch "'s" and "'t" stay lower case
        ("3 stappen", "3 stappen"),
        ("", ""),
        ("…", "…"),
    ],
)
def test_capitalise_first_changes_only_a_first_lower_case_letter(text, expected):
    assert capitalise_first(text) == expected


def test_build_response_has_the_contract_shape():
    messages = [
        {
            "text": "Ik vraag nu een begeleider.",
            "buttons": [],
            "utter_action": "utter_handoff_crisis",
            "mi_code": "handoff",
            "recipient_id": "s1",
        }
    ]
    state = {
        "slots": {"phase": "kiezen", "handoff_reason": "crisis", "plan_write_failed": False},
        "paused": True,
        "latest_message": {
            "text": "ik wil dood",
            "intent": {"name": "safety_crisis", "confidence": 1.0},
            "entities": [
                {"entity": "country", "value": "Guinee", "start": 0, "end": 6, "extractor": "DIETClassifier"}
            ],
            "safety": {"category": "crisis", "flag": "suicide", "matched": "wil dood"},
        },
    }
    body = build_response(messages, state)
    assert body == {
        "messages": [
            {
                "text": "Ik vraag nu een begeleider.",
                "buttons": [],
                "utter_action": "utter_handoff_crisis",
                "mi_code": "handoff",
            }
        ],
        "phase": "kiezen",
        "paused": True,
        "handoff_reason": "crisis",
        "plan_write_failed": False,
        "nlu": {
            "intent": "safety_crisis",
            "confidence": 1.0,
            "entities": [{"entity": "country", "value": "Guinee", "start": 0, "end": 6}],
            "safety": {"category": "crisis", "flag": "suicide", "matched": "wil dood"},
        },
    }


def test_build_response_defaults_for_a_payload_message():
    body = build_response([], {"slots": {}, "paused": False, "latest_message": {"text": "/greet"}})
    assert body["phase"] == "verkennen" and body["handoff_reason"] is None
    assert body["nlu"]["safety"]["category"] == "none"


@pytest.fixture(scope="module")
def _module_app():
    """A Sanic app with the channel's blueprint and a stand-in agent and tracker.

    One per module: Sanic rewrites its request handler once per process."""
    sanic = pytest.importorskip("sanic")
    from types import SimpleNamespace

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    received = []
    domain = Domain.from_dict({"slots": {"phase": {"type": "text", "mappings": [{"type": "custom"}]}}})
    tracker = DialogueStateTracker("s1", domain.slots)

    async def on_new_message(message):
        received.append(message)
        tracker.update(
            UserUttered(
                message.text,
                {"name": "inform", "confidence": 0.9},
                parse_data={
                    "intent": {"name": "inform", "confidence": 0.9},
                    "entities": [],
                    "text": message.text,
                    "safety": {"category": "none", "flag": None, "matched": None},
                },
                message_id=message.message_id,
            )
        )
        tracker.update(SlotSet("phase", "verkennen"))
        await message.output_channel.send_response(
            message.sender_id,
            {
                "text": "Hoe is uw leven nu?",
                "utter_action": "utter_ask_life_here",
                "metadata": {"mi_code": "open_question"},
            },
        )

    async def get_tracker(sender_id):
        return tracker

    app = sanic.Sanic(f"coach_test_{id(received)}")
    app.ctx.agent = SimpleNamespace(is_ready=lambda: True, processor=SimpleNamespace(get_tracker=get_tracker))
    app.blueprint(CoachInput().blueprint(on_new_message), url_prefix="/webhooks/coach")
    return app, received


@pytest.fixture
def channel_app(_module_app):
    app, received = _module_app
    received.clear()
    return app, received


async def _post(app, body, with_token: bool = True):
    """Sanic apps are ASGI apps: drive the real route through httpx, no server."""
    import httpx

    if not getattr(app.ctx, "started", False):
        await app._startup()  # what Sanic's ASGI lifespan would do: finalise routes and signals
        app.ctx.started = True
    transport = httpx.ASGITransport(app=app)
    from bot.settings import get_settings

    token = {"X-Coach-Internal-Token": get_settings().internal_token} if with_token else {}
    async with httpx.AsyncClient(transport=transport, base_url="http://rasa") as client:
        return await client.post("/webhooks/coach/webhook", json=body, headers=token)


async def test_webhook_round_trip(channel_app):
    app, received = channel_app
    response = await _post(
        app,
        {
            "sender": "s1",
            "message": "ik woon in het azc",
            "metadata": {"message_id": "m-0000000000000001", "session_id": "s1"},
        },
    )
    assert response.status_code == 200
    assert received[0].message_id == "m-0000000000000001"
    assert received[0].metadata["session_id"] == "s1"
    assert response.json()["messages"][0]["utter_action"] == "utter_ask_life_here"
    assert response.json()["nlu"]["intent"] == "inform" and response.json()["phase"] == "verkennen"


async def test_webhook_refuses_a_caller_without_the_internal_token(channel_app):
    app, received = channel_app
    response = await _post(app, {"sender": "s1", "message": "hallo"}, with_token=False)
    assert response.status_code == 401 and received == []


@pytest.mark.parametrize(
    "body",
    [
        {"message": "hallo"},
        {"sender": "s1"},
        {"sender": "s1", "message": "   "},
        {"sender": "s1", "message": "hoi", "metadata": "x"},
    ],
    ids=["no-sender", "no-message", "blank-message", "bad-metadata"],
)
async def test_webhook_refuses_bad_input_with_a_clear_error(channel_app, body):
    app, received = channel_app
    response = await _post(app, body)
    assert response.status_code == 400 and response.json()["detail"]
    assert received == []


def test_nlu_is_read_from_the_event_of_this_message_id():
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered

    from rasa_plugins.coach_channel import parse_data_of

    events = [
        UserUttered("ja", {"name": "affirm", "confidence": 0.99}, message_id="m-1"),
        ActionExecuted("verkennen_form"),
        UserUttered("ik kom uit guinea", {"name": "inform", "confidence": 0.97}, message_id="m-2"),
        SlotSet("life_here", "ik kom uit guinea"),
    ]
    assert parse_data_of(events, "m-2")["intent"]["name"] == "inform"
    assert parse_data_of(events, "m-1")["intent"]["name"] == "affirm"
    assert parse_data_of(events, "m-unknown")["text"] == "ik kom uit guinea"  # the latest
    assert parse_data_of([], None) == {}

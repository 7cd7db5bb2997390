"""The API's small parts on their own: Rasa client, domain texts, rate limiter, hub."""

from __future__ import annotations


import httpx
import pytest

from api.domain_texts import REQUIRED_RESPONSES, DomainTexts, MissingResponse, default_domain_path
from api.rasa_client import (
    RasaBadReply,
    RasaClient,
    RasaUnavailable,
    action_server_health_url,
    parse_channel_reply,
)
from api.rate_limit import Limit, RateLimiter
from api.ws_hub import Hub, next_nudge

from fake_rasa import FakeRasa


# --- Rasa client -------------------------------------------------------------------


def _client(fake: FakeRasa) -> RasaClient:
    return RasaClient(
        fake.servers,
        token=fake.token,
        action_server_url="http://actions:5055/webhook",
        transport=fake.transport,
    )


def test_parse_channel_reply_keeps_what_the_kiosk_can_show():
    reply = parse_channel_reply(
        {
            "messages": [
                {
                    "text": "Hallo",
                    "buttons": [{"title": "Ja"}, {"title": "Nee", "payload": "/deny"}, "junk"],
                    "utter_action": "utter_greet",
                    "mi_code": "welcome",
                },
                {"image": "http://x/y.png"},
                "not a dict",
            ],
            "phase": "kiezen",
            "paused": True,
            "handoff_reason": "request",
        },
        "http://rasa",
    )
    [message] = reply.messages
    assert message.buttons == [{"title": "Ja", "payload": "Ja"}, {"title": "Nee", "payload": "/deny"}]
    assert (reply.phase, reply.paused, reply.handoff_reason, reply.nlu) == ("kiezen", True, "request", {})


@pytest.mark.parametrize("body", [[], {"messages": "x"}, "text"])
def test_parse_channel_reply_refuses_other_shapes(body):
    with pytest.raises(RasaBadReply):
        parse_channel_reply(body, "http://rasa")


@pytest.mark.parametrize(
    "url, health",
    [
        ("http://127.0.0.1:5055/webhook", "http://127.0.0.1:5055/health"),
        ("http://actions:5055/webhook/", "http://actions:5055/health"),
        ("https://a.example/sdk/webhook", "https://a.example/sdk/health"),
    ],
)
def test_action_server_health_url(url, health):
    assert action_server_health_url(url) == health


async def test_all_servers_down_means_not_processed():
    fake = FakeRasa(down={"http://rasa-a:5005", "http://rasa-b:5005"})
    client = _client(fake)
    with pytest.raises(RasaUnavailable) as error:
        await client.send("s1", "hallo")
    assert error.value.maybe_processed is False
    await client.aclose()


async def test_a_connect_timeout_moves_on_but_a_read_timeout_does_not():
    attempts = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request.url.host)
        if request.url.host == "rasa-a":
            raise httpx.ConnectTimeout("slow connect", request=request)
        raise httpx.ReadTimeout("slow answer", request=request)

    client = RasaClient(
        ["http://rasa-a:5005", "http://rasa-b:5005"],
        token="t",
        action_server_url="http://actions/webhook",
        transport=httpx.MockTransport(handler),
    )
    client._turns = iter([0])  # start at rasa-a
    with pytest.raises(RasaUnavailable) as error:
        await client.send("s1", "hallo")
    assert attempts == ["rasa-a", "rasa-b"]
    assert error.value.maybe_processed is True
    await client.aclose()


async def test_resume_posts_the_events_with_the_token_then_the_resume_message():
    fake = FakeRasa()
    fake.paused["s1"] = True
    client = _client(fake)
    reply = await client.resume("s1", phase="kiezen")
    events, message = fake.calls
    assert events["path"] == "/conversations/s1/tracker/events"
    assert events["body"] == [
        {"event": "resume"},
        {"event": "slot", "name": "handoff_reason", "value": None},
        {"event": "slot", "name": "phase", "value": "kiezen"},
    ]
    assert message["body"]["message"] == "/resume_conversation"
    assert message["body"]["metadata"] == {"session_id": "s1", "system": True, "phase": "kiezen"}
    assert reply.messages and not reply.paused
    await client.aclose()


async def test_resume_with_a_wrong_token_is_a_clear_error():
    fake = FakeRasa()
    client = RasaClient(
        fake.servers, token="wrong", action_server_url="http://actions/webhook", transport=fake.transport
    )
    with pytest.raises(RasaBadReply, match="token"):
        await client.resume("s1")
    assert not fake.channel_calls()  # no resume message without the events
    await client.aclose()


def test_a_client_needs_at_least_one_url():
    with pytest.raises(ValueError):
        RasaClient([" "], token="t", action_server_url="http://a/webhook")


# --- domain texts -----------------------------------------------------------------------


def test_the_real_domain_has_every_response_the_api_sends():
    texts = DomainTexts.load(default_domain_path())
    assert texts.missing() == []
    crisis = texts.get("utter_handoff_crisis").text
    for number in ("112", "113", "0800-0113"):
        assert number in crisis


def test_domain_texts_pick_the_language_variation_and_merge_a_folder(tmp_path):
    (tmp_path / "a.yml").write_text(
        "responses:\n"
        "  utter_x:\n"
        "    - text: Hallo\n"
        "      buttons: [{title: Ja, payload: /affirm}]\n"
        "    - condition: [{type: slot, name: language, value: en}]\n"
        "      text: Hello\n",
        encoding="utf-8",
    )
    (tmp_path / "b.yml").write_text("responses:\n  utter_y:\n    - text: Tot ziens\n", encoding="utf-8")
    texts = DomainTexts.load(tmp_path)
    assert texts.get("utter_x", "nl").text == "Hallo"
    assert texts.get("utter_x", "nl").buttons == [{"title": "Ja", "payload": "/affirm"}]
    assert texts.get("utter_x", "en").text == "Hello"
    assert texts.get("utter_y", "en").text == "Tot ziens"  # no English variation: Dutch first
    assert texts.missing(["utter_x", "utter_z"]) == ["utter_z"]
    with pytest.raises(MissingResponse):
        texts.get("utter_z")


def test_production_refuses_a_domain_without_the_api_responses(settings, tmp_path, fake_rasa):
    from api.main import create_app

    (tmp_path / "domain.yml").write_text("responses: {}\n", encoding="utf-8")
    production = settings.copy(
        update={
            "env": "production",
            "database_url": "postgresql://coach@127.0.0.1/unused",
            "rasa_token": "r9Tq2Wm5Zp8Kx3Vb6Nc1Jh4Gf7",
            "internal_token": "i4Ls8Qe1Rw6Ty3Ua9Sd2Fg5Hj0Kz",
        }
    )
    with pytest.raises(RuntimeError, match="utter_handoff_crisis"):
        create_app(production, rasa_transport=fake_rasa.transport, domain_path=tmp_path / "domain.yml")
    assert set(REQUIRED_RESPONSES) == {"utter_handoff_crisis", "utter_system_rasa_down"}


# --- rate limiter and hub --------------------------------------------------------------


def test_rate_limiter_slides_its_window():
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    limit = Limit(2, 10.0)
    assert limiter.allow("a", limit) and limiter.allow("a", limit)
    assert not limiter.allow("a", limit)
    assert limiter.allow("b", limit)  # buckets are separate
    now[0] = 10.0
    assert limiter.allow("a", limit)


async def test_hub_nudges_listeners_of_a_topic_and_the_staff():
    hub = Hub()
    kiosk, staff, other = hub.subscribe("s1"), hub.subscribe("staff"), hub.subscribe("s2")
    hub.session_changed("s1", status="human")
    assert await next_nudge(kiosk, 1) == {"session_id": "s1", "status": "human"}
    assert (await next_nudge(staff, 1))["session_id"] == "s1"
    assert await next_nudge(other, 0.05) is None
    hub.unsubscribe("s1", kiosk)
    assert hub.listener_count("s1") == 0
    for _ in range(150):  # a slow listener never blocks the publisher
        hub.session_changed("s2")
    assert (await next_nudge(other, 1))["session_id"] == "s2"
    assert other.empty()

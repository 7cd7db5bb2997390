"""Overload that degrades gracefully (issue 16.5): a bounded number of turns per Rasa server,
a fair queue for the rest, "een ogenblik" for a turn that waits, never a hand-off for it.

The slow Rasa is the fake Rasa behind a gate of asyncio.Events: a held turn stays at the
"server" until the test lets it go, so nothing depends on timing.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Dict, List, Set

import httpx
import pytest

from api.rasa_client import CHANNEL_PATH, RasaClient, RasaUnavailable, TurnGate

from fake_rasa import FakeRasa

ONE_SERVER = ["http://rasa-a:5005"]
DOMAIN_FIXTURE = Path(__file__).with_name("domain_fixture.yml")  # as conftest.py


class HeldRasa:
    """The fake Rasa, except that channel messages with a held text wait for `let_go`."""

    def __init__(self, fake: FakeRasa) -> None:
        self.fake = fake
        self.held: Set[str] = set()
        self.let_go = asyncio.Event()
        self.arrived: List[str] = []
        self.arrival = asyncio.Event()
        self.in_flight = 0
        self.most_in_flight = 0

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != CHANNEL_PATH:
            return self.fake.handle(request)
        text = json.loads(request.content)["message"]
        self.arrived.append(text)
        self.arrival.set()
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if text in self.held:
                await self.let_go.wait()
            return self.fake.handle(request)
        finally:
            self.in_flight -= 1

    async def until_arrived(self, count: int) -> None:
        while len(self.arrived) < count:
            self.arrival.clear()
            await self.arrival.wait()

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)


# --- the gate on its own -------------------------------------------------------------


async def test_the_gate_hands_freed_slots_to_the_longest_waiting_turn():
    gate = TurnGate(ONE_SERVER, per_server=1)
    first = await gate.acquire()
    order: List[str] = []

    async def turn(name: str) -> None:
        server = await gate.acquire()
        order.append(name)
        gate.release(server)

    waiting = [asyncio.create_task(turn(name)) for name in ("b", "c", "d")]
    while gate.queued < 3:
        await asyncio.sleep(0)
    assert order == [] and gate.in_flight == {ONE_SERVER[0]: 1}
    gate.release(first)
    await asyncio.gather(*waiting)
    assert order == ["b", "c", "d"]
    assert gate.in_flight == {ONE_SERVER[0]: 0} and gate.queued == 0


async def test_the_gate_fills_every_server_before_anyone_waits():
    gate = TurnGate(["http://a", "http://b"], per_server=2)
    servers = [await gate.acquire() for _ in range(4)]
    assert sorted(servers) == ["http://a", "http://a", "http://b", "http://b"]
    late = asyncio.create_task(gate.acquire())
    while gate.queued < 1:
        await asyncio.sleep(0)
    gate.release("http://b")
    assert await late == "http://b"


async def test_a_turn_that_gives_up_waiting_passes_its_place_on():
    gate = TurnGate(ONE_SERVER, per_server=1)
    first = await gate.acquire()
    with pytest.raises(asyncio.TimeoutError):
        await gate.acquire(timeout_s=0)
    gate.release(first)
    assert gate.in_flight == {ONE_SERVER[0]: 0}
    assert await gate.acquire() == ONE_SERVER[0]  # nothing is stuck behind the one that left


# --- the Rasa client ------------------------------------------------------------------


async def test_the_client_sends_at_most_the_bound_to_a_server_and_notices_the_waiting_ones():
    held = HeldRasa(FakeRasa(servers=ONE_SERVER))
    held.held = {"een", "twee", "drie"}
    client = RasaClient(
        ONE_SERVER,
        token="t",
        action_server_url="http://actions/webhook",
        transport=held.transport,
        max_turns_per_server=2,
        busy_notice_s=0,
    )
    noticed: List[str] = []

    def notice(name: str):
        async def on_wait() -> None:
            noticed.append(name)

        return on_wait

    sends = [
        asyncio.create_task(client.send(f"s-{text}", text, on_wait=notice(text)))
        for text in ("een", "twee", "drie")
    ]
    await held.until_arrived(2)
    while client.gate.queued < 1 or not noticed:
        await asyncio.sleep(0)
    assert held.arrived == ["een", "twee"] and noticed == ["drie"]
    held.let_go.set()
    replies = await asyncio.gather(*sends)
    assert held.arrived == ["een", "twee", "drie"] and held.most_in_flight == 2
    assert all(reply.messages for reply in replies)
    assert noticed == ["drie"]  # once per turn, and only for the one that waited
    await client.aclose()


async def test_a_turn_that_gets_no_server_in_time_never_reached_rasa():
    held = HeldRasa(FakeRasa(servers=ONE_SERVER))
    held.held = {"een"}
    client = RasaClient(
        ONE_SERVER,
        token="t",
        action_server_url="http://actions/webhook",
        transport=held.transport,
        max_turns_per_server=1,
        queue_timeout_s=0,
    )
    first = asyncio.create_task(client.send("s1", "een"))
    await held.until_arrived(1)
    with pytest.raises(RasaUnavailable) as error:
        await client.send("s2", "twee")
    assert error.value.maybe_processed is False and held.arrived == ["een"]
    held.let_go.set()
    await first
    await client.aclose()


# --- through the API --------------------------------------------------------------------


@pytest.fixture
async def busy_api(settings, kiosk_headers):
    """The app with one Rasa server that takes one turn at a time and a notice at once."""
    from api.main import create_app

    held = HeldRasa(FakeRasa(servers=ONE_SERVER))
    app = create_app(
        settings.copy(
            update={"rasa_urls": ONE_SERVER, "rasa_max_turns_per_server": 1, "rasa_busy_notice_s": 0}
        ),
        rasa_transport=held.transport,
        domain_path=DOMAIN_FIXTURE,
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver", headers=kiosk_headers
    ) as http:
        yield app, held, http
    await app.state.rasa.aclose()


def _texts(body: Dict, sender: str) -> List[str]:
    return [m["text"] for m in body["messages"] if m["sender"] == sender]


async def test_a_waiting_kiosk_hears_een_ogenblik_and_no_counsellor_is_called(busy_api):
    app, held, http = busy_api
    first = (await http.post("/api/v1/sessions", json={"language": "nl"})).json()["session_id"]
    second = (await http.post("/api/v1/sessions", json={"language": "nl"})).json()["session_id"]
    held.arrived.clear()
    held.held = {"ik wacht op de eerste"}
    nudges = app.state.hub.subscribe(second)

    one = asyncio.create_task(
        http.post(f"/api/v1/sessions/{first}/messages", json={"text": "ik wacht op de eerste"})
    )
    await held.until_arrived(1)
    two = asyncio.create_task(http.post(f"/api/v1/sessions/{second}/messages", json={"text": "en ik daarna"}))
    nudge = await nudges.get()  # the notice, pushed to the waiting kiosk while Rasa is still busy
    assert nudge == {"session_id": second, "status": "bot"}
    assert held.arrived == ["ik wacht op de eerste"]  # the second turn is not at Rasa yet
    held.let_go.set()
    reply_one, reply_two = (await one).json(), (await two).json()

    busy = app.state.wording.get("utter_system_busy").text
    assert _texts(reply_two, "system") == [busy]
    assert _texts(reply_two, "bot")  # and then the bot's own answer
    assert reply_two["status"] == "bot" and reply_two["handoff"] is None
    assert _texts(reply_one, "system") == [] and reply_one["status"] == "bot"
    assert held.arrived == ["ik wacht op de eerste", "en ik daarna"]
    assert app.state.rasa.gate.in_flight == {ONE_SERVER[0]: 0}

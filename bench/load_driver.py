"""Drive many simulated kiosks at once, through the API or straight to Rasa.

Every kiosk runs one conversation at a time: it sends its next message when
the reply to the last one is in, so N kiosks keep N requests in flight (a
closed loop, like real kiosks) and the messages of all sessions interleave at
the servers. Each request is timed and kept with its outcome, so the tests can
check every single message and the benchmark can count every error.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence

import httpx

from bench.load_conversation import (
    START_MESSAGE,
    SimulatedClient,
    bot_messages_of,
    channel_payload,
    new_message_id,
)

CHANNEL_PATH = "/webhooks/coach/webhook"


@dataclass
class Turn:
    """One client message and what came back."""

    session_id: str
    index: int  # 0 = the session start (/greet)
    text: str
    started: float  # time.perf_counter() when sent
    latency_ms: float
    status_code: Optional[int] = None
    body: Optional[Dict[str, Any]] = None
    error: Optional[str] = None
    message_id: Optional[str] = None
    server: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status_code is not None and self.status_code < 400


@dataclass
class SessionRun:
    session_id: Optional[str]
    client: SimulatedClient
    turns: List[Turn] = field(default_factory=list)
    stopped: Optional[str] = None  # why it ended before its last turn: handoff, error, afgerond

    @property
    def client_turns(self) -> List[Turn]:
        return [t for t in self.turns if t.index > 0]


@dataclass
class Progress:
    """Turns answered so far; a test waits on it to strike in the middle of the load."""

    done: int = 0
    event: asyncio.Event = field(default_factory=asyncio.Event)
    threshold: Optional[int] = None

    def count(self) -> None:
        self.done += 1
        if self.threshold is not None and self.done >= self.threshold:
            self.event.set()


async def _timed(http: httpx.AsyncClient, url: str, **kwargs) -> tuple:
    started = time.perf_counter()
    try:
        response = await http.post(url, **kwargs)
        return started, response, None
    except httpx.HTTPError as exc:
        return started, None, f"{type(exc).__name__}: {exc}"[:300]


def _turn(session_id: str, index: int, text: str, started: float, response, error) -> Turn:
    latency = (time.perf_counter() - started) * 1000
    body = None
    if response is not None:
        try:
            body = response.json()
        except ValueError:
            error = error or f"HTTP {response.status_code}: reply is not JSON"
        if response.status_code >= 400 and error is None:
            error = f"HTTP {response.status_code}: {str(body)[:200]}"
    return Turn(
        session_id, index, text, started, latency, getattr(response, "status_code", None), body, error
    )


async def api_session(
    http: httpx.AsyncClient,
    client: SimulatedClient,
    turns: int,
    *,
    progress: Optional[Progress] = None,
    jitter_s: float = 0.02,
    stop_when_handed_off: bool = True,
) -> SessionRun:
    """One conversation through the API: start, then `turns` client messages."""
    started, response, error = await _timed(http, "/api/v1/sessions", json={"language": "nl"})
    start = _turn("", 0, START_MESSAGE, started, response, error)
    run = SessionRun(session_id=(start.body or {}).get("session_id") if start.ok else None, client=client)
    start.session_id = run.session_id or ""
    run.turns.append(start)
    if run.session_id is None:
        run.stopped = "error"
        return run
    bot = bot_messages_of(start.body)
    for index in range(1, turns + 1):
        await asyncio.sleep(random.uniform(0, jitter_s))
        text = client.reply(bot)
        started, response, error = await _timed(
            http, f"/api/v1/sessions/{run.session_id}/messages", json={"text": text}
        )
        turn = _turn(run.session_id, index, text, started, response, error)
        if turn.ok:
            mine = (turn.body.get("messages") or [{}])[0]
            turn.message_id = mine.get("id") if mine.get("sender") == "client" else None
        run.turns.append(turn)
        if progress is not None:
            progress.count()
        if not turn.ok:
            run.stopped = "error"
            break
        if turn.body.get("status") != "bot" and stop_when_handed_off:
            run.stopped = "handoff"  # a person is coming: the kiosk waits for them
            break
        if turn.body.get("phase") == "afgerond":
            run.stopped = "afgerond"
            break
        bot = bot_messages_of(turn.body)
    return run


class RoundRobin:
    """The API's own policy, for the straight-to-Rasa runs."""

    def __init__(self, urls: Sequence[str]) -> None:
        self._urls = itertools.cycle(list(urls))

    def next(self) -> str:
        return next(self._urls)


async def rasa_session(
    http: httpx.AsyncClient,
    servers: RoundRobin,
    session_id: str,
    client: SimulatedClient,
    turns: int,
    *,
    progress: Optional[Progress] = None,
    jitter_s: float = 0.02,
) -> SessionRun:
    """The same conversation sent straight to Rasa's `coach` channel (no API in between).

    ``session_id`` must exist in the app database, so the actions write the plan
    exactly as they do behind the API.
    """
    run = SessionRun(session_id=session_id, client=client)
    bot: List[Dict[str, Any]] = []
    for index in range(0, turns + 1):
        if index:
            await asyncio.sleep(random.uniform(0, jitter_s))
        text = client.reply(bot) if index else START_MESSAGE
        message_id = new_message_id()
        server = servers.next()
        started, response, error = await _timed(
            http, server + CHANNEL_PATH, json=channel_payload(session_id, text, message_id, system=index == 0)
        )
        turn = _turn(session_id, index, text, started, response, error)
        turn.message_id, turn.server = message_id, server
        run.turns.append(turn)
        if index and progress is not None:
            progress.count()
        if not turn.ok:
            run.stopped = "error"
            break
        if turn.body.get("paused") or turn.body.get("handoff_reason"):
            run.stopped = "handoff"
            break
        if turn.body.get("phase") == "afgerond":
            run.stopped = "afgerond"
            break
        bot = list(turn.body.get("messages") or [])
    return run


async def run_kiosks(
    count: int,
    one_session: Callable[[int], Awaitable[SessionRun]],
    sessions_each: int = 1,
    stagger_s: float = 0.5,
) -> List[SessionRun]:
    """`count` kiosks at once, each running `sessions_each` conversations back to back."""

    async def kiosk(number: int) -> List[SessionRun]:
        # Kiosks do not all press "start" in the same millisecond.
        await asyncio.sleep(random.uniform(0, stagger_s))
        return [await one_session(number * sessions_each + i) for i in range(sessions_each)]

    results = await asyncio.gather(*(kiosk(n) for n in range(count)))
    return [run for runs in results for run in runs]


def http_client(
    base_url: str = "", *, kiosk_key: Optional[str] = None, concurrency: int = 100, timeout_s: float = 120.0
) -> httpx.AsyncClient:
    """One connection per kiosk, like separate devices."""
    headers = {"X-Kiosk-Key": kiosk_key} if kiosk_key else None
    limits = httpx.Limits(max_connections=concurrency + 10, max_keepalive_connections=concurrency + 10)
    return httpx.AsyncClient(
        base_url=base_url, headers=headers, limits=limits, timeout=httpx.Timeout(timeout_s, connect=10.0)
    )


def new_session_id() -> str:
    return uuid.uuid4().hex

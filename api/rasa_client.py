"""Async client for the Rasa servers behind the API.

The API talks to Rasa only through the custom input channel `coach`
(`POST {rasa_url}/webhooks/coach/webhook`, see docs/architecture.md) and, for
hand-back, through Rasa's tracker-events HTTP API.

Several Rasa servers share one tracker store and a Redis lock store, so any of
them can answer any conversation. Calls go round robin; a call moves on to the
next server **only when the request certainly never reached Rasa**:

* connect error / connect timeout / pool timeout: no byte of the request left
  this process, so the message cannot have been processed → try the next server.
* read timeout, dropped connection after sending, 5xx: Rasa may have processed
  the message (tracker updated, plan answer written by an action) even though
  we never saw the reply. Sending it again could record the answer twice or
  skip a question, so the caller gets `RasaUnavailable` and the API hands the
  conversation to a person instead of guessing.

Overload (issue 16.5): at most ``max_turns_per_server`` turns are in flight to each
Rasa server at once (`TurnGate`); further turns wait in one first-come-first-served
queue in the API, so Rasa works on a few turns at a time and answers each within
the timeout instead of slowing all of them down until they time out. A turn that
waits longer than ``busy_notice_s`` calls its ``on_wait`` callback once (the API
tells the kiosk "een ogenblik"); waiting is never a reason for a hand-off. A turn
that cannot get a server within ``queue_timeout_s`` never reached Rasa
(``RasaUnavailable(maybe_processed=False)``).
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Deque, Dict, List, Optional, Sequence
from urllib.parse import urlsplit, urlunsplit

import httpx

from api.observability import observe_rasa_call
from bot.logging_setup import REQUEST_ID_HEADER, REQUEST_ID_METADATA, current_request_id

CHANNEL_PATH = "/webhooks/coach/webhook"
RESUME_MESSAGE = "/resume_conversation"
# Events that lift Rasa's ConversationPaused and clear the reason slot.
RESUME_EVENTS: List[Dict[str, Any]] = [
    {"event": "resume"},
    {"event": "slot", "name": "handoff_reason", "value": None},
]

# Requests in flight to all Rasa servers together; more wait for a free connection.
MAX_CONNECTIONS = 200

# Turns in flight to one Rasa server at once (COACH_RASA_MAX_TURNS_PER_SERVER); the rest queue.
MAX_TURNS_PER_SERVER = 4

OnWait = Callable[[], Awaitable[None]]

# Errors raised before the request was written: safe to retry elsewhere.
_NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class RasaUnavailable(Exception):
    """No Rasa server gave a usable reply; the message may or may not be processed."""

    def __init__(self, message: str, *, maybe_processed: bool) -> None:
        super().__init__(message)
        self.maybe_processed = maybe_processed


class RasaBadReply(RasaUnavailable):
    """Rasa answered, but not with the channel's JSON shape."""

    def __init__(self, message: str) -> None:
        super().__init__(message, maybe_processed=True)


@dataclass
class BotMessage:
    text: str
    buttons: List[Dict[str, str]] = field(default_factory=list)
    utter_action: Optional[str] = None
    mi_code: Optional[str] = None
    custom: Optional[Dict[str, Any]] = None


@dataclass
class ChannelReply:
    """One reply of the `coach` channel, parsed and defaulted."""

    messages: List[BotMessage]
    phase: Optional[str]
    paused: bool
    handoff_reason: Optional[str]
    nlu: Dict[str, Any]
    server: str

    @property
    def safety(self) -> Dict[str, Any]:
        return self.nlu.get("safety") or {}


def _parse_buttons(raw: Any) -> List[Dict[str, str]]:
    buttons = []
    for button in raw or []:
        if not isinstance(button, dict):
            continue
        title = str(button.get("title") or "")
        # A button without payload would be a dead button on the kiosk: send its title.
        payload = str(button.get("payload") or title)
        if title:
            buttons.append({"title": title, "payload": payload})
    return buttons


def parse_channel_reply(body: Any, server: str) -> ChannelReply:
    if not isinstance(body, dict) or not isinstance(body.get("messages", []), list):
        raise RasaBadReply(f"{server} answered without a 'messages' list")
    messages = []
    for raw in body.get("messages") or []:
        if not isinstance(raw, dict):
            continue
        text = raw.get("text") or ""
        buttons = _parse_buttons(raw.get("buttons"))
        if not text and not buttons:
            continue  # images, custom json: nothing the kiosk can show
        messages.append(
            BotMessage(
                text=str(text),
                buttons=buttons,
                utter_action=raw.get("utter_action"),
                mi_code=raw.get("mi_code"),
                custom=raw.get("custom") if isinstance(raw.get("custom"), dict) else None,
            )
        )
    raw_nlu = body.get("nlu")
    nlu: Dict[str, Any] = raw_nlu if isinstance(raw_nlu, dict) else {}
    return ChannelReply(
        messages=messages,
        phase=body.get("phase") or None,
        paused=bool(body.get("paused")),
        handoff_reason=body.get("handoff_reason") or None,
        nlu=nlu,
        server=server,
    )


class TurnGate:
    """Per-server turn slots with one fair (FIFO) queue for all of them.

    ``acquire`` returns a server with a free slot, the next in round-robin order; when
    every server is full the caller waits in line and gets the first slot freed (a freed
    slot goes to the longest waiting turn, never to one that just arrived).
    """

    def __init__(self, servers: Sequence[str], per_server: int) -> None:
        if per_server < 1:
            raise ValueError("per_server must be at least 1")
        self.servers = list(servers)
        self.per_server = per_server
        self.in_flight: Dict[str, int] = {server: 0 for server in self.servers}
        self._waiting: Deque["asyncio.Future[str]"] = collections.deque()
        self._turn = itertools.cycle(range(len(self.servers)))

    @property
    def queued(self) -> int:
        return sum(1 for future in self._waiting if not future.done())

    def _free_server(self) -> Optional[str]:
        start = next(self._turn)
        for server in self.servers[start:] + self.servers[:start]:
            if self.in_flight[server] < self.per_server:
                return server
        return None

    async def acquire(
        self,
        *,
        on_wait: Optional[OnWait] = None,
        notice_after_s: Optional[float] = None,
        timeout_s: Optional[float] = None,
    ) -> str:
        while self._waiting and self._waiting[0].done():
            self._waiting.popleft()  # turns that gave up
        if not self._waiting:
            server = self._free_server()
            if server is not None:
                self.in_flight[server] += 1
                return server
        future: "asyncio.Future[str]" = asyncio.get_running_loop().create_future()
        self._waiting.append(future)
        started = time.monotonic()
        try:
            if on_wait is not None and notice_after_s is not None:
                done, _ = await asyncio.wait({future}, timeout=notice_after_s)
                if not done:
                    await on_wait()
            remaining = None if timeout_s is None else max(0.0, timeout_s - (time.monotonic() - started))
            return await asyncio.wait_for(asyncio.shield(future), remaining)
        except BaseException:
            if future.done() and not future.cancelled():
                self.release(future.result())  # handed a slot while giving up: pass it on
            else:
                future.cancel()
            raise

    def release(self, server: str) -> None:
        """Hand the slot to the longest waiting turn, or free it."""
        while self._waiting:
            future = self._waiting.popleft()
            if not future.done():
                future.set_result(server)
                return
        self.in_flight[server] -= 1


def action_server_health_url(action_server_url: str) -> str:
    """`http://host:5055/webhook` → `http://host:5055/health`."""
    parts = urlsplit(action_server_url)
    path = parts.path.rstrip("/")
    if path.endswith("/webhook"):
        path = path[: -len("/webhook")]
    return urlunsplit((parts.scheme, parts.netloc, path.rstrip("/") + "/health", "", ""))


class RasaClient:
    """Round-robin client over the configured Rasa servers."""

    def __init__(
        self,
        urls: Sequence[str],
        *,
        token: str,
        action_server_url: str,
        timeout_s: float = 15.0,
        transport: Optional[httpx.AsyncBaseTransport] = None,
        internal_token: Optional[str] = None,
        max_turns_per_server: int = MAX_TURNS_PER_SERVER,
        busy_notice_s: Optional[float] = 3.0,
        queue_timeout_s: Optional[float] = 120.0,
    ) -> None:
        self.urls = [u.rstrip("/") for u in urls if u and u.strip()]
        if not self.urls:
            raise ValueError("at least one Rasa URL is needed")
        self.token = token
        self.action_server_url = action_server_url
        self._turns = itertools.cycle(range(len(self.urls)))
        self.gate = TurnGate(self.urls, max_turns_per_server)
        self.busy_notice_s = busy_notice_s
        self.queue_timeout_s = queue_timeout_s
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_s, connect=min(3.0, timeout_s)),
            # Keep a connection per kiosk in flight: httpx's default keeps only 20 alive, so
            # with more kiosks every turn paid a new TCP connection to Rasa. Idle ones close
            # well before Rasa's own keep-alive timeout (120 s), so a reused one is never
            # closed by the server while our request is on its way.
            limits=httpx.Limits(
                max_connections=MAX_CONNECTIONS,
                max_keepalive_connections=MAX_CONNECTIONS,
                keepalive_expiry=30.0,
            ),
            transport=transport,
            # The channel webhook only answers the API (rasa_plugins/coach_channel.py).
            headers={"X-Coach-Internal-Token": internal_token} if internal_token else None,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    def _servers_in_turn(self) -> List[str]:
        start = next(self._turns)
        return self.urls[start:] + self.urls[:start]

    async def _post_somewhere(
        self, path: str, json: Any, *, params=None, servers=None, operation: str = "other"
    ):
        """POST to the first server that accepts the connection; see module doc.

        Timed for /metrics (``coach_rasa_request_duration_seconds``, failures by kind); the
        request id of the API request goes along in ``X-Request-ID``."""
        started = time.perf_counter()
        request_id = current_request_id()
        headers = {REQUEST_ID_HEADER: request_id} if request_id else None
        last_error: Optional[Exception] = None
        for server in servers or self._servers_in_turn():
            try:
                response = await self._http.post(server + path, json=json, params=params, headers=headers)
            except _NOT_SENT_ERRORS as exc:
                last_error = exc
                continue
            except httpx.HTTPError as exc:
                observe_rasa_call(operation, time.perf_counter() - started, "error", "maybe_processed")
                raise RasaUnavailable(f"{server}: {type(exc).__name__}", maybe_processed=True) from exc
            if response.status_code >= 500:
                observe_rasa_call(operation, time.perf_counter() - started, "error", "maybe_processed")
                raise RasaUnavailable(f"{server}: HTTP {response.status_code}", maybe_processed=True)
            observe_rasa_call(
                operation,
                time.perf_counter() - started,
                "ok" if response.status_code < 400 else "error",
                None if response.status_code < 400 else "bad_reply",
            )
            return server, response
        observe_rasa_call(operation, time.perf_counter() - started, "error", "not_reached")
        raise RasaUnavailable(
            f"no Rasa server reachable ({type(last_error).__name__})", maybe_processed=False
        )

    def _failover_order(self, server: str) -> List[str]:
        """The gate's server first, then the others (only tried when it refuses the connection)."""
        start = self.urls.index(server)
        return self.urls[start:] + self.urls[:start]

    async def _slot(self, on_wait: Optional[OnWait]) -> str:
        try:
            return await self.gate.acquire(
                on_wait=on_wait, notice_after_s=self.busy_notice_s, timeout_s=self.queue_timeout_s
            )
        except asyncio.TimeoutError:
            raise RasaUnavailable(
                f"every Rasa server busy for {self.queue_timeout_s:g} s", maybe_processed=False
            ) from None

    async def send(
        self,
        session_id: str,
        text: str,
        metadata: Optional[Dict[str, Any]] = None,
        *,
        on_wait: Optional[OnWait] = None,
    ) -> ChannelReply:
        """One turn through the `coach` channel, in line for a free slot (see module doc)."""
        server = await self._slot(on_wait)
        try:
            return await self._send(self._failover_order(server), session_id, text, metadata)
        finally:
            self.gate.release(server)

    async def _send(
        self, servers: List[str], session_id: str, text: str, metadata: Optional[Dict[str, Any]] = None
    ) -> ChannelReply:
        message_metadata: Dict[str, Any] = {"session_id": session_id, **(metadata or {})}
        request_id = current_request_id()
        if request_id:
            # Rasa keeps it with the message; the action server logs it (rasa_plugins/).
            message_metadata[REQUEST_ID_METADATA] = request_id
        payload = {"sender": session_id, "message": text, "metadata": message_metadata}
        server, response = await self._post_somewhere(
            CHANNEL_PATH,
            payload,
            servers=servers,
            operation="resume" if text == RESUME_MESSAGE else "message",
        )
        if response.status_code >= 400:
            raise RasaBadReply(f"{server}: HTTP {response.status_code} from the channel")
        try:
            body = response.json()
        except ValueError as exc:
            raise RasaBadReply(f"{server}: reply is not JSON") from exc
        return parse_channel_reply(body, server)

    async def resume(
        self, session_id: str, *, phase: Optional[str] = None, on_wait: Optional[OnWait] = None
    ) -> ChannelReply:
        """Lift the pause in Rasa (and set its `phase` slot), then let the bot take its next turn."""
        events = list(RESUME_EVENTS)
        if phase:
            # The assistant keeps the phase in slot `phase`; the counsellor may have chosen another.
            events.append({"event": "slot", "name": "phase", "value": phase})
        slot = await self._slot(on_wait)
        try:
            servers = self._failover_order(slot)
            server, response = await self._post_somewhere(
                f"/conversations/{session_id}/tracker/events",
                events,
                params={"token": self.token},
                servers=servers,
                operation="tracker_events",
            )
            if response.status_code >= 400:
                raise RasaBadReply(
                    f"{server}: HTTP {response.status_code} on tracker events (token? --enable-api?)"
                )
            metadata: Dict[str, Any] = {"system": True}
            if phase:
                metadata["phase"] = phase
            return await self._send(servers, session_id, RESUME_MESSAGE, metadata)
        finally:
            self.gate.release(slot)

    async def forget(self, session_id: str) -> List[str]:
        """Empty this conversation's tracker on every Rasa server (in-memory tracker store).

        Rasa's `PUT /conversations/{id}/tracker/events` replaces the tracker with the
        events given, here none. Returns what failed (empty when all forgot it); a
        server that refuses the connection is not running and holds nothing.
        """
        failed: List[str] = []
        for server in self.urls:
            try:
                response = await self._http.put(
                    f"{server}/conversations/{session_id}/tracker/events",
                    json=[],
                    params={"token": self.token},
                )
            except httpx.ConnectError:
                continue
            except httpx.HTTPError as exc:
                failed.append(f"{server}: {type(exc).__name__}")
                continue
            if response.status_code >= 300:
                failed.append(f"{server}: HTTP {response.status_code}")
        return failed

    async def story(self, session_id: str) -> str:
        """The conversation as a Rasa test story (YAML), from Rasa 3.6's
        ``GET /conversations/{id}/story`` with the server token; the first server that knows the
        conversation answers. Raises RasaUnavailable when none does."""
        last = "no Rasa server reachable"
        for server in self.urls:
            try:
                response = await self._http.get(
                    f"{server}/conversations/{session_id}/story", params={"token": self.token}
                )
            except httpx.HTTPError as exc:
                last = f"{server}: {type(exc).__name__}"
                continue
            if response.status_code == 200 and "steps:" in response.text:
                return response.text
            last = f"{server}: HTTP {response.status_code}" + (
                "" if response.status_code != 200 else " (empty story)"
            )
        raise RasaUnavailable(last, maybe_processed=False)

    async def _probe(self, url: str, params=None) -> str:
        try:
            response = await self._http.get(url, params=params, timeout=3.0)
        except httpx.HTTPError as exc:
            return f"down ({type(exc).__name__})"
        return "ok" if response.status_code == 200 else f"error (HTTP {response.status_code})"

    async def status(self) -> Dict[str, str]:
        """`{"rasa": ..., "actions": ...}`: "ok" when at least one Rasa server is up."""
        rasa = "down (no server)"
        for server in self.urls:
            rasa = await self._probe(server + "/status", params={"token": self.token})
            if rasa == "ok":
                break
        actions = await self._probe(action_server_health_url(self.action_server_url))
        return {"rasa": rasa, "actions": actions}

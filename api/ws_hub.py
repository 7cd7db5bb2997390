"""In-process notification hub for WebSocket listeners.

The hub carries *nudges*, not data: "session X changed". Each WebSocket handler
then reads what is new from the database and sends it. So the database stays
the one source of truth, a slow socket never loses a message, and with several
API workers a socket whose nudge went to another worker still catches up on its
periodic re-read (see `routers/kiosk.py`, `WS_REFRESH_S`).

Several API replicas (issue 15.3): with ``COACH_REDIS_URL`` set, ``RedisHub`` also
publishes every nudge on a Redis pub/sub channel (``COACH_HUB_CHANNEL``) and delivers
the nudges of the other replicas to its own listeners, so a crisis raised on one
replica reaches a counsellor connected to another at once. Local listeners are nudged
directly, so with Redis away a replica still serves its own sockets; a nudge lost while
Redis was away is caught up by the re-reads (and the console reloads the queue when its
socket reconnects).
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections import defaultdict
from typing import Any, Dict, Optional, Set

log = logging.getLogger(__name__)

STAFF_TOPIC = "staff"


class Hub:
    def __init__(self) -> None:
        self._listeners: Dict[str, Set[asyncio.Queue]] = defaultdict(set)

    def subscribe(self, topic: str) -> asyncio.Queue:
        # Bounded: a listener only needs to know *that* something changed.
        queue: asyncio.Queue = asyncio.Queue(maxsize=100)
        self._listeners[topic].add(queue)
        return queue

    def unsubscribe(self, topic: str, queue: asyncio.Queue) -> None:
        listeners = self._listeners.get(topic)
        if listeners is not None:
            listeners.discard(queue)
            if not listeners:
                del self._listeners[topic]

    def listener_count(self, topic: str) -> int:
        return len(self._listeners.get(topic, ()))

    def publish(self, topic: str, event: Optional[Dict[str, Any]] = None) -> None:
        self._deliver(topic, event)

    def _deliver(self, topic: str, event: Optional[Dict[str, Any]]) -> None:
        for queue in list(self._listeners.get(topic, ())):
            try:
                queue.put_nowait(event or {})
            except asyncio.QueueFull:
                pass  # it already has unread nudges; it will re-read the DB anyway

    def session_changed(self, session_id: str, **event: Any) -> None:
        """Nudge the kiosk of this session and every staff console."""
        self.publish(session_id, {"session_id": session_id, **event})
        self.publish(STAFF_TOPIC, {"session_id": session_id, **event})

    async def start(self) -> None:
        """Begin relaying (nothing to do in-process)."""

    async def stop(self) -> None:
        """Stop relaying (nothing to do in-process)."""

    @property
    def relay_state(self) -> str:
        return "in-process"


async def next_nudge(queue: asyncio.Queue, timeout_s: float) -> Optional[Dict[str, Any]]:
    """Wait for a nudge; None on timeout. Drains extra nudges so one read serves them all."""
    try:
        event = await asyncio.wait_for(queue.get(), timeout=timeout_s)
    except asyncio.TimeoutError:
        return None
    while not queue.empty():
        event = queue.get_nowait()
    return event


# Reconnect waits after Redis went away (seconds), the last one repeated.
RECONNECT_S = (0.2, 0.5, 1.0, 2.0, 5.0)


class RedisHub(Hub):
    """A Hub that also relays nudges between API replicas through Redis pub/sub."""

    def __init__(self, url: str, channel: str = "coach:hub") -> None:
        super().__init__()
        self.url = url
        self.channel = channel
        self.origin = uuid.uuid4().hex  # this replica: its own nudges are not delivered twice
        self._outbox: Optional[asyncio.Queue] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._tasks: list = []
        self._subscribed: Optional[asyncio.Event] = None
        self.connected = False
        self.received = 0

    @property
    def relay_state(self) -> str:
        return "redis (connected)" if self.connected else "redis (not connected)"

    def publish(self, topic: str, event: Optional[Dict[str, Any]] = None) -> None:
        self._deliver(topic, event)
        if self._outbox is None or self._loop is None:
            return
        item = json.dumps({"origin": self.origin, "topic": topic, "event": event or {}}, default=str)
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._put(item)
        else:  # from a worker thread
            self._loop.call_soon_threadsafe(self._put, item)

    def _put(self, item: str) -> None:
        try:
            self._outbox.put_nowait(item)  # type: ignore[union-attr]
        except asyncio.QueueFull:
            log.warning("hub relay backlog full; a nudge is left to the re-reads")

    async def start(self) -> None:
        if self._tasks:
            return
        self._loop = asyncio.get_running_loop()
        self._outbox = asyncio.Queue(maxsize=10_000)
        self._subscribed = asyncio.Event()
        self._tasks = [asyncio.ensure_future(self._send_loop()), asyncio.ensure_future(self._receive_loop())]

    async def wait_subscribed(self, timeout_s: float) -> bool:
        if self._subscribed is None:
            return False
        try:
            await asyncio.wait_for(self._subscribed.wait(), timeout_s)
            return True
        except asyncio.TimeoutError:
            return False

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
        self._tasks = []
        self.connected = False

    def _client(self):
        import redis.asyncio as aioredis

        return aioredis.Redis.from_url(self.url, socket_connect_timeout=2, health_check_interval=30)

    async def _send_loop(self) -> None:
        attempt = 0
        client = None
        item: Optional[str] = None
        while True:
            try:
                if item is None:
                    item = await self._outbox.get()  # type: ignore[union-attr]
                if client is None:
                    client = self._client()
                await client.publish(self.channel, item)
                item = None
                attempt = 0
            except asyncio.CancelledError:
                if client is not None:
                    await client.close()
                raise
            except Exception as exc:  # Redis away: keep the nudge, wait, try again
                log.warning("hub: publishing to Redis failed (%s); retrying", type(exc).__name__)
                if client is not None:
                    try:
                        await client.close()
                    except Exception:
                        pass
                client = None
                await asyncio.sleep(RECONNECT_S[min(attempt, len(RECONNECT_S) - 1)])
                attempt += 1

    async def _receive_loop(self) -> None:
        attempt = 0
        while True:
            client = pubsub = None
            try:
                client = self._client()
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                await pubsub.subscribe(self.channel)
                if attempt:
                    # Nudges sent while we were away are lost: every listener re-reads now.
                    # (Kiosk sockets re-read on any nudge; consoles re-read on their own poll.)
                    for topic in list(self._listeners):
                        if topic != STAFF_TOPIC:
                            self._deliver(topic, {"resync": True})
                self.connected = True
                self._subscribed.set()  # type: ignore[union-attr]
                attempt = 0
                while True:
                    message = await pubsub.get_message(timeout=30.0)
                    if message is None or message.get("type") != "message":
                        continue
                    try:
                        data = json.loads(message["data"])
                    except (TypeError, ValueError):
                        continue
                    if not isinstance(data, dict) or data.get("origin") == self.origin:
                        continue
                    self.received += 1
                    self._deliver(str(data.get("topic")), data.get("event") or {})
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.connected = False
                log.warning("hub: Redis subscription lost (%s); reconnecting", type(exc).__name__)
                await asyncio.sleep(RECONNECT_S[min(attempt, len(RECONNECT_S) - 1)])
                attempt += 1
            finally:
                for closing in (pubsub, client):
                    if closing is not None:
                        try:
                            await closing.close()
                        except Exception:
                            pass


def make_hub(settings) -> Hub:
    """RedisHub when COACH_REDIS_URL is set, the in-process Hub otherwise."""
    url = getattr(settings, "redis_url", None)
    if url:
        return RedisHub(url, getattr(settings, "hub_channel", "coach:hub"))
    return Hub()


def install_hub(app) -> None:
    """Start and stop the hub's relay with the app (a no-op for the in-process hub)."""

    @app.on_event("startup")
    async def _start_hub() -> None:
        await app.state.hub.start()

    @app.on_event("shutdown")
    async def _stop_hub() -> None:
        await app.state.hub.stop()

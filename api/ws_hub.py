"""In-process notification hub for WebSocket listeners.

The hub carries *nudges*, not data: "session X changed". Each WebSocket handler
then reads what is new from the database and sends it. So the database stays
the one source of truth, a slow socket never loses a message, and with several
API workers a socket whose nudge went to another worker still catches up on its
periodic re-read (see `routers/kiosk.py`, `WS_REFRESH_S`).
"""
from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any, Dict, Optional, Set

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
        for queue in list(self._listeners.get(topic, ())):
            try:
                queue.put_nowait(event or {})
            except asyncio.QueueFull:
                pass  # it already has unread nudges; it will re-read the DB anyway

    def session_changed(self, session_id: str, **event: Any) -> None:
        """Nudge the kiosk of this session and every staff console."""
        self.publish(session_id, {"session_id": session_id, **event})
        self.publish(STAFF_TOPIC, {"session_id": session_id, **event})


async def next_nudge(queue: asyncio.Queue, timeout_s: float) -> Optional[Dict[str, Any]]:
    """Wait for a nudge; None on timeout. Drains extra nudges so one read serves them all."""
    try:
        event = await asyncio.wait_for(queue.get(), timeout=timeout_s)
    except asyncio.TimeoutError:
        return None
    while not queue.empty():
        event = queue.get_nowait()
    return event

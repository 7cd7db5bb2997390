"""A small sliding-window rate limiter, kept in process memory.

Enough to stop a stuck key or a runaway script from flooding Rasa and the
transcript. Limits are per API worker; behind several workers the effective
limit is N times higher, which is acceptable for this purpose.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable, Deque, Dict


@dataclass(frozen=True)
class Limit:
    count: int
    window_s: float


def per_minute(count: int) -> Limit:
    """Limits come from settings (COACH_RATE_LIMIT_*), counted per minute."""
    return Limit(count, 60.0)


class RateLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._hits: Dict[str, Deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, bucket: str, limit: Limit) -> bool:
        """Count one hit in `bucket`; False when the window is already full."""
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(bucket, deque())
            while hits and now - hits[0] >= limit.window_s:
                hits.popleft()
            if len(hits) >= limit.count:
                return False
            hits.append(now)
            if len(self._hits) > 10_000:
                self._forget_idle(now, limit.window_s)
            return True

    def _forget_idle(self, now: float, window_s: float) -> None:
        for bucket in [b for b, h in self._hits.items() if not h or now - h[-1] >= window_s]:
            del self._hits[bucket]

"""Run blocking database work from async endpoints, one unit of work at a time.

The message path must commit at exact points (the client's message before Rasa
is called, the replies after), so async endpoints hand each step to a worker
thread as one transaction: commit on success, roll back on any error.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Optional, TypeVar

import anyio
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

T = TypeVar("T")


class DbRunner:
    def __init__(self, maker: sessionmaker) -> None:
        self.maker = maker

    def _unit(self, work: Callable[..., T], args: tuple, kwargs: dict) -> T:
        db: Session = self.maker()
        try:
            result = work(db, *args, **kwargs)
            db.commit()
            return result
        except BaseException:
            db.rollback()
            raise
        finally:
            db.close()

    async def run(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`work(db, *args, **kwargs)` in a thread, committed as one transaction."""
        return await run_in_threadpool(self._unit, work, args, kwargs)

    async def run_limited(
        self, limiter: Optional[anyio.CapacityLimiter], work: Callable[..., T], *args: Any
    ) -> T:
        """As ``run``, on at most ``limiter``'s threads: work that strangers can start in bulk
        (sign-in guesses) waits for its own few threads and never fills the pool every kiosk
        turn needs."""
        return await anyio.to_thread.run_sync(functools.partial(self._unit, work, args, {}), limiter=limiter)

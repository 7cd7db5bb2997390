"""Erasing a conversation from Rasa's tracker store, too.

Rasa keeps every raw message, entity and slot value of a conversation in its
tracker store, keyed by ``sender_id`` = our session id (docs/architecture.md).
Deleting a client or anonymising a session in the app database alone would leave
all of that behind. Two stores, two ways:

* **SQL tracker store** (``COACH_TRACKER_STORE_URL``; PostgreSQL in production):
  Rasa's ``SQLTrackerStore`` keeps one table, ``events`` (``sender_id``, ``data``
  with the text, …). We delete the session's rows there directly.
* **In-memory tracker store** (development, one Rasa server): only the Rasa
  process holds the tracker, so we ask each Rasa server to replace the tracker's
  events with an empty list (``PUT /conversations/{id}/tracker/events?token=…``,
  Rasa's HTTP API, enabled with ``--enable-api`` and the Rasa token). A server that
  refuses the connection is not running, so its memory holds nothing (reported as
  ``not_running``); any other failure is reported as not erased.

Both are best effort after the app's own transaction has committed: the report
tells the caller (and through it the audit trail) what was erased and what not.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Callable, Iterable, List, Optional, Sequence

from sqlalchemy import bindparam, create_engine, inspect, text

log = logging.getLogger(__name__)

EVENTS_TABLE = "events"
# PUT {rasa}/conversations/{id}/tracker/events with [] replaces the tracker with an empty one.
TRACKER_EVENTS_PATH = "/conversations/{session_id}/tracker/events"
HTTP_TIMEOUT_S = 5.0

# (url, params, json body) -> HTTP status; raises OSError when the server cannot be reached.
PutFunction = Callable[[str, dict, list], int]


@dataclass
class ErasureReport:
    store: str  # "sql" | "memory" | "none"
    sessions: int = 0
    rows_deleted: int = 0  # SQL store: event rows removed
    forgotten: int = 0  # in-memory store: (session, server) pairs Rasa confirmed
    failed: List[str] = field(default_factory=list)  # what could not be erased, without client data
    not_running: List[str] = field(default_factory=list)  # in-memory Rasa servers not running: nothing held

    @property
    def complete(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict:
        return {
            "store": self.store,
            "sessions": self.sessions,
            "rows_deleted": self.rows_deleted,
            "forgotten": self.forgotten,
            "complete": self.complete,
            "failed": self.failed[:20],
            "not_running": self.not_running,
        }


def erase_sql(url: str, session_ids: Sequence[str]) -> ErasureReport:
    """Delete the tracker events of these sessions from Rasa's SQL tracker store."""
    report = ErasureReport(store="sql", sessions=len(session_ids))
    if not session_ids:
        return report
    engine = create_engine(url, future=True)
    try:
        if not inspect(engine).has_table(EVENTS_TABLE):
            return report  # Rasa has not written a single event yet: nothing to erase
        statement = text(f"DELETE FROM {EVENTS_TABLE} WHERE sender_id IN :ids").bindparams(
            bindparam("ids", expanding=True)
        )
        with engine.begin() as conn:
            for start in range(0, len(session_ids), 500):
                chunk = list(session_ids[start : start + 500])
                report.rows_deleted += conn.execute(statement, {"ids": chunk}).rowcount or 0
    except Exception as exc:  # the app data is gone already; say what is left
        log.error("tracker store erasure failed: %s", type(exc).__name__)
        report.failed.append(f"sql: {type(exc).__name__}")
    finally:
        engine.dispose()
    return report


def urllib_put(url: str, params: dict, body: list) -> int:
    """The default HTTP call (stdlib only: bot/ has no HTTP client dependency)."""
    request = urllib.request.Request(
        url + "?" + urllib.parse.urlencode(params),
        data=json.dumps(body).encode("utf-8"),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as response:  # noqa: S310 (our own Rasa)
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, OSError):
            raise exc.reason from None  # e.g. ConnectionRefusedError: nothing listens there
        raise


def erase_in_memory(
    rasa_urls: Sequence[str], token: str, session_ids: Sequence[str], *, put: Optional[PutFunction] = None
) -> ErasureReport:
    """Ask every Rasa server to forget these conversations (empty their trackers)."""
    put = put or urllib_put
    report = ErasureReport(store="memory", sessions=len(session_ids))
    for server in rasa_urls:
        server = server.rstrip("/")
        reachable = True
        for session_id in session_ids:
            if not reachable:
                report.failed.append(f"{server}: unreachable")
                continue
            url = server + TRACKER_EVENTS_PATH.format(session_id=urllib.parse.quote(session_id, safe=""))
            try:
                status = put(url, {"token": token}, [])
            except ConnectionRefusedError:
                # Nothing listens there: no Rasa process, so no conversation held in its memory.
                report.not_running.append(server)
                break
            except OSError as exc:
                reachable = False  # one connect failure per server is enough to know
                log.warning("Rasa %s unreachable while erasing trackers: %s", server, type(exc).__name__)
                report.failed.append(f"{server}: unreachable")
                continue
            if 200 <= status < 300:
                report.forgotten += 1
            else:
                report.failed.append(f"{server}: HTTP {status}")
    return report


def erase(settings, session_ids: Iterable[str], *, put: Optional[PutFunction] = None) -> ErasureReport:
    """Erase these sessions from whichever tracker store the settings name."""
    ids = sorted({s for s in session_ids if s})
    if not ids:
        return ErasureReport(store="sql" if settings.tracker_store_url else "memory")
    if settings.tracker_store_url:
        return erase_sql(settings.tracker_store_url, ids)
    return erase_in_memory(settings.rasa_urls, settings.rasa_token, ids, put=put)

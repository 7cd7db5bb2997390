"""What an operator watches the API by (issue 15.5): Prometheus metrics, request ids,
access log lines and optional error tracking.

* ``GET /metrics`` (Prometheus text format, prometheus-client): request latency by route
  template, client turns, sessions started, hand-offs by reason, safety flags by tier and
  category (the API's own reading of each client message), Rasa call latency and
  failures, and the number of sessions waiting for a counsellor by reason (read from the
  database at scrape time, so every replica reports the same queue). Labels are route
  templates, reasons, tiers and outcomes only: never a session id, a path with an id, or
  client text.
* ``RequestContext`` (pure ASGI middleware): takes the caller's ``X-Request-ID`` (or makes
  one), keeps it in ``bot.logging_setup.request_id_var`` for the request's log lines and
  the Rasa call (``api/rasa_client.py`` sends it on), returns it in the response header,
  measures the latency and logs one access line (method, route template, status, ms).
* Hand-offs, turns and flags are counted by SQLAlchemy ``after_insert`` events on the
  rows the API writes (``Message``, ``Handoff``, ``ChatSession``), so the conversation code
  needs no counter calls.
* ``init_error_tracking(settings)``: sentry-sdk only when ``COACH_SENTRY_DSN`` is set, without
  request bodies, local variables or personal data.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, Callable, Dict, Optional

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import event, func, select

from bot.logging_setup import REQUEST_ID_HEADER, clean_request_id, new_request_id, request_id_var

log = logging.getLogger("api.access")

# One registry for the process: apps made again and again (tests) share the metrics.
REGISTRY = CollectorRegistry(auto_describe=True)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0)

HTTP_LATENCY = Histogram(
    "coach_http_request_duration_seconds",
    "API request latency by route template.",
    ["method", "route", "status"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
TURNS = Counter(
    "coach_client_turns_total", "Client messages stored (one per client turn).", registry=REGISTRY
)
SESSIONS_STARTED = Counter(
    "coach_sessions_started_total", "Sessions started.", ["training"], registry=REGISTRY
)
HANDOFFS = Counter(
    "coach_handoffs_total", "Hand-offs to a counsellor by reason.", ["reason"], registry=REGISTRY
)
SAFETY_FLAGS = Counter(
    "coach_safety_flags_total",
    "Client messages the API's safety reading flagged, by tier and category.",
    ["tier", "category"],
    registry=REGISTRY,
)
RASA_LATENCY = Histogram(
    "coach_rasa_request_duration_seconds",
    "Calls to Rasa by operation and outcome.",
    ["operation", "outcome"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
RASA_FAILURES = Counter(
    "coach_rasa_failures_total",
    "Rasa calls without a usable reply, by operation and kind " "(not_reached, maybe_processed, bad_reply).",
    ["operation", "kind"],
    registry=REGISTRY,
)

UNMATCHED_ROUTE = "(unmatched)"


# --- database events -----------------------------------------------------------


def _on_message(mapper, connection, message) -> None:
    if message.sender != "client":
        return
    TURNS.inc()
    safety = message.safety if isinstance(message.safety, dict) else {}
    category = str(safety.get("category") or "none")
    try:
        tier = int(safety.get("tier") or 0)
    except (TypeError, ValueError):
        tier = 0
    if tier > 0 or category != "none":
        SAFETY_FLAGS.labels(tier=str(tier), category=category[:20]).inc()


def _on_handoff(mapper, connection, handoff) -> None:
    HANDOFFS.labels(reason=str(handoff.reason)).inc()


def _on_session(mapper, connection, chat_session) -> None:
    SESSIONS_STARTED.labels(training="yes" if chat_session.is_training else "no").inc()


_listening = False


def install_model_counters() -> None:
    """Count turns, flags, hand-offs and sessions as their rows are inserted (once per process)."""
    global _listening
    if _listening:
        return
    from bot.db.models import ChatSession, Handoff, Message

    event.listen(Message, "after_insert", _on_message)
    event.listen(Handoff, "after_insert", _on_handoff)
    event.listen(ChatSession, "after_insert", _on_session)
    _listening = True


# --- the queue, read at scrape time ----------------------------------------------


class QueueCollector:
    """``coach_queue_waiting{reason}``: sessions waiting for a counsellor (training ones left out)."""

    def __init__(self, read: Callable[[], Dict[str, int]]) -> None:
        self.read = read

    def collect(self):
        gauge = GaugeMetricFamily(
            "coach_queue_waiting", "Sessions waiting for a counsellor, by reason.", labels=["reason"]
        )
        try:
            counts = self.read()
        except Exception:  # a scrape must not fail because the database is away
            log.warning("queue length unavailable for /metrics", exc_info=True)
            counts = {}
        from bot.db.models import HANDOFF_REASONS

        for reason in HANDOFF_REASONS:
            gauge.add_metric([reason], counts.get(reason, 0))
        yield gauge


def waiting_by_reason(sessionmaker) -> Dict[str, int]:
    from bot.db.models import ChatSession

    with sessionmaker() as db:
        rows = db.execute(
            select(ChatSession.handoff_reason, func.count())
            .where(ChatSession.status == "waiting_for_human", ChatSession.is_training.is_(False))
            .group_by(ChatSession.handoff_reason)
        ).all()
    return {str(reason or "uncertain"): int(count) for reason, count in rows}


def render_metrics(sessionmaker) -> bytes:
    """The process's metrics plus the queue read now."""
    queue = CollectorRegistry(auto_describe=False)
    queue.register(QueueCollector(lambda: waiting_by_reason(sessionmaker)))
    return generate_latest(REGISTRY) + generate_latest(queue)


# --- request id, latency, access log -----------------------------------------------


def _route_of(scope: Dict[str, Any]) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None) or getattr(route, "path_format", None)
    if path:
        return str(path)
    # Static mounts (/console, /kiosk/static): the mount, never the file or an id.
    root = scope.get("root_path") or ""
    return root if root else UNMATCHED_ROUTE


class RequestContext:
    """Pure ASGI: request id in, out and in the logs; latency by route; one access line."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = None
        for key, value in scope.get("headers") or ():
            if key.lower() == b"x-request-id":
                given = clean_request_id(value.decode("latin-1"))
                break
        request_id = given or new_request_id()
        token = request_id_var.set(request_id)
        if scope["type"] == "websocket":
            try:
                await self.app(scope, receive, send)
            finally:
                request_id_var.reset(token)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def send_with_id(message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = list(message.get("headers") or [])
                headers.append((REQUEST_ID_HEADER.lower().encode("latin-1"), request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_of(scope)
            method = scope.get("method", "GET")
            HTTP_LATENCY.labels(method=method, route=route, status=str(status["code"])).observe(elapsed)
            if route not in ("/metrics", "/api/v1/health/live", "/api/v1/health/ready"):
                log.info(
                    "%s %s %s %.1f ms",
                    method,
                    route,
                    status["code"],
                    elapsed * 1000,
                    extra={
                        "method": method,
                        "route": route,
                        "status": status["code"],
                        "duration_ms": round(elapsed * 1000, 1),
                    },
                )
            request_id_var.reset(token)


# --- Rasa calls (api/rasa_client.py) --------------------------------------------------


def observe_rasa_call(operation: str, seconds: float, outcome: str, failure: Optional[str] = None) -> None:
    RASA_LATENCY.labels(operation=operation, outcome=outcome).observe(seconds)
    if failure:
        RASA_FAILURES.labels(operation=operation, kind=failure).inc()


# --- error tracking ------------------------------------------------------------------


def _scrub(event: Dict[str, Any], hint: Any) -> Dict[str, Any]:
    """No client text in an error report: request bodies, query strings, cookies and headers go."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "query_string", "cookies", "headers"):
            request.pop(key, None)
    for crumb in (
        (event.get("breadcrumbs") or {}).get("values", [])
        if isinstance(event.get("breadcrumbs"), dict)
        else []
    ):
        crumb.pop("data", None)
    return event


def init_error_tracking(settings, *, component: str = "api", sdk: Any = None) -> bool:
    """Start sentry-sdk when ``settings.sentry_dsn`` is set; True when it was started."""
    dsn = getattr(settings, "sentry_dsn", None)
    if not dsn:
        return False
    if sdk is None:
        import sentry_sdk as sdk
    sdk.init(
        dsn=dsn,
        environment=settings.env,
        send_default_pii=False,
        request_bodies="never",
        with_locals=False,
        traces_sample_rate=0.0,
        before_send=_scrub,
    )
    sdk.set_tag("component", component)
    return True


CONTENT_TYPE = CONTENT_TYPE_LATEST


def install_observability(app) -> None:
    """Logging as configured, error tracking when a DSN is set, the counters, ``GET /metrics``."""
    from fastapi import Response

    from bot.logging_setup import configure_logging

    settings = app.state.settings
    if settings.log_format == "json" or "pytest" not in sys.modules:
        # (In-process test apps leave the test runner's logging alone.)
        configure_logging(settings.log_format, settings.log_level)
        # One line per Rasa call and health probe is noise; the access line and /metrics say it.
        logging.getLogger("httpx").setLevel(logging.WARNING)
    app.state.error_tracking = init_error_tracking(settings)
    install_model_counters()

    @app.get("/metrics", include_in_schema=False)
    def metrics():
        return Response(render_metrics(app.state.sessionmaker), media_type=CONTENT_TYPE)

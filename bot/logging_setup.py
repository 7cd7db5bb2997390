"""Log lines for operators: text or JSON (COACH_LOG_FORMAT), each with the request id.

One request id follows a client turn through every process: the API takes the
caller's ``X-Request-ID`` (or makes one), logs it with every line of that request,
sends it to Rasa in the header and in the message metadata (``request_id``), and the
coach channel and the action server log it again (``rasa_plugins``). ``grep`` one id
across the three logs and the turn is in order.

Used by the API, the Rasa channel and the action server; no FastAPI or Rasa import.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import uuid
from datetime import datetime, timezone
from typing import Any, Dict, Optional

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_METADATA = "request_id"
# What a caller may send as its own id: short, plain characters (it lands in logs).
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

request_id_var: contextvars.ContextVar[Optional[str]] = contextvars.ContextVar(
    "coach_request_id", default=None
)

# LogRecord attributes that are not extra fields.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
    "color_message",
}  # uvicorn's ANSI copy


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


def clean_request_id(value: Optional[str]) -> Optional[str]:
    """The caller's id when it is safe to log, else None (a new one is made)."""
    if isinstance(value, str) and _GOOD_ID.match(value):
        return value
    return None


def current_request_id() -> Optional[str]:
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    """Puts ``record.request_id`` on every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        out: Dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            out["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def make_formatter(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)


def configure_logging(
    log_format: str = "text", level: Optional[str] = "INFO", *, take_over_handlers: bool = True
) -> None:
    """Log lines in ``log_format`` with the request id. The root logger gets a stderr handler
    when it has none (the API under uvicorn); handlers already there (Rasa's, uvicorn's) get
    the formatter and the request id filter. ``level`` None keeps the root level. Idempotent."""
    root = logging.getLogger()
    if not [h for h in root.handlers if not type(h).__module__.startswith("_pytest")]:
        stderr_handler = logging.StreamHandler(sys.stderr)
        stderr_handler._coach = True  # type: ignore[attr-defined]
        root.addHandler(stderr_handler)
    if level is not None:
        try:
            root.setLevel(getattr(logging, str(level).upper()))
        except AttributeError:
            root.setLevel(logging.INFO)
    formatter = make_formatter(log_format)
    handlers = list(root.handlers)
    if take_over_handlers:
        for name in (
            "uvicorn",
            "uvicorn.error",
            "uvicorn.access",
            "rasa",
            "rasa_sdk",
            "sanic.root",
            "sanic.error",
            "sanic.access",
        ):
            handlers += [h for h in logging.getLogger(name).handlers if h not in handlers]
    for handler in handlers:
        if type(handler).__module__.startswith("_pytest"):
            continue  # the test runner's capture keeps its own format
        if not take_over_handlers and not getattr(handler, "_coach", False):
            continue
        handler.setFormatter(formatter)
        if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
            handler.addFilter(RequestIdFilter())

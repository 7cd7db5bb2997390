"""The `coach` input channel: one request in, everything the API needs out.

POST /webhooks/coach/webhook
  {"sender": session_id, "message": text, "metadata": {"message_id": "m-…", …}}
returns
  {"messages": [{"text", "buttons", "utter_action", "mi_code"}], "phase", "paused",
   "handoff_reason", "nlu": {"intent", "confidence", "entities", "safety"}}

The bot messages are collected as Rasa sends them (with the name of the response
and the `mi_code` from the response's `metadata` in domain.yml), each made to start
with a capital (a response that starts with a fill-in starts with the client's
words); the phase, the pause state and what the NLU understood are read from the
tracker afterwards.
The API's message id becomes the Rasa message id, so tracker events and the
transcript point at the same message.
"""

from __future__ import annotations

import hmac
import logging
import time
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Text

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.core.events import UserUttered

from bot.conversation.bot_text import capitalise_first
from bot.logging_setup import REQUEST_ID_HEADER, REQUEST_ID_METADATA, clean_request_id, request_id_var
from rasa_plugins import action_validation

logger = logging.getLogger(__name__)
action_validation.install()  # every Rasa server loads this channel: action replies checked without re-checking the schema

NO_SAFETY = {"category": "none", "flag": None, "matched": None}
# The API proves itself with the shared secret COACH_INTERNAL_TOKEN in this header.
INTERNAL_TOKEN_HEADER = "X-Coach-Internal-Token"


def internal_token_ok(given: Optional[str], expected: Optional[str] = None) -> bool:
    """Constant-time check of the shared secret (settings.internal_token unless given)."""
    if expected is None:
        from bot.settings import get_settings

        expected = get_settings().internal_token
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


class CoachOutputChannel(CollectingOutputChannel):
    """Collects bot messages and keeps the response name and its MI code."""

    @classmethod
    def name(cls) -> Text:
        return "coach"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        text = message.get("text")
        buttons = message.get("buttons") or message.get("quick_replies") or []
        custom = message.get("custom")
        if not text and not buttons and not custom:
            return
        metadata = message.get("metadata") or {}
        self.messages.append(
            {
                "recipient_id": recipient_id,
                "text": capitalise_first(text or ""),  # "{words}: …" starts with the client's words
                "buttons": [_button(b) for b in buttons],
                "utter_action": message.get("utter_action"),
                "mi_code": metadata.get("mi_code") if isinstance(metadata, dict) else None,
                **({"custom": custom} if custom else {}),
            }
        )


def _button(button: Dict[Text, Any]) -> Dict[Text, Text]:
    return {"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))}


def nlu_summary(latest_message: Optional[Dict[Text, Any]]) -> Dict[Text, Any]:
    """Intent, confidence, entities and safety of the latest client message."""
    latest = latest_message or {}
    intent = latest.get("intent") or {}
    entities = [
        {k: e.get(k) for k in ("entity", "value", "start", "end", "confidence_entity") if k in e}
        for e in latest.get("entities") or []
    ]
    return {
        "intent": intent.get("name"),
        "confidence": intent.get("confidence"),
        "entities": entities,
        "safety": latest.get("safety") or dict(NO_SAFETY),
    }


def build_response(messages: List[Dict[Text, Any]], tracker_state: Dict[Text, Any]) -> Dict[Text, Any]:
    """The channel's JSON answer from the collected messages and the tracker state.

    ``tracker_state`` is ``DialogueStateTracker.current_state()``-shaped: ``slots``,
    ``paused``, ``latest_message``.
    """
    slots = tracker_state.get("slots") or {}
    return {
        "messages": [
            {k: m.get(k) for k in ("text", "buttons", "utter_action", "mi_code")}
            | ({"custom": m["custom"]} if "custom" in m else {})
            for m in messages
        ],
        "phase": slots.get("phase") or "verkennen",
        "paused": bool(tracker_state.get("paused")),
        "handoff_reason": slots.get("handoff_reason"),
        "plan_write_failed": bool(slots.get("plan_write_failed")),
        "nlu": nlu_summary(tracker_state.get("latest_message")),
    }


def parse_data_of(events: Iterable[Any], message_id: Optional[str]) -> Dict[Text, Any]:
    """The NLU result of the client message ``message_id`` (else the last one).

    Read from the events, not ``tracker.latest_message``: after a form turn the
    restored tracker's latest message can lag one message behind.
    """
    fallback: Optional[Dict[Text, Any]] = None
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            if message_id is None or event.message_id == message_id:
                return dict(event.parse_data)
            fallback = fallback or dict(event.parse_data)
    return fallback or {}


def _bad_request(detail: str) -> HTTPResponse:
    return response.json({"detail": detail}, status=400)


_logging_configured = False


def configure_channel_logging() -> None:
    """Rasa's log lines in COACH_LOG_FORMAT (json or text), each with the request id (once)."""
    global _logging_configured
    if _logging_configured:
        return
    _logging_configured = True
    try:
        from bot.logging_setup import configure_logging
        from bot.settings import get_settings

        settings = get_settings()
        configure_logging(settings.log_format, None)  # Rasa keeps its --log-level
        logging.getLogger(__name__).setLevel(logging.INFO)
    except Exception:  # logging must never stop Rasa from serving
        logger.warning("could not configure coach logging", exc_info=True)


class CoachInput(InputChannel):
    """Custom channel for the Toekomstcoach API (see docs/architecture.md)."""

    @classmethod
    def name(cls) -> Text:
        return "coach"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("coach_webhook", __name__)
        configure_channel_logging()

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            # Only the API may talk here: the client's words go in, the plan comes out.
            if not internal_token_ok(request.headers.get(INTERNAL_TOKEN_HEADER)):
                return response.json({"detail": "internal token missing or wrong"}, status=401)
            try:
                body = request.json
            except Exception:  # sanic raises on malformed JSON
                return _bad_request("body is not valid JSON")
            if not isinstance(body, dict):
                return _bad_request("body must be a JSON object")
            sender, text = body.get("sender"), body.get("message")
            metadata = body.get("metadata") or {}
            if not isinstance(sender, str) or not sender.strip():
                return _bad_request("'sender' (the session id) is required")
            if not isinstance(text, str) or not text.strip():
                return _bad_request("'message' must be a non-empty string")
            if not isinstance(metadata, dict):
                return _bad_request("'metadata' must be an object")

            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"detail": "no model loaded"}, status=503)

            # The API's request id (header, or metadata) follows the turn into Rasa's log
            # lines and, with the message metadata, to the action server.
            request_id = clean_request_id(request.headers.get(REQUEST_ID_HEADER)) or clean_request_id(
                metadata.get(REQUEST_ID_METADATA)
            )
            token = request_id_var.set(request_id)
            started = time.perf_counter()
            logger.info("coach turn in: message_id=%s request_id=%s", metadata.get("message_id"), request_id)
            collector = CoachOutputChannel()
            await on_new_message(
                UserMessage(
                    text,
                    collector,
                    sender,
                    input_channel=self.name(),
                    message_id=metadata.get("message_id"),
                    metadata=metadata,
                )
            )
            tracker = await agent.processor.get_tracker(sender)
            state = {
                "slots": tracker.current_slot_values(),
                "paused": tracker.is_paused(),
                "latest_message": parse_data_of(tracker.events, metadata.get("message_id")),
            }
            logger.info(
                "coach turn out: message_id=%s request_id=%s %.1f ms",
                metadata.get("message_id"),
                request_id,
                (time.perf_counter() - started) * 1000,
            )
            request_id_var.reset(token)
            return response.json(build_response(collector.messages, state))

        return webhook

"""The action server with a shared secret: ``python -m rasa_plugins.action_server --actions actions --port 5055``.

rasa_sdk 3.6 has no authentication of its own, but it runs every plugin's
``attach_sanic_app_extensions`` hook on its Sanic app before serving
(``rasa_sdk.plugin``). This launcher registers one such plugin, then starts
rasa_sdk exactly as ``python -m rasa_sdk`` does (same arguments). The plugin adds
request middleware: ``POST /webhook`` and ``GET /actions`` need the header
``X-Coach-Internal-Token`` with COACH_INTERNAL_TOKEN (Rasa sends it: the
``action_endpoint.headers`` in the generated endpoints.yml); ``/health`` stays
open for probes.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, Optional

import pluggy
from sanic import response

from rasa_plugins.coach_channel import INTERNAL_TOKEN_HEADER, internal_token_ok

from bot.logging_setup import REQUEST_ID_METADATA, clean_request_id, request_id_var

hookimpl = pluggy.HookimplMarker("rasa_sdk")
logger = logging.getLogger("rasa_plugins.action_server")
OPEN_PATHS = ("/health",)


def refuse(request, token: str) -> Optional[object]:
    """A 401 response for a request without the right token, else None."""
    if request.path in OPEN_PATHS:
        return None
    if internal_token_ok(request.headers.get(INTERNAL_TOKEN_HEADER), token):
        return None
    return response.json({"error": "internal token missing or wrong"}, status=401)


def request_id_of(body: Any) -> Optional[str]:
    """The API's request id that Rasa passed on in the message metadata (tracker.latest_message)."""
    try:
        metadata = body["tracker"]["latest_message"].get("metadata") or {}
        return clean_request_id(metadata.get(REQUEST_ID_METADATA))
    except (KeyError, TypeError, AttributeError):
        return None


def log_action_call(request) -> None:
    """One line per action call with the turn's request id (its log lines carry it too)."""
    # Requests of one keep-alive connection share a context: each sets (or clears) its own id.
    request_id_var.set(None)
    if request.path != "/webhook" or request.method != "POST":
        return
    try:
        body = request.json
    except Exception:
        return
    request_id = request_id_of(body)
    request_id_var.set(request_id)
    action = body.get("next_action") if isinstance(body, dict) else None
    logger.info("action %s request_id=%s", action, request_id)


def require_internal_token(app, token: str) -> None:
    @app.middleware("request")
    async def _check_internal_token(request):
        refused = refuse(request, token)
        if refused is None:
            log_action_call(request)
        return refused


class InternalTokenPlugin:
    def __init__(self, token: str, log_format: str = "text") -> None:
        self.token = token
        self.log_format = log_format

    @hookimpl
    def attach_sanic_app_extensions(self, app) -> None:
        # rasa_sdk has set up its logging by now: its lines get our format and the request id.
        from bot.logging_setup import configure_logging

        configure_logging(self.log_format, None)
        logging.getLogger("rasa_plugins").setLevel(logging.INFO)
        require_internal_token(app, self.token)


def main(argv=None) -> None:
    from rasa_sdk import __main__ as sdk_main
    from rasa_sdk.plugin import plugin_manager

    from bot.settings import get_settings

    settings = get_settings()
    if settings.env == "production":
        settings.check_production()
    plugin_manager().register(InternalTokenPlugin(settings.internal_token, settings.log_format))
    args = sdk_main.create_argument_parser().parse_args(sys.argv[1:] if argv is None else argv)
    sdk_main.main_from_args(args)


if __name__ == "__main__":
    main()

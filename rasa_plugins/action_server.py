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

import sys
from typing import Optional

import pluggy
from sanic import response

from rasa_plugins.coach_channel import INTERNAL_TOKEN_HEADER, internal_token_ok

hookimpl = pluggy.HookimplMarker("rasa_sdk")
OPEN_PATHS = ("/health",)


def refuse(request, token: str) -> Optional[object]:
    """A 401 response for a request without the right token, else None."""
    if request.path in OPEN_PATHS:
        return None
    if internal_token_ok(request.headers.get(INTERNAL_TOKEN_HEADER), token):
        return None
    return response.json({"error": "internal token missing or wrong"}, status=401)


def require_internal_token(app, token: str) -> None:
    @app.middleware("request")
    async def _check_internal_token(request):
        return refuse(request, token)


class InternalTokenPlugin:
    def __init__(self, token: str) -> None:
        self.token = token

    @hookimpl
    def attach_sanic_app_extensions(self, app) -> None:
        require_internal_token(app, self.token)


def main(argv=None) -> None:
    from rasa_sdk import __main__ as sdk_main
    from rasa_sdk.plugin import plugin_manager

    from bot.settings import get_settings

    settings = get_settings()
    if settings.env == "production":
        settings.check_production()
    plugin_manager().register(InternalTokenPlugin(settings.internal_token))
    args = sdk_main.create_argument_parser().parse_args(sys.argv[1:] if argv is None else argv)
    sdk_main.main_from_args(args)


if __name__ == "__main__":
    main()

"""Issue 14.8: the action server and the API -> Rasa channel need the internal token."""

from __future__ import annotations


import httpx
import yaml

from bot.rasa_endpoints import render_endpoints
from cli.stack import actions_command

TOKEN = "internal-test-token-5d8f1a2c9e"


# Run in a child process: two Sanic apps started in one process trip over Sanic's
# class-level "touchup" (the channel tests start one of their own).
ACTION_SERVER_PROBE = """
import asyncio, json, sys, types
import httpx
from rasa_sdk.endpoint import create_app
from rasa_plugins.action_server import InternalTokenPlugin

async def main(token):
    app = create_app(types.ModuleType("no_actions_here"))
    InternalTokenPlugin(token).attach_sanic_app_extensions(app)
    await app._startup()
    call = {"next_action": "action_x", "sender_id": "s1", "tracker": {}, "domain": {}, "version": "3.6.2"}
    results = {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://actions") as client:
        for name, method, path, headers, body in (
                ("webhook_no_token", "POST", "/webhook", {}, call),
                ("webhook_wrong_token", "POST", "/webhook", {"X-Coach-Internal-Token": "wrong"}, call),
                ("actions_no_token", "GET", "/actions", {}, None),
                ("actions_token", "GET", "/actions", {"X-Coach-Internal-Token": token}, None),
                ("health", "GET", "/health", {}, None)):
            results[name] = (await client.request(method, path, headers=headers, json=body)).status_code
    print(json.dumps(results))

asyncio.run(main(sys.argv[1]))
"""


def test_the_action_server_refuses_calls_without_the_token():
    import json
    import subprocess
    import sys

    from bot.settings import repo_root

    done = subprocess.run(
        [sys.executable, "-c", ACTION_SERVER_PROBE, TOKEN],
        cwd=repo_root(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    codes = json.loads(done.stdout.strip().splitlines()[-1])
    assert codes == {
        "webhook_no_token": 401,
        "webhook_wrong_token": 401,
        "actions_no_token": 401,
        "actions_token": 200,
        "health": 200,
    }  # probes need no token


def test_rasa_sends_the_token_to_the_action_server():
    config = yaml.safe_load(
        render_endpoints(action_server_url="http://actions:5055/webhook", internal_token=TOKEN)
    )
    assert config["action_endpoint"] == {
        "url": "http://actions:5055/webhook",
        "headers": {"X-Coach-Internal-Token": TOKEN},
    }
    assert "token=" not in config["action_endpoint"]["url"]


def test_coach_starts_the_guarded_action_server():
    assert actions_command(5055)[1:4] == ["-m", "rasa_plugins.action_server", "--actions"]


async def test_the_api_sends_the_token_to_rasa():
    from api.rasa_client import RasaClient

    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("X-Coach-Internal-Token"))
        return httpx.Response(200, json={"messages": [], "phase": "verkennen"})

    client = RasaClient(
        ["http://rasa:5005"],
        token="t",
        action_server_url="http://a/webhook",
        transport=httpx.MockTransport(handler),
        internal_token=TOKEN,
    )
    try:
        await client.send("s1", "hallo")
    finally:
        await client.aclose()
    assert seen == [TOKEN]

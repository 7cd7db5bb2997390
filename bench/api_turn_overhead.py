"""How much time the API itself adds to a client turn (Rasa answering instantly).

Runs the real app in process (httpx ASGI transport) on a fresh database with a
stand-in Rasa channel that replies at once, so the figure is the API's own
cost: kiosk-key check, safety detector, two committed transactions, the
Rasa round trip through httpx, building the reply.

    .venv/bin/python bench/api_turn_overhead.py [--turns 300] [--database-url URL]

Writes bench/results/api_turn_overhead.json and prints it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.db.engine import get_engine  # noqa: E402
from bot.db.models import Base  # noqa: E402
from bot.settings import Settings  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "api_turn_overhead.json"
KEY = "bench-kiosk-key"
CLIENT_TEXTS = [
    "Het gaat wel.",
    "Ik mis mijn familie.",
    "Ik had vroeger een winkel.",
    "Ik weet het nog niet.",
    "Misschien een cursus.",
]


def instant_rasa(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/health") or request.url.path == "/status":
        return httpx.Response(200, json={})
    return httpx.Response(
        200,
        json={
            "messages": [
                {
                    "text": "Wat vindt u daar zelf van?",
                    "buttons": [{"title": "Ja", "payload": "/affirm"}],
                    "utter_action": "utter_ask_x",
                    "mi_code": "open_question",
                }
            ],
            "phase": "verkennen",
            "paused": False,
            "handoff_reason": None,
            "nlu": {
                "intent": "inform",
                "confidence": 0.9,
                "entities": [],
                "safety": {"category": "none", "flag": None, "matched": None},
            },
        },
    )


class Unlimited:
    def allow(self, bucket, limit) -> bool:
        return True


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def run(turns: int, database_url: str) -> dict:
    from api.main import create_app

    Base.metadata.create_all(get_engine(database_url))
    settings = Settings(
        env="test",
        database_url=database_url,
        kiosk_key=KEY,
        rasa_urls=["http://rasa:5005"],
        action_server_url="http://rasa:5055/webhook",
    )
    app = create_app(settings, rasa_transport=httpx.MockTransport(instant_rasa))
    app.state.rate_limiter = Unlimited()  # the bench sends faster than any person types
    headers = {"X-Kiosk-Key": KEY}
    start_ms, turn_ms = [], []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        per_session = 10
        for _ in range(max(1, turns // per_session)):
            began = time.perf_counter()
            created = await client.post("/api/v1/sessions", json={"language": "nl"}, headers=headers)
            start_ms.append((time.perf_counter() - began) * 1000)
            session_id = created.json()["session_id"]
            for i in range(per_session):
                began = time.perf_counter()
                response = await client.post(
                    f"/api/v1/sessions/{session_id}/messages",
                    json={"text": CLIENT_TEXTS[i % len(CLIENT_TEXTS)]},
                    headers=headers,
                )
                turn_ms.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, response.text
    await app.state.rasa.aclose()
    return {
        "what": "API time per client turn with an instantly answering Rasa (in-process ASGI)",
        "database": database_url.split(":")[0],
        "turns": len(turn_ms),
        "turn_ms": {
            "p50": round(percentile(turn_ms, 0.5), 2),
            "p95": round(percentile(turn_ms, 0.95), 2),
            "mean": round(statistics.mean(turn_ms), 2),
            "max": round(max(turn_ms), 2),
        },
        "session_start_ms": {
            "p50": round(percentile(start_ms, 0.5), 2),
            "p95": round(percentile(start_ms, 0.95), 2),
        },
        "machine": {"python": platform.python_version(), "cpu": platform.processor() or platform.machine()},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        result = asyncio.run(run(args.turns, url))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""bench/safety_report.py: its API client follows the public contract and its
report is complete. The API is faked with httpx.MockTransport."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report():
    spec = importlib.util.spec_from_file_location("safety_report", ROOT / "bench" / "safety_report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeApi:
    """Answers like api-contract.md: a hand-off when the text mentions 'dood'."""

    def __init__(self, rate_limit_first: int = 0):
        self.calls: list[tuple[str, str, dict, str | None]] = []
        self.rate_limit_left = rate_limit_first
        self.sessions = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        self.calls.append((request.method, request.url.path, body, request.headers.get("X-Kiosk-Key")))
        if request.headers.get("X-Kiosk-Key") != "k-123":
            return httpx.Response(401, json={"detail": "kiosk key"})
        if self.rate_limit_left:
            self.rate_limit_left -= 1
            return httpx.Response(429, json={"detail": "slow down"})
        if request.url.path == "/api/v1/sessions":
            self.sessions += 1
            return httpx.Response(
                201,
                json={
                    "session_id": f"s{self.sessions}",
                    "phase": "verkennen",
                    "status": "bot",
                    "messages": [],
                },
            )
        handoff = {"reason": "crisis", "at": "2025-01-01T00:00:00Z"} if "dood" in body["text"] else None
        return httpx.Response(
            200,
            json={
                "messages": [],
                "phase": "verkennen",
                "status": "waiting_for_human" if handoff else "bot",
                "handoff": handoff,
            },
        )


def test_api_client_opens_a_fresh_session_per_utterance(report):
    fake = FakeApi()
    predict, client = report.api_predictor("http://coach", "k-123", 5, transport=httpx.MockTransport(fake))
    assert predict("ik wil dood")[0] == "crisis"
    assert predict("ik werk in de bouw")[0] == "none"
    client.close()
    paths = [(method, path) for method, path, _, _ in fake.calls]
    assert paths == [
        ("POST", "/api/v1/sessions"),
        ("POST", "/api/v1/sessions/s1/messages"),
        ("POST", "/api/v1/sessions"),
        ("POST", "/api/v1/sessions/s2/messages"),
    ]
    assert fake.calls[0][2] == {"language": "nl"} and fake.calls[1][2] == {"text": "ik wil dood"}
    assert all(key == "k-123" for *_, key in fake.calls)


def test_api_client_waits_out_rate_limits_instead_of_dropping_items(report):
    fake, waits = FakeApi(rate_limit_first=2), []
    predict, client = report.api_predictor(
        "http://coach", "k-123", 5, transport=httpx.MockTransport(fake), sleep=waits.append
    )
    assert predict("ik wil dood")[0] == "crisis"
    client.close()
    assert waits == [1, 2]


def test_a_failing_call_is_reported_not_fatal(report):
    predict, client = report.api_predictor(
        "http://coach", "wrong", 5, transport=httpx.MockTransport(FakeApi())
    )
    from bot.safety.evaluation import Item

    result, latencies = report.run([Item("ik wil dood", "crisis")], predict)
    client.close()
    assert result.outcomes[0].predicted == "error" and "401" in result.outcomes[0].matched
    assert result.figures["crisis_recall"] == 0.0 and len(latencies) == 1


def test_report_json_has_the_target_figures(report, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "RESULTS", tmp_path)
    assert report.main(["--sets", "labelled", "--repeats", "1"]) == 0
    data = json.loads((tmp_path / "safety_detector.json").read_text(encoding="utf-8"))
    figures = data["sets"]["labelled"]["figures"]
    for key in ("crisis_recall", "request_recall", "emotion_handoff", "neutral_false_handoff"):
        assert 0.0 <= figures[key] <= 1.0
    assert data["detect_timing"]["calls"] == figures["items"]
    assert (
        (tmp_path / "safety_detector.md").read_text(encoding="utf-8").startswith("## Safety detector report")
    )


def test_via_api_needs_a_kiosk_key(report):
    with pytest.raises(SystemExit):
        report.main(["--via-api", "http://coach"])


def test_a_stack_that_is_down_stops_the_run(report, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "RESULTS", tmp_path)

    def down(request):
        return httpx.Response(503, json={"detail": "rasa down"})

    real = report.api_predictor
    monkeypatch.setattr(
        report,
        "api_predictor",
        lambda url, key, timeout: real(url, key, timeout, transport=httpx.MockTransport(down)),
    )
    assert report.main(["--via-api", "http://coach", "--kiosk-key", "k", "--sets", "labelled"]) == 2
    assert not (tmp_path / "safety_stack.json").exists()

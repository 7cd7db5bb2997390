"""A scripted stand-in for Rasa's `coach` channel and the action server.

It answers over an `httpx.MockTransport` with the channel's reply shape from
docs/architecture.md, keeps a paused flag per conversation the way Rasa does
after `ConversationPaused`, and can fail in each way the API must survive.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional
from urllib.parse import parse_qs

import httpx

CRISIS_TEXT = "CRISIS ROUTE (fake Rasa)"
QUESTIONS = [
    (
        "utter_ask_situation",
        "Hoe gaat het nu met u?",
        [("Goed", "/inform_goed"), ("Niet goed", "/inform_slecht")],
    ),
    ("utter_ask_future", "Waar denkt u aan als u aan later denkt?", []),
    ("utter_ask_family", "Heeft u contact met uw familie?", [("Ja", "/affirm"), ("Nee", "/deny")]),
    ("utter_ask_work", "Wat voor werk heeft u gedaan?", []),
]
CRISIS_WORDS = re.compile(r"\b(dood|zelfmoord|niet meer leven)\b", re.I)
# The client declines to go on: the bot's last words of the talk (one of
# bot/conversation/phases.py TALK_ENDING_RESPONSES).
DECLINE_TEXT = "Nee, dank u"
GOODBYE = ("utter_goodbye_final", "Dank u wel. Tot een volgende keer.")


def _reply(
    messages=None,
    *,
    phase="verkennen",
    paused=False,
    reason=None,
    intent="inform",
    confidence=0.9,
    safety_category="none",
    flag=None,
):
    return {
        "messages": messages or [],
        "phase": phase,
        "paused": paused,
        "handoff_reason": reason,
        "nlu": {
            "intent": intent,
            "confidence": confidence,
            "entities": [],
            "safety": {"category": safety_category, "flag": flag, "matched": None},
        },
    }


@dataclass
class FakeRasa:
    servers: List[str] = field(default_factory=lambda: ["http://rasa-a:5005", "http://rasa-b:5005"])
    token: str = "test-rasa-token"
    down: set = field(default_factory=set)  # servers refusing connections
    failure: Optional[str] = None  # "read_timeout" | "http_500" | "bad_json"
    actions_down: bool = False
    notice_crisis: bool = True  # False: Rasa misses a crisis the API must catch
    phase_after: Dict[int, str] = field(default_factory=dict)  # question index -> phase reported
    on_message: Optional[Callable[[dict], None]] = None  # hook run when a channel call arrives
    calls: List[dict] = field(default_factory=list)  # every request that reached a server
    paused: Dict[str, bool] = field(default_factory=dict)
    progress: Dict[str, int] = field(default_factory=dict)
    phase_set: Dict[str, str] = field(default_factory=dict)  # slot `phase` set by tracker events

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def channel_calls(self, text: Optional[str] = None) -> List[dict]:
        return [
            c
            for c in self.calls
            if c["path"].endswith("/webhook") and (text is None or c["body"]["message"] == text)
        ]

    def handle(self, request: httpx.Request) -> httpx.Response:
        server = f"{request.url.scheme}://{request.url.host}:{request.url.port}"
        if request.url.host == "actions":
            if self.actions_down:
                raise httpx.ConnectError("actions down", request=request)
            return httpx.Response(200, json={"status": "ok"})
        if server in self.down:
            raise httpx.ConnectError("connection refused", request=request)
        body = json.loads(request.content) if request.content else None
        self.calls.append(
            {
                "server": server,
                "path": request.url.path,
                "body": body,
                "params": parse_qs(request.url.query.decode()),
                "method": request.method,
            }
        )
        if request.url.path == "/status":
            ok = request.url.params.get("token") == self.token
            return httpx.Response(200 if ok else 401, json={"model_file": "fake.tar.gz"})
        if self.failure == "read_timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if self.failure == "http_500":
            return httpx.Response(500, text="boom")
        if self.failure == "bad_json":
            return httpx.Response(200, text="<html>not json</html>")
        if (
            request.url.path.endswith("/story") and request.method == "GET"
        ):  # Rasa 3.6: the tracker as a story
            if request.url.params.get("token") != self.token:
                return httpx.Response(401, json={"message": "bad token"})
            sender = request.url.path.split("/")[2]
            said = [
                c["body"]["message"]
                for c in self.calls
                if c["path"].endswith("/webhook") and c["body"]["sender"] == sender
            ]
            steps = "".join(
                f"  - user: |\n      {text}\n    intent: inform\n  - action: utter_ask\n" for text in said
            )
            return httpx.Response(
                200,
                text=f'version: "3.1"\nstories:\n- story: {sender}\n  steps:\n{steps}',
                headers={"content-type": "text/yml"},
            )
        if request.url.path.endswith("/tracker/events"):
            if request.url.params.get("token") != self.token:
                return httpx.Response(401, json={"message": "bad token"})
            sender = request.url.path.split("/")[2]
            if request.method == "PUT":  # replace the tracker: Rasa forgets what it held
                self.paused.pop(sender, None)
                self.progress.pop(sender, None)
                self.phase_set.pop(sender, None)
            for event in body:
                if event.get("event") == "resume":
                    self.paused[sender] = False
                if event.get("event") == "slot" and event.get("name") == "phase":
                    self.phase_set[sender] = event["value"]
            return httpx.Response(200, json={"sender_id": sender})
        if request.url.path == "/webhooks/coach/webhook":
            if self.on_message:
                self.on_message(body)
            return httpx.Response(200, json=self.converse(body["sender"], body["message"]))
        return httpx.Response(404)

    def _next_question(self, sender: str) -> dict:
        index = self.progress.get(sender, 0)
        self.progress[sender] = index + 1
        action, text, buttons = QUESTIONS[index % len(QUESTIONS)]
        return {
            "text": text,
            "buttons": [{"title": t, "payload": p} for t, p in buttons],
            "utter_action": action,
            "mi_code": "open_question",
        }

    def _phase(self, sender: str) -> str:
        return self.phase_after.get(self.progress.get(sender, 0), self.phase_set.get(sender, "verkennen"))

    def converse(self, sender: str, text: str) -> dict:
        if self.paused.get(sender):
            return _reply(phase=self._phase(sender), paused=True)  # Rasa ignores paused conversations
        if text == "/greet":
            greeting = {
                "text": "Welkom. Ik ben de toekomstcoach.",
                "buttons": [],
                "utter_action": "utter_greet",
                "mi_code": "welcome",
            }
            return _reply([greeting, self._next_question(sender)], intent="greet")
        if text == "/resume_conversation":
            return _reply(
                [self._next_question(sender)], phase=self._phase(sender), intent="resume_conversation"
            )
        if text == "/request_human":
            self.paused[sender] = True
            warm = {
                "text": "Ik vraag een begeleider voor u.",
                "buttons": [],
                "utter_action": "utter_handoff_request",
                "mi_code": None,
            }
            return _reply(
                [warm],
                paused=True,
                reason="request",
                intent="request_human",
                safety_category="request",
                flag="request_human",
            )
        if CRISIS_WORDS.search(text) and self.notice_crisis:
            self.paused[sender] = True
            crisis = {"text": CRISIS_TEXT, "buttons": [], "utter_action": "utter_handoff_crisis"}
            return _reply(
                [crisis],
                paused=True,
                reason="crisis",
                intent="crisis",
                safety_category="crisis",
                flag="suicide",
            )
        if text == DECLINE_TEXT:
            goodbye = {"text": GOODBYE[1], "buttons": [], "utter_action": GOODBYE[0], "mi_code": "structure"}
            return _reply([goodbye], phase=self._phase(sender), intent="deny")
        question = self._next_question(sender)
        return _reply([question], phase=self._phase(sender), intent="inform", confidence=0.87)

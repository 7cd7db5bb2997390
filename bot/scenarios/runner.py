"""Play a scenario through the public HTTP API, turn by turn, and check each turn.

The runner is a client like any other: it signs in as a trainer, starts a
sandbox (training) session, sends the client's turns, plays the counsellor
through the staff endpoints, reads the plan and the transcript, and compares
what it saw with the scenario's expectations. Nothing is short-circuited, so a
passing scenario says the real stack behaves.

``http`` is an ``httpx.AsyncClient`` (or anything with the same ``request``)
pointed at the API root; the command line gives it a URL, the API's own run
endpoint gives it the app itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from bot.scenarios.checks import CheckResult, Observed, check_turn, fold
from bot.scenarios.schema import (
    BUTTON,
    CLIENT,
    CLOSE,
    COUNSELLOR_SAYS,
    HANDBACK,
    TAKEOVER,
    Expect,
    Scenario,
    Turn,
)

API_PREFIX = "/api/v1"
NOT_RUN = "niet uitgevoerd: een eerdere beurt mislukte"


class ApiCallFailed(Exception):
    def __init__(self, method: str, path: str, status: int, detail: str):
        self.status = status
        self.detail = detail
        super().__init__(f"{method} {path} gaf {status}: {detail}")


@dataclass
class TurnOutcome:
    index: int  # 0 is the opening of the session
    kind: str
    description: str
    line: Optional[int] = None
    text: Optional[str] = None
    note: Optional[str] = None
    expect: Expect = field(default_factory=Expect)
    messages: List[Dict[str, Any]] = field(default_factory=list)
    status: Optional[str] = None
    phase: Optional[str] = None
    handoff: Optional[Dict[str, Any]] = None
    plan: Optional[Dict[str, Any]] = None
    checks: List[CheckResult] = field(default_factory=list)
    error: Optional[str] = None
    ran: bool = False
    duration_ms: Optional[int] = None

    @property
    def passed(self) -> bool:
        return self.ran and self.error is None and all(c.passed for c in self.checks)

    def observed(self) -> Observed:
        return Observed(
            messages=self.messages, status=self.status, phase=self.phase, handoff=self.handoff, plan=self.plan
        )

    def to_dict(self) -> Dict[str, Any]:
        return {
            "index": self.index,
            "kind": self.kind,
            "description": self.description,
            "line": self.line,
            "text": self.text,
            "note": self.note,
            "expect": self.expect.to_data(),
            "messages": self.messages,
            "status": self.status,
            "phase": self.phase,
            "handoff": self.handoff,
            "checks": [c.to_dict() for c in self.checks],
            "error": self.error,
            "ran": self.ran,
            "passed": self.passed,
            "duration_ms": self.duration_ms,
        }


@dataclass
class RunResult:
    scenario: Scenario
    session_id: Optional[str] = None
    turns: List[TurnOutcome] = field(default_factory=list)  # turns[0] is the opening
    error: Optional[str] = None
    duration_s: float = 0.0

    @property
    def passed(self) -> bool:
        return self.error is None and all(t.passed for t in self.turns)

    @property
    def failed_checks(self) -> List[CheckResult]:
        return [c for t in self.turns for c in t.checks if not c.passed]

    def responses(self) -> List[str]:
        """Every response the bot used, in order: the path the conversation took."""
        return [
            m["utter_action"]
            for t in self.turns
            for m in t.messages
            if m.get("sender") == "bot" and m.get("utter_action")
        ]

    def to_dict(self) -> Dict[str, Any]:
        checks = [c for t in self.turns for c in t.checks]
        return {
            "scenario": self.scenario.summary(),
            "session_id": self.session_id,
            "passed": self.passed,
            "error": self.error,
            "duration_s": round(self.duration_s, 2),
            "counts": {
                "checks": len(checks),
                "failed": sum(not c.passed for c in checks),
                "turns": len(self.turns) - 1,
                "turns_failed": sum(not t.passed for t in self.turns),
            },
            "turns": [t.to_dict() for t in self.turns],
            "responses": self.responses(),
        }


async def sign_in(http, username: str, password: str, prefix: str = API_PREFIX) -> None:
    """Put a bearer token for ``username`` on the client's headers."""
    response = await http.post(f"{prefix}/auth/token", data={"username": username, "password": password})
    if response.status_code != 200:
        raise ApiCallFailed("POST", "/auth/token", response.status_code, _detail(response))
    http.headers["Authorization"] = "Bearer " + response.json()["access_token"]


def _detail(response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    return str(body.get("detail", body)) if isinstance(body, dict) else str(body)[:200]


def understood(message: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """Intent, confidence and safety signal of a client message in the transcript."""
    if not message.get("intent") and not message.get("safety"):
        return None
    safety = message.get("safety") or {}
    escalation = (safety.get("accumulated") or {}).get("escalation") or safety.get("escalation")
    return {
        "intent": message.get("intent"),
        "confidence": message.get("confidence"),
        "safety": safety.get("category"),
        "flag": safety.get("flag"),
        "escalation": escalation,
    }


def describe_understood(info: Optional[Dict[str, Any]]) -> str:
    """'begrepen als crisis (92%), signaal crisis/suicide' for the trainer."""
    if not info:
        return ""
    parts = []
    if info.get("intent"):
        confidence = info.get("confidence")
        parts.append(
            f"begrepen als {info['intent']}"
            + (f" ({round(confidence * 100)}%)" if isinstance(confidence, (int, float)) else "")
        )
    if info.get("safety") and info["safety"] != "none":
        parts.append(f"signaal {info['safety']}" + (f"/{info['flag']}" if info.get("flag") else ""))
    if info.get("escalation"):
        parts.append(f"opgehoogd: {info['escalation']}")
    return ", ".join(parts)


# progress(outcome, done, total): called after the opening and after every turn, with the
# turn's checks already made, so a page (or the command line) shows each step as it passes.
Progress = Callable[[TurnOutcome, int, int], Any]


class ScenarioRunner:
    def __init__(
        self, http, *, prefix: str = API_PREFIX, close_after: bool = True, progress: Optional[Progress] = None
    ):
        self.http = http
        self.prefix = prefix
        self.close_after = close_after
        self.progress = progress
        self._never: List[str] = []
        self._text_checks = True

    async def _report(self, outcome: TurnOutcome, total: int) -> None:
        if self.progress is None:
            return
        if outcome.ran and outcome.error is None:
            outcome.checks = check_turn(
                outcome.expect, outcome.observed(), never_says=self._never, text_checks=self._text_checks
            )
        done = outcome.index + 1
        answer = self.progress(outcome, done, total)
        if hasattr(answer, "__await__"):
            await answer

    async def _call(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        response = await self.http.request(method, self.prefix + path, json=body)
        if response.status_code >= 400:
            raise ApiCallFailed(method, path, response.status_code, _detail(response))
        return response.json()

    async def run(self, scenario: Scenario) -> RunResult:
        started = time.monotonic()
        self._never = list(scenario.not_says)
        self._text_checks = scenario.text_checks
        result = RunResult(scenario=scenario)
        opening = TurnOutcome(
            index=0, kind="start", description="sessie starten (de coach opent)", expect=scenario.opening
        )
        pending = [
            TurnOutcome(
                index=i,
                kind=t.kind,
                description=t.describe(),
                line=t.line,
                text=t.text,
                note=t.note,
                expect=t.expect,
            )
            for i, t in enumerate(scenario.turns, 1)
        ]
        result.turns = [opening, *pending]
        buttons: List[Dict[str, str]] = []
        try:
            begun = time.monotonic()
            start = await self._call("POST", "/trainer/sessions", {"language": scenario.language})
            session_id: str = start["session_id"]
            result.session_id = session_id
            self._record(opening, start, begun)
            await self._report(opening, len(result.turns))
            buttons = self._buttons(start["messages"]) or buttons
            for turn, outcome in zip(scenario.turns, pending):
                begun = time.monotonic()
                try:
                    reply = await self._play(session_id, turn, buttons)
                except (ApiCallFailed, LookupError) as error:
                    outcome.ran, outcome.error = True, str(error)
                    await self._report(outcome, len(result.turns))
                    break
                self._record(outcome, reply, begun)
                if outcome.expect.plan:
                    outcome.plan = await self._call("GET", f"/staff/sessions/{result.session_id}/plan")
                await self._report(outcome, len(result.turns))
                buttons = self._buttons(outcome.messages) or buttons
        except ApiCallFailed as error:
            result.error = str(error)
        if result.session_id:
            await self._annotate(result)
        for outcome in result.turns:
            if outcome.ran and outcome.error is None:
                outcome.checks = check_turn(
                    outcome.expect,
                    outcome.observed(),
                    never_says=scenario.not_says,
                    text_checks=scenario.text_checks,
                )
            elif not outcome.ran:
                outcome.error = result.error if outcome.index == 0 and result.error else NOT_RUN
        if result.session_id and self.close_after:
            await self._close_quietly(result)
        result.duration_s = time.monotonic() - started
        return result

    async def _play(self, session_id: str, turn: Turn, buttons: List[Dict[str, str]]) -> Dict[str, Any]:
        say = f"/trainer/sessions/{session_id}/messages"
        staff = f"/staff/sessions/{session_id}"
        if turn.kind == CLIENT:
            return await self._call("POST", say, {"text": turn.text})
        if turn.kind == BUTTON:
            button = next((b for b in buttons if fold(b.get("title", "")) == fold(turn.text or "")), None)
            if button is None:
                offered = ", ".join(f"'{b.get('title')}'" for b in buttons) or "geen"
                raise LookupError(f"de coach bood geen knop '{turn.text}' aan (wel: {offered})")
            return await self._call("POST", say, {"text": button["payload"], "title": button["title"]})
        if turn.kind == TAKEOVER:
            return await self._call("POST", f"{staff}/takeover")
        if turn.kind == COUNSELLOR_SAYS:
            return await self._call("POST", f"{staff}/messages", {"text": turn.text})
        if turn.kind == HANDBACK:
            return await self._call(
                "POST", f"{staff}/handback", {"phase": turn.handback_phase} if turn.handback_phase else None
            )
        if turn.kind == CLOSE:
            return await self._call("POST", f"{staff}/close")
        raise LookupError(f"onbekende beurt {turn.kind!r}")

    @staticmethod
    def _record(outcome: TurnOutcome, reply: Dict[str, Any], begun: float) -> None:
        """Kiosk-style replies carry status/phase/handoff; staff replies carry a session summary."""
        state = reply.get("session") or reply
        outcome.ran = True
        outcome.messages = [dict(m) for m in reply.get("messages") or []]
        outcome.status = state.get("status")
        outcome.phase = state.get("phase")
        outcome.handoff = state.get("handoff")
        outcome.duration_ms = int((time.monotonic() - begun) * 1000)

    @staticmethod
    def _buttons(messages: List[Dict[str, Any]]) -> List[Dict[str, str]]:
        return [b for m in messages if m.get("sender") == "bot" for b in m.get("buttons") or []]

    async def _annotate(self, result: RunResult) -> None:
        """Add each bot message's response name and MI code from the transcript, and for the
        client's messages what the coach understood (a red step often starts there)."""
        try:
            detail = await self._call("GET", f"/staff/sessions/{result.session_id}")
        except ApiCallFailed as error:
            result.error = result.error or f"transcript niet te lezen: {error}"
            return
        by_id = {m["id"]: m for m in detail.get("messages") or []}
        for outcome in result.turns:
            for message in outcome.messages:
                known = by_id.get(message.get("id"), {})
                if message.get("sender") == "client":
                    message["understood"] = understood(known)
                    continue
                message["utter_action"] = known.get("utter_action")
                message["mi_code"] = known.get("mi_code")

    async def _close_quietly(self, result: RunResult) -> None:
        last = next((t for t in reversed(result.turns) if t.ran), None)
        if last is not None and last.status == "closed":
            return
        try:
            await self._call("POST", f"/staff/sessions/{result.session_id}/close")
        except ApiCallFailed:
            pass  # a replay session left open harms nobody; the wipe removes it

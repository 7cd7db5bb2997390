"""One talk of a simulated client through the kiosk API (api-contract.md), and the plan check.

``run_talk(kiosk, persona, seed)`` plays the talk: the client reads the bot's messages
of each reply, answers, and stops when the status is no longer ``bot``, the phase is
``afgerond``, it has asked the same question ``MAX_SAME_QUESTION`` times in a row or
after ``max_turns`` client turns. ``kiosk`` is anything with ``start()`` and
``say(session_id, text, title)`` returning the API's JSON (``bench/mi_report.Api``).

``facts_in_plan(plan, told)`` checks that every fact the client told is in the plan,
in an answer whose provenance names a message the fact was told in.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from bench.simulated_clients.client import MAX_TURNS, Persona, SimulatedClient
from bench.simulated_clients.topics import fold


def run_talk(
    kiosk: Any,
    persona: Persona,
    seed: int = 0,
    max_turns: int = MAX_TURNS,
    hand_back: Optional[Callable[[str], Dict[str, Any]]] = None,
    max_handbacks: int = 8,
) -> Dict[str, Any]:
    """Play one talk. With ``hand_back`` (a counsellor who takes over and gives the talk back
    to the bot: ``Api.hand_back``), an unintended hand-off is recorded and the talk goes on,
    so the rest of the dialogue is measured too; the hand-off still counts against the talk."""
    client = SimulatedClient(persona, seed)
    handoffs: List[Dict[str, Any]] = []
    started = kiosk.start()
    session_id = started["session_id"]
    status, phase, handoff = started["status"], started["phase"], None
    turns: List[Dict[str, Any]] = [
        {"client": None, "bot": _bot(started["messages"]), "phase": phase, "status": status}
    ]
    end = "max_turns"
    for _ in range(max_turns):
        if (
            status != "bot"
            and hand_back is not None
            and len(handoffs) < max_handbacks
            and status in ("waiting_for_human", "human")
            and persona.intended_handoff is None
        ):
            last = turns[-1]["client"] or {}
            handoffs.append(
                {
                    "turn": len(turns) - 1,
                    "client": last.get("text"),
                    "message_id": last.get("id"),
                    "reason": (handoff or {}).get("reason"),
                    "bot": [b["text"] for b in turns[-1]["bot"]],
                }
            )
            back = hand_back(session_id)
            turns[-1]["bot"] += _bot(back.get("messages") or [])
            status, phase = back.get("status", "bot"), back.get("phase", phase)
        if status != "bot":
            end = f"hand-off ({(handoff or {}).get('reason')})" if handoff else f"status {status}"
            break
        if phase == "afgerond":
            end = "afgerond"
            break
        if client.gave_up():
            end = "stuck: the same question again and again"
            break
        reply = client.reply(turns[-1]["bot"])
        answer = kiosk.say(session_id, reply.text, reply.title)
        sent = [m for m in answer["messages"] if m.get("sender") == "client"]
        message_id = sent[0]["id"] if sent else None
        client.record(message_id)
        status, phase, handoff = answer["status"], answer["phase"], answer.get("handoff") or handoff
        turns.append(
            {
                "client": {
                    "id": message_id,
                    "text": reply.shown,
                    "sent": reply.text,
                    "button": reply.title is not None,
                    "topic": reply.topic,
                    "kind": reply.kind,
                    "facts": list(reply.facts),
                    "stated_topics": sorted(client.stated_topics()),
                },
                "bot": _bot(answer["messages"]),
                "phase": phase,
                "status": status,
            }
        )
    else:
        if phase == "afgerond":
            end = "afgerond"
        elif status != "bot":
            end = f"hand-off ({(handoff or {}).get('reason')})" if handoff else f"status {status}"
    return {
        "persona": persona.name,
        "basis": persona.basis,
        "seed": seed,
        "session_id": session_id,
        "end": end,
        "phase": phase,
        "status": status,
        "handoff": handoff,
        "client_turns": len(turns) - 1,
        "turns": turns,
        "handoffs": handoffs,
        "told": {fact_id: ids for fact_id, ids in client.told.items()},
        "unmatched_questions": client.unmatched,
    }


def _bot(messages: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [
        {
            "id": m.get("id"),
            "text": m.get("text") or "",
            "buttons": m.get("buttons") or [],
            "utter_action": m.get("utter_action"),
        }
        for m in messages
        if m.get("sender") == "bot"
    ]


# --- the plan check ---------------------------------------------------------------------


def plan_entries(node: Any, path: str = "") -> List[Tuple[str, str, List[str]]]:
    """(path, all text under it, message ids) for every part of the plan that has a provenance."""
    found: List[Tuple[str, str, List[str]]] = []
    if isinstance(node, dict):
        provenance = node.get("provenance")
        if isinstance(provenance, dict):
            ids = [str(i) for i in provenance.get("message_ids") or []]
            text = " ".join(_texts({k: v for k, v in node.items() if k != "provenance"}))
            found.append((path, text, ids))
        for key, value in node.items():
            if key != "provenance":
                found += plan_entries(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += plan_entries(item, f"{path}[{index}]")
    return found


def _texts(node: Any) -> Iterable[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key != "provenance":
                yield from _texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)


def _close(a: str, b: str) -> bool:
    """Equal, or one edit apart for words of five letters or more."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] <= 1


def mentions(text: str, word: str) -> bool:
    """``word`` (or a phrase) in ``text``: as a word start, or one typo away."""
    folded, target = fold(text), fold(word)
    if " " in target or "-" in target:
        return target in folded
    if re.search(rf"\b{re.escape(target)}", folded):
        return True
    return any(_close(token, target) for token in re.findall(r"\w+", folded))


def facts_in_plan(
    plan: Dict[str, Any], persona: Persona, told: Dict[str, Sequence[str]]
) -> List[Dict[str, Any]]:
    """Per fact told with plan words: where it is in the plan and whether its message id is there."""
    entries = plan_entries(plan)
    checks = []
    for fact_id, ids in told.items():
        fact = persona.fact(fact_id)
        if not fact.plan or not ids:
            continue
        correction = (
            persona.correction if persona.correction and persona.correction.fact_id == fact_id else None
        )
        if correction and len(ids) > 1:
            ids = list(ids[1:])  # the corrected value comes from the correction, not the first telling
        hits = [
            (path, found_ids)
            for path, text, found_ids in entries
            if any(mentions(text, w) for w in fact.plan)
        ]
        with_id = [path for path, found_ids in hits if set(found_ids) & set(ids)]
        wrong = [
            path
            for path, text, _ in entries
            if correction and any(mentions(text, w) for w in correction.wrong_words)
        ]
        if wrong:
            with_id = []
        checks.append(
            {
                "fact": fact_id,
                "says": fact.says,
                "message_ids": list(ids),
                "plan_words": list(fact.plan),
                "status": "in plan with its message id"
                if with_id
                else "corrected value not taken"
                if wrong
                else ("in plan, not with its message id" if hits else "missing"),
                "ok": bool(with_id),
                "paths": with_id or [path for path, _ in hits][:3],
                **({"wrong_value_still_in": wrong} if wrong else {}),
            }
        )
    return checks

"""Compare what happened in one turn with what the scenario expects.

Every check gives a result with a reason a trainer can read ("fase is
'verkennen', verwacht 'kiezen'"), so a red step says why it is red.
Words are matched without regard to case, accents or extra spaces.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, Iterable, List, Optional

from bot.scenarios.loader import PLAN_PATH
from bot.scenarios.schema import FILLED, NO_HANDOFF, Expect

STATUS_LABELS = {
    "bot": "met de coach",
    "waiting_for_human": "wacht op begeleider",
    "human": "met begeleider",
    "closed": "afgesloten",
}
PLAN_STATE_LABELS = {
    FILLED: "ingevuld",
    "declined": "geweigerd ('wil ik niet zeggen')",
    "unknown": "'weet ik niet'",
    "not_applicable": "niet van toepassing",
    "empty": "leeg",
}
# Fields that name a list item: factors by factor_key, actions by kind, helpers by category.
ITEM_KEY_FIELDS = ("factor_key", "id", "number", "kind", "category", "section")


@dataclass
class Observed:
    """A turn's outcome as the public API showed it."""

    messages: List[Dict[str, Any]] = field(default_factory=list)
    status: Optional[str] = None
    phase: Optional[str] = None
    handoff: Optional[Dict[str, Any]] = None
    plan: Optional[Dict[str, Any]] = None

    def bot_messages(self) -> List[Dict[str, Any]]:
        return [m for m in self.messages if m.get("sender") == "bot"]

    def bot_text(self) -> str:
        return "\n".join(str(m.get("text") or "") for m in self.bot_messages())

    def responses(self) -> List[str]:
        return [m["utter_action"] for m in self.bot_messages() if m.get("utter_action")]

    def buttons(self) -> List[str]:
        return [str(b.get("title")) for m in self.bot_messages() for b in m.get("buttons") or []]


@dataclass
class CheckResult:
    check: str
    expected: Any
    actual: Any
    passed: bool
    reason: str

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: 'Guinée' matches 'guinee'."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).strip().casefold()


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _around(haystack: str, needle: str) -> str:
    """The bit of the reply around a word that should not be there."""
    folded = fold(haystack)
    at = folded.find(fold(needle))
    if at < 0:
        return _quote(haystack)
    flat = " ".join(haystack.split())
    return "…" + flat[max(0, at - 30) : at + len(needle) + 30] + "…"


def _listed(items: Iterable[str]) -> str:
    items = list(items)
    return ", ".join(items) if items else "geen"


# The reader's problems the built-in text check flags (names of reflection_quality.is_well_formed).
TEXT_PROBLEMS = {
    "starts lower-case": "begint met een kleine letter",
    "lower case after a full stop": "een zin begint met een kleine letter",
    "bare fragment": "herhaalt alleen een los stukje",
    "bare person": "noemt alleen een los woord voor een persoon",
    "misspelled word": "neemt een tikfout over",
}
MAX_MATCHED_CHARS = 5000  # a `matches` pattern reads at most this much of the reply


def text_problems(message_text: str) -> List[str]:
    """What the built-in check finds in one reply, in the trainer's words ("herhaalt alleen een
    los stukje: 'auto'"); [] when the client reads well-formed Dutch."""
    from bot.conversation.reflection_quality import is_well_formed

    found = []
    for problem in is_well_formed(message_text):
        name, _, detail = problem.partition(": ")
        if name in TEXT_PROBLEMS:
            found.append(TEXT_PROBLEMS[name] + (f": {detail}" if detail else ""))
    return found


def check_text(observed: Observed) -> Optional[CheckResult]:
    """The built-in check over every reply of the turn; None when the coach said nothing."""
    said = [str(m.get("text") or "") for m in observed.bot_messages() if str(m.get("text") or "").strip()]
    if not said:
        return None
    problems = [(text, p) for text in said for p in text_problems(text)]
    if not problems:
        return CheckResult(
            "text", "goed geschreven", "goed", True, "de tekst van de coach is goed geschreven"
        )
    text, first = problems[0]
    more = f" (en nog {len(problems) - 1})" if len(problems) > 1 else ""
    return CheckResult(
        "text",
        "goed geschreven",
        [p for _, p in problems],
        False,
        f"de coach {first}{more}: '{_quote(text)}' (ingebouwde controle; "
        "uit te zetten met text_checks: false)",
    )


def check_turn(
    expect: Expect, observed: Observed, *, never_says: Iterable[str] = (), text_checks: bool = False
) -> List[CheckResult]:
    """The turn's own expectations, plus the scenario's ``not_says`` (``never_says``) for every
    turn in which the coach said something: what the client reads is checked at each step.
    ``text_checks``: also the built-in check of how each reply reads (``check_text``)."""
    results: List[CheckResult] = []
    add = results.append
    if expect.phase is not None:
        ok = observed.phase == expect.phase
        add(
            CheckResult(
                "phase",
                expect.phase,
                observed.phase,
                ok,
                f"fase is '{observed.phase}'" + ("" if ok else f", verwacht '{expect.phase}'"),
            )
        )
    if expect.status is not None:
        ok = observed.status == expect.status
        actual = STATUS_LABELS.get(observed.status or "", observed.status)
        add(
            CheckResult(
                "status",
                expect.status,
                observed.status,
                ok,
                f"status is '{actual}'"
                + ("" if ok else f", verwacht '{STATUS_LABELS.get(expect.status, expect.status)}'"),
            )
        )
    if expect.handoff is not None:
        reason = (observed.handoff or {}).get("reason") or NO_HANDOFF
        ok = reason == expect.handoff
        shown = "geen overdracht" if reason == NO_HANDOFF else f"overdracht '{reason}'"
        wanted = "geen overdracht" if expect.handoff == NO_HANDOFF else f"overdracht '{expect.handoff}'"
        add(
            CheckResult("handoff", expect.handoff, reason, ok, shown + ("" if ok else f", verwacht {wanted}"))
        )
    text = observed.bot_text()
    for word in expect.says:
        ok = fold(word) in fold(text)
        add(
            CheckResult(
                "says",
                word,
                _quote(text, 200),
                ok,
                f"'{word}' staat in het antwoord"
                if ok
                else f"'{word}' staat niet in het antwoord van de coach"
                + (f" ({_quote(text)})" if text else " (de coach zei niets)"),
            )
        )
    for word in expect.not_says:
        ok = fold(word) not in fold(text)
        add(
            CheckResult(
                "not_says",
                word,
                _quote(text, 200),
                ok,
                f"'{word}' staat niet in het antwoord"
                if ok
                else f"'{word}' staat toch in het antwoord: {_around(text, word)}",
            )
        )
    for pattern in expect.matches:
        ok = (
            re.search(pattern, text[:MAX_MATCHED_CHARS], re.IGNORECASE | re.MULTILINE) is not None
        )  # ^: a message's start
        add(
            CheckResult(
                "matches",
                pattern,
                _quote(text, 200),
                ok,
                f"het antwoord past bij /{pattern}/"
                if ok
                else f"het antwoord past niet bij /{pattern}/"
                + (f" ({_quote(text)})" if text else " (de coach zei niets)"),
            )
        )
    if text_checks:
        checked = check_text(observed)
        if checked is not None:
            add(checked)
    if text.strip():
        for word in never_says:
            if word in expect.not_says:
                continue
            ok = fold(word) not in fold(text)
            add(
                CheckResult(
                    "not_says",
                    word,
                    _quote(text, 200),
                    ok,
                    f"'{word}' staat niet in het antwoord (hele scenario)"
                    if ok
                    else f"'{word}' staat toch in het antwoord (geldt voor het hele scenario): "
                    f"{_around(text, word)}",
                )
            )
    used = observed.responses()
    for name in expect.responses:
        ok = name in used
        add(
            CheckResult(
                "responses",
                name,
                used,
                ok,
                f"de coach gebruikte {name}"
                if ok
                else f"de coach gebruikte {name} niet (wel: {_listed(used)})",
            )
        )
    for name in expect.not_responses:
        ok = name not in used
        add(
            CheckResult(
                "not_responses",
                name,
                used,
                ok,
                f"de coach gebruikte {name} niet" if ok else f"de coach gebruikte toch {name}",
            )
        )
    offered = observed.buttons()
    for title in expect.buttons:
        ok = any(fold(title) == fold(b) for b in offered)
        add(
            CheckResult(
                "buttons",
                title,
                offered,
                ok,
                f"knop '{title}' aangeboden"
                if ok
                else f"knop '{title}' niet aangeboden (wel: {_listed(offered)})",
            )
        )
    if expect.silent is not None:
        said = observed.bot_messages()
        ok = (not said) if expect.silent else bool(said)
        if expect.silent:
            reason = (
                "de coach zei niets" if ok else f"de coach zei toch iets: {_quote(said[0].get('text', ''))}"
            )
        else:
            reason = "de coach antwoordde" if ok else "de coach zei niets"
        add(CheckResult("silent", expect.silent, len(said), ok, reason))
    for path, wanted in expect.plan.items():
        add(check_plan(observed.plan, path, wanted))
    return results


# --- the plan ------------------------------------------------------------------------


def plan_node(plan: Optional[Dict[str, Any]], path: str) -> Any:
    """The node at a dotted path; ``factors.overview_1[origin_safety]`` picks a list item."""
    match = PLAN_PATH.match(path)
    if not match or plan is None:
        return None
    node: Any = plan
    for part in match.group("base").split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    key = match.group("key")
    if key is not None:
        if not isinstance(node, list):
            return None
        node = next(
            (
                item
                for item in node
                if isinstance(item, dict)
                and any(str(item.get(f)) == key for f in ITEM_KEY_FIELDS if f in item)
            ),
            None,
        )
    return node


def _is_answer(node: Dict[str, Any]) -> bool:
    """The schema's answer wrapper {value, status, provenance}. List items (factors,
    actions, helpers) carry a status and provenance too, but their content is the item."""
    return "status" in node and "value" in node


def plan_state(node: Any) -> str:
    """filled | declined | unknown | not_applicable | empty."""
    if node is None or node == [] or node == "":
        return "empty"
    if isinstance(node, dict) and "status" in node:
        status = node.get("status")
        if status in ("declined", "unknown", "not_applicable"):
            return status
        if status == "not_started":
            return "empty"
        if _is_answer(node) and status == "answered" and node.get("value") in (None, "", []):
            return "empty"
        return FILLED
    return FILLED


def _strings(node: Any) -> List[str]:
    """Every text in a node except bookkeeping (provenance, ids, timestamps)."""
    if isinstance(node, dict):
        return [
            s
            for k, v in node.items()
            if k not in ("provenance", "id", "created_at", "updated_at")
            for s in _strings(v)
        ]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    if isinstance(node, bool) or node is None:
        return []
    return [str(node)]


def _value(node: Any) -> Any:
    return node.get("value") if isinstance(node, dict) and _is_answer(node) else node


def _shown(node: Any) -> str:
    value = _value(node)
    if isinstance(value, (bool, int, float)):
        return str(value).lower() if isinstance(value, bool) else str(value)
    return _quote("; ".join(_strings(value)) or "—", 60)


def check_plan(plan: Optional[Dict[str, Any]], path: str, wanted: Any) -> CheckResult:
    if plan is None:
        return CheckResult("plan", wanted, None, False, f"plan: {path} kon niet gelezen worden")
    node = plan_node(plan, path)
    state = plan_state(node)
    label = PLAN_STATE_LABELS[state]
    if isinstance(wanted, str) and wanted in PLAN_STATE_LABELS:
        ok = state == wanted
        detail = f" ({_shown(node)})" if state == FILLED else ""
        reason = f"plan: {path} is {label}{detail}"
        return CheckResult(
            "plan", wanted, state, ok, reason + ("" if ok else f", verwacht {PLAN_STATE_LABELS[wanted]}")
        )
    if isinstance(wanted, (bool, int, float)):
        value = _value(node)
        if isinstance(wanted, bool):
            ok = state == FILLED and value is wanted
        else:  # a number (a ruler score): True is not 1 here
            ok = (
                state == FILLED
                and isinstance(value, (int, float))
                and not isinstance(value, bool)
                and value == wanted
            )
        shown = _shown(node) if state == FILLED else label
        return CheckResult(
            "plan",
            wanted,
            _value(node),
            ok,
            f"plan: {path} is {shown}" + ("" if ok else f", verwacht {str(wanted).lower()}"),
        )
    text = str(wanted)
    found = state == FILLED and any(fold(text) in fold(s) for s in _strings(_value(node)))
    if state != FILLED:
        reason = f"plan: {path} is {label}, verwacht iets met '{text}'"
    elif found:
        reason = f"plan: {path} bevat '{text}'"
    else:
        reason = f"plan: {path} bevat '{text}' niet ({_shown(node)})"
    return CheckResult("plan", text, _shown(node) if state == FILLED else state, found, reason)

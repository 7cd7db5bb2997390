"""MI report: adaptive simulated clients through the API, coded by independent MITI rules.

    .venv/bin/python bench/serve_stack.py --workdir /tmp/mi_stack &        # or let this script start one
    .venv/bin/python bench/mi_report.py --via-api URL --kiosk-key KEY --stack-workdir /tmp/mi_stack
    .venv/bin/python bench/mi_report.py [--model PATH] [--persona mamadou ...] [--seed 0] [--max-turns 120]
    .venv/bin/python bench/mi_report.py --scripted ...   # the old fixed-answer personas (issue 4)

Issue 13, part 7: six adaptive clients (bench/simulated_clients/) read what the bot
actually asked and answer from their facts; bench/miti_coder.py codes every bot
message from its text (never from the bot's ``mi_code``): R:Q, complex share, failed
reflections and turns not taken in, each failure listed (client turn → bot turn). The
plan is read through the staff API (GET /staff/sessions/{id}/plan) and every fact a
client told must be in it with the id of the message it was told in. With
``--stack-workdir`` (the stack of bench/serve_stack.py) a counsellor account is added
to that stack's database; otherwise ``--staff-user``/``--staff-password``.

Beside it, named "self-labelled (the bot's own claim)", the old figure: the bot's own
``mi_code`` labels counted. Writes bench/results/mi_report.json and .md; it never
fails on a missed target (tests/e2e/test_adaptive_clients.py does).

The self-labelled figures (the functions below are tested in tests/bench/):
* reflection : question = (simple + complex reflections) / (open + closed questions),
  target ≥ 2. "strict" counts reflections only; "summary as reflection" also counts
  each summary (consecutive summary messages of one bot turn = one summary) as one
  complex reflection, as docs/specs/conversation.md §4.2 and MITI 4.2.1 code summaries.
* complex share = complex / (simple + complex), target ≥ 0.5, both ways.
* phase-change summaries: a phase change counts as summarised when a summary came
  after the previous phase change and no open question (new content) came between
  that summary and the change; target: all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
DOMAIN = ROOT / "domain.yml"
QUESTIONS = ("open_question", "closed_question")
REFLECTIONS = ("simple_reflection", "complex_reflection")
SUMMARY = "summary"
TARGETS = {"reflection_to_question": 2.0, "complex_share": 0.5, "phase_changes_summarised": 1.0}
CONTROL_PAYLOADS = ("/request_human", "/decline_answer", "/ask_recorded", "/dont_know", "/correct_answer")
PHASE_ORDER = ("verkennen", "kiezen", "verkrijgen", "afgerond")


# --- the coded conversation -------------------------------------------------------


@dataclass
class BotMessage:
    utter_action: Optional[str]
    mi_code: Optional[str]
    text: str = ""


@dataclass
class Turn:
    """One client message (None for the opening) and the bot messages it produced."""

    client_text: Optional[str]
    bot: List[BotMessage]
    phase_before: str
    phase_after: str


def code_counts(turns: Sequence[Turn]) -> Counter:
    return Counter(m.mi_code or "uncoded" for t in turns for m in t.bot)


def summary_blocks(turns: Sequence[Turn]) -> int:
    """Runs of consecutive summary messages within one bot turn; each run is one summary."""
    blocks = 0
    for turn in turns:
        previous = None
        for message in turn.bot:
            if message.mi_code == SUMMARY and previous != SUMMARY:
                blocks += 1
            previous = message.mi_code
    return blocks


def _ratio(numerator: float, denominator: float) -> Optional[float]:
    return round(numerator / denominator, 3) if denominator else None


def open_answer_figures(turns: Sequence[Turn]) -> Dict[str, Any]:
    """Reflections in the bot's reply to an answer to an open question (the answers MI
    reflects on; button questions get one short reflection at most)."""
    answers = reflections = 0
    for previous, turn in zip(turns, turns[1:]):
        asked = [m.mi_code for m in previous.bot if m.mi_code in QUESTIONS]
        if (
            not asked
            or asked[-1] != "open_question"
            or not turn.client_text
            or turn.client_text.startswith("/")
        ):
            continue
        answers += 1
        reflections += sum(1 for m in turn.bot if m.mi_code in REFLECTIONS)
    return {
        "answers": answers,
        "reflections": reflections,
        "reflections_per_answer": _ratio(reflections, answers),
    }


def mi_figures(turns: Sequence[Turn]) -> Dict[str, Any]:
    counts = code_counts(turns)
    questions = sum(counts[c] for c in QUESTIONS)
    simple, complex_ = counts["simple_reflection"], counts["complex_reflection"]
    summaries = summary_blocks(turns)
    return {
        "codes": dict(sorted(counts.items())),
        "questions": questions,
        "reflections": simple + complex_,
        "summaries": summaries,
        "strict": {
            "reflection_to_question": _ratio(simple + complex_, questions),
            "complex_share": _ratio(complex_, simple + complex_),
        },
        "summary_as_reflection": {
            "reflection_to_question": _ratio(simple + complex_ + summaries, questions),
            "complex_share": _ratio(complex_ + summaries, simple + complex_ + summaries),
        },
        "after_open_question": open_answer_figures(turns),
    }


def _change_point(turn: Turn) -> int:
    """Where in the turn the new phase starts: its announcement, else its first question."""
    for index, message in enumerate(turn.bot):
        if message.utter_action == f"utter_phase_{turn.phase_after}":
            return index
    for index, message in enumerate(turn.bot):
        if message.mi_code in QUESTIONS:
            return index
    return len(turn.bot)


def phase_changes(turns: Sequence[Turn]) -> List[Dict[str, Any]]:
    """Every phase change with whether a summary closed the phase before it."""
    changes = []
    history: List[BotMessage] = []  # bot messages since the previous change
    for number, turn in enumerate(turns):
        if turn.phase_after == turn.phase_before:
            history.extend(turn.bot)
            continue
        point = _change_point(turn)
        before = history + turn.bot[:point]
        summary_at = max((i for i, m in enumerate(before) if m.mi_code == SUMMARY), default=None)
        open_after = summary_at is not None and any(
            m.mi_code == "open_question" for m in before[summary_at + 1 :]
        )
        changes.append(
            {
                "turn": number,
                "from": turn.phase_before,
                "to": turn.phase_after,
                "summarised": summary_at is not None and not open_after,
                "why_not": None
                if summary_at is not None and not open_after
                else (
                    "no summary since the previous phase change"
                    if summary_at is None
                    else "an open question came after the last summary"
                ),
            }
        )
        history = list(turn.bot[point:])
    return changes


def persona_figures(turns: Sequence[Turn]) -> Dict[str, Any]:
    changes = phase_changes(turns)
    summarised = sum(1 for c in changes if c["summarised"])
    return {
        **mi_figures(turns),
        "phase_changes": changes,
        "phase_changes_summarised": _ratio(summarised, len(changes)),
    }


def meets(figures: Dict[str, Any], view: str) -> Dict[str, Optional[bool]]:
    values = figures[view]
    share = figures.get("phase_changes_summarised")
    return {
        "reflection_to_question": None
        if values["reflection_to_question"] is None
        else values["reflection_to_question"] >= TARGETS["reflection_to_question"],
        "complex_share": None
        if values["complex_share"] is None
        else values["complex_share"] >= TARGETS["complex_share"],
        "phase_changes_summarised": None if share is None else share >= TARGETS["phase_changes_summarised"],
    }


# --- MI codes from domain.yml ---------------------------------------------------------


def domain_codes(domain_path: Path = DOMAIN) -> Dict[str, Optional[str]]:
    """utter_action → its MI code when every variation agrees, else None (the stored code decides)."""
    import yaml

    responses = (yaml.safe_load(domain_path.read_text(encoding="utf-8")) or {}).get("responses") or {}
    codes: Dict[str, Optional[str]] = {}
    for name, variations in responses.items():
        found = {((v or {}).get("metadata") or {}).get("mi_code") for v in variations or []}
        codes[name] = found.pop() if len(found) == 1 else None
    return codes


def turns_from_transcript(
    messages: Sequence[Dict[str, Any]],
    phase_after: Dict[str, str],
    codes: Dict[str, Optional[str]],
    first_phase: str = "verkennen",
) -> List[Turn]:
    """Group a staff transcript into turns; `phase_after` maps client message id → phase after it."""
    turns: List[Turn] = [Turn(None, [], first_phase, first_phase)]
    phase = first_phase
    for message in messages:
        if message["sender"] == "client":
            after = phase_after.get(message["id"], phase)
            turns.append(Turn(message.get("text"), [], phase, after))
            phase = after
        elif message["sender"] == "bot":
            code = message.get("mi_code") or codes.get(message.get("utter_action") or "")
            turns[-1].bot.append(BotMessage(message.get("utter_action"), code, message.get("text", "")))
    return turns


# --- personas ------------------------------------------------------------------------

Answer = Union[str, List[str]]


@dataclass
class Persona:
    name: str
    basis: str
    answers: Dict[str, Answer]
    default: str
    expected_option: Optional[str] = None
    asked: Counter = field(default_factory=Counter)

    def reply(self, topic: Optional[str], buttons: Sequence[Dict[str, str]]) -> Tuple[str, Optional[str]]:
        """(text, button title or None) for the question `topic` (utter_ask_<topic>)."""
        count = self.asked[topic]
        self.asked[topic] += 1
        answer = self.answers.get(topic or "")
        if isinstance(answer, list):
            answer = answer[min(count, len(answer) - 1)]
        if answer is None:
            answer = DEFAULT_ANSWERS.get(topic or "")
        if answer is not None:
            for button in buttons:
                if button.get("title", "").strip().lower() == answer.strip().lower():
                    return button["payload"], button["title"]
            return answer, None
        ordinary = [b for b in buttons if not b.get("payload", "").startswith(CONTROL_PAYLOADS)]
        if ordinary:
            return ordinary[0]["payload"], ordinary[0]["title"]
        return self.default, None


# What any persona says unless its own script says otherwise (typed or a button title).
DEFAULT_ANSWERS: Dict[str, str] = {
    "start": "Ja, we beginnen",
    "summary_correct": "Ja, dat klopt",
    "continue_kiezen": "Ja, graag",
    "continue_verkrijgen": "Ja, graag",
    "step_confirm": "Ja, zet het in mijn plan",
    "more_steps": "Nee, dit is genoeg",
    "what_to_correct": "Niets, we gaan verder",
    "what_to_correct_verkennen": "Het is toch goed zo",
    "what_to_correct_kiezen": "Het is toch goed zo",
    "step_changes": "Het is goed zo",
    "support_info": "Ja, vertel maar",
    "wants_guidance": "Ja",
    "consent_share": "Dat wil ik later zeggen",
}


def personas() -> List[Persona]:
    """The six personas of issue 4 (docs/specs/conversation.md §6), in short kiosk Dutch."""
    return [
        Persona(
            "mamadou",
            "P1 Guinea, single man, had a small shop; family in Guinea",
            {
                "life_here": "ik woon in azc, ik doe niks de hele dag. dat is zwaar",
                "family_here": "niemand, alleen een vriend uit mijn land",
                "has_children": "Nee",
                "country_of_origin": "Guinee",
                "family_origin": "mijn moeder en twee zussen in Conakry. ik bel ze soms",
                "family_origin_direction": "Makkelijker",
                "family_origin_amount": "Best veel",
                "safety_origin": "in Conakry is het nu een beetje rustig",
                "safety_origin_direction": "Allebei / weet ik niet",
                "physical_complaints": "Nee",
                "mental_complaints": "Ja",
                "uses_medication": "Nee",
                "talents": "ik had een winkel met telefoons en kleding. verkopen kan ik goed",
                "worries": "wat mijn familie zegt als ik terugkom zonder geld",
                "hopes": "weer een eigen winkel en mijn moeder helpen",
                "safety_worried": "Nee",
                "origin_future": "ik wil weer een winkel in Conakry, telefoons verkopen",
                "origin_future_direction": "Makkelijker",
                "origin_future_amount": "Best veel",
                "origin_care": "als ik ziek word is er een dokter in Conakry, denk ik",
                "origin_care_direction": "Allebei / weet ik niet",
                "work_experience": "ik had een winkel in Conakry, acht jaar",
                "education": "ik ging naar school tot ik veertien was",
                "info_sources": "whatsapp met mijn moeder en nieuws op facebook",
                "family_expectations": "ze denken dat ik in Europa rijk ben geworden",
                "goal": "een winkel met telefoons in Conakry",
                "goal_needs": "geld om te beginnen en een plan",
                "consent_share": "Ja, dat mag",
                "decision_option": "Terugkeren met hulp",
                "reasons_for": "mijn moeder is oud en ik wil weer werken",
                "reasons_against": "schaamte, ik heb niks gespaard",
                "importance": "7",
                "confidence": "5",
                "what_would_change": "als ik geld heb om een winkel te beginnen",
                "step_kind": ["Werk of eigen zaak", "Contact met familie"],
                "step_what": [
                    "een plan maken voor een winkel",
                    "mijn broer bellen over een plek voor de winkel",
                ],
                "step_who": ["Samen met mijn begeleider", "Ik zelf"],
                "step_when": ["over twee weken", "deze week"],
                "more_steps": ["Ja, nog een stap", "Nee, dit is genoeg"],
            },
            default="ik weet het niet goed",
            expected_option="return_with_support",
        ),
        Persona(
            "leila",
            "P2 mother of two schoolgirls at a family location, Afghanistan",
            {
                "life_here": "ik woon met mijn dochters op de gezinslocatie. zij gaan naar school",
                "family_here": "mijn twee dochters, mijn man is er niet",
                "has_children": "Ja",
                "country_of_origin": "Afghanistan",
                "family_origin": "mijn broer in Herat, verder niemand",
                "family_origin_direction": "Moeilijker",
                "family_origin_amount": "Een beetje",
                "safety_origin": "voor meisjes is het niet veilig daar, geen school",
                "safety_origin_direction": "Moeilijker",
                "safety_origin_amount": "Heel veel",
                "physical_complaints": "Nee",
                "mental_complaints": "Ja",
                "uses_medication": "Nee",
                "talents": "ik kan goed naaien en koken, ik help andere moeders",
                "worries": "de toekomst van mijn dochters, dat ze niet vrij zijn",
                "hopes": "dat mijn dochters kunnen leren en werken",
                "safety_worried": "Ja",
                "origin_future": "ik weet het niet, als vrouw alleen is het moeilijk daar",
                "origin_future_direction": "Moeilijker",
                "origin_future_amount": "Heel veel",
                "origin_care": "er is weinig hulp voor vrouwen daar",
                "origin_care_direction": "Moeilijker",
                "origin_care_amount": "Best veel",
                "work_experience": "ik heb nog niet gewerkt",
                "education": "school in Herat tot ik twaalf was",
                "info_sources": "mijn broer belt en ik kijk tv",
                "family_expectations": "dat ik zorg voor mijn dochters",
                "goal": "dat mijn dochters naar school blijven gaan",
                "goal_needs": "hulp van een advocaat en tijd",
                "children_school": "dat weet ik niet, meisjes mogen daar niet naar school",
                "children_language": "Een beetje",
                "consent_share": "Nee, liever niet",
                "decision_option": "Ik weet het nog niet",
                "reasons_for": "hier kunnen mijn dochters naar school",
                "reasons_against": "we hebben geen papieren, de buren praten",
                "importance": "9",
                "confidence": "3",
                "what_would_change": "als ik weet dat mijn dochters veilig naar school kunnen",
                "step_kind": "Iets anders",
                "step_what": "met mijn begeleider praten over de school van mijn dochters",
                "step_who": "Samen met mijn begeleider",
                "step_when": "voor de volgende afspraak",
            },
            default="dat weet ik niet",
            expected_option="undecided",
        ),
        Persona(
            "ibrahim",
            "P3 former unaccompanied minor from Sierra Leone who wants to stay",
            {
                "life_here": "ik woon hier al drie jaar, ik ga naar school en speel voetbal",
                "family_here": "mijn vrienden van school en van voetbal",
                "has_children": "Nee",
                "country_of_origin": "Sierra Leone",
                "family_origin": "ik heb geen contact met mijn familie daar",
                "family_origin_direction": "Moeilijker",
                "family_origin_amount": "Heel veel",
                "safety_origin": "ik ken niemand daar, ik weet niet hoe het daar is",
                "safety_origin_direction": "Moeilijker",
                "safety_origin_amount": "Best veel",
                "physical_complaints": "Nee",
                "mental_complaints": "Nee",
                "uses_medication": "Nee",
                "talents": "voetbal en ik ben goed met computers",
                "worries": "dat ik hier geen papieren krijg",
                "hopes": "hier een opleiding afmaken en werken",
                "safety_worried": "Dat zeg ik liever niet",
                "origin_future": "ik ken het land niet meer, ik was vijftien toen ik wegging",
                "origin_future_direction": "Moeilijker",
                "origin_future_amount": "Heel veel",
                "work_experience": "ik heb nog niet gewerkt",
                "education": "ik zit op het mbo, ICT",
                "info_sources": "soms op internet",
                "family_expectations": "ik weet het niet, ik heb geen contact",
                "goal": "mijn opleiding ICT afmaken",
                "goal_needs": "papieren en tijd",
                "decision_option": "In Nederland blijven",
                "reasons_for": "mijn leven is hier, mijn vrienden zijn hier",
                "reasons_against": "ik heb geen papieren",
                "importance": "10",
                "confidence": "4",
                "what_would_change": "niks, ik wil hier blijven",
                "step_kind": "Juridisch laten nakijken",
                "step_what": "met een advocaat praten over mijn zaak",
                "step_who": "Samen met mijn begeleider",
                "step_when": "volgende maand",
            },
            default="ik wil hier blijven",
            expected_option="stay_in_netherlands",
        ),
        Persona(
            "rosa",
            "P4 woman with diabetes on insulin, Angola",
            {
                "life_here": "ik woon in het azc, ik ga vaak naar de dokter",
                "family_here": "een vriendin van de kerk",
                "has_children": "Nee",
                "country_of_origin": "Angola",
                "family_origin": "mijn zus woont in Luanda",
                "family_origin_direction": "Makkelijker",
                "family_origin_amount": "Een beetje",
                "safety_origin": "veilig wel, maar de zorg is slecht",
                "safety_origin_direction": "Allebei / weet ik niet",
                "physical_complaints": "Ja",
                "mental_complaints": "Nee",
                "uses_medication": "Ja",
                "medication_names": "insuline en metformine",
                "talents": "ik was lerares, ik kan goed met kinderen",
                "worries": "of ik daar insuline kan krijgen en betalen",
                "hopes": "gezond blijven en weer lesgeven",
                "safety_worried": "Nee",
                "origin_future": "misschien weer lesgeven in Luanda",
                "origin_future_direction": "Makkelijker",
                "origin_future_amount": "Een beetje",
                "origin_care": "ik weet niet of er insuline is en of ik die kan betalen",
                "origin_care_direction": "Moeilijker",
                "origin_care_amount": "Heel veel",
                "work_experience": "ik was lerares op een basisschool",
                "education": "de opleiding voor lerares in Luanda",
                "info_sources": "mijn zus vertelt het mij",
                "family_expectations": "niks, mijn zus wil dat ik gezond ben",
                "goal": "gezond blijven, daarna weer werken",
                "goal_needs": "een dokter die zegt dat er insuline is",
                "decision_option": "Ik weet het nog niet",
                "reasons_for": "mijn zus is daar",
                "reasons_against": "mijn medicijnen, ik weet niet of die er zijn",
                "importance": "6",
                "confidence": "2",
                "what_would_change": "als een dokter zegt dat ik daar insuline krijg",
                "step_kind": "Medicijnen en medisch dossier",
                "step_what": "mijn medisch dossier opvragen en laten vertalen",
                "step_who": "Samen met mijn begeleider",
                "step_when": "over twee weken",
            },
            default="dat weet ik niet",
            expected_option="undecided",
        ),
        Persona(
            "mr_a",
            "P5 father from Northern Iraq, answers in one word",
            {
                "life_here": "moeilijk",
                "family_here": "vrouw, dochters",
                "has_children": "Ja",
                "country_of_origin": "Irak",
                "family_origin": "broer",
                "family_origin_direction": "Moeilijker",
                "family_origin_amount": "Een beetje",
                "safety_origin": "nee",
                "safety_origin_direction": "Moeilijker",
                "safety_origin_amount": "Heel veel",
                "physical_complaints": "Nee",
                "mental_complaints": "Ja",
                "uses_medication": "Ja",
                "medication_names": "weet niet",
                "talents": "bouwen",
                "worries": "dochters",
                "hopes": "papieren",
                "safety_worried": "Ja",
                "origin_future": "weet niet",
                "origin_future_direction": "Allebei / weet ik niet",
                "origin_care": "slecht",
                "origin_care_direction": "Moeilijker",
                "origin_care_amount": "Heel veel",
                "work_experience": "bouw",
                "education": "weinig",
                "info_sources": "telefoon",
                "family_expectations": "weet niet",
                "goal": "papieren dochters",
                "goal_needs": "hulp",
                "children_school": "weet niet",
                "children_language": "Nee",
                "decision_option": "Ik weet het nog niet",
                "reasons_for": "dochters",
                "reasons_against": "bang",
                "importance": "5",
                "confidence": "2",
                "what_would_change": "weet niet",
                "step_kind": "Rust en gezondheid",
                "step_what": "dokter",
                "step_who": "Samen met mijn begeleider",
                "step_when": "volgende week",
            },
            default="weet niet",
            expected_option="undecided",
        ),
        Persona(
            "daniel",
            "P6 young educated man from Nigeria who declines several questions",
            {
                "life_here": "ik woon in het azc, ik lees veel en help met vertalen",
                "family_here": "dat wil ik niet zeggen",
                "has_children": "Nee",
                "country_of_origin": "Nigeria",
                "family_origin": "dat wil ik niet zeggen",
                "family_origin_direction": "Sla over",
                "family_origin_amount": "Sla over",
                "safety_origin": "dat zeg ik liever niet",
                "safety_origin_direction": "Sla over",
                "safety_origin_amount": "Sla over",
                "physical_complaints": "Nee",
                "mental_complaints": "Dat zeg ik liever niet",
                "uses_medication": "Nee",
                "talents": "ik heb economie gestudeerd, ik ben goed met cijfers en computers",
                "worries": "dat zeg ik liever niet",
                "hopes": "een goede baan, iets bereiken",
                "safety_worried": "Dat zeg ik liever niet",
                "origin_future": "een baan bij een bank in Lagos, misschien",
                "origin_future_direction": "Sla over",
                "work_experience": "ik werkte bij een bank in Lagos",
                "education": "universiteit, economie",
                "info_sources": "dat wil ik niet zeggen",
                "family_expectations": "dat wil ik niet zeggen",
                "goal": "een cursus boekhouden, zodat ik met iets terugkom",
                "goal_needs": "tijd en een computer",
                "consent_share": "Ja, dat mag",
                "decision_option": "Terugkeren met hulp",
                "reasons_for": "ik wil niet meer wachten, ik wil verder met mijn leven",
                "reasons_against": "dat wil ik niet zeggen",
                "importance": "8",
                "confidence": "6",
                "what_would_change": "een cursus, zodat ik met iets terugkom",
                "step_kind": "Werk of eigen zaak",
                "step_what": "een cursus boekhouden zoeken",
                "step_who": "Ik zelf",
                "step_when": "in maart",
            },
            default="dat wil ik niet zeggen",
            expected_option="return_with_support",
        ),
    ]


# --- running a conversation -------------------------------------------------------------


def topic_of(utter_action: Optional[str]) -> Optional[str]:
    if utter_action and utter_action.startswith("utter_ask_"):
        return utter_action[len("utter_ask_") :]
    return None


class Api:
    """The public API (api-contract.md): kiosk for the client, staff for the transcript."""

    def __init__(
        self, base_url: str, kiosk_key: str, staff_user: str, staff_password: str, transport=None
    ) -> None:
        import httpx

        self.kiosk = httpx.Client(
            base_url=f"{base_url.rstrip('/')}/api/v1",
            timeout=90,
            headers={"X-Kiosk-Key": kiosk_key},
            transport=transport,
        )
        self.staff = httpx.Client(base_url=f"{base_url.rstrip('/')}/api/v1", timeout=90, transport=transport)
        token = self.staff.post("/auth/token", data={"username": staff_user, "password": staff_password})
        token.raise_for_status()
        self.staff.headers["Authorization"] = f"Bearer {token.json()['access_token']}"

    def _post(self, path: str, body: Dict[str, Any], expect: int) -> Dict[str, Any]:
        for _ in range(10):
            response = self.kiosk.post(path, json=body)
            if response.status_code == 429:  # a person types slower than this script
                time.sleep(float(response.headers.get("Retry-After", "5")))
                continue
            if response.status_code != expect:
                raise RuntimeError(f"POST {path} → {response.status_code}: {response.text[:300]}")
            return response.json()
        raise RuntimeError(f"POST {path}: still rate-limited")

    def start(self) -> Dict[str, Any]:
        return self._post("/sessions", {"language": "nl"}, 201)

    def say(self, session_id: str, text: str, title: Optional[str]) -> Dict[str, Any]:
        body = {"text": text, **({"title": title} if title else {})}
        return self._post(f"/sessions/{session_id}/messages", body, 200)

    def hand_back(self, session_id: str) -> Dict[str, Any]:
        """A counsellor takes the talk over and gives it straight back: the bot's next turn."""
        taken = self.staff.post(f"/staff/sessions/{session_id}/takeover")
        if taken.status_code not in (200, 409):
            taken.raise_for_status()
        back = self.staff.post(f"/staff/sessions/{session_id}/handback", json={})
        back.raise_for_status()
        body = back.json()
        summary = body.get("session") or {}
        return {
            "messages": body.get("messages") or [],
            "status": summary.get("status", "bot"),
            "phase": summary.get("phase"),
        }

    def transcript(self, session_id: str) -> Dict[str, Any]:
        response = self.staff.get(f"/staff/sessions/{session_id}")
        response.raise_for_status()
        return response.json()

    def plan(self, session_id: str) -> Dict[str, Any]:
        response = self.staff.get(f"/staff/sessions/{session_id}/plan")
        response.raise_for_status()
        return response.json()


def answered_plan_fields(node: Any, path: str = "") -> List[str]:
    """Plan paths holding a client answer with its message provenance."""
    found: List[str] = []
    if isinstance(node, dict):
        provenance = node.get("provenance")
        if isinstance(provenance, dict) and provenance.get("source") == "client_message":
            found.append(path)
        for key, value in node.items():
            if key != "provenance":
                found += answered_plan_fields(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += answered_plan_fields(item, f"{path}[{index}]")
    return found


def run_persona(
    api: Api,
    persona: Persona,
    codes: Dict[str, Optional[str]],
    max_turns: int = 90,
    max_same_question: int = 4,
) -> Dict[str, Any]:
    started = api.start()
    session_id = started["session_id"]
    phase_after: Dict[str, str] = {}
    status, phase, end = started["status"], started["phase"], "max_turns"
    last_topic: Optional[str] = None
    for _ in range(max_turns):
        if phase == "afgerond":
            end = "afgerond"
            break
        if status != "bot":
            end = f"hand-off ({status})"
            break
        transcript = api.transcript(session_id)["messages"]
        since_client = []
        for message in reversed(transcript):
            if message["sender"] == "client":
                break
            since_client.insert(0, message)
        bot = [m for m in since_client if m["sender"] == "bot"]
        asked = [m for m in bot if topic_of(m.get("utter_action"))]
        if asked:
            last_topic = topic_of(asked[-1]["utter_action"])
        if persona.asked[last_topic] >= max_same_question:
            end = f"stuck on {last_topic}"
            break
        buttons = bot[-1].get("buttons") or [] if bot else []
        text, title = persona.reply(last_topic, buttons)
        reply = api.say(session_id, text, title)
        client_ids = [m["id"] for m in reply["messages"] if m["sender"] == "client"]
        if client_ids:
            phase_after[client_ids[0]] = reply["phase"]
        status, phase = reply["status"], reply["phase"]
    else:
        if phase == "afgerond":
            end = "afgerond"
    final = api.transcript(session_id)
    turns = turns_from_transcript(final["messages"], phase_after, codes)
    handoff = handoff_details(final) if status != "bot" else None
    plan = api.plan(session_id)
    option = (plan.get("provisional_decision") or {}).get("option") or {}
    return {
        "persona": persona.name,
        "basis": persona.basis,
        "session_id": session_id,
        "end": end,
        "client_turns": len(turns) - 1,
        "phases": [
            p for i, p in enumerate([t.phase_after for t in turns]) if i == 0 or p != turns[i - 1].phase_after
        ],
        "handoff": handoff,
        "answered_plan_fields": len(answered_plan_fields(plan)),
        "decision_option": option.get("value"),
        "expected_option": persona.expected_option,
        "figures": persona_figures(turns),
        "transcript": [
            {
                "client": t.client_text,
                "phase": t.phase_after,
                "bot": [
                    {"utter_action": m.utter_action, "mi_code": m.mi_code, "text": m.text} for m in t.bot
                ],
            }
            for t in turns
        ],
    }


def handoff_details(transcript: Dict[str, Any]) -> Dict[str, Any]:
    """What stopped the bot: the hand-off reason and how the last client message was read."""
    clients = [m for m in transcript.get("messages") or [] if m["sender"] == "client"]
    last = clients[-1] if clients else {}
    safety = last.get("safety") or {}
    handoffs = transcript.get("handoffs") or []
    return {
        "reason": handoffs[-1].get("reason") if handoffs else None,
        "client_text": last.get("text"),
        "intent": last.get("intent"),
        "confidence": last.get("confidence"),
        "safety": {k: safety.get(k) for k in ("category", "flag", "matched")},
        "rasa_safety": {k: (safety.get("rasa") or {}).get(k) for k in ("category", "flag", "matched")},
    }


def pooled(runs: Sequence[Dict[str, Any]], turns_by_run: Sequence[List[Turn]]) -> Dict[str, Any]:
    all_turns = [t for turns in turns_by_run for t in turns]
    changes = [c for run in runs for c in run["figures"]["phase_changes"]]
    summarised = sum(1 for c in changes if c["summarised"])
    return {
        **mi_figures(all_turns),
        "phase_changes": len(changes),
        "phase_changes_summarised": _ratio(summarised, len(changes)),
    }


def _turns_of(run: Dict[str, Any]) -> List[Turn]:
    turns, previous = [], "verkennen"
    for t in run["transcript"]:
        turns.append(
            Turn(
                t["client"],
                [BotMessage(m["utter_action"], m["mi_code"]) for m in t["bot"]],
                previous,
                t["phase"],
            )
        )
        previous = t["phase"]
    return turns


def build_report(runs: Sequence[Dict[str, Any]], model_name: str, api_url: str) -> Dict[str, Any]:
    overall = pooled(runs, [_turns_of(r) for r in runs])
    return {
        "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "model": model_name,
        "api": api_url,
        "command": ".venv/bin/python bench/mi_report.py",
        "targets": TARGETS,
        "overall": overall,
        "meets_targets": {
            "strict": meets(overall, "strict"),
            "summary_as_reflection": meets(overall, "summary_as_reflection"),
        },
        "personas": list(runs),
    }


def _fmt(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.2f}"


def markdown(report: Dict[str, Any]) -> str:
    overall = report["overall"]
    lines = [
        "# MI codes of the persona conversations",
        "",
        f"Model `{report['model']}` through the API ({report['api']}), generated {report['generated_at']} "
        f"by `{report['command']}`.",
        "",
        "| figure | strict | summary as complex reflection | target |",
        "|---|---|---|---|",
        f"| reflection : question | {_fmt(overall['strict']['reflection_to_question'])} | "
        f"{_fmt(overall['summary_as_reflection']['reflection_to_question'])} | ≥ 2.00 |",
        f"| complex share of reflections | {_fmt(overall['strict']['complex_share'])} | "
        f"{_fmt(overall['summary_as_reflection']['complex_share'])} | ≥ 0.50 |",
        f"| phase changes preceded by a summary | {_fmt(overall['phase_changes_summarised'])} "
        f"({overall['phase_changes']} changes) | | 1.00 |",
        "",
        f"Reflections per answer to an open question: "
        f"{_fmt(overall['after_open_question']['reflections_per_answer'])} "
        f"({overall['after_open_question']['reflections']} reflections after "
        f"{overall['after_open_question']['answers']} typed answers to open questions; no target, "
        f"it shows where the ratio comes from: button questions get one short reflection at most).",
        "",
        f"Codes over all bot messages: {overall['codes']}.",
        "",
        "## Per persona",
        "",
        "| persona | end | client turns | phases | plan answers | option (expected) | R:Q strict | "
        "complex strict | R:Q with summaries | complex with summaries | summarised changes |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in report["personas"]:
        f = run["figures"]
        lines.append(
            f"| {run['persona']} | {run['end']} | {run['client_turns']} | {' → '.join(run['phases'])} | "
            f"{run['answered_plan_fields']} | {run['decision_option']} ({run['expected_option']}) | "
            f"{_fmt(f['strict']['reflection_to_question'])} | {_fmt(f['strict']['complex_share'])} | "
            f"{_fmt(f['summary_as_reflection']['reflection_to_question'])} | "
            f"{_fmt(f['summary_as_reflection']['complex_share'])} | {_fmt(f['phase_changes_summarised'])} |"
        )
    missed = [
        (run["persona"], c)
        for run in report["personas"]
        for c in run["figures"]["phase_changes"]
        if not c["summarised"]
    ]
    stopped = [run for run in report["personas"] if run.get("handoff")]
    if stopped:
        lines += [
            "",
            "## Conversations a hand-off stopped",
            "",
            "| persona | client text | reason | intent (conf.) | local detector | Rasa's detector |",
            "|---|---|---|---|---|---|",
        ]
        for run in stopped:
            h = run["handoff"]
            conf = "" if h["confidence"] is None else f" ({h['confidence']:.2f})"
            lines.append(
                f"| {run['persona']} | {h['client_text']} | {h['reason']} | {h['intent']}{conf} | "
                f"{h['safety']['category']}/{h['safety']['flag']} | "
                f"{h['rasa_safety']['category']}/{h['rasa_safety']['flag']} |"
            )
    if missed:
        lines += ["", "## Phase changes without a summary", ""]
        lines += [
            f"* {name}: {c['from']} → {c['to']} at client turn {c['turn']}: {c['why_not']}"
            for name, c in missed
        ]
    return "\n".join(lines) + "\n"


# --- stack -----------------------------------------------------------------------------

KIOSK_KEY = "bench-mi-kiosk-key-0123456789abcdef"
STAFF = ("bench-mi-begeleider", "bench-mi-password-123")


def start_stack(model: Path, workdir: Path):
    """A LocalStack on free ports with its own database, kiosk key and staff account."""
    from cli.local_stack import LocalStack

    stack = LocalStack(model=model, workdir=workdir, env_overrides={"COACH_KIOSK_KEY": KIOSK_KEY})
    stack.prepare_database(
        kiosk_key=KIOSK_KEY, kiosk_label="bench-mi", users=[(STAFF[0], "counsellor", STAFF[1])]
    )
    return stack.start(timeout_s=480)


# --- adaptive clients and the independent coder (issue 13, part 7) ----------------------

SELF_LABELLED = "self-labelled (the bot's own claim)"
INDEPENDENT = "independent coder (MITI 4.2.1 rules on the text)"


def ensure_staff_user(workdir: Path, user: str = STAFF[0], password: str = STAFF[1]) -> None:
    """A counsellor account in the database of a stack started by bench/serve_stack.py."""
    saved = dict(os.environ)
    try:
        os.environ.update(
            {"COACH_ENV": "test", "COACH_DATABASE_URL": f"sqlite:///{Path(workdir) / 'coach.db'}"}
        )
        from bot import accounts
        from bot.db.engine import session_scope
        from bot.settings import get_settings

        get_settings.cache_clear()
        with session_scope() as db:
            if accounts.get_user(db, user) is None:
                accounts.create_user(db, user, "counsellor", password)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        try:
            from bot.settings import get_settings

            get_settings.cache_clear()
        except ImportError:  # pragma: no cover
            pass


def self_labelled_figures(
    messages: Sequence[Dict[str, Any]], talk: Dict[str, Any], codes: Dict[str, Optional[str]]
) -> Dict[str, Any]:
    """The old figure: the bot's own mi_code labels counted (what the bot claims it did)."""
    phase_after = {
        t["client"]["id"]: t["phase"] for t in talk["turns"] if t.get("client") and t["client"].get("id")
    }
    turns = turns_from_transcript(messages, phase_after, codes)
    figures = mi_figures(turns)
    return {
        "reflection_to_question": figures["strict"]["reflection_to_question"],
        "complex_share": figures["strict"]["complex_share"],
        "questions": figures["questions"],
        "reflections": figures["reflections"],
    }


def run_adaptive(
    api: "Api",
    persona: Any,
    codes: Dict[str, Optional[str]],
    seed: int = 0,
    max_turns: int = 120,
    hand_back: bool = True,
) -> Dict[str, Any]:
    """One adaptive persona through the stack: the talk, its independent coding, the plan check."""
    from bench import miti_coder
    from bench.simulated_clients.run import facts_in_plan, run_talk

    talk = run_talk(
        api, persona, seed=seed, max_turns=max_turns, hand_back=api.hand_back if hand_back else None
    )
    transcript = api.transcript(talk["session_id"])
    plan = api.plan(talk["session_id"])
    coded = miti_coder.code_talk(talk["turns"])
    facts = facts_in_plan(plan, persona, talk["told"])
    handoff = handoff_details(transcript) if talk["status"] != "bot" or talk["handoffs"] else None
    option = ((plan.get("provisional_decision") or {}).get("option") or {}).get("value")
    return {
        **{k: v for k, v in talk.items() if k != "turns"},
        "turns": talk["turns"],
        "intended_handoff": persona.intended_handoff,
        "handoff_details": handoff,
        "decision_option": option,
        "expected_option": persona.expected_option,
        "independent": coded.figures(),
        "failures": coded.listing(),
        "codes": [{"turn": c.turn, "code": c.code, "text": c.text} for c in coded.codes],
        "self_labelled": self_labelled_figures(transcript.get("messages") or [], talk, codes),
        "facts": facts,
        "facts_ok": sum(1 for f in facts if f["ok"]),
    }


def _sum(runs: Sequence[Dict[str, Any]], key: str) -> int:
    return sum(r["independent"][key] for r in runs)


def failure_kinds(runs: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Failures grouped by kind (the reason without its detail), most frequent first."""
    kinds: Dict[str, List[Dict[str, Any]]] = {}
    for run in runs:
        for section in ("failed_reflections", "not_taken_in"):
            for item in run["failures"][section]:
                for why in item["why"]:
                    kind = (
                        f"{'failed reflection' if section == 'failed_reflections' else 'not taken in'}: "
                        f"{why.split(':')[0]}"
                    )
                    kinds.setdefault(kind, []).append({"persona": run["persona"], **item})
        for handoff in run.get("handoffs") or []:
            kinds.setdefault(f"unintended hand-off: {handoff['reason']}", []).append(
                {
                    "persona": run["persona"],
                    "turn": handoff["turn"],
                    "client": handoff["client"],
                    "bot": " / ".join(handoff["bot"])[:200],
                    "why": [f"hand-off {handoff['reason']}"],
                }
            )
        for fact in run["facts"]:
            if not fact["ok"]:
                kinds.setdefault(f"fact check: {fact['status']}", []).append(
                    {
                        "persona": run["persona"],
                        "client": fact["says"],
                        "bot": ", ".join(fact["paths"]),
                        "why": [fact["status"]],
                    }
                )
    return sorted(
        ({"kind": k, "count": len(v), "examples": v} for k, v in kinds.items()),
        key=lambda item: -item["count"],
    )


def build_adaptive_report(
    runs: Sequence[Dict[str, Any]], model_name: str, api_url: str, command: str
) -> Dict[str, Any]:
    from bench.miti_coder import TARGETS as CODER_TARGETS

    questions = _sum(runs, "open_questions") + _sum(runs, "closed_questions")
    simple, complex_ = _sum(runs, "simple_reflections"), _sum(runs, "complex_reflections")
    sl_q = sum(r["self_labelled"]["questions"] for r in runs)
    sl_r = sum(r["self_labelled"]["reflections"] for r in runs)
    overall = {
        "client_turns": sum(r["client_turns"] for r in runs),
        "reflection_to_question": _ratio(simple + complex_, questions),
        "complex_share": _ratio(complex_, simple + complex_),
        "failed_reflections": _sum(runs, "failed_reflections"),
        "not_taken_in": _sum(runs, "not_taken_in"),
        "facts_told": sum(len(r["facts"]) for r in runs),
        "facts_in_plan_with_id": sum(r["facts_ok"] for r in runs),
        "talks_afgerond": sum(1 for r in runs if r["end"] == "afgerond"),
        "self_labelled_reflection_to_question": _ratio(sl_r, sl_q),
    }
    return {
        "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "model": model_name,
        "api": api_url,
        "command": command,
        "coder": INDEPENDENT,
        "targets": CODER_TARGETS,
        "overall": overall,
        "done_when": {
            "every talk afgerond without an unintended hand-off": all(
                r["end"] == "afgerond" and not r["handoffs"] and not r["handoff"] for r in runs
            ),
            "0 not-taken-in turns": overall["not_taken_in"] == 0,
            "0 failed reflections": overall["failed_reflections"] == 0,
            "R:Q >= 2": (overall["reflection_to_question"] or 0) >= 2,
            "complex share >= 50 %": (overall["complex_share"] or 0) >= 0.5,
            "every fact in the plan with its message id": overall["facts_in_plan_with_id"]
            == overall["facts_told"],
        },
        "failure_kinds": failure_kinds(runs),
        "personas": list(runs),
    }


def _end(run: Dict[str, Any]) -> str:
    reason = (run.get("handoff") or {}).get("reason")
    text = (
        f"{run['phase']} / {run['status']}"
        + (f", hand-off `{reason}`" if reason else "")
        + ("" if run["end"] in ("afgerond",) or run["end"].startswith("hand-off") else f" ({run['end']})")
    )
    if run.get("handoffs"):
        text += f"; {len(run['handoffs'])} unintended hand-off(s) handed back: " + ", ".join(
            f"`{h['reason']}` after “{h['client']}”" for h in run["handoffs"]
        )
    return text


def _pct(value: Optional[float]) -> str:
    return "–" if value is None else f"{value * 100:.0f} %"


def adaptive_markdown(report: Dict[str, Any]) -> str:
    o = report["overall"]
    lines = [
        "# MI report: adaptive clients, coded by independent rules",
        "",
        f"Model `{report['model']}` through the kiosk API ({report['api']}), generated {report['generated_at']} "
        f"by `{report['command']}`. Six simulated clients (bench/simulated_clients/) answer what the bot "
        "actually asked; bench/miti_coder.py codes every bot message from its text (never from the bot's "
        "`mi_code`); the plan is read through the staff API.",
        "",
        "| persona | client turns | R:Q | complex share | failed reflections | not taken in | end | "
        "facts in plan with id | " + SELF_LABELLED + ": R:Q / complex |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report["personas"]:
        f, sl = r["independent"], r["self_labelled"]
        lines.append(
            f"| {r['persona']} | {r['client_turns']} | {_fmt(f['reflection_to_question'])} | "
            f"{_pct(f['complex_share'])} | {f['failed_reflections']} | {f['not_taken_in']} | {_end(r)} | "
            f"{r['facts_ok']}/{len(r['facts'])} | {_fmt(sl['reflection_to_question'])} / {_pct(sl['complex_share'])} |"
        )
    lines.append(
        f"| **all** | {o['client_turns']} | {_fmt(o['reflection_to_question'])} | {_pct(o['complex_share'])} | "
        f"{o['failed_reflections']} | {o['not_taken_in']} | {o['talks_afgerond']}/{len(report['personas'])} afgerond | "
        f"{o['facts_in_plan_with_id']}/{o['facts_told']} | {_fmt(o['self_labelled_reflection_to_question'])} / – |"
    )
    lines += [
        "",
        "Targets (issue 13, Done when): R:Q ≥ 2, complex ≥ 50 %, 0 failed reflections, "
        "0 turns not taken in, every talk `afgerond` without an unintended hand-off, every fact in the "
        "plan with its message id.",
        "",
        "| criterion | met |",
        "|---|---|",
    ]
    lines += [f"| {k} | {'yes' if v else '**no**'} |" for k, v in report["done_when"].items()]
    lines += ["", "## Failure kinds", ""]
    for kind in report["failure_kinds"]:
        lines.append(f"### {kind['kind']} ({kind['count']})")
        lines.append("")
        for ex in kind["examples"][:10]:
            lines.append(f"* {ex['persona']}: “{ex.get('client')}” → “{ex.get('bot')}”")
        lines.append("")
    for r in report["personas"]:
        lines += [f"## {r['persona']}: {r['basis']}", ""]
        if r["handoff_details"]:
            h = r["handoff_details"]
            lines += [f"Hand-off `{h['reason']}` after “{h['client_text']}” (intent {h['intent']}).", ""]
        if r["unmatched_questions"]:
            lines += [
                "Questions the client could not place: "
                + "; ".join(f"“{q}”" for q in r["unmatched_questions"][:8]),
                "",
            ]
        lines += ["| fact | told in | status | where |", "|---|---|---|---|"]
        for fact in r["facts"]:
            lines.append(
                f"| {fact['says']} | {', '.join(fact['message_ids'])} | {fact['status']} | "
                f"{', '.join(fact['paths'])} |"
            )
        lines.append("")
        for section, title in (
            ("failed_reflections", "Failed reflections"),
            ("not_taken_in", "Turns not taken in"),
        ):
            items = r["failures"][section]
            if items:
                lines += [f"{title}:", ""]
                lines += [
                    f"* turn {i['turn']}: “{i['client']}” → “{i['bot']}” ({'; '.join(i['why'])})"
                    for i in items
                ]
                lines.append("")
    return "\n".join(lines) + "\n"


def recode(path: Path, out: Path) -> int:
    """The stored talks of a report, coded again (after a change of the coder's rules)."""
    from bench import miti_coder

    stored = json.loads(Path(path).read_text(encoding="utf-8"))
    runs = []
    for run in stored["personas"]:
        coded = miti_coder.code_talk(run["turns"])
        runs.append(
            {
                **run,
                "independent": coded.figures(),
                "failures": coded.listing(),
                "codes": [{"turn": c.turn, "code": c.code, "text": c.text} for c in coded.codes],
            }
        )
    report = build_adaptive_report(runs, stored["model"], stored["api"], stored["command"])
    report["generated_at"] = stored["generated_at"]
    report["recoded_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    out.mkdir(parents=True, exist_ok=True)
    (out / "mi_report.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (out / "mi_report.md").write_text(adaptive_markdown(report), encoding="utf-8")
    print(
        json.dumps(
            {"overall": report["overall"], "done_when": report["done_when"]}, indent=2, ensure_ascii=False
        )
    )
    return 0


def main_adaptive(
    args: argparse.Namespace, api_url: str, key: str, user: str, password: str, model_name: str
) -> int:
    from bench.simulated_clients.personas import personas as adaptive_personas

    codes = domain_codes()
    chosen = [p for p in adaptive_personas() if not args.persona or p.name in args.persona]
    api = Api(api_url, key, user, password)
    runs = []
    for persona in chosen:
        began = time.monotonic()
        run = run_adaptive(
            api, persona, codes, seed=args.seed, max_turns=args.max_turns, hand_back=not args.stop_at_handoff
        )
        run["seconds"] = round(time.monotonic() - began, 1)
        runs.append(run)
        f = run["independent"]
        print(
            f"{persona.name}: {_end(run)} after {run['client_turns']} turns; R:Q {f['reflection_to_question']}, "
            f"complex {f['complex_share']}, failed {f['failed_reflections']}, not taken in {f['not_taken_in']}, "
            f"facts {run['facts_ok']}/{len(run['facts'])}; {SELF_LABELLED}: "
            f"R:Q {run['self_labelled']['reflection_to_question']}",
            flush=True,
        )
    command = ".venv/bin/python bench/mi_report.py " + " ".join(
        "…" if prev in ("--kiosk-key", "--staff-password") else a
        for prev, a in zip([""] + list(args.argv), args.argv)
    )
    report = build_adaptive_report(runs, model_name, api_url, command.strip())
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "mi_report.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (args.out / "mi_report.md").write_text(adaptive_markdown(report), encoding="utf-8")
    print(
        json.dumps(
            {"overall": report["overall"], "done_when": report["done_when"]}, indent=2, ensure_ascii=False
        )
    )
    print(f"written: {args.out / 'mi_report.json'} and .md")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--via-api",
        "--api-url",
        dest="api_url",
        help="a running stack; without it one is started on free ports",
    )
    parser.add_argument("--kiosk-key", default=os.environ.get("COACH_KIOSK_KEY"))
    parser.add_argument(
        "--stack-workdir",
        type=Path,
        help="the --workdir of bench/serve_stack.py: a counsellor account is added to its database",
    )
    parser.add_argument("--staff-user", default=None)
    parser.add_argument("--staff-password", default=None)
    parser.add_argument("--model", type=Path, help="model for the stack this script starts")
    parser.add_argument("--persona", action="append", help="run only these personas")
    parser.add_argument("--seed", type=int, default=0, help="seed of the adaptive clients")
    parser.add_argument("--max-turns", type=int, default=None)
    parser.add_argument(
        "--scripted",
        action="store_true",
        help="the old fixed-answer personas and the self-labelled figure only "
        "(writes mi_report_scripted.*)",
    )
    parser.add_argument(
        "--stop-at-handoff",
        action="store_true",
        help="end a talk at its first hand-off (default: a counsellor hands it back, "
        "the hand-off is counted and the rest of the talk is measured)",
    )
    parser.add_argument(
        "--recode",
        type=Path,
        help="code the talks stored in this mi_report.json again with the current coder "
        "(no stack; the plan check is kept as measured)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    args.argv = list(argv if argv is not None else sys.argv[1:])
    if args.recode:
        return recode(args.recode, args.out)
    if args.max_turns is None:
        args.max_turns = 90 if args.scripted else 120

    stack = None
    if args.api_url:
        if not args.kiosk_key:
            parser.error("--kiosk-key (or COACH_KIOSK_KEY) is needed with --via-api")
        if args.stack_workdir:
            ensure_staff_user(args.stack_workdir)
            user, password = STAFF
        else:
            user, password = args.staff_user or "begeleider", args.staff_password or "begeleider-dev"
        user, password = args.staff_user or user, args.staff_password or password
        api_url, key = args.api_url, args.kiosk_key
        model_name = "(running stack)"
        if args.stack_workdir and (args.stack_workdir / "stack.json").exists():
            model_name = Path(json.loads((args.stack_workdir / "stack.json").read_text())["model"]).name
    else:
        from cli.training import current_model

        model = args.model or current_model()
        if model is None:
            print(
                "No model for the current data. Run `.venv/bin/coach train` or pass --model.", file=sys.stderr
            )
            return 2
        workdir = Path(tempfile.mkdtemp(prefix="mi-report-"))
        print(f"Starting a stack for {Path(model).name} (logs in {workdir}) ...", flush=True)
        stack = start_stack(Path(model), workdir)
        api_url, key, (user, password) = stack.api_url, KIOSK_KEY, STAFF
        model_name = Path(model).name
    try:
        if not args.scripted:
            return main_adaptive(args, api_url, key, user, password, model_name)
        codes = domain_codes()
        chosen = [p for p in personas() if not args.persona or p.name in args.persona]
        api = Api(api_url, key, user, password)
        runs = []
        for persona in chosen:
            began = time.monotonic()
            run = run_persona(api, persona, codes, max_turns=args.max_turns)
            run["seconds"] = round(time.monotonic() - began, 1)
            runs.append(run)
            f = run["figures"]
            print(
                f"{persona.name}: {run['end']} after {run['client_turns']} turns; "
                f"R:Q {f['strict']['reflection_to_question']} "
                f"(with summaries {f['summary_as_reflection']['reflection_to_question']}), "
                f"complex {f['strict']['complex_share']}, summarised changes {f['phase_changes_summarised']}",
                flush=True,
            )
    finally:
        if stack is not None:
            stack.stop()
    report = build_report(runs, model_name, api_url)
    report["label"] = SELF_LABELLED
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "mi_report_scripted.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (args.out / "mi_report_scripted.md").write_text(markdown(report), encoding="utf-8")
    print(
        json.dumps(
            {
                "overall": {k: v for k, v in report["overall"].items() if k != "codes"},
                "meets_targets": report["meets_targets"],
            },
            indent=2,
        )
    )
    print(f"written: {args.out / 'mi_report_scripted.json'} and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())

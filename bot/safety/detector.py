"""detect(): one client message in, one SafetyResult out. Pure and cheap.

Order: normalise → rules that must see the unmasked text → masks (threats by
others, third-party deaths, idioms) → all other rules → catch-all for death words
that nothing explained (ambiguity goes up: crisis) → decide the tier → let the
NLU intent add a hint (a recorded flag), never decide a hand-off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Optional

from bot.safety.concepts import canonical, scan_concepts
from bot.safety.normalise import normalise
from bot.safety.result import NO_SIGNAL, Category, SafetyResult
from bot.safety.rules import Rule, load_masks, load_rules

# The trained classifier is a hint, never the judge. Measured through the real
# stack (bench/safety_report.py --via-api), letting a safety intent raise the
# result sent a third of ordinary answers to a person ("mijn telefoon is dood",
# "ik wil een opleiding doen" → safety_crisis at 0.99), while the lexicon alone
# met every target on the labelled and three held-out sets. So a safety intent
# the lexicon does not confirm becomes a recorded T1 flag (the counsellor sees it
# in the transcript), not a hand-off.
# intent: (minimum confidence, flag recorded)
INTENT_HINTS: dict[str, tuple[float, str]] = {
    "safety_crisis": (0.5, "classifier_crisis"),
    "request_human": (0.6, "classifier_request"),
    "safety_uncertain": (0.7, "classifier_uncertain"),
    "express_emotion": (0.7, "classifier_emotion"),
    "express_distress": (0.7, "classifier_emotion"),
}
SAFETY_INTENTS = frozenset(INTENT_HINTS)
# Two different T1 signals in one message ("ik slaap niet, ik eet niet, ik huil
# alleen maar") are already more than a chat should hold (docs/specs/safety.md §1.5).
COMBINED_T1_THRESHOLD = 2
MAX_CHARS = 20_000  # far above the API limit; bounds the work on hostile input

_DEATH_WORDS = re.compile(
    r"(?<![a-z0-9])(?:dood|doodgaan|doodgaat|doodga|doodmaken|sterven|sterf|sterft|gestorven|"
    r"overlijden|dead|death|dying|mort|morte|mourir|crever)(?![a-z0-9])"
)
# Where death words are clearly about a game, a film or the news, the catch-all
# only flags them (death_talk, T1) instead of raising a crisis.
_FICTION_CONTEXT = re.compile(
    r"(?<![a-z0-9])(?:spel|spelen|spelletje|tikkertje|film|serie|boek|verhaal|nieuws|game|toneel|grap|liedje|movie|song)(?![a-z0-9])"
)
_NUMBER_WORDS = {
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "zeventien": 17,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "dix sept": 17,
}
_T2_CATEGORY: dict[str, Category] = {
    "request_human": "request",
    "minor": "uncertain",
    "capacity": "uncertain",
}
_CATEGORY_RANK = {"crisis": 4, "emotion": 3, "uncertain": 2, "request": 1, "none": 0}


@dataclass(frozen=True)
class Hit:
    rule_id: str
    flag: Optional[str]
    tier: int
    matched: str
    kind: Optional[str] = None


def _category(tier: int, flag: Optional[str]) -> Category:
    if tier == 3:
        return "crisis"
    if tier == 2:
        return _T2_CATEGORY.get(flag or "", "emotion")
    return "none"


def _passes_check(rule: Rule, match: re.Match) -> bool:
    if rule.check == "age_under_18":
        age = next((v for k, v in match.groupdict().items() if k.startswith("age") and v), None)
        years = None if age is None else int(age) if age.isdigit() else _NUMBER_WORDS.get(age)
        return years is not None and 10 <= years < 18
    if rule.check == "born_under_18":
        age = date.today().year - int(match.group("year"))
        return 10 <= age < 18
    return True


def _scan(rules: tuple[Rule, ...], text: str, *, raw: bool) -> list[Hit]:
    hits = []
    for rule in rules:
        if rule.on_raw != raw:
            continue
        for match in rule.regex.finditer(text):
            if _passes_check(rule, match):
                hits.append(Hit(rule.id, rule.flag, rule.tier, match.group(0).strip(), rule.kind))
    return hits


def _apply_masks(text: str) -> tuple[str, list[Hit]]:
    hits = []
    for mask in load_masks():

        def blank(match: re.Match, mask: Rule = mask) -> str:
            hits.append(Hit(mask.id, mask.flag, mask.tier, match.group(0).strip(), mask.kind))
            return " ~ "

        text = mask.regex.sub(blank, text)
    return text, hits


def _catch_all(masked: str) -> list[Hit]:
    match = _DEATH_WORDS.search(masked)
    if not match:
        return []
    if _FICTION_CONTEXT.search(masked):
        return [Hit("catch_all", "death_talk", 1, match.group(0))]
    return [Hit("catch_all", "suicide", 3, match.group(0))]


def _kind(first: Hit, flagged: list[Hit]) -> Optional[str]:
    """The feeling of the deciding hit, else the first feeling named anywhere in the message."""
    return first.kind or next((h.kind for h in flagged if h.kind), None)


def _decide(hits: list[Hit]) -> SafetyResult:
    flagged = [h for h in hits if h.flag]
    if not flagged:
        return NO_SIGNAL
    best = max(
        flagged,
        key=lambda h: (h.tier, _CATEGORY_RANK[_category(h.tier, h.flag)]),
    )  # max() keeps the first of equals: rule-file order decides among peers
    if best.tier < 2:
        t1 = [h for h in flagged if h.tier == 1]
        if len({h.matched for h in t1}) >= COMBINED_T1_THRESHOLD:
            flags = "+".join(dict.fromkeys(h.flag for h in t1 if h.flag))  # all flagged
            return SafetyResult(
                "emotion",
                t1[0].flag,
                t1[0].matched,
                2,
                escalation=f"combined:{flags}",
                kind=_kind(t1[0], flagged),
            )
    return SafetyResult(
        _category(best.tier, best.flag), best.flag, best.matched, best.tier, kind=_kind(best, flagged)
    )


def _concept_hits(masked: str, norm: str, lexicon: list[Hit]) -> list[Hit]:
    """Signals found by meaning that the phrase lexicon did not already report.

    A concept signal with a flag the lexicon already raised at the same or a higher tier is
    left out (the lexicon's span is kept: answer_context reads it); a feeling that overlaps a
    span the lexicon flagged is left out too (one feeling is not two T1 signals)."""
    seen = [h for h in lexicon if h.flag]
    out: list[Hit] = []
    for c in scan_concepts(masked, norm):
        if any(h.flag == c.flag and h.tier >= c.tier for h in seen):
            continue
        if c.flag == "feeling":
            words = set(c.matched.split())
            if any(words & set(h.matched.split()) or h.kind == c.kind for h in seen):
                continue
            if any(h.flag == "feeling" and h.kind == c.kind for h in out):
                continue
        out.append(Hit(c.signal, c.flag, c.tier, c.matched, c.kind))
    return out


def hint_from_intent(
    result: SafetyResult, intent: Optional[str], confidence: Optional[float]
) -> SafetyResult:
    """Record what the classifier thought when the lexicon saw nothing; never raise, never lower."""
    if result.flag or not intent or intent not in INTENT_HINTS or confidence is None:
        return result
    minimum, flag = INTENT_HINTS[intent]
    if confidence < minimum:
        return result
    return SafetyResult("none", flag, None, 1, escalation=f"intent:{intent}")


def scan(text: str) -> list[Hit]:
    """Every signal in the text (for tests and the bench); detect() decides on them."""
    norm = normalise(text[:MAX_CHARS])
    if not norm:
        return []
    hits = _scan(load_rules(), norm, raw=True)
    masked, mask_hits = _apply_masks(norm)
    hits += mask_hits
    hits += _scan(load_rules(), masked, raw=False)
    reread = canonical(masked)
    if reread != masked:  # words typed wrong or glued: the phrase lexicon reads those clauses again
        changed = [
            new for old, new in zip(re.split(r" [.,] ", masked), re.split(r" [.,] ", reread)) if old != new
        ]
        seen = {h.rule_id for h in hits}
        hits += [h for h in _scan(load_rules(), " . ".join(changed), raw=False) if h.rule_id not in seen]
    hits += _catch_all(reread)
    hits += _concept_hits(masked, norm, hits)
    return hits


def feeling_kind(text: str) -> Optional[str]:
    """The feeling a message carries (grief, fear, shame, …), or None: the strongest signal's first."""
    if not isinstance(text, str):
        raise TypeError(f"feeling_kind() needs the message text as str, got {type(text).__name__}")
    hits = sorted((h for h in scan(text) if h.flag and h.kind), key=lambda h: -h.tier)
    return hits[0].kind if hits else None


def detect(text: str, *, intent: Optional[str] = None, confidence: Optional[float] = None) -> SafetyResult:
    if not isinstance(text, str):
        raise TypeError(f"detect() needs the message text as str, got {type(text).__name__}")
    hits = scan(text)
    result = _decide(hits)
    if any(not hit.flag for hit in hits):
        return result  # the lexicon recognised a harmless use ("mijn telefoon is dood"): no hint
    return hint_from_intent(result, intent, confidence)

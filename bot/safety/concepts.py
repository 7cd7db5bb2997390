"""Detection by meaning: tokens → concepts → signals (rules/concepts.yml).

The regex lexicon (rules/*.yml) knows phrases; this module knows *words* and how
they combine, so that wordings nobody wrote down yet are still read:

1. Every token of the normalised text is read as the word it most likely is:
   itself when it is a known word; a concept word typed with one missing, extra,
   changed or swapped letter (Damerau-Levenshtein ≤ 1 for words of ≥ 5 letters,
   ≤ 2 for ≥ 9 letters; never for the real words in ``known``); or known words
   typed together ("ikwilnietmeerleven" → "ik wil niet meer leven").
2. ``phrases`` (regexes on the re-read text) and ``words`` tag tokens with concepts.
   A concept right after a negation in its clause ("ik ben niet bang") is negated,
   unless the negation is part of the phrase ("niet meer leven").
3. ``signals`` combine concepts within a sentence (or clause, or the message):
   WISH × DEATH → suicide, PLACE × ACT → suicide, DANGER → other_in_danger,
   REQUEST_WISH × REQUEST_PERSON → request_human, F_FEAR → feeling (kind fear), …

Pure and cheap: the tables are compiled once (``load_concepts``), token readings
are cached, a 2,000-character message costs a few milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Optional

from bot.safety.rules import KINDS, RuleError, compile_pattern

CONCEPT_FILE = "concepts.yml"
BOUNDARIES = frozenset({".", ","})
MASKED = "~"
FUZZY_MIN = 5  # shorter words are only read as typed ("dood" vs "door")
FUZZY_TWO = 9  # words this long may have two typos
SUBSTITUTE_MIN = 7  # a changed letter only in words this long ("leren" is not "leven")
SPLIT_MIN = 6  # shortest glued token that is tried as several words
SPLIT_MAX = 40
NEGATION_REACH = 3  # tokens before a concept that a negation covers
_SCOPES = ("sentence", "clause", "message")


@dataclass(frozen=True)
class Signal:
    id: str
    flag: str
    tier: int
    all: tuple[str, ...]
    within: int = 12
    scope: str = "sentence"
    unless: tuple[str, ...] = ()
    kind: Optional[str] = None
    feeling: bool = False  # read on the unmasked text (a feeling is never an idiom to hide)


@dataclass(frozen=True)
class ConceptHit:
    signal: str
    flag: str
    tier: int
    matched: str
    kind: Optional[str] = None


@dataclass(frozen=True)
class Tables:
    words: dict  # word → frozenset of concepts
    phrases: tuple  # (concept, compiled regex)
    signals: tuple
    known: frozenset
    glue: frozenset
    negations: frozenset
    anchors: frozenset  # words of 4+ letters that make a glued token worth splitting
    deletes: dict  # delete-variant → tuple of vocabulary words (fuzzy index)


@dataclass
class Occurrence:
    concept: str
    start: int  # token index
    end: int  # token index, inclusive
    negated: bool = False


@dataclass
class Reading:
    tokens: list
    sentence: list  # sentence number of each token
    clause: list  # clause number of each token
    occurrences: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


# ---------------------------------------------------------------- spelling tolerance
def damerau_levenshtein(a: str, b: str, limit: int = 2) -> int:
    """Optimal-string-alignment distance, cut off above ``limit`` (returns limit + 1)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        row_min = current[0]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            row_min = min(row_min, value)
        if row_min > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _allowed(word: str) -> int:
    return 2 if len(word) >= FUZZY_TWO else 1 if len(word) >= FUZZY_MIN else 0


def _deletes(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


# ---------------------------------------------------------------- loading
def _list(data: dict, key: str, where: str) -> list:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RuleError(f"{where}: '{key}' must be a list of words")
    return value


def build_tables(data: dict, macros: dict[str, str], where: str = CONCEPT_FILE) -> Tables:
    """Compile a concept table; RuleError for anything malformed (never at detect time)."""
    if not isinstance(data, dict):
        raise RuleError(f"{where}: expected a mapping")
    words: dict[str, set] = {}
    raw_words = data.get("words") or {}
    if not isinstance(raw_words, dict):
        raise RuleError(f"{where}: 'words' must map concepts to word lists")
    for concept in raw_words:
        for form in _list(raw_words, concept, f"{where} words"):
            if not re.fullmatch(r"[a-z0-9]+", form):
                raise RuleError(f"{where}: word {form!r} of {concept} must be one lowercase token")
            words.setdefault(form, set()).add(concept)
    for form in _list(data, "vocabulary", where):  # read with tolerance, no concept of their own
        words.setdefault(form, set())
    phrases = []
    raw_phrases = data.get("phrases") or {}
    if not isinstance(raw_phrases, dict):
        raise RuleError(f"{where}: 'phrases' must map concepts to pattern lists")
    for concept in raw_phrases:
        phrases.append(
            (
                concept,
                compile_pattern(
                    _list(raw_phrases, concept, f"{where} phrases"), macros, f"{where} phrases {concept}"
                ),
            )
        )
    concepts = set(raw_words) | set(raw_phrases)
    signals = []
    for index, entry in enumerate(data.get("signals") or []):
        at = f"{where} signals#{index}"
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("flag"):
            raise RuleError(f"{at}: needs id and flag")
        if entry.get("tier") not in (1, 2, 3):
            raise RuleError(f"{at}: tier must be 1..3")
        needed = tuple(entry.get("all") or ())
        unless = tuple(entry.get("unless") or ())
        unknown = [c for c in needed + unless if c not in concepts]
        if not needed or unknown:
            raise RuleError(f"{at}: needs 'all' with known concepts (unknown: {unknown})")
        if entry.get("scope", "sentence") not in _SCOPES:
            raise RuleError(f"{at}: scope must be one of {_SCOPES}")
        if entry.get("kind") is not None and entry["kind"] not in KINDS:
            raise RuleError(f"{at}: kind {entry['kind']!r} not in {KINDS}")
        signals.append(
            Signal(
                id=entry["id"],
                flag=entry["flag"],
                tier=entry["tier"],
                all=needed,
                within=int(entry.get("within", 12)),
                scope=entry.get("scope", "sentence"),
                unless=unless,
                kind=entry.get("kind"),
                feeling=bool(entry.get("feeling")),
            )
        )
    known = frozenset(_list(data, "known", where))
    deletes: dict[str, list] = {}
    for word in words:
        depth = _allowed(word)
        if depth:
            for variant in _deletes(word, depth):
                deletes.setdefault(variant, []).append(word)
    return Tables(
        words={w: frozenset(c) for w, c in words.items()},
        phrases=tuple(phrases),
        signals=tuple(signals),
        known=known,
        glue=frozenset(_list(data, "glue", where)),
        negations=frozenset(_list(data, "negations", where)),
        anchors=frozenset(_list(data, "anchors", where))
        | frozenset(
            w for w, c in words.items() if len(w) >= 4 and c & set(data.get("anchor_concepts") or ())
        ),
        deletes={k: tuple(v) for k, v in deletes.items()},
    )


@lru_cache(maxsize=1)
def load_concepts() -> Tables:
    from bot.safety.rules import _load, _macros  # the same loader and macros as the rule files

    return build_tables(_load(CONCEPT_FILE), _macros())


# ---------------------------------------------------------------- reading tokens
def _fuzzy(token: str, tables: Tables) -> Optional[str]:
    allowed = _allowed(token)
    if not allowed or token in tables.known:
        return None
    best, best_distance = None, 99
    for variant in _deletes(token, allowed):
        for word in tables.deletes.get(variant, ()):
            limit = min(_allowed(word), allowed)
            if not limit or word[0] != token[0] and len(word) < FUZZY_TWO:
                continue  # short words keep their first letter ("pillen" is not "willen")
            if len(word) < SUBSTITUTE_MIN and len(word) == len(token) and not _swapped(token, word):
                continue  # same length, not a swap: a changed letter, too risky in short words
            distance = damerau_levenshtein(token, word, limit)
            if distance <= limit and (distance, word) < (best_distance, best or "~"):
                best, best_distance = word, distance
    return best


def _swapped(a: str, b: str) -> bool:
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _vocabulary_word(part: str, tables: Tables) -> bool:
    return part in tables.words or part in tables.glue


def _split(token: str, tables: Tables) -> Optional[list[str]]:
    """'ikwilnietmeerleven' → ['ik', 'wil', 'niet', 'meer', 'leven'] (fewest parts, known words)."""
    n = len(token)
    best: list[Optional[list[str]]] = [None] * (n + 1)
    best[0] = []
    for end in range(1, n + 1):
        for start in range(max(0, end - 16), end):
            before = best[start]
            if before is None:
                continue
            part = token[start:end]
            if _vocabulary_word(part, tables) and (len(part) > 1 or part == "i" and start == 0):
                candidate = before + [part]
                known = best[end]
                if known is None or len(candidate) < len(known):
                    best[end] = candidate
    parts = best[n]
    if not parts or len(parts) < 2 or not any(p in tables.anchors for p in parts):
        return None  # "vroeger" is no "vroeg er": only a split that yields a word that matters
    return parts


@lru_cache(maxsize=8192)
def read_token(token: str) -> tuple[str, ...]:
    """The word(s) a typed token most likely is (itself when nothing fits better)."""
    tables = load_concepts()
    if (
        token in tables.words
        or token in tables.glue
        or token in tables.known
        or token in tables.negations
        or not token.isalpha()
    ):
        return (token,)
    for i in range(1, len(token)):  # a letter typed twice ("bangg", "hhoop") is the commonest slip
        if token[i] == token[i - 1]:
            single = token[:i] + token[i:][1:]
            if len(single) >= 4 and (single in tables.words or single in tables.glue):
                return (single,)
    fixed = _fuzzy(token, tables)
    if fixed:
        return (fixed,)
    if SPLIT_MIN <= len(token) <= SPLIT_MAX:
        parts = _split(token, tables)
        if parts:
            return tuple(read_token(p)[0] if len(p) >= FUZZY_MIN else p for p in parts)
    return (token,)


def read(text: str) -> Reading:
    """Re-read a normalised text token by token, with sentence and clause numbers."""
    tokens, sentence, clause = [], [], []
    s = c = 0
    for raw in text.split():
        if raw in BOUNDARIES:
            c += 1
            if raw == ".":
                s += 1
            tokens.append(raw)
            sentence.append(s)
            clause.append(c)
            continue
        for word in read_token(raw):
            tokens.append(word)
            sentence.append(s)
            clause.append(c)
    return Reading(tokens, sentence, clause)


def canonical(text: str) -> str:
    """The normalised text with every token re-read ("ik wil stervan" → "ik wil sterven")."""
    return read(text).text


# ---------------------------------------------------------------- concepts and signals
def _token_starts(tokens: list[str]) -> list[int]:
    starts, position = [], 0
    for token in tokens:
        starts.append(position)
        position += len(token) + 1
    return starts


def tag(reading: Reading, tables: Tables) -> list[Occurrence]:
    tokens = reading.tokens
    text = reading.text
    starts = _token_starts(tokens)
    in_phrase = [False] * len(tokens)
    found: list[Occurrence] = []
    for concept, regex in tables.phrases:
        for match in regex.finditer(text):
            if not match.group(0).strip():
                continue
            first = _token_at(starts, match.start())
            last = _token_at(starts, max(match.start(), match.end() - 1))
            found.append(Occurrence(concept, first, last))
            for i in range(first, last + 1):
                in_phrase[i] = True
    for index, token in enumerate(tokens):
        for concept in tables.words.get(token, ()):
            found.append(Occurrence(concept, index, index))
    for occ in found:
        occ.negated = _negated(reading, occ.start, in_phrase, tables)
    reading.occurrences = found
    return found


def _token_at(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _negated(reading: Reading, index: int, in_phrase: list[bool], tables: Tables) -> bool:
    clause = reading.clause[index]
    for i in range(index - 1, max(-1, index - 1 - NEGATION_REACH), -1):
        if reading.clause[i] != clause or reading.tokens[i] in BOUNDARIES:
            return False
        if reading.tokens[i] in tables.negations and not in_phrase[i]:
            return True
    return False


def _group(reading: Reading, occ: Occurrence, scope: str) -> int:
    if scope == "message":
        return 0
    return (reading.clause if scope == "clause" else reading.sentence)[occ.start]


def evaluate(reading: Reading, tables: Tables, signals: Iterable[Signal]) -> list[ConceptHit]:
    hits = []
    by_concept: dict[str, list[Occurrence]] = {}
    for occ in reading.occurrences:
        by_concept.setdefault(occ.concept, []).append(occ)
    for signal in signals:
        hit = _match(reading, by_concept, signal)
        if hit:
            hits.append(hit)
    return hits


def _match(reading: Reading, by_concept: dict, signal: Signal) -> Optional[ConceptHit]:
    first, *rest = signal.all
    for anchor in by_concept.get(first, ()):
        if anchor.negated:
            continue
        group = _group(reading, anchor, signal.scope)
        chosen = [anchor]
        for concept in rest:
            candidates = [
                o
                for o in by_concept.get(concept, ())
                if not o.negated
                and _group(reading, o, signal.scope) == group
                and _span(chosen + [o]) <= signal.within
            ]
            if not candidates:
                break
            chosen.append(min(candidates, key=lambda o: abs(o.start - anchor.start)))
        else:
            if any(
                _group(reading, o, signal.scope) == group
                for c in signal.unless
                for o in by_concept.get(c, ())
            ):
                continue
            lo = min(o.start for o in chosen)
            hi = max(o.end for o in chosen)
            matched = " ".join(t for t in reading.tokens[lo : hi + 1] if t not in BOUNDARIES)
            return ConceptHit(f"concept:{signal.id}", signal.flag, signal.tier, matched, signal.kind)
    return None


def _span(occurrences: list[Occurrence]) -> int:
    return max(o.end for o in occurrences) - min(o.start for o in occurrences)


def scan_concepts(masked: str, unmasked: str) -> list[ConceptHit]:
    """Signals of the concept table: danger and requests on the masked text (harmless idioms
    hidden), feelings on the unmasked one."""
    tables = load_concepts()
    if masked == unmasked:  # nothing hidden (most messages): one reading serves both
        if not masked.strip():
            return []
        reading = read(masked)
        tag(reading, tables)
        return evaluate(reading, tables, tables.signals)
    hits = []
    if masked.strip():
        reading = read(masked)
        tag(reading, tables)
        hits += evaluate(reading, tables, (s for s in tables.signals if not s.feeling))
    if unmasked.strip():
        reading = read(unmasked)
        tag(reading, tables)
        hits += evaluate(reading, tables, (s for s in tables.signals if s.feeling))
    return hits


def cues(normalised: str) -> frozenset[str]:
    """The concepts named in a normalised text, negated ones left out: the words the safety
    policy asks for before it trusts the learned second opinion (bot/safety/policy.py)."""
    reading = read(normalised)
    tag(reading, load_concepts())
    return frozenset(o.concept for o in reading.occurrences if not o.negated)

"""An independent check of a bot message as the client reads it: is it well-formed Dutch?

The MI report counts a reflection as failed when this finds a problem, and the
reflection tests run every response template through it. It does not use the
reflection code it checks (``reflection``, ``second_person``, ``spelling``): its
rules are written from what a reader notices.

``is_well_formed(text)`` returns the problems found (an empty list: none):

* ``starts lower-case``: the message starts with a small letter;
* ``lower case after a full stop``: a sentence inside starts with a small letter;
* ``bare fragment``: "U zegt: auto." - one or two words after "U zegt:", "U vertelt:",
  "Ik hoor:" (those frames need a sentence);
* ``first person left``: "ik", "mijn", "mij", "m'n" outside quotes in the client's words
  (the bot speaks to "u"). With ``template`` (the response's text with its "{words}") only
  the fill-ins are checked; without it a first-person word counts unless the words on both
  sides of it are the bot's own voice, as in some response of domain.yml ("Dat schrijf ik op",
  "Ik hoor: …");
* ``aside echoed``: the client's aside to the bot inside the bot's text ("dat heb je al
  gevraagd", "zoals ik zei", "waarom steeds …");
* ``frame repeated``: "Uw doel: uw doel is …";
* ``repeated word``: "uw uw", "op op" ("dat dat" and "die die" can be right);
* ``doubled punctuation``: "?.", ",.", "!." ("..." and "…" are fine);
* ``empty fill-in``: a colon with nothing after it, an unfilled "{words}", "None" or a
  slot marker ("__unknown__") in the text;
* ``negative as a fill-in``: "U hoort het nieuws via: niet." (a no needs its own sentence);
* ``bare person``: "Om u heen in Nederland: vrouw." (a person without "uw" or "een");
* ``time under who``: "Wie: volgende week, …";
* ``misspelled word``: a lower-case word wordfreq has never seen in Dutch, English or
  French ("moedr", "werrk").
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, List, Optional, Set

DOMAIN_FILE = Path(__file__).resolve().parents[2] / "domain.yml"

_QUOTED = re.compile(r"[\"“„«][^\"”»]*[\"”»]|'[^']*'")
_LEAD = re.compile(r"^[\s\"“„«(\[]*")

# Short forms after which Dutch goes on in lower case.
_ABBREVIATIONS = frozenset(
    {
        "bijv",
        "bv",
        "o.a",
        "nr",
        "ca",
        "enz",
        "etc",
        "evt",
        "d.w.z",
        "i.p.v",
        "z.s.m",
        "blz",
        "mevr",
        "dhr",
        "st",
        "jl",
        "a.s",
        "m.b.v",
    }
)
_SAY_FRAMES = re.compile(
    r"\b(?:U zegt|U vertelt|Ik hoor|Over veiligheid zegt u|Over de taal zegt u"
    r"|Over school voor uw kinderen zegt u)\s*:\s*(?P<rest>[^.!?]*)[.!?]",
    re.IGNORECASE,
)
# Words that make a clause of a short piece (a subject or a verb).
_CLAUSE_WORDS = frozenset(
    """
    u ik je jij hij zij ze we wij het er men dat is ben bent zijn was waren heeft heb hebben had
    kan kunt kunnen wil wilt willen moet moeten mag gaat ga gaan komt woont werkt doet weet
    wordt zal zult zou hoort ziet vindt denkt mist voelt blijft
""".split()
)
_FIRST_PERSON = re.compile(r"(?<![\w'’-])(?:ik|mijn|mij|m['’]n|ikzelf|mijzelf)(?![\w'’-])", re.IGNORECASE)
_ASIDES = re.compile(
    r"\b(?:al gevraagd|vroeg (?:je|jij) al|zei ik al|zeg ik al|heb ik al gezegd|had ik al gezegd"
    r"|heb ik (?:je|u) al (?:gezegd|verteld)|zoals ik (?:al )?zei|weet je toch|je weet het toch"
    r"|waarom (?:steeds|weer|alweer|elke keer|altijd)|alweer deze vraag|(?:je|jij) vraagt (?:het )?steeds"
    r"|already told you|i told you)\b",
    re.IGNORECASE,
)
_REPEATED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
_REPEAT_OK = frozenset({"dat", "die", "had", "is", "heel", "ja", "nee", "zo"})
_DOUBLED = re.compile(r"(?<!\.)[.!?,;:]\s*[,.;:!?](?!\.)")
_FRAME = re.compile(r"^(?P<label>[^:]+?)\s*:\s*(?P<rest>.*)$")


@lru_cache(maxsize=1)
def _bot_bigrams() -> FrozenSet[str]:
    """Word pairs of the bot's own texts (domain.yml), not across a fill-in."""
    import yaml

    try:
        domain = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return frozenset()
    pairs: Set[str] = set()
    for variants in (domain.get("responses") or {}).values():
        for variant in variants or []:
            for piece in re.split(r"\{\w+\}", str(variant.get("text") or "")):
                words = ["^"] + re.findall(r"[\w'’]+", piece.lower()) + ["$"]
                pairs.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    return frozenset(pairs)


def _first_person(text: str, template: Optional[str]) -> List[str]:
    if template:
        pattern = "^" + re.sub(r"\\\{\w+\\\}", "(.*?)", re.escape(template)) + "$"
        match = re.match(pattern, text, re.DOTALL | re.IGNORECASE)
        if match:
            return [w for part in match.groups() for w in _FIRST_PERSON.findall(_unquoted(part))]
    found = []
    unquoted = _unquoted(text)
    words = ["^"] + re.findall(r"[\w'’]+", unquoted.lower()) + ["$"]
    bigrams = _bot_bigrams()
    for i in range(1, len(words) - 1):
        if _FIRST_PERSON.fullmatch(words[i]):
            if f"{words[i - 1]} {words[i]}" in bigrams and f"{words[i]} {words[i + 1]}" in bigrams:
                continue  # the bot's own voice ("Dat schrijf ik op.")
            found.append(words[i])
    return found


def _unquoted(text: str) -> str:
    return _QUOTED.sub(" ", text)


def _starts_lower(text: str) -> bool:
    match = _LEAD.match(text)
    if match is None:  # the pattern matches the empty string: cannot happen
        raise ValueError(f"no lead match in {text!r}")
    at = match.end()
    return at < len(text) and text[at].isalpha() and text[at].islower()


def _lower_after_stop(text: str) -> bool:
    for match in re.finditer(r"(?P<word>[\w./]*)(?P<stop>[.!?]+)[\"”’)]*\s+[\"“„«(]*(?P<next>\w)", text):
        if not match.group("next").isalpha() or not match.group("next").islower():
            continue
        word = match.group("word").lower().rstrip(".")
        if match.group("stop").startswith(".") and (word in _ABBREVIATIONS or match.group("stop") == "..."):
            continue
        return True
    return False


def _bare_fragments(text: str) -> List[str]:
    found = []
    for match in _SAY_FRAMES.finditer(text):
        rest = re.findall(r"[\w'’-]+", match.group("rest"))
        if 0 < len(rest) <= 2 and not any(w.lower() in _CLAUSE_WORDS for w in rest):
            found.append(match.group("rest").strip())
    return found


def _frame_repeated(text: str) -> bool:
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        match = _FRAME.match(sentence)
        if not match:
            continue
        label = re.sub(r"\s+", " ", match.group("label").lower()).strip()
        if len(label.split()) >= 2 and re.sub(r"\s+", " ", match.group("rest").lower()).startswith(label):
            return True  # "Uw doel: uw doel is …"
    return False


_NEGATIVE_FILL = re.compile(r":\s*(?:nee|niet|niks|niets|geen|nooit|no|non)\s*[.!?]", re.IGNORECASE)
_PERSONS = frozenset(
    """
    moeder vader broer zus vrouw man zoon dochter oom tante neef nicht opa oma vriend vriendin
    broers zussen kinderen kind dochters zonen ouders vrienden familie buren
""".split()
)
_BARE_PERSON = re.compile(r":\s*(?P<words>[\w ,]+?)\s*[.!?]")
_TIME_UNDER_WHO = re.compile(
    r"\bWie:\s*[^.]*\b(?:week|weken|maand|maanden|morgen|vandaag|maandag|dinsdag"
    r"|woensdag|donderdag|vrijdag|zaterdag|zondag|januari|februari|maart|april"
    r"|mei|juni|juli|augustus|september|oktober|november|december)\b"
)


def _misspelled(text: str) -> List[str]:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - pinned in requirements.txt
        return []
    found = []
    for word in re.findall(r"(?<![\w'’-])[a-z]{4,}(?![\w'’-])", text):
        if all(zipf_frequency(word, lang) < 1.0 for lang in ("nl", "en", "fr")) and not _is_compound(
            word, zipf_frequency
        ):
            found.append(word)
    return found


def _is_compound(word: str, zipf_frequency) -> bool:
    """A Dutch compound of two common words, with or without the linking s or e(n)
    ("gezinslocatie", "taalles"): a word wordfreq does not list, but no typo."""

    def known(part: str) -> bool:
        return len(part) >= 3 and zipf_frequency(part, "nl") >= 3.0

    for cut in range(3, len(word) - 2):
        left, right = word[:cut], word[cut:]
        if known(right) and (
            known(left)
            or (left.endswith(("s", "e")) and known(left[:-1]))
            or (left.endswith("en") and known(left[:-2]))
        ):
            return True
    return False


def _bare_persons(text: str) -> bool:
    for match in _BARE_PERSON.finditer(text):
        words = [w for w in re.split(r"[\s,]+", match.group("words").lower()) if w and w != "en"]
        if words and all(w in _PERSONS for w in words):
            return True
    return False


def is_well_formed(text: str, template: Optional[str] = None) -> List[str]:
    """The problems a reader sees in ``text``; [] when there are none. ``template``: the
    response text it was filled from ("U zegt: {words}."), when known."""
    problems: List[str] = []
    text = text or ""
    if not text.strip():
        return ["empty fill-in"]
    if _starts_lower(text):
        problems.append("starts lower-case")
    if _lower_after_stop(text):
        problems.append("lower case after a full stop")
    for fragment in _bare_fragments(text):
        problems.append(f"bare fragment: {fragment!r}")
    unquoted = _unquoted(text)
    first = _first_person(text, template)
    if first:
        problems.append(f"first person left: {', '.join(sorted({w.lower() for w in first}))}")
    if _ASIDES.search(unquoted):
        problems.append("aside echoed")
    if _frame_repeated(text):
        problems.append("frame repeated")
    for match in _REPEATED.finditer(unquoted):
        if match.group(1).lower() not in _REPEAT_OK and not match.group(1).isdigit():
            problems.append(f"repeated word: {match.group(1).lower()}")
            break
    if _DOUBLED.search(text.replace("…", "")):
        problems.append("doubled punctuation")
    if re.search(r":\s*(?:[.!?]|$)", text) or re.search(r"\{\w+\}|\bNone\b|__\w+__", text):
        problems.append("empty fill-in")
    if _NEGATIVE_FILL.search(text):
        problems.append("negative as a fill-in")
    if _bare_persons(text):
        problems.append("bare person")
    if _TIME_UNDER_WHO.search(text):
        problems.append("time under who")
    misspelled = _misspelled(unquoted)
    if misspelled:
        problems.append(f"misspelled word: {', '.join(misspelled)}")
    return problems

"""What a typed correction or step change is about.

The buttons send exact values (``/correct_answer{"correct_topic": "health"}``,
``/edit_step{"step_number": "2", "step_edit": "remove"}``). A client who types
("mijn gezondheid klopt niet", "stap 2 weghalen", "verander de tweede stap")
gives the NLU an entity in their own words, or none at all. These helpers turn
the entity value, or else the words of the message, into the values the
actions expect. None means "not recognised": the action then asks with the
buttons, it never guesses.
"""

from __future__ import annotations

import re
from typing import Optional, Tuple

from bot.conversation.normalise import country, fold

TOPICS = ("life_here", "origin", "health", "strengths", "choice", "goal", "plan_extra")
NO_TOPIC = "none"
STEP_EDITS = ("change", "remove", "add")
LAST_STEP = "last"

# First match wins, in this order: "de school van mijn kinderen" is plan_extra, not
# strengths; "mijn werk" is strengths. Words are stems: "medicijn" finds "medicijnen".
_TOPIC_WORDS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    (
        "plan_extra",
        (
            "kinder",
            "kind ",
            "kids",
            "children",
            "child",
            "enfant",
            "begeleiding",
            "begeleider",
            "delen",
            "gedeeld",
            "toestemming",
            "share",
            "partag",
            "hulp later",
        ),
    ),
    ("goal", ("doel", "goal", "objectif", "but ")),
    (
        "choice",
        (
            "keuze",
            "kiezen",
            "gekozen",
            "koos",
            "beslissing",
            "besluit",
            "beslis",
            "reden",
            "choice",
            "choix",
            "decision",
            "terugkeer",
            "teruggaan",
            "terug gaan",
            "blijven",
            "belangrijk",
        ),
    ),
    (
        "health",
        (
            "gezond",
            "ziek",
            "medicijn",
            "medicatie",
            "medicine",
            "medic",
            "pillen",
            "pil ",
            "pijn",
            "klacht",
            "dokter",
            "arts",
            "huisarts",
            "health",
            "sante",
            "psych",
            "slaap",
            "mentaal",
            "lichaam",
            "zorg daar",
            "zorg in",
        ),
    ),
    (
        "strengths",
        (
            "werk",
            "baan",
            "beroep",
            "job",
            "opleiding",
            "school",
            "studie",
            "diploma",
            "talent",
            "wat ik kan",
            "kunnen",
            "hoop",
            "hoping",
            "hope",
            "espoir",
            "zorgen",
            "informatie",
            "skills",
            "work",
            "travail",
            "metier",
            "ecole",
        ),
    ),
    (
        "life_here",
        (
            "leven hier",
            "leven in nederland",
            "hier",
            "wonen",
            "woon",
            "azc",
            "kamer",
            "nederland",
            "life here",
            "vie ici",
        ),
    ),
    (
        "origin",
        (
            "land",
            "herkomst",
            "familie",
            "family",
            "famille",
            "thuis",
            "veilig",
            "gevaar",
            "country",
            "pays",
            "origin",
            "vandaan",
        ),
    ),
)

_NUMBER_WORDS = {
    "1": ("1", "1e", "1ste", "een", "eerste", "first", "premier", "premiere", "one", "un"),
    "2": ("2", "2e", "2de", "twee", "tweede", "second", "deuxieme", "two", "deux"),
    "3": ("3", "3e", "3de", "drie", "derde", "third", "troisieme", "three", "trois"),
    "4": ("4", "4e", "4de", "vier", "vierde", "fourth", "quatrieme", "four", "quatre"),
    "5": ("5", "5e", "5de", "vijf", "vijfde", "fifth", "cinquieme", "five", "cinq"),
    "6": ("6", "6e", "6de", "zes", "zesde", "sixth", "sixieme", "six"),
    "7": ("7", "7e", "7de", "zeven", "zevende", "seventh", "septieme", "seven", "sept"),
    "8": ("8", "8e", "8ste", "acht", "achtste", "eighth", "huitieme", "eight", "huit"),
    LAST_STEP: ("laatste", "last", "derniere", "dernier"),
}
_NUMBER_BY_WORD = {word: number for number, words in _NUMBER_WORDS.items() for word in words}

_EDIT_WORDS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    (
        "remove",
        (
            "weg",
            "verwijder",
            "schrap",
            "wis",
            "annuleer",
            "niet meer",
            "hoeft niet",
            "niet doen",
            "delete",
            "remove",
            "cancel",
            "supprim",
            "enlev",
            "efface",
            "retir",
        ),
    ),
    (
        "change",
        (
            "verander",
            "aanpas",
            "aan te pas",
            "pas aan",
            "wijzig",
            "anders",
            "verbeter",
            "klopt niet",
            "fout",
            "verkeerd",
            "change",
            "modif",
            "edit",
            "correct",
            "wrong",
        ),
    ),
    (
        "add",
        ("toevoeg", "voeg", "erbij", "nieuwe", "nieuw", "extra", "nog een stap", "add", "ajout", "another"),
    ),
)


def _first(folded: str, table: Tuple[Tuple[str, Tuple[str, ...]], ...]) -> Optional[str]:
    """The first value one of whose words starts a word of ``folded`` (a trailing space: a whole word)."""
    padded = f" {folded} "
    for value, words in table:
        if any(re.search(rf"(?<!\w){re.escape(w)}", padded) for w in words):
            return value
    return None


def _typed(text: Optional[str]) -> str:
    """The client's words; a button payload ("/edit_step{…}") has none."""
    text = str(text or "")
    return "" if text.lstrip().startswith("/") else fold(text)


def topic(entity_value: Optional[str], text: Optional[str] = None) -> Optional[str]:
    """The correction topic (CORRECTION_TOPICS key or "none") of a value or a typed message."""
    value = fold(str(entity_value or ""))
    if value in TOPICS or value == NO_TOPIC:
        return value
    for words in (value, _typed(text)):
        if not words:
            continue
        found = _first(words, _TOPIC_WORDS)
        if found:
            return found
        if country(words):
            return "origin"
    return None


def step_number(entity_value: Optional[str], text: Optional[str] = None) -> Optional[str]:
    """ "1".."8" or "last", from "2", "tweede", "stap 2", "2e stap", "de laatste"; None if none."""
    for words in (fold(str(entity_value or "")), _typed(text)):
        tokens = words.replace("-", " ").split()
        # "stap 2" / "step two" / "2e stap": a number word next to "stap" first, then any.
        for i, token in enumerate(tokens):
            if token in ("stap", "step", "etape", "punt") or token.startswith("stap"):
                for near in tokens[i + 1 : i + 2] + tokens[max(i - 1, 0) : i]:
                    if near in _NUMBER_BY_WORD and near not in ("een", "un", "one"):
                        return _NUMBER_BY_WORD[near]
        for token in tokens:
            if token in _NUMBER_BY_WORD and token not in ("een", "un", "one"):
                return _NUMBER_BY_WORD[token]
        if tokens == ["een"] or tokens == ["un"] or tokens == ["one"]:
            return "1"
    return None


def step_edit(entity_value: Optional[str], text: Optional[str] = None) -> Optional[str]:
    """change / remove / add, from the entity value or the typed words; None if neither says."""
    value = fold(str(entity_value or ""))
    if value in STEP_EDITS:
        return value
    for words in (value, _typed(text)):
        if words:
            found = _first(words, _EDIT_WORDS)
            if found:
                return found
    return None


# One item of a summary, by the words that name it ("mijn werk klopt niet", "het land is
# fout"): first match wins, so the narrower words come first. Only that question is asked
# again (or changed at once when the message holds the new answer).
_ITEM_WORDS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    (
        "country_of_origin",
        (
            "land van herkomst",
            "mijn land",
            "het land",
            "land ",
            "herkomst",
            "kom uit",
            "kom ik uit",
            "country",
            "pays",
        ),
    ),
    ("family_origin", ("familie daar", "familie in", "familie thuis")),
    ("family_here", ("familie hier", "vrienden hier", "mensen hier", "om mij heen", "wie ik hier")),
    ("has_children", ("kinderen", "kind ", "dochter", "zoon", "children", "enfant")),
    ("life_here", ("leven hier", "mijn leven", "wonen", "woon", "azc")),
    ("safety_origin", ("veilig", "gevaar", "veiligheid")),
    ("origin_future", ("leven daar", "later daar", "toekomst daar")),
    ("physical_complaints", ("lichaam", "pijn", "klachten")),
    ("mental_complaints", ("piekeren", "slapen", "slaap", "verdriet")),
    ("uses_medication", ("medicijn", "medicatie", "pillen")),
    ("work_experience", ("werk", "baan", "beroep", "job", "winkel", "work", "travail")),
    ("education", ("school", "opleiding", "studie", "diploma", "ecole")),
    ("talents", ("wat ik kan", "talent", "goed in", "kan goed")),
    ("info_sources", ("nieuws", "informatie", "bronnen")),
    ("worries", ("zorgen", "bang", "zorg ")),
    ("hopes", ("hoop", "hopen", "droom")),
    ("decision_option", ("keuze", "gekozen", "beslissing", "besluit")),
    ("reasons_for", ("redenen voor", "reden voor")),
    ("reasons_against", ("redenen tegen", "reden tegen")),
    ("family_expectations", ("verwacht", "verwachting")),
    ("importance", ("belangrijk",)),
    ("confidence", ("zeker",)),
    ("goal", ("doel", "goal")),
)


def item(text: Optional[str]) -> Optional[str]:
    """The question slot a typed correction names ("mijn werk klopt niet" -> work_experience)."""
    words = _typed(text)
    if not words:
        return None
    found = _first(words, _ITEM_WORDS)
    if found is None and country(words):
        return "country_of_origin"
    return found


# --- "nee, niet X maar Y": the new words for one item -------------------------------
# A client who corrects a summary often says what was wrong and what is right in one go:
# "nee, niet de winkel maar een restaurant", "geen broer, mijn neef", "het is Y, niet X",
# "Y in plaats van X". The old words find the item (the answer that holds them); the new
# words replace them there, so the plan keeps one item, not the wrong one beside the right one.
_REPLACEMENT_PATTERNS = (
    re.compile(r"\b(?:niet|geen)\s+(?P<old>[^,.;!?]+?)\s*,?\s+(?:maar|wel)\s+(?P<new>[^,.;!?]+)"),
    re.compile(
        r"\b(?:niet|geen)\s+(?P<old>[^,.;!?]+?)\s*[,;:]\s*(?:het is |het was |dat is |dat was )?"
        r"(?P<new>[^,.;!?]+)"
    ),
    re.compile(
        r"\b(?:het is|het was|dat is|dat was|ik bedoel|ik bedoelde)\s+(?P<new>[^,.;!?]+?)\s*,?\s+"
        r"(?:en )?niet\s+(?P<old>[^,.;!?]+)"
    ),
    re.compile(r"(?P<new>[^,.;!?]+?)\s+in plaats van\s+(?P<old>[^,.;!?]+)"),
    re.compile(r"\bnot\s+(?P<old>[^,.;!?]+?)\s*,?\s+but\s+(?P<new>[^,.;!?]+)"),
    re.compile(r"\bpas\s+(?P<old>[^,.;!?]+?)\s*,?\s+mais\s+(?P<new>[^,.;!?]+)"),
)
# Words before the thing itself: "de winkel" and "een winkel" are the same item.
_LEADING = (
    "de",
    "het",
    "een",
    "mijn",
    "m'n",
    "mn",
    "uw",
    "die",
    "dat",
    "in",
    "the",
    "a",
    "my",
    "le",
    "la",
    "un",
    "une",
    "mon",
    "ma",
    "nee",
    "ja",
)
_PRONOUNS = ("ik", "we", "wij", "jij", "je", "u", "hij", "zij", "ze", "i", "je", "il", "elle", "nous")
_TRAILING = ("klopt", "is", "was", "hoor", "toch", "bedoel", "ik")


def _core(words: str) -> str:
    tokens = fold(words).replace(",", " ").split()
    while tokens and tokens[0] in _LEADING:
        tokens = tokens[1:]
    while tokens and tokens[-1] in _TRAILING:
        tokens = tokens[:-1]
    return " ".join(tokens)


def replacement(text: Optional[str]) -> Optional[Tuple[str, str]]:
    """(old, new) from a typed "niet X maar Y" correction, as the client typed the new words
    (without leading articles); None when the message does not say both."""
    if not text or text.lstrip().startswith("/"):
        return None
    typed = " ".join(str(text).split())
    lowered = typed.lower()
    for pattern in _REPLACEMENT_PATTERNS:
        match = pattern.search(lowered)
        if not match:
            continue
        old, new = _core(match.group("old")), _core(match.group("new"))
        if (
            not old
            or not new
            or old == new
            or len(new) < 2
            or len(old.split()) > 4
            or new.split()[0] in _PRONOUNS
        ):
            continue  # "ik ga niet terug maar ik wil werken": a clause, not one item changed
        start, end = match.span("new")
        shown = typed[start:end].strip(" ,.;:!?")
        words = shown.split()
        while words and fold(words[0]) in _LEADING:
            words = words[1:]
        return old, " ".join(words) or new
    return None


def _holds(answer: str, words: str) -> bool:
    return bool(words) and re.search(rf"(?<!\w){re.escape(words)}(?!\w)", fold(answer)) is not None


def replaced_item(text: Optional[str], answers: dict, slots: Tuple[str, ...]) -> Optional[Tuple[str, str]]:
    """(slot, new answer) for "nee, niet X maar Y": the answer among ``slots`` that holds X,
    with X changed into Y in the client's own sentence ("ik had een winkel in Conakry" ->
    "ik had een restaurant in Conakry"). The slot the words name ("mijn werk") wins when two
    answers hold X. None when no answer holds X."""
    found = replacement(text)
    if found is None:
        return None
    old, new = found
    holding = [slot for slot in slots if isinstance(answers.get(slot), str) and _holds(answers[slot], old)]
    if not holding:
        return None
    # The item the other words name ("mijn hoop is niet een winkel …"): not X or Y themselves.
    rest = fold(str(text))
    for words in (old, fold(new)):
        rest = rest.replace(words, " ")
    named = item(rest)
    slot = named if named in holding else holding[0]
    answer = answers[slot]
    at = re.search(rf"(?<!\w){re.escape(old)}(?!\w)", answer, re.IGNORECASE)
    if at is None:
        return slot, new
    # "niet mijn broer maar mijn neef woont in Rotterdam": what follows X in the answer is not
    # said twice.
    tokens, after = new.split(), fold(answer[at.end() :]).strip()
    for cut in range(1, len(tokens)):
        if after.startswith(fold(" ".join(tokens[cut:]))):
            tokens = tokens[:cut]
            break
    return slot, answer[: at.start()] + " ".join(tokens) + answer[at.end() :]

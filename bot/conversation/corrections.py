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
    ("plan_extra", ("kinder", "kind ", "kids", "children", "child", "enfant", "begeleiding", "begeleider",
                    "delen", "gedeeld", "toestemming", "share", "partag", "hulp later")),
    ("goal", ("doel", "goal", "objectif", "but ")),
    ("choice", ("keuze", "kiezen", "gekozen", "koos", "beslissing", "besluit", "beslis", "reden", "choice",
                "choix", "decision", "terugkeer", "teruggaan", "terug gaan", "blijven", "belangrijk")),
    ("health", ("gezond", "ziek", "medicijn", "medicatie", "medicine", "medic", "pillen", "pil ", "pijn",
                "klacht", "dokter", "arts", "huisarts", "health", "sante", "psych", "slaap", "mentaal",
                "lichaam", "zorg daar", "zorg in")),
    ("strengths", ("werk", "baan", "beroep", "job", "opleiding", "school", "studie", "diploma", "talent",
                   "wat ik kan", "kunnen", "hoop", "hoping", "hope", "espoir", "zorgen", "informatie",
                   "skills", "work", "travail", "metier", "ecole")),
    ("life_here", ("leven hier", "leven in nederland", "hier", "wonen", "woon", "azc", "kamer",
                   "nederland", "life here", "vie ici")),
    ("origin", ("land", "herkomst", "familie", "family", "famille", "thuis", "veilig", "gevaar", "country",
                "pays", "origin", "vandaan")),
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
    ("remove", ("weg", "verwijder", "schrap", "wis", "annuleer", "niet meer", "hoeft niet", "niet doen",
                "delete", "remove", "cancel", "supprim", "enlev", "efface", "retir")),
    ("change", ("verander", "aanpas", "aan te pas", "pas aan", "wijzig", "anders", "verbeter", "klopt niet",
                "fout", "verkeerd", "change", "modif", "edit", "correct", "wrong")),
    ("add", ("toevoeg", "voeg", "erbij", "nieuwe", "nieuw", "extra", "nog een stap", "add", "ajout",
             "another")),
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
    """"1".."8" or "last", from "2", "tweede", "stap 2", "2e stap", "de laatste"; None if none."""
    for words in (fold(str(entity_value or "")), _typed(text)):
        tokens = words.replace("-", " ").split()
        # "stap 2" / "step two" / "2e stap": a number word next to "stap" first, then any.
        for i, token in enumerate(tokens):
            if token in ("stap", "step", "etape", "punt") or token.startswith("stap"):
                for near in (tokens[i + 1:i + 2] + tokens[max(i - 1, 0):i]):
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
    ("country_of_origin", ("land van herkomst", "mijn land", "het land", "land ", "herkomst", "kom uit",
                           "kom ik uit", "country", "pays")),
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

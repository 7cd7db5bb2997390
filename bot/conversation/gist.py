"""What an answer is about, in the client's own words: the people (and where they are) or
the thing it names ("uw moeder en zus in Conakry", "Alpha", "een winkel met telefoons").

A complex reflection adds a meaning or a feeling to what the client said; it must carry the
client's content words, or it is a stock line that could follow any answer ("Uw familie daar
is belangrijk voor u." after "mijn moeder en mijn zus wonen in Conakry"). ``gist`` finds
those words; ``bot.conversation.second_reflection`` puts them in a frame from domain.yml.
None when there is nothing to name: then no second reflection is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional

from bot.conversation.normalise import country, fold
from bot.conversation.reflection import strip_asides, tidy

# People words, folded -> how the bot names them after "uw".
_RELATIVES = {
    "moeder": "moeder",
    "mama": "moeder",
    "vader": "vader",
    "papa": "vader",
    "broer": "broer",
    "broers": "broers",
    "zus": "zus",
    "zussen": "zussen",
    "zuster": "zus",
    "vrouw": "vrouw",
    "man": "man",
    "kinderen": "kinderen",
    "kind": "kind",
    "zoon": "zoon",
    "zonen": "zonen",
    "dochter": "dochter",
    "dochters": "dochters",
    "ouders": "ouders",
    "oom": "oom",
    "tante": "tante",
    "neef": "neef",
    "nicht": "nicht",
    "opa": "opa",
    "oma": "oma",
    "familie": "familie",
    "gezin": "gezin",
    "vriend": "vriend",
    "vrienden": "vrienden",
    "vriendin": "vriendin",
    "vriendinnen": "vriendinnen",
    "grootouders": "grootouders",
}
_PLURAL = frozenset(
    {"broers", "zussen", "kinderen", "zonen", "dochters", "ouders", "vrienden", "vriendinnen", "grootouders"}
)
# Things an answer can be about; countable ones take "een" when the client left it out.
_COUNTABLE = (
    "winkel",
    "zaak",
    "bedrijf",
    "bouwbedrijf",
    "bakkerij",
    "restaurant",
    "baan",
    "opleiding",
    "cursus",
    "huis",
    "diploma",
    "paspoort",
    "laissez-passer",
    "telefoonwinkel",
    "garage",
    "kapsalon",
    "werkplaats",
    "taxi",
    "auto",
    "toekomst",
)
_UNCOUNTABLE = (
    "geld",
    "werk",
    "school",
    "papieren",
    "documenten",
    "insuline",
    "medicijnen",
    "zorg",
    "dokter",
    "ziekenhuis",
    "rust",
    "vrede",
    "veiligheid",
    "vrijheid",
    "taal",
    "nederlands",
    "voetbal",
    "ict",
    "bouw",
    "naaien",
    "koken",
    "metselen",
    "les",
    "lessen",
    "onderwijs",
    "gereedschap",
    "woning",
    "eten",
    "gezondheid",
    "telefoons",
    "kleding",
    "landbouw",
    "suikerziekte",
    "diabetes",
    "hoofdpijn",
    "rugpijn",
    "astma",
    "paracetamol",
    "pillen",
)
# Work the client did or can do: named without an article ("Als lerares …").
_TRADES = (
    "lerares",
    "leraar",
    "bakker",
    "kapper",
    "monteur",
    "chauffeur",
    "verkoper",
    "kok",
    "timmerman",
    "elektricien",
    "boer",
    "verpleegster",
    "verpleger",
    "naaister",
    "kleermaker",
    "schilder",
    "metselaar",
    "bouwvakker",
    "lasser",
    "loodgieter",
    "schoonmaker",
    "tolk",
)
_THINGS = _COUNTABLE + _UNCOUNTABLE
_ARTICLES = ("een", "de", "het", "uw", "mijn", "m'n", "geen", "ons", "onze")
_ADJECTIVES = ("klein", "kleine", "eigen", "nieuw", "nieuwe", "goed", "goede", "groot", "grote")
_COMPLEMENT_WORDS = ("met", "voor", "van", "in", "op")
# Capitalised words that are no person's name.
_NOT_A_NAME = frozenset(
    """
    ik u mijn de het een en in uit met van voor hier daar nu ja nee maar ook als want dat die
    wij we zij ze hij mijn nederland azc coa ind dtv iom god allah
""".split()
)


@dataclass(frozen=True)
class Gist:
    who: Optional[str] = None  # "uw moeder en zus", "Alpha"
    plural: bool = False
    place: Optional[str] = None  # "Conakry"
    thing: Optional[str] = None  # "een winkel met telefoons in Conakry"

    @property
    def who_place(self) -> str:
        return f"{self.who} in {self.place}" if self.who and self.place else (self.who or "")


def _words(text: str) -> List[str]:
    return re.findall(r"[\w'’-]+", text)


def _names(text: str) -> List[str]:
    """Capitalised words inside a sentence that are no place or country ("Alpha", "Mina")."""
    found: List[str] = []
    for sentence in re.split(r"[.!?]\s*", text):
        words = _words(sentence)
        for index, word in enumerate(words):
            if index == 0 or not word[:1].isupper() or word.isupper():
                continue
            before = fold(words[index - 1])
            if (
                before in ("in", "uit", "naar", "van", "ter", "den")
                or fold(word) in _NOT_A_NAME
                or country(word)
                or fold(word) in _RELATIVES
            ):
                continue
            if word not in found:
                found.append(word)
    return found


def _place(text: str) -> Optional[str]:
    from bot.conversation.listening import _place as listening_place

    return listening_place(text)


def _abroad(clause: str) -> bool:
    """The clause says someone is in a place outside the Netherlands ("in Luanda")."""
    found = re.search(r"\b[Ii]n ((?:[Dd]en |[Tt]er )?[A-Z][\w'-]+)", clause)
    return bool(found and _place(found.group(0)))


def people_gist(text: str) -> Optional[Gist]:
    names = _names(text)
    relatives: List[str] = []
    for word in _words(fold(text)):
        relative = _RELATIVES.get(word)
        if relative and relative not in relatives:
            relatives.append(relative)
    if not names and not relatives:
        return None
    found = re.search(r"\b[Ii]n ((?:[Dd]en |[Tt]er )?[A-Z][\w'-]+)", text)
    place = _place(found.group(0)) if found else None  # only where they are ("in Conakry")
    if names and len(names) <= 2:
        return Gist(who=" en ".join(names), plural=len(names) > 1, place=place)
    if len(relatives) > 2:
        return None
    return Gist(
        who="uw " + " en ".join(relatives), plural=len(relatives) > 1 or relatives[0] in _PLURAL, place=place
    )


def thing_gist(text: str) -> Optional[Gist]:
    """The first thing the answer names, with its article and what follows ("met telefoons",
    "in Conakry"), in the second person."""
    words = _words(text)
    folded = [fold(w) for w in words]
    for index, word in enumerate(folded):
        if word not in _THINGS:
            continue
        start = index
        if start > 0 and folded[start - 1] in _ADJECTIVES:
            start -= 1
        if start > 0 and folded[start - 1] in _ARTICLES:
            start -= 1
        end = index + 1
        for _ in range(2):  # "met telefoons", "in Conakry"
            if (
                end + 1 < len(words) + 1
                and end < len(words)
                and folded[end] in _COMPLEMENT_WORDS
                and end + 1 < len(words)
            ):
                step = 2
                if folded[end + 1] in _ARTICLES and end + 2 < len(words):
                    step = 3
                end += step
            else:
                break
        phrase = [("uw" if fold(w) in ("mijn", "m'n") else w) for w in words[start:end]]
        if fold(phrase[0]) not in _ARTICLES and fold(phrase[0]) not in _ADJECTIVES and word in _COUNTABLE:
            phrase.insert(0, "een")
        phrase[0] = phrase[0].lower() if fold(phrase[0]) in _ARTICLES + _ADJECTIVES else phrase[0]
        return Gist(thing=" ".join(phrase), place=_place(text))
    return None


def gist(answer: str, here: bool = False) -> Optional[Gist]:
    """People first (they carry the most), then a thing; None when neither is named.
    ``here``: only the people of clauses that name no place abroad ("Een vriendin van de
    kerk helpt mij. Mijn zus woont in Luanda." -> the friend)."""
    text = tidy(strip_asides(answer or ""))
    if not text:
        return None
    if here:
        kept = [
            c for c in re.split(r"(?<=[.!?;])\s+|,\s*(?=(?:mijn|en mijn|maar)\b)", text) if not _abroad(c)
        ]
        found = people_gist(" ".join(kept)) if kept else None
        if found is not None:
            return Gist(who=found.who, plural=found.plural)
        if len(kept) < len(re.split(r"(?<=[.!?;])\s+", text)):
            return None
    return people_gist(text) or thing_gist(text) or trade_gist(text) or place_gist(text)


def trade_gist(text: str) -> Optional[Gist]:
    for word in _words(text):
        if fold(word) in _TRADES:
            return Gist(thing=fold(word))
    return None


def place_gist(text: str) -> Optional[Gist]:
    place = _place(text)
    return Gist(place=place) if place else None


def capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def without_article(thing: str) -> str:
    parts = thing.split()
    return " ".join(parts[1:]) if len(parts) > 1 and fold(parts[0]) in ("een", "de", "het") else thing

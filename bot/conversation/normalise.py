"""Turn short, often misspelled Dutch (with some English and French) into plan values.

Pure keyword work: the NLU finds the intent, these helpers decide which enum
value of the action plan a free answer or a button title stands for. None means
"not recognised": the caller keeps the client's words and asks again or stores
the text as it is, it never guesses.
"""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Optional, Tuple

from bot.conversation.country_names import COUNTRIES

# The conversation's fold (plain words for keyword matching), re-exported as ``fold``
# for the modules and actions that import it from here; see bot/text_folding.py.
from bot.text_folding import fold_to_words as fold


def _has_any(folded: str, words: Iterable[str]) -> bool:
    """Any word starts a word in ``folded`` (stems: "vriend" finds "vrienden")."""
    return any(re.search(rf"\b{re.escape(w)}", folded) for w in words)


def _first_named(text: str, table: Iterable[Tuple[str, Iterable[str]]], default: str = "other") -> str:
    """The key of the first (key, words) row whose words start a word of ``text``."""
    folded = f" {fold(text)} "
    for key, words in table:
        if _has_any(folded, words):
            return key
    return default


def _has_phrase(folded: str, phrases: Iterable[str]) -> bool:
    """Any phrase occurs as whole words ("pas" does not find "paspoort")."""
    return any(re.search(rf"\b{re.escape(p)}\b", folded) for p in phrases)


# --- countries -------------------------------------------------------------
# Dutch name first; the other spellings are what clients type (English, French,
# common misspellings, nationalities): every UN member state, see country_names.
def _spellings(dutch: str, names: Iterable[str]) -> Tuple[str, ...]:
    found: List[str] = []
    for name in (dutch, *names):
        folded = fold(name)
        for variant in (folded, folded.replace("-", " "), folded.replace("-", "")):
            if variant and variant not in found:
                found.append(variant)
    return tuple(found)


_COUNTRIES: Dict[str, Tuple[str, ...]] = {
    dutch: _spellings(dutch, names) for dutch, names in COUNTRIES.items()
}
_COUNTRY_PATTERN = re.compile(
    r"\b("
    + "|".join(
        re.escape(alias)
        for alias in sorted({a for aliases in _COUNTRIES.values() for a in aliases}, key=lambda a: -len(a))
    )
    + r")\b"
)
_COUNTRY_BY_ALIAS = {alias: name for name, aliases in _COUNTRIES.items() for alias in aliases}
# Where the client lives now; named as the origin only when no other country is.
_NETHERLANDS = "Nederland"


def country(text: str) -> Optional[str]:
    """The Dutch name of the country mentioned first in ``text``, or None.

    Longer names win where they start at the same place ("Guinee-Bissau" is not
    "Guinee"); the Netherlands only counts when no other country is named.
    """
    found = [_COUNTRY_BY_ALIAS[m.group(1)] for m in _COUNTRY_PATTERN.finditer(fold(text))]
    elsewhere = [name for name in found if name != _NETHERLANDS]
    if elsewhere:
        return elsewhere[0]
    return found[0] if found else None


def known_countries() -> Tuple[str, ...]:
    return tuple(_COUNTRIES)


def country_aliases() -> Dict[str, Tuple[str, ...]]:
    return dict(_COUNTRIES)


# --- family and helpers ----------------------------------------------------
_FAMILY_WORDS = (
    "familie",
    "famillie",
    "family",
    "famille",
    "vader",
    "papa",
    "father",
    "moeder",
    "mama",
    "mother",
    "maman",
    "broer",
    "brother",
    "frere",
    "zus",
    "sister",
    "soeur",
    "oom",
    "tante",
    "neef",
    "nicht",
    "opa",
    "oma",
    "vrouw",
    "man ",
    "echtgeno",
    "wife",
    "husband",
    "kind",
    "zoon",
    "dochter",
    "son",
    "daughter",
    "baby",
    "schoonbroer",
    "schoonzus",
    "cousin",
    "grootvader",
    "grootmoeder",
    "ouders",
)
_FRIEND_WORDS = ("vriend", "friend", "ami", "maat", "kennis", "buurman", "buurvrouw", "landgeno")
_ORGANISATION_WORDS = (
    "coa",
    "vluchtelingenwerk",
    "iom",
    "rode kruis",
    "red cross",
    "organisatie",
    "stichting",
    "advocaat",
    "dokter",
    "huisarts",
    "school",
    "gemeente",
    "begeleider",
)
_RELIGIOUS_WORDS = (
    "kerk",
    "church",
    "eglise",
    "moskee",
    "mosque",
    "mosquee",
    "imam",
    "pastor",
    "priester",
    "tempel",
)
_ONLINE_WORDS = ("facebook", "whatsapp", "internet", "online", "groep op", "telegram", "tiktok")


def supporter_category(text: str) -> str:
    """supporter_item.category for a free answer about who is around the client."""
    folded = f" {fold(text)} "
    if _has_any(folded, _FAMILY_WORDS):
        return "family"
    if _has_any(folded, _FRIEND_WORDS):
        return "friends"
    if _has_any(folded, _RELIGIOUS_WORDS):
        return "religious_communities"
    if _has_any(folded, _ONLINE_WORDS):
        return "online_groups"
    if _has_any(folded, _ORGANISATION_WORDS):
        return "organisations"
    return "other"


# --- the provisional decision (kiezen) -------------------------------------
DECISION_OPTIONS = (
    "return_with_support",
    "return_independently",
    "stay_in_netherlands",
    "onward_migration",
    "undecided",
)
_UNDECIDED = (
    "weet ik niet",
    "weet niet",
    "weet het niet",
    "weet ik nog niet",
    "geen idee",
    "twijfel",
    "i don t know",
    "dont know",
    "je ne sais pas",
    "nog niet",
    "misschien",
)
_STAY = ("blijven", "blijf", "stay", "rester", "niet terug", "nooit terug", "not go back", "not return")
_ONWARD = (
    "ander land",
    "ander europees",
    "doorreizen",
    "doormigreren",
    "verder reizen",
    "naar duitsland",
    "naar frankrijk",
    "naar engeland",
    "naar belgie",
    "another country",
    "autre pays",
)
_RETURN = ("terug", "return", "retour", "rentrer", "naar huis", "naar mijn land", "teruggaan", "terugkeren")
_SUPPORT = ("hulp", "steun", "ondersteuning", "iom", "help", "support", "aide", "begeleiding")
_ALONE = ("alleen", "zelf", "zelfstandig", "eigen", "myself", "seul", "zonder hulp")


def decision_option(text: str) -> Optional[str]:
    """provisional_decision.option for a button title or a short free answer, or None."""
    folded = fold(text)
    if not folded:
        return None
    if _has_any(folded, _UNDECIDED):
        return "undecided"
    if _has_any(folded, _ONWARD):
        return "onward_migration"
    if _has_any(folded, _STAY):
        return "stay_in_netherlands"
    if _has_any(folded, _RETURN):
        if _has_any(folded, ("zonder hulp", "zonder steun")):
            return "return_independently"
        if _has_any(folded, _SUPPORT):
            return "return_with_support"
        if _has_any(folded, _ALONE):
            return "return_independently"
        return None  # "terug" alone: with or without support is the client's to say
    return None


# --- action items (verkrijgen) ---------------------------------------------
_ACTION_KINDS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    (
        "travel_document",
        (
            "paspoort",
            "pasport",
            "passport",
            "passeport",
            "laissez",
            "reisdocument",
            "reis document",
            "ambassade",
            "embassy",
            "identiteit",
            "id kaart",
            "papieren voor de reis",
        ),
    ),
    (
        "return_support_application",
        (
            "iom",
            "terugkeerhulp",
            "ondersteuning aanvragen",
            "hulp aanvragen",
            "rean",
            "hrt",
            "steun aanvragen",
        ),
    ),
    ("travel_arrangements", ("vlucht", "ticket", "vliegtuig", "flight", "reis boeken")),
    (
        "medication_and_records",
        ("medicijn", "medicatie", "pillen", "insuline", "medisch dossier", "medisch paspoort", "medicine"),
    ),
    ("debts_and_money", ("schuld", "geld", "sparen", "money", "debt", "lening")),
    ("children_school", ("school", "kinderen naar", "onderwijs")),
    ("social_network", ("netwerk", "contacten", "vrienden maken", "network")),
    (
        "contact_family",
        (
            "familie bellen",
            "bellen",
            "contact",
            "mijn moeder",
            "mijn vader",
            "mijn broer",
            "mijn zus",
            "familie",
            "call",
        ),
    ),
    ("housing_on_arrival", ("huis", "wonen", "onderdak", "woning", "slapen", "house", "logement")),
    ("work_or_business", ("werk", "winkel", "bedrijf", "zaak", "business", "baan", "job", "travail")),
    ("training_course", ("cursus", "opleiding", "leren", "course", "training", "diploma halen")),
    ("cv_and_certificates", (" cv", "certificaat", "diploma's", "getuigschrift")),
    ("legal_check", ("advocaat", "lawyer", "avocat", "procedure", "ind ", "juridisch")),
    ("wellbeing", ("rust", "ontspanning", "gezondheid", "sport", "weerbaar")),
    ("information_gathering", ("informatie", "uitzoeken", "information")),
    ("language_learning", ("taal", "language", "langue")),
)


def action_kind(text: str) -> str:
    """action_item.kind for the client's description of a step ("other" if unclear)."""
    return _first_named(text, _ACTION_KINDS)


_KIND_SECTION = {
    "travel_document": "practical_matters",
    "travel_arrangements": "practical_matters",
    "return_support_application": "practical_matters",
    "medication_and_records": "health",
    "debts_and_money": "practical_matters",
    "children_school": "children",
    "contact_family": "support",
    "housing_on_arrival": "practical_matters",
    "work_or_business": "goals",
    "training_course": "background",
    "cv_and_certificates": "background",
    "legal_check": "safety",
    "other": "practical_matters",
    "social_network": "support",
    "wellbeing": "safety",
    "information_gathering": "information",
    "language_learning": "background",
}


def action_section(kind: str) -> str:
    return _KIND_SECTION.get(kind, "practical_matters")


_OWNERS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("counsellor", ("begeleider", "samen met", "coach", "counsellor", "jij", "jullie")),
    (
        "organisation",
        ("iom", "organisatie", "coa", "vluchtelingenwerk", "rode kruis", "ambassade", "dt v", "dtv"),
    ),
    ("family_or_friend", ("familie", "broer", "zus", "vriend", "moeder", "vader", "neef", "oom", "tante")),
    ("client", ("ik zelf", "ikzelf", "mezelf", "zelf", "ik ", "myself", "moi")),
)


def action_owner(text: str) -> str:
    """action_item.owner for "wie gaat dat doen?"; "other" when someone else is named."""
    return _first_named(text, _OWNERS)


# --- yes / no ---------------------------------------------------------------
_YES = (
    "ja",
    "jawel",
    "jazeker",
    "yes",
    "oui",
    "goed",
    "oke",
    "ok",
    "okay",
    "klopt",
    "prima",
    "zeker",
    "graag",
    "ja hoor",
)
_NO = ("nee", "neen", "no", "non", "niet", "liever niet", "nope")


# "Nee, alleen soms pijn in rug" to "Heeft u klachten?" is a yes with a limit, not a no:
# "nee"/"niet" and then "alleen …", or "maar" with "soms", "wel", "af en toe", "een beetje".
_QUALIFIED_YES = re.compile(
    r"^(?:nee|neen|no|non|niet|niet echt|niet veel|niet zo veel|niet zoveel)\b\s*"
    r"(?:alleen|enkel|behalve|only|seulement|juste"
    r"|maar\s+(?:soms|wel|af en toe|een beetje|beetje|weinig|een keer|heel soms|ook))\s+\w+"
)


def qualified_yes(text: str) -> bool:
    """'nee, alleen soms pijn in rug', 'nee maar soms hoofdpijn': a yes with a limit."""
    return bool(_QUALIFIED_YES.search(fold(text)))


def yes_no(text: str) -> Optional[bool]:
    """True/False for a short yes/no answer, None when it is neither or both.
    A no with a limit ("nee, alleen soms …") is a yes (``qualified_yes``)."""
    if qualified_yes(text):
        return True
    folded = fold(text)
    yes = any(re.fullmatch(rf"(.*\b)?{re.escape(w)}(\b.*)?", folded) for w in _YES)
    no = any(re.search(rf"\b{re.escape(w)}\b", folded) for w in _NO)
    if yes and not no:
        return True
    if no and not yes:
        return False
    return None


# --- "weet ik niet" and "dat zeg ik liever niet" ---------------------------
_DONT_KNOW = (
    "weet ik niet",
    "weet niet",
    "weet het niet",
    "weet ik nog niet",
    "geen idee",
    "geen flauw idee",
    "i don t know",
    "i dont know",
    "dont know",
    "no idea",
    "je ne sais pas",
    "sais pas",
    "weetniet",
    "weet nie",
)
_DECLINE = (
    "wil ik niet zeggen",
    "zeg ik liever niet",
    "wil ik liever niet zeggen",
    "dat wil ik niet",
    "liever niet zeggen",
    "geen antwoord",
    "sla over",
    "overslaan",
    "skip",
    "wil niet zeggen",
    "wil ik niet vertellen",
    "gaat je niks aan",
    "gaat u niets aan",
    "prefer not",
    "je prefere ne pas",
    "niet over praten",
    "wil ik niet over praten",
)


_ABOUT_WHAT = (
    "of",
    "wat",
    "waar",
    "hoe",
    "wanneer",
    "wie",
    "welke",
    "welk",
    "als",
    "dat",
    "if",
    "what",
    "where",
    "how",
    "si",
    "ce",
    "ou",
)


def is_dont_know(text: str) -> bool:
    """A short "weet ik niet" — not "ik weet niet of er een dokter is" (that is an answer)."""
    folded = fold(text)
    if not folded or len(folded.split()) > 8 or not _has_phrase(folded, _DONT_KNOW):
        return False
    for phrase in _DONT_KNOW:
        match = re.search(rf"\b{re.escape(phrase)}\b", folded)
        if match:
            rest = folded[match.end() :].split()
            if len(rest) >= 2 and rest[0] in _ABOUT_WHAT:
                return False  # uncertainty about something is the client's answer
    return True


# Word stems a "don't know" is made of, typos included ("wet nie", "weetniet", "no idea",
# "sais pas"). An open answer without any of them is the client's words, whatever the NLU
# guessed: "moeilijk" is an answer about life here, not a "weet ik niet".
_NOT_KNOWING_STEMS = (
    "wee",
    "wet",
    "idee",
    "idea",
    "know",
    "dunno",
    "sai",
    "sa ",
    "benul",
    "zeker",
    "snap",
    "begrijp",
    "no clue",
    "geen flauw",
)


def mentions_not_knowing(text: str) -> bool:
    """A question mark, or a word that starts like one of the stems above."""
    return "?" in (text or "") or _has_any(fold(text) + " ", _NOT_KNOWING_STEMS)


def is_decline(text: str) -> bool:
    folded = fold(text)
    return bool(folded) and len(folded.split()) <= 10 and _has_phrase(folded, _DECLINE)


# --- factor scoring in two steps (docs/specs/action-plan.md §4.3) -----------------
_HARDER = (
    "moeilijker",
    "moeilijk",
    "zwaarder",
    "zwaar",
    "harder",
    "difficult",
    "difficile",
    "minder makkelijk",
)
_EASIER = ("makkelijker", "makkelijk", "gemakkelijker", "lichter", "easier", "easy", "facile", "plus facile")
_NEITHER = (
    "allebei",
    "beide",
    "weet ik niet",
    "weet niet",
    "geen van",
    "neutraal",
    "maakt niet uit",
    "both",
    "neither",
    "les deux",
    "niet moeilijker of makkelijker",
)


def factor_direction(text: str) -> Optional[str]:
    """harder / easier / neither for 'maakt dit teruggaan moeilijker of makkelijker?'."""
    folded = fold(text)
    if _has_phrase(folded, _NEITHER):
        return "neither"
    harder, easier = _has_phrase(folded, _HARDER), _has_phrase(folded, _EASIER)
    if harder and not easier:
        return "harder"
    if easier and not harder:
        return "easier"
    if harder and easier:
        return "neither"
    return None


def factor_amount(text: str) -> Optional[int]:
    """1 (een beetje) / 2 (best veel) / 3 (heel veel)."""
    folded = fold(text)
    if _has_phrase(
        folded,
        (
            "een beetje",
            "beetje",
            "weinig",
            "klein beetje",
            "a little",
            "un peu",
            "niet zo veel",
            "niet zoveel",
            "niet veel",
            "niet erg",
            "niet zo erg",
        ),
    ):
        return 1
    if _has_phrase(
        folded,
        (
            "heel veel",
            "heel erg",
            "zeer",
            "enorm",
            "very much",
            "a lot",
            "beaucoup",
            "heel",
            "erg veel",
            "ontzettend",
            "super",
            "echt veel",
            "vreselijk",
        ),
    ):
        return 3
    if _has_phrase(
        folded,
        (
            "best veel",
            "veel",
            "redelijk",
            "nogal",
            "quite",
            "assez",
            "best wel",
            "behoorlijk",
            "erg",
            "flink",
        ),
    ):
        return 2
    return None


def factor_score(direction: Optional[str], amount: Optional[int]) -> Optional[int]:
    """−3..+3 (negative works against return); None when neutral or unknown."""
    if direction not in ("harder", "easier") or amount not in (1, 2, 3):
        return None
    return -amount if direction == "harder" else amount


# --- 0-10 rulers --------------------------------------------------------------------
_NUMBER_WORDS = {
    "nul": 0,
    "zero": 0,
    "een": 1,
    "één": 1,
    "eén": 1,
    "one": 1,
    "un": 1,
    "twee": 2,
    "two": 2,
    "deux": 2,
    "drie": 3,
    "three": 3,
    "trois": 3,
    "vier": 4,
    "four": 4,
    "quatre": 4,
    "vijf": 5,
    "five": 5,
    "cinq": 5,
    "zes": 6,
    "six": 6,
    "zeven": 7,
    "seven": 7,
    "sept": 7,
    "acht": 8,
    "eight": 8,
    "huit": 8,
    "negen": 9,
    "nine": 9,
    "neuf": 9,
    "tien": 10,
    "ten": 10,
    "dix": 10,
}


def ruler(text: str) -> Optional[int]:
    """A 0..10 score from "7", "een 7", "zeven", "8/10"; None if there is none or it is out of range."""
    folded = fold(text)
    digits = re.findall(r"\b\d{1,2}\b", folded)
    if digits:
        value = int(digits[0])
        return value if 0 <= value <= 10 else None
    for word in folded.split():
        if word in _NUMBER_WORDS:
            return _NUMBER_WORDS[word]
    return None


# Vague words for a 0-10 ruler, read as a number the bot says back ("best veel: een 7").
_RULER_VAGUE: Tuple[Tuple[int, Tuple[str, ...]], ...] = (
    (0, ("helemaal niet", "totaal niet", "not at all", "pas du tout")),
    (
        2,
        (
            "niet zo",
            "niet erg",
            "niet echt",
            "weinig",
            "een klein beetje",
            "niet zeker",
            "niet belangrijk",
            "niet veel",
        ),
    ),
    (3, ("een beetje", "beetje", "a little", "un peu")),
    (5, ("half", "gemiddeld", "zo zo", "zozo", "middel", "redelijk", "beetje wel")),
    (9, ("heel erg", "heel veel", "heel belangrijk", "heel zeker", "zeer", "enorm", "very", "tres")),
    (10, ("helemaal", "100", "honderd procent", "super", "absoluut", "totaal")),
    (7, ("best veel", "best wel", "veel", "belangrijk", "zeker", "erg", "behoorlijk", "quite", "assez")),
)


def ruler_vague(text: str) -> Optional[int]:
    """A 0..10 score for vague words ("een beetje" 3, "best veel" 7, "heel erg" 9), else None."""
    folded = fold(text)
    if not folded or len(folded.split()) > 8:
        return None
    for score, words in _RULER_VAGUE:
        if _has_phrase(folded, words):
            return score
    return None


# Pushback on the questions themselves (MI: discord): reflected, the topic offered to skip,
# never read as "vorige vraag" or as a request for a person.
_PUSH_BACK = (
    "ik ga niet terug",
    "ik wil niet terug",
    "ik ga nooit terug",
    "ik denk niet aan teruggaan",
    "ik denk niet aan terug",
    "ik wil niet over teruggaan",
    "ik wil het niet over teruggaan",
    "waarom vraagt iedereen",
    "waarom vraag je dat",
    "waarom vraagt u dat",
    "waarom steeds",
    "waarom altijd",
    "waarom weer",
    "stop met deze vragen",
    "stop met die vragen",
    "stop met vragen over",
    "hou op over",
    "hou op met",
    "niet weer die vraag",
    "niet weer over",
    "dat heb je al gevraagd",
    "dat heeft u al gevraagd",
    "dat vroeg je al",
    "steeds over terug",
    "altijd over terug",
    "ik blijf hier",
    "niet over terug",
    "genoeg over terug",
)


def is_push_back(text: str) -> bool:
    """'Ik ga niet terug', 'waarom vraagt iedereen dat', 'stop met deze vragen over terug'."""
    folded = fold(text)
    return (
        bool(folded)
        and len(folded.split()) <= 20
        and _has_phrase(folded, _PUSH_BACK)
        and not is_go_back(text)
    )


_GREETINGS = (
    "hallo",
    "hoi",
    "hey",
    "hi",
    "hello",
    "goedemorgen",
    "goedemiddag",
    "goedenavond",
    "goede morgen",
    "goeie morgen",
    "bonjour",
    "salam",
    "salaam",
    "salaam aleikum",
    "dag",
)
_NOBODY = (
    "niemand",
    "nobody",
    "no one",
    "personne",
    "geen familie",
    "geen vrienden",
    "geen mensen",
    "niemand hier",
    "ik ben alleen",
    "alleen ik",
)


def is_greeting(text: str) -> bool:
    """Only a greeting ("hallo!", "hallo daar") — "elke dag" is not one."""
    words = fold(text).split()
    extra = ("daar", "computer", "coach", "allemaal", "aleikum", "alaikum", "goede", "goeie", "morgen")
    return (
        bool(words)
        and len(words) <= 4
        and all(w in _GREETINGS or w in extra for w in words)
        and any(w in _GREETINGS for w in words)
    )


def is_nobody(text: str) -> bool:
    """An answer that says there is nobody ("niemand", "ik ben alleen, geen familie")."""
    folded = fold(text)
    if _has_phrase(folded, ("behalve", "alleen mijn", "maar", "except", "sauf", "buiten")):
        return False  # "niemand behalve mijn broer" names someone
    return bool(folded) and len(folded.split()) <= 8 and _has_phrase(folded, _NOBODY)


# --- background, information, goals (verkennen, kiezen) -------------------------------
_HERE = (
    "hier",
    "nederland",
    "holland",
    "in nl",
    "netherlands",
    "pays-bas",
    "azc",
    "coa",
    "vrijwilliger",
    "vrijwilligerswerk",
    "taalles",
    "inburgering",
    "nederlandse",
)
_THERE = ("daar", "thuis", "in mijn land", "mijn land", "back home", "chez moi", "au pays")
_ELSEWHERE = (
    "libie",
    "libya",
    "turkije",
    "turkey",
    "griekenland",
    "greece",
    "italie",
    "italy",
    "duitsland",
    "germany",
    "frankrijk",
    "france",
    "belgie",
    "marokko",
    "onderweg",
)


def experience_place(text: str, country_of_origin: Optional[str] = None) -> str:
    """Where schooling or work took place: netherlands, country_of_origin or elsewhere.

    Clients mostly tell about work and school at home; "hier"/"Nederland" or a
    Dutch setting (azc, taalles) means the Netherlands, a transit country elsewhere.
    """
    folded = f" {fold(text)} "
    if _has_phrase(folded, _HERE):
        return "netherlands"
    origin = fold(country_of_origin or "")
    named = country(text)
    if named and origin and fold(named) != origin and not _has_phrase(folded, _THERE):
        return "elsewhere"
    if _has_phrase(folded, _ELSEWHERE) and not _has_phrase(folded, _THERE):
        return "elsewhere"
    return "country_of_origin"


_SOURCE_WORDS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    (
        "social_media",
        (
            "facebook",
            "whatsapp",
            "whats app",
            "tiktok",
            "youtube",
            "instagram",
            "telegram",
            "snapchat",
            "imo",
            "social media",
            "sociale media",
        ),
    ),
    ("internet", ("internet", "google", "website", "site", "online", "nieuwssite")),
    ("tv", ("tv", "televisie", "tele", "journaal", "al jazeera", "bbc", "cnn", "france 24")),
    ("newspapers", ("krant", "kranten", "newspaper", "journal")),
    (
        "family_friends",
        (
            "familie",
            "family",
            "famille",
            "moeder",
            "vader",
            "broer",
            "zus",
            "vriend",
            "friend",
            "ami",
            "neef",
            "oom",
            "tante",
            "bellen",
            "telefoon",
            "phone",
        ),
    ),
    (
        "compatriots_in_nl",
        (
            "landgenoten",
            "landgenoot",
            "mensen uit mijn land",
            "mensen in het azc",
            "andere mensen hier",
            "compatriots",
        ),
    ),
    (
        "organisations",
        (
            "iom",
            "vluchtelingenwerk",
            "coa",
            "dt v",
            "dtv",
            "rode kruis",
            "red cross",
            "organisatie",
            "begeleider",
            "advocaat",
            "ngo",
        ),
    ),
    ("official_reports", ("ambtsbericht", "rapport", "report", "ministerie")),
)


def source_types(text: str) -> List[str]:
    """Every kind of information source the answer names ("via whatsapp en mijn moeder")."""
    folded = f" {fold(text)} "
    found = [kind for kind, words in _SOURCE_WORDS if _has_phrase(folded, words)]
    return found or ["other"]


_GOAL_WORDS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    (
        "education",
        (
            "school",
            "opleiding",
            "cursus",
            "leren",
            "studeren",
            "diploma",
            "universiteit",
            "study",
            "course",
            "taal",
        ),
    ),
    ("housing", ("huis", "woning", "wonen", "onderdak", "kamer", "house", "maison", "dak")),
    (
        "work",
        (
            "werk",
            "werken",
            "baan",
            "winkel",
            "bedrijf",
            "zaak",
            "business",
            "job",
            "travail",
            "verkopen",
            "handel",
            "geld verdienen",
            "boer",
            "landbouw",
            "kapper",
            "monteur",
        ),
    ),
)


def goal_domain(text: str) -> str:
    """goal_item.domain (work, housing, education, other) for the client's goal."""
    return _first_named(text, _GOAL_WORDS)


_NEED_WORDS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("money", ("geld", "money", "argent", "lening", "krediet", "sparen", "euro", "kapitaal")),
    ("training", ("cursus", "opleiding", "leren", "training", "diploma", "les", "course")),
    ("time", ("tijd", "time", "temps", "geduld", "rust")),
    (
        "facilities",
        (
            "gereedschap",
            "spullen",
            "ruimte",
            "machine",
            "computer",
            "winkel",
            "huis",
            "materiaal",
            "auto",
            "tools",
        ),
    ),
    ("reality_check", ("informatie", "uitzoeken", "weten of", "kijken of", "checken", "nagaan")),
    ("opportunity", ("kans", "vergunning", "papieren", "toestemming", "contacten", "netwerk", "hulp")),
)


def need_aspect(text: str) -> str:
    """need_item.aspect for "wat heeft u daarvoor nodig?"."""
    return _first_named(text, _NEED_WORDS)


_NOTHING = (
    "niets",
    "niks",
    "nothing",
    "rien",
    "geen verwachtingen",
    "geen idee wat",
    "niet veel",
    "ze verwachten niets",
    "ze verwachten niks",
    "helemaal niets",
)


def is_nothing(text: str) -> bool:
    """A short answer that says "nothing" ("niks", "ze verwachten niets")."""
    folded = fold(text)
    return (
        bool(folded)
        and len(folded.split()) <= 5
        and _has_phrase(folded, _NOTHING)
        and not _has_phrase(folded, ("maar", "but", "behalve"))
    )


_NO_EXPERIENCE = (
    "nog niet gewerkt",
    "niet gewerkt",
    "nooit gewerkt",
    "geen werk gehad",
    "geen werk",
    "geen school",
    "niet naar school",
    "nooit naar school",
    "geen opleiding",
    "never worked",
    "no school",
    "pas d ecole",
    "jamais travaille",
)


# A one-word "none" after "which work / which school?" (clients with little energy answer so).
_NO_EXPERIENCE_WORDS = ("geen", "niets", "niks", "nee", "nooit", "none", "nothing", "rien", "aucun")


def is_no_experience(text: str) -> bool:
    """'Ik heb nog niet gewerkt', 'geen school', a bare 'geen': an answer, but no item for the list."""
    folded = fold(text)
    if folded in _NO_EXPERIENCE_WORDS:
        return True
    return bool(folded) and len(folded.split()) <= 8 and _has_phrase(folded, _NO_EXPERIENCE)


_GO_BACK = (
    "vorige vraag",
    "vorig vraag",
    "vraag terug",
    "vraag ervoor",
    "vraag hiervoor",
    "vorige antwoord",
    "vorig antwoord",
    "previous question",
    "question precedente",
    "een terug",
    "eentje terug",
)


def is_go_back(text: str) -> bool:
    """'Vorige vraag', 'een vraag terug': back to the question before. Not "ik wil terug"
    or "go back" (in this conversation those mostly mean back home)."""
    folded = fold(text)
    return bool(folded) and len(folded.split()) <= 10 and _has_phrase(folded, _GO_BACK)


# --- children named in passing -------------------------------------------------------
_CHILD_WORDS = (
    "kinderen",
    "kinder",
    "kindje",
    "kids",
    "children",
    "enfants",
    "dochter",
    "dochters",
    "daughter",
    "daughters",
    "fille",
    "filles",
    "zoon",
    "zonen",
    "zoontje",
    "son",
    "sons",
    "fils",
    "baby",
    "meisjes",
    "jongens",
    "mijn kind",
    "m'n kind",
)
_CHILD_NEGATIONS = (
    "geen",
    "niet",
    "nee",
    "no",
    "pas de",
    "zonder",
    "without",
    "sans",
    "dood",
    "overleden",
    "vermist",
    "daar",
    "in mijn land",
    "thuis",
)


def mentions_own_children(text: str) -> bool:
    """The client named their children here, in passing ("mijn vrouw en twee dochters").

    Only a plain mention counts: any negation, loss or "daar" (children in the country
    of origin do not answer "are they with you?") leaves the question to be asked.
    """
    folded = fold(text)
    if not _has_phrase(folded, _CHILD_WORDS):
        return False
    return not _has_phrase(folded, _CHILD_NEGATIONS)

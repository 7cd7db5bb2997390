"""Simple reflections: give the client's own words back, turned to "u".

MI asks for reflections that reuse the client's words (docs/specs/conversation.md §4.2).
The bot cannot paraphrase reliably, so it quotes: it cleans the answer, keeps
the first sentence or so, and turns first person into the polite second person
("ik woon met mijn broer" -> "u woont met uw broer", verbs conjugated by
``second_person``). The wording around it lives in domain.yml.

Before the words go back they are tidied (``tidy``): asides to the bot ("dat heb
je al gevraagd", "zoals ik zei") are left out, common misspellings corrected
(``spelling``), names of places written with their capital, and every sentence
inside the quote starts with a capital. ``strip_frame`` leaves out the client's
repeat of the bot's own frame ("mijn doel is …" after "Uw doel: …").
"""

from __future__ import annotations

import re
from typing import List, Optional, Tuple

from bot.conversation import spelling
from bot.conversation.bot_text import capitalise_sentences
from bot.conversation.normalise import fold
from bot.conversation.proper_nouns import display_names, is_acronym, starts_with_name
from bot.conversation.second_person import to_second_person

__all__ = [
    "clean",
    "client_words",
    "double_sided",
    "indefinite_person",
    "is_fragment",
    "is_negative",
    "people",
    "strip_asides",
    "strip_frame",
    "tidy",
    "to_second_person",
    "who_words",
]

MAX_WORDS = 18


def clean(text: str) -> str:
    """Strip button payloads, control characters and extra spaces."""
    text = text or ""
    if text.startswith("/"):
        return ""  # a button payload is not the client's own words
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _first_part(text: str, max_words: int) -> Tuple[str, bool]:
    # Keep the first sentence when it carries some weight, else more.
    sentences = re.split(r"(?<=[.!?])\s+", text)
    picked: List[str] = []
    for sentence in sentences:
        picked.append(sentence)
        if len(" ".join(picked).split()) >= 6:
            break
    words = " ".join(picked).split()
    short = " ".join(words[:max_words]).rstrip(".!?,;: ")
    return short, len(words) > max_words


def client_words(
    text: str, max_words: int = MAX_WORDS, sentence_start: bool = True, people_phrase: bool = True
) -> str:
    """The client's answer, short and in the second person, ready for a reflection.

    Returns "" when there are no words to give back (a button payload, only spaces).
    The words go inside the bot's sentence ("U zegt: {words}."), so the client's
    first word loses its sentence capital unless it is a name (see ``_lower_first``);
    ``sentence_start=False`` says the text was cut from the middle of the client's
    sentence, where a capital is the client's own and stays. An answer that only names
    people gets "uw" ("vrouw, dochters" -> "uw vrouw en dochters") unless ``people_phrase``
    is False (the answer to "wie doet het?" stays as typed).
    """
    cleaned = tidy(text)
    if not cleaned:
        return ""
    named = people(cleaned) if people_phrase else None
    if named is not None and sentence_start:
        return named[0]  # only people: "vrouw, dochters" -> "uw vrouw en dochters"
    short, truncated = _first_part(_without_lead_fragment(cleaned), max_words)
    words = capitalise_sentences(_names_capitalised(to_second_person(short)))
    if sentence_start:
        words = _lower_first(words, cleaned)
    return words + (" …" if truncated else "")


def _same_stem(a: str, b: str) -> bool:
    """'koken' and 'kook', 'voetbal' and 'voetballen': one word in two forms."""
    a, b = fold(a), fold(b)
    root = re.sub(r"(?:en|n)$", "", a) if len(a) > 4 else a
    if len(root) >= 4 and b.startswith(root[:4]):
        return True
    if len(root) < 3 or abs(len(root) - len(b)) > 1:
        return False
    # one letter more, less or different ("kok" / "kook")
    if len(root) == len(b):
        return sum(x != y for x, y in zip(root, b)) <= 1
    short, long_ = sorted((root, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _without_lead_fragment(text: str) -> str:
    """A first "sentence" of one or two words with no verb, then a sentence that says it
    again ("Koken. Ik kook voor de vrouwen op mijn gang."): only the sentence, so the bot
    never gives back a bare "koken." as a sentence of its own. A lead word that is not said
    again is joined to the sentence ("Voetbal. Ik speel elke week." -> "Voetbal, ik speel …")."""
    parts = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)
    if len(parts) != 2 or not is_fragment(parts[0].rstrip(".!?")) or is_negative(parts[0]):
        return text
    lead, rest = parts[0].rstrip(".!? "), parts[1]
    if len(rest.split()) < 2:
        return text
    lead_words = re.findall(r"[^\W\d_]+", lead)
    rest_words = re.findall(r"[^\W\d_]+", rest)
    if lead_words and all(any(_same_stem(w, r) for r in rest_words) for w in lead_words):
        return rest
    first = rest[:1].lower() + rest[1:] if not starts_with_name(rest) and not rest.startswith("I ") else rest
    return f"{lead}, {first}"


# --- tidying the client's words ------------------------------------------------------
# Asides to the bot, not part of the answer: "dat heb je al gevraagd!", "dat zei ik al",
# "waarom steeds deze vraag?", "weet je toch", "zoals ik zei". A "waarom …" aside runs
# to the end of its sentence; the others are a fixed phrase.
_ASIDE_PHRASES = (
    r"dat (?:heb|hebt|had) (?:je|jij|u) (?:al|toch al|net|al eerder) (?:gevraagd|gezegd)",
    r"dat vroeg (?:je|jij|u) al",
    r"(?:dat|dit|het) (?:zei|zeg|heb) ik (?:al|toch al|net|al eerder)(?: gezegd)?",
    r"(?:dat|dit) (?:heb|had) ik (?:je|jou|u) (?:al|toch al) (?:gezegd|verteld)",
    r"ik (?:zei|zeg) (?:het|dat) (?:al|toch al)",
    r"ik (?:heb|had) (?:het|dat) al (?:gezegd|verteld)",
    r"zoals ik (?:al )?(?:zei|zeg|zeide|vertelde)",
    r"weet (?:je|jij|u) toch(?: al)?",
    r"(?:je|jij|u) weet (?:het|dat) toch(?: al)?",
    r"(?:alweer|weer) (?:deze|die|dezelfde) vraag",
    r"(?:je|jij|u) vraagt (?:het|dat) (?:steeds|weer|alweer|al)(?: weer)?",
    r"(?:ik )?(?:heb|had) (?:het|dat|ik) (?:al )?(?:beantwoord|geantwoord)",
    r"already (?:told|said|asked)(?: you| that| this)?",
    r"i (?:already )?told you",
    r"(?:is )?(?:al )?gevraagd",
)
_ASIDE = re.compile(
    r"(?:^|(?<=[\s,.;:!?]))(?:"
    + "|".join(_ASIDE_PHRASES)
    + r"|waarom (?:steeds|weer|alweer|elke keer|altijd|nog een keer|vraag (?:je|jij|u) (?:dat|dit|het) (?:steeds|weer|alweer))[^.!?]*"
    + r")(?:[\s]*[!?.,;:]+)*",
    re.IGNORECASE,
)


def strip_asides(text: str) -> str:
    """'dat heb je al gevraagd! niet veilig' -> 'niet veilig'."""
    out = _ASIDE.sub(" ", text or "")
    out = re.sub(r"\s+([,.;:!?])", r"\1", out)
    out = re.sub(r"([,.;:!?])(?:\s*[,.;:!?])+", r"\1", out)  # punctuation left doubled
    return re.sub(r"\s+", " ", out).strip(" ,;:.!?")


# What clients repeat of the bot's frame, per question: "Uw doel: {words}" after "mijn doel
# is een winkel" would read "Uw doel: uw doel is een winkel".
_FRAMES = {
    "goal": (r"(?:mijn|m'n|mn) doel(?: is|:)?", r"doel(?: is|:)"),
    "worries": (
        r"ik maak (?:me|mij) (?:zorgen|zorg) (?:over|om)",
        r"(?:mijn|m'n) (?:zorg|zorgen) (?:is|zijn|:)",
        r"zorgen (?:over|om)",
        r"ik ben bang (?:voor|dat)",
        r"over",
    ),
    "hopes": (r"ik hoop (?:op)", r"(?:mijn|m'n) hoop (?:is|:)", r"hoop op"),
    "info_sources": (r"ik hoor (?:het )?nieuws (?:via|van|uit)", r"(?:het )?nieuws (?:via|van)", r"via"),
    "family_expectations": (
        r"(?:mijn|m'n) familie verwacht(?: dat)?",
        r"ze verwachten(?: dat)?",
        r"zij verwachten(?: dat)?",
    ),
    "goal_needs": (r"ik heb nodig:?", r"nodig(?: is|:)"),
    "medication_names": (r"(?:mijn|m'n) medicijnen (?:zijn|:)", r"ik (?:gebruik|neem|slik)"),
    "step_what": (r"(?:mijn|m'n|de) (?:eerste )?stap(?: is|:)",),
    "what_would_change": (r"(?:het|wat) zou (?:helpen|het verschil maken)(?: is| als)?",),
    "reasons_for": (r"(?:een )?reden(?: is|:)",),
    "reasons_against": (r"(?:een )?reden(?: is|:)",),
}


def strip_frame(slot: str, text: str) -> str:
    """Leave out the client's repeat of the question's own frame (see ``_FRAMES``)."""
    for frame in _FRAMES.get(slot, ()):
        stripped = re.sub(rf"^\s*{frame}\s*:?\s*", "", text, count=1, flags=re.IGNORECASE)
        if stripped != text and stripped.strip():
            return stripped.strip()
    return text


def tidy(text: str) -> str:
    """The client's text ready to quote: cleaned, asides out, spelling corrected."""
    # Spelling first as well: "dat heb ik al gzeegd, paspoort" is an aside once it is spelled.
    return spelling.correct(strip_asides(spelling.correct(clean(text))))


def _names_capitalised(text: str) -> str:
    """'in guinee' -> 'in Guinee', 'ter apel' -> 'Ter Apel': known names keep their capital."""
    names = display_names()

    def fix(match: "re.Match[str]") -> str:
        found = match.group(0)
        return names.get(fold(found), found) if found.islower() else found

    for size in (3, 2, 1):  # names of more words first ("ter apel", "sierra leone")
        pattern = r"(?<![\w'’-])" + r"\s+".join([r"[^\W\d_]+"] * size) + r"(?![\w'’-])"
        text = re.sub(pattern, fix, text)
    return text


# --- what kind of answer it is ---------------------------------------------------------
_NEGATIVE_WORDS = frozenset(
    """
    nee neen niet niks niets geen nooit niemand nergens no non nothing nobody none never rien
    personne jamais nope echt helemaal nog meer enkele een één ook eigenlijk hoor zo veel
    nieuws contact familie werk dat het
""".split()
)
_NEGATORS = frozenset(
    "nee neen niet niks niets geen nooit niemand nergens no non nothing nobody "
    "none never rien personne jamais nope".split()
)


def is_negative(text: str) -> bool:
    """A plain no as the whole answer: "niet", "nee", "niks", "geen nieuws", "nee, niemand"."""
    words = fold(strip_asides(clean(text))).split()
    return (
        bool(words)
        and len(words) <= 4
        and any(w in _NEGATORS for w in words)
        and all(w in _NEGATIVE_WORDS for w in words)
    )


# A subject or a finite verb makes a clause. (Words already turned to "u": "werk" alone is
# the noun, "u werkt" the verb.)
_CLAUSE_WORDS = frozenset(
    """
    ik u je jij hij zij ze we wij het er is ben bent zijn was waren heeft hebben had kan
    kunt kunnen wilt willen moet moeten gaat gaan woont wonen werkt doet
""".split()
)


def is_fragment(words: str) -> bool:
    """One or two words with no subject or verb ("auto", "niet veilig", "uw vrouw")."""
    tokens = fold(words).split()
    if not tokens or len(tokens) > 2:
        return False
    return not any(t in _CLAUSE_WORDS for t in tokens)


_PEOPLE = frozenset(
    """
    moeder vader broer broers zus zussen zuster vrouw man echtgenoot echtgenote kind kinderen
    zoon zonen dochter dochters ouders oom ooms tante tantes neef neven nicht nichten opa oma
    grootouders familie familieleden vriend vrienden vriendin vriendinnen vriendinnen buren
    buurman buurvrouw schoonmoeder schoonvader schoonzus zwager baby kleinkinderen gezin
    verloofde partner begeleider collega collega's
""".split()
)
_PLURAL_PEOPLE = frozenset(
    """
    broers zussen kinderen zonen dochters ouders ooms tantes neven nichten grootouders
    familieleden vrienden vriendinnen buren kleinkinderen collega's
""".split()
)
_PEOPLE_GLUE = frozenset(
    {
        "en",
        "mijn",
        "m'n",
        "mn",
        "uw",
        "onze",
        "ons",
        "een",
        "twee",
        "drie",
        "vier",
        "vijf",
        "zes",
        "2",
        "3",
        "4",
        "5",
        "6",
        "de",
        "mijne",
        "of",
    }
)


def people(text: str) -> Optional[Tuple[str, bool]]:
    """An answer that only names people ("vrouw", "mijn moedr en broer", "2 broers"):
    (the people with "uw", plural?), else None. "uw vrouw", "uw moeder en broer"."""
    cleaned = tidy(text).rstrip(".!?")
    groups = [fold(g) for g in re.split(r"\s*(?:,|;|/|&|\+|\ben\b|\band\b)\s*", cleaned.lower()) if fold(g)]
    tokens = [t for g in groups for t in g.split()]
    if not tokens or len(tokens) > 7 or not any(t in _PEOPLE for t in tokens):
        return None
    if not all(t in _PEOPLE or t in _PEOPLE_GLUE for t in tokens):
        return None
    items = []
    for group in groups:
        words = [
            t
            for t in group.split()
            if t not in ("mijn", "m'n", "mn", "uw", "onze", "ons", "mijne", "de", "of")
        ]
        if words:
            items.append(" ".join(words))
    nouns = [t for t in tokens if t in _PEOPLE]
    counted = any(t in ("twee", "drie", "vier", "vijf", "zes", "2", "3", "4", "5", "6") for t in tokens)
    plural = len(items) > 1 or nouns[0] in _PLURAL_PEOPLE or counted
    phrase = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]
    if not phrase.startswith("een "):
        phrase = "uw " + phrase
    return phrase, plural


_INDEFINITE = re.compile(
    r"(?<![\w'’-])(een|iemand|die)\s+((?:andere|oude|jonge|aardige|lieve|goede|nieuwe)\s+)?"
    r"([^\W\d_]+)((?:\s+(?:van|uit|bij|op|in)\s+(?:de|het|mijn|m'n|onze|ons|een)\s+[^\W\d_][\w-]*))?",
    re.IGNORECASE,
)
_OWN = re.compile(r"(?<![\w'’-])(?:mijn|m'n|mn|onze|ons|uw)\s+(?:\w+\s+)?([^\W\d_]+)", re.IGNORECASE)


def indefinite_person(text: str) -> Optional[str]:
    """A person the client names with "een" and not as their own ("Een vrouw van de kerk
    komt soms bij mij" -> "een vrouw van de kerk"): "een vrouw" is a woman, "uw vrouw" a
    wife, so the bot keeps the client's way of naming her. None when the people named are
    the client's own ("mijn vrouw") or no person is named with "een"."""
    cleaned = tidy(text)
    own = {fold(m.group(1)) for m in _OWN.finditer(cleaned)}
    for match in _INDEFINITE.finditer(cleaned):
        noun = fold(match.group(3))
        if noun not in _PEOPLE or noun in own:
            continue
        if fold(match.group(1)) == "iemand" and not match.group(4):
            continue
        phrase = " ".join(p.strip() for p in match.group(1, 2, 3, 4) if p and p.strip())
        phrase = re.sub(r"\b(?:mijn|m'n)\b", "uw", phrase, flags=re.IGNORECASE)
        return (
            "een " + phrase.split(None, 1)[1]
            if fold(phrase.split()[0]) == "die"
            else phrase[:1].lower() + phrase[1:]
        )
    return None


# Capitalised answers to "who?" that are no name ("Mijn broer", "De begeleider", "Samen").
_NOT_NAMES = frozenset(
    """
    ik ikzelf zelf mijn m'n mn wij we onze ons mij me u uw de het een die deze samen met en
    alleen niemand iemand iedereen allebei familie moeder vader broer zus vrouw man zoon
    dochter oom tante vriend vriendin begeleider advocaat
""".split()
)


def who_words(text: str, max_words: int = 8) -> str:
    """The answer to "who does it?" for the bot's sentence ("Wie: {step_who}.").

    Like ``client_words``, but an answer of only capitalised words ("Ahmed",
    "Fatima Diallo") is taken for a person's name and keeps its capitals.
    """
    cleaned = clean(text)
    words = cleaned.rstrip(".!?").split()
    name = (
        0 < len(words) <= 3
        and all(w[:1].isupper() for w in words)
        and not any(w.lower().strip(",;:") in _NOT_NAMES for w in words)
    )
    return client_words(text, max_words, sentence_start=not name, people_phrase=False)


_FIRST_WORD = re.compile(r"^(\W*)([^\W\d_][\w&'’-]*)", re.UNICODE)


def _lower_first(text: str, original: str = "") -> str:
    """Lowercase the first letter unless the first word is a name.

    Names are the known places, countries, languages and organisations
    (``proper_nouns``), acronyms ("IND", "DT&V"), English "I", and a word the
    client also writes with a capital inside a sentence (a personal name:
    "Ahmed helpt mij. Ik bel Ahmed.").
    """
    match = _FIRST_WORD.match(text)
    if not match or not match.group(2)[:1].isupper():
        return text
    lead, word = match.group(1), match.group(2)
    if word in ("I", "I'm") or is_acronym(word) or starts_with_name(text[len(lead) :]):
        return text
    if re.search(rf"[\w,;:]\s+{re.escape(word)}\b", original or text):
        return text  # capitalised inside the client's sentence: a name
    return lead + word[:1].lower() + text[len(lead) + 1 :]


_BUT = re.compile(r"\s*(?:,\s*)?\b(?:maar|but|mais|toch|aan de andere kant)\b\s*", re.IGNORECASE)


def double_sided(text: str, max_words: int = 12) -> Optional[Tuple[str, str]]:
    """Both sides of an ambivalent answer ("ik mis mijn moeder, maar hier is mijn werk").

    MI's double-sided reflection gives both back ("Aan de ene kant …, aan de andere
    kant …"). None when the answer does not hold two sides of some weight.
    """
    cleaned = tidy(text)
    parts = _BUT.split(cleaned, maxsplit=1)
    if len(parts) != 2:
        return None
    first, second = (p.strip(" ,.;") for p in parts)
    if len(first.split()) < 2 or len(second.split()) < 2:
        return None
    # The second side starts inside the client's sentence ("…, maar Ahmed helpt mij"):
    # a capital there is a name, unless a sentence ended right after "maar".
    second_starts_sentence = bool(re.match(r"\s*[.!?]", parts[1]))
    return (
        client_words(first, max_words),
        client_words(second, max_words, sentence_start=second_starts_sentence),
    )


# --- who and when of a step ------------------------------------------------------------
_TIME_PHRASE = re.compile(
    r"\b(?:"
    r"(?:deze|volgende|komende|na(?:ste)?|over een) (?:week|maand|jaar)"
    r"|(?:over|in|binnen|na) (?:een|één|twee|drie|vier|vijf|zes|\d+) (?:dag|dagen|week|weken|maand|maanden|jaar)"
    r"|(?:over|na) (?:een )?(?:paar|aantal) (?:dagen|weken|maanden)"
    r"|(?:vandaag|morgen|overmorgen|straks|binnenkort|later|nu meteen|meteen|zo snel mogelijk|zsm)"
    r"|(?:op )?(?:volgende |komende |deze )?(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)"
    r"|(?:begin |eind |half |midden |in |voor |na )?(?:januari|februari|maart|april|mei|juni|juli"
    r"|augustus|september|oktober|november|december)(?: \d{4})?"
    r"|(?:op )?\d{1,2} (?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)"
    r"|(?:op )?\d{1,2}[-/.]\d{1,2}(?:[-/.]\d{2,4})?"
    r"|next week|tomorrow|today|la semaine prochaine|demain"
    r")\b",
    re.IGNORECASE,
)


def split_who_when(text: str) -> Tuple[str, Optional[str]]:
    """'volgende week, met mijn begeleider samen' -> ('met mijn begeleider samen', 'volgende week').

    The answer to "wie doet het?" often says when too; the time phrase goes to "wanneer"
    and the rest stays "wie". No time phrase: (text, None); only a time: ("", time)."""
    cleaned = clean(text)
    matches = list(_TIME_PHRASE.finditer(cleaned))
    if not matches:
        return cleaned, None
    start, end = matches[0].start(), matches[0].end()
    for later in matches[1:]:  # "volgende week dinsdag": one time phrase
        if cleaned[end : later.start()].strip():
            break
        end = later.end()
    who = cleaned[:start] + " " + cleaned[end:]
    who = re.sub(r"\s+", " ", re.sub(r"\s*,\s*(?:,\s*)*", ", ", who)).strip(" ,;.")
    who = re.sub(r"^(?:en|,)\s+|\s+(?:en|,)$", "", who).strip(" ,;.")
    return who, cleaned[start:end]  # who "" when the answer only says when


# --- a slot value inside a question ("… in {country_of_origin}?") --------------------------
_NOT_IN_A_NAME = frozenset(
    """
    ik mij me mijn m'n je jij u uw hij zij ze we wij ons onze hun het is ben bent zijn was heb
    heeft hebben had kan kunt wil wilt moet ga gaat kom komt woon woont niet geen nee ja wel
    ook maar want dus omdat als dat die dit wat wie waar hoe alleen soms heel erg gezond ziek
    pijn weet weten denk vind goed slecht of en
""".split()
)


def looks_like_place(text: str) -> bool:
    """Whether an answer can stand in "… in {place}?": a few words, no sentence
    ("Fouta Djallon", "Kankan" yes; "ik ben gezond, alleen soms hoofdpijn" no)."""
    cleaned = clean(text).strip(" .!?")
    words = re.findall(r"[^\W\d_][\w'’-]*", cleaned)
    if not words or len(words) > 6 or re.search(r"[\d,;:!?]", cleaned):
        return False
    if any(fold(w) in _NOT_IN_A_NAME for w in words):
        return False
    # A name (a capital, or a word no Dutch word list has) or a word for a place.
    return any(w[:1].isupper() or not spelling.is_known(w) or fold(w) in _PLACE_WORDS for w in words)


_PLACE_WORDS = frozenset(
    """
    dorp stad stadje provincie regio streek buurt wijk hoofdstad platteland berg bergen grens
    kust eiland land gebied district vallei woestijn
""".split()
)

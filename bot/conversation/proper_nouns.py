"""Names the bot knows, so a quote keeps their capital ("U zegt: Conakry is …").

A reflection quotes the client inside the bot's own sentence ("U zegt: {words}."),
so the client's first word loses its sentence capital ("Mijn broer …" -> "uw broer
…") unless it is a name. Personal names are unknown; the known ones are the
places and countries the NLU already has (data/nlu/lookups.yml `city`,
data/nlu/countries.yml `country`, the country names and spellings of
``normalise``), and a short list below of other places, languages and
organisations clients name. Acronyms (IND, COA, DT&V) are told by their shape.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, Tuple

import yaml

from bot.conversation.normalise import country_aliases, fold

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
LOOKUP_FILES = (REPO_ROOT / "data" / "nlu" / "lookups.yml", REPO_ROOT / "data" / "nlu" / "countries.yml")
LOOKUPS = ("city", "country")

# Written with a capital in Dutch and not in the NLU lookups.
_OTHER_NAMES = (
    """
    Nederland Holland Europa Afrika Azië Amerika Midden-Oosten België Duitsland Frankrijk
    Engeland Groot-Brittannië Spanje Italië Griekenland Zweden Noorwegen Denemarken
    Zwitserland Oostenrijk Polen Portugal Ierland Canada Libanon Jordanië Israël Palestina
    Gaza Koeweit Qatar Dubai Saoedi-Arabië Kosovo Macedonië Noord-Macedonië Schengen
    Nederlands Engels Frans Duits Spaans Italiaans Portugees Arabisch Turks Koerdisch Perzisch
    Farsi Dari Pasjtoe Pashto Urdu Tigrinya Amhaars Somalisch Russisch Albanees Lingala Swahili
    Wolof Pular Fula Peul Soussou Susu Malinke Berbers Tamazight Oekraïens Georgisch Armeens
    Servisch Bosnisch Mongools Tamil Sinhala Hausa Yoruba Igbo Twi Krio
    God Allah Jezus Bijbel Koran Ramadan Islam Pasen Kerstmis
    Vluchtelingenwerk Nidos
""".split()
    + ["Rode Kruis", "Leger des Heils", "Maatwerk bij Terugkeer"]
)


def _lookup_names(paths: Iterable[Path]) -> Tuple[str, ...]:
    names = []
    for path in paths:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as error:  # the names of normalise still count
            logger.warning("proper nouns: cannot read %s: %s", path, error)
            continue
        for item in data.get("nlu") or []:
            if isinstance(item, dict) and item.get("lookup") in LOOKUPS:
                names += [
                    line.strip()[1:].strip()
                    for line in str(item.get("examples") or "").splitlines()
                    if line.strip().startswith("-")
                ]
    return tuple(n for n in names if n)


@lru_cache(maxsize=1)
def known_names() -> FrozenSet[str]:
    """Every known name, folded ("ter apel", "guinee", "sierra leone", "nederlands")."""
    names = list(_lookup_names(LOOKUP_FILES))
    for name, aliases in country_aliases().items():
        names.append(name)
        names += aliases
    names += _OTHER_NAMES
    return frozenset(fold(n) for n in names if fold(n))


# Words that are names but also ordinary Dutch words in lower case ("mali" no, "ter" yes).
_NOT_CAPITALISED = frozenset(
    {
        "ter",
        "de",
        "het",
        "een",
        "van",
        "bij",
        "in",
        "al",
        "god",
        "leger",
        "rode",
        "kruis",
        "heils",
        "des",
        "maatwerk",
        "terugkeer",
    }
)


@lru_cache(maxsize=1)
def display_names() -> Dict[str, str]:
    """Folded name -> how it is written ("guinee" -> "Guinee", "ter apel" -> "Ter Apel").

    Only names that are no ordinary Dutch word in lower case: "ter", "engels" (angels)
    or "god" stay as typed."""
    out: Dict[str, str] = {}
    names = list(_lookup_names(LOOKUP_FILES)) + list(country_aliases()) + _OTHER_NAMES
    for name in names:
        key = fold(name)
        if not key or key in _NOT_CAPITALISED or not name[:1].isupper() or key in out:
            continue
        if " " not in key and _common_word(key):
            continue
        out[key] = name
    return out


def _common_word(word: str) -> bool:
    """A name that is also a very common lower-case Dutch word ("ter", "zo"): left as typed.
    (wordfreq folds case, so a name as frequent as "nederland" would count too: the
    places below are names whatever their frequency.)"""
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - pinned in requirements.txt
        return False
    return word not in _KNOWN_PLACES and zipf_frequency(word, "nl") >= 5.0


_KNOWN_PLACES = frozenset(
    {
        "nederland",
        "holland",
        "europa",
        "afrika",
        "amerika",
        "amsterdam",
        "rotterdam",
        "duitsland",
        "frankrijk",
        "belgie",
        "engeland",
        "nederlands",
        "engels",
        "frans",
        "duits",
        "spaans",
        "turks",
        "arabisch",
    }
)


_LONGEST = 4  # words in the longest name ("Maatwerk bij Terugkeer", "Leger des Heils")
_WORDS = re.compile(r"[\w&'’-]+", re.UNICODE)


def starts_with_name(text: str) -> bool:
    """Whether ``text`` begins with a known name ("Ter Apel is ver", "Guinée, daar …")."""
    words = _WORDS.findall(text[:200])
    names = known_names()
    return any(fold(" ".join(words[:n])) in names for n in range(min(_LONGEST, len(words)), 0, -1))


# Names that are no person: apps, media, websites and brands clients name ("via WhatsApp",
# "TikTok en YouTube"). A reflection for people ("U geeft veel om {who}") must never get one.
_NOT_PEOPLE = frozenset(
    fold(n)
    for n in """
    WhatsApp TikTok YouTube Facebook Instagram Telegram Signal Imo Viber Snapchat Messenger
    Google Twitter Skype Zoom Netflix WeChat Botim Tinder Spotify Wikipedia Internet Radio
    Televisie TV BBC CNN Jazeera Aljazeera RFI DW Euronews NOS RTL Teletekst Nu.nl
    Samsung iPhone Apple Android Huawei Nokia Tecno Itel
    Maandag Dinsdag Woensdag Donderdag Vrijdag Zaterdag Zondag
    Januari Februari Maart April Mei Juni Juli Augustus September Oktober November December
    ISK MBO HBO ROC VMBO HAVO VWO AZC COA IND DTV IOM GGZ
    Jumbo Lidl Aldi Action Kruidvat Hema Primark Zara Dirk Plus Coop Spar Bol Marktplaats
""".split()
)
# Names of more words that are no person: shops, media ("Albert Heijn", "Al Jazeera").
NOT_PEOPLE_PHRASES = (
    "Albert Heijn",
    "Al Jazeera",
    "Burger King",
    "Voice of America",
    "BBC News",
    "Radio Okapi",
    "Google Translate",
    "Leger des Heils",
    "Rode Kruis",
)


def is_person_name(word: str) -> bool:
    """Whether a capitalised word can be a person's name ("Alpha", "Mina"): not a known
    place, country, language or organisation, not an app or medium ("WhatsApp", "TikTok",
    ``_NOT_PEOPLE``), no acronym shape ("ISK", "YouTube")."""
    folded = fold(word)
    if not folded or not word[:1].isupper() or is_acronym(word):
        return False
    return folded not in _NOT_PEOPLE and folded not in known_names()


def is_acronym(word: str) -> bool:
    """IND, COA, DT&V, GGZ, IOM - and words with a capital inside (WhatsApp, McDonald's)."""
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 2:
        return False
    return all(c.isupper() for c in letters) or any(c.isupper() for c in letters[1:])

"""The second reflection after an answer: what it seems to mean, or how it links up.

MI reflects more than it asks (docs/specs/conversation.md §0.5: two reflections per
question, half of them complex). After the word reflection ("U zegt: …",
simple) the bot adds one that goes a step further (complex): a meaning or a
feeling ("Dat weegt zwaar voor u."), both sides of the ambivalence in the
client's own words ("Aan de ene kant …, aan de andere kant …"), or what a
ruler score seems to say. This module picks the response; the wording lives in
domain.yml (``utter_deepen_*``), so trainers can change it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, Mapping, Optional

from bot.conversation import spelling
from bot.conversation.gist import _TRADES as TRADES, Gist, capital, gist, without_article
from bot.conversation.normalise import fold
from bot.conversation.questions import is_real_answer
from bot.conversation.proper_nouns import NOT_PEOPLE_PHRASES, is_person_name
from bot.conversation.reflection import (
    _names_capitalised,
    clean,
    client_words,
    indefinite_person,
    is_fragment,
    is_negative,
    looks_like_place,
    people,
    strip_frame,
    tidy,
)

logger = logging.getLogger(__name__)

# Open questions whose answer gets a second, complex reflection (utter_deepen_<slot>).
DEEPENED_SLOTS = (
    "life_here",
    "family_here",
    "family_origin",
    "safety_origin",
    "origin_future",
    "medication_names",
    "origin_care",
    "work_experience",
    "education",
    "talents",
    "info_sources",
    "worries",
    "hopes",
    "reasons_for",
    "reasons_against",
    "family_expectations",
    "what_would_change",
    "goal",
    "goal_needs",
    "children_school",
    "children_language",
)

# An earlier answer that the second reflection links to, when the client gave one:
# slot -> (earlier slot, response).
LINKED = {
    "hopes": ("worries", "utter_deepen_hopes_after_worries"),
    "reasons_against": ("reasons_for", "utter_deepen_reasons_against_after_for"),
}

RULERS = ("importance", "confidence")
# Options whose reflection gets a second one (undecided's own reflection is already complex).
DEEPENED_OPTIONS = ("return_with_support", "return_independently", "stay_in_netherlands", "onward_migration")
# Yes/no answers that carry more than the yes or no: (slot, answer).
DEEPENED_YES_NO = (("has_children", True),)
LINK_WORDS = 12  # a link quotes two answers: keep each short
LINKABLE_WORDS = 2  # fewer words than this ("nee", "slecht") are not quoted in a link

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


@dataclass(frozen=True)
class Utterance:
    response: str
    params: Dict[str, Any] = field(default_factory=dict)


# An answer that starts like this has no content to give a meaning to ("niks, ik wil hier
# blijven" to "what would help?"): "daar hangt veel van af" would put words in the mouth.
_NOTHING_STARTS = ("niks", "niets", "nothing", "rien", "geen idee", "no idea", "weet niet", "weet ik niet")


def _says_nothing(answer: str) -> bool:
    folded = fold(answer)
    return any(folded == start or folded.startswith(start + " ") for start in _NOTHING_STARTS)


# --- the first (word) reflection ------------------------------------------------------
# Slots whose word reflection ("U zegt: {words}.", "{words}: daar …") needs a clause: a bare
# one- or two-word answer gets utter_reflect_<slot>_short, where the words follow a frame
# that takes a noun ("Daar bent u goed in: auto's.").
SHORT_SLOTS = (
    "life_here",
    "family_here",
    "family_origin",
    "safety_origin",
    "reasons_for",
    "education",
    "origin_care",
    "talents",
    "work_experience",
    "children_school",
    "children_language",
)
# Slots with their own reflection of a plain no (utter_reflect_<slot>_nothing): "niet" to
# "via wie hoort u nieuws?" is "U hoort geen nieuws van thuis.", never "… via: niet."
NOTHING_SLOTS = (
    "info_sources",
    "worries",
    "hopes",
    "talents",
    "reasons_for",
    "reasons_against",
    "what_would_change",
    "goal_needs",
    "family_origin",
    "safety_origin",
    "family_expectations",
    "work_experience",
    "education",
)
# Where an answer that only names people gets a sentence about them (utter_reflect_<slot>_person
# for one, _people for more): "vrouw" -> "Uw vrouw is hier in Nederland bij u."
PEOPLE_SLOTS = ("family_here", "family_origin")


def first_reflection(slot: str, answer: str) -> Optional[Utterance]:
    """The word reflection of an open answer: the client's words in the slot's frame, or a
    sentence that fits a plain no, a list of people, or a bare fragment. None: no words."""
    if is_negative(answer):
        if slot in NOTHING_SLOTS:
            return Utterance(f"utter_reflect_{slot}_nothing")
        return Utterance("utter_reflect_plain_nothing")
    if slot in PEOPLE_SLOTS:
        named = people(answer)
        if named is not None:
            phrase, plural = named
            return Utterance(f"utter_reflect_{slot}_{'people' if plural else 'person'}", {"people": phrase})
    named = people(answer)
    # Only people, for another question: with "uw" they read as words ("… nu: uw vrouw.").
    words = named[0] if named is not None else client_words(strip_frame(slot, tidy(answer)))
    if not words:
        return None
    if slot in SHORT_SLOTS and is_fragment(words.rstrip(" …")):
        return Utterance(f"utter_reflect_{slot}_short", {"words": words})
    return Utterance(f"utter_reflect_{slot}", {"words": words})


# Words of worry and fear: a sentence with them tells a worry, whatever the NLU guessed.
_WORRY_WORDS = (
    r"\bbang\b",
    r"\bzorgen?\b",
    r"\bongerust\b",
    r"\bik vrees\b",
    r"\bafraid\b",
    r"\bworried\b",
    r"\bpeur\b",
    r"\bwat als\b",
)
WORRY_QUESTION_SLOTS = ("worries",)


def tells_a_worry(slot: Optional[str], text: str) -> bool:
    """Whether a message the NLU took for pushback tells a worry: the answer to "waar maakt u
    zich zorgen over?" (its content is the worry: "dat ik terug moet naar een land dat ik niet
    ken"), or a sentence with a word of worry. A worry is reflected as a worry; pushback on the
    questions themselves ("waarom steeds deze vraag") is told by its own words before this."""
    cleaned = tidy(text)
    if not cleaned or is_negative(cleaned):
        return False
    if slot in WORRY_QUESTION_SLOTS and len(cleaned.split()) >= 2:
        return True
    return any(re.search(p, fold(cleaned)) for p in _WORRY_WORDS)


# "Weet ik niet. Ik ken daar niemand.": not knowing, and why. The reason is no answer to the
# question (the slot stays "weet ik niet") but it is given back, in full Dutch: the client
# does not know because he knows nobody there, was young when he left, has no contact …
_DONT_KNOW_LEAD = re.compile(
    r"^\s*(?:(?:nee|ja|eh|hmm|sorry)[,.]?\s+)?(?:dat\s+)?(?:ik\s+)?(?:weet|wee|wet)\s+(?:ik\s+)?"
    r"(?:het\s+|dat\s+)?(?:nog\s+|echt\s+|ook\s+)?(?:niet|nie)\b(?:\s+(?:goed|precies|zo))?"
    r"\s*[.!,;:]*\s*(?:want|omdat|,)?\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
_NOT_KNOWING_REASONS = (
    r"\bik ken (?:\w+ ){0,3}(?:niemand|niets|niks|geen)\b",
    r"\bik ken (?:\w+ ){0,3}niet(?: meer| goed)?\b",
    r"\bik heb (?:daar |er |daar nu )?(?:niemand|geen (?:familie|contact|mensen|vrienden))\b",
    r"\b(?:geen|nooit) contact\b",
    r"\bik (?:ben|was) (?:er|daar) (?:al |heel )?(?:lang|jaren|nooit)\b",
    r"\bik (?:was|ben) (?:nog |heel )?(?:jong|klein|een kind|kind|\d+)\b",
    r"\b(?:lang|jaren|heel lang) geleden\b",
    r"\bniemand (?:vertelt|zegt|belt)\b",
    r"\bik weet niet (?:hoe|wat|of|waar|wie)\b",
    r"\bhet is (?:daar |er )?(?:nu )?(?:veel |alles )?veranderd\b",
)


def dont_know_reason(answer: str) -> Optional[str]:
    """The reason beside a "weet ik niet" ("Weet ik niet. Ik ken daar niemand." -> "ik ken
    daar niemand"), in the client's words; None when the answer is no "weet ik niet" with a
    reason for not knowing ("weet niet, geld" names an answer: that is no reason)."""
    match = _DONT_KNOW_LEAD.match(tidy(answer))
    if not match:
        return None
    rest = match.group("rest").strip(" .,;:!")
    folded = fold(rest)
    if not rest or len(rest.split()) > 14 or not any(re.search(p, folded) for p in _NOT_KNOWING_REASONS):
        return None
    return rest


def dont_know_because(answer: str) -> Optional[Utterance]:
    """'U kent daar niemand. Dan is dat moeilijk te weten.' after "weet ik niet" with its reason."""
    reason = dont_know_reason(answer)
    words = client_words(reason) if reason else ""
    return Utterance("utter_reflect_dont_know_because", {"words": words}) if words else None


def country_reflection(answer: str) -> Optional[Utterance]:
    """A country the bot does not know by name, given back: a place as "U komt uit Fouta
    Djallon.", a sentence as the client's words ("U zegt: u komt uit een klein dorp."), and
    a word that names no place ("goed", "nee") as no country named."""
    if looks_like_place(answer):
        place = re.sub(r"^(?:uit|van|from|de)\s+", "", clean(answer).strip(" .!?"), flags=re.IGNORECASE)
        first = place.split()[0] if place.split() else ""
        if first and first.islower() and not spelling.is_known(first):
            place = place[:1].upper() + place[1:]  # "kankan" -> "Kankan": a name
        return Utterance("utter_reflect_country_unknown_place", {"words": place}) if place else None
    words = client_words(answer)
    if not words:
        return None
    if is_negative(answer) or is_fragment(words):
        return Utterance("utter_reflect_country_not_named")
    return Utterance("utter_reflect_country_unknown_name", {"words": words})


def option_unclear(answer: str) -> Utterance:
    """Which option the client means is not clear: their words back (not a bare "nee")."""
    words = "" if is_negative(answer) else client_words(answer)
    if words:
        return Utterance("utter_reflect_option_unclear", {"words": words})
    return Utterance("utter_reflect_option_unclear_plain")


# --- what the answer carries -----------------------------------------------------------
# Grief, fear and shame: no line of ours after them (the safety policy's empathic lines
# take over where they are needed; a stock meaning would sound deaf). Word starts, folded.
HEAVY_WORDS = (
    "verdriet",
    "huil",
    "bang",
    "angst",
    "eng ",
    "schaam",
    "schande",
    "overleden",
    "overlijd",
    "gestorven",
    "sterf",
    "stierf",
    "dood",
    "vermoord",
    "vermist",
    "kwijt",
    "rouw",
    "mis ",
    "mist ",
    "missen",
    "eenzaam",
    "depress",
    "wanhoop",
    "wanhopig",
    "trauma",
    "nachtmerrie",
    "bedreig",
    "geweld",
    "verkracht",
    "martel",
    "gevangen",
    "oorlog",
    "niet meer leven",
    "geen zin",
    "pijn in mijn hart",
    "hartzeer",
    "heimwee",
    "zelfmoord",
    "weet niet of hij leeft",
    "weet niet of ze leeft",
    "sad",
    "afraid",
    "scared",
    "ashamed",
    "peur",
    "honte",
    "triste",
)
HARD_WORDS = (
    "moeilijk",
    "zwaar",
    "lastig",
    "saai",
    "stress",
    "moe ",
    "slecht",
    "niet goed",
    "niet makkelijk",
    "problem",
    "zorgen",
    "difficult",
    "hard ",
    "dur ",
)
WISH_WORDS = (
    "wil ",
    "wilt ",
    "willen",
    "hoop",
    "graag",
    "droom",
    "wens",
    "liefst",
    "zou ",
    "want ",
    "wish",
    "hope",
    "veux",
    "voudrais",
    "espere",
)
SUBSTANTIVE_WORDS = 3  # fewer words than this carry too little for a meaning of ours


def _has(folded: str, stems) -> bool:
    padded = f" {folded} "
    return any(f" {stem}" in padded for stem in stems)


def carries_heavy_feeling(answer: str) -> bool:
    """Grief, fear or shame in the words, or a signal the safety layer flags."""
    if _has(fold(answer), HEAVY_WORDS):
        return True
    try:
        from bot.safety import detect

        return bool(detect(answer).flag)
    except Exception as error:  # noqa: BLE001 - a reflection must never break the talk
        logger.warning("second reflection: safety check failed: %s", error)
        return False


def after_answer(
    slot: str, answer: str, slot_values: Mapping[str, Any], flagged: bool = False
) -> Optional[Utterance]:
    """The complex reflection that follows the word reflection of ``answer``, or None.

    Chosen by what was said: an earlier answer it links to, people named, a wish, or a
    hard time; the slot's own meaning only for an answer of some substance. Nothing after
    grief, fear or shame or a safety signal (``flagged``), after a plain no, or when
    nothing fits: a simple reflection alone is better than a wrong one."""
    if slot not in DEEPENED_SLOTS or _says_nothing(answer) or is_negative(answer):
        return None
    if flagged or carries_heavy_feeling(answer):
        return None
    text = tidy(answer)
    folded = fold(text)
    hard = _has(folded, HARD_WORDS)
    linked = LINKED.get(slot)
    if linked:
        earlier_slot, response = linked
        earlier = slot_values.get(earlier_slot)
        if is_real_answer(earlier) and not is_negative(str(earlier)):
            earlier_words = client_words(strip_frame(earlier_slot, str(earlier)), LINK_WORDS)
            words = client_words(answer, LINK_WORDS)
            if earlier_words and words and not carries_heavy_feeling(str(earlier)):
                return Utterance(response, {"earlier": earlier_words, "words": words})
    if slot == "life_here" and hard:
        said_hard = [w for w in _LIFE_HARD if _has(folded, (w,))]
        if said_hard:  # "het is hier saai en moeilijk": the client's own words for it
            return Utterance("utter_deepen_life_here_hard", {"words": " en ".join(said_hard[:2])})
    found = people_as_told(gist(names_of_people_only(text), here=slot in HERE_SLOTS), text)
    if found is not None and found.who and _has(folded, ("geen", "niet", "nooit", "niemand")):
        return None  # "ik heb geen contact met mijn familie daar": no "U geeft veel om …"
    if found is not None and not found.who and len(folded.split()) < SUBSTANTIVE_WORDS:
        return None  # "geld", "auto": a bare thing carries too little for a meaning of ours
    return about(slot, found, hard=hard)


_CAPITALISED = re.compile(r"(?<![\w'’-])([A-Z][\w'’&.-]*)")
_PLACE_BEFORE = ("in", "uit", "naar", "van", "ter", "den", "bij")


def names_of_people_only(text: str) -> str:
    """The answer with capitalised words that name no person in lower case ("via WhatsApp met
    mijn broer" -> "via whatsapp met mijn broer"), so only people are taken for people: a
    reflection made for a person ("U geeft veel om {who}.") never gets an app, a medium or
    a language. Places after "in", "uit" … keep their capital (they say where people are)."""

    def fix(match: "re.Match[str]") -> str:
        word = match.group(1)
        before = text[: match.start()].split()
        if before and fold(before[-1]) in _PLACE_BEFORE:
            return word
        return word if is_person_name(word.rstrip(".")) else word.lower()

    text = text or ""
    for phrase in NOT_PEOPLE_PHRASES:  # "bij Albert Heijn": a shop, not two people
        text = re.sub(
            rf"(?<![\w'’-]){re.escape(phrase)}(?![\w'’-])", phrase.lower(), text, flags=re.IGNORECASE
        )
    return _CAPITALISED.sub(fix, text)


def people_as_told(found: Optional[Gist], text: str) -> Optional[Gist]:
    """The people of ``found`` as the client named them: "een vrouw van de kerk" is not
    "uw vrouw" (a woman, not a wife). A person named only with "een" keeps the client's
    phrase; beside the client's own people ("mijn zus en een vriendin") only the own ones."""
    if found is not None and found.thing:  # a name lowered above keeps its capital ("goed Nederlands")
        found = Gist(
            who=found.who, plural=found.plural, place=found.place, thing=_names_capitalised(found.thing)
        )
    if found is None or not found.who or not found.who.startswith("uw "):
        return found
    told = indefinite_person(text)
    if told is None:
        return found
    noun = fold(told).split()[1] if len(told.split()) > 1 else ""
    relatives = found.who[len("uw ") :].split(" en ")
    if noun not in relatives:
        return found
    own = [r for r in relatives if r != noun]
    if not own:
        return Gist(who=told, plural=False, place=found.place)
    return Gist(
        who="uw " + " en ".join(own), plural=len(own) > 1 or found.plural and len(own) > 1, place=found.place
    )


# Slots whose answer names something the client needs, finds hard, or is good at.
NEED_SLOTS = ("goal_needs",)
HARD_THING_SLOTS = ("worries", "reasons_against", "family_expectations")
STRENGTH_SLOTS = ("work_experience", "talents", "education")
HERE_SLOTS = ("family_here", "life_here")
# Slots whose answer is something the client wishes for: only there "{Thing}: daar hoopt u op".
WISH_SLOTS = ("hopes", "goal", "origin_future", "what_would_change", "reasons_for")


_HEALTH_THINGS = (
    "suikerziekte",
    "diabetes",
    "hoofdpijn",
    "rugpijn",
    "astma",
    "insuline",
    "paracetamol",
    "medicijnen",
    "pillen",
)
_LIFE_HARD = ("saai", "moeilijk", "zwaar", "lastig", "eenzaam", "druk", "onrustig", "slecht")


def about(slot: str, found: Optional[Gist], hard: bool = False) -> Optional[Utterance]:
    """The complex reflection that names what the answer is about (``gist``), or None: a
    second reflection without the client's own words would be a stock line."""
    if found is None:
        return None
    if found.who and slot in HARD_THING_SLOTS:
        who = capital(found.who_place)
        return Utterance("utter_deepen_thing_hard", {"Thing": who, "bare": who})
    if found.who:
        number = "many" if found.plural else "one"
        if slot in HERE_SLOTS:
            return Utterance(
                f"utter_deepen_people_here_{number}", {"Who": capital(found.who), "who": found.who}
            )
        who = found.who_place
        return Utterance(f"utter_deepen_people_{number}", {"Who": capital(who), "who": who})
    if slot in CUE_ONLY_SLOTS or slot == "info_sources" or slot == "safety_origin" and not found.place:
        return None  # "ik zit op school en ik voetbal": the word reflection says it
    if found.place and slot == "safety_origin":
        return Utterance("utter_deepen_place_safety", {"place": found.place})
    if found.thing:
        if found.thing in TRADES:
            return (
                Utterance("utter_deepen_trade_strength", {"thing": found.thing})
                if slot in STRENGTH_SLOTS
                else None
            )
        params = {"Thing": capital(found.thing), "bare": without_article(found.thing)}
        health = fold(without_article(found.thing)) in _HEALTH_THINGS
        if slot == "origin_care" and health and not hard:
            # a medicine or illness is no name: "Dat u insuline blijft krijgen" in lower case
            return Utterance("utter_deepen_thing_care", {"bare": without_article(found.thing).lower()})
        if slot == "medication_names" and health:
            return Utterance("utter_deepen_thing_medicine", {"bare": without_article(found.thing).lower()})
        if slot == "family_expectations":
            return Utterance("utter_deepen_thing_expected", {"bare": without_article(found.thing)})
        if slot in NEED_SLOTS:
            return Utterance("utter_deepen_thing_need", params)
        if slot in HARD_THING_SLOTS or (hard and slot not in STRENGTH_SLOTS):
            return Utterance("utter_deepen_thing_hard", params)
        if slot in STRENGTH_SLOTS:
            return Utterance("utter_deepen_thing_strength", params)
        if slot in WISH_SLOTS:
            return Utterance("utter_deepen_thing_wish", params)
        # What the client has, uses or knows ("insuline", "een paspoort") is no hope of theirs.
        return Utterance("utter_deepen_thing_important", params)
    if found.place and slot == "safety_origin":
        return Utterance("utter_deepen_place_safety", {"place": found.place})
    return None


# Slots whose own meaning line fits only a cue in the answer (people, a hard time, a wish).
CUE_ONLY_SLOTS = ("life_here", "family_here", "family_origin")
# Slots whose own line already speaks of a hard time ("Dat weegt zwaar voor u.").
HARD_SLOTS = ("worries", "reasons_against", "family_expectations", "life_here")
_PEOPLE_STEMS = (
    "moeder",
    "vader",
    "broer",
    "zus",
    "vrouw",
    "man ",
    "kind",
    "zoon",
    "dochter",
    "ouders",
    "familie",
    "gezin",
    "vriend",
    "oom",
    "tante",
    "neef",
    "nicht",
    "opa",
    "oma",
)


def after_option(option: str) -> Optional[Utterance]:
    """What the option the client named seems to mean to them (never a judgement of it)."""
    return Utterance(f"utter_deepen_option_{option}") if option in DEEPENED_OPTIONS else None


def after_yes_no(slot: str, answer: bool) -> Optional[Utterance]:
    if (slot, answer) not in DEEPENED_YES_NO:
        return None
    return Utterance(f"utter_deepen_{slot}_{'yes' if answer else 'no'}")


def ruler_band(score: int) -> str:
    if score <= 0:
        return "zero"
    if score <= 3:
        return "low"
    if score <= 6:
        return "middle"
    return "high"


def after_ruler(slot: str, score: int) -> Optional[Utterance]:
    """What a 0–10 score seems to say ("het is geen nul"), for importance and confidence."""
    if slot not in RULERS:
        return None
    return Utterance(f"utter_deepen_{slot}_{ruler_band(score)}")


def after_direction(direction: str, explanation: Any) -> Optional[Utterance]:
    """'Moeilijker'/'makkelijker' linked to the client's words for the factor."""
    if direction not in ("harder", "easier") or not is_real_answer(explanation):
        return None
    words = client_words(str(explanation))
    if len(words.split()) < LINKABLE_WORDS:
        # "Dus nee: dat maakt het moeilijker" reads as nonsense: the choice alone, given back.
        return Utterance(f"utter_reflect_direction_{direction}_plain")
    return Utterance(f"utter_reflect_direction_{direction}", {"words": words})


def dutch_date(day: date, today: date) -> str:
    """ "7 december"; with the year when it is not this year ("3 maart 2027")."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def after_step_when(when: str, due: Optional[date], today: date) -> Optional[Utterance]:
    """'Wanneer: over twee weken. Dat is rond 7 december.' (the date as the plan has it)."""
    if is_negative(when):
        return None
    words = client_words(when)
    if not words:
        return None
    if due is not None:
        return Utterance("utter_reflect_step_when_date", {"words": words, "date": dutch_date(due, today)})
    return Utterance("utter_reflect_step_when", {"words": words})


def step_what(answer: str) -> Optional[Utterance]:
    """'Als eerste stap: een paspoort aanvragen.' (a plain no is no step to give back)."""
    words = "" if is_negative(answer) else client_words(answer)
    return Utterance("utter_reflect_step_what", {"words": words}) if words else None


def after_step_what(goal: Any) -> Optional[Utterance]:
    """A step linked to the goal the client set in kiezen, in the client's words."""
    if not is_real_answer(goal) or is_negative(str(goal)):
        return None
    words = client_words(strip_frame("goal", str(goal)), LINK_WORDS)
    return Utterance("utter_deepen_step_what_goal", {"goal": words}) if words else None


def after_step_who(who: str) -> Optional[Utterance]:
    if is_negative(who):
        return None
    words = client_words(who)
    return Utterance("utter_reflect_step_who", {"words": words}) if words else None

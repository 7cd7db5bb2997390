"""Listening across the whole talk: what a client message carries, whatever was asked.

A client answers the question in front of them and often tells more: "ik kom uit
Guinee, mijn moeder en mijn zus wonen in Conakry, ik heb een paspoort nodig". This
module reads any message for the facts the plan has a place for — country of origin,
family and where they are, children, health, work, school, skills, worries, hopes,
practical needs — and names the question each fact settles, so the forms do not ask
what the client already said. Pure keyword work, no Rasa: ``hear(text)`` returns
``Fact`` objects; the actions write them with the message id.

A fact is ``sure`` when the words say it plainly ("ik kom uit Guinee"); an unsure
one ("in Guinee was het zwaar") is checked with the client in one line before it
settles a question. Nothing is guessed beyond the client's words: the values are
the client's own clause, cleaned of asides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Tuple

from bot.conversation.normalise import (
    _has_any,
    _has_phrase,
    country,
    experience_place,
    fold,
    supporter_category,
)

# Fact kinds (Fact.kind).
COUNTRY = "country"
FAMILY_THERE = "family_there"
FAMILY_HERE = "family_here"
FAMILY_MISSING = "family_missing"
CHILDREN = "children"
PHYSICAL = "physical"
MENTAL = "mental"
MEDICATION = "medication"
WORK = "work"
SCHOOL = "school"
SKILL = "skill"
WORRY = "worry"
HOPE = "hope"
NEED = "need"
RESIDENCE = "residence"  # no residence papers: the client's legal position here, not a passport
NO_RETURN = "no_return"

# Where the facts that have no field of their own go: the note of §10 (practical
# matters), read by the counsellor; each line names what it is about.
NOTES_PATH = "sections.practical_matters.note"


@dataclass(frozen=True)
class Fact:
    kind: str
    value: Any  # bool for yes/no facts, a country name, or the client's clause
    words: str  # the clause it was heard in (for the counsellor and the reflection)
    sure: bool = True
    detail: Dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> str:
        """One key per fact, so the same fact told twice is written once."""
        return f"{self.kind}:{fold(str(self.value))}"


# --- words ---------------------------------------------------------------------------
_RELATIVES = {
    "moeder": "moeder",
    "mama": "moeder",
    "mam": "moeder",
    "vader": "vader",
    "papa": "vader",
    "broer": "broer",
    "broers": "broers",
    "broertje": "broer",
    "zus": "zus",
    "zussen": "zussen",
    "zusje": "zus",
    "zuster": "zus",
    "ouders": "ouders",
    "oma": "oma",
    "opa": "opa",
    "oom": "oom",
    "tante": "tante",
    "neef": "neef",
    "nicht": "nicht",
    "familie": "familie",
    "vrouw": "vrouw",
    "man": "man",
    "echtgenoot": "man",
    "echtgenote": "vrouw",
    "grootmoeder": "oma",
    "grootvader": "opa",
    "verloofde": "verloofde",
    "mother": "moeder",
    "father": "vader",
    "brother": "broer",
    "sister": "zus",
    "wife": "vrouw",
    "husband": "man",
    "mere": "moeder",
    "pere": "vader",
    "frere": "broer",
    "soeur": "zus",
}
_CHILD_WORDS = (
    "kinderen",
    "kind",
    "kindje",
    "kids",
    "children",
    "enfants",
    "dochter",
    "dochters",
    "daughter",
    "daughters",
    "zoon",
    "zonen",
    "zoontje",
    "son",
    "sons",
    "fils",
    "fille",
    "filles",
    "baby",
    "meisjes",
    "jongens",
)
_MISSING = (
    "vermist",
    "verdwenen",
    "kwijt",
    "weet niet waar",
    "weet ik niet waar",
    "gevangen",
    "in de gevangenis",
    "ontvoerd",
    "missing",
    "disparu",
)
_DEAD = ("dood", "overleden", "gestorven", "vermoord", "gedood", "died", "dead", "mort", "morte")
_NEGATION = ("geen", "niet", "nooit", "no", "pas de", "zonder")
_HERE = ("hier", "in nederland", "bij mij", "met mij", "in het azc", "in azc", "in holland")
_THERE_WORDS = ("daar", "in mijn land", "thuis", "in afrika", "back home", "au pays")
_PLACE_VERBS = (
    "woont",
    "wonen",
    "woon",
    "is",
    "zijn",
    "zit",
    "zitten",
    "leeft",
    "leven",
    "blijft",
    "blijven",
    "live",
    "lives",
    "habite",
    "habitent",
)

_PHYSICAL = (
    "pijn",
    "hoofdpijn",
    "rugpijn",
    "buikpijn",
    "ziek",
    "suikerziekte",
    "diabetes",
    "suiker",
    "hartklachten",
    "hart",
    "astma",
    "bloeddruk",
    "hiv",
    "hepatitis",
    "tbc",
    "epilepsie",
    "kanker",
    "nieren",
    "mijn been",
    "mijn knie",
    "mijn rug",
    "mijn hoofd",
    "gewond",
    "operatie",
    "zwanger",
    "pain",
    "sick",
    "douleur",
    "malade",
)
_MENTAL = (
    "slaap slecht",
    "slecht slapen",
    "slecht geslapen",
    "niet slapen",
    "kan niet slapen",
    "nachtmerrie",
    "nachtmerries",
    "stress",
    "piekeren",
    "pieker",
    "depressie",
    "depressief",
    "trauma",
    "psycholoog",
    "psychiater",
    "angstig",
    "paniek",
    "verdrietig",
    "veel verdriet",
    "somber",
    "cannot sleep",
    "can t sleep",
    "dors mal",
)
_MEDICATION = (
    "medicijn",
    "medicijnen",
    "medicatie",
    "pillen",
    "pil",
    "insuline",
    "tabletten",
    "medicine",
    "medication",
    "medicaments",
)
_HEALTHY = (
    "ik ben gezond",
    "geen klachten",
    "gezond",
    "niks mis",
    "niets mis",
    "geen pijn",
    "i am healthy",
    "en bonne sante",
)

_WORK_PAST = (
    r"\bik (had|heb|hadden) ((\w+ ){0,3}jaar |lang |vroeger |thuis )?(een|mijn eigen|een eigen) (winkel|zaak|bedrijf|restaurant|"
    r"garage|kapsalon|boerderij|stal|kraam)",
    r"\b(ik )?werkte\b",
    r"\bik heb (\w+ )*gewerkt\b",
    r"\bik was (een )?(kapper|monteur|"
    r"leraar|lerares|chauffeur|boer|timmerman|metselaar|kok|verkoper|elektricien|naaister|"
    r"verpleegster|verpleger|schilder|bakker|slager|lasser|loodgieter|taxichauffeur|"
    r"handelaar|koopman|soldaat|student)\b",
    r"\bik ben (een )?(kapper|monteur|leraar|lerares|chauffeur|boer|timmerman|metselaar|"
    r"kok|elektricien|naaister|schilder|bakker|lasser|loodgieter|handelaar)\b",
    r"\bmijn (werk|beroep|vak) (was|is)\b",
    r"\bi worked\b",
    r"\bj ai travaille\b",
)
_SCHOOL = (
    r"\bik (heb|had) (\w+ ){0,4}(school|opleiding|universiteit|studie|diploma)\b",
    r"\bik (ging|ben) (\w+ ){0,3}naar school\b",
    r"\bik (heb )?(ge)?studeer(d|de)\b",
    r"\bik studeerde\b",
    r"\b(lagere|middelbare|koranschool|basisschool|universiteit)\b",
)
_SKILL = (
    r"\bik kan (heel |erg |best )?goed \w+",
    r"\bik ben (heel |erg )?goed (in|met) \w+",
    r"\bik kan (\w+ ){0,2}(koken|naaien|repareren|rijden|lassen|bouwen|rekenen|verkopen|"
    r"knippen|timmeren|schilderen|tekenen|voetballen)\b",
)
_WORRY = (
    r"\bik ben bang\b",
    r"\bik maak me (\w+ )?zorgen\b",
    r"\bzorgen (over|om)\b",
    r"\bik vrees\b",
    r"\bik ben ongerust\b",
    r"\bbang (dat|voor|om)\b",
    r"\bi am afraid\b",
    r"\bj ai peur\b",
)
_HOPE = (
    r"\bik hoop\b",
    r"\bmijn droom\b",
    r"\bik droom\b",
    r"\bik zou graag\b",
    r"\bik wil (graag |later |weer |ooit )*(een|mijn|weer|naar school|studeren|werken|"
    r"trouwen|leren|verder|bij mijn|terug naar mijn|samen)\b",
    r"\bik ga (een|weer een) (winkel|zaak|bedrijf)\b",
    r"\bi hope\b",
    r"\bj espere\b",
)
_NOT_HOPE = ("niet", "praten", "mens", "begeleider", "stoppen", "weten", "vraag", "terug naar de vorige")

# Practical needs: the thing, and words that make it a need (not a passing mention).
_TRAVEL_DOCUMENTS = (
    "paspoort",
    "pasport",
    "passport",
    "passeport",
    "laissez passer",
    "laissez-passer",
    "laisser passer",
    "reisdocument",
    "id kaart",
    "identiteitskaart",
)
_NEEDS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("paspoort of reisdocument", _TRAVEL_DOCUMENTS),
    ("geld", ("geld", "schuld", "schulden", "money", "argent", "lening")),
    ("wonen", ("huis", "woning", "onderdak", "slaapplek", "dak boven", "house", "maison")),
    ("medicijnen", _MEDICATION),
)
_NEED_MARKERS = (
    "nodig",
    "geen",
    "kwijt",
    "zoek",
    "moet",
    "regelen",
    "aanvragen",
    "krijgen",
    "heb ik niet",
    "niet meer",
    "is weg",
    "zijn op",
    "is op",
    "bijna op",
    "need",
    "besoin",
    "te weinig",
    "tekort",
    "schuld",
    "schulden",
    "lening",
    "verloren",
)
# "Geen papieren" in this talk means no residence papers (no permit to stay, to work, to rent):
# the client's position here. Papers are a travel document only where the words say travel.
_PAPERS = ("papieren", "papiere", "papier", "papers", "papiers")
_RESIDENCE = (
    "verblijfsvergunning",
    "verblijfspapieren",
    "verblijfsstatus",
    "verblijfspas",
    "vergunning",
    "residence permit",
    "titre de sejour",
)
_TRAVEL_CONTEXT = (
    "reis",
    "reizen",
    "reist",
    "terug te gaan",
    "terugreis",
    "terugkeer",
    "ambassade",
    "embassy",
    "vliegen",
    "vliegtuig",
    "ticket",
    "grens",
    "travel",
    "voyage",
)
_NO_PAPERS = (
    "geen",
    "zonder",
    "afgewezen",
    "niet",
    "nog niet",
    "wacht",
    "wachten",
    "kwijt",
    "without",
    "no",
    "sans",
    "pas de",
)
_NO_RETURN = (
    "ik ga niet terug",
    "ik wil niet terug",
    "ik ga nooit terug",
    "nooit terug",
    "ik blijf hier",
    "ik blijf in nederland",
    "ik denk niet aan teruggaan",
    "niet terug naar",
    "ik kan niet terug",
    "ik keer niet terug",
    "i will not go back",
    "je ne rentre pas",
)

_ASIDES = re.compile(
    r"\b(dat (zei|heb) ik (al|toch)( gezegd)?|dat heb je al gevraagd|waarom (vraag|vraagt|steeds)[^,.;!?]*)",
    re.IGNORECASE,
)


def clauses(text: str) -> List[str]:
    """The message cut into clauses (sentences, then commas and ';'), asides dropped."""
    text = _ASIDES.sub(" ", text or "")
    parts = re.split(r"[.!?;]+|,\s*(?=\w)|\s+(?:maar|en ook|want)\s+", text)
    return [" ".join(p.split()) for p in parts if p and p.strip(" ,")]


def _clean(clause: str) -> str:
    """The clause as the plan keeps it: no leading "en"/"ja"/"nee", no trailing punctuation."""
    words = clause.strip(" ,.;:!?").split()
    while words and fold(words[0]) in ("en", "ja", "nee", "ok", "oke", "nou", "ehm", "eh", "dus"):
        words = words[1:]
    return " ".join(words)


# Places in the Netherlands clients name ("mijn zus woont in Den Haag" is family here).
_NL_PLACES = (
    "nederland",
    "holland",
    "amsterdam",
    "rotterdam",
    "den haag",
    "utrecht",
    "eindhoven",
    "groningen",
    "tilburg",
    "almere",
    "breda",
    "nijmegen",
    "apeldoorn",
    "haarlem",
    "arnhem",
    "zaandam",
    "amersfoort",
    "enschede",
    "zwolle",
    "leiden",
    "maastricht",
    "dordrecht",
    "ter apel",
    "budel",
    "gilze",
    "katwijk",
    "den bosch",
    "delft",
    "venlo",
    "leeuwarden",
    "emmen",
    "assen",
    "heerlen",
    "deventer",
    "alkmaar",
    "hoofddorp",
    "schiphol",
    "zeist",
)


def _place(clause: str) -> Optional[str]:
    """ "in Conakry", "in Guinee": the capitalised place after "in" (as typed), or a country;
    a place in the Netherlands is not "there"."""
    match = re.search(r"\b[Ii]n ((?:[Dd]en |[Tt]er )?[A-Z][\w'-]+(?: [A-Z][\w'-]+)?)", clause)
    if match:
        return None if fold(match.group(1)) in _NL_PLACES else match.group(1)
    named = country(clause)
    return named if named and named != "Nederland" else None


def _relatives(folded: str) -> List[str]:
    found: List[str] = []
    for word in folded.split():
        relative = _RELATIVES.get(word)
        if relative and relative not in found:
            found.append(relative)
    return found


def _any_re(patterns, folded: str) -> bool:
    return any(re.search(p, folded) for p in patterns)


# --- the facts -----------------------------------------------------------------------
_ORIGIN_VERBS = re.compile(
    r"\b(kom|komen|kwam|kwamen|ben|zijn|afkomstig|vandaan|origine|come|am|viens|suis)\b"
)


def _country_fact(clause: str, folded: str) -> Optional[Fact]:
    """ "Ik kom uit Guinee" (sure), "in Guinee was het zwaar" (unsure), "naar Duitsland" (none)."""
    from bot.conversation.normalise import _COUNTRY_BY_ALIAS, _COUNTRY_PATTERN

    for match in _COUNTRY_PATTERN.finditer(folded):
        named = _COUNTRY_BY_ALIAS[match.group(1)]
        if named == "Nederland":
            continue
        before = folded[: match.start()].split()
        last = before[-1] if before else ""
        if last in ("naar", "via", "to", "door", "richting", "vers") or (
            len(before) > 1 and before[-2] in ("naar", "via") and last in ("het", "de")
        ):
            continue  # a destination or a route, not where the client is from
        head = " ".join(before)
        sure = (
            (last in ("uit", "from", "van", "de", "du") and bool(_ORIGIN_VERBS.search(head)))
            or bool(re.search(r"\b(geboren|opgegroeid|born) in$", head))
            or bool(re.search(r"\bmijn (land|thuisland|vaderland)( is)?$", head))
            or head.endswith("ik kom uit")
            or head.endswith("kom uit")
        )
        return Fact(COUNTRY, named, _clean(clause), sure=sure)
    return None


def _family_facts(clause: str, folded: str) -> List[Fact]:
    relatives = _relatives(folded)
    if not relatives or _has_any(folded, ("vriend",)) and not relatives:
        return []
    if re.search(r"\b(geen|zonder|nooit)\b", folded) and not _has_phrase(folded, _MISSING + _DEAD):
        return []
    who = " en ".join(relatives)
    if _has_phrase(folded, _MISSING):
        return [Fact(FAMILY_MISSING, who, _clean(clause))]
    if _has_phrase(folded, _DEAD):
        return []  # grief is for the empathic lines and the transcript, not a plan item
    if _has_phrase(folded, _HERE + _NL_PLACES):
        return [Fact(FAMILY_HERE, who, _clean(clause))]
    place = _place(clause)
    if place or _has_phrase(folded, _THERE_WORDS):
        if _has_phrase(folded, _PLACE_VERBS) or place:
            return [Fact(FAMILY_THERE, who, _clean(clause), detail={"place": place})]
    return []


def _children_fact(clause: str, folded: str) -> Optional[Fact]:
    if not _has_phrase(folded, _CHILD_WORDS):
        return None
    if _has_phrase(folded, ("geen kinderen", "geen kind", "no children", "pas d enfants", "nee geen")):
        return Fact(CHILDREN, False, _clean(clause))
    if _has_phrase(folded, _MISSING + _DEAD + ("daar", "in mijn land", "thuis")) or _place(clause):
        return None  # children there, lost or missing: the question is still the client's to answer
    if re.search(r"\b(als|wil|wil graag|later|ooit|hoop)\b", folded) and not re.search(
        r"\b(mijn|twee|drie|vier|vijf|onze|heb|hebben)\b", folded
    ):
        return None  # a wish for children, not children
    return Fact(CHILDREN, True, _clean(clause))


def _health_facts(clause: str, folded: str) -> List[Fact]:
    facts: List[Fact] = []
    if _relatives(folded) and not re.search(
        r"\b(ik|me|mij|mijn (hoofd|rug|buik|been|knie|hart|lichaam))\b", folded
    ):
        return facts  # "mijn moeder is ziek": not the client's own health

    def negated(words: Iterable[str]) -> bool:
        alternatives = "|".join(re.escape(w) for w in words)
        return bool(re.search(r"\b(geen|niet|nooit|no)\b(\s+\w+){0,2}\s+(" + alternatives + r")", folded))

    if _has_phrase(folded, _PHYSICAL) and not negated(_PHYSICAL):
        facts.append(Fact(PHYSICAL, True, _clean(clause)))
    elif _has_phrase(folded, _HEALTHY) and not _has_phrase(folded, ("alleen", "maar", "soms", "behalve")):
        facts.append(Fact(PHYSICAL, False, _clean(clause)))
    if _has_phrase(folded, _MENTAL) and not negated(_MENTAL):
        facts.append(Fact(MENTAL, True, _clean(clause)))
    if (
        _has_phrase(folded, _MEDICATION)
        and not negated(_MEDICATION)
        and not re.search(r"\b(nodig|zoek|krijg|kwijt|geen)\b", folded)
    ):
        facts.append(Fact(MEDICATION, True, _clean(clause)))
    elif _has_phrase(folded, ("geen medicijnen", "geen pillen", "geen medicatie")):
        facts.append(Fact(MEDICATION, False, _clean(clause)))
    return facts


def _travel_papers(folded: str) -> bool:
    """Papers for a journey: a travel document named, or papers with words of travel."""
    return _has_any(folded, _TRAVEL_DOCUMENTS) or (
        _has_phrase(folded, _PAPERS) and _has_any(folded, _TRAVEL_CONTEXT)
    )


def _residence_fact(clause: str, folded: str) -> Optional[Fact]:
    """ "We hebben geen papieren", "zonder verblijfsvergunning mag ik niet werken": no residence
    papers (a note for the counsellor), never a passport the client would need."""
    if _travel_papers(folded):
        return None
    if _has_any(folded, _RESIDENCE) or (_has_phrase(folded, _PAPERS) and _has_phrase(folded, _NO_PAPERS)):
        missing = _has_phrase(folded, ("geen", "zonder", "afgewezen", "without", "no", "sans", "pas de"))
        return Fact(RESIDENCE, "geen verblijfspapieren" if missing else "verblijfspapieren", _clean(clause))
    return None


def _need_facts(clause: str, folded: str) -> List[Fact]:
    if not _has_phrase(folded, _NEED_MARKERS):
        return []
    found = []
    for need, words in _NEEDS:
        if _has_any(folded, words) or (words is _TRAVEL_DOCUMENTS and _travel_papers(folded)):
            found.append(Fact(NEED, need, _clean(clause)))
    return found


def hear(text: str, country_of_origin: Optional[str] = None) -> List[Fact]:
    """Every fact a client message carries, in the order told (one per kind and value)."""
    if not text or text.lstrip().startswith("/"):
        return []
    facts: List[Fact] = []
    for clause in clauses(text):
        folded = fold(clause)
        if not folded:
            continue
        found: List[Optional[Fact]] = [_country_fact(clause, folded)]
        found += _family_facts(clause, folded)
        found.append(_children_fact(clause, folded))
        found += _health_facts(clause, folded)
        hoped = _any_re(_HOPE, folded) and not _has_phrase(folded, _NOT_HOPE)
        if not hoped and _any_re(_WORK_PAST, folded):
            found.append(
                Fact(
                    WORK,
                    _clean(clause),
                    _clean(clause),
                    detail={"where": experience_place(clause, country_of_origin)},
                )
            )
        if not hoped and _any_re(_SCHOOL, folded) and not _has_phrase(folded, _CHILD_WORDS):
            found.append(
                Fact(
                    SCHOOL,
                    _clean(clause),
                    _clean(clause),
                    detail={"where": experience_place(clause, country_of_origin)},
                )
            )
        if _any_re(_SKILL, folded):
            found.append(Fact(SKILL, _clean(clause), _clean(clause)))
        if _any_re(_WORRY, folded):
            found.append(Fact(WORRY, _clean(clause), _clean(clause)))
        if hoped:
            found.append(Fact(HOPE, _clean(clause), _clean(clause)))
        found += _need_facts(clause, folded)
        found.append(_residence_fact(clause, folded))
        if _has_phrase(folded, _NO_RETURN):
            found.append(Fact(NO_RETURN, True, _clean(clause)))
        for fact in found:
            if fact is not None and fact.key not in {f.key for f in facts}:
                facts.append(fact)
    return facts


# --- which question a fact settles, and what it writes ---------------------------------
# The question slot a fact answers (None: it only adds to the plan).
SETTLES = {
    COUNTRY: "country_of_origin",
    FAMILY_THERE: "family_origin",
    FAMILY_HERE: "family_here",
    CHILDREN: "has_children",
    PHYSICAL: "physical_complaints",
    MENTAL: "mental_complaints",
    MEDICATION: "uses_medication",
    WORK: "work_experience",
    SCHOOL: "education",
    SKILL: "talents",
    WORRY: "worries",
    HOPE: "hopes",
}
NOTE_LABELS = {NEED: "Nodig", FAMILY_MISSING: "Familie", RESIDENCE: "Verblijf"}


def settles(fact: Fact) -> Optional[str]:
    """The question slot this fact answers; an unsure country settles nothing yet."""
    if fact.kind == COUNTRY and not fact.sure:
        return None
    return SETTLES.get(fact.kind)


def slot_value(fact: Fact) -> Any:
    """The slot value that stands for the fact (the forms then skip the question)."""
    if isinstance(fact.value, bool) or fact.kind == COUNTRY:
        return fact.value
    return fact.words


def note_line(fact: Fact) -> Optional[str]:
    """The line a fact adds to the counsellor's note (needs, missing family), else None."""
    label = NOTE_LABELS.get(fact.kind)
    if label is None:
        return None
    return f"{label}: {fact.value} — \u201c{fact.words}\u201d"


def plan_items(fact: Fact) -> List[Tuple[str, Any]]:
    """(path, value) for a fact with a field or list of its own (notes: ``note_line``)."""
    if fact.kind == COUNTRY and fact.sure:
        return [("client_info.country_of_origin", fact.value)]
    if fact.kind == FAMILY_THERE:
        return [
            (
                "sections.support.supporters",
                {"category": "family", "who": fact.words, "helps_with": None, "where": "country_of_origin"},
            ),
            (
                "factors.overview_1",
                {
                    "factor_no": 7,
                    "factor_key": "origin_family_network",
                    "score": None,
                    "status": "answered",
                    "explanation": fact.words,
                },
            ),
        ]
    if fact.kind == FAMILY_HERE:
        return [
            (
                "sections.support.supporters",
                {
                    "category": supporter_category(fact.words),
                    "who": fact.words,
                    "helps_with": None,
                    "where": "netherlands",
                },
            )
        ]
    if fact.kind == CHILDREN:
        return [("sections.children.has_children", fact.value)]
    if fact.kind == PHYSICAL:
        return [("sections.health.physical_complaints", fact.value)]
    if fact.kind == MENTAL:
        return [("sections.health.mental_complaints", fact.value)]
    if fact.kind == MEDICATION:
        return [("sections.health.uses_medication", fact.value)]
    if fact.kind == WORK:
        return [
            (
                "sections.background.work_experience",
                {"description": fact.words, "where": fact.detail.get("where", "country_of_origin")},
            )
        ]
    if fact.kind == SCHOOL:
        return [
            (
                "sections.background.education",
                {"description": fact.words, "where": fact.detail.get("where", "country_of_origin")},
            )
        ]
    if fact.kind == SKILL:
        return [("sections.background.talents", fact.words)]
    if fact.kind == WORRY:
        return [("sections.own_expectations.worries", {"worry": fact.words})]
    if fact.kind == HOPE:
        return [("sections.own_expectations.looking_forward_to", [fact.words])]
    return []


def says_no_return(text: str) -> bool:
    """ "Ik ga niet terug", "ik blijf hier": the client will not return (no return scoring)."""
    return _has_phrase(fold(text), _NO_RETURN)

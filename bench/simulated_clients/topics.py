"""What a bot question is about, read from its words as a person reads it.

The simulated clients and the MITI coder both need the topic of a question ("Uit welk
land komt u?" → ``country``). They read the question text, never the bot's
``utter_action`` or ``mi_code``: a person sees only the words and the buttons.

``question_topic(text)`` returns the first topic whose pattern matches the folded
question; the order goes from the most specific (summary checks, rulers, the return
weighing) to the broad life topics, so "Wie van uw familie woont nog in Guinee?" is
``family_origin`` and not ``country``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

# Payloads of the buttons every question carries (a person, a skip, "waarom vraag je dit").
CONTROL_PAYLOADS = (
    "/request_human",
    "/decline_answer",
    "/ask_recorded",
    "/dont_know",
    "/correct_answer",
    "/stop",
    "/pause",
    "/skip",
    "/go_back",
)
CONTROL_TITLES = (
    "mens",
    "begeleider",
    "stop",
    "pauze",
    "waarom vraag",
    "terug naar de vorige",
    "sla over",
    "wil ik niet zeggen",
    "zeg ik liever niet",
    "weet ik niet",
)

# Fact topics: a client can have told these; asking them again is a repeat.
FACT_TOPICS = frozenset(
    {
        "country",
        "family_origin",
        "family_here",
        "family_missing",
        "children",
        "children_school",
        "physical",
        "mental",
        "medication",
        "work",
        "school",
        "talents",
        "worries",
        "hopes",
        "life_here",
        "needs",
        "goal",
        "goal_needs",
        "safety",
        "origin_future",
        "family_expectations",
        "info_sources",
        "reasons_for",
        "reasons_against",
        "what_would_change",
    }
)
# Questions that weigh return; a client who said he stays should not get them.
RETURN_TOPICS = frozenset({"direction", "amount", "return_weighing"})


def fold(text: str) -> str:
    """Lower case without accents, with single spaces."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", " ", text).strip()


_ = re.compile
# (topic, pattern) in order; the first match wins.
TOPIC_PATTERNS: List[Tuple[str, "re.Pattern[str]"]] = [
    (
        "what_to_correct",
        _(
            r"wat (wilt u|moet ik|mag ik|zal ik) (\w+ )?(veranderen|verbeteren|aanpassen)|"
            r"wat klopt (er )?niet|welk (stuk|deel|punt) klopt niet|wat is er (niet )?(goed|fout)"
        ),
    ),
    (
        "summary_check",
        _(
            r"\bklopt (dat|dit|het|alles)\b|heb ik (het|dat|alles) goed|is dat (zo )?goed\b|"
            r"is dit (zo )?goed\b|begrijp ik (het|dat) goed"
        ),
    ),
    ("start", _(r"(zullen|kunnen|gaan) we beginnen|wilt u beginnen|zullen we starten|wilt u (nu )?starten")),
    (
        "why_here",
        _(r"weet u (al )?waarom (u )?hier|waarom (bent u|u) hier|wat (verwacht|wilt) u van dit gesprek"),
    ),
    ("ruler_why", _(r"waarom (een|geen) \d+|waarom (niet )?(een )?\d+ en niet|en niet (een )?\d+\b")),
    ("ruler_importance", _(r"hoe belangrijk")),
    (
        "ruler_confidence",
        _(
            r"hoe zeker|hoeveel vertrouwen|hoe(veel)? (goed )?denkt u dat het lukt|"
            r"hoe groot is de kans|dat het (u )?lukt"
        ),
    ),
    ("ruler", _(r"\b(0|nul) (tot|en) (10|tien)\b|een cijfer|welk cijfer")),
    (
        "direction",
        _(
            r"moeilijker of makkelijker|makkelijker of moeilijker|moeilijker of gemakkelijker|"
            r"maakt (dit|dat|het) .*(terug|keuze).*(moeilijker|makkelijker)"
        ),
    ),
    ("amount", _(r"^hoeveel\b|hoe(veel| sterk| zwaar) (weegt|telt|maakt)|hoeveel (moeilijker|makkelijker)")),
    (
        "return_weighing",
        _(
            r"(terug(gaan|keer|keren)?|naar huis).*(moeilijker|makkelijker|zwaar|weegt)|"
            r"wat maakt (terug\w*) (voor u )?(moeilijker|makkelijker)"
        ),
    ),
    (
        "consent",
        _(
            r"\bdelen\b|toestemming|mag (uw|het) (plan|begeleider)|mogen (zien|lezen)|"
            r"mag .* (zien|lezen|krijgen|sturen)"
        ),
    ),
    (
        "continue",
        _(
            r"(verder|door) (praten|gaan)|wilt u verder|gaan we verder|wilt u doorgaan|"
            r"over de mogelijkheden|naar de volgende|volgende stap in het gesprek|zullen we verder"
        ),
    ),
    (
        "decision",
        _(
            r"welke (keuze|mogelijkheid|weg|richting)|wat kiest u|voorlopig|voorlopige keuze|"
            r"wat past (nu )?het best|welke kant (wilt|gaat)|wat wilt u (nu )?kiezen"
        ),
    ),
    (
        "reasons_against",
        _(
            r"wat houdt u tegen|redenen? (er )?tegen|spreekt .*tegen|nadelen|"
            r"wat maakt (het|die keuze) (moeilijk|zwaar)"
        ),
    ),
    (
        "reasons_for",
        _(
            r"wat spreekt .*(voor|aan)|redenen? (er )?voor|goede kanten|wat trekt u|voordelen|"
            r"waarom (kiest|wilt) u (dat|dit|deze)"
        ),
    ),
    (
        "what_would_change",
        _(
            r"wat zou er (moeten )?veranderen|wat zou (u |het )?(kunnen )?helpen|"
            r"wat (is|zou) er nodig (zijn )?om|wat moet er gebeuren|wat zou het (u )?lichter"
        ),
    ),
    (
        "more_steps",
        _(r"nog een stap|nog (een|iets) (anders|meer)|meer stappen|nog een (ander )?doel|" r"is dit genoeg"),
    ),
    (
        "step_kind",
        _(
            r"welke stap|wat voor (stap|soort)|waar wilt u (\w+ )?(mee )?beginnen|welk soort|"
            r"over welk onderwerp|welk onderwerp"
        ),
    ),
    (
        "step_who",
        _(
            r"wie (helpt|doet|gaat|kan) (u )?(daar|hierbij|daarbij|hiermee|daarmee|bij|het|dit|dat)|"
            r"doet u (dit|dat|het) (zelf|alleen)|samen met wie"
        ),
    ),
    ("step_when", _(r"\bwanneer\b")),
    (
        "step_what",
        _(
            r"wat (wilt|gaat|kunt) u (als eerste |eerst |precies )?doen|wat is (de|uw) (eerste )?stap|"
            r"wat (is|wordt) de stap|welke eerste stap"
        ),
    ),
    ("safety", _(r"veilig")),
    (
        "children_school",
        _(r"(school|taal|les).*(kind|dochter|zoon|meisjes)|(kind|dochter|zoon|meisjes).*(school|taal|les)"),
    ),
    ("children", _(r"\bkinderen\b|\bkind\b|\bzoon\b|\bdochter")),
    (
        "family_expectations",
        _(r"verwacht\w* (uw|de) familie|wat (zou|zal|denkt|zegt) uw familie|" r"familie .*verwacht"),
    ),
    (
        "family_here",
        _(
            r"(in nederland|\bhier\b).*(familie|vrienden|mensen|om u heen|kent u)|"
            r"wie (zijn|is) er (hier|in nederland|voor u)|"
            r"(familie|vrienden|mensen|om u heen).*(in nederland|\bhier\b)|wie helpt u|om u heen|"
            r"op wie kunt u"
        ),
    ),
    ("family_origin", _(r"familie|vrienden|contact|\bmensen (daar|thuis)|wie woont (er )?(nog )?(daar|in)")),
    (
        "country",
        _(
            r"welk land|uit welk|land van herkomst|waar komt u (oorspronkelijk )?(vandaan|uit)|"
            r"waar bent u geboren|wat is uw land"
        ),
    ),
    ("medication", _(r"medicijn|medicatie|pillen|tabletten")),
    (
        "mental",
        _(
            r"slaap|slapen|piekeren|somber|stemming|psychisch|in uw hoofd|hoe voelt u zich|"
            r"gevoelens|rust in uw hoofd"
        ),
    ),
    ("physical", _(r"lichaam|pijn|lichamelijk|ziek|klachten|gezondheid|gezond")),
    ("info_sources", _(r"nieuws|informatie (over|uit|van)|hoort u (iets|wat|over)|waar haalt u|hoe weet u")),
    ("goal_needs", _(r"wat heeft u nodig|wat is (er )?nodig|wat (hebt|heeft) u .* nodig|nodig om")),
    ("goal", _(r"\bdoel\b|wat wilt u bereiken|wat wilt u (graag )?(gaan )?doen (daar|in)")),
    (
        "origin_future",
        _(
            r"(leven|toekomst|bestaan).*(daar|in uw land|in \w+ (voor|zien))|"
            r"als u (terug|daar)|wat ziet u (daar )?voor zich|voor zich (zien|ziet)"
        ),
    ),
    ("work", _(r"\bwerk|gewerkt|beroep|\bbaan\b|verdiend")),
    ("school", _(r"school|opleiding|geleerd|onderwijs|diploma|cursus|gestudeerd|studie")),
    ("talents", _(r"goed in\b|goed kunt|talent|sterke kant|kunt u goed|waar bent u (heel )?goed|wat kunt u")),
    (
        "worries",
        _(
            r"zorgen|bang|dwars|angst|wat maakt het (u )?zwaar|waar denkt u (veel|vaak) aan|wat vindt u moeilijk"
        ),
    ),
    ("hopes", _(r"\bhoop|droom|wens|wat wilt u (het liefst|graag)|waar kijkt u naar uit")),
    ("needs", _(r"\bnodig\b|papieren|paspoort|hulp bij|regelen")),
    (
        "life_here",
        _(
            r"leven hier|hier in nederland|uw dag|hoe gaat het (hier|met u)|wonen|woont u|"
            r"hoe is het (hier|voor u)|hoe ziet uw leven"
        ),
    ),
    (
        "more",
        _(
            r"wat nog meer|vertel (eens|daar|er)|wilt u (daar|er) (nog )?(meer|iets)|is er nog iets|"
            r"wat wilt u (nog )?vertellen|wat speelt er"
        ),
    ),
]

YES_NO_STARTS = re.compile(
    r"^(heeft|hebt|bent|is|zijn|wilt|wil|kunt|kan|doet|gebruikt|mag|zal|zullen|gaat|komt|woont|werkt|"
    r"neemt|krijgt|voelt|denkt|weet|maakt|mist|klopt|ziet|hoort|kent|spreekt|gaan|hebben|kunnen|"
    r"mogen|moet|zou|heb|ben|vindt|slaapt|ging|had|was|waren|wordt)\b"
)


def question_tail(text: str) -> str:
    """The last question sentence and what follows it in the bubble ("Denk aan familie …")."""
    parts = sentences(text)
    last = max((i for i, p in enumerate(parts) if p.endswith("?")), default=None)
    return " ".join(parts[last:]) if last is not None else ""


def question_topic(text: str) -> Optional[str]:
    """The topic of a question: its last question sentence with the hints after it, else the whole text."""
    folded = fold(text)
    for part in (question_tail(folded), folded):
        if not part:
            continue
        for topic, pattern in TOPIC_PATTERNS:
            if pattern.search(part):
                return topic
    return None


def sentences(text: str) -> List[str]:
    """Sentences of a bot bubble, the punctuation kept."""
    parts = re.split(r"(?<=[.!?])\s+|\n+", (text or "").strip())
    return [p.strip() for p in parts if p and p.strip()]


def last_question(text: str) -> str:
    questions = [s for s in sentences(text) if s.endswith("?")]
    return questions[-1] if questions else ""


def is_control(button: Dict[str, str]) -> bool:
    payload = (button.get("payload") or "").strip()
    title = fold(button.get("title") or "")
    return payload.startswith(CONTROL_PAYLOADS) or any(t in title for t in CONTROL_TITLES)


def ordinary_buttons(buttons: Iterable[Dict[str, str]]) -> List[Dict[str, str]]:
    return [b for b in buttons or [] if not is_control(b)]


def yes_no_buttons(buttons: Sequence[Dict[str, str]]) -> bool:
    titles = [fold(b.get("title") or "") for b in buttons or []]
    return any(t.startswith("ja") for t in titles) and any(t.startswith("nee") for t in titles)


def is_yes_no_question(text: str, buttons: Sequence[Dict[str, str]] = ()) -> bool:
    if yes_no_buttons(buttons):
        return True
    question = last_question(fold(text))
    return bool(question) and bool(YES_NO_STARTS.match(question))

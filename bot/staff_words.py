"""What the coach understood, in the staff's own words (issue 17).

Counsellors and trainers read "Koos: Ja", "Begrepen als: antwoord",
"familielid = moeder (getypt: moedr)" instead of "affirm (zekerheid 74%)" and
"family_relation = moedr". This module holds the Dutch names for every intent
and entity of ``domain.yml`` and a short Dutch question for every slot the coach
asks (the flow picture's node labels and the transcript use them).

``tests/unit/test_staff_words.py`` checks that every intent, entity and asked
slot of ``domain.yml`` has a name here, so a new intent cannot reach the console
as a machine word.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional

# Every intent in domain.yml, as a counsellor would say it.
INTENT_LABELS: Dict[str, str] = {
    "greet": "groet",
    "affirm": "ja",
    "deny": "nee",
    "inform": "antwoord",
    "dont_know": "weet het niet",
    "decline_answer": "wil dit niet zeggen",
    "request_human": "wil een mens",
    "safety_crisis": "crisis (gevaar)",
    "express_emotion": "toont emotie",
    "share_feeling": "vertelt een gevoel",
    "safety_uncertain": "misschien onveilig",
    "resume_conversation": "gaat verder met de coach",
    "ask_recorded": "vraagt wat er is opgeschreven",
    "go_back": "wil terug naar de vorige vraag",
    "correct_answer": "verbetert een antwoord",
    "ask_privacy": "vraagt wie dit leest",
    "edit_step": "wil een stap veranderen",
    "thank": "bedankt",
    "push_back": "wil dit niet",
    "ask_what_is_this": "vraagt wat dit is",
    "nlu_fallback": "niet begrepen",
}

# Every entity in domain.yml.
ENTITY_LABELS: Dict[str, str] = {
    "country": "land",
    "city": "stad",
    "family_relation": "familielid",
    "document_type": "document",
    "medication": "medicijn",
    "correct_topic": "onderwerp om te verbeteren",
    "step_number": "nummer van de stap",
    "step_edit": "wat er aan de stap verandert",
}

# Every slot the coach asks (a response utter_ask_<slot> exists): a short question.
SLOT_LABELS: Dict[str, str] = {
    "person_offer": "Nu met een begeleider praten?",
    "skip_offer": "Liever overslaan?",
    "country_check": "Land van herkomst: klopt dat?",
    "life_here": "Hoe is uw leven hier?",
    "family_here": "Wie is belangrijk hier?",
    "has_children": "Heeft u kinderen?",
    "country_of_origin": "Uit welk land komt u?",
    "family_origin": "Wie woont nog in uw land?",
    "family_origin_direction": "Familie daar: moeilijker of makkelijker?",
    "family_origin_amount": "Familie daar: hoe groot is het verschil?",
    "safety_origin": "Hoe veilig is uw land?",
    "safety_worried": "Zorgen over veiligheid?",
    "safety_origin_direction": "Veiligheid: moeilijker of makkelijker?",
    "safety_origin_amount": "Veiligheid: hoe groot is het verschil?",
    "physical_complaints": "Klachten aan uw lichaam?",
    "mental_complaints": "Piekeren, slecht slapen, verdriet?",
    "uses_medication": "Gebruikt u medicijnen?",
    "medication_names": "Welke medicijnen?",
    "talents": "Wat kunt u goed?",
    "worries": "Waar maakt u zich zorgen over?",
    "hopes": "Waar hoopt u op?",
    "origin_future": "Leven en werk in uw land?",
    "origin_future_direction": "Leven daar: moeilijker of makkelijker?",
    "origin_future_amount": "Leven daar: hoe groot is het verschil?",
    "origin_care": "Zorg en medicijnen daar?",
    "origin_care_direction": "Zorg daar: moeilijker of makkelijker?",
    "origin_care_amount": "Zorg daar: hoe groot is het verschil?",
    "work_experience": "Welk werk heeft u gedaan?",
    "education": "Welke school of opleiding?",
    "info_sources": "Hoe hoort u nieuws over uw land?",
    "decision_option": "Wat past nu het best bij u?",
    "reasons_for": "Wat is goed aan de mogelijkheden?",
    "reasons_against": "Wat maakt het moeilijk?",
    "importance": "Hoe belangrijk is een keuze? (0-10)",
    "confidence": "Hoe zeker lukt het? (0-10)",
    "importance_why": "Waarom dit getal (belang)?",
    "confidence_why": "Waarom dit getal (zekerheid)?",
    "what_would_change": "Wat moet er veranderen?",
    "family_expectations": "Wat verwacht uw familie?",
    "support_info": "Mag ik vertellen wie kan helpen?",
    "goal": "Wat wilt u als eerste bereiken?",
    "goal_needs": "Wat heeft u nodig voor dat doel?",
    "step_kind": "Waar zet u een stap in?",
    "step_what": "Wat regelt u als eerste?",
    "step_who": "Wie doet de stap?",
    "step_when": "Wanneer doet u de stap?",
    "step_confirm": "Stap in het plan zetten?",
    "more_steps": "Nog een stap toevoegen?",
    "children_school": "School voor de kinderen?",
    "children_language": "Spreken de kinderen de taal?",
    "wants_guidance": "Wilt u later ook hulp?",
    "consent_share": "Mag het plan gedeeld worden?",
}

# Every safety signal the coach can raise (bot/safety/rules/*.yml, the concepts, the second
# opinion, the NLU's hint), as a counsellor would say it; the flag itself is for trainers.
SIGNAL_LABELS: Dict[str, str] = {
    "suicide": "gedachten aan de dood of zelfdoding",
    "self_harm": "zichzelf pijn doen",
    "harm_others": "iemand anders pijn willen doen",
    "other_in_danger": "iemand anders in gevaar",
    "medical_emergency": "medisch spoedgeval",
    "psychosis": "stemmen of achtervolging",
    "capacity": "twijfel of de cliënt dit nu kan overzien",
    "minor": "misschien jonger dan 18",
    "hopelessness": "geen hoop meer",
    "exploitation": "onveilig hier (uitbuiting, geweld, dreiging)",
    "trauma": "herbeleving, nachtmerries of paniek",
    "depression": "somberheid",
    "exhaustion": "uitgeput, veel in bed",
    "sleep": "slecht slapen",
    "substance": "drinken of pillen om het vol te houden",
    "somatic": "pijn of klachten in het lichaam",
    "other_complaints": "andere klachten (vergeten, niemand vertrouwen)",
    "aggression": "boosheid",
    "withdrawal": "trekt zich terug",
    "safety_fear": "angst voor gevaar bij terugkeer",
    "request_human": "wil een mens",
    "distrust": "wantrouwen",
    "distress": "het wordt te veel",
    "death_talk": "praat over de dood",
    "suicide_denied": "zegt geen gedachten aan de dood te hebben",
    "feeling": "een gevoel",
    "second_opinion_emotion": "misschien een zwaar gevoel",
    "classifier_crisis": "misschien gevaar (alleen een gok van de coach)",
    "classifier_request": "misschien wil de cliënt een mens (gok)",
    "classifier_uncertain": "misschien onveilig (gok)",
    "classifier_emotion": "misschien een zwaar gevoel (gok)",
}
# The feeling a signal names (bot/safety/rules.py KINDS, and the general one).
FEELING_LABELS: Dict[str, str] = {
    "grief": "rouw om een verlies",
    "longing": "gemis",
    "fear": "angst",
    "shame": "schaamte",
    "anger": "boosheid",
    "loneliness": "eenzaamheid",
    "sadness": "verdriet",
    "crying": "huilen",
    "hopelessness": "geen hoop",
    "trauma": "herbeleving",
    "overwhelmed": "het wordt te veel",
    "pain": "pijn",
    "worry": "zorgen",
    "general": "iets zwaars",
}


def signal_label(safety: Optional[Dict[str, Any]]) -> Optional[str]:
    """The safety signal of a message in words ("gevoel: angst", "slecht slapen"), or None."""
    if not isinstance(safety, dict) or not safety.get("flag"):
        return None
    flag, kind = str(safety["flag"]), safety.get("kind")
    if flag == "feeling" and kind:
        return f"gevoel: {FEELING_LABELS.get(str(kind), str(kind).replace('_', ' '))}"
    return SIGNAL_LABELS.get(flag, flag.replace("_", " "))


def escalation_label(escalation: Optional[str]) -> Optional[str]:
    """Why a turn was raised (bot/safety/detector.py, session_state.py, policy.py), in words."""
    if not escalation:
        return None
    kind, _, what = str(escalation).partition(":")
    names = [SIGNAL_LABELS.get(flag, flag.replace("_", " ")) for flag in what.split("+") if flag]
    if kind == "misunderstood":
        return f"{what} keer na elkaar niet begrepen"
    if kind == "repeated":
        return f"kwam terug: {', '.join(names)}"
    if kind in ("accumulated", "combined"):
        return f"meerdere signalen samen: {', '.join(names)}"
    if kind == "second_opinion":
        return "de coach hoorde misschien iets zwaars"
    if kind == "intent":
        return "alleen een gok van de coach"
    return "opgehoogd"


# Confidence below this reads as "onzeker" to staff (the number stays in the tooltip).
UNSURE_BELOW = 0.6


def intent_label(intent: Optional[str]) -> Optional[str]:
    if not intent:
        return None
    return INTENT_LABELS.get(intent, intent.replace("_", " "))


def entity_label(entity: Optional[str]) -> str:
    if not entity:
        return "gegeven"
    return ENTITY_LABELS.get(entity) or SLOT_LABELS.get(entity) or entity.replace("_", " ")


def slot_label(slot: str) -> str:
    return SLOT_LABELS.get(slot) or slot.replace("_", " ")


def certainty(confidence: Any) -> Optional[str]:
    if not isinstance(confidence, (int, float)) or isinstance(confidence, bool):
        return None
    return "zeker" if confidence >= UNSURE_BELOW else "onzeker"


def _typed(entity: Dict[str, Any], text: str) -> Optional[str]:
    start, end = entity.get("start"), entity.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
        return text[start:end]
    return None


def understood(
    *,
    intent: Optional[str],
    confidence: Any,
    entities: Optional[Iterable[Dict[str, Any]]],
    text: str,
    button_title: Optional[str] = None,
) -> Dict[str, Any]:
    """What the coach understood of one client message, in words for the console.

    ``summary`` is the one line shown ("Koos: Ja", "Begrepen als: antwoord"),
    ``found`` the data in Dutch names, with what the client typed when it differs
    from the value the coach kept ("familielid = moeder (getypt: moedr)").
    """
    found: List[Dict[str, Any]] = []
    for entity in entities or []:
        if not isinstance(entity, dict):
            continue
        value = entity.get("value")
        typed = _typed(entity, text)
        item = {"label": entity_label(entity.get("entity")), "value": None if value is None else str(value)}
        if (
            typed is not None
            and value is not None
            and typed.strip().casefold() != str(value).strip().casefold()
        ):
            item["typed"] = typed
        found.append(item)
    label = intent_label(intent)
    if button_title:
        summary = f"Koos: {button_title}"
    elif label:
        summary = f"Begrepen als: {label}"
    else:
        summary = "Niet door de coach gelezen"
    return {"summary": summary, "intent_label": label, "certainty": certainty(confidence), "found": found}

"""The console speaks the staff's language: every intent, entity and asked slot of
domain.yml has a Dutch name, and a client message reads as "Koos: Ja" or
"Begrepen als: antwoord" with data in Dutch names (issue 17)."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot import staff_words

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))


def test_every_intent_of_the_domain_has_a_dutch_name():
    missing = [
        i
        for i in DOMAIN["intents"]
        if (i if isinstance(i, str) else next(iter(i))) not in staff_words.INTENT_LABELS
    ]
    assert missing == []
    assert staff_words.INTENT_LABELS["affirm"] == "ja"
    assert staff_words.INTENT_LABELS["deny"] == "nee"
    assert staff_words.INTENT_LABELS["inform"] == "antwoord"
    assert staff_words.INTENT_LABELS["request_human"] == "wil een mens"
    assert staff_words.INTENT_LABELS["share_feeling"] == "vertelt een gevoel"
    assert staff_words.INTENT_LABELS["push_back"] == "wil dit niet"


def test_every_entity_and_every_asked_slot_has_a_dutch_name():
    entities = [e if isinstance(e, str) else next(iter(e)) for e in DOMAIN.get("entities", [])]
    assert [e for e in entities if e not in staff_words.ENTITY_LABELS] == []
    asked = [s for s in DOMAIN["slots"] if f"utter_ask_{s}" in DOMAIN["responses"]]
    assert len(asked) > 40
    assert [s for s in asked if s not in staff_words.SLOT_LABELS] == []
    assert staff_words.slot_label("family_origin_direction") == "Familie daar: moeilijker of makkelijker?"
    for label in staff_words.SLOT_LABELS.values():
        assert "_" not in label


def test_a_button_reads_as_what_the_client_chose():
    seen = staff_words.understood(
        intent="affirm", confidence=0.74, entities=[], text="/affirm", button_title="Ja"
    )
    assert seen["summary"] == "Koos: Ja"
    assert seen["intent_label"] == "ja" and seen["certainty"] == "zeker"


def test_typed_text_reads_in_dutch_with_what_was_typed():
    text = "mijn moedr woont daar"
    seen = staff_words.understood(
        intent="inform",
        confidence=0.41,
        text=text,
        entities=[{"entity": "family_relation", "value": "moeder", "start": 5, "end": 10}],
    )
    assert seen["summary"] == "Begrepen als: antwoord"
    assert seen["certainty"] == "onzeker"
    assert seen["found"] == [{"label": "familielid", "value": "moeder", "typed": "moedr"}]
    unread = staff_words.understood(intent=None, confidence=None, entities=None, text="hallo")
    assert unread["summary"] == "Niet door de coach gelezen" and unread["certainty"] is None


def test_every_safety_signal_and_feeling_has_a_dutch_name():
    from bot.safety import policy
    from bot.safety.concepts import load_concepts
    from bot.safety.detector import INTENT_HINTS
    from bot.safety.rules import KINDS, load_rules

    flags = {r.flag for r in load_rules() if r.flag}
    flags |= {signal.flag for signal in load_concepts().signals}
    flags |= {flag for _, flag in INTENT_HINTS.values()} | {policy.SECOND_OPINION_EMOTION, "death_talk"}
    assert sorted(f for f in flags if f not in staff_words.SIGNAL_LABELS) == []
    assert sorted(k for k in (*KINDS, policy.GENERAL_KIND) if k not in staff_words.FEELING_LABELS) == []
    for label in (*staff_words.SIGNAL_LABELS.values(), *staff_words.FEELING_LABELS.values()):
        assert "_" not in label


def test_a_signal_reads_in_words_not_as_a_flag():
    assert staff_words.signal_label({"flag": "sleep", "category": "none", "tier": 1}) == "slecht slapen"
    assert staff_words.signal_label({"flag": "feeling", "kind": "fear"}) == "gevoel: angst"
    assert (
        staff_words.signal_label({"flag": "suicide", "category": "crisis"})
        == "gedachten aan de dood of zelfdoding"
    )
    assert staff_words.signal_label({"category": "none", "flag": None}) is None
    assert staff_words.signal_label(None) is None


def test_why_a_turn_was_raised_reads_in_words():
    assert staff_words.escalation_label("repeated:sleep") == "kwam terug: slecht slapen"
    assert (
        staff_words.escalation_label("accumulated:sleep+depression")
        == "meerdere signalen samen: slecht slapen, somberheid"
    )
    assert staff_words.escalation_label("combined:exhaustion+sleep").startswith(
        "meerdere signalen samen: uitgeput"
    )
    assert staff_words.escalation_label("misunderstood:2") == "2 keer na elkaar niet begrepen"
    assert staff_words.escalation_label(None) is None

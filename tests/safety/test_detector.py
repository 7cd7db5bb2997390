"""Focused tests of bot.safety: each flag, harmless uses, normalisation, the
intent raise, the result type, bad input and the session accumulation."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from bot.safety import NO_SIGNAL, SafetyResult, SessionSafetyState, detect
from bot.safety.normalise import normalise
from bot.safety.rules import RuleError, compile_pattern, load_masks, load_rules

SAFETY_DIR = Path(__file__).resolve().parents[2] / "bot" / "safety"


def case(text, category, flag, id):
    return pytest.param(text, category, flag, id=id)


# ---------------------------------------------------------------- one case per flag
FLAG_CASES = [
    case("Ik wil dood.", "crisis", "suicide", "suicide-plain"),
    case("ik wil doot", "crisis", "suicide", "suicide-typo-doot"),
    case("ik denk aan zelf moord", "crisis", "suicide", "suicide-split-zelf-moord"),
    case("zelfmort is beter", "crisis", "suicide", "suicide-typo-zelfmort"),
    case("ikwilniet meer leven", "crisis", "suicide", "suicide-glued"),
    case("beter ik ga dood hier dan terug", "crisis", "suicide", "suicide-broken-dutch"),
    case("Als ik terug moet, ik maak mezelf dood.", "crisis", "suicide", "suicide-maak-mezelf-dood"),
    case(
        "Mijn leven heeft geen zin meer. Als ik terugga maken ze mij dood, dan kan ik net zo goed hier doodgaan.",
        "crisis",
        "suicide",
        "suicide-ngonga-joined-with-fear",
    ),
    case("Als ze mij doodmaken is het jouw schuld", "crisis", "suicide", "suicide-blames-helper"),
    case("ik wil stoppen met alles", "crisis", "suicide", "suicide-stoppen-met-alles"),
    case("I want to kill myself", "crisis", "suicide", "suicide-english"),
    case("je vais me tuer", "crisis", "suicide", "suicide-french"),
    case("je veux me suicider", "crisis", "suicide", "suicide-french-suicider"),
    case("ik denk de hele dag aan de dood", "crisis", "suicide", "suicide-death-talk"),
    case("dood is beter voor mij", "crisis", "suicide", "suicide-ambiguous-goes-up"),
    case("Ik snij in mijn arm.", "crisis", "self_harm", "self-harm"),
    case("Ik ga hem pijn doen.", "crisis", "harm_others", "harm-others"),
    case("I will kill him", "crisis", "harm_others", "harm-others-english"),
    case("Mijn insuline is op, al twee dagen.", "crisis", "medical_emergency", "medical-insulin"),
    case("Ik heb te veel pillen genomen.", "crisis", "medical_emergency", "medical-overdose"),
    case("Hij staat voor de deur met een mes", "crisis", "exploitation", "exploitation-acute-danger"),
    case("Er is geen toekomst voor mij.", "emotion", "hopelessness", "hopelessness"),
    case("Ik kan niet meer.", "emotion", "hopelessness", "hopelessness-kan-niet-meer"),
    case("De geheime dienst volgt mij.", "emotion", "psychosis", "psychosis"),
    case("Ik hoor stemmen, ze zeggen dingen.", "emotion", "psychosis", "psychosis-voices"),
    case("Mijn baas houdt mijn paspoort.", "emotion", "exploitation", "exploitation"),
    case("ik heb nu een paniekaanval", "emotion", "trauma", "trauma-panic"),
    case("Dit gesprek is te zwaar voor mij.", "emotion", "distress", "distress"),
    case("Jullie zijn leugenaars, ik pak jullie terug!", "emotion", "aggression", "aggression-threat"),
    case("Ik wil praten met mens.", "request", "request_human", "request-human"),
    case("Waar is mijn begeleider?", "request", "request_human", "request-where-is"),
    case("ik wil stoppen", "request", "request_human", "request-stop"),
    case("Stop.", "request", "request_human", "request-stop-alone"),
    case("je veux parler à quelqu'un", "request", "request_human", "request-french"),
    case("Ik ben 16.", "uncertain", "minor", "minor-age"),
    case("ik ben zestien", "uncertain", "minor", "minor-age-word"),
    case("Mijn voogd van Nidos zegt dat", "uncertain", "minor", "minor-guardian"),
    case("Ik weet niet waar ik ben.", "uncertain", "capacity", "capacity"),
    case("Als ik terug ga, ze maken mij dood.", "none", "safety_fear", "safety-fear-not-a-wish"),
    case("if I go back they will kill me", "none", "safety_fear", "safety-fear-english"),
    case("Ik slaap niet, al weken.", "none", "sleep", "sleep-t1"),
    case("Ik lig de hele dag in bed.", "none", "exhaustion", "exhaustion-in-bed-t1"),
    case("ik ben altijd moe en ik lig veel op bed", "none", "exhaustion", "exhaustion-tired-in-bed-t1"),
    case("Ik drink veel nu.", "none", "substance", "substance-t1"),
    case("Mijn hoofd doet altijd pijn.", "none", "somatic", "somatic-t0"),
    case("Ik heb nergens zin in.", "none", "depression", "depression-t1"),
    case("Elke nacht droom ik van de gevangenis.", "none", "trauma", "trauma-t1"),
    case("Ik vertrouw niemand.", "none", "other_complaints", "other-complaints-t0"),
    case("Stomme computer.", "none", "aggression", "aggression-once-t0"),
    case("Maakt niet uit. Jullie beslissen toch.", "none", "withdrawal", "withdrawal-t0"),
    case("Jij bent van de IND toch?", "none", "distrust", "distrust-t0"),
]


@pytest.mark.parametrize("text, category, flag", FLAG_CASES)
def test_each_flag_gets_its_category(text, category, flag):
    result = detect(text)
    assert (result.category, result.flag) == (category, flag)
    assert result.matched, "the triggering span is kept for the counsellor"


# ---------------------------------------------------------------- harmless uses
HARMLESS = [
    pytest.param("ik ben doodmoe", id="doodmoe"),
    pytest.param("ik wil niet meer wachten, ik wil verder met mijn leven", id="life-word-in-another-clause"),
    pytest.param("ik ben dood moe", id="dood-moe-apart"),
    pytest.param("ik lach me dood", id="lach-me-dood"),
    pytest.param("mijn telefoon is dood", id="telefoon-dood"),
    pytest.param("de batterij is dood", id="batterij-dood"),
    pytest.param("ik neem pillen voor mijn bloeddruk", id="pillen-bloeddruk"),
    pytest.param("het is doodnormaal", id="doodnormaal"),
    pytest.param("Ik ben doodsbang voor de tandarts", id="doodsbang-tandarts"),
    pytest.param("ik verveel me dood", id="verveel-me-dood"),
    pytest.param("ik wil stoppen met roken", id="stoppen-met-roken"),
    pytest.param("ik wil stoppen met de cursus", id="stoppen-met-cursus"),
    pytest.param("dat is een dood spoor", id="dood-spoor"),
    pytest.param("mijn vader is dood, al lang geleden", id="third-party-death"),
    pytest.param("ik wil niet meer wachten op de IND", id="wil-niet-meer-plus-object"),
    pytest.param("ik snij de uien", id="snij-uien"),
    pytest.param("I'm dead tired", id="dead-tired"),
    pytest.param("this heat is killing me", id="heat-killing-me"),
    pytest.param("ik wil een nieuw leven beginnen in Ghana", id="nieuw-leven"),
    pytest.param("mijn zoon is 16", id="child-age-not-minor"),
    pytest.param("Ik ben 34 jaar.", id="adult-age"),
    pytest.param("ik ben 15 jaar hier", id="years-here-not-age"),
    pytest.param("ik wil de mens zijn die mijn familie helpt", id="mens-zijn"),
    pytest.param("omdat ik hier geen toekomst heb", id="no-future-here-is-a-reason"),
    pytest.param("mijn pillen zijn bijna op, ik ga morgen naar de apotheek", id="pills-almost-out"),
    pytest.param("de kinderen spelen tikkertje en roepen je bent dood", id="death-word-in-a-game"),
]


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_uses_do_not_hand_off(text):
    result = detect(text)
    assert result.category == "none" and result.handoff_reason is None, result


ORDINARY = [
    "ik werk in de bouw",
    "mijn vrouw en twee kinderen",
    "ik wil in Nederland blijven",
    "weet ik niet",
    "nee",
    "geen idee",
    "ja",
    "",
]


@pytest.mark.parametrize("text", ORDINARY, ids=lambda t: t or "empty")
def test_ordinary_answers_carry_no_flag(text):
    assert detect(text) == NO_SIGNAL


# ---------------------------------------------------------------- normalisation
@pytest.mark.parametrize(
    "raw, expected",
    [
        pytest.param("Ik WIL Dood!!!", "ik wil dood .", id="case-and-punctuation"),
        pytest.param("ik wiiiil dooood", "ik wil dood", id="repeated-letters"),
        pytest.param("ikwildood", "ik wil dood", id="glued-words"),
        pytest.param("ik wil dood gaan", "ik wil doodgaan", id="dood-gaan"),
        pytest.param("zelf moord", "zelfmoord", id="zelf-moord"),
        pytest.param("zelfmoort", "zelfmoord", id="zelfmoort"),
        pytest.param("ik wil niet meer leve", "ik wil niet meer leven", id="leve-typo"),
        pytest.param("beëindigen", "beeindigen", id="accents"),
        pytest.param("je préfère", "je prefere", id="french-accents"),
        pytest.param("j'ai  envie", "jai envie", id="apostrophe-and-spaces"),
        pytest.param("ja, nee: goed", "ja , nee , goed", id="clause-breaks"),
        pytest.param("I  don’t", "i dont", id="curly-apostrophe"),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def test_matching_survives_accents_case_and_shouting():
    assert detect("JE VEUX MOURIR").category == "crisis"
    assert detect("ik wil mijn leven beëindigen").category == "crisis"


# ---------------------------------------------------------------- classifier hint
@pytest.mark.parametrize(
    "text, intent, confidence, flag",
    [
        pytest.param("ik werk in de bouw", "request_human", 0.8, "classifier_request", id="request-hint"),
        pytest.param("ik werk in de bouw", "request_human", 0.59, None, id="request-below-threshold"),
        pytest.param("het is allemaal zo", "express_emotion", 0.9, "classifier_emotion", id="emotion-hint"),
        pytest.param("het is allemaal zo", "express_emotion", 0.5, None, id="emotion-below-threshold"),
        pytest.param("mijn telefoon is dood", "safety_crisis", 0.99, None, id="harmless-idiom-no-hint"),
        pytest.param(
            "ik wil een opleiding doen", "safety_crisis", 0.99, "classifier_crisis", id="crisis-hint"
        ),
        pytest.param("welke kamer", "safety_uncertain", 0.8, "classifier_uncertain", id="uncertain-hint"),
        pytest.param("ik werk in de bouw", "greet", 0.99, None, id="unknown-intent-ignored"),
        pytest.param("ik werk in de bouw", "request_human", None, None, id="no-confidence-no-hint"),
    ],
)
def test_the_classifier_only_adds_a_recorded_hint(text, intent, confidence, flag):
    result = detect(text, intent=intent, confidence=confidence)
    assert result.category == "none" and not result.needs_handoff
    assert result.flag == flag
    if flag:
        assert result.tier == 1 and result.escalation == f"intent:{intent}"


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        pytest.param("Ik wil dood.", "inform", "crisis", id="crisis-not-lowered-by-another-intent"),
        pytest.param("Ik wil dood.", "request_human", "crisis", id="request-does-not-lower-crisis"),
        pytest.param(
            "Er is geen toekomst voor mij.", "request_human", "emotion", id="request-does-not-lower-emotion"
        ),
        pytest.param(
            "ik wil een mens", "safety_crisis", "request", id="crisis-intent-does-not-change-request"
        ),
        pytest.param(
            "Er is geen toekomst voor mij.",
            "safety_uncertain",
            "emotion",
            id="uncertain-does-not-change-emotion",
        ),
    ],
)
def test_the_classifier_never_changes_what_the_lexicon_decided(text, intent, expected):
    result = detect(text, intent=intent, confidence=0.99)
    assert result == detect(text)
    assert result.category == expected


# ---------------------------------------------------------------- the result type
@pytest.mark.parametrize(
    "category, tier, reason",
    [
        ("crisis", 3, "crisis"),
        ("emotion", 2, "emotion"),
        ("request", 2, "request"),
        ("uncertain", 2, "uncertain"),
        ("none", 1, None),
        ("none", 0, None),
    ],
)
def test_handoff_reason_follows_category(category, tier, reason):
    result = SafetyResult(category, "x", "y", tier)
    assert result.handoff_reason == reason
    assert result.needs_handoff is (reason is not None)


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param(dict(category="panic", tier=3), id="unknown-category"),
        pytest.param(dict(category="crisis", tier=2), id="crisis-not-tier-3"),
        pytest.param(dict(category="none", tier=2), id="none-with-handoff-tier"),
        pytest.param(dict(category="emotion", tier=1), id="emotion-below-tier-2"),
        pytest.param(dict(category="none", tier=4), id="tier-out-of-range"),
    ],
)
def test_result_rejects_inconsistent_values(kwargs):
    with pytest.raises(ValueError):
        SafetyResult(**kwargs)


def test_result_is_frozen_and_round_trips():
    result = detect("Ik ben 16.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.category = "none"  # type: ignore[misc]
    data = result.to_dict()
    assert data["handoff_reason"] == "uncertain" and data["flag"] == "minor"
    assert SafetyResult.from_dict(data) == result


def test_minor_and_capacity_are_uncertain_not_emotion():
    assert detect("ik ben 15 jaar").handoff_reason == "uncertain"
    assert detect("Ik weet niet waar ik ben.").handoff_reason == "uncertain"


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("bad", [None, 42, b"ik wil dood", ["ik wil dood"]], ids=repr)
def test_non_text_input_is_a_clear_error(bad):
    with pytest.raises(TypeError, match="str"):
        detect(bad)  # type: ignore[arg-type]


def test_whitespace_and_symbols_only():
    assert detect("   \n\t ") == NO_SIGNAL
    assert detect("?!... :-) 👍") == NO_SIGNAL


def test_long_message_is_scanned_to_the_end():
    text = "ik werk in de bouw en " * 80 + "ik wil dood"
    assert len(text) > 1500
    assert detect(text).category == "crisis"


NOT_EXHAUSTION = [
    pytest.param("ik ben vaak moe van het werk", id="tired-from-work"),
    pytest.param("Ik woon in het azc in Budel. Ik ben vaak moe.", id="tired-alone"),
    pytest.param("Mijn zoon ligt veel op bed, hij is griep", id="someone-else-in-bed"),
    pytest.param("ik lig op bed en lees een boek", id="in-bed-reading"),
    pytest.param("de kinderen liggen om acht uur in bed", id="children-in-bed-at-eight"),
]


@pytest.mark.parametrize("text", NOT_EXHAUSTION)
def test_ordinary_tiredness_and_bed_carry_no_exhaustion_signal(text):
    assert detect(text).flag != "exhaustion"


def test_tired_and_in_bed_in_one_sentence_are_one_sign_not_two():
    """The offer of a person, not a hand-off: they are counted as one T1 signal
    (data/scenarios/p4_rosa_diabetes.yml)."""
    result = detect("Ik woon in het azc in Budel. Ik ben vaak moe en ik lig veel op bed.")
    assert (result.category, result.flag, result.tier, result.escalation) == ("none", "exhaustion", 1, None)


def test_several_t1_signals_in_one_message_hand_over():
    result = detect("ik slaap niet, ik eet niet, ik huil alleen maar")
    assert result.category == "emotion" and result.escalation.startswith("combined:")


# ---------------------------------------------------------------- rule loading
def test_rules_load_and_compile():
    assert len(load_rules()) >= 20 and len(load_masks()) >= 3


def test_unknown_macro_is_a_load_error():
    with pytest.raises(RuleError, match="NOPE"):
        compile_pattern(["{NOPE} dood"], {}, "test")


def test_bad_regex_is_a_load_error():
    with pytest.raises(RuleError, match="test"):
        compile_pattern(["(unclosed"], {}, "test")


def test_space_in_pattern_means_whitespace_and_words_are_bounded():
    regex = compile_pattern(["ik wil dood", "mens"], {}, "test")
    assert regex.search("ik   wil dood")
    assert not regex.search("ik wil doodgewoon")
    assert not regex.search("mensen")


def test_bot_safety_imports_neither_rasa_nor_fastapi():
    for path in SAFETY_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                assert name.split(".")[0] not in {"rasa", "rasa_sdk", "fastapi", "starlette"}, (path, name)


# ---------------------------------------------------------------- accumulation
def t1(flag):
    return SafetyResult("none", flag, flag, 1)


def test_t1_flag_back_within_three_turns_becomes_emotion():
    state = SessionSafetyState()
    assert state.observe(t1("sleep")).category == "none"
    assert state.observe(NO_SIGNAL).category == "none"
    raised = state.observe(t1("sleep"))
    assert (raised.category, raised.flag, raised.escalation) == ("emotion", "sleep", "repeated:sleep")


def test_t1_flag_after_more_than_three_turns_is_not_raised():
    state = SessionSafetyState()
    state.observe(t1("sleep"))
    for _ in range(3):
        state.observe(NO_SIGNAL)
    assert state.observe(t1("sleep")).category == "none"


def test_three_different_wellbeing_signals_accumulate():
    state = SessionSafetyState()
    assert state.observe(t1("sleep")).category == "none"
    assert state.observe(SafetyResult("none", "somatic", "buik", 0)).category == "none"
    raised = state.observe(t1("depression"))
    assert raised.category == "emotion"
    assert raised.escalation == "accumulated:sleep+somatic+depression"


def test_repeated_aggression_becomes_emotion_but_one_outburst_does_not():
    state = SessionSafetyState()
    anger = SafetyResult("none", "aggression", "stom", 0)
    assert state.observe(anger).category == "none"
    assert state.observe(anger).category == "emotion"


def test_t0_somatic_repeated_is_not_raised():
    state = SessionSafetyState()
    somatic = SafetyResult("none", "somatic", "hoofdpijn", 0)
    assert [state.observe(somatic).category for _ in range(3)] == ["none"] * 3


def test_handoff_results_pass_unchanged_and_reset_the_counters():
    state = SessionSafetyState()
    state.observe(t1("sleep"))
    crisis = detect("ik wil dood")
    assert state.observe(crisis) is crisis
    assert state.observe(t1("sleep")).category == "none"  # counters started again


def test_two_misunderstood_turns_in_a_row_become_uncertain():
    state = SessionSafetyState()
    assert state.observe(NO_SIGNAL, understood=False).category == "none"
    raised = state.observe(NO_SIGNAL, understood=False)
    assert (raised.category, raised.handoff_reason) == ("uncertain", "uncertain")
    state.observe(NO_SIGNAL, understood=False)
    assert state.observe(NO_SIGNAL, understood=True).category == "none"


def test_state_round_trips_through_a_dict():
    state = SessionSafetyState()
    state.observe(t1("sleep"))
    state.observe(SafetyResult("none", "somatic", "buik", 0))
    copy = SessionSafetyState.from_dict(state.to_dict())
    assert copy.observe(t1("depression")).category == "emotion"
    assert SessionSafetyState.from_dict(None).turn == 0

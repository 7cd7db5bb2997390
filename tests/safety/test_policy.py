"""The safety policy's decision table (bot/safety/policy.py): what the detectors saw ×
the question being answered × the session so far → one decision."""

from __future__ import annotations

import pytest

from bot.safety import policy
from bot.safety.policy import CONTINUE, CRISIS, HAND_OVER, NOTE, OFFER_PERSON, Opinion
from bot.safety.result import NO_SIGNAL, SafetyResult
from bot.safety.session_state import SessionSafetyState

QUIET = Opinion()
SEES_CRISIS = Opinion(crisis=True)
SEES_EMOTION = Opinion(emotion=True)
SEES_REQUEST = Opinion(request=True)

T3 = SafetyResult("crisis", "suicide", "ik wil dood", 3)
T2_EMOTION = SafetyResult("emotion", "hopelessness", "alles is kapot", 2)
T2_REQUEST = SafetyResult("request", "request_human", "een begeleider", 2)
T2_MINOR = SafetyResult("uncertain", "minor", "ik ben 16", 2)
T1_FEELING = SafetyResult("none", "depression", "ik huil", 1)
T1_NOTE = SafetyResult("none", "distrust", "wie leest dit", 1)
DIET_HINT = SafetyResult("none", "classifier_emotion", None, 1, escalation="intent:express_emotion")


def fixed(result: SafetyResult):
    return lambda text, intent=None, confidence=None: result


# detector result, second opinion, asked slot -> action, hand-off reason
TABLE = [
    # crisis from any detector wins, in every question context
    (T3, QUIET, None, CRISIS, "crisis"),
    (T3, QUIET, "goal_needs", CRISIS, "crisis"),
    (T3, SEES_REQUEST, "life_here", CRISIS, "crisis"),
    # the learned second opinion raises a crisis the lexicon missed (fail safe)
    (NO_SIGNAL, SEES_CRISIS, None, CRISIS, "crisis"),
    (NO_SIGNAL, SEES_CRISIS, "life_here", CRISIS, "crisis"),
    (T2_EMOTION, SEES_CRISIS, None, CRISIS, "crisis"),
    (T1_FEELING, SEES_CRISIS, "worries", CRISIS, "crisis"),
    # strong emotion, a minor: hand over now
    (T2_EMOTION, QUIET, None, HAND_OVER, "emotion"),
    (T2_EMOTION, QUIET, "life_here", HAND_OVER, "emotion"),
    (T2_MINOR, QUIET, None, HAND_OVER, "uncertain"),
    # a request for a person: hand over, also when only the second opinion hears it
    (T2_REQUEST, QUIET, None, HAND_OVER, "request"),
    (T2_REQUEST, QUIET, "life_here", HAND_OVER, "request"),
    (NO_SIGNAL, SEES_REQUEST, None, HAND_OVER, "request"),
    (NO_SIGNAL, SEES_REQUEST, "life_here", HAND_OVER, "request"),
    # ... but the second opinion alone never turns the content of a need or a step into one
    (NO_SIGNAL, SEES_REQUEST, "goal_needs", CONTINUE, None),
    (NO_SIGNAL, SEES_REQUEST, "step_what", CONTINUE, None),
    # a feeling: name it and offer a pause or a person, in any context
    (T1_FEELING, QUIET, None, OFFER_PERSON, None),
    (T1_FEELING, QUIET, "life_here", OFFER_PERSON, None),
    (NO_SIGNAL, SEES_EMOTION, None, OFFER_PERSON, None),
    (T1_FEELING, QUIET, "has_children", OFFER_PERSON, None),
    # the answer to a choice question is read by the lexicon only
    (NO_SIGNAL, SEES_EMOTION, "has_children", CONTINUE, None),
    (NO_SIGNAL, SEES_CRISIS, "has_children", CONTINUE, None),
    (T3, QUIET, "has_children", CRISIS, "crisis"),
    # DIET's guess alone and signals without a feeling are logged, not offered
    (DIET_HINT, QUIET, None, NOTE, None),
    (T1_NOTE, QUIET, None, NOTE, None),
    # nothing
    (NO_SIGNAL, QUIET, None, CONTINUE, None),
    (NO_SIGNAL, QUIET, "life_here", CONTINUE, None),
]


@pytest.mark.parametrize("seen, opinion, slot, action, reason", TABLE)
def test_decision_table(seen, opinion, slot, action, reason):
    reading = policy.assess(
        "dit is een tekst", asked_slot=slot, detector=fixed(seen), second_opinion=lambda t: opinion
    )
    assert reading["action"] == action
    assert reading["handoff_reason"] == reason
    if action == OFFER_PERSON:
        assert policy.empathy_response(reading), "an offer always comes with an empathic line"
    else:
        assert policy.empathy_response(reading) is None


def test_the_feeling_kind_chooses_the_empathic_line():
    grief = SafetyResult("none", "feeling", "mijn moeder is dood", 1, kind="grief")
    reading = policy.assess("mijn moeder", detector=fixed(grief), second_opinion=lambda t: QUIET)
    assert policy.empathy_response(reading) == "utter_empathy_grief"
    heard = policy.assess(
        "dit is een tekst", detector=fixed(NO_SIGNAL), second_opinion=lambda t: SEES_EMOTION
    )
    assert policy.empathy_response(heard) == "utter_empathy_general"


@pytest.mark.parametrize(
    "text, slot",
    [
        ("een", None),  # "een" was a request at 0.6: letters alone
        ("Heel veel", None),  # "Heel veel" was a crisis
        ("ja, ik heb insuline nodig", "uses_medication"),  # the answer to a yes/no question
        ("het maakt het veel moeilijker", "family_origin_direction"),
    ],
)
def test_short_answers_and_answers_to_choice_questions_get_no_second_opinion(text, slot):
    reading = policy.assess(
        text, asked_slot=slot, detector=fixed(NO_SIGNAL), second_opinion=lambda t: SEES_CRISIS
    )
    assert reading["action"] == CONTINUE


def test_the_kiosk_button_is_a_request_whatever_the_detectors_say():
    reading = policy.assess("/request_human", detector=fixed(NO_SIGNAL), second_opinion=lambda t: QUIET)
    assert reading["action"] == HAND_OVER and reading["handoff_reason"] == "request"


def test_a_broken_second_opinion_leaves_the_lexicon_deciding(monkeypatch):
    from bot.safety import classifier

    def broken(text):
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr(classifier, "second_opinion", broken)
    assert policy.classifier_opinion("ik wil dood") == policy.NO_OPINION
    assert policy.assess("ik wil dood")["action"] == CRISIS
    assert policy.assess("ik woon in het azc")["action"] == CONTINUE


# --- with the real detector ------------------------------------------------------------


def test_a_harmless_use_vetoes_the_second_opinion():
    reading = policy.assess("mijn telefoon is dood", second_opinion=lambda t: SEES_CRISIS)
    assert reading["action"] != CRISIS


def test_help_as_the_answer_to_what_do_you_need_is_an_answer_with_an_offer():
    reading = policy.assess("hulp", asked_slot="goal_needs", second_opinion=lambda t: QUIET)
    assert reading["action"] == OFFER_PERSON and reading["handoff_reason"] is None
    assert reading["context_free"]["category"] == "request"
    assert policy.empathy_response(reading) is None  # the person question, no feeling line


def test_a_yes_to_the_offer_of_a_person_hands_over():
    reading = policy.assess("ja graag", asked_slot="person_offer", second_opinion=lambda t: QUIET)
    assert reading["action"] == HAND_OVER and reading["handoff_reason"] == "request"


# --- the session (tier x state) ---------------------------------------------------------


def test_a_signal_back_within_three_turns_hands_over():
    state = SessionSafetyState()
    sleep = SafetyResult("none", "sleep", "ik slaap niet", 1)
    assert policy.after_turn(state, sleep, understood=True) is None
    assert policy.after_turn(state, NO_SIGNAL, understood=True) is None
    raised = policy.after_turn(state, sleep, understood=True)
    assert raised is not None and raised.handoff_reason == "emotion"


def test_two_misunderstood_turns_in_a_row_hand_over():
    state = SessionSafetyState()
    assert policy.after_turn(state, NO_SIGNAL, understood=False) is None
    raised = policy.after_turn(state, NO_SIGNAL, understood=False)
    assert raised is not None and raised.handoff_reason == "uncertain"


def test_a_misunderstood_turn_between_understood_ones_does_not():
    state = SessionSafetyState()
    for understood in (False, True, False, True):
        assert policy.after_turn(state, NO_SIGNAL, understood=understood) is None


@pytest.mark.parametrize(
    "readings, rasa, accumulated, expected",
    [
        ([{"category": "none"}, {"category": "crisis"}], "request", None, "crisis"),
        ([{"category": "crisis"}, None], None, None, "crisis"),
        ([{"category": "none"}, {"category": "none"}], "request", None, "request"),
        ([{"category": "emotion"}, {"category": "none"}], None, None, "emotion"),
        ([{"category": "none"}, None], None, "uncertain", "uncertain"),
        ([{"category": "none"}, None], None, None, None),
        ([None, None], None, "crisis", "crisis"),
    ],
)
def test_the_hand_off_of_a_turn_crisis_from_any_source_wins(readings, rasa, accumulated, expected):
    assert policy.handoff_reason(readings, rasa_reason=rasa, accumulated=accumulated) == expected


# --- a turn the bot did not understand -------------------------------------------------


@pytest.mark.parametrize(
    "scores, expected",
    [
        ({"crisis": 0.1, "emotion": 0.1, "request": 0.35, "neutral": 0.45}, HAND_OVER),
        ({"crisis": 0.35, "emotion": 0.1, "request": 0.1, "neutral": 0.45}, OFFER_PERSON),
        ({"crisis": 0.1, "emotion": 0.4, "request": 0.1, "neutral": 0.4}, OFFER_PERSON),
        ({"crisis": 0.1, "emotion": 0.1, "request": 0.1, "neutral": 0.7}, None),
    ],
)
def test_a_not_understood_turn_that_the_second_opinion_half_hears_goes_toward_a_person(scores, expected):
    half = Opinion(scores=scores)  # below its own thresholds: no hand-off on an understood turn
    reading = policy.assess(
        "kun je mij even helpen hiermee", detector=fixed(NO_SIGNAL), second_opinion=lambda t: half
    )
    assert reading["action"] == CONTINUE
    assert policy.when_not_understood(reading) == expected


@pytest.mark.parametrize(
    "text",
    [
        "wil niet zegen",
        "ik ga nooit meer terug, echt niet",
        "ik wil toch praten",
        "ga je dit aan de ind geven",
    ],
)
def test_declining_pushback_and_a_yes_to_the_talk_are_not_raised_by_the_second_opinion(text):
    # The model took these answers to the coach for a wish to die or for a person; the policy asks
    # for a word of that kind in the text before it trusts it (CRISIS_CUES, REQUEST_CUES).
    assert policy.assess(text)["action"] in (CONTINUE, NOTE)

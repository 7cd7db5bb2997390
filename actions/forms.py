"""Form validators of the three phases: every answer is reflected and written.

Open questions accept any words (also what the NLU did not understand: an open
answer is never wrong). "Weet ik niet" and "dat zeg ik liever niet" are answers
too: they are recorded with their status and never asked again. Closed
questions (buttons) that get an unclear answer are asked once more; a second
unclear answer is recorded as "weet ik niet" so the client is never stuck.

Which slot is validated how comes from ``bot.conversation.questions``: the
validators below dispatch on the question's kind.
"""

from __future__ import annotations

import functools
import uuid
from datetime import date
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import tracker_info
from actions.plan_writer import PlanWriter
from bot.conversation import dates, listening, normalise, questions, spelling
from bot.safety import answer_context
from bot.safety import policy
from bot.safety.answer_context import OFFER_DECLINED, OFFER_PENDING, OFFER_SLOT, OFFER_UNCLEAR
from bot.conversation import questions as q_
from bot.conversation.questions import DECLINED, NO_ANSWER_MARKERS, SKIPPED, UNKNOWN
from bot.conversation import second_reflection
from bot.conversation.reflection import client_words, double_sided, looks_like_place, split_who_when

MAX_ANSWER_CHARS = 4000  # the plan schema's limit for a text answer
# "Wilt u het hier liever niet over hebben? Dat mag." after pushback on a topic; the topic's
# slot waits in SKIP_TOPIC. "U zei dat u uit Guinee komt. Klopt dat?" before the country
# question when the country was only named in passing (COUNTRY_HEARD).
SKIP_SLOT, SKIP_TOPIC, PENDING = "skip_offer", "skip_topic", "pending"
CHECK_SLOT, COUNTRY_HEARD = "country_check", "country_heard"
# Whether "maakt dit teruggaan moeilijker of makkelijker?" may still be asked (once per talk).
RETURN_SCORING = questions.RETURN_SCORING
HEARD = "heard"  # what listening wrote already: {"keys": [...], "notes": [[line, message id]], …}
T1_FEAR_FLAGS = ("safety_fear",)
# Questions answered in the client's own words (the rest have buttons).
OWN_WORDS_KINDS = (
    questions.TEXT,
    questions.TEXT_LIST,
    questions.FACTOR,
    questions.SUPPORTER,
    questions.MEDICINE,
    questions.WORRY,
    questions.COUNTRY,
    questions.ACTION_PART,
    questions.EXPERIENCE,
    questions.SOURCE,
    questions.GOAL,
    questions.NEED,
    questions.EXPECTATIONS,
)

Result = Dict[Text, Any]


def _clean(value: Any) -> str:
    return " ".join(str(value or "").split())[:MAX_ANSWER_CHARS]


# Below this the NLU's "decline" or "weet niet" is a guess, not the client's wish: an
# emotional sentence whose safety intent was set aside can land on "decline_answer"
# with confidence 0.001, and must not be recorded as a refusal (the FallbackClassifier's
# threshold in config.yml).
MIN_MARKER_CONFIDENCE = 0.5
# A longer open answer that mentions not knowing says more than "weet ik niet" (the short
# forms are caught by normalise.is_dont_know whatever the NLU said).
MAX_NOT_KNOWING_WORDS = 6


def no_answer_marker(tracker: Tracker) -> Optional[str]:
    """DECLINED / UNKNOWN when the client refuses or does not know, else None."""
    intent = tracker_info.intent_name(tracker)
    text = tracker_info.text(tracker)
    sure = text.startswith("/") or (tracker_info.confidence(tracker) or 0.0) >= MIN_MARKER_CONFIDENCE
    if not text.startswith("/") and normalise.yes_no(text) is True and not normalise.is_decline(text):
        return None  # "ja dat klopt" agrees, whatever the NLU guessed
    if (intent == "decline_answer" and sure) or normalise.is_decline(text):
        return DECLINED
    if (intent == "dont_know" and sure and _may_be_not_knowing(tracker, text)) or normalise.is_dont_know(
        text
    ):
        if _says_more_than_not_knowing(tracker, text) and not second_reflection.dont_know_reason(text):
            return None  # "weet niet, geld": the money is the client's answer (a reason for not
            # knowing, "weet ik niet. ik ken daar niemand", is no answer: given back below)
        return UNKNOWN
    return None


_NOT_KNOWING_WORDS = frozenset(
    """
    weet weten wet wee niet nie nog ik het dat idee geen no idea sais pas je ne dont don't know i
    weetniet wetniet weetnie wetnie kweet
    echt eigenlijk nu sorry misschien ja nee hmm eh ok oke goed zo precies
""".split()
)


def _says_more_than_not_knowing(tracker: Tracker, text: str) -> bool:
    """An open answer ("weet niet, geld") that names something beside not knowing."""
    slot = tracker.get_slot("requested_slot")
    if (
        text.startswith("/")
        or not slot
        or not questions.has_question(slot)
        or questions.question(slot).kind not in OWN_WORDS_KINDS + (questions.WHY,)
    ):
        return False
    words = [w for w in normalise.fold(text).replace(",", " ").split() if w.strip(".!?;:")]
    return any(len(w.strip(".!?;:")) >= 4 and w.strip(".!?;:") not in _NOT_KNOWING_WORDS for w in words)


def _may_be_not_knowing(tracker: Tracker, text: str) -> bool:
    """An open answer is recorded as "weet ik niet" only when its words say so: the NLU's
    guess alone would turn "moeilijk" (about life here) into a lost answer."""
    slot = tracker.get_slot("requested_slot")
    if (
        text.startswith("/")
        or not slot
        or not questions.has_question(slot)
        or questions.question(slot).kind not in OWN_WORDS_KINDS
    ):
        return True
    # "ik ken niemand daar, ik weet niet hoe het daar is" is an answer with content: kept.
    return normalise.mentions_not_knowing(text) and len(text.split()) <= MAX_NOT_KNOWING_WORDS


def yes_or_no(tracker: Tracker, value: Any) -> Optional[bool]:
    """A yes/no question that gates something (information, a write, another step): the
    button or the NLU's affirm/deny, else the words; a refusal or "weet niet" is a no.
    None when it stays unclear."""
    agreed = {"affirm": True, "deny": False}.get(tracker_info.intent_name(tracker) or "")
    if agreed is None:
        agreed = normalise.yes_no(_clean(value))
    if agreed is None and no_answer_marker(tracker):
        agreed = False
    return agreed


def _writer_slots(writer: PlanWriter) -> Result:
    return {event["name"]: event["value"] for event in writer.events()}


def _is_t1(tracker: Tracker) -> bool:
    """A signal worth noting that is not a hand-off (docs/specs/safety.md §1.2, tier 1)."""
    safety = tracker_info.safety(tracker)
    # Only what the lexicon saw: the classifier's guesses ("classifier_*") are recorded for the
    # counsellor, but offering a person on every one of them would interrupt ordinary answers.
    if str(safety.get("flag") or "").startswith("classifier_"):
        return False
    # A request that was the content of the answer gets its own offer (the person_offer question).
    if answer_context.is_demoted(safety):
        return False
    return safety.get("category") == "none" and int(safety.get("tier") or 0) == 1


# Feelings that lie in what the client tells as their answer (what others will say, what could
# happen), not in a loss or tears: the answer is reflected before the feeling is named.
FEELINGS_ABOUT_WHAT_WAS_TOLD = ("shame", "worry")


def only_a_guessed_feeling(tracker: Tracker) -> bool:
    """The learned second opinion alone heard "some feeling" in an open answer: the lexicon
    named none, so there is no feeling to name. "Ze denken dat ik hier geld verdien" to "wat
    verwacht uw familie?" is the answer, reflected in its own words (P1 Mamadou); a generic
    "dat raakt u" in its place would be a stock line. The offer of a person still follows (t1)."""
    safety = tracker_info.safety(tracker)
    return (
        safety.get("flag") == policy.SECOND_OPINION_EMOTION
        and safety.get("kind") in (None, policy.GENERAL_KIND)
        and is_sentence(tracker_info.text(tracker))
    )


def _offer_due(tracker: Tracker) -> bool:
    """Ask "wilt u nu met een begeleider praten?" now: an answer that named a person or help
    was just recorded, or the question is still open (after an unclear reply or a detour)."""
    if tracker.get_slot(OFFER_SLOT) != OFFER_PENDING:
        return False
    return tracker.get_slot("requested_slot") == OFFER_SLOT or answer_context.is_demoted(
        tracker_info.safety(tracker)
    )


def _interruptions(domain: DomainDict) -> List[str]:
    """The intents no form answer is taken from (domain.yml, the slots' ``not_intent``)."""
    for slot in (domain.get("slots") or {}).values():
        for mapping in slot.get("mappings") or []:
            if mapping.get("not_intent"):
                return list(mapping["not_intent"])
    return list(tracker_info.SAFETY_INTENTS)


class _AnswerValidation:
    """Validation shared by the three forms, chosen by the question's kind."""

    phase = ""

    def __getattr__(self, name: str):
        # rasa_sdk looks up ``validate_<slot>``; every slot of this phase has one.
        if name.startswith("validate_"):
            slot = name[len("validate_") :]
            if questions.has_question(slot) and questions.question(slot).phase == self.phase:
                return functools.partial(self._validate, slot)
        raise AttributeError(name)

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        """Only the questions that apply now (medicine names only if the client takes some, …)."""
        active = set(questions.active_slots(self.phase, tracker.slots))
        required = [slot for slot in domain_slots if slot in active or not questions.has_question(slot)]
        if tracker.get_slot("requested_slot") == OFFER_SLOT:
            required.insert(0, OFFER_SLOT)  # its reply is extracted and validated here
        # The same for the skip offer and the country check, while they are open: once answered
        # (their topic cleared) they are not required again, or "Nee, ik vertel wel" would bring
        # the skip offer back instead of the topic's question (MI round 1, Ibrahim).
        for extra, open_while in ((SKIP_SLOT, SKIP_TOPIC), (CHECK_SLOT, COUNTRY_HEARD)):
            if tracker.get_slot("requested_slot") == extra and tracker.get_slot(open_while):
                required.insert(0, extra)
        return required

    async def _extract_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Validation, then the next question; a question asked in the last two turns in a
        row is not asked a third time: it is left open as "weet ik niet" and the form moves on."""
        events = await self.get_validation_events(dispatcher, tracker, domain)
        tracker.add_slots(events)
        for _ in range(8):
            next_slot = await self.next_requested_slot(dispatcher, tracker, domain)
            slot = next_slot.get("value") if next_slot else None
            if not slot or asks_in_a_row(tracker, slot) < MAX_ASKS_IN_A_ROW:
                break
            if slot in (SKIP_SLOT, CHECK_SLOT, OFFER_SLOT):
                cleared: Dict[str, Result] = {
                    SKIP_SLOT: {SKIP_SLOT: None, SKIP_TOPIC: None},
                    CHECK_SLOT: {CHECK_SLOT: None, COUNTRY_HEARD: None},
                    OFFER_SLOT: {OFFER_SLOT: OFFER_UNCLEAR},
                }
                moved = cleared[slot]
            else:
                moved = self._record_no_answer(slot, UNKNOWN, dispatcher, PlanWriter(tracker), quiet=True)
            dispatcher.utter_message(response="utter_unclear_moving_on")
            extra = [SlotSet(name, value) for name, value in moved.items()]
            tracker.add_slots(extra)
            events.extend(extra)
        if next_slot:
            events.append(next_slot)
        return events

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Optional[EventType]:
        if _offer_due(tracker):
            return SlotSet("requested_slot", OFFER_SLOT)
        if tracker.get_slot(SKIP_SLOT) == PENDING:
            return SlotSet("requested_slot", SKIP_SLOT)
        event = await super().next_requested_slot(dispatcher, tracker, domain)  # type: ignore[misc]
        if (
            event is not None
            and event.get("value") == "country_of_origin"
            and tracker.get_slot(COUNTRY_HEARD)
        ):
            return SlotSet("requested_slot", CHECK_SLOT)
        return event

    # --- "wilt u nu met een begeleider praten?" (bot.safety.answer_context) -------
    async def extract_person_offer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        if tracker.get_slot("requested_slot") != OFFER_SLOT:
            return {}
        if tracker_info.intent_name(tracker) in _interruptions(domain):
            # The "yes" button (/request_human), a typed yes read as a request, a crisis …:
            # the form takes nothing, so the safety rules hand off as they always do.
            return {}
        return {OFFER_SLOT: tracker_info.text(tracker) or "?"}

    async def validate_person_offer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        text, intent = tracker_info.text(tracker), tracker_info.intent_name(tracker)
        if answer_context.declines_offer(text, intent):
            return {OFFER_SLOT: OFFER_DECLINED, "unclear_slot": None}
        # A yes is a request (the safety component reads it so) and never gets here. Anything
        # else: ask once more with the buttons, then go on (the person button stays on screen).
        if tracker.get_slot("unclear_slot") == OFFER_SLOT:
            dispatcher.utter_message(response="utter_unclear_moving_on")
            return {OFFER_SLOT: OFFER_UNCLEAR, "unclear_slot": None}
        dispatcher.utter_message(response="utter_unclear_button")
        return {OFFER_SLOT: OFFER_PENDING, "unclear_slot": OFFER_SLOT}

    # --- "Wilt u het hier liever niet over hebben? Dat mag." (after pushback) -------
    async def extract_skip_offer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        if tracker.get_slot("requested_slot") != SKIP_SLOT or tracker_info.intent_name(
            tracker
        ) in _interruptions(domain):
            return {}
        return {SKIP_SLOT: tracker_info.text(tracker) or "?"}

    async def validate_skip_offer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        topic = tracker.get_slot(SKIP_TOPIC)
        done = {SKIP_SLOT: None, SKIP_TOPIC: None}
        if not topic or not questions.has_question(topic):
            return done
        text = tracker_info.text(tracker)
        skip = yes_or_no(tracker, value)
        if skip is None and is_sentence(text) and not is_push_back(tracker, topic):
            # Not a yes or no but words about the topic: they are the answer after all.
            result = await self._validate(topic, text, dispatcher, tracker, domain)
            return {**done, **result}
        if skip is False:
            dispatcher.utter_message(response="utter_skip_not_wanted")
            heard = dict(tracker.get_slot(HEARD) or {})
            heard["skip_declined"] = list(dict.fromkeys([*(heard.get("skip_declined") or []), topic]))
            return {**done, HEARD: heard}  # the form asks the topic's question again
        # Yes (or pushback again, or unclear): the topic is left, recorded as not told.
        writer = PlanWriter(tracker)
        result = self._record_no_answer(topic, DECLINED, dispatcher, writer, quiet=True)
        for follow_up in (f"{topic}_direction", f"{topic}_amount"):
            if questions.has_question(follow_up):
                result[follow_up] = SKIPPED
        dispatcher.utter_message(response="utter_skip_ok")
        return {**done, **result}

    # --- "U zei dat u uit Guinee komt. Klopt dat?" (a country named in passing) -----
    async def extract_country_check(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        if tracker.get_slot("requested_slot") != CHECK_SLOT or tracker_info.intent_name(
            tracker
        ) in _interruptions(domain):
            return {}
        return {CHECK_SLOT: tracker_info.text(tracker) or "?"}

    async def validate_country_check(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        heard = tracker.get_slot(COUNTRY_HEARD)
        done = {CHECK_SLOT: None, COUNTRY_HEARD: None}
        named = normalise.country(tracker_info.text(tracker) or "")
        agreed: Optional[bool]
        if named and named != heard:  # "nee, ik kom uit Mali": the client's correction
            heard, agreed = named, True
        else:
            agreed = yes_or_no(tracker, value)
        if not agreed or not heard:
            return done  # the country question comes as usual
        writer = PlanWriter(tracker)
        writer.answer("client_info.country_of_origin", heard)
        dispatcher.utter_message(response="utter_reflect_country_of_origin", country=heard)
        return {**done, "country_of_origin": heard, **_writer_slots(writer)}

    async def _validate(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        kind = questions.question(slot).kind
        text = tracker_info.text(tracker)
        if normalise.is_go_back(text):
            # "Vorige vraag" that the NLU took for an answer: never record it as one.
            return self._go_back(slot, dispatcher, tracker)
        if normalise.is_greeting(text) and tracker_info.intent_name(tracker) in ("greet", "inform", None):
            # "Hallo" in the middle of the talk: hello back, and the same question again.
            dispatcher.utter_message(response="utter_greet_back")
            return {slot: None}
        if kind in OWN_WORDS_KINDS and not no_answer_marker(tracker):
            if text.startswith("/"):  # a button of an earlier question: not an answer to this one
                dispatcher.utter_message(response="utter_type_own_words")
                return {slot: None}
        if is_push_back(tracker, slot):
            result = push_back(slot, dispatcher, tracker)
            return {**result, **listen(slot, dispatcher, tracker, result)}
        handler = getattr(self, f"_kind_{kind}", None) or self._open_answer
        result = handler(slot, value, dispatcher, tracker)
        # Listening: whatever the open question, everything else the message carries is
        # written to the plan with its message id, and the questions it answers are skipped.
        result = {**result, **listen(slot, dispatcher, tracker, result)}
        if (
            kind == questions.DIRECTION
            and result.get(slot) is not None
            and tracker.get_slot(RETURN_SCORING) != questions.SCORING_DECLINED
        ):
            result[RETURN_SCORING] = questions.SCORING_DONE  # asked once per talk, not after each topic
        if answer_context.is_demoted(tracker_info.safety(tracker)):
            # The answer named a person or help as its content (a step with the counsellor,
            # "hulp" as a need): it is recorded above, and the form now asks whether the
            # client wants a person now, instead of handing off (docs/specs/safety.md §1.5).
            result = {**result, OFFER_SLOT: OFFER_PENDING, "unclear_slot": None}
        return result

    def _go_back(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Result:
        from actions.conversation import clear_events, previous_question

        values = {name: tracker.get_slot(name) for name in questions.all_slots()}
        previous = previous_question(self.phase, slot, values)
        if previous is None:
            dispatcher.utter_message(response="utter_go_back_nothing")
            return {slot: None}
        dispatcher.utter_message(response="utter_go_back")
        # Emptying the earlier answer makes the form ask it next (required slots keep their order).
        return {**{event["name"]: None for event in clear_events([previous])}, slot: None}

    # --- answers that are not answers ---------------------------------------------
    def _record_no_answer(
        self,
        slot: str,
        marker: str,
        dispatcher: CollectingDispatcher,
        writer: PlanWriter,
        *,
        quiet: bool = False,
    ) -> Result:
        status = "declined" if marker == DECLINED else "unknown"
        target = questions.plan_no_answer(slot, status)
        if target is not None:
            path, value, write_status = target
            writer.answer(path, value, status=write_status)
        elif marker == DECLINED and slot in questions.DECLINED_SECTIONS:
            # A list with no place for a refusal: the section says so, and a later
            # session does not ask again.
            writer.section_status(questions.DECLINED_SECTIONS[slot], "declined")
        if not quiet:
            dispatcher.utter_message(
                response="utter_ack_declined" if marker == DECLINED else "utter_ack_dont_know"
            )
        return {slot: marker, "unclear_slot": None, **_writer_slots(writer)}

    def _unclear(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Result:
        """First unclear answer to a button question: ask again. Second: leave it open.

        A sentence is never met with "kies een knop": what it carries is written (the
        listening hook), the client hears that, and the question comes once more."""
        if tracker.get_slot("unclear_slot") == slot:
            writer = PlanWriter(tracker)
            result = self._record_no_answer(slot, UNKNOWN, dispatcher, writer, quiet=True)
            dispatcher.utter_message(response="utter_unclear_moving_on")
            return result
        text = tracker_info.text(tracker)
        if is_sentence(text):
            return {slot: None, "unclear_slot": slot}  # listen() says what it heard, then the question
        if text and not text.startswith("/"):
            # "veilig wel": typed words are never met with "kies een knop".
            dispatcher.utter_message(response="utter_unclear_typed")
            return {slot: None, "unclear_slot": slot}
        dispatcher.utter_message(response="utter_unclear_button")
        return {slot: None, "unclear_slot": slot}

    # --- open answers -------------------------------------------------------------
    def _open_answer(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Result:
        writer = PlanWriter(tracker)
        marker = no_answer_marker(tracker)
        if marker:
            result = self._record_no_answer(slot, marker, dispatcher, writer)
            _utter(dispatcher, second_reflection.dont_know_because(tracker_info.text(tracker)))
            return result
        answer = _clean(value)
        if not answer:
            return {slot: None}
        kind = questions.question(slot).kind
        if kind == questions.SUPPORTER and normalise.is_nobody(answer):
            # Nobody is not a helper: nothing for the list; the transcript keeps the words.
            dispatcher.utter_message(response=f"utter_reflect_{slot}_nobody")
            return {slot: answer, **_writer_slots(writer)}
        if kind == questions.SOURCE and not_a_source(answer) and tracker.get_slot("unclear_slot") == slot:
            # The second time no source either: "weet ik niet" for the news, and on (what the
            # answer tells is written by listen()).
            result = self._record_no_answer(slot, UNKNOWN, dispatcher, writer, quiet=True)
            return {**result, **_note(tracker, "Ook verteld", answer)}  # nothing is lost
        if kind == questions.SOURCE and not_a_source(answer):
            # "Ik hoop dat mijn dochters kunnen leren" to "hoe hoort u nieuws?": a hope, not a
            # source of news. It is given back and written as a hope (listen); the question
            # comes once more (never "U hoort het nieuws via: u hoopt …").
            kinds = {f.kind for f in listening.hear(answer)}
            if listening.HOPE in kinds or listening.WORRY in kinds:
                _utter(
                    dispatcher,
                    second_reflection.first_reflection(
                        "hopes" if listening.HOPE in kinds else "worries", answer
                    ),
                )
            return {slot: None, "unclear_slot": slot}  # a need: listen() says it was heard
        if kind == questions.EXPERIENCE:
            other = told_the_other_experience(slot, answer, tracker)
            if other:
                # School told to "welk werk?" (or work to "welke school?"): filed where it
                # belongs, given back as that, and this question comes once more.
                for path, plan_value in questions.plan_writes(other, answer, tracker.slots):
                    writer.answer(path, plan_value)
                _utter(dispatcher, second_reflection.first_reflection(other, answer))
                return {slot: None, other: answer, **_writer_slots(writer)}
        drop_earlier_answer(slot, tracker, writer)  # a corrected answer replaces the old item
        named = tracker_info.entities(tracker, "medication") if kind == questions.MEDICINE else []
        context = dict(tracker.slots)
        result = {slot: answer}
        if kind in (questions.GOAL, questions.NEED):
            # One goal per talk, with an id the needs (and a correction) point at.
            context["goal_id"] = result["goal_id"] = tracker.get_slot("goal_id") or new_goal_id()
        for part in named or [answer]:  # one medicine item per name the NLU found
            for path, plan_value in questions.plan_writes(slot, str(part), context):
                writer.answer(path, plan_value)
        if (kind == questions.EXPECTATIONS and normalise.is_nothing(answer)) or (
            kind == questions.EXPERIENCE and normalise.is_no_experience(answer)
        ):
            dispatcher.utter_message(response=f"utter_reflect_{slot}_nothing")
            return {**result, **_writer_slots(writer)}
        sides = double_sided(answer)
        flag = tracker_info.safety(tracker).get("flag")
        if slot == "safety_origin" and flag in T1_FEAR_FLAGS:
            # Fear of persecution: never reassure; legal options come first
            # (docs/specs/safety.md §1.3).
            # The fear is the client's answer to "maakt u zich zorgen?": not asked again.
            writer.answer("sections.safety.legal_check_advised", True)
            for path, plan_value in questions.plan_writes("safety_worried", True, {slot: answer}):
                writer.answer(path, plan_value)
            result["safety_worried"] = True
            dispatcher.utter_message(response="utter_reflect_safety_fear")
        elif sides:
            dispatcher.utter_message(response="utter_reflect_double_sided", first=sides[0], second=sides[1])
        elif policy.empathy_response(tracker_info.safety(tracker)) and not only_a_guessed_feeling(tracker):
            # A feeling, a loss, fear, pain or tears: named in plain words, never a stock echo
            # (bot/safety/policy.py); the offer of a pause or a person follows (t1).
            if tracker_info.safety(tracker).get("kind") in FEELINGS_ABOUT_WHAT_WAS_TOLD:
                # "De mensen in mijn dorp gaan praten als ik terugkom zonder geld": the reason
                # itself is given back first, then the feeling under it (spec §4.5: shame ->
                # reflect the care behind it), so the answer is taken in, not only the feeling.
                _utter(dispatcher, second_reflection.first_reflection(slot, answer))
            dispatcher.utter_message(response=policy.empathy_response(tracker_info.safety(tracker)))
        else:
            _utter(dispatcher, second_reflection.first_reflection(slot, answer))
        t1 = _is_t1(tracker)
        if not t1 and not sides:
            # Reflect twice, ask once: the meaning, a feeling or a link (not after a
            # signal: the offer of a person comes next, and nothing should crowd it).
            _utter(
                dispatcher, second_reflection.after_answer(slot, answer, tracker.slots, flagged=bool(flag))
            )
        if t1:
            dispatcher.utter_message(response="utter_offer_person")
            # No scoring while something weighs on the client (docs/specs/action-plan.md §4.3).
            for follow_up in (f"{slot}_direction", f"{slot}_amount"):
                if questions.has_question(follow_up):
                    result[follow_up] = SKIPPED
        return {**result, **_writer_slots(writer)}

    def _kind_country(self, slot, value, dispatcher, tracker) -> Result:
        writer = PlanWriter(tracker)
        marker = no_answer_marker(tracker)
        if marker:
            return self._record_no_answer(slot, marker, dispatcher, writer)
        answer = _clean(value)
        found = tracker_info.entity(tracker, "country")
        country = (
            (normalise.country(str(found)) if found else None)
            or normalise.country(answer)
            or (str(found) if found else None)
        )
        if country:
            writer.answer("client_info.country_of_origin", country)
            dispatcher.utter_message(response="utter_reflect_country_of_origin", country=country)
            return {slot: country, **_writer_slots(writer)}
        # A place we do not know by name is still the client's answer, in their words.
        writer.answer("client_info.country_of_origin", answer)
        _utter(dispatcher, second_reflection.country_reflection(answer))
        # Only a place can stand in "… woont nog in {country_of_origin}?"; a sentence keeps the
        # question's variant without it.
        return {slot: answer if looks_like_place(answer) else UNKNOWN, **_writer_slots(writer)}

    # --- closed answers -----------------------------------------------------------
    def _kind_yes_no(self, slot, value, dispatcher, tracker) -> Result:
        writer = PlanWriter(tracker)
        intent = tracker_info.intent_name(tracker)
        answer = (
            True
            if normalise.qualified_yes(_clean(value))
            else {"affirm": True, "deny": False}.get(intent or "")
        )
        if answer is None:
            answer = normalise.yes_no(_clean(value))
        # The content decides over a bare yes or no: "nee, alleen soms pijn in rug" is a
        # complaint, "mijn dochters" a yes to "heeft u kinderen?".
        heard = heard_answer(slot, tracker_info.text(tracker))
        if heard is not None:
            answer = heard
        if answer is None:
            marker = no_answer_marker(tracker)
            if marker:
                return self._record_no_answer(slot, marker, dispatcher, writer)
            return self._unclear(slot, dispatcher, tracker)
        note = extra_words(tracker_info.text(tracker))
        for index, (path, plan_value) in enumerate(questions.plan_writes(slot, answer, tracker.slots)):
            # The client's own words beside a yes or no ("ja, hoofdpijn") are kept as its note.
            writer.answer(path, plan_value, note=note if index == 0 else None)
        result: Result = {slot: answer, "unclear_slot": None}
        medicine_note = " ".join(
            w for w in (note or "").split() if normalise.fold(w).strip(",.") not in _NOT_A_MEDICINE_NAME
        )
        named = tracker_info.entities(tracker, "medication") or (
            [medicine_note]
            if medicine_note
            and len(medicine_note.split()) <= 3
            and not normalise.fold(medicine_note).startswith(_GENERIC_MEDICINE)
            else []
        )
        if (
            slot == "uses_medication"
            and answer is True
            and named
            and not questions.is_settled(tracker.get_slot("medication_names"))
        ):
            # "ja, insuline": the name is told with the yes; "Welke medicijnen?" is not asked.
            for name in named:
                for path, plan_value in questions.plan_writes("medication_names", str(name), tracker.slots):
                    writer.answer(path, plan_value)
            result["medication_names"] = ", ".join(str(n) for n in named)
            dispatcher.utter_message(
                response="utter_reflect_medication_names", words=client_words(result["medication_names"])
            )
        elif (
            slot in ("physical_complaints", "mental_complaints")
            and note
            and client_words(note)
            and not normalise.is_dont_know(note)
        ):
            # "ja, hoofdpijn" / "nee, ik ben gezond": the client's own words back.
            dispatcher.utter_message(
                response="utter_reflect_health_note" if answer else "utter_reflect_health_note_no",
                words=client_words(note),
            )
        else:
            dispatcher.utter_message(response=f"utter_reflect_{slot}_{'yes' if answer else 'no'}")
        _utter(dispatcher, second_reflection.after_yes_no(slot, answer))
        return {**result, **_writer_slots(writer)}

    def _kind_direction(self, slot, value, dispatcher, tracker) -> Result:
        # The words first: a tapped "Moeilijker" is an answer even when the NLU
        # guessed "weet niet" for it.
        direction = normalise.factor_direction(_clean(value))
        if direction is None:
            marker = no_answer_marker(tracker)
            if marker == DECLINED:  # "sla over": no score, nothing more to ask
                return {slot: SKIPPED, "unclear_slot": None}
            if marker != UNKNOWN:
                return self._unclear(slot, dispatcher, tracker)
            direction = "neither"
        if direction == "neither":
            writer = PlanWriter(tracker)
            path, item = questions.plan_write(slot, None, tracker.slots)
            writer.answer(path, item)
            dispatcher.utter_message(response="utter_reflect_factor_neither")
            return {slot: direction, "unclear_slot": None, **_writer_slots(writer)}
        explanation = tracker.get_slot(slot[: -len("_direction")])
        _utter(dispatcher, second_reflection.after_direction(direction, explanation))
        result: Result = {slot: direction, "unclear_slot": None}
        amount = normalise.factor_amount(_clean(value))
        amount_slot = slot[: -len("_direction")] + "_amount"
        if amount is not None and questions.has_question(amount_slot):
            # "Veel moeilijker" (one button): direction and amount in one answer, so
            # "Hoeveel?" is not asked (fewer questions, MI round 1).
            writer = PlanWriter(tracker)
            path, item = questions.plan_write(
                amount_slot, normalise.factor_score(direction, amount), {**tracker.slots, slot: direction}
            )
            writer.answer(path, item)
            result.update({amount_slot: amount, **_writer_slots(writer)})
        return result  # else written with the amount

    def _kind_amount(self, slot, value, dispatcher, tracker) -> Result:
        amount = normalise.factor_amount(_clean(value))  # the words first, as for the direction
        if amount is None:
            if no_answer_marker(tracker):
                return {slot: SKIPPED, "unclear_slot": None}
            return self._unclear(slot, dispatcher, tracker)
        direction = tracker.get_slot(slot.replace("_amount", "_direction"))
        score = normalise.factor_score(direction, amount)
        writer = PlanWriter(tracker)
        path, item = questions.plan_write(slot, score, tracker.slots)
        writer.answer(path, item)
        dispatcher.utter_message(
            response=f"utter_reflect_factor_{direction}", amount=client_words(_clean(value)).lower()
        )
        return {slot: amount, "unclear_slot": None, **_writer_slots(writer)}

    def _kind_ruler(self, slot, value, dispatcher, tracker) -> Result:
        writer = PlanWriter(tracker)
        score = normalise.ruler(_clean(value))
        vague = score is None and normalise.ruler_vague(_clean(value)) is not None
        if vague:  # "best veel", "een beetje": read, and said back as a number
            score = normalise.ruler_vague(_clean(value))
        if score is None:
            marker = no_answer_marker(tracker)
            if marker:
                return self._record_no_answer(slot, marker, dispatcher, writer)
            return self._unclear(slot, dispatcher, tracker)
        path, plan_value = questions.plan_write(slot, score)
        writer.answer(path, plan_value)
        if vague:
            dispatcher.utter_message(
                response="utter_reflect_ruler_vague", words=client_words(_clean(value)).lower(), score=score
            )
        else:
            dispatcher.utter_message(response=f"utter_reflect_{slot}", score=score)
        _utter(dispatcher, second_reflection.after_ruler(slot, score))
        heard = dict(tracker.get_slot(HEARD) or {})
        heard["rulers"] = {**(heard.get("rulers") or {}), slot: writer.message_id}
        # "Waarom een 7 en niet een 4?": the lower number the next question names.
        return {
            slot: score,
            f"{slot}_lower": questions.lower_score(score),
            HEARD: heard,
            "unclear_slot": None,
            **_writer_slots(writer),
        }

    def _kind_why(self, slot, value, dispatcher, tracker) -> Result:
        """ "Waarom een 7 en niet een 4?": the client's reasons, kept with the score."""
        marker = no_answer_marker(tracker)
        if marker:
            dispatcher.utter_message(
                response="utter_ack_declined" if marker == DECLINED else "utter_ack_dont_know"
            )
            return {slot: marker, "unclear_slot": None}
        answer = _clean(value)
        condition = questions.question(slot).only_if
        if condition is None:  # a why-question is asked only after its ruler (questions.py)
            raise ValueError(f"why-question {slot!r} names no ruler in only_if")
        ruler = condition[0]
        writer = PlanWriter(tracker)
        ids = [(tracker.get_slot(HEARD) or {}).get("rulers", {}).get(ruler), writer.message_id]
        path = questions.question(ruler).path
        if path is None:
            raise ValueError(f"ruler {ruler!r} has no plan path to keep the reasons with")
        writer.answer(path, tracker.get_slot(ruler), note=answer, message_ids=[i for i in ids if i])
        words = client_words(answer)
        if words:
            dispatcher.utter_message(response="utter_reflect_ruler_why", words=words)
        return {slot: answer, "unclear_slot": None, **_writer_slots(writer)}

    def _kind_info_offer(self, slot, value, dispatcher, tracker) -> Result:
        """Information only after permission (docs/specs/conversation.md §0.6): yes -> the text,
        no -> fine."""
        agreed = yes_or_no(tracker, value)
        if agreed is None:
            return self._unclear(slot, dispatcher, tracker)
        dispatcher.utter_message(response=f"utter_info_{slot}" if agreed else "utter_info_not_now")
        return {slot: agreed, "unclear_slot": None}

    def _kind_option(self, slot, value, dispatcher, tracker) -> Result:
        writer = PlanWriter(tracker)
        marker = no_answer_marker(tracker)
        if marker == DECLINED:
            return self._record_no_answer(slot, marker, dispatcher, writer)
        option = "undecided" if marker == UNKNOWN else normalise.decision_option(_clean(value))
        if option is None:
            # Not clear which option the client means: give their words back, ask again.
            _utter(dispatcher, second_reflection.option_unclear(_clean(value)))
            return {slot: None}
        writer.answer("provisional_decision.option", option)
        dispatcher.utter_message(response=f"utter_reflect_option_{option}")
        _utter(dispatcher, second_reflection.after_option(option))
        return {slot: option, **_writer_slots(writer)}


class ValidateVerkennenForm(_AnswerValidation, FormValidationAction):
    phase = "verkennen"

    def name(self) -> Text:
        return "validate_verkennen_form"


class ValidateKiezenForm(_AnswerValidation, FormValidationAction):
    phase = "kiezen"

    def name(self) -> Text:
        return "validate_kiezen_form"


class ValidateVerkrijgenForm(_AnswerValidation, FormValidationAction):
    """Action items, one at a time: kind, what, who, when, 'zal ik het opschrijven?'
    (docs/specs/action-plan.md §3), then 'nog een stap?'."""

    phase = "verkrijgen"

    def name(self) -> Text:
        return "validate_verkrijgen_form"

    def _no_step(self, marker: str, dispatcher: CollectingDispatcher) -> Result:
        dispatcher.utter_message(response="utter_ack_declined" if marker == DECLINED else "utter_ack_no_step")
        # No step now: the rest of this item has nothing to ask about.
        return {
            "step_kind": marker,
            "step_what": marker,
            "step_who": marker,
            "step_when": marker,
            "step_confirm": False,
            "more_steps": False,
            "editing_step": None,
        }

    def _kind_action_part(self, slot, value, dispatcher, tracker) -> Result:
        marker = no_answer_marker(tracker)
        answer = _clean(value)
        if slot == "step_kind":
            return self._no_step(marker, dispatcher) if marker else {slot: normalise.action_kind(answer)}
        if slot == "step_what":
            if marker:
                return self._no_step(marker, dispatcher)
            _utter(dispatcher, second_reflection.step_what(answer))
            _utter(dispatcher, second_reflection.after_step_what(tracker.get_slot("goal")))
            return {slot: answer}
        if not marker and slot == "step_who":
            answer, when = split_who_when(answer)  # "volgende week, met mijn begeleider"
            _utter(dispatcher, second_reflection.after_step_who(answer))
            if when and not tracker.get_slot("step_when"):
                today = date.today()
                _utter(
                    dispatcher, second_reflection.after_step_when(when, dates.due_date(when, today), today)
                )
                return {slot: answer or None, "step_when": when}  # only a time: "wie?" comes again
        elif not marker and slot == "step_when":
            today = date.today()
            _utter(
                dispatcher, second_reflection.after_step_when(answer, dates.due_date(answer, today), today)
            )
        return {slot: marker or answer}  # who, when: the client's words

    def _kind_confirm(self, slot, value, dispatcher, tracker) -> Result:
        agreed = yes_or_no(tracker, value)
        if agreed is None:
            dispatcher.utter_message(response="utter_confirm_unclear")
            return {slot: None}
        if not agreed:
            dispatcher.utter_message(response="utter_step_not_written")
            return {slot: False, "editing_step": None}
        writer = PlanWriter(tracker)
        item = action_item_from_slots(tracker)
        steps = list(tracker.get_slot("steps_added") or [])
        editing = tracker.get_slot("editing_step")
        entry = {
            "id": item["id"],
            "what": item["description"],
            "who": item["owner_name"],
            "when": item["due_text"],
        }
        if editing and any(step.get("id") == editing for step in steps):
            # A changed step keeps its id and its place in the list.
            changes = {
                key: item.get(key)
                for key in ("section", "kind", "description", "owner", "owner_name", "due_text", "due_date")
            }
            writer.action_update(editing, changes)
            steps = [{**entry, "id": editing} if step.get("id") == editing else step for step in steps]
            dispatcher.utter_message(response="utter_step_changed")
        else:
            writer.action_item(item)
            steps.append(entry)
            dispatcher.utter_message(response="utter_step_written")
        return {slot: True, "steps_added": steps, "editing_step": None, **_writer_slots(writer)}

    def _kind_more(self, slot, value, dispatcher, tracker) -> Result:
        more = yes_or_no(tracker, value)
        if more is None:
            return self._unclear(slot, dispatcher, tracker)
        count = int(tracker.get_slot("step_count") or 0) + 1
        if more and count >= questions.MAX_STEPS:
            dispatcher.utter_message(response="utter_steps_enough")
            more = False
        if not more:
            return {slot: False, "step_count": count, "unclear_slot": None}
        # Clear the step slots: the form asks the next item from the start.
        return {**{s: None for s in q_.STEP_SLOTS}, "step_count": count, "unclear_slot": None}


# --- one answer told where another belongs, and corrected answers ---------------------
# Questions whose answers are list items (no id to replace them by): a corrected answer must
# take the old item away, or the plan keeps the wrong one beside the right one.
LIST_KINDS = (
    questions.SUPPORTER,
    questions.EXPERIENCE,
    questions.SOURCE,
    questions.WORRY,
    questions.MEDICINE,
    questions.NEED,
)
# The answers a typed "niet X maar Y" may change at once (in the client's words, said back by
# their summary line); the others (a country, yes/no, a score, a choice) have their own way.
REPLACEABLE_KINDS = (
    questions.TEXT,
    questions.TEXT_LIST,
    questions.FACTOR,
    questions.SUPPORTER,
    questions.WORRY,
    questions.EXPERIENCE,
    questions.SOURCE,
    questions.GOAL,
    questions.NEED,
    questions.EXPECTATIONS,
)


def replaceable_slots() -> tuple:
    return tuple(
        slot
        for slot in questions.all_slots()
        if questions.has_question(slot) and questions.question(slot).kind in REPLACEABLE_KINDS
    )


_EXPERIENCE_FACTS = {
    "work_experience": (listening.WORK, "education", listening.SCHOOL),
    "education": (listening.SCHOOL, "work_experience", listening.WORK),
}


def told_the_other_experience(slot: str, answer: str, tracker: Tracker) -> Optional[str]:
    """ "Ik heb vier jaar school gehad" to "welk werk heeft u gedaan?": the slot the answer
    belongs to (education), when it tells only that and that question is still open."""
    if slot not in _EXPERIENCE_FACTS or normalise.is_no_experience(answer):
        return None
    own, other, other_fact = _EXPERIENCE_FACTS[slot]
    kinds = {fact.kind for fact in listening.hear(answer)}
    if other_fact in kinds and own not in kinds and not questions.is_settled(tracker.get_slot(other)):
        return other
    return None


def earlier_answer(tracker: Tracker, slot: str) -> Optional[str]:
    """The answer ``slot`` held before it was emptied (a correction or "vorige vraag")."""
    if questions.is_settled(tracker.get_slot(slot)):
        return None
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == slot:
            value = event.get("value")
            if isinstance(value, str) and questions.is_real_answer(value):
                return value
    return None


# Lists an answer also adds to beside its own field (listening writes the family there as
# supporters too): a corrected answer takes those items away as well.
ALSO_WRITTEN = {"family_origin": ("sections.support.supporters",)}


def drop_earlier_answer(
    slot: str, tracker: Tracker, writer: PlanWriter, earlier: Optional[str] = None
) -> None:
    """Take the list items of the earlier answer to ``slot`` out of the plan."""
    q = questions.question(slot)
    earlier = earlier or earlier_answer(tracker, slot)
    if not earlier:
        return
    paths = ((q.path,) if q.kind in LIST_KINDS and q.path else ()) + ALSO_WRITTEN.get(slot, ())
    for path in paths:
        writer.remove_answer_items(path, earlier)


def replace_answer(slot: str, new: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Result:
    """ "Nee, niet de winkel maar een restaurant" at a summary: the new answer takes the place of
    the old one in the plan (the old list item goes), and is said back as the summary says it."""
    from actions.conversation import summary_line

    writer = PlanWriter(tracker)
    old = tracker.get_slot(slot)
    if isinstance(old, str):
        drop_earlier_answer(slot, tracker, writer, earlier=old)
    context = dict(tracker.slots)
    if questions.question(slot).kind in (questions.GOAL, questions.NEED):
        context["goal_id"] = tracker.get_slot("goal_id")
    for path, plan_value in questions.plan_writes(slot, new, context):
        writer.answer(path, plan_value)
    for path in ALSO_WRITTEN.get(slot, ()):
        for fact in listening.hear(new):
            for item_path, plan_value in listening.plan_items(fact):
                if item_path == path:
                    writer.answer(item_path, plan_value)
    dispatcher.utter_message(response="utter_correct_item_done")
    dispatcher.utter_message(**summary_line(slot, new))
    return {slot: new, **_writer_slots(writer)}


def _utter(dispatcher: CollectingDispatcher, utterance: Optional[second_reflection.Utterance]) -> None:
    if utterance is not None:
        dispatcher.utter_message(response=utterance.response, **utterance.params)


# --- listening, free text and pushback (issue 13) --------------------------------------
MAX_ASKS_IN_A_ROW = 2
# Words beside "ja" that say medicine without naming one ("ja, pillen"): the name is still asked.
_NOT_A_MEDICINE_NAME = (
    "alleen",
    "soms",
    "wel",
    "af",
    "en",
    "toe",
    "nog",
    "elke",
    "dag",
    "ja",
    "nee",
    "ik",
    "gebruik",
    "neem",
    "heb",
)
_GENERIC_MEDICINE = ("medicijn", "pil", "tablet", "medicatie", "ik ", "soms", "elke", "wel", "een paar")


def asks_in_a_row(tracker: Tracker, slot: str) -> int:
    """In how many bot turns in a row, up to the client message being answered now, the
    question of ``slot`` was asked (utter_ask_<slot>)."""
    streak, asked, seen_current = 0, False, False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            if not seen_current:
                seen_current = True
                continue
            if not asked:
                break
            streak, asked = streak + 1, False
        elif (
            kind == "bot"
            and seen_current
            and (event.get("metadata") or {}).get("utter_action") == f"utter_ask_{slot}"
        ):
            asked = True
    if asked:
        streak += 1
    return streak


_SOURCE_WORDS = (
    "internet",
    "tv",
    "televisie",
    "telefoon",
    "bel",
    "facebook",
    "whatsapp",
    "tiktok",
    "youtube",
    "radio",
    "krant",
    "nieuws",
    "familie",
    "vriend",
    "moeder",
    "vader",
    "broer",
    "zus",
    "neef",
    "nicht",
    "oom",
    "tante",
    "mensen",
    "app",
    "online",
    "site",
    "bbc",
    "aljazeera",
    "al jazeera",
    "instagram",
    "telegram",
    "imo",
    "skype",
    "contact",
    "horen",
)


def not_a_source(answer: str) -> bool:
    """An answer to "hoe hoort u nieuws?" that tells a hope or a worry and names no source."""
    folded = normalise.fold(answer)
    if any(word in folded for word in _SOURCE_WORDS):
        return False
    corrected = spelling.correct(answer)  # "ppaier nodig"
    return " nodig" in f" {normalise.fold(corrected)}" or any(
        f.kind in (listening.HOPE, listening.WORRY, listening.NEED) for f in listening.hear(corrected)
    )


def is_sentence(text: str) -> bool:
    """Typed words of some length (not a button, not "ja" or "misschien")."""
    return bool(text) and not text.startswith("/") and len(text.split()) >= 3


def extra_words(text: str) -> Optional[str]:
    """The client's words beside a yes or no ("ja, hoofdpijn" -> "hoofdpijn"), else None."""
    if not text or text.startswith("/"):
        return None
    words = [
        w
        for w in text.strip(" .!?").split()
        if normalise.yes_no(w) is None and normalise.fold(w) not in ("dat", "klopt", "hoor", "wel", "toch")
    ]
    return _clean(" ".join(words)).strip(" ,") or None if len(words) >= 1 and len(text.split()) > 1 else None


def heard_answer(slot: str, text: str) -> Optional[bool]:
    """The yes or no a sentence gives to ``slot`` by what it tells (listening), else None."""
    for fact in listening.hear(text):
        if listening.settles(fact) == slot and isinstance(fact.value, bool):
            return fact.value
    return None


# Answers in which "ik ga niet terug" is the content, not pushback.
_RETURN_ANSWER_SLOTS = ("decision_option", "reasons_for", "reasons_against", "goal", "what_would_change")


def is_push_back(tracker: Tracker, slot: Optional[str]) -> bool:
    """The client pushes back on the question ("ik ga niet terug", "waarom vraagt iedereen
    dat", "stop met deze vragen over terug") instead of answering it."""
    text = tracker_info.text(tracker)
    if not text or text.startswith("/") or slot in _RETURN_ANSWER_SLOTS:
        return False
    intent = tracker_info.intent_name(tracker)
    sure = (tracker_info.confidence(tracker) or 0.0) >= MIN_MARKER_CONFIDENCE
    if normalise.is_push_back(text):
        return True
    if (
        intent == "push_back"
        and sure
        and any(
            f.kind in (listening.HOPE, listening.WORK, listening.SCHOOL, listening.SKILL, listening.NEED)
            for f in listening.hear(text)
        )
    ):
        return False  # "Ik hoop dat ik gezond blijf": an answer, whatever the NLU guessed
    if intent == "push_back" and sure and second_reflection.tells_a_worry(slot, text):
        return False  # "Dat ik terug moet naar een land dat ik niet ken": a worry, reflected as one
    if intent == "push_back" and sure:
        # A direction question answered with "moeilijker" is an answer, whatever the NLU says.
        kind = questions.question(slot).kind if slot and questions.has_question(slot) else None
        return not (kind == questions.DIRECTION and normalise.factor_direction(text))
    return False


def push_back(slot: Optional[str], dispatcher: CollectingDispatcher, tracker: Tracker) -> Result:
    """Reflect the pushback; no more return scoring; offer to leave the topic (or leave a
    return question at once). The client's words go to the notes, nothing is lost."""
    text = tracker_info.text(tracker)
    no_return = listening.says_no_return(text)
    dispatcher.utter_message(
        response="utter_reflect_push_back_no_return" if no_return else "utter_reflect_push_back"
    )
    result: Result = {RETURN_SCORING: questions.SCORING_DECLINED, "unclear_slot": None}
    result.update(_note(tracker, "Zegt", text))
    if not slot or not questions.has_question(slot):
        return result
    kind = questions.question(slot).kind
    if kind in (questions.DIRECTION, questions.AMOUNT):
        base = slot.rsplit("_", 1)[0]
        result.update({f"{base}_direction": SKIPPED, f"{base}_amount": SKIPPED})
        dispatcher.utter_message(response="utter_skip_return_questions")
        return result
    if slot in ((tracker.get_slot(HEARD) or {}).get("skip_declined") or []):
        # Pushback again on a topic whose skip offer the client declined: the offer is not
        # made a second time; the topic is left, recorded as not told.
        writer = PlanWriter(tracker)
        status = questions.plan_no_answer(slot, "declined")
        if status is not None:
            path, value, write_status = status
            writer.answer(path, value, status=write_status)
        dispatcher.utter_message(response="utter_skip_ok")
        return {**result, slot: DECLINED, **_writer_slots(writer)}
    return {**result, slot: None, SKIP_SLOT: PENDING, SKIP_TOPIC: slot}


def _note(tracker: Tracker, label: str, words: str) -> Result:
    """Add one line to the counsellor's note (listening.NOTES_PATH) with its message id."""
    writer = PlanWriter(tracker)
    heard = _add_note(dict(tracker.get_slot(HEARD) or {}), f"{label}: \u201c{_clean(words)}\u201d", writer)
    return {HEARD: heard, **_writer_slots(writer)} if heard is not None else {}


def _add_note(heard: Dict[str, Any], line: str, writer: PlanWriter) -> Optional[Dict[str, Any]]:
    """``heard`` with ``line`` added to its notes and the whole note written (every line's
    message id in the provenance); None when the line is there already."""
    notes = [list(n) for n in heard.get("notes") or []]
    if any(n[0] == line for n in notes) or not writer.message_id:
        return None
    notes.append([line, writer.message_id])
    writer.answer(
        listening.NOTES_PATH,
        "\n".join(n[0] for n in notes),
        message_ids=list(dict.fromkeys(n[1] for n in notes)),
    )
    return {**heard, "notes": notes}


# The response that says a fact was heard (at most one per turn, the first that fits).
_HEARD_RESPONSES = (
    (listening.FAMILY_MISSING, "utter_heard_family_missing"),
    (listening.NEED, "utter_heard_need"),
    (listening.FAMILY_THERE, "utter_heard_family_there"),
    (listening.CHILDREN, "utter_reflect_has_children_heard"),
    (listening.COUNTRY, "utter_heard_country"),
)


def listen(slot: str, dispatcher: CollectingDispatcher, tracker: Tracker, result: Result) -> Result:
    """Write what the message carries beyond the answer to ``slot``; settle the questions
    it answers. Returns the slot events to add (never changes the answer to ``slot``)."""
    text = tracker_info.text(tracker)
    if not text or text.startswith("/"):
        return {}
    values = {**tracker.slots, **result}
    facts = listening.hear(
        text,
        values.get("country_of_origin")
        if questions.is_real_answer(values.get("country_of_origin"))
        else None,
    )
    heard = dict(values.get(HEARD) or {})
    keys = list(heard.get("keys") or [])
    writer = PlanWriter(tracker)
    events: Result = {}
    said: Optional[str] = None
    for fact in facts:
        if fact.kind == listening.NO_RETURN:
            if values.get(RETURN_SCORING) is None or values.get(RETURN_SCORING) == questions.SCORING_DONE:
                events[RETURN_SCORING] = questions.SCORING_DECLINED
            continue
        target = listening.settles(fact)
        if (
            target
            and questions.has_question(slot)
            and questions.question(target).phase != questions.question(slot).phase
        ):
            target = None  # only the questions of this part of the talk are settled here
            if not listening.note_line(fact):
                continue
        if target == slot or fact.key in keys:
            continue  # the answer itself is written by its validator; a fact told twice once
        if fact.kind == listening.COUNTRY and not fact.sure:
            if not questions.is_settled(values.get("country_of_origin")) and not values.get(COUNTRY_HEARD):
                events[COUNTRY_HEARD] = fact.value  # checked in one line when its turn comes
            continue
        if target and questions.is_settled(values.get(target)):
            continue  # already answered: the client's answer stays
        line = listening.note_line(fact)
        if line:
            heard = _add_note(heard, line, writer) or heard
        for path, plan_value in listening.plan_items(fact):
            if path == "sections.own_expectations.looking_forward_to":
                hopes = list(heard.get("hopes") or []) + [fact.words]
                heard["hopes"] = hopes
                writer.answer(
                    path,
                    hopes,
                    message_ids=list(dict.fromkeys((heard.get("hope_ids") or []) + [writer.message_id])),
                )
                heard["hope_ids"] = list(dict.fromkeys((heard.get("hope_ids") or []) + [writer.message_id]))
            else:
                writer.answer(path, plan_value)
        if target:
            events[target] = listening.slot_value(fact)
            if fact.kind == listening.FAMILY_THERE and not questions.is_settled(
                values.get("country_of_origin")
            ):
                place = normalise.country(fact.detail.get("place") or "")
                if place:
                    events.setdefault(COUNTRY_HEARD, place)
        keys.append(fact.key)
        if said is None:
            for kind, response in _HEARD_RESPONSES:
                if kind == fact.kind and (kind != listening.CHILDREN or fact.value is True):
                    said = response
                    _say_heard(dispatcher, response, fact)
                    break
    if not facts and result.get(slot) is None and result.get("unclear_slot") == slot and is_sentence(text):
        heard = _add_note(heard, f"Ook verteld: \u201c{_clean(text)}\u201d", writer) or heard
    heard["keys"] = keys
    if said is None and result.get(slot) is None and result.get("unclear_slot") == slot and is_sentence(text):
        dispatcher.utter_message(response="utter_noted_ask_again")  # never "kies een knop"
    if heard != (values.get(HEARD) or {}) and (keys or heard.get("notes") or heard.get("rulers")):
        events[HEARD] = heard
    return {**events, **_writer_slots(writer)}


def _say_heard(dispatcher: CollectingDispatcher, response: str, fact: listening.Fact) -> None:
    if response == "utter_heard_country":
        dispatcher.utter_message(response=response, country=fact.value)
    elif response == "utter_heard_need":
        dispatcher.utter_message(response=response, need=fact.value)
    elif response == "utter_heard_family_missing":
        dispatcher.utter_message(response=response, who=_possessive(fact.value))
    elif response == "utter_heard_family_there":
        place = fact.detail.get("place")
        dispatcher.utter_message(
            response=response, who=_possessive(fact.value), place=f"in {place}" if place else "daar"
        )
    else:
        dispatcher.utter_message(response=response)


def _possessive(relatives: str) -> str:
    """ "moeder en zus" -> "uw moeder en uw zus"."""
    return " en ".join(f"uw {r}" for r in str(relatives).split(" en "))


def new_goal_id() -> str:
    return "g-" + uuid.uuid4().hex[:8]


def action_item_from_slots(tracker: Tracker, today: Optional[date] = None) -> Dict[str, Any]:
    """An action_item (docs/specs/action-plan.md §6) from the step slots; the plan service adds
    id, timestamps and provenance."""
    what = _clean(tracker.get_slot("step_what"))
    who = tracker.get_slot("step_who")
    when = tracker.get_slot("step_when")
    who_text = None if who in NO_ANSWER_MARKERS else _clean(who)
    when_text = None if when in NO_ANSWER_MARKERS else _clean(when)
    kind = tracker.get_slot("step_kind")
    if kind in (None, "other") or kind in NO_ANSWER_MARKERS:
        kind = normalise.action_kind(what)
    item: Dict[str, Any] = {
        "id": "a-" + uuid.uuid4().hex[:12],
        "section": normalise.action_section(kind),
        "kind": kind,
        "description": what,
        "owner": normalise.action_owner(who_text) if who_text else "client",
        "owner_name": who_text,
        "due_text": when_text,
        "status": "open",
        "agreed_by_client": True,
    }
    due = dates.due_date(when_text or "", today or date.today())
    if due is not None:
        item["due_date"] = due.isoformat()
    if kind == "debts_and_money":
        from bot.conversation.money import amount

        found = amount(what)
        if found:
            value, currency = found
            item["needs"] = f"{value} {currency or ''}".strip()
    return item

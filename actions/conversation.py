"""Moving through the toekomstgesprek: start, summaries, phase changes, resume,
and the client's controls (what do you know about me, change it, go back)."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import tracker_info
from actions.steps import summarise_steps, utter_steps
from bot.conversation import corrections, listening, normalise, phases, questions
from bot.conversation.questions import DECLINED, FROM_PLAN
from bot.conversation.reflection import client_words, strip_frame

logger = logging.getLogger(__name__)

# What "Iets veranderen" offers, by topic (the buttons of utter_ask_what_to_correct).
CORRECTION_TOPICS: Dict[str, List[str]] = {
    "life_here": ["life_here", "family_here", "has_children"],
    "origin": ["country_of_origin", "family_origin", "safety_origin", "origin_future"],
    "health": ["physical_complaints", "mental_complaints", "uses_medication", "origin_care"],
    "strengths": ["work_experience", "education", "talents", "info_sources", "worries", "hopes"],
    "choice": [
        "decision_option",
        "reasons_for",
        "reasons_against",
        "family_expectations",
        "importance",
        "confidence",
        "what_would_change",
    ],
    "goal": ["goal", "goal_needs"],
    "plan_extra": ["children_school", "children_language", "wants_guidance", "consent_share"],
}


def _slot_values(tracker: Tracker) -> Dict[str, Any]:
    return {slot: tracker.get_slot(slot) for slot in questions.all_slots()}


def dependents(slot: str) -> List[str]:
    """Questions asked only because of ``slot`` (its factor scoring, medicine names …)."""
    found: List[str] = []
    for q in questions.QUESTIONS:
        if any(source in [slot, *found] for source in q.depends_on()):
            found.append(q.slot)
    return found


def clear_events(slots: List[str]) -> List[EventType]:
    cleared: List[str] = []
    for slot in slots:
        for name in [slot, *dependents(slot)]:
            if name not in cleared:
                cleared.append(name)
    return [SlotSet(name, None) for name in cleared]


def _reopen(tracker: Tracker, form: Optional[str]) -> List[EventType]:
    """Re-activate a form so it asks its next open question after an interruption."""
    if not form:
        return []
    return open_form(form) if tracker.get_slot("conversation_ended") else [ActiveLoop(form)]


def open_form(form: str) -> List[EventType]:
    """Activate ``form``; a talk that had ended is going on again."""
    return [SlotSet("conversation_ended", None), ActiveLoop(form)]


def _phase_form(phase: Optional[str]) -> str:
    """The form of a phase that has questions (afgerond has none: a bug to open it)."""
    form = phases.form_for_phase(phase)
    if form is None:
        raise ValueError(f"phase {phase!r} has no form")
    return form


def summary_line(slot: str, value: Any) -> Dict[str, Any]:
    """The summary response (and its fill-ins) for one answered question."""
    kind = questions.question(slot).kind
    if kind == questions.YES_NO:
        return {"response": f"utter_summary_{slot}_{'yes' if value else 'no'}"}
    if kind == questions.OPTION:
        return {"response": f"utter_summary_option_{value}"}
    if kind == questions.COUNTRY:
        return {"response": "utter_summary_country_of_origin", "country": str(value)}
    if kind == questions.RULER:
        return {"response": f"utter_summary_{slot}", "answer": str(value)}
    return {
        "response": f"utter_summary_{slot}",
        "answer": client_words(strip_frame(slot, str(value)), max_words=25) or str(value),
    }


def _utter_steps(dispatcher: CollectingDispatcher, tracker: Tracker) -> int:
    steps = tracker.get_slot("steps_added") or []
    utter_steps(dispatcher, steps)
    return len(steps)


class _PhaseSummary:
    """Say back what the client told in this phase, in their words; end with 'Klopt dat?'.

    A mixin, not an Action, so the action server registers only the concrete phases.
    """

    phase = "verkennen"

    def name(self) -> Text:
        return f"action_summarize_{self.phase}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        items = questions.answered_items(self.phase, _slot_values(tracker), questions.BRIEF_SUMMARY_KINDS)
        if not items:
            dispatcher.utter_message(response=f"utter_summary_{self.phase}_empty")
            return []
        dispatcher.utter_message(response=f"utter_summary_{self.phase}_intro")
        for slot, value in items:
            dispatcher.utter_message(**summary_line(slot, value))
        dispatcher.utter_message(response="utter_ask_summary_correct")
        return []


class ActionSummarizeVerkennen(_PhaseSummary, Action):
    phase = "verkennen"


class ActionSummarizeKiezen(_PhaseSummary, Action):
    phase = "kiezen"


class ActionSummarizeVerkrijgen(Action):
    """The end of today's plan: the steps, who does them and when."""

    def name(self) -> Text:
        return "action_summarize_verkrijgen"

    async def run(self, dispatcher, tracker, domain):
        return summarise_steps(dispatcher, tracker.get_slot("steps_added") or [])


class _EnterPhase:
    phase = "kiezen"

    def name(self) -> Text:
        return f"action_enter_{self.phase}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(response=f"utter_phase_{self.phase}")
        return [SlotSet("phase", self.phase)]


class ActionEnterKiezen(_EnterPhase, Action):
    phase = "kiezen"


class ActionEnterVerkrijgen(_EnterPhase, Action):
    phase = "verkrijgen"


class ActionFinish(Action):
    """The plan for today is made: phase afgerond and a warm goodbye."""

    def name(self) -> Text:
        return "action_finish"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_goodbye_done")
        return [SlotSet("phase", "afgerond"), SlotSet("conversation_ended", True)]


class ActionStartConversation(Action):
    """After 'Zullen we beginnen?': open the form of the phase the client is in
    (verkennen for a new client, further on for a returning one)."""

    def name(self) -> Text:
        return "action_start_conversation"

    async def run(self, dispatcher, tracker, domain):
        form = phases.form_for_phase(tracker.get_slot("phase"))
        if form is None:
            dispatcher.utter_message(response="utter_resume_afgerond")
            return []
        return open_form(form)


class ActionResumeConversation(Action):
    """After a counsellor hands back: go on in the same phase with the next open question.

    Answers live in slots (and the plan), so the form only asks what is still open;
    a phase whose questions are all answered continues with its summary.
    """

    def name(self) -> Text:
        return "action_resume_conversation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        phase = tracker.get_slot("phase") or phases.FIRST_PHASE
        form: Optional[str] = phases.form_for_phase(phase)
        events: List[EventType] = [SlotSet("handoff_reason", None)]
        if form is None:
            dispatcher.utter_message(response="utter_resume_afgerond")
            return events
        dispatcher.utter_message(response="utter_resume")
        return events + open_form(form)


class ActionSessionStart(Action):
    """A new Rasa session: carry the slots over and fill in what the plan already
    holds (a returning client with the same client_ref is not asked again)."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher, tracker, domain):
        events: List[EventType] = [SessionStarted()]
        initial = {name: spec.get("initial_value") for name, spec in (domain.get("slots") or {}).items()}
        carried = {
            k: v
            for k, v in tracker.slots.items()
            if v is not None
            and v != initial.get(k)
            and k not in ("requested_slot", "session_started_metadata")
        }
        restored = self._from_plan(tracker.sender_id)
        values = {**restored, **carried}
        if restored.get("phase") and not carried.get("returning"):
            values["returning"] = any(questions.has_question(k) for k in restored)
        events += [SlotSet(k, v) for k, v in values.items()]
        metadata = tracker.get_slot("session_started_metadata")
        if metadata:
            events.append(SlotSet("session_started_metadata", metadata))
        events.append(ActionExecuted("action_listen"))
        return events

    @staticmethod
    def _from_plan(session_id: str) -> Dict[str, Any]:
        try:
            from bot.db.engine import session_scope
            from bot.plan.service import get_plan

            with session_scope() as db:
                plan = get_plan(db, session_id)
        except Exception:  # no session row (rasa shell, tests) or DB down: start fresh
            logger.info("No plan to resume for %s; starting fresh", session_id, exc_info=True)
            return {}
        values: Dict[str, Any] = questions.slot_values_from_plan(plan)
        steps = questions.steps_from_plan(plan)
        if steps:
            values["steps_added"] = steps
        phase = plan.get("phase_reached")
        if phases.is_phase(phase):
            values["phase"] = phase
        return values


class ActionShowRecorded(Action):
    """'Wat weet je over mij?': everything recorded so far, then an offer to change it."""

    def name(self) -> Text:
        return "action_show_recorded"

    async def run(self, dispatcher, tracker, domain):
        values = _slot_values(tracker)
        items = [
            item
            for phase in ("verkennen", "kiezen", "verkrijgen")
            for item in questions.answered_items(phase, values)
        ]
        has_steps = bool(tracker.get_slot("steps_added"))
        if not items and not has_steps:
            dispatcher.utter_message(response="utter_recorded_empty")
        else:
            dispatcher.utter_message(response="utter_recorded_intro")
            for slot, value in items:
                dispatcher.utter_message(**summary_line(slot, value))
            _utter_steps(dispatcher, tracker)
        if DECLINED in values.values():
            dispatcher.utter_message(response="utter_recorded_declined")
        if items:
            dispatcher.utter_message(response="utter_ask_what_to_correct")
        return _reopen(tracker, tracker.active_loop_name)


class ActionCorrectAnswer(Action):
    """The client chose a topic to change: clear those answers and ask them again.

    A button sends the topic; a typed correction ("mijn gezondheid klopt niet") has
    it in the client's words or not at all (bot/conversation/corrections.py). No
    topic we know: the topic buttons, and the talk goes on where it was. A topic
    with nothing recorded yet (a later phase): said so, and nothing is cleared.
    """

    def name(self) -> Text:
        return "action_correct_answer"

    async def run(self, dispatcher, tracker, domain):
        item = self._one_item(dispatcher, tracker)
        if item is not None:
            return item
        topic = corrections.topic(tracker_info.entity(tracker, "correct_topic"), tracker_info.text(tracker))
        current = tracker.active_loop_name or phases.form_for_phase(tracker.get_slot("phase"))
        if topic is None:
            dispatcher.utter_message(response="utter_ask_what_to_correct")
            return _reopen(tracker, tracker.active_loop_name)
        slots = CORRECTION_TOPICS.get(topic)
        if not slots:
            dispatcher.utter_message(response="utter_correct_nothing")
            return _reopen(tracker, current)
        if all(tracker.get_slot(slot) is None for slot in slots):
            dispatcher.utter_message(response="utter_correct_topic_empty")
            return _reopen(tracker, current)
        phase = questions.question(slots[0]).phase
        dispatcher.utter_message(response="utter_correct_start")
        return clear_events(slots) + [SlotSet("requested_slot", None), *open_form(_phase_form(phase))]

    @staticmethod
    def _one_item(dispatcher, tracker) -> Optional[List[EventType]]:
        """A typed correction of one item ("nee, ik kom uit Mali", "mijn werk klopt niet"):
        the new answer is written at once when the message holds it, else only that
        question is asked again. None: not one item (the topic buttons then)."""
        from actions.forms import _writer_slots
        from actions.plan_writer import PlanWriter

        text = tracker_info.text(tracker)
        if not text or text.startswith("/"):
            return None
        slot = corrections.item(text)
        values = _slot_values(tracker)
        form = tracker.active_loop_name or phases.form_for_phase(tracker.get_slot("phase"))
        new_country = normalise.country(text)
        if slot == "country_of_origin" and new_country and new_country != values.get(slot):
            writer = PlanWriter(tracker)
            writer.answer("client_info.country_of_origin", new_country)
            dispatcher.utter_message(response="utter_correct_item_done")
            dispatcher.utter_message(response="utter_reflect_country_of_origin", country=new_country)
            events = [SlotSet(slot, new_country)] + [SlotSet(k, v) for k, v in _writer_slots(writer).items()]
            return events + _reopen(tracker, form)
        for fact in listening.hear(text):
            if (
                fact.kind == listening.FAMILY_THERE
                and questions.is_real_answer(values.get("family_origin"))
                and normalise.fold(str(fact.value)) not in normalise.fold(str(values.get("family_origin")))
            ):
                # "het is mijn nicht in Luanda, niet mijn zus": that one item, taken as typed.
                place = fact.detail.get("place")
                new = f"mijn {fact.value}" + (f" in {place}" if place else "")
                writer = PlanWriter(tracker)
                from actions.forms import drop_earlier_answer  # the old relative leaves the plan

                drop_earlier_answer("family_origin", tracker, writer, earlier=values.get("family_origin"))
                for path, value in questions.plan_writes("family_origin", new, values):
                    writer.answer(path, value)
                dispatcher.utter_message(response="utter_correct_item_done")
                dispatcher.utter_message(response="utter_summary_family_origin", answer=client_words(new))
                events = [SlotSet("family_origin", new)] + [
                    SlotSet(k, v) for k, v in _writer_slots(writer).items()
                ]
                return events + _reopen(tracker, form)
            target = listening.settles(fact)
            if (
                target
                and target == slot
                and questions.is_settled(values.get(target))
                and isinstance(fact.value, bool)
                and fact.value != values.get(target)
            ):
                writer = PlanWriter(tracker)
                for path, value in listening.plan_items(fact):
                    writer.answer(path, value)
                dispatcher.utter_message(response="utter_correct_item_done")
                events = [SlotSet(target, fact.value)] + [
                    SlotSet(k, v) for k, v in _writer_slots(writer).items()
                ]
                return events + _reopen(tracker, form)
        from actions.forms import replace_answer, replaceable_slots

        replaced = corrections.replaced_item(text, values, replaceable_slots())
        if replaced is not None:  # "nee, niet de winkel maar een restaurant": changed at once
            changed = replace_answer(replaced[0], replaced[1], dispatcher, tracker)
            return [SlotSet(k, v) for k, v in changed.items()] + _reopen(tracker, form)
        if slot is None or not questions.is_settled(values.get(slot)):
            return None
        # Only this question again; the form asks it and then the summary comes back.
        dispatcher.utter_message(response="utter_correct_item_ask")
        return clear_events([slot]) + [
            SlotSet("requested_slot", None),
            *open_form(_phase_form(questions.question(slot).phase)),
        ]


class ActionGoBack(Action):
    """'Vorige vraag': ask the last answered question of this phase again."""

    def name(self) -> Text:
        return "action_go_back"

    async def run(self, dispatcher, tracker, domain):
        text = tracker_info.text(tracker)
        if (
            text
            and not text.startswith("/")
            and not normalise.is_go_back(text)
            and normalise.is_push_back(text)
        ):
            # "Ik ga niet terug" is not "een vraag terug": pushback, reflected.
            return push_back_events(dispatcher, tracker)
        phase = (
            phases.phase_of_form(tracker.active_loop_name) or tracker.get_slot("phase") or phases.FIRST_PHASE
        )
        previous = previous_question(phase, tracker.get_slot("requested_slot"), _slot_values(tracker))
        if previous is None:
            dispatcher.utter_message(response="utter_go_back_nothing")
            return _reopen(tracker, tracker.active_loop_name)
        dispatcher.utter_message(response="utter_go_back")
        return clear_events([previous]) + [SlotSet("requested_slot", None), *open_form(_phase_form(phase))]


def previous_question(
    phase: Optional[str], requested: Optional[str], values: Dict[str, Any]
) -> Optional[str]:
    """The last question before ``requested`` that the client answered or declined
    (answers restored from an earlier session are not reopened here)."""
    active = questions.active_slots(phase or phases.FIRST_PHASE, values)
    if requested in active:
        active = active[: active.index(requested)]
    for slot in reversed(active):
        value = values.get(slot)
        if (
            questions.is_settled(value)
            and value != FROM_PLAN
            and questions.question(slot).kind not in (questions.DIRECTION, questions.AMOUNT)
        ):
            return slot
    return None


class ActionPrivacy(Action):
    """'Wie leest dit?': be open about who runs the kiosk and who reads the plan."""

    def name(self) -> Text:
        return "action_privacy"

    async def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(response="utter_privacy")
        return _reopen(tracker, tracker.active_loop_name)


class _ReplyAndGoOn:
    """A social word in the middle of the talk: a short reply, then the same question again.
    (Not an Action itself: rasa_sdk would register it under an empty name.)"""

    action = ""
    response = ""

    def name(self) -> Text:
        return self.action

    async def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(response=self.response)
        return _reopen(tracker, tracker.active_loop_name)


class ActionThankBack(_ReplyAndGoOn, Action):
    """ "Dank je wel": "graag gedaan" (without this intent it was read as "wat weet je over mij")."""

    action, response = "action_thank_back", "utter_thank_back"


class ActionGreetBack(_ReplyAndGoOn, Action):
    """A greeting: say hello and go on."""

    action, response = "action_greet_back", "utter_greet_back"


class ActionExplainTalk(_ReplyAndGoOn, Action):
    """ "Wat is dit?": what this talk is, and the same question again (not the privacy text)."""

    action, response = "action_explain_talk", "utter_what_is_this"


def push_back_events(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Pushback outside a form's own validation (a rule, or misread as "vorige vraag"):
    reflected, no more return scoring, the open topic offered to skip; the talk goes on."""
    from actions.forms import push_back

    slot = tracker.get_slot("requested_slot") if tracker.active_loop_name else None
    result = push_back(slot, dispatcher, tracker)
    return [SlotSet(name, value) for name, value in result.items()] + _reopen(
        tracker, tracker.active_loop_name
    )


class ActionPushBack(Action):
    """ "Ik ga niet terug", "waarom vraagt iedereen dat", "stop met deze vragen over terug":
    reflect, respect it, and go on (never "een vraag terug", never a hand-off)."""

    def name(self) -> Text:
        return "action_push_back"

    async def run(self, dispatcher, tracker, domain):
        return push_back_events(dispatcher, tracker)

"""The client changes, removes or adds a step after hearing the plan back.

"Klopt dat?" after the steps -> "nee": every step is shown with a button to
change or remove it, plus "add a step" and "it is fine". A removed step stays in
the plan with status ``dropped`` (the counsellor sees what was there); a changed
step keeps its id and is asked again (what, who, when, "zal ik het opschrijven?").
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import tracker_info
from actions.plan_writer import PlanWriter
from bot.conversation import corrections, phases, questions
from bot.conversation.reflection import client_words, who_words

STEP_EDITS = corrections.STEP_EDITS


def utter_steps(
    dispatcher: CollectingDispatcher,
    steps: List[Dict[str, Any]],
    *,
    with_buttons: bool = False,
    first: int = 1,
) -> None:
    """Each step on its own line, in the client's words (with change/remove buttons)."""
    for number, step in enumerate(steps, start=first):
        dispatcher.utter_message(
            response="utter_step_item" if with_buttons else "utter_summary_step",
            number=str(number),
            step_what=client_words(str(step.get("what") or ""), max_words=20),
            step_who=who_words(str(step.get("who") or "—"), max_words=8),
            step_when=client_words(str(step.get("when") or "—"), max_words=8),
        )


def _step_number(tracker: Tracker, steps: List[Dict[str, Any]]) -> Optional[int]:
    """The step the client means (button value, "tweede", "stap 2", "de laatste"); None if none."""
    raw = corrections.step_number(tracker_info.entity(tracker, "step_number"), tracker_info.text(tracker))
    if raw is None:
        return None
    return len(steps) if raw == corrections.LAST_STEP else int(raw)


def reopen_step_form(extra: List[EventType]) -> List[EventType]:
    """Clear the step questions and let the verkrijgen form ask them again."""
    cleared = [SlotSet(slot, None) for slot in questions.STEP_SLOTS]
    return (
        cleared
        + extra
        + [
            SlotSet("requested_slot", None),
            SlotSet("conversation_ended", None),
            ActiveLoop("verkrijgen_form"),
        ]
    )


class ActionOfferStepChanges(Action):
    """'Nee, niet helemaal' after the steps: what would the client like to change?"""

    def name(self) -> Text:
        return "action_offer_step_changes"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        steps = [s for s in tracker.get_slot("steps_added") or [] if s.get("id")]
        if steps:
            dispatcher.utter_message(response="utter_step_changes_intro")
            utter_steps(dispatcher, steps, with_buttons=True)
        dispatcher.utter_message(response="utter_ask_step_changes")
        return []


class ActionEditStep(Action):
    """A button of ActionOfferStepChanges, or the same typed: change, remove or add a step.

    Typed ("stap 2 weghalen", "verander de tweede stap") the step or what to do with
    it may be missing: the steps are shown with their buttons and the client picks.
    Before the steps are made (verkennen, kiezen) there is nothing to change yet; a
    form that was asking goes on with its question after any of this.
    """

    def name(self) -> Text:
        return "action_edit_step"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        edit = corrections.step_edit(tracker_info.entity(tracker, "step_edit"), tracker_info.text(tracker))
        steps = list(tracker.get_slot("steps_added") or [])
        number = _step_number(tracker, steps)
        form = tracker.active_loop_name
        phase = tracker.get_slot("phase") or phases.FIRST_PHASE
        if phase not in ("verkrijgen", "afgerond") and (edit == "add" or not steps):
            dispatcher.utter_message(response="utter_steps_come_later")
            return _back_to(form or phases.form_for_phase(phase))
        if edit == "add":
            dispatcher.utter_message(response="utter_step_add_start")
            return reopen_step_form([])
        if not steps:
            dispatcher.utter_message(response="utter_no_steps_yet")
            if form:
                return _back_to(form)
            dispatcher.utter_message(response="utter_ask_step_changes")
            return []
        if number is not None and not 1 <= number <= len(steps):
            dispatcher.utter_message(response="utter_step_not_found")
            if form:
                utter_steps(dispatcher, steps, with_buttons=True)
                return _back_to(form)
            return summarise_steps(dispatcher, steps)
        if number is None or edit not in STEP_EDITS:
            # Which step, or what to do with it: the steps (or that one) with their buttons.
            dispatcher.utter_message(
                response="utter_ask_which_step" if number is None else "utter_ask_what_with_step"
            )
            shown = steps if number is None else [steps[number - 1]]
            for offset, step in enumerate(shown, start=1 if number is None else number):
                utter_steps(dispatcher, [step], with_buttons=True, first=offset)
            if form:
                return _back_to(form)
            dispatcher.utter_message(response="utter_ask_step_changes")
            return []
        step = steps[number - 1]
        if edit == "change":
            dispatcher.utter_message(
                response="utter_step_change_start",
                step_what=client_words(str(step.get("what") or ""), max_words=20),
            )
            return reopen_step_form([SlotSet("editing_step", step.get("id"))])
        writer = PlanWriter(tracker)
        writer.action_update(step["id"], {"status": "dropped"})
        remaining = steps[: number - 1] + steps[number:]
        dispatcher.utter_message(
            response="utter_step_removed", step_what=client_words(str(step.get("what") or ""), max_words=20)
        )
        if form:  # typed while a question was open: that question again, not "Klopt dat?"
            return [SlotSet("steps_added", remaining), *_writer_events(writer), *_back_to(form)]
        return [
            SlotSet("steps_added", remaining),
            *_writer_events(writer),
            *summarise_steps(dispatcher, remaining),
        ]


def _back_to(form: Optional[str]) -> List[EventType]:
    """Go on with ``form`` (it asks its open question again, or sums up when it is complete)."""
    return [SlotSet("conversation_ended", None), ActiveLoop(form)] if form else []


def _writer_events(writer: PlanWriter) -> List[EventType]:
    return writer.events()


def summarise_steps(dispatcher: CollectingDispatcher, steps: List[Dict[str, Any]]) -> List[EventType]:
    """The plan as it is now, then "Klopt dat?" (rules: yes -> finish, no -> change more).
    The end of verkrijgen and every step change say it the same way."""
    if steps:
        dispatcher.utter_message(response="utter_summary_steps_intro")
        utter_steps(dispatcher, steps)
    else:
        dispatcher.utter_message(response="utter_summary_verkrijgen_empty")
    dispatcher.utter_message(response="utter_ask_summary_correct")
    return []

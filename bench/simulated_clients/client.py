"""An adaptive simulated client: facts plus a policy that answers what the bot asked.

A ``Persona`` is a set of ``Fact`` objects (what the client can tell, in their own
words) and a ``Style`` (typos, buttons or typing, giving more or less than asked,
long messages, pushback, a moment of crying, a correction of a summary). A
``SimulatedClient`` reads the bot's last messages — the text and the buttons, as a
person sees them; the ``utter_action`` only as a fall-back hint when the words say
nothing — finds what the question is about (``topics.question_topic``) and answers
from its facts. Everything random comes from one ``random.Random`` seeded with the
persona's name and the seed, so a talk is the same on every run.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from bench.simulated_clients import topics as T
from bench.simulated_clients.topics import fold

MAX_TURNS = 120
MAX_SAME_QUESTION = 5  # the same question text this often in a row: the client gives up


@dataclass(frozen=True)
class Fact:
    """One thing the client knows about their life and may tell.

    ``topics``: the questions it answers. ``says``: how the client says it in full;
    ``terse``: the short form. ``plan``: words (any of them) that show the fact in a
    plan value, checked with spelling tolerance. ``volunteer``: may be told unasked.
    """

    id: str
    topics: Tuple[str, ...]
    says: str
    terse: str = ""
    plan: Tuple[str, ...] = ()
    volunteer: bool = True


@dataclass(frozen=True)
class Correction:
    """The client first says ``wrong`` for a fact and corrects it at the first summary."""

    fact_id: str
    wrong_says: str
    correction: str  # typed at the summary check, one item only
    wrong_words: Tuple[str, ...] = ()  # must not stay in the plan once corrected


@dataclass(frozen=True)
class Style:
    typo_rate: float = 0.0  # chance per long word of one typo
    button_rate: float = 0.7  # chance of clicking a fitting button instead of typing
    more_rate: float = 0.2  # chance of adding an untold fact from another topic
    less_rate: float = 0.0  # chance of giving only the short form
    long_messages: bool = False  # tells everything it can in its first open answers
    lower_case: bool = False  # types without capitals and full stops
    pushback_topics: Tuple[str, ...] = ()  # topics that annoy the client
    pushback_lines: Tuple[str, ...] = ()  # said in turn when they come up
    cry_topics: Tuple[str, ...] = ()  # the first of these questions makes the client cry
    cry_says: str = ""
    cry_facts: Tuple[str, ...] = ()  # facts told in the crying message


@dataclass(frozen=True)
class Persona:
    name: str
    basis: str  # country, goal, mood in one line
    facts: Tuple[Fact, ...]
    answers: Mapping[str, str] = field(default_factory=dict)  # non-fact answers by topic
    style: Style = Style()
    correction: Optional[Correction] = None
    expected_option: Optional[str] = None  # provisional decision expected in the plan
    intended_handoff: Optional[str] = None  # a hand-off this persona should get (none so far)

    def fact(self, fact_id: str) -> Fact:
        return next(f for f in self.facts if f.id == fact_id)


@dataclass
class Reply:
    text: str  # what is sent: typed text, or the button's payload
    title: Optional[str]  # the button title when a button was clicked
    topic: Optional[str]  # what the client understood the question to be about
    facts: Tuple[str, ...] = ()  # facts told in this message
    kind: str = "answer"  # answer | button | pushback | correction | cry | repeat | unknown

    @property
    def shown(self) -> str:
        return self.title or self.text


# --- reading the bot ----------------------------------------------------------------


def bot_turn(messages: Sequence[Mapping[str, Any]]) -> Tuple[str, List[Dict[str, str]], Optional[str]]:
    """(all bot text of the turn, the buttons of its last message, its last utter_action)."""
    bot = [m for m in messages if m.get("sender", "bot") == "bot"]
    text = "\n".join(m.get("text") or "" for m in bot)
    buttons = list(bot[-1].get("buttons") or []) if bot else []
    action = bot[-1].get("utter_action") if bot else None
    return text, buttons, action


def question_text(messages: Sequence[Mapping[str, Any]]) -> str:
    """The bot message that asks: the last one with a question mark or buttons."""
    for message in reversed([m for m in messages if m.get("sender", "bot") == "bot"]):
        if "?" in (message.get("text") or "") or message.get("buttons"):
            return message.get("text") or ""
    return ""


def _hint_topic(action: Optional[str]) -> Optional[str]:
    """Only when the words say nothing: the question's name, mapped to a reader's topic."""
    if not action or not action.startswith("utter_ask_"):
        return None
    name = action[len("utter_ask_") :]
    for key, topic in (
        ("summary", "summary_check"),
        ("correct", "what_to_correct"),
        ("start", "start"),
        ("importance", "ruler_importance"),
        ("confidence", "ruler_confidence"),
        ("direction", "direction"),
        ("amount", "amount"),
        ("consent", "consent"),
        ("continue", "continue"),
        ("decision", "decision"),
        ("step_kind", "step_kind"),
        ("step_what", "step_what"),
        ("step_who", "step_who"),
        ("step_when", "step_when"),
        ("more_steps", "more_steps"),
    ):
        if key in name:
            return topic
    return None


# --- typing -------------------------------------------------------------------------


def misspell(text: str, rng: random.Random, rate: float, keep: Sequence[str] = ()) -> str:
    """One typo (swap, drop or double a letter) in some words of five letters or more."""
    if rate <= 0:
        return text
    keep_folded = {fold(k) for k in keep}

    def typo(match: "re.Match[str]") -> str:
        word = match.group(0)
        if len(word) < 5 or fold(word) in keep_folded or word[0].isupper() or rng.random() >= rate:
            return word
        i = rng.randrange(1, len(word) - 1)
        how = rng.choice(("swap", "drop", "double"))
        if how == "swap":
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if how == "drop":
            return word[:i] + word[i + 1 :]
        return word[:i] + word[i] + word[i:]

    return re.sub(r"[A-Za-zÀ-ÿ]+", typo, text)


def _casual(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:]


# --- the policy -----------------------------------------------------------------------


class SimulatedClient:
    def __init__(self, persona: Persona, seed: int = 0) -> None:
        self.persona = persona
        self.seed = seed
        self.rng = random.Random(f"{persona.name}:{seed}")
        self.told: Dict[str, List[str]] = {}  # fact id → client message ids it was told in
        self.told_order: List[str] = []
        self.pending: Tuple[str, ...] = ()  # facts of the last reply, until its id is known
        self.asked: Dict[str, int] = {}
        self.pushbacks = 0
        self.cried = False
        self.corrected = False
        self.corrected_once_more = False
        self.last_question = ""
        self.same_question = 0
        self.replies: List[Reply] = []
        self.unmatched: List[str] = []

    # -- bookkeeping
    def record(self, message_id: Optional[str]) -> None:
        """The API gave the id of the message just sent: remember which facts it carried."""
        for fact_id in self.pending:
            self.told.setdefault(fact_id, [])
            if message_id:
                self.told[fact_id].append(message_id)
        self.pending = ()

    def stated_topics(self) -> set:
        """Topics the client has told something about (each fact's first topic; for the coder's
        repeat check: a fact that can also answer another question does not make that one a repeat)."""
        return {self.persona.fact(fact_id).topics[0] for fact_id in self.told_order}

    def gave_up(self) -> bool:
        return self.same_question >= MAX_SAME_QUESTION

    def _mark(self, facts: Sequence[str]) -> None:
        for fact_id in facts:
            if fact_id not in self.told_order:
                self.told_order.append(fact_id)
        self.pending = tuple(facts)

    def _untold(self, topic: str) -> List[Fact]:
        return [f for f in self.persona.facts if topic in f.topics and f.id not in self.told_order]

    def _facts_for(self, topic: Optional[str]) -> List[Fact]:
        return [f for f in self.persona.facts if topic in f.topics]

    def _say(self, fact: Fact, short: bool = False) -> str:
        correction = self.persona.correction
        if correction and fact.id == correction.fact_id and not self.corrected:
            return correction.wrong_says
        return fact.terse if short and fact.terse else fact.says

    def _type(self, parts: Sequence[str], keep_facts: Sequence[Fact] = ()) -> str:
        style = self.persona.style
        parts = [p.strip() for p in parts if p and p.strip()]
        if style.lower_case:
            text = " ".join(_casual(p) for p in parts)
        else:
            text = " ".join(p if p.endswith((".", "?", "!")) or p.isdigit() else p + "." for p in parts)
        keep = [w for f in keep_facts for w in f.plan]
        return misspell(text, self.rng, style.typo_rate, keep)

    def _button(self, buttons: Sequence[Dict[str, str]], *wanted: str) -> Optional[Dict[str, str]]:
        """The first ordinary button whose title starts with or contains one of ``wanted``."""
        ordinary = T.ordinary_buttons(buttons)
        for want in wanted:
            w = fold(want)
            for button in ordinary:
                title = fold(button.get("title") or "")
                if title == w or title.startswith(w) or (len(w) > 3 and w in title):
                    return button
        return None

    def _click(
        self, button: Dict[str, str], topic: Optional[str], facts: Sequence[str] = (), kind: str = "button"
    ) -> Reply:
        self._mark(facts)
        return Reply(
            button.get("payload") or button.get("title") or "", button.get("title"), topic, tuple(facts), kind
        )

    def _typed(
        self, parts: Sequence[str], topic: Optional[str], facts: Sequence[Fact] = (), kind: str = "answer"
    ) -> Reply:
        ids = [f.id for f in facts]
        self._mark(ids)
        return Reply(self._type(parts, facts), None, topic, tuple(ids), kind)

    # -- the answer
    def reply(self, messages: Sequence[Mapping[str, Any]]) -> Reply:
        text, buttons, action = bot_turn(messages)
        asked = question_text(messages) or text
        if fold(asked) == self.last_question:
            self.same_question += 1
        else:
            self.last_question, self.same_question = fold(asked), 1
        topic = T.question_topic(asked) or _hint_topic(action)
        self.asked[topic or "?"] = self.asked.get(topic or "?", 0) + 1
        reply = self._answer(topic, asked, buttons)
        if self.same_question >= 2 and self.replies and reply.kind not in ("pushback", "correction", "cry"):
            reply = self._rephrase(reply, topic, buttons)
        self.replies.append(reply)
        return reply

    def _rephrase(self, reply: Reply, topic: Optional[str], buttons: Sequence[Dict[str, str]]) -> Reply:
        """Asked the same again (or handed back after a hand-off): say it another way, as a person
        would: a sentence instead of the button, the button instead of a sentence, at last skip."""
        previous = self.replies[-1]
        if self.same_question == 2 and previous.title is not None:
            return Reply(
                self._type([f"ik zeg {previous.title.lower()}"]), None, topic, reply.facts, "rephrase"
            )
        if self.same_question <= 3 and previous.title is None:
            fitting = self._button(buttons, previous.text.split(",")[0].split(".")[0])
            if fitting:
                return Reply(fitting.get("payload") or "", fitting.get("title"), topic, (), "rephrase")
        for button in buttons or []:
            if fold(button.get("title") or "").startswith(
                ("sla over", "dat zeg ik liever niet", "liever niet")
            ):
                return Reply(button.get("payload") or "", button.get("title"), topic, (), "rephrase")
        return reply

    def _answer(self, topic: Optional[str], asked: str, buttons: Sequence[Dict[str, str]]) -> Reply:
        p, style, rng = self.persona, self.persona.style, self.rng
        yes_no = T.is_yes_no_question(asked, buttons)

        # Pushback on a topic that annoys the client (the return weighing, "terug").
        annoying = topic in style.pushback_topics or (
            "terug" in style.pushback_topics and re.search(r"\bterug\w*", fold(asked))
        )
        if annoying and style.pushback_lines:
            if self.pushbacks < len(style.pushback_lines):
                line = style.pushback_lines[self.pushbacks]
                self.pushbacks += 1
                facts = [f for f in p.facts if "no_return" in f.topics and f.id not in self.told_order][:1]
                return self._typed([line], topic, facts, kind="pushback")
            skip = self._button(buttons, "sla over", "liever niet", "andere vraag")
            for button in buttons or []:  # skipping is a person's right, even a control button
                if fold(button.get("title") or "").startswith(
                    ("sla over", "liever niet", "dat zeg ik liever")
                ):
                    skip = button
            if skip:
                return self._click(skip, topic, kind="pushback")
            return self._typed(["ik wil hier blijven, dat zei ik al"], topic, kind="pushback")

        # One summary item corrected by typing, the rest left as it is.
        if topic == "summary_check" and p.correction and not self.corrected:
            self.corrected = True
            fact = p.fact(p.correction.fact_id)
            return self._typed([p.correction.correction], topic, [fact], kind="correction")
        if topic == "what_to_correct":
            if p.correction and self.corrected and not self.corrected_once_more:
                self.corrected_once_more = True
                fact = p.fact(p.correction.fact_id)
                return self._typed([fact.says], topic, [fact], kind="correction")
            button = self._button(buttons, "niets", "het is goed", "het is toch goed", "klopt")
            return self._click(button, topic) if button else self._typed(["het is goed zo"], topic)

        # A moment of crying on the first question that touches it.
        if topic in style.cry_topics and not self.cried and style.cry_says:
            self.cried = True
            facts = [p.fact(f) for f in style.cry_facts]
            return self._typed([style.cry_says], topic, facts, kind="cry")

        if topic in p.answers:  # a choice, a score, a step: a button when one fits, else typed
            answer = p.answers[topic]
            button = self._button(buttons, answer)
            if button and rng.random() < max(style.button_rate, 0.5):
                return self._click(button, topic)
            facts = self._untold(topic)
            return self._typed([answer] + [f.says for f in facts[:1]], topic, facts[:1])

        if topic in ("summary_check", "start", "continue", "permission"):
            button = self._button(buttons, "ja")
            if button and rng.random() < style.button_rate:
                return self._click(button, topic)
            words = {
                "summary_check": "ja dat klopt",
                "start": "ja, we beginnen",
                "continue": "ja, graag",
            }.get(topic, "ja")
            return self._typed([words], topic)
        if topic == "consent":
            wanted = p.answers.get("consent", "ja")
            button = self._button(buttons, wanted)
            return self._click(button, topic) if button else self._typed([wanted], topic)

        facts = self._facts_for(topic) if topic else []
        untold = [f for f in facts if f.id not in self.told_order]
        if style.long_messages and topic in T.FACT_TOPICS and len(self.told_order) < 3:
            # Everything at once: the asked facts first, then the rest of what matters.
            rest = [f for f in p.facts if f.volunteer and f.id not in self.told_order and f not in untold]
            told = (untold or facts[:1]) + rest[:6]
            return self._typed([self._say(f) for f in told], topic, told)

        if yes_no:
            if not facts:
                button = self._button(buttons, "nee")
                if button and rng.random() < style.button_rate:
                    return self._click(button, topic)
                return self._typed([p.answers.get(f"no:{topic}", "nee")], topic)
            if untold:
                if rng.random() < style.less_rate:
                    button = self._button(buttons, "ja")
                    if button:
                        return self._click(button, topic)
                return self._typed(["ja, " + _casual(self._say(untold[0], short=True))], topic, untold[:1])
            return self._typed(["ja, dat zei ik al"], topic, kind="repeat")

        if untold:
            short = rng.random() < style.less_rate
            told = untold[:1] if short else untold[:2]
            parts = [self._say(f, short) for f in told]
            if not short and rng.random() < style.more_rate:
                extra = [
                    f
                    for f in p.facts
                    if f.volunteer and f.id not in self.told_order and f not in told and topic not in f.topics
                ]
                if extra:
                    told = told + [extra[0]]
                    parts.append(self._say(extra[0]))
            return self._typed(parts, topic, told)
        if facts:  # asked again what was told
            reply = self._typed(
                [
                    p.answers.get("repeat", "dat heb ik al gezegd")
                    + ", "
                    + _casual(self._say(facts[0], short=True))
                ],
                topic,
                facts[:1],
                kind="repeat",
            )
            self.pending = ()  # told before: the fact's message is the first one
            return reply

        # A question the client does not place: a button that fits a plain yes, or what
        # is on their mind.
        self.unmatched.append(asked)
        button = self._button(buttons, "ja")
        if button and yes_no:
            return self._click(button, topic, kind="unknown")
        volunteered = [f for f in p.facts if f.volunteer and f.id not in self.told_order]
        if volunteered and not buttons:
            return self._typed([volunteered[0].says], topic, volunteered[:1], kind="unknown")
        ordinary = T.ordinary_buttons(buttons)
        if ordinary:
            return self._click(ordinary[0], topic, kind="unknown")
        return self._typed([p.answers.get("default", "weet ik niet")], topic, kind="unknown")

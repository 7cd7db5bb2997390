"""Question context for a request: "met mijn begeleider praten over …" as the answer it is.

The detector reads a text without knowing what the bot just asked (and must stay so:
its recall is measured context-free). Some answers name a person or help because that
is their content: a step *with* the counsellor ("met mijn begeleider praten over de
school van mijn dochters" to "what is a step you want to take?"), "hulp" to "what do
you need for that goal?". Handing those off loses the answer and interrupts the talk.

``read_in_context(result, text, asked_slot)`` takes the detector's result, the text and
the form slot the bot was asking, and:

* **demotes** a ``request`` (flag ``request_human``) to a logged T1 flag, only when
  - the question expects a step, a need or a supporter (``CONTEXT_SLOTS``, from
    ``bot.conversation.questions``: kinds action_part, need, supporter),
  - every request the detector matched is a plausible *content* span for that kind
    ("begeleider" shapes everywhere, a bare "hulp" only where a need is asked),
  - nothing else was seen (no other flag, no escalation),
  - and nothing says "now": no immediacy ("nu", "meteen", "!", "?"…), no other person
    word ("mens", "iemand"), no stop, no call ("bel", "kom"), and an explicit wish
    ("ik wil met mijn begeleider praten") only with the topic of a later step ("over …").
  The answer is then recorded as the answer, and the bot asks at once whether the client
  wants a person now (``OFFER_SLOT``, response ``OFFER_RESPONSE``). Its "yes" button is
  ``/request_human``, the request path of today.
* **promotes** a "ja" to that offer (typed, or ``/affirm``) to ``request``: a yes to
  "wilt u nu met een begeleider praten?" is a request.

Crisis, emotion and uncertain are never touched; nor is any request in another question.
Pure: the API (its first line of defence, with the question it last showed) and the Rasa
safety component (with the same question, from the message metadata) both call it.
"""

from __future__ import annotations

import re
from typing import Any, Dict, FrozenSet, Mapping, Optional

from bot.conversation import normalise as answers
from bot.conversation import questions
from bot.safety.detector import scan
from bot.safety.normalise import normalise
from bot.safety.result import SafetyResult

# The form slot of the offer and the response that asks it (domain.yml).
OFFER_SLOT = "person_offer"
OFFER_RESPONSE = f"utter_ask_{OFFER_SLOT}"
# Values of the OFFER_SLOT: ask it now / the client said no / no clear answer twice.
OFFER_PENDING = "pending"
OFFER_DECLINED = "declined"
OFFER_UNCLEAR = "unclear"
ESCALATION_PREFIX = "answer_context:"
REQUEST_FLAG = "request_human"
ASK_PREFIX = "utter_ask_"

# Which kinds of question may have a person or help as their content, and which spans.
_NEED_KINDS = frozenset({questions.NEED})
_CONTEXT_KINDS = frozenset({questions.ACTION_PART, questions.NEED, questions.SUPPORTER})

_COUNSELLOR = r"(?:begeleider\w*|begeleidster\w*)"
_DET = r"(?:(?:een|de|mijn|onze|uw|je|jouw|n) )?"
_TALK = r"(?:praten|spreken|bellen|chatten|zien|overleggen)"
# Spans (normalised, whole match) that name the counsellor as the content of an answer.
_COUNSELLOR_SPANS = (
    rf"{_DET}{_COUNSELLOR}",  # "een begeleider"
    rf"hulp van {_DET}{_COUNSELLOR}",  # "hulp van een begeleider"
    rf"(?:samen )?met {_DET}{_COUNSELLOR} {_TALK}",  # "met mijn begeleider praten"
    rf"(?:gesprek|afspraak|contact) met {_DET}{_COUNSELLOR}",  # "afspraak met mijn begeleider"
    rf"(?:wil\w*|wou|wilde) (?:graag |ook |eerst )?met {_DET}{_COUNSELLOR}",  # only with a topic, below
)
_HELP_SPANS = (r"hulp",)
_TRAILING = r"(?: [.,])*"

# Anything here means the client may want a person now: no demotion.
_NOW_WORDS = frozenset(
    "nu nou meteen direct gelijk snel sneller vandaag vanavond vannacht zsm asap now urgent dringend "
    "spoed nood noodgeval alsjeblieft alstublieft aub please pls plz svp help".split()
)
_PERSON_WORDS = frozenset(
    "mens mensen persoon iemand human person someone somebody echte echt computer robot machine bot "
    "chat programma tolk".split()
)
_STOP_WORDS = frozenset("stop stoppen ophouden kappen genoeg klaar".split())
_CALL_WORDS = frozenset(
    "haal haalt halen roep roept roepen stuur stuurt bel belt kom komen komt breng "
    "verbind geef waar".split()
)
_QUESTION_FORM = re.compile(
    r"\b(?:kan|kun|kunt|mag|zou|zal|wil|wilt|moet) (?:ik|iemand|u|jij|je|er|jullie|hij|zij)\b"
)
_WISH_WORDS = frozenset("wil wilt willen wou wilde graag liever wens want need moet".split())
_TOPIC_WORDS = frozenset("over voor om omdat zodat want bij wat hoe welke".split())


def context_slots() -> FrozenSet[str]:
    """Form slots whose answer may name a person or help as its content."""
    return frozenset(q.slot for q in questions.QUESTIONS if q.kind in _CONTEXT_KINDS)


def slot_of_response(utter_action: Optional[str]) -> Optional[str]:
    """``utter_ask_step_what`` → ``step_what``; None for anything that is not a question."""
    if utter_action and utter_action.startswith(ASK_PREFIX):
        return utter_action[len(ASK_PREFIX) :] or None
    return None


def _content_spans(slot: str) -> re.Pattern:
    kind = questions.question(slot).kind
    spans = _COUNSELLOR_SPANS + (_HELP_SPANS if kind in _NEED_KINDS else ())
    return re.compile(rf"(?:{'|'.join(spans)}){_TRAILING}")


def _says_now(raw: str, norm: str) -> bool:
    if "!" in raw or "?" in raw:
        return True
    words = set(norm.split())
    if words & (_NOW_WORDS | _PERSON_WORDS | _STOP_WORDS | _CALL_WORDS):
        return True
    if _QUESTION_FORM.search(norm):
        return True
    # "ik wil met een begeleider praten" is a wish for a person, unless it names what about.
    return bool(words & _WISH_WORDS) and not words & _TOPIC_WORDS


def is_plausible_answer(text: str, asked_slot: Optional[str]) -> bool:
    """True when every request the detector sees in ``text`` is content of an answer to ``asked_slot``."""
    if asked_slot not in context_slots():
        return False
    norm = normalise(text)
    if not norm or _says_now(text, norm):
        return False
    hits = [h for h in scan(text) if h.flag]
    if not hits or any(h.flag != REQUEST_FLAG for h in hits):
        return False
    spans = _content_spans(asked_slot)
    return all(spans.fullmatch(h.matched) for h in hits)


def accepts_offer(text: str) -> bool:
    """A yes to "wilt u nu met een begeleider praten?" (typed, or the /affirm payload)."""
    stripped = text.strip()
    if stripped.startswith("/"):
        return stripped.split("{")[0] == "/affirm"
    return answers.yes_no(stripped) is True


def declines_offer(text: str, intent: Optional[str] = None) -> bool:
    """A no to the offer, or "ga verder" (typed, the /deny button, or DIET's ``deny``)."""
    stripped = text.strip()
    if stripped.startswith("/"):
        return stripped.split("{")[0] == "/deny"
    if answers.is_dont_know(stripped):
        return False  # "weet ik niet" is no "nee": asked once more
    if intent == "deny" and answers.yes_no(stripped) is not True:
        return True
    folded = answers.fold(stripped)
    if (
        re.search(r"\b(?:verder|door|doorgaan|later|straks|eerst de vragen)\b", folded)
        and answers.yes_no(stripped) is not True
    ):
        return True
    return answers.yes_no(stripped) is False


def read_in_context(result: SafetyResult, text: str, asked_slot: Optional[str]) -> SafetyResult:
    """The detector's ``result`` for ``text``, read as an answer to the question ``asked_slot``."""
    if not asked_slot or not isinstance(text, str):
        return result
    if asked_slot == OFFER_SLOT:
        if result.category == "none" and accepts_offer(text):
            return SafetyResult(
                "request", REQUEST_FLAG, text.strip()[:200], 2, escalation=ESCALATION_PREFIX + OFFER_SLOT
            )
        return result
    if result.category != "request" or result.flag != REQUEST_FLAG or result.escalation:
        return result
    if not is_plausible_answer(text, asked_slot):
        return result
    return SafetyResult("none", REQUEST_FLAG, result.matched, 1, escalation=ESCALATION_PREFIX + asked_slot)


def is_demoted(reading: Optional[Mapping[str, Any]]) -> bool:
    """A request set aside because it answered the question (the bot must offer a person)."""
    reading = reading or {}
    return (
        reading.get("category") == "none"
        and reading.get("flag") == REQUEST_FLAG
        and str(reading.get("escalation") or "").startswith(ESCALATION_PREFIX)
    )


def context_reading(result: SafetyResult, text: str, asked_slot: Optional[str]) -> Dict[str, Any]:
    """``read_in_context`` as the JSON reading stored with a message; when the context changed
    it, with the question and the context-free reading next to it (for the counsellor)."""
    read = read_in_context(result, text, asked_slot)
    data = read.to_dict()
    if read is not result:
        data["asked_slot"] = asked_slot
        data["context_free"] = result.to_dict()
    return data

"""An independent MITI 4.2.1-style coder of the bot's messages, from their text only.

It never reads the bot's ``mi_code`` metadata nor its ``utter_action``: it codes what
the client reads. Each bot bubble is split into its statement part (sentences without
a question mark) and its question part.

* **Question**: a sentence ending in "?", or a bubble with buttons. *Open* when the
  question starts with wat/hoe/waarom/welke/wie/waar/wanneer/waarover/vertel… and has
  no yes/no buttons; else *closed*.
* **Reflection**: a statement that gives back what the client said: at least one
  content word of the client's last turns (pronouns and function words left out,
  spelling tolerant), no question mark, not the bot's own information or structure.
  *Complex* when it adds meaning or feeling (a feeling/meaning word the client did
  not use) or links two client statements (content words of two different client
  turns); else *simple*. Consecutive reflection bubbles of one bot turn are one
  reflection (a summary in three bubbles is one summary), so they cannot inflate R:Q.
* **Failed reflection**: a reflection that is not well-formed Dutch
  (``bot/conversation/reflection_quality.is_well_formed`` when it is there, plus a few
  checks of this coder: word order after a fronted word, "thuis u had"), or a statement
  addressed to the client after a client turn with content that does not refer to
  anything the client said (a stock line). Failed reflections do not count as
  reflections.
* **Affirm**, **information/structure**, **other**: the rest.

A **turn not taken in** is a client turn followed by a bot turn that says it did not
understand, asks to pick a button, treats pushback as a command ("we gaan een vraag
terug"), asks again what the client already told (the question's topic against the
client's stated topics, unless the question names what the client said: a check-in
like "U zei dat u uit Guinee komt. Klopt dat?" is fine) or asks the return weighing
of a client who said he stays.

    coded = code_talk(turns)   # turns: [{"client": {"text", "stated_topics"?} | None, "bot": [{"text", "buttons"}]}]
    coded.figures()            # R:Q, complex share, failed reflections, not-taken-in turns
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Set

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.simulated_clients import topics as T  # noqa: E402
from bench.simulated_clients.topics import fold  # noqa: E402

QUESTION_CODES = ("open_question", "closed_question")
REFLECTION_CODES = ("simple_reflection", "complex_reflection")
TARGETS = {"reflection_to_question": 2.0, "complex_share": 0.5, "failed_reflections": 0, "not_taken_in": 0}

OPEN_STARTS = re.compile(
    r"^(wat|hoe|waarom|welke|welk|wie|waar|wanneer|waarover|waarmee|waardoor|"
    r"vertel|beschrijf|op welke|in welke|met wie|over wie|van wie|voor wie)\b"
)

STOPWORDS = frozenset(
    """
    ik mij me mijn m'n u uw jij je jou jouw hij zij ze hem haar hun hen wij we ons onze jullie men
    de het een en of maar want dus dan als dat die dit deze wat wie waar hoe waarom wanneer welke welk
    is ben bent zijn was waren wordt worden word heb hebt heeft hebben had hadden kan kun kunt kunnen
    wil wilt willen zal zult zullen zou zouden moet moeten mag mogen ga gaat gaan doe doet doen
    niet geen wel ook nog al er hier daar nu toen zo heel erg veel weinig meer minder soms vaak altijd nooit
    in op aan met van voor naar bij uit over om tot door na onder tegen zonder sinds
    ja nee oke ok goed prima dank bedankt alstublieft graag even echt gewoon misschien weet weten
    iets niets niks alles iemand niemand allemaal andere ander eigen zelf samen alleen
    één een twee drie dingen ding keer beetje best zegt zeg zei zeggen vertelt vertel vertellen noemt
    klopt dus toch eens alweer weer steeds waarom vraagt vragen vraag denk denkt
    dag nacht hele fijn mooi vindt vind
""".split()
)
# Words that add feeling or meaning (MITI: a complex reflection goes beyond the words).
FEELING_WORDS = (
    "mis",
    "gemist",
    "zorg",
    "bezorgd",
    "bang",
    "angst",
    "verdriet",
    "zwaar",
    "moeilijk",
    "lastig",
    "pijn doet",
    "belangrijk",
    "hoop",
    "trots",
    "boos",
    "blij",
    "eenzaam",
    "schaam",
    "onzeker",
    "twijfel",
    "waardevol",
    "betekent",
    "betekenis",
    "voel",
    "gevoel",
    "houvast",
    "kracht",
    "sterk",
    "verlang",
    "hart",
    "onrust",
    "heimwee",
    "vertrouw",
    "geeft om",
    "geeft veel om",
    "liefde",
    "verantwoordelijk",
    "opgelucht",
    "frustr",
    "teleurgesteld",
    "wanhoop",
    "uitgeput",
    "machteloos",
    "onmacht",
    "dierbaar",
    "zorgt voor",
    "waard",
)
NOT_UNDERSTOOD = re.compile(
    r"begrijp (u |het |dat |uw antwoord )?(nog )?niet|niet (goed )?begrepen|kies (een|een van de) knop|"
    r"een knop kiezen|kiest u een knop|kies hieronder|snap (ik )?(het )?niet|kunt u het anders zeggen|"
    r"weet niet (goed )?wat u bedoelt|welk antwoord u bedoelt|ik weet niet goed wat u|zeg het nog eens|"
    r"dat heb ik niet begrepen"
)
BACK_AS_COMMAND = re.compile(r"we gaan (een vraag )?terug|vorige vraag|een vraag terug")
CLIENT_WANTS_BACK = re.compile(r"vorige|terug naar de|ga terug naar|een vraag terug")
AFFIRM_STARTS = re.compile(
    r"^(dank|bedankt|fijn dat|goed dat|wat goed|wat fijn|knap|mooi dat|sterk dat|"
    r"wat mooi|het is goed dat|het is knap)"
)
STRUCTURE_STARTS = re.compile(
    r"^(ik (ga|schrijf|zet|heb|vraag|stel|ben|kan|wil|help|geef|lees|noteer|kies|praat|maak|neem|vat)\b|"
    r"stel dat|als het |nu een |natuurlijk|een begeleider|"
    r"we |wij |laten we|dit (gesprek|is een|is de)|hier |er (is|zijn) |de (begeleider|coach|vraag)|"
    r"uw begeleider (kan|helpt|leest|ziet|krijgt|belt)|het iom|iom |welkom|hallo|hoi|dag\b|goedemorgen|"
    r"goedemiddag|u kunt (altijd|ook|op|hier|nu|stoppen)|u mag|u hoeft|als u|kies|klik|typ|fase|"
    r"deel \d|nu (gaan|praten)|eerst|daarna|tot slot|straks|oke\b|goed\.|prima|tot ziens|succes|"
    r"vertel|denk aan|noem|zeg het|bel |chat )"
)
STRUCTURE_ANYWHERE = re.compile(
    r"\b(in uw plan|opgeschreven|schrijf ik|noteer|genoteerd|zet ik|uw actieplan|"
    r"het plan|deze vraag|de volgende vraag|een andere vraag|overslaan|sla\w* over|"
    r"112|113|een mens|computer|begeleider|ik schrijf|u hoeft|"
    r"ik vraag er niet)\b"
)
# A bare acknowledgement before the real statement ("Dat is goed. …") is left off.
ACKNOWLEDGEMENT = re.compile(
    r"^(dat is (goed|prima|helder|oke)|oke|goed|prima|natuurlijk|ja|helder)[.!]\s+", re.IGNORECASE
)
# A client turn that only says it does not know, and the bot saying that back.
NOT_KNOWING_CLIENT = re.compile(
    r"^(nee,? )?(dat |ik )?(weet|wet) (ik |het )?(het |dat )?(nog |echt )?(niet|nie)( goed| precies)?$|"
    r"^(geen idee|weet niet|ik weet het niet|weet ik niet)$"
)
NOT_KNOWING_BOT = re.compile(
    r"\b(u weet (het |dat )?(nu )?(nog )?niet|weet u (het |dat )?(nu )?(nog )?niet)\b"
)
REFLECT_FRAMES = re.compile(r"^(ik (hoor|begrijp|merk|zie|snap|lees)\b)")
# Word order a reader stumbles on: a fronted word, then "u" and the verb ("thuis u had …").
FRONTED_NO_INVERSION = re.compile(
    r"(^|[.!?]\s+)(thuis|daar|hier|nu|toen|vroeger|straks|later|soms|vaak|daarna|dan|ook|in \w+|"
    r"met \w+|bij \w+) u (had|heeft|hebt|bent|was|woont|woonde|werkt|werkte|wilt|wil|kunt|kon|mist|gaat|"
    r"ging|doet|deed|zit|zat|voelt|maakt|heeft)\b",
    re.IGNORECASE,
)

_CLIENT_TOPIC_PATTERNS = [  # fall-back when the client's stated topics are not given
    ("country", re.compile(r"\b(ik )?(kom|kwam) (ik )?uit\b|\bmijn land is\b")),
    ("children", re.compile(r"\b(mijn|twee|drie|vier) (kinderen|dochters?|zoons?|zonen|kind)\b")),
    ("family_origin", re.compile(r"\b(moeder|vader|broer|zus|familie|ouders)\b.*\b(woont|wonen|in|daar)\b")),
    (
        "no_return",
        re.compile(
            r"\bik (ga|wil) niet terug\b|\bik wil (hier|in nederland) blijven\b|"
            r"\bniet (aan )?terug(gaan)?\b"
        ),
    ),
]


def _well_formed_checker() -> Optional[Callable[[str], List[str]]]:
    try:
        from bot.conversation.reflection_quality import is_well_formed  # type: ignore
    except Exception:  # noqa: BLE001 - the other engineer's module may not exist yet
        return None
    return is_well_formed


_FIRST_PERSON = re.compile(r"(?<![\w'’-])(ik|mijn|mij|me|m'n)(?![\w'’-])", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“„«][^\"”»]*[\"”»]")


def own_checks(text: str) -> List[str]:
    """This coder's own reading of a reflection's form (used with or instead of is_well_formed)."""
    problems = []
    stripped = text.strip()
    if stripped and stripped[0].isalpha() and stripped[0].islower():
        problems.append("starts lower-case")
    if re.search(r"[.!?]\s+[a-z]", stripped):
        problems.append("lower case after a full stop")
    unquoted = _QUOTED.sub(" ", stripped)
    first = [
        m.group(1).lower()
        for m in _FIRST_PERSON.finditer(unquoted)
        if not (m.group(1).lower() == "ik" and REFLECT_FRAMES.match(fold(unquoted[m.start() :])))
    ]
    if first:
        problems.append(f"first person left: {', '.join(sorted(set(first)))}")
    for match in re.finditer(r"\bU (zegt|vertelt|noemt)\s*:\s*([^.!?]*)[.!?]", stripped):
        if len(re.findall(r"\w+", match.group(2))) <= 2:
            problems.append(f"bare fragment: {match.group(2).strip()!r}")
    doubled = re.search(r"\b(\w+)\s+\1\b", unquoted, re.IGNORECASE)
    if doubled and doubled.group(1).lower() not in ("dat", "die", "had", "heel", "ja", "nee"):
        problems.append(f"repeated word: {doubled.group(1).lower()}")
    if FRONTED_NO_INVERSION.search(stripped):
        problems.append("word order: verb not second")
    return problems


def echoed_typos(text: str, client_text: str) -> List[str]:
    """Words of the client that are no Dutch words (typos) given back as they were typed."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - pinned in requirements.txt
        return []
    try:  # a Dutch compound of two common words ("gezinslocatie") is no typo
        from bot.conversation.reflection_quality import _is_compound  # type: ignore
    except Exception:  # noqa: BLE001

        def _is_compound(word, frequency):  # type: ignore
            return False

    client = set(re.findall(r"[a-z]{4,}", fold(client_text)))
    return sorted(
        {
            w
            for w in re.findall(r"(?<![\w-])[a-z]{4,}(?![\w-])", text)
            if w in client
            and zipf_frequency(w, "nl") < 1.0
            and zipf_frequency(w, "en") < 2.5
            and not _is_compound(w, zipf_frequency)
        }
    )


def form_problems(
    text: str, checker: Optional[Callable[[str], List[str]]] = None, client_text: str = ""
) -> List[str]:
    """Problems of form: is_well_formed's (when present) and this coder's own, without duplicates."""
    problems: List[str] = []
    if checker is not None:
        for problem in checker(text):
            # The bot may say "Ik hoor dat u …": its own voice, not the client's words.
            if problem.startswith("first person left") and not own_checks_first_person(text):
                continue
            problems.append(problem)
    for problem in own_checks(text):
        kind = problem.split(":")[0]
        if kind == "first person left" and checker is not None:
            continue  # the checker knows the bot's own voice ("ik neem het serieus"); it decided above
        if not any(p.split(":")[0] == kind for p in problems):
            problems.append(problem)
    typos = echoed_typos(text, client_text)
    if typos and not any(p.startswith("misspelled") for p in problems):
        problems.append(f"client's typo echoed: {', '.join(typos)}")
    return problems


def own_checks_first_person(text: str) -> bool:
    return any(p.startswith("first person") for p in own_checks(text))


# --- words ---------------------------------------------------------------------------


def content_words(text: str) -> List[str]:
    """Content words, and numbers: a ruler score the client typed ("7") is given back as
    content ("U geeft een 7.")."""
    words = re.findall(r"[a-z\u00e0-\u00ff]+|\b\d{1,2}\b", fold(text))
    return [w for w in words if (len(w) >= 3 or w.isdigit()) and w not in STOPWORDS]


def _edit1(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] <= 1


def same_word(a: str, b: str) -> bool:
    """The same word, another form of it (dochter/dochters) or one typo away (moedr/moeder)."""
    if a == b:
        return True
    if (
        len(a) >= 5
        and len(b) >= 5
        and (a[:5] == b[:5] and min(len(a), len(b)) >= 5 and abs(len(a) - len(b)) <= 3)
    ):
        return True
    return len(a) >= 5 and len(b) >= 5 and _edit1(a, b)


def overlap(bot_words: Iterable[str], client_words: Iterable[str]) -> List[str]:
    client = list(client_words)
    return sorted({w for w in bot_words if any(same_word(w, c) for c in client)})


# --- coding ----------------------------------------------------------------------------


@dataclass
class Code:
    turn: int  # index of the bot turn (0 = the opening)
    code: str
    text: str
    reasons: List[str] = field(default_factory=list)
    client_text: Optional[str] = None


@dataclass
class Miss:
    turn: int
    client_text: str
    bot_text: str
    reasons: List[str]


@dataclass
class CodedTalk:
    codes: List[Code]
    failed: List[Code]
    not_taken_in: List[Miss]
    client_turns: int

    def count(self, *names: str) -> int:
        return sum(1 for c in self.codes if c.code in names)

    def figures(self) -> Dict[str, Any]:
        questions = self.count(*QUESTION_CODES)
        simple, complex_ = self.count("simple_reflection"), self.count("complex_reflection")
        reflections = simple + complex_
        return {
            "client_turns": self.client_turns,
            "open_questions": self.count("open_question"),
            "closed_questions": self.count("closed_question"),
            "simple_reflections": simple,
            "complex_reflections": complex_,
            "reflection_to_question": round(reflections / questions, 3) if questions else None,
            "complex_share": round(complex_ / reflections, 3) if reflections else None,
            "failed_reflections": len(self.failed),
            "not_taken_in": len(self.not_taken_in),
            "affirmations": self.count("affirm"),
            "information_structure": self.count("information", "other"),
        }

    def listing(self) -> Dict[str, List[Dict[str, Any]]]:
        return {
            "failed_reflections": [
                {"turn": c.turn, "client": c.client_text, "bot": c.text, "why": c.reasons}
                for c in self.failed
            ],
            "not_taken_in": [
                {"turn": m.turn, "client": m.client_text, "bot": m.bot_text, "why": m.reasons}
                for m in self.not_taken_in
            ],
        }


def split_bubble(text: str) -> (str, str):
    """(statement part, question part) of one bubble."""
    statements, questions = [], []
    for sentence in T.sentences(text):
        # After a question, a sentence belongs to it ("Vertel het in uw eigen woorden.").
        (questions if sentence.endswith("?") or questions else statements).append(sentence)
    return " ".join(statements), " ".join(questions)


def only_control_buttons(buttons: Sequence[Mapping[str, str]]) -> bool:
    """Buttons that only offer a person, a pause or a skip: a standing offer, no question
    (a bubble with them and no question mark is information)."""
    return bool(buttons) and not T.ordinary_buttons(buttons)


def code_question(question: str, buttons: Sequence[Mapping[str, str]]) -> str:
    last = T.last_question(fold(question)) or fold(question)
    if T.yes_no_buttons(buttons):
        return "closed_question"
    return "open_question" if OPEN_STARTS.match(last) else "closed_question"


# "Dat schrijf ik op (voor uw begeleider)." after a reflection: a neutral note of the bot's
# own, a separate utterance in MITI terms.
WRITE_DOWN = re.compile(
    r"^(dat|dit|het) (schrijf|zet|noteer) ik( \w+){0,2} op\b[^.!?]*[.!]?$|"
    r"^ik (schrijf|zet|noteer) (het|dat|dit) op\b[^.!?]*[.!]?$"
)


def without_write_down(statement: str) -> str:
    """The statement without its "Dat schrijf ik op." sentences, when it has others too.
    MITI codes each utterance: "U komt uit Guinee. Dat schrijf ik op." is a reflection and
    a neutral line, not one neutral line. Other lines in the bot's voice stay (a hand-off
    text remains information as a whole)."""
    sentences = T.sentences(statement)
    kept = [s for s in sentences if not WRITE_DOWN.match(fold(s))]
    return " ".join(kept) if kept and len(kept) < len(sentences) else statement


def code_statement(
    statement: str,
    client_history: Sequence[List[str]],
    last_client: str,
    checker: Optional[Callable[[str], List[str]]],
) -> (str, List[str]):
    """Code of a statement given the content words of the client turns (newest last)."""
    statement = ACKNOWLEDGEMENT.sub("", statement.strip()) or statement
    whole = statement  # its form is checked as the client reads it, the note included
    statement = without_write_down(statement)
    folded = fold(statement)
    if AFFIRM_STARTS.match(folded):
        return "affirm", []
    if NOT_UNDERSTOOD.search(folded):
        return "other", []  # counted as a turn not taken in, not as a reflection
    framed = bool(REFLECT_FRAMES.match(folded))
    if not framed and (STRUCTURE_STARTS.match(folded) or STRUCTURE_ANYWHERE.search(folded)):
        return "information", []
    if (
        NOT_KNOWING_CLIENT.match(fold(last_client).strip(" .!?"))
        and NOT_KNOWING_BOT.search(folded)
        and re.search(r"\bu\b", folded)
    ):
        return "simple_reflection", []  # "weet ik niet" -> "U weet het nu niet.": the client's answer back
    words = content_words(statement)
    recent = list(client_history)  # a reflection may give back something said earlier (a summary)
    shared_by_turn = [overlap(words, turn) for turn in recent]
    shared = sorted({w for s in shared_by_turn for w in s})
    addressed = bool(re.search(r"\b(u|uw)\b", folded)) or framed or folded.startswith(("dat ", "het ", "zo "))
    # A bare ruler score ("7") gives a stock line nothing to miss: what the bot makes of the
    # number is not coded as a failed reflection (nor as a reflection, without the number).
    last_has_content = bool(client_history and any(not w.isdigit() for w in client_history[-1]))
    if not shared:
        if addressed and last_has_content and len(re.findall(r"\w+", folded)) >= 4:
            return "failed_reflection", ["does not refer to what the client said"]
        return "other", []
    # With is_well_formed (it knows the bot's own voice) the whole statement is checked;
    # without it, the reflection without its note ("Dat schrijf ik op" is the bot's "ik").
    problems = form_problems(whole if checker is not None else statement, checker, " ".join([last_client]))
    if problems:
        return "failed_reflection", problems
    client_folded = fold(last_client)
    adds_feeling = any(
        re.search(rf"\b{re.escape(w)}", folded) and not re.search(rf"\b{re.escape(w)}", client_folded)
        for w in FEELING_WORDS
    )
    # Two client statements linked: a word only from one turn and another only from another.
    sets = [set(s) for s in shared_by_turn if s]
    turns_linked = 2 if any(a - b and b - a for i, a in enumerate(sets) for b in sets[i + 1 :]) else 1
    long_enough = len(re.findall(r"\w+", folded)) >= 4
    if long_enough and (adds_feeling or turns_linked >= 2):
        return "complex_reflection", []
    return "simple_reflection", []


def stated_topics_of(text: str) -> Set[str]:
    folded = fold(text)
    return {topic for topic, pattern in _CLIENT_TOPIC_PATTERNS if pattern.search(folded)}


def code_talk(turns: Sequence[Mapping[str, Any]], checker: Any = "auto") -> CodedTalk:
    """Code every bot message of a talk; ``turns`` as ``bench/simulated_clients/run.py`` records them."""
    if checker == "auto":
        checker = _well_formed_checker()
    codes: List[Code] = []
    failed: List[Code] = []
    missed: List[Miss] = []
    history: List[List[str]] = []  # content words per client turn
    stated: Set[str] = set()
    client_turns = 0
    for index, turn in enumerate(turns):
        client = turn.get("client")
        client_text = ""
        if client:
            client_turns += 1
            client_text = client.get("text") or ""
            history.append(content_words(client_text))
            given = client.get("stated_topics")
            stated |= set(given) if given is not None else stated_topics_of(client_text)
        turn_codes: List[Code] = []
        previous_reflection: Optional[Code] = None
        for bubble in turn.get("bot") or []:
            text = bubble.get("text") or ""
            statement, question = split_bubble(text)
            if statement:
                code, reasons = (
                    code_statement(statement, history, client_text, checker)
                    if client_turns
                    else ("information", [])
                )
                entry = Code(index, code, statement, reasons, client_text or None)
                if code == "failed_reflection":
                    failed.append(entry)
                    turn_codes.append(entry)
                    previous_reflection = None
                elif code in REFLECTION_CODES and previous_reflection is not None:
                    # one summary/reflection spread over bubbles counts once, coded as a whole
                    merged = previous_reflection.text + " " + statement
                    whole, _ = code_statement(merged, history, client_text, checker)
                    if "complex_reflection" in (code, whole, previous_reflection.code):
                        previous_reflection.code = "complex_reflection"
                    previous_reflection.text = merged
                else:
                    turn_codes.append(entry)
                    previous_reflection = entry if code in REFLECTION_CODES else None
            if question or (bubble.get("buttons") and not only_control_buttons(bubble.get("buttons"))):
                turn_codes.append(
                    Code(
                        index,
                        code_question(question or text, bubble.get("buttons") or []),
                        question or text,
                        [],
                        client_text or None,
                    )
                )
                previous_reflection = None
        codes += turn_codes
        if client:
            reasons = _not_taken_in(client_text, turn.get("bot") or [], stated, history)
            if reasons:
                missed.append(
                    Miss(
                        index,
                        client_text,
                        " / ".join(b.get("text") or "" for b in turn.get("bot") or []),
                        reasons,
                    )
                )
    return CodedTalk(codes, failed, missed, client_turns)


def _not_taken_in(
    client_text: str, bot: Sequence[Mapping[str, Any]], stated: Set[str], history: Sequence[List[str]]
) -> List[str]:
    reasons = []
    all_text = fold(" ".join(b.get("text") or "" for b in bot))
    if NOT_UNDERSTOOD.search(all_text):
        reasons.append("says it did not understand / asks for a button")
    if BACK_AS_COMMAND.search(all_text) and not CLIENT_WANTS_BACK.search(fold(client_text)):
        reasons.append("pushback or answer read as a command to go back")
    said = [w for turn in history for w in turn]
    for bubble in bot:
        _, question = split_bubble(bubble.get("text") or "")
        if not question:
            continue
        topic = T.question_topic(question)
        names_it = bool(overlap(content_words(question), said))
        if topic in T.FACT_TOPICS and topic in stated and not names_it:
            reasons.append(f"asks again what the client told ({topic})")
        if topic in T.RETURN_TOPICS and "no_return" in stated:
            reasons.append("asks the return weighing of a client who said he stays")
    return reasons

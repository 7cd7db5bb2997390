"""Every response template, filled with what clients really type, reads as well-formed Dutch.

The answers below are written as kiosk clients write: broken Dutch, typos, one word or a
long story, asides to the bot, a plain no, people, places and times. Each goes through the
reflection functions the form validators use, into every variant of the response they
pick, past the channel's first capital, and through the independent check
``reflection_quality.is_well_formed``. The bad sentences clients read before are checked
one by one at the end.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

import pytest
import yaml

from bot.conversation import questions, second_reflection as sr
from bot.conversation.bot_text import capitalise_first
from bot.conversation.reflection import client_words, double_sided, people, split_who_when, strip_frame
from bot.conversation.reflection_quality import is_well_formed

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))
RESPONSES: Dict[str, List[dict]] = DOMAIN["responses"]
TODAY = date(2026, 12, 7)

ANSWERS = [
    # one or two words
    "auto",
    "vrouw",
    "niet",
    "nee",
    "niks",
    "geen",
    "moeilijk",
    "goed",
    "saai",
    "koken",
    "voetbal",
    "whatsapp",
    "facebook en tiktok",
    "mijn broer",
    "moedr",
    "famillie",
    "kindren",
    "werrk",
    "niet veilig",
    "heel moeilijk",
    "nee niet",
    "geen nieuws",
    "2 broers",
    "een vriend",
    "Conakry",
    "Kabul",
    "Guinee",
    "naaien",
    "school",
    "paspoort",
    "geld",
    "huis",
    "rust",
    "vrede",
    "werk",
    "mijn kinderen",
    "vrouw, dochters",
    "mijn moedr en broer",
    "mijn zus",
    "vrienden uit de kerk",
    # broken Dutch, typos
    "ik heb werrk in winkel",
    "mijn famillie is in conakry",
    "ik woon azc met mijn kindren",
    "thuis ik had een winkel voor telefoons",
    "in guinee ik was kapper",
    "ik kan goed auto maken",
    "ik spreek frans en pular",
    "ik wil terug naar mijn moedr",
    "mij familie wil dat ik blijf",
    "ik ben moe van wachten",
    "ik hebben geen papieren",
    "mijn broer hij woont in den haag",
    "ik wil werk, geld voor mijn famillie",
    "ik weet niet goed hoe daar is",
    "ik mis mijn moeder",
    "ik ziek, rug pijn",
    "ik schoonmaak doen in hotel",
    "vroeger ik werkte op de markt",
    "ik kan rekenen en verkopen",
    "wij wonen met ons gezin in azc",
    "we hebben geen geld",
    "mijn vrouw en ik wonen hier",
    "ik en mijn broer",
    "ik gaan naar school elke dag",
    "ik leer nederlands",
    "ik heb diploma van middelbare school",
    "ik was leraar in kabul",
    "elke dag ik ga naar de taalles",
    "ik zoek werk maar er is niks",
    # asides and pushback around the answer
    "dat heb je al gevraagd! niet veilig",
    "dat zei ik al, mijn moeder en broer",
    "zoals ik zei, ik heb een winkel",
    "weet je toch, mijn famillie is in kabul",
    "waarom steeds deze vraag? ik wil hier blijven",
    "dat heb je al gevraagd. ik ben gezond",
    "ik zei het al: geen contact",
    "je vraagt het steeds. mijn kinderen gaan naar school",
    "zoals ik al zei, auto",
    "dat heb ik al gezegd. via facebook",
    # negatives and qualified answers
    "nee, alleen soms pijn in rug",
    "nee, niemand",
    "geen contact meer",
    "nee, ik heb niemand",
    "niet echt",
    "helemaal niet",
    "nooit",
    "ik hoor niks van thuis",
    "nee nog niet",
    "ik weet het niet",
    "geen idee",
    "niks, ik wil hier blijven",
    # longer answers, more sentences
    "ik woon in het azc. het is saai. ik wil werken.",
    "mijn vrouw is hier. mijn kinderen ook.",
    "ik heb een winkel gehad voor telefoons in Conakry. dat ging goed. ik wil dat weer doen.",
    "mijn man is al twee jaar weg, ik weet niet of hij leeft",
    "ik ben bang voor de taliban, ze zoeken mijn familie",
    "mijn moeder is oud en ziek, ik wil voor haar zorgen maar ik heb geen geld",
    "mijn dochters gaan hier naar school en ze spreken goed nederlands, daar mogen ze niet naar school",
    "ik wil een eigen winkel openen in Conakry met telefoons en opladers, mijn broer kan helpen",
    "het leven hier is moeilijk, ik mag niet werken en ik zit de hele dag in mijn kamer",
    "ik hoop dat mijn kinderen een goede toekomst hebben en dat wij veilig zijn",
    "mijn familie verwacht dat ik geld stuur, ze denken dat ik rijk ben in europa",
    "ik heb insuline nodig voor suiker, elke dag twee keer",
    "ik gebruik paracetamol en slaappillen van de dokter",
    "daar is geen goede dokter en medicijnen zijn duur",
    "ik heb 3 jaar gewerkt als lasser en ik kan ook metselen",
    "ik heb geen school gehad, ik heb geleerd van mijn vader op de markt",
    "ik hoor nieuws via whatsapp van mijn broer en soms bel ik mijn moeder",
    "ik maak me zorgen over mijn kinderen en over geld",
    "mijn doel is winkel in Conakry, telefoons",
    "mijn doel is een opleiding volgen en dan werken",
    "ik heb een paspoort nodig en een laissez-passer, en geld om te beginnen",
    "als ik werk en een huis heb daar, dan is het makkelijker",
    "mijn kinderen spreken geen pasjtoe, alleen nederlands en een beetje dari",
    "school is daar ver weg en niet veilig voor meisjes",
    "ik mis mijn moeder, maar hier heb ik mijn werk",
    "ik wil terug maar ik schaam me tegenover mijn familie",
    "het is hier veilig, maar ik heb geen papieren",
    "mijn zus woont in Den Haag met haar man en twee kinderen",
    "ik heb hier een vriend uit Guinee, hij helpt mij met de brieven",
    "in mijn land was ik boer, ik had koeien en geiten",
    "we hadden een huis en een stuk land, nu is alles weg",
    "ik kan goed met kinderen omgaan en ik kan koken voor veel mensen",
    "ik ben goed in talen, ik spreek vijf talen",
    "ik ben gezond, alleen soms hoofdpijn",
    "het gaat wel, ik slaap slecht door de zorgen",
    "ik wil dat mijn dochters vrij kunnen leven",
    "rust en een eigen huis",
    "een baan en mijn familie weer zien",
    "dat mijn kinderen naar school kunnen",
    "ik wil in nederland blijven, hier is mijn leven",
    "ik denk niet aan teruggaan. waarom vraagt iedereen dat",
    "misschien later, nu weet ik het niet",
    "ik wil eerst met mijn advocaat praten",
    "Ahmed helpt mij. Ik bel Ahmed elke week.",
    "Mijn broer Mamadou woont nog in Kankan.",
    "I miss my family, my mother is alone",
    "je ne sais pas, ma famille est là-bas",
    "my brother and my sister",
    "mon frère est à Conakry",
    # times and who (steps)
    "volgende week, met mijn begeleider samen",
    "met mijn begeleider",
    "ik zelf, morgen",
    "samen met Ahmed op maandag",
    "in maart met mijn broer",
    "over twee weken",
    "zo snel mogelijk",
    "na de ramadan",
    "ik en de IOM",
    "mijn begeleider van het COA",
    "ik bel zelf de ambassade",
    "een paspoort aanvragen bij de ambassade",
    "geld sparen voor de winkel",
    "een cursus volgen",
    "mijn moeder bellen",
    # more one-liners, mixed
    "goede vraag",
    "weet niet",
    "ja",
    "ja, mijn vrouw",
    "ja hoor, een beetje",
    "best veel",
    "een beetje",
    "heel erg",
    "dat is moeilijk te zeggen",
    "het hangt ervan af",
    "gewoon leven",
    "veiligheid",
    "mijn gezondheid",
    "werk en school",
    "de oorlog",
    "taliban",
    "armoede",
    "corruptie en geen werk",
    "niemand helpt daar",
    "mijn ouders zijn dood",
    "ik heb daar niemand meer",
    "de mensen zijn daar aardig",
    "het eten en de familie",
    "ik hou van voetbal en muziek",
    "ik help in de moskee",
    "ik doe vrijwilligerswerk",
    "ik werk bij de kapper als vrijwilliger",
    "ik kook voor de mensen in het azc",
]


def _render(template: str, params: Dict[str, str]) -> str:
    def fill(match: "re.Match[str]") -> str:
        return str(params.get(match.group(1), match.group(0)))

    return capitalise_first(re.sub(r"\{(\w+)\}", fill, template))


def _filled(response: str, params: Dict[str, str]) -> Iterable[Tuple[str, str]]:
    """(template, text as the client reads it) for every variant of ``response``."""
    assert response in RESPONSES, f"{response} is not in domain.yml"
    for variant in RESPONSES[response]:
        template = variant.get("text") or ""
        yield template, _render(template, params)


def _texts(response: str, params: Dict[str, str]) -> Iterable[str]:
    return [text for _template, text in _filled(response, params)]


def _open_slots() -> List[str]:
    # The step questions have their own reflections (who, when, what: see below).
    return [
        slot
        for slot in questions.all_slots()
        if not slot.startswith("step_")
        and "{words}" in " ".join(v.get("text") or "" for v in RESPONSES.get(f"utter_reflect_{slot}", []))
    ]


def _problems(cases: Iterable[Tuple[str, str, sr.Utterance]]) -> List[str]:
    found = []
    for slot, answer, utterance in cases:
        if utterance is None:
            continue
        for template, text in _filled(utterance.response, utterance.params):
            problems = is_well_formed(text, template)
            if problems:
                found.append(f"{slot} | {answer!r} -> {text!r}: {problems}")
    return found


def test_there_are_enough_varied_answers():
    assert len(set(ANSWERS)) >= 150
    assert len(_open_slots()) >= 15


def test_word_reflections_of_every_open_question_are_well_formed():
    cases = [
        (slot, answer, sr.first_reflection(slot, answer)) for slot in _open_slots() for answer in ANSWERS
    ]
    assert _problems(cases) == []


def test_second_reflections_are_well_formed():
    cases = [
        (slot, answer, sr.after_answer(slot, answer, {})) for slot in sr.DEEPENED_SLOTS for answer in ANSWERS
    ]
    linked = [
        (slot, answer, sr.after_answer(slot, answer, {earlier: before}))
        for slot, (earlier, _response) in sr.LINKED.items()
        for before, answer in zip(ANSWERS, ANSWERS[7:] + ANSWERS[:7])
    ]
    assert _problems(cases + linked) == []


def test_double_sided_reflections_are_well_formed():
    cases = []
    for answer in ANSWERS:
        sides = double_sided(answer)
        if sides:
            cases.append(
                (
                    "double",
                    answer,
                    sr.Utterance("utter_reflect_double_sided", {"first": sides[0], "second": sides[1]}),
                )
            )
    assert len(cases) >= 5
    assert _problems(cases) == []


def test_step_country_direction_and_option_reflections_are_well_formed():
    cases = []
    for answer in ANSWERS:
        who, when = split_who_when(answer)
        cases.append(("step_who", answer, sr.after_step_who(who)))
        if when:
            cases.append(("step_when", answer, sr.after_step_when(when, None, TODAY)))
        cases.append(("step_when", answer, sr.after_step_when(answer, TODAY, TODAY)))
        cases.append(("step_what", answer, sr.after_step_what(answer)))
        cases.append(("step_what", answer, sr.step_what(answer)))
        cases.append(("country", answer, sr.country_reflection(answer)))
        for direction in ("harder", "easier"):
            cases.append(("direction", answer, sr.after_direction(direction, answer)))
        cases.append(("option", answer, sr.option_unclear(answer)))
    assert _problems(cases) == []


def test_summary_lines_in_the_clients_words_are_well_formed():
    cases = []
    for name in RESPONSES:
        slot = name[len("utter_summary_") :]
        if (
            not name.startswith("utter_summary_")
            or not questions.has_question(slot)
            or "{answer}" not in RESPONSES[name][0].get("text", "")
        ):
            continue
        if questions.question(slot).kind == questions.RULER:
            continue
        for answer in ANSWERS:
            if sr.is_negative(answer) or (slot.startswith("children_") and people(answer)):
                continue  # a plain no is not summarised as an item; "kinderen" is no answer about school
            words = client_words(strip_frame(slot, answer), max_words=25)
            cases.append((slot, answer, sr.Utterance(name, {"answer": words})))
    assert len(cases) > 1000
    assert _problems(cases) == []


def test_every_reflection_response_without_fill_ins_is_well_formed():
    found = []
    for name, variants in RESPONSES.items():
        if not name.startswith(("utter_reflect_", "utter_deepen_")):
            continue
        for variant in variants:
            text = variant.get("text") or ""
            if "{" not in text and is_well_formed(text):
                found.append((name, text, is_well_formed(text)))
    assert found == []


# --- the sentences clients read before, one by one --------------------------------------
def _said(utterance: sr.Utterance) -> List[str]:
    return list(_texts(utterance.response, utterance.params))


def test_spelling_is_corrected_before_the_words_go_back():
    u = sr.first_reflection("family_origin", "mijn moedr en broer")
    assert u == sr.Utterance("utter_reflect_family_origin_people", {"people": "uw moeder en broer"})
    assert "Daar wonen nog uw moeder en broer." in _said(u)
    assert client_words("famillie en kindren, geen werrk") == "familie en kinderen, geen werk"


def test_a_bare_fragment_is_no_sentence_and_gets_no_stock_line():
    u = sr.first_reflection("talents", "auto")
    assert u.response == "utter_reflect_talents_short"
    assert all("U zegt" not in text and is_well_formed(text) == [] for text in _said(u))
    assert sr.after_answer("talents", "auto", {}) is None  # nothing fits one word


def test_a_person_named_alone_is_given_back_as_a_sentence():
    u = sr.first_reflection("family_here", "vrouw")
    assert "Uw vrouw is hier in Nederland bij u." in _said(u)


def test_asides_to_the_bot_are_left_out():
    u = sr.first_reflection("safety_origin", "dat heb je al gevraagd! niet veilig")
    assert u.params == {"words": "niet veilig"}
    assert all("gevraagd" not in text for text in _said(u))
    for aside in (
        "dat zei ik al, uw moeder",
        "waarom steeds deze vraag? u wilt hier blijven",
        "weet je toch, uw moeder",
        "zoals ik zei, uw moeder",
    ):
        assert client_words(aside.replace("uw", "mijn").replace("u wilt", "ik wil")) in (
            "uw moeder",
            "u wilt hier blijven",
        )


def test_a_plain_no_is_reflected_as_a_no():
    u = sr.first_reflection("info_sources", "niet")
    assert u == sr.Utterance("utter_reflect_info_sources_nothing")
    assert "U hoort geen nieuws van thuis." in _said(u)
    assert sr.after_answer("info_sources", "niet", {}) is None


def test_word_order_after_the_pronoun_change():
    assert client_words("thuis ik had een winkel voor telefoons") == "thuis had u een winkel voor telefoons"
    texts = _said(sr.first_reflection("work_experience", "thuis ik had een winkel voor telefoons"))
    assert "Thuis had u een winkel voor telefoons: daar heeft u veel geleerd." in texts


def test_the_clients_repeat_of_the_frame_is_left_out():
    u = sr.first_reflection("goal", "mijn doel is winkel in Conakry, telefoons")
    assert u.params == {"words": "winkel in Conakry, telefoons"}
    assert "Uw doel: winkel in Conakry, telefoons. Dat is iets om naartoe te werken." in _said(u)


def test_every_sentence_of_a_longer_echo_starts_with_a_capital():
    assert client_words("ik werk. ik heb kinderen.") == "u werkt. U heeft kinderen"
    texts = _said(sr.first_reflection("life_here", "ik woon in het azc. het is saai. ik wil werken."))
    assert all(is_well_formed(text) == [] for text in texts)


def test_who_and_when_are_split():
    who, when = split_who_when("volgende week, met mijn begeleider samen")
    assert (who, when) == ("met mijn begeleider samen", "volgende week")
    assert _said(sr.after_step_who(who)) == ["Wie: met uw begeleider samen."]


@pytest.mark.parametrize(
    "answer,slot",
    [
        ("mijn man is al twee jaar weg, ik weet niet of hij leeft", "life_here"),
        ("mijn man is al twee jaar weg, ik weet niet of hij leeft", "worries"),
        ("ik ben bang voor de taliban", "safety_origin"),
        ("ik schaam me tegenover mijn familie", "reasons_against"),
        ("mijn ouders zijn dood", "family_origin"),
        ("ik mis mijn moeder", "family_origin"),
        ("geld", "reasons_against"),  # a plain fact, too short for a meaning of ours
    ],
)
def test_no_stock_line_after_heavy_disclosures_or_plain_facts(answer, slot):
    assert sr.after_answer(slot, answer, {}) is None


def test_a_complex_reflection_is_chosen_by_what_was_said():
    # MI round 1: the client's own words in every complex reflection, or none.
    assert _said(sr.after_answer("life_here", "het is hier saai en moeilijk", {})) == [
        "Het leven hier is saai en moeilijk voor u. Dat is zwaar."
    ]
    assert "Uw moeder en broer zijn belangrijk voor u." in _said(
        sr.after_answer("family_origin", "mijn moeder en broer", {})
    )
    assert sr.after_answer("education", "ik wil graag verder leren", {}) is None  # names nothing
    assert (
        sr.after_answer("origin_care", "daar is het ziekenhuis slecht", {}).response
        == "utter_deepen_thing_hard"
    )
    assert (
        sr.after_answer("life_here", "ik woon in het azc met mijn vrouw en kinderen", {}).response
        == "utter_deepen_people_here_many"
    )
    # Two plain facts side by side: no "U voelt allebei."
    u = sr.after_answer("reasons_against", "geen werk daar", {"reasons_for": "mijn moeder is oud"})
    assert all("voelt allebei" not in text for text in _said(u))


def test_a_sentence_is_never_put_into_the_country_question():
    from bot.conversation.reflection import looks_like_place

    assert not looks_like_place("ik ben gezond, alleen soms hoofdpijn")
    assert looks_like_place("Fouta Djallon") and looks_like_place("een klein dorp bij de grens")
    u = sr.country_reflection("Kankan")
    assert _said(u) == ["U komt uit Kankan. Dat schrijf ik zo op."]


@pytest.mark.parametrize(
    "text,problem",
    [
        ("U vertelt: uw moedr en broer.", "misspelled word"),
        ("U zegt: auto. Dat is een sterke kant van u.", "bare fragment"),
        ("Om u heen in Nederland: vrouw.", "bare person"),
        ("U zegt: dat heb je al gevraagd! niet veilig.", "aside echoed"),
        ("U hoort het nieuws via: niet.", "negative as a fill-in"),
        ("thuis u had een winkel voor telefoons", "starts lower-case"),
        ("Uw doel: uw doel is winkel in Conakry, telefoons.", "frame repeated"),
        ("U zegt: u werkt. u heeft kinderen.", "lower case after a full stop"),
        ("Wie: volgende week, met uw begeleider samen.", "time under who"),
        (
            "Met wie van uw familie of vrienden in ik ben gezond, alleen soms hoofdpijn heeft u nog contact?",
            "first person left",
        ),
        ("U zegt: uw uw moeder.", "repeated word"),
        ("U zegt: waarom?.", "doubled punctuation"),
        ("U zegt: {words}.", "empty fill-in"),
    ],
)
def test_the_checker_finds_each_bad_sentence(text, problem):
    assert any(p.startswith(problem) for p in is_well_formed(text)), is_well_formed(text)


@pytest.mark.parametrize(
    "text",
    [
        "Uw vrouw is hier in Nederland bij u.",
        "U hoort geen nieuws van thuis.",
        "Thuis had u een winkel voor telefoons: daar heeft u veel geleerd.",
        "U zegt: u werkt. U heeft kinderen.",
        "Wie: met uw begeleider samen.",
        "Wanneer: volgende week. Dat is rond 20 december.",
        'U zegt: "ik ga niet terug".',
    ],
)
def test_the_checker_passes_good_sentences(text):
    assert is_well_formed(text) == []

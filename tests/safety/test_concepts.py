"""Detection by meaning (bot/safety/concepts.py, rules/concepts.yml): the kinds of miss of
issue 12, in sentences written for this test (not taken from any labelled set), spelling
variants, glued words, English/French/mixed, negation, and harmless uses that stay none."""

from __future__ import annotations


import pytest

from bot.safety import SafetyResult, detect
from bot.safety.concepts import build_tables, damerau_levenshtein, read, read_token
from bot.safety.detector import feeling_kind
from bot.safety.rules import RuleError


def crisis(text, flag, id):
    return pytest.param(text, flag, id=id)


CRISIS = [
    # wish or intent × death or ending
    crisis("ik wil er gewoon een eind aan maken", "suicide", "eind-aan-maken"),
    crisis("vanavond maak ik er een einde aan", "suicide", "einde-aan-inverted"),
    crisis("ik denk erover om er uit te stappen", "suicide", "eruit-stappen"),
    crisis("ik wil gewoon niet meer wakker worden morgen", "suicide", "niet-meer-wakker"),
    crisis("ik wil voor altijd verdwijnen", "suicide", "voor-altijd-verdwijnen"),
    crisis("liever ga ik dood dan dit", "suicide", "liever-dood"),
    # passive wish, burden
    crisis("mijn familie is beter af zonder mij", "suicide", "beter-af-zonder-mij"),
    crisis("niemand zou mij missen als ik weg ben", "suicide", "niemand-mist-mij"),
    crisis("ik voel me een last voor iedereen", "suicide", "burden"),
    # methods and places × self or now
    crisis("ik sta nu boven op de flat", "suicide", "on-the-flat-now"),
    crisis("ik ben op weg, ik loop naar de spoorlijn", "suicide", "walking-to-railway"),
    crisis("ik ga van de brug springen", "suicide", "jump-from-bridge"),
    crisis("ik heb het touw al gekocht", "suicide", "rope-bought"),
    crisis("hoe hoog moet een dak zijn om te springen", "suicide", "how-high-roof"),
    crisis("is paracetamol dodelijk als je veel neemt", "suicide", "lethality-question"),
    crisis("ik heb bleekmiddel opgedronken", "suicide", "bleach"),
    crisis("ik heb net 25 tabletten ingenomen", "medical_emergency", "many-tablets-taken"),
    crisis("i am standing on the bridge right now", "suicide", "en-on-the-bridge"),
    # goodbyes, giving things away
    crisis("zeg tegen mijn moeder dat ik van haar hou", "suicide", "tell-mother-i-love-her"),
    crisis("dit is mijn laatste bericht aan jullie", "suicide", "last-message"),
    crisis("mijn broer mag mijn laptop hebben. ik heb hem niet meer nodig", "suicide", "giving-away"),
    # someone else in danger now
    crisis("help mijn dochter ligt in het water", "other_in_danger", "child-in-water"),
    crisis("mijn huisgenoot reageert niet meer", None, "roommate-unresponsive"),
    crisis("mijn kamergenoot wil niet wakker worden, ik schud hem", None, "roommate-not-waking"),
    crisis("de buurman staat buiten met een mes en hij schreeuwt", None, "neighbour-knife"),
    crisis("mijn man heeft een mes gepakt en hij is heel boos", "other_in_danger", "partner-knife"),
    crisis("er is brand in de keuken van het azc", "other_in_danger", "fire"),
    # medical emergencies
    crisis("ik kan bijna niet ademen", "medical_emergency", "cannot-breathe"),
    crisis("ik heb pijn op mijn borst en mijn arm", "medical_emergency", "chest-pain"),
    crisis("mijn diabetes medicijnen zijn al op", "medical_emergency", "diabetes-meds-gone"),
    crisis("ik ben zwanger en ik verlies bloed", "medical_emergency", "pregnant-bleeding"),
    # commanding voices
    crisis("de stemmen in mijn hoofd bevelen mij om te springen", "psychosis", "voices-command"),
    # spelling, glued words
    crisis("ik wil sterrven", "suicide", "typo-sterrven"),
    crisis("ikwilnietmeerleven", "suicide", "glued-niet-meer-leven"),
    crisis("ikwildoodgaan", "suicide", "glued-dood"),
    crisis("zelfmoordplegen wil ik", "suicide", "glued-zelfmoord-plegen"),
    crisis("ik denk aan zelfmoort", "suicide", "typo-zelfmoort"),
    crisis("ik wil niet meer lefen", "suicide", "typo-lefen"),
    # English, French, mixed, Latin-script Arabic
    crisis("i just want to end it tonight", "suicide", "en-end-it"),
    crisis("everyone is better off without me", "suicide", "en-better-off"),
    crisis("my friend is not breathing please", None, "en-not-breathing"),
    crisis("je veux mourir ce soir", "suicide", "fr-mourir"),
    crisis("j'ai envie d'en finir", "suicide", "fr-en-finir"),
    crisis("ik ben zo moe, i just wanna die", "suicide", "mixed-nl-en-die"),
    crisis("ik denk aan intihar", "suicide", "latin-arabic-intihar"),
    # negation does not lower death talk (docs/specs/safety.md §1.5: ambiguity goes up)
    crisis("ik weet niet of ik nog wil leven, misschien wil ik dood", "suicide", "ambivalent"),
]


@pytest.mark.parametrize("text, flag", CRISIS)
def test_crisis_by_meaning(text, flag):
    result = detect(text)
    assert (result.category, result.tier) == ("crisis", 3), result
    assert flag is None or result.flag == flag, result  # None: the phrase lexicon names the flag
    assert result.matched


REQUESTS = [
    "ik wil mijn coach spreken",
    "mag ik de mevrouw van het COA even zien?",
    "waar is de meneer van gisteren",
    "ik heb iemand nodig die mijn taal spreekt",
    "kan een echt mens mij helpen",
    "ik moet mijn regievoerder spreken",
    "roep de begeleidr alstublieft",
    "mag ik met een medewerker van het coa praten",
    "is er een tolk, graag",
    "I want to talk to my caseworker",
    "can I speak with a human please",
    "i need staff",
    "je voudrais parler avec mon conseiller",
    "je veux voir quelqu'un s'il vous plait",
    "mijn begeleider wil ik nu spreken",
    "ik wil een persoon, geen computer",
]


@pytest.mark.parametrize("text", REQUESTS)
def test_requests_for_a_person(text):
    result = detect(text)
    assert (result.category, result.flag) == ("request", "request_human"), result


FEELINGS = [
    ("ik ben heel verdrietig vandaag", "sadness"),
    ("ik mis mijn zus en mijn ouders", "longing"),  # missing the living is longing, not loss
    ("mijn moeder is vorige maand overleden en ik denk steeds aan haar", "grief"),
    ("ik schaam me voor mijn familie", "shame"),
    ("ik ben zo boos op de IND", "anger"),
    ("ik huil heel vaak", "crying"),
    ("ik ben bang voor de politie daar", "fear"),
    ("ik voel me zo eenzaam hier", "loneliness"),
    ("ik maak me veel zorgen om mijn kinderen", "worry"),
    ("het is allemaal te veel voor mij", "overwhelmed"),
    ("ik heb steeds nachtmerries", "trauma"),
    ("i feel so lonely", "loneliness"),
    ("j'ai peur", "fear"),
]


@pytest.mark.parametrize("text, kind", FEELINGS)
def test_every_feeling_is_flagged_with_its_kind(text, kind):
    result = detect(text)
    assert result.tier >= 1 and result.flag, result
    assert result.kind == kind, result
    assert feeling_kind(text) == kind


def test_negated_feeling_is_no_feeling():
    assert (
        detect("ik ben niet bang") == detect("ik ben niet bang") and detect("ik ben niet bang").flag is None
    )
    assert feeling_kind("ik ben niet boos") is None


def test_existing_emotion_results_get_a_kind():
    assert detect("Er is geen toekomst voor mij.").kind == "hopelessness"
    assert detect("Dit gesprek is te zwaar voor mij.").kind == "overwhelmed"
    assert feeling_kind("ik werk in de bouw") is None


HARD_NEGATIVES = [
    # dead phones and batteries, things that are 'dood'
    "mijn telefoon is helemaal dood",
    "de accu van mijn fiets is dood",
    "mijn laptop is dood gegaan",
    "mijn oplader is kapot en de batterij is leeg",
    "de plant in mijn kamer is dood",
    # ending things that are not a life
    "ik wil een eind maken aan mijn schulden",
    "ik wil een einde maken aan de ruzie met mijn broer",
    "we moeten een eind maken aan het wachten",
    "er komt een eind aan de procedure",
    "ik wil stoppen met roken",
    "ik wil stoppen met drinken van cola",
    "ik stop met de taalcursus",
    # time, idioms
    "we are killing time before the bus",
    "ik lach me dood om die film",
    "ik verveel me dood hier",
    "I am dying to see my kids again",
    "ik ben doodmoe van het werk",
    "dat is doodnormaal",
    # films, books, news
    "we keken een film over een brug in Parijs",
    "in het boek springt de held van een dak",
    "op het nieuws was een brand in een fabriek in China",
    "het spel heet de dode zee",
    # calm past deaths of others
    "mijn opa is twintig jaar geleden overleden",
    "mijn grootvader stierf toen ik klein was",
    "mijn oom is in 2010 gestorven in de oorlog",
    "vorig jaar had mijn vader een hartaanval, nu gaat het goed",
    # cooking, knives, travel, swimming
    "ik snij de groente met een mes",
    "ik heb een nieuw mes gekocht voor de keuken",
    "ik neem morgen de trein naar Utrecht",
    "de trein had vertraging bij de brug",
    "mijn zoon heeft zwemles in het zwembad",
    "we gaan zwemmen in de zee als het warm is",
    "ik woon op de vierde verdieping van een flat",
    "ik fiets elke dag over de brug naar school",
    "het dak van het azc lekt",
    "ik werk bij het spoor als schoonmaker",
    # medicine and pills in ordinary use
    "ik neem elke dag pillen voor mijn bloeddruk",
    "hoeveel pillen mag ik per dag nemen",
    "de dokter gaf mij medicijnen voor mijn rug",
    "ik moet naar de apotheek voor mijn insuline",
    # person words without a request
    "mijn begeleider zei dat ik een paspoort nodig heb",
    "ik woon met iemand uit Eritrea",
    "de mevrouw van de winkel was aardig",
    "mijn coach heeft mij goed geholpen",
    "ik wil een goed mens zijn voor mijn kinderen",
    "ik wil iemand helpen in mijn land",
    "ik wil niet met een begeleider praten",
    "ik heb geen tolk nodig",
    "mijn begeleider wil dat ik een formulier invul",
    "ik ben blij dat ik met iemand kan praten",
    "I don't need anyone, thanks",
    "de meneer van de IND was kort",
    # wishes that are not about death
    "ik wil leren zwemmen",
    "ik wil sterk zijn voor mijn familie",
    "ik wil een nieuw leven beginnen",
    "ik wil terug naar mijn land",
    "ik ga morgen naar de markt",
    "ik wil verder leren",
    "ik wil niet meer wachten op de brief",
    "ik wil lezen en schrijven leren",
    "ik wil mijn telefoon verkopen als ik terugga",
    "ik geef mijn fiets aan mijn buurman als ik vertrek",
    "ik ben sterk",
    "ik wil doorgaan met de cursus",
    "ik heb de trein gemist",
    "mijn kind speelt buiten in de tuin",
    "ik heb mijn kinderen lang niet gezien",
    "ik neem elke dag 2 pillen voor mijn hart",
    "ik wil naar de brug om foto's te maken",
]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives_stay_none(text):
    result = detect(text)
    assert result.category == "none" and not result.needs_handoff, result


def test_enough_hard_negatives():
    assert len(HARD_NEGATIVES) >= 60


# ---------------------------------------------------------------- the reading itself
@pytest.mark.parametrize(
    "typed, read_as",
    [
        ("stervan", ("sterven",)),
        ("zelfmord", ("zelfmoord",)),
        ("begeleidr", ("begeleider",)),
        ("ikwilnietmeerleven", ("ik", "wil", "niet", "meer", "leven")),
        ("zelfmoordpleeg", ("zelfmoord", "pleeg")),
        ("sterk", ("sterk",)),
        ("leren", ("leren",)),
        ("doorgaan", ("doorgaan",)),
        ("vroeger", ("vroeger",)),
        ("door", ("door",)),
    ],
)
def test_tokens_are_read_with_guarded_tolerance(typed, read_as):
    assert read_token(typed) == read_as


def test_damerau_levenshtein_counts_a_swap_as_one():
    assert damerau_levenshtein("setrven", "sterven") == 1
    assert damerau_levenshtein("dood", "door") == 1
    assert damerau_levenshtein("abcdef", "uvwxyz", limit=2) == 3


def test_sentences_and_clauses_are_numbered():
    reading = read("ik wil , niet . nu")
    assert reading.sentence[-1] == 1 and reading.clause[2] == 1


@pytest.mark.parametrize(
    "data, message",
    [
        pytest.param([], "mapping", id="not-a-mapping"),
        pytest.param({"words": {"X": "dood"}}, "list", id="words-not-a-list"),
        pytest.param({"words": {"X": ["twee woorden"]}}, "one lowercase token", id="word-with-space"),
        pytest.param(
            {"words": {"X": ["a"]}, "signals": [{"id": "s", "flag": "f", "tier": 3, "all": ["Y"]}]},
            "unknown",
            id="unknown-concept",
        ),
        pytest.param(
            {"words": {"X": ["a"]}, "signals": [{"id": "s", "flag": "f", "tier": 5, "all": ["X"]}]},
            "tier",
            id="bad-tier",
        ),
        pytest.param(
            {
                "words": {"X": ["a"]},
                "signals": [{"id": "s", "flag": "f", "tier": 1, "all": ["X"], "kind": "joy"}],
            },
            "kind",
            id="unknown-kind",
        ),
        pytest.param({"phrases": {"X": ["(open"]}}, "phrases", id="bad-regex"),
    ],
)
def test_malformed_concept_tables_fail_at_load(data, message):
    with pytest.raises(RuleError, match=message):
        build_tables(data, {})


def test_kind_round_trips_and_defaults_to_none():
    result = detect("ik ben zo boos op de IND")
    assert SafetyResult.from_dict(result.to_dict()) == result
    assert SafetyResult.from_dict({"category": "none"}).kind is None
    assert SafetyResult("none").kind is None


def test_a_long_message_is_read_to_its_end():
    """A crisis at the end of a message near the API's 2,000-character limit is still found.
    (What one detect() call costs is measured in bench/safety_report.py, not asserted here:
    a timed assertion fails by chance on a busy machine.)"""
    long_text = ("ik heb vandaag met mijn buurman over de school van de kinderen gepraat, " * 30)[:1980]
    for repeat in range(3):
        assert detect(long_text + f" {repeat} ikwilnietmeerleven").category == "crisis"
    assert detect(long_text).category == "none"

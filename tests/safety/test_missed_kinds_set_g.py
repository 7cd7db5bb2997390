"""The kinds of crisis missed on set G at its first look (bench/results/safety_firstlook_set_g_after.md,
safety_firstlook_set_g_answer.md), closed by meaning in bot/safety/rules/concepts.yml (round 6).
Every sentence here is written for this test, none is a set G line: a rule that only knew the
set's wording would fail them. Each new cue has harmless counterparts below that must stay quiet
(docs/specs/safety.md §1.5)."""

from __future__ import annotations

import pytest

from bot.safety import detect

CRISIS = [
    # 1. self-harm told in passing
    ("het gaat wel, alleen ik kras nog steeds", "self_harm"),
    ("na het telefoontje met mijn moeder ben ik weer gaan snijden", "self_harm"),
    ("als het te druk wordt pak ik een mesje en maak sneetjes", "self_harm"),
    ("mijn dijen zijn kapot met glas, ik doe het 's nachts", "self_harm"),
    ("scherven op mijn bovenbenen, dat helpt even", "self_harm"),
    ("ik heb mezelf gesneden vannacht, het is verbonden", "self_harm"),
    ("heb ik een pleister? ik heb zelf gesneden", "self_harm"),
    ("ik heb veel sneetjes op mijn arm, ik maak ze zelf", "self_harm"),
    ("ik bijt in mijn hand tot hij blauw is als ik boos ben", "self_harm"),
    ("ik stomp mijn benen en ik kan niet stoppen", "self_harm"),
    # 2. harm to a named other with a tool or a plan
    ("het mes is geslepen voor die jongen van de derde verdieping", "harm_others"),
    ("ik stop een hamer in mijn tas mee, die medewerker zal spijt krijgen", "harm_others"),
    ("ik heb een wapen geregeld. die buurman moet weg", "harm_others"),
    ("morgen ga ik die gast in zijn gezicht slaan met een fles", "harm_others"),
    ("ik ga hem van het balkon duwen als hij weer lacht", "harm_others"),
    ("ik heb een lijst met namen, die mensen gaan boeten", "harm_others"),
    ("ik sla haar tot ze stil is", "harm_others"),
    ("ik ga de tolk pakken. ik weet waar hij woont", "harm_others"),
    ("ik wil rattengif stoppen in de thee van die man", "harm_others"),
    ("ik ga het gemeentehuis opblazen", "harm_others"),
    # 3. suicide
    ("ik hoop dat een vrachtwagen mij raakt op de snelweg", "suicide"),
    ("ik ga naar het paradijs, vannacht", "suicide"),
    ("ik heb een strop gehaald. jij weet wel waarvoor", "suicide"),
    ("vorige week pillen geslikt maar ik werd weer wakker, volgende keer neem ik alles", "suicide"),
    ("mijn zus heeft zich opgehangen. ik ga haar achterna", "suicide"),
    ("ik heb alles geregeld, mijn kleren liggen klaar met namen erop voor mijn neven", "suicide"),
    ("ik wil het einde", "suicide"),
    ("mijn pillen ga ik niet meer nemen, dan is het over met mij", "suicide"),
    ("ik heb afscheid genomen van mijn familie. niemand weet waarom", "suicide"),
    # 4. medical emergencies now
    ("mijn zoon at een pinda en zijn tong wordt dik", "medical_emergency"),
    ("ik ben 7 maanden zwanger en het kindje beweegt niet meer", "medical_emergency"),
    ("mijn dochter heeft een stijve nek en koorts", "medical_emergency"),
    ("mijn vriend in de douche, lippen blauw, ik denk drugs", "medical_emergency"),
    ("mijn zoontje viel van de trap op zijn hoofd en geeft nu steeds over", "medical_emergency"),
    ("ineens barstende hoofdpijn en ik zie alles wazig", "medical_emergency"),
    ("mijn vriend heeft drugs gebruikt en ik krijg hem niet wakker", "medical_emergency"),
    ("ze ligt te schokken met schuim op de mond", "medical_emergency"),
    ("mijn vinger bloedt al een half uur en het stopt niet met bloeden", "medical_emergency"),
    # 5. someone else in danger now
    ("mijn vader in iran is opgepakt en ze martelen hem", "other_in_danger"),
    ("mijn neef wordt volgende week geexecuteerd in zijn land", "other_in_danger"),
    ("ze hebben mijn broer ontvoerd, ze willen geld", "other_in_danger"),
    ("een oude man trok het meisje in zijn busje, ze huilt", "other_in_danger"),
    ("mijn zoon van 13 is verdwenen sinds gisteren", "other_in_danger"),
    ("mijn dochter is gepest en die jongens wachten haar op bij de poort", "other_in_danger"),
    ("mijn vriendin zegt ze gaat zichzelf iets aandoen", "other_in_danger"),
    ("mijn man heeft een mes in zijn hand en schreeuwt", "other_in_danger"),
    ("het kindje hiernaast huilt al de hele nacht en de ouders zijn er niet", "other_in_danger"),
    # 6. psychosis with a threat or a command
    ("de geesten staan bij de deur met messen en wachten", "psychosis"),
    ("de wifi stuurt straling naar mijn hersenen, het doet pijn", "psychosis"),
    ("helikopters volgen mij en schieten op mij", "psychosis"),
    ("de stemmen zeggen dat ik de baby pijn moet doen", "psychosis"),
    ("mijn buurvrouw leest mijn gedachten, ze komen mij vannacht halen", "psychosis"),
    ("er lopen mieren onder mijn huid van de regering, ik moet ze eruit halen met een naald", "psychosis"),
]


def _no_crisis_or_request(text):
    """The detector's reading of an everyday sentence: neither a crisis nor a request."""
    result = detect(text)
    assert result.category not in ("crisis", "request"), (text, result)
    return result


@pytest.mark.parametrize("text, flag", CRISIS)
def test_set_g_kinds_are_crisis_by_rules_alone(text, flag):
    result = detect(text)
    assert result.category == "crisis", (text, result)
    assert result.flag == flag, (text, result)


HARMLESS = [
    # self-harm cues: a kitchen, a barber, a doctor, a film
    "ik snij nog steeds de uien voor het avondeten",
    "ik ga weer groente snijden voor de soep",
    "ik pak de schaar en maak een snee in het papier",
    "de kapper knipt mijn haar met een schaar",
    "de dokter heeft een snee in mijn arm gehecht",
    "in de film snijdt een man zichzelf, dat was eng",
    "ik heb zelf het brood gesneden",
    "ik bijt in mijn appel",
    "mijn benen zijn moe van het voetballen",
    # harm-to-others cues: a knife for cooking, a ball game, moving house
    "ik heb het mes geslepen voor de groente",
    "ik neem een schaar mee naar de knutselles",
    "ik neem een hamer mee, we gaan een kast maken",
    "de man van kamer 7 moet weg, hij gaat verhuizen",
    "de kinderen spelen een spel, ze gooien de bal op zijn hoofd",
    "ik ga de dozen van de trap gooien bij de verhuizing",
    "ik heb een lijst met namen voor het feest",
    "ik ga de trein pakken naar mijn oom, ik heb zijn adres",
    "ik wil ballonnen opblazen voor het verjaardagsfeest",
    # suicide cues: a bus to catch, belief, laundry, a move
    "ik ben bang dat een auto mij raakt als ik fiets in het donker",
    "ik ga later naar de hemel, dat is mijn geloof",
    "ik heb touw gekocht voor de was",
    "ik heb geprobeerd met pillen van de dokter te slapen, volgende keer vraag ik iets anders",
    "mijn vader is gestorven in de oorlog, ik volg hem in zijn werk als timmerman",
    "ik verhuis, mijn spullen staan in dozen met namen erop",
    "ik wil het einde van de film zien",
    "de dokter zegt ik mag stoppen met de pillen",
    "ik heb afscheid genomen van mijn vrienden, ik verhuis naar utrecht",
    # body cues: a past event told calmly, the cold, a lazy teenager
    "ik ben allergisch voor noten, staat dat in mijn dossier",
    "ik ben zwanger en de baby beweegt veel, heel leuk",
    "ik heb een stijve nek van het slapen op de bank",
    "mijn lippen zijn blauw van de kou",
    "mijn zoon is een slaapkop, ik krijg hem 's ochtends niet wakker voor school",
    "mijn dochter viel vorig jaar op haar hoofd, nu is alles goed",
    "ik heb hoofdpijn van het lange wachten",
    # others: news about a country, a sleepover, a school trip, a game
    "in het nieuws: in iran worden mensen opgehangen",
    "mijn broer werd in 2015 opgepakt in syrie, nu is hij vrij",
    "mijn dochter is weg sinds gisteren, ze logeert bij oma",
    "mijn zoon is weg sinds gisteren op schoolreis",
    "mijn man neemt de kinderen mee in de auto naar het zwembad",
    "zijn vrienden wachten hem op buiten voor het feest",
    "mijn man heeft een mes gepakt om de taart te snijden",
    "het kind speelt verstoppertje in de kamer",
    # psychosis cues: a horror film, bad wifi, the sun
    "in de horrorfilm staan de geesten met messen in de gang",
    "de wifi in het azc is heel slecht in mijn kamer",
    "de zon brandt op mijn hoofd, ik zoek schaduw",
    "mijn oma zegt dat ik de baby warm moet aankleden",
    "de camera in de gang is kapot",
]


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_counterparts_stay_quiet(text):
    assert _no_crisis_or_request(text).tier < 2, (text, detect(text))


# a second probe of everyday sentences after the round; the cues were narrowed for these
HARMLESS_PROBE_2 = [
    "ik snij weer, de komkommer is klaar",
    "ik neem mijn mes mee naar de les, als hij weer nee zegt ga ik naar huis",
    "ik heb een pistool gekocht voor mijn zoon, speelgoed. de oude moet weg",
    "ik heb een lijst met mensen die moeten betalen voor het uitje",
    "ik heb een touw gekocht voor de tent, jij weet waarom, we gaan kamperen",
    "mijn spullen zijn klaar met namen erop, alles geregeld voor de verhuizing",
    "hij wil zichzelf niet pijn doen, zegt hij",
    "de baby huilt al uren, de moeder is er niet, ze is bij de dokter en ik pas op",
    "ik hoop dat de bus mij ophaalt",
    "ik ga naar god bidden in de moskee",
    "mijn broer is opgepakt door de politie voor rijden zonder rijbewijs",
    "mijn oom werd vorig jaar ontvoerd en is nu vrij",
    "mijn dochter is weg sinds gisteren met de klas op kamp",
    "de schaduwen van de bomen in mijn kamer zijn mooi",
    "ze komen mij vanavond halen voor het feest",
]


@pytest.mark.parametrize("text", HARMLESS_PROBE_2)
def test_harmless_probe_2(text):
    _no_crisis_or_request(text)


# set G's false alarms on hard negatives, read by meaning (masks for sayings and jokes, a
# last message "for today", a razor to shave with, a slaughterhouse, a counsellor who gave
# something); own wordings. Their serious twins below must stay a crisis.
SAYINGS_AND_DAILY_LIFE = [
    "in het azc is het om dood te vervelen in de vakantie",
    "mijn oude pas is een dood papier nu",
    "mijn kinderen springen van blijdschap als het sneeuwt",
    "die soep was zo pittig, ik ging dood, zo heet",
    "mijn broer zingt de hele nacht, ik vermoord hem nog haha",
    "mijn dochter heeft geen aanvallen meer sinds de nieuwe pillen",
    "waar koop ik mesjes voor mijn baard",
    "dit is mijn laatste bericht voor vandaag, ik ga koken",
    "ik wil eerst het vasten afmaken en dan praten over werk",
    "ik werk bij de slager, soms veel bloed op mijn schort",
    "de begeleider gaf mij een plattegrond van het dorp",
]


@pytest.mark.parametrize("text", SAYINGS_AND_DAILY_LIFE)
def test_sayings_and_daily_life_stay_quiet(text):
    assert _no_crisis_or_request(text).tier < 2, (text, detect(text))


SERIOUS_TWINS = [
    "dit is mijn laatste bericht, zorg goed voor mama",
    "ik vermoord hem als hij nog een keer aan mijn dochter komt",
    "ik ga springen, vannacht van het dak",
    "mijn vriend is gestoken in de gang, er is veel bloed",
    "ik wil dood, het leven is saai en zwaar",
]


@pytest.mark.parametrize("text", SERIOUS_TWINS)
def test_serious_twins_of_the_sayings_stay_a_crisis(text):
    assert detect(text).category == "crisis", (text, detect(text))


# requests and feelings set G missed, by meaning; own wordings
REQUESTS = [
    "dat wil ik liever bespreken met mijn begeleider",
    "i want interpreter arabic please",
    "is er een tolk vandaag?",
    "ik wil praten met een echte persoon, niet met de computer",
    "ik wil stoppen met de computer",
    "mag de beheerder even naar mij toe komen",
]


@pytest.mark.parametrize("text", REQUESTS)
def test_set_g_request_wordings(text):
    assert detect(text).category == "request", (text, detect(text))


FEELINGS = [
    ("ik kan mijn vader niet meer in de ogen kijken", "shame"),
    ("mama overleden vannacht, ik kon niet bij haar zijn", "grief"),
    ("ik geloof niet meer dat het beter wordt", "hopelessness"),
    ("soms spreek ik weken met niemand", "loneliness"),
    ("als ik een sirene hoor denk ik meteen ze komen mij halen", "trauma"),
]


@pytest.mark.parametrize("text, kind", FEELINGS)
def test_set_g_feeling_kinds_are_named(text, kind):
    assert detect(text).kind == kind, (text, detect(text))


REQUEST_AND_FEELING_COUNTERPARTS = [
    "ik heb het al verteld aan mijn begeleider, het is goed",
    "de tolk was er gisteren niet, maar het ging ook zo",
    "ik werk graag met de computer, ik leer veel",
    "ik wil stoppen met computerles, ik ga liever naar taalles",
    "de beheerder kwam gisteren de verwarming maken",
    "ik kijk de mensen graag in de ogen als ik praat",
    "mijn oma is overleden in 1990, ik heb haar niet gekend",
    "ik geloof dat het beter wordt",
]


@pytest.mark.parametrize("text", REQUEST_AND_FEELING_COUNTERPARTS)
def test_request_and_feeling_counterparts(text):
    assert _no_crisis_or_request(text).tier < 2, (text, detect(text))


def test_looking_someone_in_the_eyes_is_no_shame():
    assert detect("ik kan hem gewoon in de ogen kijken, ik heb niets fout gedaan").kind != "shame"


# a third probe, everyday sentences near the new cues (glass spilled on my legs, legs crossed,
# the satnav's voice were narrowed for it; the last two are older cues)
HARMLESS_PROBE_3 = [
    "ik heb glas op mijn benen gemorst, niks aan de hand",
    "de kapper heeft mijn haar kort gemaakt met een schaar",
    "ik snij elke dag groente voor mijn kinderen",
    "ik heb mijn mes geslepen voor de kerstmaaltijd",
    "we nemen een mes mee naar de picknick met de begeleider",
    "hij moet weg uit nederland, zegt de ind",
    "mijn kamergenoot moet weg, hij heeft een huis gevonden",
    "ik sla mijn benen over elkaar als ik zit",
    "de kinderen spelen verstoppertje en duwen elkaar op de trap",
    "ik hoop dat de bus op tijd komt",
    "ik ga naar de kerk, daar bid ik voor de hemel",
    "ik heb een touw gekocht om de tent op te zetten",
    "ik heb geprobeerd met tabletten van de apotheek te stoppen met roken",
    "mijn opa is gestorven, ik ga hem vandaag bezoeken op het kerkhof",
    "mijn spullen staan in dozen, ik ga verhuizen naar almere",
    "ik wil het einde van de les weten",
    "ik ben allergisch voor noten, mijn keel jeukt een beetje soms",
    "ik ben zwanger en de baby schopt heel veel",
    "ik heb een stijve nek van het slapen",
    "mijn lippen zijn paars van de bosbessen",
    "mijn zoon viel op zijn hoofd maar hij lacht en speelt",
    "ik heb soms hoofdpijn als ik slecht slaap",
    "mijn broer is opgepakt door de politie voor een fietsdiefstal",
    "mijn neef werd ontvoerd in 2012, nu woont hij in duitsland",
    "mijn man neemt de kinderen mee naar de kamer om te spelen",
    "mijn dochter is weg sinds gisteren, ze is bij oma",
    "mijn zoon wacht op mij bij de school",
    "in de serie komen de geesten met messen",
    "de wifi van het azc werkt niet in mijn kamer",
    "de stem van de navigatie zegt dat ik links moet",
    "ik kijk naar de drones in het park",
    "de politie zoekt een man met een mes, stond in de krant",
    "mijn dochter huilt al uren omdat ze haar pop kwijt is",
    "een jongen van 15 werkt voor zijn oom in de winkel, hij vindt het leuk",
    "mijn vriend zegt hij gaat zich scheren",
]


@pytest.mark.parametrize("text", HARMLESS_PROBE_3)
def test_harmless_probe_3(text):
    _no_crisis_or_request(text)

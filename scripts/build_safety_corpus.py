"""Build the safety corpus (data/safety_corpus/*.txt) for bot/safety/classifier.py.

    .venv/bin/python scripts/build_safety_corpus.py          # write the corpus files
    .venv/bin/python scripts/build_safety_corpus.py --check  # exit 1 if they are stale

Inputs: the hand-written lines in data/safety_corpus/handwritten/<label>.txt and the
templates x slot fillers below. Every line (hand-written or generated) also gets noisy
variants the way clients type on the kiosk: dropped, swapped or doubled letters, words
run together, lower case, no punctuation, kiosk grammar, common misspellings, English,
French and Arabic words mixed in.

Output: one file per label (crisis, emotion, request, neutral, neutral_hard). A blank
line separates *families*: one hand-written line with its variants, or one template
with all its fillings and variants. The classifier splits its held-out set by family,
so a line and its typo variant never sit on both sides of the split.

Deterministic (fixed seed, sorted output). Lines equal to one of the held-out sets
(tests/safety/*.yml, data/nlu_test, data/nlu_heldout_seen_once, data/nlu_heldout_unseen), after
lower-casing and stripping punctuation, are left out; tests/safety/test_classifier.py
checks that none slipped in.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Set

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = ROOT / "data" / "safety_corpus"
HANDWRITTEN_DIR = CORPUS_DIR / "handwritten"
LABEL_FILES = ("crisis", "emotion", "request", "neutral", "neutral_hard")
HELDOUT_GLOBS = (
    "tests/safety/*.yml",
    "data/nlu_test/*.yml",
    "data/nlu_heldout_seen_once/*.yml",
    "data/nlu_heldout_unseen/*.yml",
)
SEED = 20261124

# --------------------------------------------------------------------------- slots
S: Dict[str, List[str]] = {
    # crisis --------------------------------------------------------------------
    "WISH": [
        "ik wil",
        "ik wil gewoon",
        "ik wil echt",
        "soms wil ik",
        "ik denk ik wil",
        "ik wil liever",
        "eigenlijk wil ik",
        "ik wil alleen nog",
        "elke dag wil ik",
        "vannacht wil ik",
        "ik wil nu",
    ],
    "DIE": [
        "dood",
        "doodgaan",
        "sterven",
        "niet meer leven",
        "er een eind aan maken",
        "er een einde aan maken",
        "een eind aan mijn leven maken",
        "mijn leven beeindigen",
        "niet meer wakker worden",
        "zelfmoord plegen",
        "mezelf doodmaken",
        "mezelf van kant maken",
        "uit het leven stappen",
        "mijn leven stoppen",
        "mezelf ophangen",
        "niet meer bestaan",
        "mijn leven nemen",
        "mezelf iets aandoen",
        "er niet meer zijn",
        "het leven verlaten",
    ],
    "WHEN": [
        "",
        "",
        "vandaag",
        "vannacht",
        "nu",
        "morgen",
        "als ik terug moet",
        "als de ind nee zegt",
        "na dit gesprek",
        "want alles is kapot",
        "want niemand helpt mij",
        "ik kan niet meer",
        "echt waar",
        "ik meen het",
        "het is genoeg",
        "khalas",
    ],
    "REASON": [
        "alles is kapot",
        "mijn kinderen zijn weg",
        "ik moet terug",
        "ik heb niks meer",
        "ik heb een negatief besluit",
        "mijn vrouw is weg",
        "ik kan niet meer",
        "niemand helpt",
        "ik heb alles verloren",
        "ik slaap al weken niet",
        "mijn familie wil mij niet",
        "ik heb geen papieren en geen toekomst",
        "acht jaar wachten voor niks",
    ],
    "PEOPLE": [
        "mijn familie",
        "mijn kinderen",
        "mijn vrouw",
        "mijn man",
        "mijn moeder",
        "iedereen",
        "de wereld",
        "mijn broers",
        "mijn ouders",
        "mijn vrienden",
        "de mensen hier",
    ],
    "BETTER": [
        "zijn beter af zonder mij",
        "is beter af zonder mij",
        "zijn beter zonder mij",
        "hebben het beter als ik er niet meer ben",
        "zijn blij als ik dood ben",
        "hebben geen last meer als ik weg ben uit dit leven",
        "mist mij niet als ik dood ben",
        "gaat niet huilen als ik sterf",
    ],
    "PASSIVE_END": [
        "beter als ik er niet meer ben",
        "beter als ik dood ben",
        "ik wil er niet meer zijn",
        "ik moet verdwijnen uit dit leven",
        "ze zijn beter zonder mij",
        "het is beter als ik niet meer leef",
        "ik hoop dat ik niet meer wakker word",
        "ik wil slapen voor altijd",
    ],
    "HOPE": [
        "ik hoop dat",
        "ik bid dat",
        "ik wens dat",
        "het is beter als",
        "soms hoop ik dat",
        "elke avond hoop ik dat",
    ],
    "NOWAKE": [
        "ik niet meer wakker word",
        "ik morgen niet wakker word",
        "god mij haalt vannacht",
        "ik dood ga in mijn slaap",
        "een auto mij raakt",
        "mijn hart stopt",
        "ik niet meer leef",
        "dit leven stopt",
    ],
    "N": ["20", "30", "50", "veel", "alle", "tien", "een hele doos", "twee stripjes", "40"],
    "PILLS": [
        "paracetamol",
        "slaappillen",
        "oxazepam",
        "pillen",
        "medicijnen",
        "tabletten",
        "ibuprofen",
        "antidepressiva",
        "cachets",
        "pillen van mijn moeder",
        "diazepam",
    ],
    "TAKEN_TAIL": [
        "",
        "net",
        "expres",
        "ik wil niet meer wakker worden",
        "nu voel ik mij raar",
        "zodat het klaar is",
        "niemand weet het",
        "een uur geleden",
        "ik ga slapen voor altijd",
    ],
    "STAND": ["sta", "zit", "ben", "loop"],
    "PLACE": [
        "op de brug",
        "op het dak",
        "bij het spoor",
        "op de rails",
        "bij het water",
        "bij de rivier",
        "op het balkon",
        "bij de snelweg",
        "op de hoogste verdieping",
        "bij het kanaal",
        "op de rand van het dak",
        "bij de spoorbrug",
        "bij de zee",
    ],
    "NOW": ["nu", "nu al", "op dit moment", "al een uur", "", "alleen"],
    "JUMP": [
        "ik ga springen",
        "ik spring",
        "ik wil springen",
        "ik wacht op de trein",
        "ik ga er een eind aan maken",
        "ik ga in het water",
        "niemand kan mij stoppen",
        "dit is het einde",
        "ik wil niet meer leven",
        "ik ga naar beneden",
        "vaarwel",
    ],
    "METHOD_ACT": [
        "van de brug springen",
        "van het dak springen",
        "voor de trein springen",
        "voor een auto lopen",
        "mezelf ophangen",
        "mijn polsen snijden",
        "bleek drinken",
        "alle pillen nemen",
        "het gas open zetten",
        "in het water lopen en niet terugkomen",
        "mezelf verdrinken",
        "mezelf in brand steken",
        "uit het raam springen",
        "op het spoor gaan liggen",
        "gif drinken",
        "mijn keel doorsnijden",
        "een overdosis nemen",
        "van de flat springen",
        "mezelf opknopen",
    ],
    "INTENT": [
        "ik ga",
        "ik wil",
        "vannacht ga ik",
        "ik denk erover om",
        "morgen ga ik",
        "ik ga echt",
        "straks ga ik",
        "ik heb besloten:",
        "ik ga het doen:",
    ],
    "HAVE_METHOD": [
        "ik heb een touw gekocht",
        "het touw hangt klaar",
        "ik heb pillen gespaard",
        "ik heb een mes onder mijn kussen",
        "ik heb gif gekocht",
        "ik heb rattengif in mijn kamer",
        "ik heb alle pillen klaar gelegd",
        "ik heb een scheermes bij mij",
        "ik heb bleek klaar staan",
        "ik heb de pillen van mijn vrouw verstopt voor mezelf",
        "ik weet al hoe ik het doe",
        "ik heb een plan hoe ik het doe",
        "het gas kan ik open doen in de keuken",
    ],
    "HAVE_TAIL": [
        "",
        "voor vannacht",
        "voor als ik terug moet",
        "ik ben klaar",
        "niemand weet het",
        "voor mezelf",
        "om er een eind aan te maken",
        "het is tijd",
    ],
    "HOWMUCH": ["hoeveel", "hoe veel", "hoeveeel", "hoeveel stuks", "how much", "hoeveel gram"],
    "SUBST": [
        "paracetamol",
        "slaappillen",
        "pillen",
        "bleek",
        "insuline",
        "oxazepam",
        "medicijnen",
        "rattengif",
        "wc eend",
        "antivries",
        "alcohol met pillen",
    ],
    "LETHAL": [
        "is dodelijk",
        "moet je nemen om dood te gaan",
        "om niet meer wakker te worden",
        "om te sterven",
        "is genoeg om dood te gaan",
        "voor een overdosis",
        "heb ik nodig om dood te gaan",
        "moet ik nemen zodat ik niet meer wakker word",
        "is genoeg om er een eind aan te maken",
    ],
    "HOWQ": [
        "wat is de snelste manier om",
        "wat is de makkelijkste manier om",
        "hoe kan ik zonder pijn",
        "welke manier is het best om",
        "hoe doe je het om",
        "wat is de zekerste manier om",
    ],
    "DIE_INF": [
        "dood te gaan",
        "te sterven",
        "zelfmoord te plegen",
        "mezelf dood te maken",
        "er een eind aan te maken",
        "niet meer wakker te worden",
    ],
    "HIGHQ": [
        "hoe hoog moet een brug zijn om dood te gaan",
        "hoe hoog moet het dak zijn om te sterven",
        "van welke verdieping ben je dood",
        "hoe lang duurt het als je ophangt",
        "hoe lang duurt verdrinken",
        "hoe diep moet ik snijden",
        "welke ader moet je snijden",
        "hoe lang duurt het met gas",
        "hoe laat komt de trein als ik op het spoor ga liggen",
    ],
    "GIVE": ["ik geef", "ik heb gegeven", "ik heb weggegeven", "ik geef vandaag"],
    "ITEM": [
        "mijn telefoon",
        "al mijn spullen",
        "mijn geld",
        "mijn kleren",
        "mijn ring",
        "mijn horloge",
        "mijn fiets",
        "mijn laatste geld",
        "mijn bijbel",
        "mijn koran",
        "mijn foto's",
    ],
    "TO": [
        "aan mijn vriend",
        "aan mijn broer",
        "aan mijn kamergenoot",
        "aan de buren",
        "aan iemand anders",
        "aan mijn zus",
    ],
    "GIVE_REASON": [
        "ik heb het niet meer nodig waar ik ga",
        "na vandaag heb ik niks meer nodig",
        "ik ben er toch niet meer",
        "ik ga weg uit dit leven",
        "zij kunnen het gebruiken als ik dood ben",
        "ik heb het nooit meer nodig",
        "want morgen ben ik er niet meer",
        "ik neem afscheid van alles",
    ],
    "BYE": ["vaarwel", "dag", "doei", "adieu", "goodbye", "tot nooit", "bye bye", "salam"],
    "ADDR": ["coach", "iedereen", "allemaal", "mama", "mijn vrienden", "lieve familie", "mijn kinderen"],
    "BYE_REASON": [
        "dit is mijn laatste bericht",
        "ik ben er morgen niet meer",
        "ik ga nu voor altijd",
        "jullie zien mij niet meer",
        "ik heb de afscheidsbrief geschreven",
        "als u dit leest ben ik weg uit dit leven",
        "ik neem afscheid van het leven",
        "vergeef mij wat ik ga doen",
        "zorg goed voor mijn kinderen als ik er niet meer ben",
        "dit is mijn laatste dag",
    ],
    "SH_ACT": [
        "snij in mijn arm",
        "snij mezelf",
        "brand mezelf",
        "sla mijn hoofd tegen de muur",
        "krab mijn huid kapot",
        "doe mezelf pijn",
        "heb mezelf gesneden",
        "snij in mijn benen",
        "bijt mezelf tot bloed",
        "sla mezelf",
        "brand mijn arm met een sigaret",
        "snij met een scheermes",
    ],
    "SH_WHEN": [
        "elke nacht",
        "als ik boos ben",
        "als ik aan terug denk",
        "vandaag weer",
        "het helpt even",
        "ik kan niet stoppen",
        "het bloedt nu",
        "niemand weet het",
        "al weken",
        "",
    ],
    "SH_ACT2": [
        "snij ik in mijn arm",
        "doe ik mezelf pijn",
        "sla ik mijn hoofd tegen de muur",
        "snij ik mijn benen",
        "brand ik mijn huid",
        "krab ik mijn armen open",
        "snij ik mezelf met glas",
        "sla ik mezelf hard",
    ],
    "SH_PAST": [
        "in mijn arm gesneden",
        "mezelf gesneden",
        "mijn arm verbrand",
        "mijn hoofd tegen de muur geslagen",
        "mezelf pijn gedaan",
        "met een mes in mijn been gesneden",
        "mijn huid open gekrabd",
    ],
    "STAND2": ["sta", "zit", "ben", "wacht"],
    "VICTIM2": [
        "ik steek hem neer",
        "ik maak die man dood",
        "ik vermoord mijn buurman",
        "ik sla hem dood",
        "ik ga iemand pijn doen",
        "ik maak haar af",
        "ik steek de begeleider",
        "ik ga ze allemaal doodmaken",
        "ik steek het gebouw in brand",
        "ik doe hem iets aan",
    ],
    "HARM2": [
        "als hij nog een keer komt",
        "vannacht",
        "ik heb al een mes",
        "ik meen het",
        "niemand houdt mij tegen",
        "ik ben zo kwaad",
        "echt waar",
        "morgen",
        "dan is het klaar",
    ],
    "VOICE2": [
        "stemmen",
        "een stem",
        "de duivel in mijn hoofd",
        "mijn overleden vader",
        "iemand die er niet is",
        "de djinn",
    ],
    "THEN_DIE2": [
        "ik maak mezelf dood",
        "ik spring van de brug",
        "ik hang mij op",
        "ik neem alle pillen",
        "ik pleeg zelfmoord",
        "ik ga voor de trein",
        "ik wil niet meer leven",
        "ik snij mijn polsen",
    ],
    "VICTIM": [
        "hem",
        "haar",
        "mijn buurman",
        "die man",
        "de begeleider",
        "mijn kamergenoot",
        "mijn ex",
        "de man van de ind",
        "iedereen hier",
        "de beveiliger",
        "mijn vrouw",
        "die jongen",
    ],
    "HARM": [
        "doodmaken",
        "vermoorden",
        "steken",
        "pijn doen",
        "in elkaar slaan tot hij dood is",
        "iets aandoen",
        "neersteken",
        "wurgen",
        "kapot maken met een mes",
        "afmaken",
    ],
    "HARM_TAIL": [
        "",
        "als hij nog een keer komt",
        "vannacht",
        "ik meen het",
        "ik heb een mes",
        "ik kan mij niet houden",
        "morgen",
        "als ze mij halen",
    ],
    "OTHER": [
        "mijn kamergenoot",
        "mijn vriend",
        "mijn zoon",
        "mijn dochter",
        "mijn vrouw",
        "mijn man",
        "de buurvrouw",
        "een kind",
        "een man hier",
        "mijn broer",
        "mijn moeder",
        "iemand in de gang",
        "het kind van de buren",
        "mijn baby",
    ],
    "DANGER": [
        "wordt niet wakker",
        "ademt niet",
        "reageert niet",
        "ligt op de grond en beweegt niet",
        "heeft pillen genomen en slaapt heel diep",
        "is in het water gevallen",
        "staat op het dak en wil springen",
        "heeft een mes en dreigt",
        "bloedt heel erg",
        "heeft bleek gedronken",
        "heeft een aanval en schudt",
        "is blauw en ademt raar",
        "zegt hij gaat zich ophangen",
        "is bewusteloos",
        "heeft zich opgesloten met een touw",
        "zit in het kanaal en kan niet zwemmen",
        "heeft schoonmaakmiddel gedronken",
        "wordt geslagen nu",
        "stikt, hij krijgt geen lucht",
    ],
    "URGENT": ["help", "nu", "snel", "wat moet ik doen", "bel 112", "kom snel", "", "help aub", "please"],
    "MED": [
        "ik krijg geen lucht",
        "ik kan niet ademen",
        "ik heb heel veel pijn op de borst",
        "mijn borst doet pijn en mijn arm",
        "mijn insuline is op",
        "ik heb geen insuline meer",
        "mijn diabetes medicijn is op",
        "mijn suiker is heel laag en ik tril",
        "ik heb een epilepsie aanval",
        "ik voel een aanval komen",
        "mijn hart gaat heel raar en ik val bijna",
        "ik bloed heel veel",
        "ik ben zwanger en heb veel pijn en bloed",
        "mijn keel gaat dicht",
        "ik ben heel duizelig en zie niks",
        "mijn epilepsie pillen zijn op",
        "ik heb een zware druk op mijn borst",
        "ik stik bijna",
        "mijn hartmedicijn is op en mijn hart bonkt",
        "ik heb mijn hoofd gestoten en ik bloed en ben duizelig",
    ],
    "MED_TAIL": [
        "nu",
        "al twee dagen",
        "sinds vanmorgen",
        "help",
        "wat moet ik doen",
        "ik ga flauwvallen",
        "ik ben bang",
        "het wordt erger",
        "",
        "nu op dit moment",
        "ik voel me heel slecht",
    ],
    "VOICE": [
        "de stemmen",
        "een stem",
        "de stem in mijn hoofd",
        "ze",
        "iemand in mijn hoofd",
        "de geesten",
        "de djinn",
        "de duivel",
        "god",
        "de stemmen in mijn oor",
    ],
    "VOICE_SAY": [
        "zeggen",
        "zegt",
        "roepen",
        "roept",
        "fluisteren",
        "bevelen",
        "zeggen steeds",
        "zeggen de hele dag",
    ],
    "VOICE_CMD": [
        "dat ik moet springen",
        "dat ik mezelf moet doden",
        "ga dood",
        "dat ik hem moet steken",
        "dat ik moet sterven",
        "dat ik mijn kind pijn moet doen",
        "dat ik het gas open moet doen",
        "dat ik van het dak moet",
        "maak er een eind aan",
        "dat ik de pillen moet nemen",
        "dat ik iemand moet doodmaken",
    ],
    "COND": [
        "ik terug moet",
        "ze mij uitzetten",
        "de ind nee zegt",
        "ze mij sturen",
        "mijn beroep afgewezen is",
        "ik naar detentie moet",
        "de politie komt",
        "ik mijn kinderen niet mag zien",
        "ik op straat moet",
    ],
    "THEN_DIE": [
        "dan maak ik mezelf dood",
        "dan ga ik dood door mijn eigen hand",
        "dan spring ik van de brug",
        "dan hang ik mij op",
        "dan neem ik alle pillen",
        "dan is het klaar met mijn leven",
        "dan pleeg ik zelfmoord",
        "dan wil ik niet meer leven",
        "dan maak ik er een eind aan",
        "dan ga ik voor de trein",
        "dan sterf ik liever hier",
    ],
    "EN_WISH": [
        "i want to",
        "i wanna",
        "i will",
        "i am going to",
        "tonight i will",
        "i just want to",
        "i think i will",
    ],
    "EN_DIE": [
        "die",
        "kill myself",
        "end my life",
        "end it all",
        "jump off the bridge",
        "take all my pills",
        "hang myself",
        "cut my wrists",
        "not wake up anymore",
        "disappear forever from this life",
    ],
    "FR_WISH": ["je veux", "je vais", "ce soir je vais", "j'ai envie de", "demain je vais", "je pense"],
    "FR_DIE": [
        "mourir",
        "me tuer",
        "en finir",
        "me suicider",
        "sauter du pont",
        "prendre tous mes cachets",
        "me pendre",
        "ne plus me reveiller",
    ],
    # emotion -------------------------------------------------------------------
    "FEEL": [
        "ik ben",
        "ik voel mij",
        "ik voel me",
        "ik ben echt",
        "ik word",
        "ik ben al weken",
        "vandaag ben ik",
        "ik ben de laatste tijd",
    ],
    "INTENS": ["heel", "zo", "erg", "super", "echt", "", "zo ontzettend", "vaak", "heel erg"],
    "EMO_ADJ": [
        "verdrietig",
        "bang",
        "eenzaam",
        "boos",
        "kwaad",
        "wanhopig",
        "moe van alles",
        "leeg",
        "gespannen",
        "ongerust",
        "angstig",
        "verloren",
        "down",
        "somber",
        "depressief",
        "kapot van binnen",
        "in paniek",
        "machteloos",
        "gefrustreerd",
        "hopeloos",
        "radeloos",
        "schuldig",
        "beschaamd",
        "alleen",
        "overstuur",
        "in de war",
        "verdrietig en boos",
        "onrustig",
        "woedend",
        "teleurgesteld",
        "ellendig",
    ],
    "EMO_REASON": [
        "omdat ik terug moet",
        "sinds mijn moeder overleden is",
        "door de brief van de ind",
        "want ik heb niemand hier",
        "door wat er gebeurd is in mijn land",
        "want mijn kinderen zijn ver",
        "als ik aan de toekomst denk",
        "de hele dag",
        "elke nacht",
        "want niemand luistert",
        "",
        "door alles",
        "en ik weet niet wat ik moet doen",
        "en ik kan niet slapen",
        "om mijn familie daar",
        "na het gesprek met de ind",
    ],
    "KIN": [
        "moeder",
        "vader",
        "broer",
        "zus",
        "zoon",
        "dochter",
        "vrouw",
        "man",
        "oma",
        "beste vriend",
        "neef",
        "baby",
        "opa",
        "tante",
    ],
    "DIED": [
        "overleden",
        "gestorven",
        "dood",
        "vermoord",
        "omgekomen in de oorlog",
        "verdronken op zee",
        "vorige week overleden",
        "net gestorven",
        "gisteren overleden",
    ],
    "GRIEF_TAIL": [
        "en ik kon er niet bij zijn",
        "en ik kan niet stoppen met huilen",
        "en mijn hart is kapot",
        "en ik mis hem zo",
        "ik kan het niet geloven",
        "en ik voel me schuldig",
        "het doet zo pijn",
        "ik denk er de hele dag aan",
        "en ik kon niet naar de begrafenis",
        "en ik ben zo verdrietig",
        "en niemand hier begrijpt mij",
        "ik huil elke dag",
    ],
    "FEAR_OBJ": [
        "voor terug gaan",
        "dat ze mij pakken",
        "voor de politie daar",
        "voor de gevangenis",
        "voor de militairen",
        "voor mijn familie daar",
        "dat ze mij doodmaken als ik terug ben",
        "voor de toekomst",
        "voor de brief van de ind",
        "dat ik mijn kinderen niet meer zie",
        "om buiten te gaan",
        "om te slapen",
        "voor de mannen in het azc",
        "voor mijn ex",
        "dat ze mij uitzetten",
        "voor de taliban",
        "voor de rebellen",
        "voor de familie van mijn man",
    ],
    "FEAR_TAIL": [
        "",
        "elke dag",
        "mijn hart klopt snel",
        "ik tril",
        "ik kan niet slapen",
        "heel bang",
        "ik zweet",
        "ik denk er de hele tijd aan",
        "het houdt niet op",
    ],
    "LONELY": [
        "ik heb niemand hier",
        "niemand praat met mij",
        "ik ben altijd alleen in mijn kamer",
        "niemand belt mij",
        "ik heb geen vrienden hier",
        "mijn familie praat niet meer met mij",
        "niemand vraagt hoe het gaat",
        "ik ben helemaal alleen",
        "ik zit elke dag alleen",
        "ik heb niemand om mee te praten",
    ],
    "LONELY_TAIL": [
        "",
        "en dat doet pijn",
        "ik voel me zo eenzaam",
        "het is zwaar",
        "en ik huil vaak",
        "al maanden",
        "sinds ik hier ben",
        "dat maakt mij verdrietig",
    ],
    "SHAME": [
        "ik schaam mij",
        "ik schaam me zo",
        "ik voel me een mislukking",
        "ik heb gefaald",
        "ik heb mijn familie teleurgesteld",
        "iedereen gaat lachen om mij",
        "ik durf niet naar huis te bellen",
        "ik ben een loser",
        "ik kom terug met lege handen",
    ],
    "SHAME_TAIL": [
        "",
        "mijn familie heeft alles betaald voor mijn reis",
        "wat zeggen de mensen in mijn dorp",
        "ik heb niks bereikt hier",
        "ik kan ze niet in de ogen kijken",
        "hoe kan ik terug zonder niks",
        "mijn vader is teleurgesteld",
    ],
    "ANGER": [
        "ik ben zo boos",
        "ik ben woedend",
        "ik ben kwaad",
        "ik word gek van boosheid",
        "ik kan mijn woede niet houden",
        "het is niet eerlijk",
        "ik ben het zat",
        "ik ben boos op iedereen",
    ],
    "ANGER_TAIL": [
        "op de ind",
        "op het coa",
        "niemand luistert",
        "acht jaar wachten voor niks",
        "ze behandelen ons als dieren",
        "ik wil schreeuwen",
        "op de advocaat",
        "op dit systeem",
        "op nederland",
        "op mijn familie",
        "",
    ],
    "HOPELESS": [
        "ik heb geen hoop meer",
        "er is geen toekomst voor mij",
        "alles is kapot",
        "wat ik ook doe het helpt niet",
        "niks heeft zin",
        "ik zie geen uitweg",
        "ik zie alles zwart",
        "ik geef het op",
        "het wordt nooit beter",
        "mijn leven is een puinhoop",
        "ik zit in een zwart gat",
        "ik ben alles kwijt",
    ],
    "HOPELESS_TAIL": [
        "",
        "ik weet het niet meer",
        "ik ben zo moe",
        "ik kan niet meer",
        "alles is donker",
        "het is te zwaar",
        "ik huil veel",
        "ik ben op",
    ],
    "TRAUMA": [
        "als ik mijn ogen dicht doe zie ik het weer",
        "ik droom elke nacht van de gevangenis",
        "ik zie de soldaten weer",
        "ik denk steeds aan de boot",
        "ik zag mensen verdrinken in de zee",
        "ze hebben mij geslagen en ik vergeet het niet",
        "het komt steeds terug in mijn hoofd",
        "ik heb nachtmerries",
        "ik schrik van elk geluid",
        "als ik een uniform zie wil ik rennen",
        "ik zie het bloed weer",
        "ik hoor de bommen nog",
    ],
    "TRAUMA_TAIL": [
        "",
        "elke nacht",
        "ik word wakker en ik zweet",
        "ik kan er niet over praten",
        "het is te zwaar",
        "sinds wat er gebeurd is",
        "als ik denk aan terug",
        "ik word gek",
    ],
    "OVERWHELM": [
        "het is te veel",
        "alles is te veel",
        "ik kan het niet meer aan",
        "mijn hoofd is vol",
        "ik houd het niet meer vol",
        "ik red het niet meer",
        "alles komt tegelijk",
        "ik weet niet meer wat ik moet doen",
        "mijn hoofd ontploft",
        "ik word gek",
    ],
    "OVERWHELM_TAIL": [
        "",
        "de brieven, het geld, mijn kind is ziek",
        "ik slaap niet meer",
        "ik ben op",
        "ik wil even niks",
        "ik huil de hele tijd",
        "help mij",
        "te veel stress",
    ],
    "CRY": [
        "ik huil",
        "ik moet huilen",
        "ik zit te huilen",
        "mijn tranen stoppen niet",
        "ik huil de hele dag",
        "ik kan niet stoppen met huilen",
        "ik huil in mijn kamer",
    ],
    "CRY_TAIL": [
        "",
        "als ik aan mijn kinderen denk",
        "elke nacht",
        "sorry",
        "nu",
        "als ik mijn moeder hoor",
        "om alles",
        "omdat ik ze mis",
    ],
    "EN_EMO": [
        "i am so sad",
        "i feel very lonely",
        "i am scared",
        "i am afraid",
        "i have no hope",
        "i cant take it anymore",
        "i feel empty",
        "i am crying",
        "i am so angry",
        "i feel ashamed",
        "i miss my family so much",
        "i have nightmares",
        "it is too much",
    ],
    "FR_EMO": [
        "je suis triste",
        "j'ai peur",
        "je me sens seul",
        "je n'ai plus d'espoir",
        "je pleure",
        "je suis en colere",
        "j'ai honte",
        "c'est trop pour moi",
        "je n'en peux plus",
        "ma famille me manque",
    ],
    # request -------------------------------------------------------------------
    "PERSON": [
        "een begeleider",
        "mijn begeleider",
        "de begeleider",
        "mijn coach",
        "de coach",
        "een mens",
        "een echt mens",
        "een persoon",
        "iemand",
        "iemand van het coa",
        "de mevrouw van het coa",
        "de meneer van het coa",
        "mijn regievoerder",
        "een medewerker",
        "iemand die mijn taal spreekt",
        "iemand die arabisch spreekt",
        "iemand die engels spreekt",
        "iemand die frans spreekt",
        "een tolk",
        "mijn contactpersoon",
        "een hulpverlener",
        "de mevrouw van de balie",
        "iemand van vluchtelingenwerk",
        "een vrouw van kantoor",
        "een echte persoon",
        "mijn mentor",
        "de begeleidster",
        "iemand die farsi spreekt",
        "iemand die tigrinya kan",
    ],
    "PLEASE": [
        "aub",
        "alstublieft",
        "graag",
        "please",
        "svp",
        "s'il vous plait",
        "nu",
        "snel",
        "!",
        "",
        "nu meteen",
        "alsjeblieft",
    ],
    "REQ_WANT": [
        "ik wil met {PERSON} praten",
        "ik wil {PERSON} spreken",
        "mag ik {PERSON} spreken",
        "kan ik met {PERSON} praten",
        "kan {PERSON} komen",
        "ik wil {PERSON}",
        "ik heb {PERSON} nodig",
        "waar is {PERSON}",
        "roep {PERSON}",
        "bel {PERSON}",
        "haal {PERSON}",
        "geef mij {PERSON}",
        "kunt u {PERSON} roepen",
        "kunt u {PERSON} bellen",
        "ik wil graag {PERSON}",
        "is er {PERSON} die mij kan helpen",
        "ik zoek {PERSON}",
        "kan er {PERSON} naar mij toe komen",
        "ik wil nu {PERSON}",
        "{PERSON}",
        "mag ik even bij {PERSON}",
    ],
    "MACHINE": [
        "de computer",
        "een robot",
        "een machine",
        "deze computer",
        "jou",
        "een app",
        "dit scherm",
        "een bot",
    ],
    "WANT_HUMAN": [
        "ik wil een mens",
        "geef mij een persoon",
        "roep iemand",
        "ik wil mijn begeleider",
        "ik wil een echt persoon",
        "haal iemand",
        "ik wil de mevrouw van het coa",
        "mens aub",
    ],
    "REQ_REASON": [
        "ik begrijp het niet",
        "mijn nederlands is slecht",
        "dit is te moeilijk",
        "ik snap de vragen niet",
        "dit is belangrijk",
        "ik kan niet goed lezen",
        "ik wil niet typen",
        "dit is persoonlijk",
        "ik vertrouw de computer niet",
        "ik heb een vraag",
    ],
    "EN_REQ": [
        "i want",
        "can i talk to",
        "i need",
        "please call",
        "get me",
        "where is",
        "i want to speak with",
        "can you call",
    ],
    "EN_PERSON": [
        "a person",
        "a human",
        "someone",
        "my coach",
        "a counsellor",
        "someone who speaks english",
        "a real person",
        "my social worker",
        "the lady from coa",
        "a staff member",
    ],
    "FR_REQ": [
        "je veux parler a",
        "je voudrais",
        "appelez",
        "ou est",
        "j'ai besoin de",
        "je veux voir",
        "est-ce que je peux parler avec",
    ],
    "FR_PERSON": [
        "quelqu'un",
        "une personne",
        "un conseiller",
        "un humain",
        "mon coach",
        "quelqu'un qui parle francais",
        "la dame du coa",
        "une conseillere",
        "mon accompagnateur",
    ],
    # neutral -------------------------------------------------------------------
    "COUNTRY": [
        "eritrea",
        "syrie",
        "afghanistan",
        "marokko",
        "guinee",
        "nigeria",
        "somalie",
        "irak",
        "iran",
        "ethiopie",
        "sudan",
        "algerije",
        "georgie",
        "turkije",
        "jemen",
        "congo",
        "sierra leone",
        "togo",
        "pakistan",
        "albanie",
        "armenie",
        "mongolie",
        "colombia",
        "libie",
        "egypte",
        "tunesie",
    ],
    "CITY": [
        "kabul",
        "asmara",
        "damascus",
        "lagos",
        "casablanca",
        "conakry",
        "mogadishu",
        "bagdad",
        "teheran",
        "khartoum",
        "algiers",
        "tbilisi",
        "istanbul",
        "lome",
        "freetown",
        "herat",
        "aleppo",
        "addis abeba",
    ],
    "NLPLACE": [
        "ter apel",
        "zwolle",
        "budel",
        "rotterdam",
        "amsterdam",
        "utrecht",
        "den haag",
        "groningen",
        "gilze",
        "almere",
        "arnhem",
        "nijmegen",
        "cadzand",
        "katwijk",
        "den helder",
    ],
    "DUR": ["een jaar", "twee jaar", "drie jaar", "vijf jaar", "zes maanden", "acht jaar", "lang", "kort"],
    "JOB": [
        "kapper",
        "boer",
        "lasser",
        "leraar",
        "kok",
        "chauffeur",
        "timmerman",
        "naaister",
        "verkoper",
        "monteur",
        "schilder",
        "verpleegster",
        "elektricien",
        "bakker",
        "visser",
        "student",
        "schoonmaker",
        "taxichauffeur",
        "loodgieter",
        "boekhouder",
    ],
    "PLAN": [
        "een winkel openen",
        "een opleiding doen",
        "werk zoeken",
        "mijn rijbewijs halen",
        "nederlands leren",
        "bij mijn familie wonen",
        "een huis bouwen",
        "terug naar school",
        "een kleine zaak beginnen",
        "kippen houden",
        "een taxi rijden",
        "een kapsalon openen",
        "computers repareren",
        "bij mijn broer werken",
        "land bewerken",
        "eerst informatie krijgen",
        "met iom praten over de steun",
        "mijn papieren regelen",
        "geld sparen",
    ],
    "PLACE_WHERE": ["in mijn land", "in mijn dorp", "daar", "in nederland", "hier", "in de stad", "thuis"],
    "KIDS": ["een", "twee", "drie", "vier", "vijf", "geen"],
    "LANG": [
        "arabisch",
        "tigrinya",
        "farsi",
        "dari",
        "pashtu",
        "somalisch",
        "frans",
        "engels",
        "koerdisch",
        "amhaars",
        "turks",
        "berbers",
        "georgisch",
        "russisch",
    ],
    "FAMFACT": [
        "woont in",
        "werkt in",
        "studeert in",
        "is getrouwd en woont in",
        "is nu in",
        "heeft een winkel in",
        "gaat naar school in",
    ],
    "DOC": [
        "ik heb geen paspoort",
        "mijn paspoort is verlopen",
        "ik heb een afspraak bij de ambassade",
        "mijn procedure loopt nog",
        "ik wacht op de ind",
        "ik heb een laissez passer nodig",
        "mijn advocaat heeft beroep gedaan",
        "ik heb een geboorteakte",
        "mijn id kaart is bij de ind",
        "ik moet naar de ambassade in den haag",
        "ik heb een verblijfsvergunning aangevraagd",
        "ik heb een negatieve beschikking",
    ],
    "MONEY": [
        "ik krijg leefgeld",
        "ik heb weinig geld",
        "ik stuur geld naar mijn moeder",
        "hoeveel steun krijg ik van iom",
        "ik spaar een beetje",
        "ik heb een bankrekening",
        "ik betaal mijn telefoon zelf",
        "het geld is genoeg voor eten",
    ],
    "HEALTH": [
        "ik heb suikerziekte, ik neem medicijnen",
        "ik heb hoge bloeddruk",
        "ik heb last van mijn rug",
        "ik moet naar de tandarts",
        "mijn knie doet soms pijn",
        "ik ben gezond",
        "ik draag een bril",
        "ik heb astma, ik heb een pufje",
        "ik ben naar de huisarts geweest",
        "mijn dochter is verkouden",
        "ik heb een afspraak bij het gezondheidscentrum",
    ],
    "HOBBY": [
        "voetbal",
        "koken",
        "wandelen",
        "lezen",
        "muziek",
        "fietsen",
        "tekenen",
        "zingen",
        "naaien",
        "tuinieren",
        "schaken",
        "hardlopen",
    ],
    "ANSWER_PREFIX": ["", "ja", "nee", "ehm", "goed", "ok", "nou", "hmm", "ja,", "dat is zo,"],
    # hard negatives ----------------------------------------------------------
    "DEVICE": [
        "telefoon",
        "batterij",
        "laptop",
        "gsm",
        "mobiel",
        "oplader",
        "accu",
        "tablet",
        "powerbank",
        "simkaart",
        "koptelefoon",
        "fietslamp",
        "horloge",
        "telefoontje",
    ],
    "DEAD_DEV": ["dood", "leeg", "kapot", "dood gegaan", "op", "helemaal dood", "bijna dood", "stuk"],
    "DEV_TAIL": [
        "ik moet opladen",
        "kan ik hier opladen",
        "daarom belde ik niet",
        "sorry",
        "ik koop een nieuwe",
        "",
        "waar is een stopcontact",
        "daarom ben ik laat",
        "mijn neef repareert hem",
    ],
    "NONLIFE": [
        "mijn schulden",
        "het wachten",
        "de ruzie met mijn buurman",
        "mijn contract",
        "het roken",
        "de onzekerheid over papieren",
        "mijn abonnement",
        "de procedure",
        "mijn lening",
        "de huur van mijn kamer",
        "de slechte gewoonte van snoepen",
        "mijn schuld bij de bank",
    ],
    "HABIT": [
        "roken",
        "drinken",
        "suiker",
        "snoep",
        "koffie",
        "de cursus",
        "mijn werk in de nacht",
        "gamen",
        "snus",
        "frisdrank",
        "vlees eten",
        "de sportschool",
        "die app",
    ],
    "PASTIME": [
        "tv kijken",
        "mijn telefoon",
        "voetbal",
        "kaarten",
        "wandelen",
        "series kijken",
        "slapen",
        "muziek luisteren",
        "puzzels",
    ],
    "TIRED": ["doodmoe", "dood moe", "doodop", "kapot", "bekaf", "moe", "dood op"],
    "TIRED_WHY": [
        "van het werk",
        "na de les",
        "van het fietsen",
        "na voetbal",
        "na de nachtdienst",
        "van de kinderen, haha",
        "van de lange reis naar de ambassade",
        "na het sporten",
        "van de verhuizing",
    ],
    "MOVIE": [
        "een brug",
        "een man op een brug",
        "de oorlog",
        "de zee",
        "een moord",
        "de titanic",
        "een spoorlijn",
        "een brand",
        "een dief",
        "de politie",
        "een ziekenhuis",
        "zombies",
    ],
    "CALM_DEATH": [
        "lang geleden",
        "tien jaar geleden",
        "toen ik klein was",
        "in 2015",
        "voor de oorlog",
        "vorig jaar, hij was heel oud",
        "in 2008",
        "twintig jaar geleden",
        "toen ik een baby was",
    ],
    "CALM_TAIL": [
        "",
        "nu woon ik bij mijn oom",
        "ik heb nog veel familie",
        "god hebbe zijn ziel",
        "het is ok nu",
        "ik heb er vrede mee",
        "mijn moeder zorgde voor ons",
        "mijn broer is nu de baas van het huis",
        "we hebben nog zijn land",
    ],
    "FOOD": ["uien", "vlees", "groente", "brood", "tomaten", "kip", "fruit", "aardappels", "wortels"],
    "KNIFE": ["een mes", "het keukenmes", "een groot mes", "een klein mes", "mijn mes"],
    "TRAIN_PURPOSE": [
        "voor de ambassade",
        "voor mijn werk",
        "naar mijn neef",
        "naar school",
        "naar de markt",
        "voor een afspraak",
        "om te winkelen",
        "naar de moskee",
        "",
    ],
    "SAFE_PLACE_ACT": [
        "ik fiets over de brug naar school",
        "ik werk op het dak, ik ben dakdekker",
        "de kinderen zwemmen in het meer",
        "ik wandel langs het water",
        "ik vis in de rivier",
        "ik woon bij het spoor, de treinen maken lawaai",
        "ik sta op het balkon en rook niet meer",
        "we gaan naar het strand met de kinderen",
        "de brug is open voor de boot",
        "ik repareer het dak van de schuur",
        "ik leer zwemmen in het zwembad",
        "ik zit op het balkon in de zon",
    ],
    "PILL_OK": [
        "pillen",
        "medicijnen",
        "tabletten",
        "paracetamol",
        "insuline",
        "een pufje",
        "druppels",
        "ibuprofen",
        "vitamines",
        "ijzer tabletten",
    ],
    "AILMENT": [
        "mijn bloeddruk",
        "hoofdpijn",
        "mijn rug",
        "mijn suiker",
        "mijn astma",
        "mijn maag",
        "mijn knie",
        "de griep",
        "allergie",
        "mijn tanden",
        "mijn cholesterol",
    ],
    "PILL_TAIL": [
        "",
        "van de dokter",
        "elke ochtend",
        "het helpt goed",
        "twee keer per dag",
        "ik haal ze bij de apotheek",
        "ik heb nog genoeg",
    ],
    "FORM": [
        "dit formulier",
        "de brief van de ind",
        "mijn cv",
        "de aanvraag",
        "de belasting",
        "de brief van de gemeente",
        "het formulier van iom",
        "mijn zorgtoeslag",
        "de huurtoeslag",
        "mijn bankpas",
        "de school van mijn kinderen",
        "een sollicitatie",
    ],
    "BEG_ACT": [
        "heeft mij geholpen met de brief",
        "zegt dat ik moet wachten",
        "komt volgende week",
        "heeft mijn papieren",
        "is op vakantie",
        "belt mij morgen",
        "heeft gezegd dat dit goed is",
        "heeft mij over iom verteld",
        "is aardig",
        "heet sandra",
        "gaat met mij naar de ambassade",
        "heeft de afspraak gemaakt",
    ],
    "BEG_WHO": [
        "mijn begeleider",
        "de begeleider",
        "mijn coach",
        "de mevrouw van het coa",
        "de meneer van het coa",
        "mijn regievoerder",
        "mijn contactpersoon",
        "de tolk",
    ],
    "NO_HELP_TAIL": [
        "het gaat goed",
        "ik doe het zelf",
        "ik ga door met de vragen",
        "dank u",
        "misschien later",
        "volgende vraag aub",
        "ik kan het alleen",
    ],
    "LEAVE": [
        "ik ga nu weg, mijn bus komt",
        "tot morgen",
        "ik moet weg, ik heb les",
        "dag coach, tot volgende week",
        "ik ga slapen, welterusten",
        "ik stop voor vandaag",
        "ik ga eten, later verder",
        "doei, bedankt",
        "ik moet mijn kinderen halen",
        "pauze, ik ga thee drinken",
    ],
    "GIVE_SAFE": [
        "ik geef mijn oude fiets aan mijn neef",
        "ik heb mijn oude kleren weggegeven aan de kerk",
        "ik geef geld aan de moskee",
        "ik heb mijn oude telefoon aan mijn broer gegeven",
        "ik geef speelgoed aan de kinderen van de buren",
        "ik verkoop mijn auto in mijn land",
        "ik heb mijn boeken aan school gegeven",
    ],
    "GIVE_SAFE_TAIL": [
        "ik heb een nieuwe",
        "ik heb het niet meer nodig, ik heb een andere",
        "voor de verhuizing",
        "voor het feest",
        "omdat ik terug ga naar mijn land",
        "",
        "het is te klein voor mij",
    ],
    "LIFE_POS": [
        "ik wil een nieuw leven beginnen",
        "ik wil een goed leven voor mijn kinderen",
        "het leven is duur hier",
        "ik wil lang leven",
        "ik hou van het leven",
        "mijn leven is rustig",
        "ik wil mijn leven opbouwen",
        "het leven in mijn land is goedkoop",
        "ik wil leven zonder angst",
    ],
    "LIFE_WHERE": ["in mijn land", "hier", "daar", "met mijn familie", "in mijn dorp", "met werk", ""],
    "END_SAFE": [
        "het einde van de film",
        "het einde van de ramadan",
        "het einde van mijn contract",
        "het einde van het schooljaar",
        "het einde van de maand",
        "het einde van het boek",
        "het eind van de straat",
        "het einde van de cursus",
    ],
    "END_TAIL": [
        "is mooi",
        "komt eraan",
        "is in juni",
        "is feest",
        "daarna heb ik geen geld meer, dan eet ik rijst",
        "vind ik spannend",
        "is volgende week",
        "daar woon ik",
    ],
    "VOICE_SAFE": [
        "ik hoor de stemmen van de kinderen buiten",
        "ik hoor stemmen op de gang, de buren zijn luid",
        "ik zing in het koor, mijn stem is goed",
        "de stem van mijn moeder aan de telefoon maakt mij blij",
        "ik hoor de buren praten door de muur",
        "ik hoor muziek van de kamer naast mij",
    ],
    "MED_PAST": [
        "ik had vorige week koorts",
        "ik was verkouden",
        "ik had pijn in mijn buik",
        "ik kon slecht ademen door de griep",
        "mijn kind had een hoestaanval",
        "ik had een operatie aan mijn hart vorig jaar",
        "ik had hoofdpijn gisteren",
    ],
    "MED_PAST_TAIL": [
        "nu gaat het beter",
        "nu is het goed",
        "de dokter heeft geholpen",
        "het is over",
        "ik ben weer gezond",
        "nu gaat het weer",
    ],
    "EN_HARD": [
        "my phone is dead",
        "my battery is dead",
        "i am dead tired",
        "i want to end my debts",
        "i want to stop smoking",
        "i am killing time",
        "i saw a movie about a bridge",
        "my grandfather died long ago",
        "i take the train to work",
        "i use a knife for cooking",
        "i need help with a form",
        "my laptop died",
        "the end of the month is hard with money",
        "i work on roofs",
        "i cross the bridge every day",
    ],
    "FR_HARD": [
        "mon telephone est mort",
        "ma batterie est morte",
        "je suis mort de fatigue",
        "je veux arreter de fumer",
        "je prends le train",
        "mon grand-pere est mort il y a longtemps",
        "j'ai besoin d'aide pour un formulaire",
        "je coupe les legumes avec un couteau",
        "je tue le temps avec la tele",
        "j'ai vu un film sur un pont",
    ],
}

# --------------------------------------------------------------------------- templates
# (template, max fillings). "{SLOT}" fills from S; empty fillers leave a clean gap.
TEMPLATES: Dict[str, List[tuple]] = {
    "crisis": [
        ("{WISH} {DIE} {WHEN}", 420),
        ("{REASON}, {WISH} {DIE}", 260),
        ("{PEOPLE} {BETTER}", 90),
        ("ik ben een last voor {PEOPLE}, {PASSIVE_END}", 90),
        ("{HOPE} {NOWAKE}", 48),
        ("ik heb {N} {PILLS} genomen {TAKEN_TAIL}", 200),
        ("ik heb de {PILLS} ingenomen, {N}, {TAKEN_TAIL}", 90),
        ("ik {STAND} {PLACE} {NOW}, {JUMP}", 260),
        ("{INTENT} {METHOD_ACT} {WHEN}", 300),
        ("{HAVE_METHOD} {HAVE_TAIL}", 104),
        ("{HOWMUCH} {SUBST} {LETHAL}", 160),
        ("{HOWQ} {DIE_INF}", 36),
        ("{HIGHQ}", 9),
        ("{GIVE} {ITEM} {TO}, {GIVE_REASON}", 160),
        ("{BYE} {ADDR}, {BYE_REASON}", 160),
        ("ik {SH_ACT} {SH_WHEN}", 120),
        ("ik ga {VICTIM} {HARM} {HARM_TAIL}", 200),
        ("{OTHER} {DANGER} {URGENT}", 260),
        ("{MED} {MED_TAIL}", 200),
        ("{VOICE} {VOICE_SAY} {VOICE_CMD}", 200),
        ("als {COND}, {THEN_DIE}", 99),
        ("{EN_WISH} {EN_DIE}", 70),
        ("{FR_WISH} {FR_DIE}", 48),
        ("{REASON}, {EN_WISH} {EN_DIE}", 60),
        ("{SH_WHEN} {SH_ACT2}", 90),
        ("ik heb weer {SH_PAST} {SH_WHEN}", 80),
        ("{NOW} {STAND2} ik {PLACE}, {JUMP}", 150),
        ("{VICTIM2} {HARM2}", 100),
        ("{URGENT} {OTHER} {DANGER}", 200),
        ("{MED_TAIL}, {MED}", 150),
        ("ik hoor {VOICE2}, {VOICE_CMD}", 90),
        ("{THEN_DIE2} als {COND}", 80),
        ("{GIVE_REASON}, daarom {GIVE} {ITEM} {TO}", 100),
        ("{BYE_REASON}. {BYE} {ADDR}", 120),
    ],
    "emotion": [
        ("{FEEL} {INTENS} {EMO_ADJ} {EMO_REASON}", 700),
        ("mijn {KIN} is {DIED} {GRIEF_TAIL}", 300),
        ("ik ben {INTENS} bang {FEAR_OBJ} {FEAR_TAIL}", 300),
        ("{LONELY} {LONELY_TAIL}", 80),
        ("{SHAME}, {SHAME_TAIL}", 63),
        ("{ANGER} {ANGER_TAIL}", 88),
        ("{HOPELESS} {HOPELESS_TAIL}", 96),
        ("{TRAUMA} {TRAUMA_TAIL}", 96),
        ("{OVERWHELM} {OVERWHELM_TAIL}", 80),
        ("{CRY} {CRY_TAIL}", 56),
        ("ik mis mijn {KIN} zo erg {LONELY_TAIL}", 70),
        ("{EN_EMO} {EMO_REASON}", 120),
        ("{FR_EMO}", 10),
        ("{FEEL} {INTENS} {EMO_ADJ}, {CRY} {CRY_TAIL}", 150),
    ],
    "request": [
        ("{REQ_WANT} {PLEASE}", 900),
        ("ik wil niet met {MACHINE} praten, {WANT_HUMAN}", 64),
        ("{REQ_REASON}, {REQ_WANT}", 260),
        ("{EN_REQ} {EN_PERSON} {PLEASE}", 200),
        ("{FR_REQ} {FR_PERSON} {PLEASE}", 150),
    ],
    "neutral": [
        ("{ANSWER_PREFIX} ik kom uit {COUNTRY}", 150),
        ("ik woon {DUR} in {NLPLACE}", 100),
        ("mijn {KIN} {FAMFACT} {CITY}", 350),
        ("ik was {JOB} {PLACE_WHERE}", 140),
        ("{ANSWER_PREFIX} ik wil {PLAN} {PLACE_WHERE}", 500),
        ("ik heb {KIDS} kinderen", 6),
        ("ik spreek {LANG} en een beetje nederlands", 14),
        ("{ANSWER_PREFIX} {DOC}", 120),
        ("{ANSWER_PREFIX} {MONEY}", 80),
        ("{ANSWER_PREFIX} {HEALTH}", 110),
        ("{ANSWER_PREFIX} ik heb {KIDS} kinderen {PLACE_WHERE}", 300),
        ("ik hou van {HOBBY}", 12),
        ("in mijn vrije tijd doe ik {HOBBY} {PLACE_WHERE}", 84),
        ("mijn {KIN} was {JOB} in {CITY}", 200),
        ("ik wil {JOB} worden {PLACE_WHERE}", 140),
        ("{ANSWER_PREFIX} {LEAVE}", 100),
    ],
    "neutral_hard": [
        ("mijn {DEVICE} is {DEAD_DEV} {DEV_TAIL}", 300),
        ("ik wil een eind maken aan {NONLIFE}", 12),
        ("ik wil een einde maken aan {NONLIFE}, {ANSWER_PREFIX} dat is mijn plan", 60),
        ("ik wil stoppen met {HABIT} {PLACE_WHERE}", 91),
        ("ik dood de tijd met {PASTIME}", 9),
        ("ik ben {TIRED} {TIRED_WHY}", 63),
        ("ik heb een film gezien over {MOVIE}", 12),
        ("gisteren keek ik een film over {MOVIE}, mooi", 12),
        ("mijn {KIN} is {CALM_DEATH} overleden {CALM_TAIL}", 300),
        ("ik snij {FOOD} met {KNIFE}", 45),
        ("ik ga met de trein naar {NLPLACE} {TRAIN_PURPOSE}", 135),
        ("{SAFE_PLACE_ACT}", 12),
        ("ik neem {PILL_OK} voor {AILMENT} {PILL_TAIL}", 250),
        ("ik heb hulp nodig met {FORM}", 12),
        ("kunt u mij helpen met {FORM} {PLEASE}", 100),
        ("{BEG_WHO} {BEG_ACT}", 96),
        ("ik heb geen begeleider nodig, {NO_HELP_TAIL}", 7),
        ("nee, ik wil geen mens nu, {NO_HELP_TAIL}", 7),
        ("{GIVE_SAFE}, {GIVE_SAFE_TAIL}", 49),
        ("{LIFE_POS} {LIFE_WHERE}", 63),
        ("{END_SAFE} {END_TAIL}", 64),
        ("{VOICE_SAFE}", 6),
        ("{MED_PAST}, {MED_PAST_TAIL}", 42),
        ("{EN_HARD}", 15),
        ("{FR_HARD}", 10),
    ],
}

# --------------------------------------------------------------------------- noise
MISSPELL = {
    "ik": ["k", "ikk", "ick"],
    "niet": ["nie", "nit", "niett"],
    "wil": ["wl", "wiel", "will", "wel"],
    "dood": ["doot", "dod", "doodt"],
    "leven": ["lefen", "leve", "lven", "lewen"],
    "mijn": ["mein", "myn", "mn", "mij"],
    "heb": ["hep", "hebb"],
    "zijn": ["zein", "zyn"],
    "het": ["ut", "et"],
    "graag": ["grag"],
    "begeleider": ["begleider", "begeleijder", "begelijder", "begeleidr"],
    "zelfmoord": ["zelf moord", "zelfmord", "selfmoord"],
    "sterven": ["sterfen", "stervn", "sterve"],
    "praten": ["prate", "praaten", "pratten"],
    "verdrietig": ["verdritig", "verdrietg", "ferdrietig"],
    "alleen": ["allen", "alen", "aleen"],
    "kinderen": ["kindere", "kinderren", "kinders"],
    "pillen": ["pilen", "pils", "pilllen"],
    "springen": ["springe", "sprngen", "sprigen"],
    "brug": ["burg", "brugg"],
    "meer": ["mer", "meeer"],
    "maken": ["make", "maaken"],
    "mezelf": ["mijzelf", "meself", "mezelv"],
    "moeder": ["moder", "mama"],
    "iemand": ["iemant", "iemad"],
    "mens": ["mensch", "mensen"],
    "alstublieft": ["alstublief", "astublieft"],
    "eind": ["ent", "eid"],
    "einde": ["ende", "eind"],
    "bang": ["bangg"],
    "huilen": ["huile", "huillen"],
    "hoofd": ["hooft"],
    "ophangen": ["op hangen", "ophange"],
    "vannacht": ["van nacht", "vanacht"],
    "telefoon": ["telefon", "tel"],
    "batterij": ["baterij", "batterei"],
    "doodmoe": ["dootmoe"],
    "weet": ["wet"],
    "wat": ["wa"],
    "kan": ["ken"],
    "ben": ["bn", "benn"],
    "dat": ["da"],
    "met": ["mt"],
    "naar": ["nar", "naa"],
}
ARTICLES = {"de", "het", "een"}
INTERJECTIONS_PRE = [
    "wallah",
    "sorry",
    "please",
    "habibi",
    "inshallah",
    "ya allah",
    "coach",
    "eh",
    "hmm",
    "ok",
    "mevrouw",
    "meneer",
    "yallah",
    "khalas",
    "bro",
    "salam",
    "ja",
]
INTERJECTIONS_POST = [
    "aub",
    "svp",
    "please",
    "merci",
    "wallah",
    "inshallah",
    "echt",
    "...",
    "!!",
    "??",
    "sorry",
    "ya rabbi",
    "coach",
    "nu",
    "ok",
]
GRAMMAR = [
    (r"\bik ben\b", "ik"),
    (r"\bik heb\b", "ik hebben"),
    (r"\bik wil\b", "ik willen"),
    (r"\bik ga\b", "ik gaan"),
    (r"\bik kan\b", "ik kunnen"),
    (r"\bmijn\b", "mij"),
    (r"\bis\b", ""),
    (r"\bzijn\b", "is"),
    (r"\bik moet\b", "ik moeten"),
    (r"\bik\b", "mij"),
]


def _word_typo(rng: random.Random, text: str) -> str:
    words = text.split()
    candidates = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    op = rng.choice(("drop", "swap", "double"))
    if op == "drop":
        w = w[:j] + w[j + 1 :]
    elif op == "swap":
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def _glue(rng: random.Random, text: str) -> str:
    words = text.split()
    if len(words) < 2:
        return text
    i = rng.randrange(len(words) - 1)
    return " ".join(words[:i] + [words[i] + words[i + 1]] + words[i + 2 :])


def _misspell(rng: random.Random, text: str) -> str:
    words = text.split()
    idx = [i for i, w in enumerate(words) if w.strip(",.!?") in MISSPELL]
    if not idx:
        return _word_typo(rng, text)
    i = rng.choice(idx)
    core = words[i].strip(",.!?")
    words[i] = words[i].replace(core, rng.choice(MISSPELL[core]))
    return " ".join(words)


def _no_articles(rng: random.Random, text: str) -> str:
    out = " ".join(w for w in text.split() if w not in ARTICLES)
    return out if out != text else _grammar(rng, text)


def _grammar(rng: random.Random, text: str) -> str:
    options = [(p, r) for p, r in GRAMMAR if re.search(p, text)]
    if not options:
        return _glue(rng, text)
    pattern, repl = rng.choice(options)
    return re.sub(r"\s+", " ", re.sub(pattern, repl, text, count=1)).strip()


def _strip_punct(rng: random.Random, text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[,.!?;:]", " ", text)).strip()


def _case(rng: random.Random, text: str) -> str:
    choice = rng.random()
    if choice < 0.5:
        return text[:1].upper() + text[1:] + rng.choice([".", "", "!", "?"])
    if choice < 0.8:
        return text.upper() if len(text) < 40 else text.capitalize()
    return " ".join(w.capitalize() for w in text.split())


def _mix(rng: random.Random, text: str) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(INTERJECTIONS_PRE)} {text}"
    return f"{text} {rng.choice(INTERJECTIONS_POST)}"


NOISE = [
    _word_typo,
    _word_typo,
    _glue,
    _misspell,
    _misspell,
    _no_articles,
    _grammar,
    _strip_punct,
    _case,
    _mix,
]


def noisy(rng: random.Random, text: str) -> str:
    out = text
    for op in rng.sample(NOISE, rng.choice((1, 2, 2, 3))):
        out = op(rng, out)
    return re.sub(r"\s+", " ", out).strip()


# --------------------------------------------------------------------------- build
def clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+,", ",", text)
    return text.strip(" ,")


def fillings(rng: random.Random, template: str, cap: int) -> List[tuple]:
    """(value of the first slot, filled text) pairs: up to `cap` distinct fillings."""
    slots = re.findall(r"\{([A-Z0-9_]+)\}", template)
    pools = [S[s] for s in slots]
    total = 1
    for pool in pools:
        total *= len(pool)
    if total <= cap * 3:
        combos = list(itertools.product(*pools))
        rng.shuffle(combos)
        combos = combos[:cap]
    else:
        seen: Set[tuple] = set()
        combos = []
        while len(combos) < cap:
            combo = tuple(rng.choice(pool) for pool in pools)
            if combo not in seen:
                seen.add(combo)
                combos.append(combo)
    out = []
    for combo in combos:
        text = template
        for slot, value in zip(slots, combo):
            text = text.replace("{" + slot + "}", value, 1)
        # nested slots (REQ_WANT holds {PERSON})
        for nested in re.findall(r"\{([A-Z0-9_]+)\}", text):
            text = text.replace("{" + nested + "}", rng.choice(S[nested]), 1)
        out.append((combo[0] if combo else "", clean(text)))
    return out


def key(text: str) -> str:
    """The comparison key for held-out overlap: lower case, letters and digits only."""
    text = text.lower()
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # Rasa entity markup [x](e)
    text = re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def heldout_texts(root: Path = ROOT) -> Set[str]:
    """Every text of the held-out sets, as comparison keys."""
    import yaml

    keys: Set[str] = set()
    for pattern in HELDOUT_GLOBS:
        for path in sorted(root.glob(pattern)):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for item in data.get("items", []) or []:
                if isinstance(item, dict) and isinstance(item.get("text"), str):
                    keys.add(key(item["text"]))
            for block in data.get("nlu", []) or []:
                examples = block.get("examples") if isinstance(block, dict) else None
                if isinstance(examples, str):
                    for line in examples.splitlines():
                        line = line.strip()
                        if line.startswith("- "):
                            keys.add(key(line[2:]))
    keys.discard("")
    return keys


def read_handwritten(label: str) -> List[str]:
    path = HANDWRITTEN_DIR / f"{label}.txt"
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        raw = raw.strip()
        if raw and not raw.startswith("#"):
            lines.append(raw)
    return lines


def build_families(rng: random.Random) -> Dict[str, List[List[str]]]:
    families: Dict[str, List[List[str]]] = {label: [] for label in LABEL_FILES}
    for label in LABEL_FILES:
        for line in read_handwritten(label):
            variants = [line] + [noisy(rng, line) for _ in range(3)]
            families[label].append(variants)
        for template, cap in TEMPLATES[label]:
            # one family per value of the template's first slot: the held-out split then
            # holds out e.g. every "ik krab mijn huid kapot ..." line while training sees
            # "ik snij in mijn arm ...", so it measures new words in a known frame
            groups: Dict[str, List[str]] = {}
            for first, text in fillings(rng, template, cap):
                family = groups.setdefault(first, [])
                family.append(text)
                if rng.random() < 0.7:
                    family.append(noisy(rng, text))
            families[label].extend(groups[k] for k in sorted(groups))
    return families


PRIORITY = ("crisis", "request", "emotion", "neutral", "neutral_hard")


def finalise(families: Dict[str, List[List[str]]], heldout: Set[str]) -> Dict[str, List[List[str]]]:
    """Drop empties, held-out collisions and duplicates; a line seen under two labels
    stays only under the more urgent one (crisis > request > emotion > neutral)."""
    owner: Dict[str, str] = {}
    for label in PRIORITY:
        for family in families[label]:
            for line in family:
                owner.setdefault(key(line), label)
    out: Dict[str, List[List[str]]] = {}
    seen: Set[str] = set()
    for label in PRIORITY:
        out[label] = []
        for family in families[label]:
            kept = []
            for line in family:
                k = key(line)
                if not k or k in heldout or k in seen or owner[k] != label:
                    continue
                seen.add(k)
                kept.append(line)
            if kept:
                out[label].append(kept)
    return out


HEADER = (
    "# Safety corpus, label '{label}': GENERATED by scripts/build_safety_corpus.py from\n"
    "# handwritten/{label}.txt and the script's templates. Do not edit; edit those and rerun.\n"
    "# One example per line; a blank line separates families (a line with its variants,\n"
    "# or one template with its fillings), which the held-out split keeps together.\n"
)


def render(label: str, families: Sequence[Sequence[str]]) -> str:
    body = "\n\n".join("\n".join(f) for f in families)
    return HEADER.format(label=label) + "\n" + body + "\n"


def generate() -> Dict[str, str]:
    rng = random.Random(SEED)
    families = finalise(build_families(rng), heldout_texts())
    return {label: render(label, families[label]) for label in LABEL_FILES}


def count(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip() and not line.startswith("#"))


def main(argv: Iterable[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the files differ from a fresh build")
    args = parser.parse_args(list(argv))
    outputs = generate()
    stale = []
    for label, text in outputs.items():
        path = CORPUS_DIR / f"{label}.txt"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
        print(f"{label:13s} {count(text):6d} lines")
    if stale:
        print("stale:", ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

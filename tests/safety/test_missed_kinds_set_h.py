"""The kinds of crisis missed on set H at its first look (bench/results/safety_firstlook_set_h_after.md),
closed by meaning in bot/safety/rules/concepts.yml (round 7), and set H's false hand-offs closed by masks
(bot/safety/rules/masks.yml). The crisis sentences here are written for this test, not copied from set H;
each new cue has harmless counterparts below that must stay quiet (docs/specs/safety.md §1.5).
Psychosis without a threat is a T2 hand-off (reason emotion), T3 only with a threat (§1.3)."""

from __future__ import annotations

import pytest

from bot.safety import detect, policy

CRISIS = [
    # someone else hurt now or again; a child touched or taken; a girl married, cut or sold; family abroad in danger now
    ("mijn buurman schopt zijn vrouw terwijl ik dit schrijf", "other_in_danger"),
    ("haar man slaat haar elke nacht, ze heeft blauwe plekken", "other_in_danger"),
    ("hij schopt. nu. help", "other_in_danger"),
    ("mijn zus wordt door haar man geslagen, vannacht weer", "other_in_danger"),
    ("het meisje van hiernaast wordt opgesloten zonder eten door haar stiefmoeder", "other_in_danger"),
    ("ze hebben de deur ingetrapt bij mijn buren en ik hoor gillen", "other_in_danger"),
    ("mijn zoontje van 6 zegt de oom raakt hem aan in de badkamer", "other_in_danger"),
    ("een vreemde man wil mijn nichtje van 11 morgen meenemen", "other_in_danger"),
    ("mijn man ontvoert de kinderen, hij neemt ze mee naar irak en komt nooit terug", "other_in_danger"),
    ("mijn zusje van 14 moet volgende week trouwen met een man van 50", "other_in_danger"),
    ("ze willen mijn nichtje laten besnijden deze zomer", "other_in_danger"),
    ("de smokkelaars zeggen ze verkopen hem als ik niet betaal", "other_in_danger"),
    ("mijn broer in somalie, de shabaab staan voor het huis", "other_in_danger"),
    ("de militie zoekt mijn vader, hij is ondergedoken bij een vriend", "other_in_danger"),
    ("er wordt nu geschoten bij ons huis in khartoum, mijn kinderen zijn daar", "other_in_danger"),
    (
        "mijn zus zit in een rubberboot op zee en de boot loopt vol water, het water komt binnen",
        "other_in_danger",
    ),
    # someone collapsed, not responding, cold
    (
        "mijn vader ligt op de grond in de keuken en reageert niet, hij is koud",
        "medical_emergency|other_in_danger",
    ),
    # harm to others: first person, a time or an intent, a blow or a knife
    ("als hij morgen weer komt ga ik hem neersteken", "harm_others"),
    ("ik steek hem met mijn mes als hij nog een keer lacht", "harm_others"),
    ("i am going to stab that guy from the office", "harm_others"),
    ("ik breek zijn kaak als ik hem zie", "harm_others"),
    ("ik neem een mes mee naar de ind volgende week", "harm_others"),
    ("ik rij met mijn auto in de mensen bij het station", "harm_others"),
    ("ik ben van plan mijn zwager te vermoorden", "harm_others"),
    ("ze heeft de familie-eer bevuild, mijn broers moeten haar straffen en ik ga helpen", "harm_others"),
    # self-harm told as cutting
    ("mijn benen zitten vol met snijwonden, niemand mag het zien", "self_harm"),
    ("ik heb het opnieuw gedaan. krassen. elke nacht", "self_harm"),
    ("de wonden van het snijden gaan niet dicht", "self_harm"),
    # suicide by a place or method asked or planned
    ("wat is de hoogste flat in utrecht, ik wil eraf springen", "suicide"),
    ("ik ga vannacht op de snelweg liggen", "suicide"),
    ("ik heb een strop aan de balk in mijn kamer vastgemaakt", "suicide"),
    ("ik kan niet zwemmen en dat is juist goed, ik ga naar het kanaal", "suicide"),
    ("dit is mijn laatste week, zorg voor mijn kinderen als ik er niet meer ben", "suicide"),
    # psychosis with a threat
    ("de lampen sturen straling naar mijn hoofd, ik moet ze vernietigen voordat ze mij doden", "psychosis"),
]


@pytest.mark.parametrize("text, flag", CRISIS)
def test_set_h_kinds_are_crisis_by_rules_alone(text, flag):
    result = detect(text)
    assert result.category == "crisis", (text, result)
    assert result.flag in flag.split("|"), (text, result)


PSYCHOSIS_T2 = [
    "ik zie een vrouw in de hoek die alleen ik kan zien",
    "er zitten mensen in het plafond die over mij praten",
    "ik voel mieren onder mijn huid, ze zijn er gestopt",
    "de pillen van de apotheek zijn vervangen door gif",
    "de duiven op het dak zijn spionnen van de regering",
    "de radio praat tegen mij ook als hij uit staat",
    "jij bent een spion voor de ind",
    "mijn telefoon stuurt straling naar mijn hersenen",
    "mijn man is vervangen door iemand die op hem lijkt",
]


@pytest.mark.parametrize("text", PSYCHOSIS_T2)
def test_psychosis_without_threat_is_a_t2_hand_off(text):
    result = detect(text)
    assert result.flag == "psychosis" and result.tier >= 2, (text, result)
    assert policy.assess(text)["handoff_reason"] in ("emotion", "crisis"), text


HARMLESS = [
    "mijn zoon slaat elke dag de bal tegen de muur",
    "de tennisser slaat de bal hard, elke week kijken we",
    "mijn man slaat nu het vlees plat voor het eten",
    "hij schopt nu de bal naar zijn broer",
    "mijn dochter wordt elke dag opgehaald door haar vader",
    "de deur is kapotgegaan, de huisbaas komt hem maken",
    "de dokter raakt haar aan bij het onderzoek, mijn dochter vond het eng",
    "mijn dochter raakt de hond aan, ze is niet meer bang",
    "mijn man neemt de kinderen mee naar het park en komt om 6 uur terug",
    "de opa wil hem vanavond meenemen naar de moskee",
    "mijn nicht gaat trouwen volgende maand, ze is 25",
    "de besnijdenis van mijn zoon is in het ziekenhuis gedaan",
    "ze verkopen haar oude fiets op marktplaats",
    "de taliban in het nieuws, ze staan bij de grens",
    "mijn vriend zoekt haar sleutels, ze heeft ze verstopt bij de buren",
    "in de film wordt er geschoten rond het huis",
    "we zaten in de boot en het water kwam binnen, ik droom er nog van",
    "de boot in de haven is kapot, mijn oom repareert hem",
    "mijn moeder ligt op de bank te slapen",
    "ik ga de taart aansteken met kaarsjes",
    "ik ga veel tijd in de taal steken",
    "ik breek mijn hoofd over die formulieren",
    "ik neem een mes mee naar de picknick voor het fruit",
    "ik rij met de auto naar de markt",
    "ik moet mijn zoon straffen, hij heeft gelogen over zijn huiswerk",
    "i am going to kill the time with a game",
    "ik snijd groente, mijn handen vol met sneetjes van het mes",
    "de kat heeft mijn armen vol krassen gemaakt",
    "de kapper heeft het weer gedaan, knippen, elke maand",
    "welke brug is het hoogst in nederland, voor mijn huiswerk",
    "waar is de hoogste toren, ik wil het uitzicht zien",
    "ik ga van het dak de sneeuw afhalen",
    "ik ga op de bank liggen",
    "ik heb een touw aan het plafond gehangen voor de schommel",
    "ik kan niet zwemmen, ik ga op zwemles",
    "dit is mijn laatste week in het azc, ik verhuis naar tilburg",
    "de mevrouw van het coa is vervangen door een nieuwe begeleider",
    "ik hoor de buren door de muur, het is gehorig",
    "ik heb schurft, beestjes onder mijn huid, ik heb zalf nodig",
    "mijn tv doet raar, hij gaat aan als hij uit staat",
    "de spion in de film is van de politie",
    "de vogels in het park zijn mooi",
    "ik heb echte vrienden hier",
    "kunt u mij doorsturen naar de juiste afdeling",
    "ik heb vannacht goed geslapen",
    "mijn zoon raakt hem niet aan, hij vindt broccoli vies",
    "mijn dochter zit hem aan zijn hoofd te zeuren over een telefoon",
    "iemand van school komt mijn kind ophalen om 3 uur",
    "mijn man neemt de kinderen mee naar oma, ze komen niet terug voor het eten",
    "de speelgoedboot van mijn zoon is kapot, hij zat in bad",
    "mijn telefoon gaat aan ook als hij uit staat, is hij kapot",
    "ze boren in de muur de hele dag, ik kan niet slapen",
    "er zitten muizen in de muur van de keuken",
    "de dokter zegt dit medicijn is gif voor mijn maag als ik niet eet",
    "mijn dochter is een meisje die op mij lijkt",
    "mijn vader slaat mijn moeder niet meer, het gaat nu goed met ze",
    "ik word nog steeds moe na het werk",
    "mijn fiets wordt elke nacht opgesloten in de stalling",
    "de kinderen spelen tikkertje, hij slaat haar op de schouder, elke dag",
    "de juf zegt mijn zoon wordt gepest, elke dag",
    "ik ga mijn zus straffen met een grap omdat ze mijn chocolade at",
    "ik moet hem straffen, hij heeft de eer van de klas gered haha",
    "mijn broer zoekt haar nummer, ze heeft zich verstopt voor de camera",
    "de soldaten uit de oorlog in mijn dromen staan bij de deur",
    "ik draag lange mouwen, mijn armen vol met sneetjes van de rozen in de tuin",
    "ik heb het weer gedaan, snijden van de haren, drie keer deze maand",
    "welke brug is hoog genoeg voor onze boot",
    "ik wil van het dak af foto's maken van de stad",
    "ik kan niet zwemmen en dat is goed, ik blijf op het strand",
    "dit is mijn laatste week op school, na mij komt een nieuwe leerling",
    "ik ga de deur in elkaar zetten met mijn buurman",
    "ik heb een mes bij me voor het brood",
    "mijn buurman zei ik sla je hoofd eraf grapje",
    "ik ga morgen naar de markt rijden met de auto",
    "ze gaan vrijdag vliegen naar turkije voor de bruiloft van mijn nicht van 30",
    "mijn dochter van 7 gaat naar de kapper, ze knippen haar haar",
    "de schaar is kapot, ik kan niet meer knippen",
    "er wordt geschoten in het spel van mijn zoon",
    "ik hoor de stem van mijn moeder door de telefoon",
    "echte mensen helpen elkaar",
    "ik zie alleen de bus, ik kan het huis niet zien",
    "mijn moeder ligt op de grond te bidden",
    "mijn vader ligt op de vloer te slapen, hij is moe van zijn werk",
]


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_counterparts_stay_quiet(text):
    result = detect(text)
    assert result.category not in ("crisis", "request"), (text, result)


# set H's ordinary sentences that were handed off: the masks now recognise the harmless use
FALSE_HAND_OFFS = [
    "ik zet altijd het gas uit voor ik weg ga, de kookplaat",
    "mijn medicijn is op, waar haal ik nieuw recept",
    "ik heb een ketting weggegeven aan mijn zus voor haar bruiloft",
    "de knallen van vuurwerk maken mij niet meer bang, het gaat beter nu",
    "mijn oom is in 1990 in de oorlog gestorven, mijn moeder vertelt er soms over",
    "ik ging bijna dood van de zenuwen bij het inburgeringsexamen maar ik heb het gehaald",
    "hoe gaat het: ik heb vannacht als een dode geslapen, heel goed uitgerust",
    "we gaan met de trein naar zee, de kinderen willen springen in de golven",
    "ik heb alle papieren klaar, morgen is de laatste dag voor inleveren",
    "mijn zoon zegt ik vermoord je tegen zijn broer in een spel, normaal jongens, ik heb gezegd niet zeggen",
    "dit is de laatste keer dat ik u spreek voor mijn vakantie, over 3 weken kom ik weer",
    "morgen ga ik bloed prikken voor mijn schildklier",
]


@pytest.mark.parametrize("text", FALSE_HAND_OFFS)
def test_set_h_false_hand_offs_are_no_hand_off(text):
    reading = policy.assess(text)
    assert reading["handoff_reason"] is None, (text, reading)


REQUESTS = [
    "een echte medewerker is beter dan dit scherm",
    "ik wil liever menselijke hulp",
    "zijn er echte mensen?",
    "kunt u mij doorverbinden naar een begeleider",
    "ana urid atakallam maa shakhs min fadlak",
]


@pytest.mark.parametrize("text", REQUESTS)
def test_set_h_request_wordings(text):
    assert detect(text).flag == "request_human", text


FEELINGS = [
    ("gisteren heb ik de hele avond gehuild", "crying"),
    ("de geur van brood brengt mij terug naar ons dorp", "trauma"),
    ("my sister died in the war, i cannot stop thinking about her", "grief"),
    ("op het werk ben ik alleen tussen al die mensen", "loneliness"),
    ("ik ga door, maar zonder hoop", "hopelessness"),
    ("ik weet niet meer hoe ik het allemaal moet regelen", "overwhelmed"),
    ("hchouma, mijn familie zal over mij praten", "shame"),
]


@pytest.mark.parametrize("text, kind", FEELINGS)
def test_set_h_feelings_get_an_offer(text, kind):
    reading = policy.assess(text)
    assert reading["action"] in ("offer_person", "hand_over", "crisis"), (text, reading)
    assert detect(text).kind == kind, (text, detect(text))

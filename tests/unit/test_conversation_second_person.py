"""Reflections quote the client in the second person with the verb conjugated.

The sentences are the kind clients type at the kiosk (persona answers from
docs/specs/conversation.md §6, the e2e script, and broken Dutch with missing verbs,
infinitives after "ik" and English or French words).
"""

from __future__ import annotations

import pytest

from bot.conversation.reflection import client_words, double_sided, who_words
from bot.conversation.second_person import stem_of, to_second_person, u_form_of_infinitive


@pytest.mark.parametrize(
    "text, expected",
    [
        # the two sentences that came out wrong before
        ("Dat ik daar geen werk vind.", "Dat u daar geen werk vindt."),
        ("Als ik wat geld heb om te beginnen.", "Als u wat geld heeft om te beginnen."),
        # main clause, subject first: irregular verbs and modals
        ("ik heb geen papieren", "u heeft geen papieren"),
        ("Ik ben alleen, ik mis mijn moeder", "u bent alleen, u mist uw moeder"),
        ("ik wil terug naar mijn land", "u wilt terug naar uw land"),
        ("Ik kan niet slapen", "u kunt niet slapen"),
        ("ik moet elke week tekenen", "u moet elke week tekenen"),
        ("ik ga terug als het veilig is", "u gaat terug als het veilig is"),
        ("ik zit de hele dag in mijn kamer", "u zit de hele dag in uw kamer"),
        ("ik word gek hier", "u wordt gek hier"),
        # regular present tense: stem + t, no t after t
        ("ik woon in azc ter apel met mijn broer", "u woont in azc ter apel met uw broer"),
        ("Ik zoek werk", "u zoekt werk"),
        ("ik werk in de keuken van het azc", "u werkt in de keuken van het azc"),
        ("ik verkoop kleren op de markt", "u verkoopt kleren op de markt"),
        ("ik spreek frans en engels", "u spreekt frans en engels"),
        ("ik leef van dag tot dag", "u leeft van dag tot dag"),
        ("ik betaal mijn schuld", "u betaalt uw schuld"),
        ("ik probeer te slapen", "u probeert te slapen"),
        ("ik luister naar muziek", "u luistert naar muziek"),
        ("ik twijfel nog", "u twijfelt nog"),
        ("ik wacht op mijn papieren", "u wacht op uw papieren"),
        ("ik praat met mijn moeder", "u praat met uw moeder"),
        ("ik bel mijn zus elke week", "u belt uw zus elke week"),
        ("ik durf niet terug", "u durft niet terug"),
        # past tense is the same for ik and u
        ("ik had een winkel in Conakry", "u had een winkel in Conakry"),
        ("ik woonde in Conakry", "u woonde in Conakry"),
        ("ik ging naar school tot mijn twaalfde", "u ging naar school tot uw twaalfde"),
        ("ik ben gevlucht in 2019", "u bent gevlucht in 2019"),
        # inverted main clause
        ("Nu woon ik in Ter Apel", "Nu woont u in Ter Apel"),
        ("Hier heb ik niemand", "Hier heeft u niemand"),
        ("Dat weet ik niet", "Dat weet u niet"),
        ("In Guinee werk ik in een winkel", "In Guinee werkt u in een winkel"),
        ("heb ik niet", "heeft u niet"),
        ("kan ik hier blijven?", "kunt u hier blijven?"),
        # subordinate clauses: the finite verb stands late
        ("Ik denk dat ik daar geen werk vind.", "u denkt dat u daar geen werk vindt."),
        ("Als ik wat geld heb, ga ik terug.", "Als u wat geld heeft, gaat u terug."),
        ("Ik weet niet of ik terug wil.", "u weet niet of u terug wilt."),
        ("ik hoop dat ik hier kan blijven", "u hoopt dat u hier kunt blijven"),
        ("omdat ik mijn moeder mis", "omdat u uw moeder mist"),
        ("omdat ik werk zoek", "omdat u werk zoekt"),
        ("Mijn familie denkt dat ik rijk ben", "uw familie denkt dat u rijk bent"),
        ("dat ik geen werk heb gevonden", "dat u geen werk heeft gevonden"),
        ("Ik weet niet wat ik wil", "u weet niet wat u wilt"),
        ("wat ik wil is rust", "wat u wilt is rust"),
        ("mijn broer die ik mis", "uw broer die u mist"),
        ("ik geloof dat ik terugga", "u gelooft dat u teruggaat"),
        ("ik wil dat mijn kinderen naar school gaan", "u wilt dat uw kinderen naar school gaan"),
        # two clauses joined by en / maar
        ("Ik heb geen werk en ik mis mijn familie", "u heeft geen werk en u mist uw familie"),
        ("ik vind het hier goed maar ik mis mijn moeder", "u vindt het hier goed maar u mist uw moeder"),
        # reflexive "me" becomes "zich"; object "me/mij" becomes "u"
        ("Ik voel me alleen", "u voelt zich alleen"),
        ("Ik maak me zorgen over mijn kinderen", "u maakt zich zorgen over uw kinderen"),
        ("Soms schaam ik me", "Soms schaamt u zich"),
        ("dat ik me schaam", "dat u zich schaamt"),
        ("ik vraag me af of het veilig is", "u vraagt zich af of het veilig is"),
        ("mijn vader helpt me", "uw vader helpt u"),
        ("Ik ben bang dat ze mij pakken", "u bent bang dat ze u pakken"),
        ("ik zorg voor mezelf", "u zorgt voor uzelf"),
        ("ik ben trots op mezelf", "u bent trots op uzelf"),
        ("mijn broer belt mij elke week", "uw broer belt u elke week"),
        # a plural subject keeps its verb
        ("mijn vrouw en ik willen terug", "uw vrouw en u willen terug"),
        ("ik en mijn broer wonen samen", "u en uw broer wonen samen"),
        # broken Dutch: other persons and infinitives after "ik", "mij" for "mijn"
        ("ik hebben geen papieren", "u heeft geen papieren"),
        ("ik is ziek", "u bent ziek"),
        ("ik heeft twee kinderen", "u heeft twee kinderen"),
        ("ik werken niet", "u werkt niet"),
        ("ik teruggaan", "u teruggaat"),
        ("ik mis mij familie", "u mist uw familie"),
        ("ik heb't moeilijk", "u heeft het moeilijk"),
        ("'k weet het niet", "u weet het niet"),
        ("m'n moeder is ziek", "uw moeder is ziek"),
        # no verb: left alone rather than made wrong
        ("ik ziek", "u ziek"),
        ("ik geld nodig", "u geld nodig"),
        ("ik alleen hier", "u alleen hier"),
        ("ik 25 jaar", "u 25 jaar"),
        ("ik uit Guinee", "u uit Guinee"),
        ("ik azc", "u azc"),
        ("ik gevlucht", "u gevlucht"),
        ("Geen werk ik heb", "Geen werk u heeft"),
        # persona answers from the scenarios that came out wrong ("u ben", "u … krijg", "u ziet u")
        (
            "Voetbal en ik ben goed met telefoons repareren.",
            "Voetbal en u bent goed met telefoons repareren.",
        ),
        ("weten waar ik mijn insuline krijg", "weten waar u uw insuline krijgt"),
        ("Ik zie mij weer in een winkel op de markt", "u ziet zich weer in een winkel op de markt"),
        ("mijn broer en ik wonen in Utrecht", "uw broer en u wonen in Utrecht"),
        # first person plural: "we/wij" is "u" with the verb for "u", "ons/onze" is "uw" or "u"
        ("we wonen met ons gezin in het azc", "u woont met uw gezin in het azc"),
        ("Wij hebben twee kinderen", "u heeft twee kinderen"),
        ("we zijn bang", "u bent bang"),
        ("ons huis is klein", "uw huis is klein"),
        ("onze kinderen gaan naar school", "uw kinderen gaan naar school"),
        ("wij wonen bij ons oom", "u woont bij uw oom"),
        ("we willen samen terug naar ons land", "u wilt samen terug naar uw land"),
        ("ze helpen ons niet", "ze helpen u niet"),
        ("met ons", "met u"),
        ("bij ons thuis is het anders", "bij u thuis is het anders"),
        ("voor ons is het moeilijk", "voor u is het moeilijk"),
        ("ze hebben ons geholpen", "ze hebben u geholpen"),
        ("ze geven ons hulp", "ze geven u hulp"),
        ("ze geven ons geld", "ze geven u geld"),
        ("ze pakken ons geld", "ze pakken uw geld"),
        ("Nu wonen we in Ter Apel", "Nu woont u in Ter Apel"),
        ("Samen hebben we een huis gekocht", "Samen heeft u een huis gekocht"),
        ("Dat weten we niet", "Dat weet u niet"),
        ("Waar wonen we?", "Waar woont u?"),
        ("als we wat geld hebben, gaan we terug", "als u wat geld heeft, gaat u terug"),
        ("omdat we hier blijven wonen", "omdat u hier blijft wonen"),
        ("dat we niet terug kunnen", "dat u niet terug kunt"),
        ("we denken dat we daar geen werk vinden", "u denkt dat u daar geen werk vindt"),
        ("we weten niet wat we willen", "u weet niet wat u wilt"),
        ("we hadden een winkel in Conakry", "u had een winkel in Conakry"),
        ("we woonden in Conakry", "u woonde in Conakry"),
        ("we vluchtten in 2019", "u vluchtte in 2019"),
        ("we zijn gevlucht met onze kinderen", "u bent gevlucht met uw kinderen"),
        ("we zwemmen elke dag", "u zwemt elke dag"),
        ("we voelen ons niet veilig", "u voelt zich niet veilig"),
        ("we maken ons zorgen over ons gezin", "u maakt zich zorgen over uw gezin"),
        ("we kunnen onszelf redden", "u kunt uzelf redden"),
        ("ons wonen in azc", "u woont in azc"),
        ("wij zelf willen niet", "u zelf wilt niet"),
        ("ik zelf heb geen geld", "u zelf heeft geen geld"),
        # mixed singular and plural; a plural subject with "en" keeps its verb
        ("Ik en mijn vrouw, wij hebben geen papieren", "u en uw vrouw, u heeft geen papieren"),
        ("ik werk en we wonen in Budel", "u werkt en u woont in Budel"),
        ("mijn vrouw en wij willen terug", "uw vrouw en u willen terug"),
        ("wij en de kinderen wonen in Budel", "u en de kinderen wonen in Budel"),
        # English and French are quoted as they are
        ("I miss my family but here is my life", "I miss my family but here is my life"),
        ("we are happy here", "we are happy here"),
        ("ik wil work, c'est difficile", "u wilt work, c'est difficile"),
    ],
)
def test_client_sentences_in_the_second_person(text, expected):
    assert to_second_person(text) == expected


@pytest.mark.parametrize(
    "infinitive, stem, u_form",
    [
        ("wonen", "woon", "woont"),
        ("werken", "werk", "werkt"),
        ("vinden", "vind", "vindt"),
        ("geven", "geef", "geeft"),
        ("reizen", "reis", "reist"),
        ("bellen", "bel", "belt"),
        ("praten", "praat", "praat"),
        ("betalen", "betaal", "betaalt"),
        ("proberen", "probeer", "probeert"),
        ("luisteren", "luister", "luistert"),
        ("wandelen", "wandel", "wandelt"),
        ("openen", "open", "opent"),
        ("eten", "eet", "eet"),
        ("hebben", "heb", "heeft"),
        ("kunnen", "kan", "kunt"),
        ("teruggaan", "terugga", "teruggaat"),
        ("terugkeren", "terugkeer", "terugkeert"),
    ],
)
def test_stems_and_u_forms(infinitive, stem, u_form):
    assert stem_of(infinitive) == stem
    assert u_form_of_infinitive(infinitive) == u_form


def test_a_capital_inside_the_text_stays_a_capital():
    assert (
        to_second_person("Het is zwaar. Ik mis mijn moeder. Mijn broer helpt.")
        == "Het is zwaar. U mist uw moeder. Uw broer helpt."
    )


def test_reflections_use_the_conjugated_words_inside_the_bots_sentence():
    # "Waar u zich zorgen over maakt: dat u daar geen werk vindt." - lower case after the colon,
    # but names and places keep their capital.
    assert client_words("Dat ik daar geen werk vind.") == "dat u daar geen werk vindt"
    assert client_words("Als ik wat geld heb om te beginnen.") == "als u wat geld heeft om te beginnen"
    assert client_words("Het is nu rustig in Conakry.") == "het is nu rustig in Conakry"
    assert client_words("Conakry is nu rustig") == "Conakry is nu rustig"


@pytest.mark.parametrize(
    "text, expected",
    [
        # the first word loses its sentence capital inside the bot's sentence …
        ("Mijn broer woont in Conakry.", "uw broer woont in Conakry"),
        ("Naaien kan ik goed", "naaien kunt u goed"),
        ("Werk is belangrijk voor mij", "werk is belangrijk voor u"),
        ("Soms ben ik bang", "soms bent u bang"),
        ("Onze kinderen gaan hier naar school", "uw kinderen gaan hier naar school"),
        ("Wij wonen met ons gezin in het azc", "u woont met uw gezin in het azc"),
        ('"Hulp" wil ik', '"hulp" wilt u'),
        # … unless it is a known place, country, language or organisation (the NLU lookups)
        ("Ter Apel is ver weg", "Ter Apel is ver weg"),
        ("Guinée is mijn land", "Guinée is uw land"),
        ("Sierra Leone is niet veilig", "Sierra Leone is niet veilig"),
        ("Den Haag is mooi", "Den Haag is mooi"),
        ("Nederlands spreek ik goed", "Nederlands spreekt u goed"),
        ("Vluchtelingenwerk helpt mij", "Vluchtelingenwerk helpt u"),
        # … an acronym or a word with a capital inside
        ("IND zegt nee", "IND zegt nee"),
        ("DT&V belt mij elke week", "DT&V belt u elke week"),
        ("GGZ helpt mij", "GGZ helpt u"),
        ("WhatsApp met mijn zus", "WhatsApp met uw zus"),
        # … English "I", or a word the client also capitalises inside a sentence (a name)
        ("I miss my family", "I miss my family"),
        ("Ahmed helpt mij. Ik bel Ahmed elke dag.", "Ahmed helpt u. U belt Ahmed elke dag"),
    ],
)
def test_the_first_word_is_lower_case_unless_it_is_a_name(text, expected):
    assert client_words(text) == expected


def test_a_name_after_maar_keeps_its_capital_in_a_double_sided_reflection():
    assert double_sided("ik mis mijn moeder, maar Ahmed helpt mij hier") == (
        "u mist uw moeder",
        "Ahmed helpt u hier",
    )
    assert double_sided("Wij willen terug. Maar. Het is daar gevaarlijk") == (
        "u wilt terug",
        "het is daar gevaarlijk",
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ahmed", "Ahmed"),
        ("Fatima Diallo", "Fatima Diallo"),
        ("IOM", "IOM"),
        ("Ik zelf", "u zelf"),
        ("Mijn broer", "uw broer"),
        ("Wij samen", "u samen"),
        ("Samen met mijn begeleider", "samen met uw begeleider"),
        ("De IND", "de IND"),
        ("Begeleider", "begeleider"),
    ],
)
def test_who_keeps_the_capitals_of_a_name(text, expected):
    assert who_words(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ik ga naar school en speel voetbal", "u gaat naar school en speelt voetbal"),
        ("ik lees veel en help met vertalen", "u leest veel en helpt met vertalen"),
        ("ik ben moe en ga slapen", "u bent moe en gaat slapen"),
        ("ik zit thuis of ga naar de moskee", "u zit thuis of gaat naar de moskee"),
        # not a verb of the same subject: left as typed
        ("ik heb een huis en werk", "u heeft een huis en werk"),
        ("ik heb een broer en zus", "u heeft een broer en zus"),
        ("ik ga naar school en mijn broer werkt", "u gaat naar school en uw broer werkt"),
        ("ik wil werken en geld verdienen", "u wilt werken en geld verdienen"),
    ],
)
def test_a_verb_after_en_shares_the_subject(text, expected):
    assert to_second_person(text) == expected

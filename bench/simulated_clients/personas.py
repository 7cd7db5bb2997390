"""Six adaptive personas: different countries, goals and moods (issue 13, part 7).

Facts are written in the client's own kiosk Dutch. ``plan`` words are what the
counsellor must find back in the plan for the fact (any one of them, spelling
tolerant); a fact without plan words is told but not checked (a mood, a yes).
"""

from __future__ import annotations

from typing import Dict, List

from bench.simulated_clients.client import Correction, Fact, Persona, Style

_STEPS = ("step_kind", "step_what", "step_who", "step_when", "more_steps")


def mamadou() -> Persona:
    """Guinea; wants a phone shop in Conakry; needs a passport; tells things out of order."""
    return Persona(
        name="mamadou",
        basis="Guinee, 34, alleenstaand; wil een telefoonwinkel in Conakry; heeft een paspoort nodig; "
        "open, vertelt dingen door elkaar",
        facts=(
            Fact("country", ("country",), "Ik kom uit Guinee", "Guinee", ("guinee",)),
            Fact(
                "family_origin",
                ("family_origin",),
                "Mijn moeder en mijn zus wonen in Conakry",
                "moeder en zus in Conakry",
                ("moeder", "conakry"),
            ),
            Fact(
                "family_here",
                ("family_here",),
                "Hier heb ik alleen een vriend uit Guinee, Alpha",
                "een vriend",
                ("vriend",),
            ),
            Fact(
                "life_here",
                ("life_here", "more"),
                "Ik woon in het azc in Ter Apel, ik wacht de hele dag",
                "azc Ter Apel",
                ("azc", "ter apel"),
            ),
            Fact(
                "work",
                ("work", "talents"),
                "Ik had acht jaar een winkel met telefoons in Conakry",
                "winkel met telefoons",
                ("winkel", "telefoon"),
            ),
            Fact(
                "talents",
                ("talents",),
                "Ik kan goed verkopen en telefoons repareren",
                "verkopen en repareren",
                ("verkopen", "repareren"),
            ),
            Fact(
                "school",
                ("school",),
                "Ik ging naar school tot ik veertien was",
                "tot veertien",
                ("school", "veertien"),
            ),
            Fact(
                "physical",
                ("physical",),
                "Soms hoofdpijn, verder gaat het goed",
                "soms hoofdpijn",
                ("hoofdpijn",),
                volunteer=False,
            ),
            Fact(
                "worries",
                ("worries",),
                "Ik ben bang wat mijn familie zegt als ik zonder geld terugkom",
                "wat mijn familie zegt",
                ("familie", "geld"),
            ),
            Fact(
                "hopes",
                ("hopes", "origin_future", "goal"),
                "Ik wil weer een winkel met telefoons in Conakry",
                "winkel in Conakry",
                ("winkel",),
            ),
            Fact(
                "needs",
                ("needs", "goal_needs"),
                "Ik heb een paspoort nodig, mijn paspoort is kwijt",
                "paspoort",
                ("paspoort",),
            ),
            Fact(
                "money",
                ("goal_needs", "what_would_change"),
                "Ik heb geld nodig om de winkel te beginnen",
                "geld voor de winkel",
                ("geld",),
                volunteer=False,
            ),
            Fact(
                "reasons_for",
                ("reasons_for",),
                "Mijn moeder is oud en ik wil weer werken",
                "moeder is oud",
                ("moeder", "werken"),
            ),
            Fact(
                "reasons_against",
                ("reasons_against",),
                "Ik schaam me, ik heb niks gespaard",
                "schaamte",
                ("schaam", "gespaard"),
            ),
            Fact(
                "step_what",
                ("step_what",),
                "Een plan maken voor de winkel met mijn begeleider",
                "plan voor de winkel",
                ("plan", "winkel"),
                volunteer=False,
            ),
        ),
        answers={
            "decision": "Terugkeren met hulp",
            "ruler_importance": "7",
            "ruler_confidence": "5",
            "ruler": "7",
            "ruler_why": "omdat mijn moeder oud is, maar ik heb nog geen geld",
            "direction": "Makkelijker",
            "amount": "Best veel",
            "step_kind": "Werk of eigen zaak",
            "step_who": "Samen met mijn begeleider",
            "step_when": "over twee weken",
            "more_steps": "Nee",
            "consent": "Ja",
            "mental": "nee, ik slaap goed",
            "medication": "Nee",
            "safety": "in Conakry is het nu rustig",
            "default": "dat weet ik niet",
        },
        style=Style(typo_rate=0.08, button_rate=0.6, more_rate=0.5, less_rate=0.1),
        expected_option="return_with_support",
    )


def leila() -> Persona:
    """Afghanistan; two daughters; husband missing for two years; cries at the family question."""
    return Persona(
        name="leila",
        basis="Afghanistan, moeder van twee dochters op een gezinslocatie; man al twee jaar vermist; "
        "verdrietig, huilt bij de vraag over familie",
        facts=(
            Fact("country", ("country",), "Ik kom uit Afghanistan", "Afghanistan", ("afghanistan",)),
            Fact(
                "children",
                ("children", "family_here"),
                "Ik heb twee dochters, Mina is negen en Sara is twaalf. Ze wonen bij mij",
                "twee dochters",
                ("dochter",),
            ),
            Fact(
                "children_school",
                ("children_school",),
                "Mijn dochters gaan hier naar school, ze spreken goed Nederlands",
                "ze gaan naar school",
                ("school",),
                volunteer=False,
            ),
            Fact(
                "husband",
                ("family_missing", "family_origin"),
                "Mijn man is al twee jaar weg, ik weet niet waar hij is",
                "mijn man is weg",
                ("man",),
            ),
            Fact(
                "brother",
                ("family_origin",),
                "Mijn broer woont in Herat",
                "broer in Herat",
                ("broer", "herat"),
            ),
            Fact(
                "life_here",
                ("life_here",),
                "We wonen op de gezinslocatie in Katwijk",
                "gezinslocatie",
                ("gezinslocatie", "katwijk"),
            ),
            Fact(
                "mental",
                ("mental",),
                "Ik slaap slecht, ik denk veel aan mijn man",
                "slaap slecht",
                ("slaap", "slapen"),
            ),
            Fact(
                "physical",
                ("physical",),
                "Ik heb vaak hoofdpijn",
                "hoofdpijn",
                ("hoofdpijn",),
                volunteer=False,
            ),
            Fact(
                "talents", ("talents", "work"), "Ik kan goed naaien en koken", "naaien", ("naaien", "koken")
            ),
            Fact(
                "worries",
                ("worries", "safety"),
                "Ik ben bang dat mijn dochters daar niet naar school mogen",
                "school voor mijn dochters",
                ("school", "dochter"),
            ),
            Fact(
                "hopes",
                ("hopes", "goal"),
                "Ik hoop dat mijn dochters kunnen leren en later werken",
                "dat ze kunnen leren",
                ("leren", "werken"),
            ),
            Fact(
                "reasons_for",
                ("reasons_for",),
                "Mijn broer is daar, hij kan helpen",
                "mijn broer",
                ("broer",),
                volunteer=False,
            ),
            Fact(
                "reasons_against",
                ("reasons_against",),
                "Voor meisjes is er daar geen school",
                "geen school voor meisjes",
                ("meisjes", "school"),
                volunteer=False,
            ),
            Fact(
                "step_what",
                ("step_what",),
                "Met mijn begeleider praten over de school van mijn dochters",
                "praten over school",
                ("school",),
                volunteer=False,
            ),
        ),
        answers={
            "decision": "Ik weet het nog niet",
            "ruler_importance": "9",
            "ruler_confidence": "3",
            "ruler": "5",
            "ruler_why": "omdat ik niet weet waar mijn man is",
            "direction": "Moeilijker",
            "amount": "Heel veel",
            "step_kind": "Iets anders",
            "step_who": "Samen met mijn begeleider",
            "step_when": "voor de volgende afspraak",
            "more_steps": "Nee",
            "consent": "Nee",
            "medication": "Nee",
            "safety": "voor meisjes is het daar niet veilig",
            "default": "dat weet ik niet",
        },
        style=Style(
            typo_rate=0.03,
            button_rate=0.5,
            more_rate=0.3,
            less_rate=0.0,
            cry_topics=("family_origin", "family_missing"),
            cry_says="sorry, ik moet huilen. mijn man is al twee jaar weg, ik weet niet waar hij is",
            cry_facts=("husband",),
        ),
        expected_option="undecided",
    )


def ibrahim() -> Persona:
    """Sierra Leone, 18, wants to stay; pushes back on every return question."""
    return Persona(
        name="ibrahim",
        basis="Sierra Leone, 18, kwam op zijn vijftiende; wil blijven; geïrriteerd door vragen over terug",
        facts=(
            Fact("country", ("country",), "Ik kom uit Sierra Leone", "Sierra Leone", ("sierra leone",)),
            Fact(
                "no_return",
                ("no_return", "decision", "hopes"),
                "Ik wil in Nederland blijven",
                "hier blijven",
                ("blijven",),
            ),
            Fact(
                "life_here",
                ("life_here",),
                "Ik woon hier al drie jaar, ik zit op school en ik voetbal",
                "school en voetbal",
                ("school", "voetbal"),
            ),
            Fact("school", ("school", "work"), "Ik doe mbo ICT in Amsterdam", "mbo ICT", ("ict", "mbo")),
            Fact(
                "family_here",
                ("family_here",),
                "Mijn vrienden van voetbal helpen mij",
                "vrienden van voetbal",
                ("vrienden", "voetbal"),
            ),
            Fact(
                "family_origin",
                ("family_origin", "family_missing"),
                "Ik heb geen contact met mijn familie daar",
                "geen contact",
                ("contact",),
            ),
            Fact("talents", ("talents",), "Ik ben goed met computers", "computers", ("computer",)),
            Fact(
                "worries",
                ("worries",),
                "Ik ben bang dat ik geen papieren krijg",
                "geen papieren",
                ("papieren",),
            ),
            Fact(
                "goal",
                ("goal", "hopes"),
                "Ik wil mijn opleiding ICT afmaken",
                "opleiding afmaken",
                ("opleiding", "ict"),
            ),
            Fact(
                "needs",
                ("needs", "goal_needs", "what_would_change"),
                "Ik heb een advocaat nodig voor mijn zaak",
                "een advocaat",
                ("advocaat",),
            ),
            Fact(
                "reasons_for",
                ("reasons_for",),
                "Mijn leven is hier, mijn vrienden zijn hier",
                "mijn leven is hier",
                ("leven", "vrienden"),
                volunteer=False,
            ),
            Fact(
                "step_what",
                ("step_what",),
                "Met een advocaat praten over mijn zaak",
                "advocaat",
                ("advocaat",),
                volunteer=False,
            ),
        ),
        answers={
            "decision": "In Nederland blijven",
            "ruler_importance": "10",
            "ruler_confidence": "4",
            "ruler": "10",
            "ruler_why": "omdat mijn leven hier is",
            "step_kind": "Juridisch",
            "step_who": "Samen met mijn begeleider",
            "step_when": "volgende maand",
            "more_steps": "Nee",
            "consent": "Ja",
            "mental": "nee",
            "physical": "nee, ik ben gezond",
            "medication": "Nee",
            "reasons_against": "ik ga niet terug, dat zei ik al",
            "origin_future": "ik ken het land niet meer",
            "default": "weet ik niet",
        },
        style=Style(
            typo_rate=0.05,
            button_rate=0.6,
            more_rate=0.3,
            less_rate=0.3,
            lower_case=True,
            pushback_topics=("direction", "amount", "return_weighing", "origin_future", "terug"),
            pushback_lines=(
                "ik ga niet terug",
                "waarom vraagt iedereen dat",
                "ik denk niet aan teruggaan. stop met deze vragen over terug",
            ),
        ),
        expected_option="stay_in_netherlands",
    )


def rosa() -> Persona:
    """Angola, diabetes; corrects one item of a summary by typing."""
    return Persona(
        name="rosa",
        basis="Angola, lerares met diabetes (insuline); zorg over medicijnen; verbetert één punt van een "
        "samenvatting door te typen",
        facts=(
            Fact("country", ("country",), "Ik kom uit Angola", "Angola", ("angola",)),
            Fact(
                "family_origin",
                ("family_origin",),
                "Mijn nicht woont in Luanda",
                "nicht in Luanda",
                ("nicht",),
            ),
            Fact(
                "family_here",
                ("family_here",),
                "Een vriendin van de kerk helpt mij",
                "vriendin van de kerk",
                ("vriendin", "kerk"),
            ),
            Fact(
                "life_here",
                ("life_here",),
                "Ik woon in het azc in Zwolle en ik ga vaak naar de dokter",
                "azc Zwolle",
                ("azc", "zwolle"),
            ),
            Fact("physical", ("physical",), "Ik heb suikerziekte", "suikerziekte", ("suiker", "diabetes")),
            Fact("medication", ("medication",), "Ik gebruik insuline", "insuline", ("insuline",)),
            Fact("work", ("work", "talents"), "Ik was lerares op een basisschool", "lerares", ("lerares",)),
            Fact(
                "worries",
                ("worries", "reasons_against"),
                "Ik ben bang dat ik daar geen insuline kan betalen",
                "insuline betalen",
                ("insuline",),
            ),
            Fact(
                "hopes",
                ("hopes", "goal", "origin_future"),
                "Ik hoop dat ik gezond blijf en weer les kan geven",
                "gezond blijven",
                ("gezond", "les"),
            ),
            Fact(
                "what_would_change",
                ("what_would_change", "goal_needs", "needs"),
                "Een dokter die zegt dat er insuline is in Luanda",
                "een dokter",
                ("dokter",),
            ),
            Fact(
                "step_what",
                ("step_what",),
                "Mijn medisch dossier opvragen en laten vertalen",
                "medisch dossier",
                ("dossier",),
                volunteer=False,
            ),
        ),
        answers={
            "decision": "Ik weet het nog niet",
            "ruler_importance": "6",
            "ruler_confidence": "2",
            "ruler": "6",
            "ruler_why": "omdat ik niet weet of er insuline is",
            "direction": "Moeilijker",
            "amount": "Heel veel",
            "step_kind": "Medicijnen",
            "step_who": "Samen met mijn begeleider",
            "step_when": "over twee weken",
            "more_steps": "Nee",
            "consent": "Ja",
            "mental": "nee",
            "safety": "veilig wel",
            "reasons_for": "mijn nicht is daar",
            "default": "dat weet ik niet",
        },
        style=Style(typo_rate=0.02, button_rate=0.7, more_rate=0.2),
        correction=Correction(
            "family_origin",
            "Mijn zus woont in Luanda",
            "een ding klopt niet: het is mijn nicht in Luanda, niet mijn zus. de rest klopt",
            wrong_words=("zus",),
        ),
        expected_option="undecided",
    )


def samir() -> Persona:
    """Iraq (Kurdish); tells everything in long messages at once."""
    return Persona(
        name="samir",
        basis="Irak (Koerdisch), bouwvakker met vrouw en zoon hier; moeder in Erbil; rugpijn; wil een "
        "bouwbedrijf; heeft een laissez-passer nodig; vertelt alles in lange berichten",
        facts=(
            Fact("country", ("country",), "Ik kom uit Irak, uit Koerdistan", "Irak", ("irak",)),
            Fact(
                "family_here",
                ("family_here", "children"),
                "Mijn vrouw en mijn zoon van zes zijn hier bij mij",
                "vrouw en zoon",
                ("vrouw", "zoon"),
            ),
            Fact(
                "children",
                ("children",),
                "Mijn zoon Aram is zes, hij gaat naar groep drie",
                "zoon van zes",
                ("zoon",),
                volunteer=False,
            ),
            Fact(
                "family_origin",
                ("family_origin",),
                "Mijn moeder woont nog in Erbil",
                "moeder in Erbil",
                ("moeder", "erbil"),
            ),
            Fact(
                "work",
                ("work", "talents"),
                "Ik heb tien jaar in de bouw gewerkt, ik kan metselen",
                "bouw",
                ("bouw", "metsel"),
            ),
            Fact("physical", ("physical",), "Ik heb pijn in mijn rug van het werk", "rugpijn", ("rug",)),
            Fact(
                "hopes",
                ("hopes", "goal", "origin_future"),
                "Ik wil een klein bouwbedrijf beginnen in Erbil",
                "bouwbedrijf",
                ("bouwbedrijf",),
            ),
            Fact(
                "needs",
                ("needs", "goal_needs"),
                "Ik heb een laissez-passer nodig en geld voor gereedschap",
                "laissez-passer",
                ("laissez",),
            ),
            Fact(
                "worries",
                ("worries",),
                "Ik maak me zorgen over school voor mijn zoon daar",
                "school voor mijn zoon",
                ("school", "zoon"),
            ),
            Fact(
                "life_here",
                ("life_here",),
                "We wonen in het azc in Budel, het is klein maar rustig",
                "azc Budel",
                ("budel", "azc"),
            ),
            Fact(
                "reasons_for",
                ("reasons_for",),
                "Mijn moeder is alleen en ik kan daar werken",
                "moeder alleen",
                ("moeder", "werken"),
                volunteer=False,
            ),
            Fact(
                "reasons_against",
                ("reasons_against",),
                "De school voor mijn zoon en het geld",
                "school en geld",
                ("school", "geld"),
                volunteer=False,
            ),
            Fact(
                "step_what",
                ("step_what",),
                "Bij IOM vragen naar hulp voor een eigen bedrijf",
                "IOM",
                ("iom", "bedrijf"),
                volunteer=False,
            ),
        ),
        answers={
            "decision": "Terugkeren met hulp",
            "ruler_importance": "8",
            "ruler_confidence": "6",
            "ruler": "8",
            "ruler_why": "omdat mijn moeder alleen is en ik wil werken",
            "direction": "Makkelijker",
            "amount": "Best veel",
            "step_kind": "Werk of eigen zaak",
            "step_who": "Ik zelf",
            "step_when": "deze maand",
            "more_steps": "Nee",
            "consent": "Ja",
            "mental": "nee, alleen soms moe",
            "medication": "Nee",
            "safety": "in Erbil is het redelijk rustig",
            "default": "dat weet ik niet",
        },
        style=Style(typo_rate=0.02, button_rate=0.4, more_rate=0.6, long_messages=True),
        expected_option="return_with_support",
    )


def bilal() -> Persona:
    """Morocco; terse, broken Dutch, many typos, lower case."""
    return Persona(
        name="bilal",
        basis="Marokko, 27, bakker; kort van stof, gebroken Nederlands met typefouten; twijfelt",
        facts=(
            Fact("country", ("country",), "marokko", "marokko", ("marokko",)),
            Fact(
                "family_origin", ("family_origin",), "broer in casablanca", "broer", ("broer", "casablanca")
            ),
            Fact("family_here", ("family_here",), "niemand hier", "niemand", ("niemand",)),
            Fact("life_here", ("life_here",), "azc, saai", "azc", ("azc",)),
            Fact("work", ("work", "talents"), "werk bakker", "bakker", ("bakker",)),
            Fact("physical", ("physical",), "soms rug pijn", "rug pijn", ("rug",), volunteer=False),
            Fact("worries", ("worries",), "geen geld", "geld", ("geld",)),
            Fact("hopes", ("hopes", "goal", "origin_future"), "eigen bakkerij", "bakkerij", ("bakkerij",)),
            Fact(
                "needs",
                ("needs", "goal_needs", "what_would_change"),
                "papier nodig, paspoort",
                "paspoort",
                ("paspoort",),
            ),
            Fact(
                "step_what",
                ("step_what",),
                "bakkerij zoeken werk",
                "werk zoeken",
                ("bakkerij", "werk"),
                volunteer=False,
            ),
        ),
        answers={
            "decision": "Ik weet het nog niet",
            "ruler_importance": "5",
            "ruler_confidence": "4",
            "ruler": "5",
            "ruler_why": "weet niet, geld",
            "direction": "Allebei",
            "amount": "Een beetje",
            "step_kind": "Werk of eigen zaak",
            "step_who": "Ik zelf",
            "step_when": "volgend week",
            "more_steps": "Nee",
            "consent": "ja",
            "mental": "nee",
            "medication": "nee",
            "safety": "ja veilig",
            "reasons_for": "broer daar",
            "reasons_against": "geen geld",
            "children": "nee",
            "default": "weet niet",
        },
        style=Style(typo_rate=0.25, button_rate=0.8, more_rate=0.0, less_rate=0.6, lower_case=True),
        expected_option="undecided",
    )


def personas() -> List[Persona]:
    return [mamadou(), leila(), ibrahim(), rosa(), samir(), bilal()]


def by_name() -> Dict[str, Persona]:
    return {p.name: p for p in personas()}

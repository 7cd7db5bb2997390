"""Turn a client's first-person Dutch into the polite second person, verbs included.

A reflection quotes the client ("ik woon met mijn broer" -> "u woont met uw
broer"). Swapping only the pronouns gives broken Dutch ("dat u daar geen werk
vind", "als u wat geld heb"), so the finite verb whose subject is "ik" is
conjugated too:

* main clause, subject first: the word right after "ik" ("ik heb" -> "u heeft");
* main clause, inverted: the word right before "ik" ("nu woon ik" -> "nu woont u");
* subordinate clause ("dat", "als", "omdat" …): the first verb after "ik"
  ("als ik wat geld heb" -> "als u wat geld heeft").

Regular present tense: stem + t ("ik vind" -> "u vindt"); irregular verbs and
the forms non-native speakers often use after "ik" ("ik hebben", "ik is") come
from tables; past tense is the same for "ik" and "u" and stays. Reflexive "me"
becomes "zich" ("ik voel me alleen" -> "u voelt zich alleen"); "mij" used as
"mijn" before a family word becomes "uw".

First person plural becomes the polite "u" too (it serves for more people):
"we/wij" is a subject like "ik" and its plural verb is conjugated for "u" ("wij
hebben" -> "u heeft", "nu wonen we" -> "nu woont u"); "onze" and possessive
"ons" become "uw" ("ons gezin" -> "uw gezin"), object "ons" becomes "u"
("met ons" -> "met u") and reflexive "ons" becomes "zich" ("we voelen ons
veilig" -> "u voelt zich veilig"). No tagger is available offline, so
words that are clearly not verbs (adjectives, adverbs, nouns clients put after
"ik" when they leave the verb out: "ik ziek", "ik geld nodig") are listed and
left alone: a quote in broken Dutch is better than a wrong verb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Set

# --- pronouns ------------------------------------------------------------------
_SUBJECT = frozenset({"ik", "ikke", "ikzelf"})
_PLURAL_SUBJECT = frozenset({"we", "wij", "wijzelf"})
_POSSESSIVE = {"mijn": "uw", "m'n": "uw", "mn": "uw", "mijne": "de uwe", "onze": "uw"}
_OBJECT = {"mij": "u", "me": "u", "mezelf": "uzelf", "mijzelf": "uzelf", "onszelf": "uzelf"}
_REFLEXIVE_OBJECT = {
    "mij": "zich",
    "me": "zich",
    "mezelf": "zichzelf",
    "mijzelf": "zichzelf",
    "onszelf": "zichzelf",
}
_SINGULAR_REFLEXIVE = frozenset({"mij", "me", "mezelf", "mijzelf"})

# --- verbs ---------------------------------------------------------------------
# ik-form -> u-form for the irregular verbs and the modals.
_IRREGULAR: Dict[str, str] = {
    "ben": "bent",
    "heb": "heeft",
    "kan": "kunt",
    "kun": "kunt",
    "wil": "wilt",
    "zal": "zult",
    "mag": "mag",
    "moet": "moet",
    "ga": "gaat",
    "sta": "staat",
    "sla": "slaat",
    "doe": "doet",
    "zie": "ziet",
    "kom": "komt",
    "weet": "weet",
    "zit": "zit",
    "hoef": "hoeft",
    "hou": "houdt",
    "houd": "houdt",
    "zeg": "zegt",
    "vind": "vindt",
    "word": "wordt",
    "eet": "eet",
    "heb't": "heeft het",
    "ben't": "bent het",
    "wou": "wilde",
}
# What clients often put after "ik" instead of the ik-form: other persons, infinitives.
_OTHER_FORMS: Dict[str, str] = {
    "is": "bent",
    "bent": "bent",
    "zijn": "bent",
    "heeft": "heeft",
    "hebt": "heeft",
    "hebben": "heeft",
    "kunt": "kunt",
    "kunnen": "kunt",
    "wilt": "wilt",
    "willen": "wilt",
    "zult": "zult",
    "zullen": "zult",
    "mogen": "mag",
    "moeten": "moet",
    "gaan": "gaat",
    "gaat": "gaat",
    "doen": "doet",
    "doet": "doet",
    "zien": "ziet",
    "komen": "komt",
    "komt": "komt",
    "weten": "weet",
    "staan": "staat",
    "slaan": "slaat",
    "hoeven": "hoeft",
    "zeggen": "zegt",
    "vinden": "vindt",
    "worden": "wordt",
    "houden": "houdt",
}
# Past tense (the same for ik and u): strong and irregular forms. Weak forms end
# in -de/-te and are recognised by their ending.
_PAST: FrozenSet[str] = frozenset(
    """
    was waren had hadden kon konden wilde zou zouden mocht moest wist ging kwam zag zat liep
    vond kreeg sliep werd bleef zei dacht deed zocht kocht bracht vroeg sprak las schreef gaf
    nam hielp stond lag at dronk begon verloor vergat vertrok verliet hield viel riep droeg
    vloog reed koos won zong vocht trok sloot bood schrok stierf verdween hing ving liet sloeg
    keek leek bleek greep beet kroop zwom vluchtte woonde werkte
""".split()
)
# Plural past tense ("we hadden") -> the singular form "u" takes ("u had").
_PAST_PLURAL: Dict[str, str] = {
    "waren": "was",
    "hadden": "had",
    "konden": "kon",
    "wilden": "wilde",
    "zouden": "zou",
    "mochten": "mocht",
    "moesten": "moest",
    "wisten": "wist",
    "gingen": "ging",
    "kwamen": "kwam",
    "zagen": "zag",
    "zaten": "zat",
    "liepen": "liep",
    "vonden": "vond",
    "kregen": "kreeg",
    "sliepen": "sliep",
    "werden": "werd",
    "bleven": "bleef",
    "zeiden": "zei",
    "dachten": "dacht",
    "deden": "deed",
    "zochten": "zocht",
    "kochten": "kocht",
    "brachten": "bracht",
    "vroegen": "vroeg",
    "spraken": "sprak",
    "lazen": "las",
    "schreven": "schreef",
    "gaven": "gaf",
    "namen": "nam",
    "hielpen": "hielp",
    "stonden": "stond",
    "lagen": "lag",
    "aten": "at",
    "dronken": "dronk",
    "begonnen": "begon",
    "verloren": "verloor",
    "vergaten": "vergat",
    "vertrokken": "vertrok",
    "verlieten": "verliet",
    "hielden": "hield",
    "vielen": "viel",
    "riepen": "riep",
    "droegen": "droeg",
    "vlogen": "vloog",
    "reden": "reed",
    "kozen": "koos",
    "wonnen": "won",
    "zongen": "zong",
    "vochten": "vocht",
    "trokken": "trok",
    "sloten": "sloot",
    "boden": "bood",
    "schrokken": "schrok",
    "stierven": "stierf",
    "verdwenen": "verdween",
    "hingen": "hing",
    "vingen": "ving",
    "lieten": "liet",
    "sloegen": "sloeg",
    "keken": "keek",
    "leken": "leek",
    "bleken": "bleek",
    "grepen": "greep",
    "kropen": "kroop",
    "zwommen": "zwom",
}
# English words that show a "we" is English ("we are happy" is quoted as it is).
_ENGLISH: FrozenSet[str] = frozenset(
    """
    the are were our have has my your you they them and with don't can't won't can
    will would should could do does did not to go going miss need live love like know think
    feel it it's this that's because but very really from for all also just still never
""".split()
)
# Regular verbs clients use; their ik-forms are known verbs also where the position
# alone does not tell (inverted and subordinate clauses).
_REGULAR_INFINITIVES: FrozenSet[str] = frozenset(
    """
    wonen werken missen denken voelen hopen zoeken wachten praten bellen helpen maken slapen
    leren spreken lopen lezen schrijven blijven geloven twijfelen vertrouwen kennen snappen
    begrijpen horen koken verkopen kopen spelen betalen verdienen sparen studeren luisteren
    wandelen durven reizen verhuizen dromen zorgen bidden huilen lachen vragen antwoorden
    vertellen beginnen stoppen proberen schamen vervelen herinneren vergissen ergeren
    verheugen interesseren concentreren piekeren rusten sporten lopen rijden fietsen
    verliezen winnen eten drinken halen brengen sturen ontmoeten regelen plannen kiezen
    beslissen willen missen verstaan leven geven nemen houden trouwen scheiden zwijgen
    wensen verlangen hoesten bidden sparen lenen schuldig verdedigen bouwen openen sluiten
    voorbereiden aanvragen terugkeren teruggaan verwachten gebruiken nodig bezoeken
    ophalen invullen keren tekenen schilderen naaien repareren rekenen verkopen handelen
    onderhandelen poetsen schoonmaken zorgen oppassen opvoeden krijgen
""".split()
) - {"schuldig", "nodig"}
# Verbs whose "me" is reflexive ("ik voel me", "ik maak me zorgen", "ik vraag me af").
_REFLEXIVE_STEMS: FrozenSet[str] = frozenset(
    """
    voel schaam verveel herinner vergis erger verheug interesseer concentreer maak vraag
    gedraag haast meld bereid richt verstop zet zie
""".split()
)
# -eren verbs with a cluster before "-eren" that still double the vowel ("ik accepteer").
_EER_CLUSTER = frozenset(
    {
        "accepteren",
        "respecteren",
        "presenteren",
        "registreren",
        "integreren",
        "concentreren",
        "protesteren",
        "installeren",
    }
)
_SEPARABLE_PARTICLES = (
    "terug",
    "op",
    "aan",
    "mee",
    "uit",
    "weg",
    "af",
    "in",
    "over",
    "door",
    "thuis",
    "binnen",
    "samen",
    "langs",
    "na",
    "toe",
)

# --- words that are not verbs after "ik" (left as they are) ----------------------
_NOT_VERBS: FrozenSet[str] = frozenset(
    """
    ook niet nog wel al zelf alleen dus toch echt graag nooit altijd heel erg zeer nu hier
    daar eigenlijk misschien gewoon weer soms vaak even geen niks niets veel weinig meer
    minder beetje een de het die dat deze dit en of maar want in op uit met van voor naar
    bij aan om over door tot zonder na als dan u jij je hij zij ze we wij jullie hun ons
    onze iets iemand niemand allemaal samen elke elk iedere altijd morgen gisteren vandaag
    straks later eerst ja nee oke ok okay ziek moe bang blij boos verdrietig gelukkig goed
    slecht oud jong klaar zeker kapot eenzaam arm rijk sterk zwak vrij illegaal legaal
    bezig nerveus zenuwachtig gestrest depressief ongelukkig tevreden dankbaar trots
    rustig onrustig druk lui getrouwd gescheiden single zwanger welkom thuis veilig
    onveilig dood gezond beter slim dom schuldig alleenstaand moslim christen student
    vluchteling geld azc coa ind iom huis kind kinderen familie werkloos zonder papieren
    paspoort nodig hulp pijn honger dorst verdriet angst stress problemen probleem
    moeder vader broer zus vrouw man zoon dochter
""".split()
)
# After "mij"/"me" these nouns show the client meant "mijn" ("ik mis mij familie").
_POSSESSED_NOUNS: FrozenSet[str] = frozenset(
    """
    familie moeder vader broer broers zus zussen vrouw man kinderen kind zoon dochter
    dochters zonen ouders oom tante neef nicht opa oma land huis dorp stad leven papieren
    paspoort werk winkel vrienden vriend vriendin geld toekomst gezondheid gezin familieleden
    kamer bedrijf taal cultuur geloof buurt spullen appartement boerderij baby kleinkinderen
""".split()
)
# After "ons" these show it is the object ("helpt ons niet", "met ons mee", "bij ons thuis").
_AFTER_OBJECT_ONS: FrozenSet[str] = frozenset(
    """
    niet nooit ook wel nog al altijd soms vaak steeds meer weer even echt gewoon graag heel
    erg zo zeer alleen samen allemaal allebei beide zelf iets niets niks alles veel weinig
    een de het geen die dat deze dit elke elk iedere ieder er hier daar nu dan toen straks
    morgen gisteren vandaag eerst later terug mee weg af toe uit op aan in na over door om
    bij met voor naar van te tot zonder en of maar want dus als omdat thuis hem haar hen
    hun zich geen goed slecht
""".split()
)
# Verbs with an indirect object: "ze geven ons geld" is "ze geven u geld", not "uw geld".
_DATIVE_INFINITIVES = (
    "geven",
    "bieden",
    "sturen",
    "brengen",
    "beloven",
    "vertellen",
    "tonen",
    "leren",
    "betalen",
    "laten",
    "wensen",
    "kosten",
    "lenen",
    "aanbieden",
)
_GIVEN = frozenset({"geld", "werk", "papieren"})  # "ze geven ons geld": given, not ours
_DATIVE_IRREGULAR = frozenset(
    """
    gaf gaven gegeven bood boden geboden bracht brachten gebracht liet lieten gelaten
""".split()
)
# Words after a subject-like "ons" ("ons wonen in het azc") that are nouns, not its verb.
_ONS_NOUNS = frozenset(
    {
        "leven",
        "eten",
        "drinken",
        "zorgen",
        "dromen",
        "plannen",
        "wensen",
        "vragen",
        "problemen",
        "kinderen",
        "verlangen",
    }
)

# --- clauses -------------------------------------------------------------------
_CONJUNCTIONS: FrozenSet[str] = frozenset(
    """
    als omdat wanneer toen zodat terwijl voordat nadat sinds totdat hoewel zodra waarom
    indien tenzij of zoals
""".split()
)
# These also work as determiners or pronouns ("wat geld", "dat huis"): they open a
# clause only when a subject follows ("wat ik wil", "dat mijn kinderen …").
_PRONOUN_SUBORDINATORS: FrozenSet[str] = frozenset({"dat", "wat", "die", "wie", "welke", "waar", "hoe"})
_SUBORDINATORS = _CONJUNCTIONS | _PRONOUN_SUBORDINATORS
_SUBJECT_STARTS: FrozenSet[str] = frozenset(
    """
    ik ikke 'k u je jij hij zij ze we wij jullie het er men mijn m'n mn uw zijn haar ons onze
    hun de een mensen iedereen niemand iemand
""".split()
)
_COORDINATORS: FrozenSet[str] = frozenset({"en", "maar", "want", "dus", "of"})
_BOUNDARY = re.compile(r"[,.;:!?()\[\]\"…]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+", re.UNICODE)
_APOSTROPHE_K = re.compile(r"(?<![\w'])'[kK]\b")
_VOWELS = "aeiou"


def stem_of(infinitive: str) -> str:
    """The ik-form of a Dutch infinitive ("wonen" -> "woon", "geven" -> "geef")."""
    inf = infinitive.lower()
    for particle in _SEPARABLE_PARTICLES:  # "terugkeren" -> "terugkeer"
        rest = inf[len(particle) :]
        if inf.startswith(particle) and (rest in _REGULAR_INFINITIVES or rest in _OTHER_FORMS):
            return particle + stem_of(rest)
    for form, u_form in _IRREGULAR.items():  # hebben -> heb, kunnen -> kan …
        if _OTHER_FORMS.get(inf) == u_form and "'" not in form:
            return form
    if not inf.endswith("en") or len(inf) < 4:
        return inf
    base = inf[:-2]
    if len(base) >= 2 and base[-1] == base[-2] and base[-1] not in _VOWELS:
        return base[:-1]  # bellen -> bel, zitten -> zit
    if _doubles_vowel(inf, base):
        base = base[:-1] + base[-2] + base[-1]  # wonen -> woon, betalen -> betaal
    if base.endswith("v"):
        base = base[:-1] + "f"  # geven -> geef
    elif base.endswith("z"):
        base = base[:-1] + "s"  # reizen -> reis
    return base


def _doubles_vowel(inf: str, base: str) -> bool:
    """Open syllable with one vowel letter: the ik-form writes it double."""
    if len(base) < 2 or base[-1] in _VOWELS or base[-2] not in _VOWELS:
        return False
    if len(base) >= 3 and base[-3] in _VOWELS + "ij":
        return False  # oe, ie, ei, ui, ij …: already a long vowel
    if base[-2] == "e" and base[-1] in "lnrm" and sum(c in _VOWELS for c in base[:-2]) > 0:
        # unstressed -el/-en/-er/-em (wandel, teken, luister) - except -eren loans (probeer)
        if not inf.endswith("eren"):
            return False
        before = base[:-2]
        if inf in _EER_CLUSTER:
            return True
        return len(before) >= 2 and before[-1] not in _VOWELS and before[-2] in "aiou"
    return True


def u_form_of_stem(stem: str) -> str:
    """Regular present tense for "u": stem + t ("vind" -> "vindt", "wacht" -> "wacht")."""
    return stem if stem.endswith("t") else stem + "t"


def u_form_of_infinitive(infinitive: str) -> str:
    """ "werken" -> "werkt", "hebben" -> "heeft", "teruggaan" -> "teruggaat"."""
    inf = infinitive.lower()
    for particle in _SEPARABLE_PARTICLES:
        rest = inf[len(particle) :]
        if inf.startswith(particle) and (rest in _REGULAR_INFINITIVES or rest in _OTHER_FORMS):
            return particle + u_form_of_infinitive(rest)
    if inf in _OTHER_FORMS:
        return _OTHER_FORMS[inf]
    return u_form_of_stem(stem_of(inf))


_KNOWN_STEMS: Dict[str, str] = {stem_of(inf): inf for inf in _REGULAR_INFINITIVES}


def _known_verb(word: str) -> Optional[str]:
    """The u-form of a word known to be an ik-form, a past form (unchanged) or None."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word in _PAST:
        return word
    for particle in _SEPARABLE_PARTICLES:  # "terugga" -> "teruggaat"
        if word.startswith(particle) and len(word) > len(particle) + 1:
            rest = _known_verb(word[len(particle) :])
            if rest is not None:
                return particle + rest
    if word in _KNOWN_STEMS:
        return u_form_of_infinitive(_KNOWN_STEMS[word])
    return None


def _main_clause_verb(word: str, original: str) -> Optional[str]:
    """The u-form of the word right after "ik", or None when it is not a verb."""
    if original[:1].isupper() or not word.isalpha() and "'" not in word:
        return None  # a name or a place ("ik Mamadou"), a number
    known = _known_verb(word)
    if known is not None:
        return known
    if word in _OTHER_FORMS:
        return _OTHER_FORMS[word]
    if word in _NOT_VERBS:
        return None
    if word in _REGULAR_INFINITIVES:  # "ik werken niet" -> "u werkt niet"
        return u_form_of_infinitive(word)
    if word.endswith(("de", "te")) and len(word) > 4:
        return word  # weak past tense ("ik werkte")
    if word.startswith("ge") and word.endswith(("d", "t", "en")) and len(word) > 5:
        return None  # a participle without its auxiliary ("ik gevlucht")
    if word.endswith("en") or word[-1] in _VOWELS or not any(c in _VOWELS for c in word):
        return None  # plural nouns, words with no stem shape
    return u_form_of_stem(word)  # the generic present tense


def _plural_verb(word: str) -> Optional[str]:
    """The u-form of a word known to be a plural present or past ("hebben", "wonen",
    "hadden", "woonden", "teruggaan"), or None."""
    if word in _OTHER_FORMS:
        return _OTHER_FORMS[word]
    if word in _PAST_PLURAL:
        return _PAST_PLURAL[word]
    if word in _REGULAR_INFINITIVES:
        return u_form_of_infinitive(word)
    for particle in _SEPARABLE_PARTICLES:  # "teruggaan" -> "teruggaat"
        if word.startswith(particle) and len(word) > len(particle) + 2:
            rest = _plural_verb(word[len(particle) :])
            if rest is not None:
                return particle + rest
    if word.endswith(("den", "ten")) and len(word) > 5:
        if word[:-3] in _KNOWN_STEMS:
            return word[:-1]  # weak past: "woonden" -> "woonde", "werkten" -> "werkte"
        if word[-4] == word[-3] and (word[-5] not in _VOWELS or word[-6:-4] in _LONG_VOWELS):
            return word[:-1]  # "meldden", "vluchtten", "praatten" (not "zitten", "bidden")
    return None


_LONG_VOWELS = frozenset({"aa", "ee", "oo", "uu", "ie", "oe", "ei", "ij", "ui", "eu", "ou", "au"})


def _plural_main_clause_verb(word: str, original: str) -> Optional[str]:
    """The u-form of the word right after "we", or None when it is not a verb."""
    if original[:1].isupper() or not word.isalpha():
        return None
    known = _plural_verb(word)
    if known is not None:
        return known
    if word in _NOT_VERBS or word in _POSSESSED_NOUNS or word in _ONS_NOUNS:
        return None
    if word.endswith("en") and len(word) > 4 and any(c in _VOWELS for c in word[:-2]):
        return u_form_of_infinitive(word)  # the verb stands second: "we zwemmen" -> "u zwemt"
    return None


@dataclass
class _Token:
    text: str
    start: int
    end: int
    clause: int
    after_boundary: bool = False  # punctuation between this word and the one before

    @property
    def low(self) -> str:
        return self.text.lower()


def _tokens(text: str) -> List[_Token]:
    matches = list(_WORD.finditer(text))
    tokens: List[_Token] = []
    clause, last_end = 0, 0
    for k, match in enumerate(matches):
        word = match.group(0)
        low = word.lower()
        nxt = matches[k + 1].group(0).lower() if k + 1 < len(matches) else ""
        opens = (
            low in _COORDINATORS
            or low in _CONJUNCTIONS
            or (low in _PRONOUN_SUBORDINATORS and nxt in _SUBJECT_STARTS)
        )
        boundary = bool(tokens) and bool(_BOUNDARY.search(text[last_end : match.start()]))
        if tokens and (boundary or opens):
            clause += 1
        tokens.append(_Token(word, match.start(), match.end(), clause, boundary))
        last_end = match.end()
    return tokens


def _cased(replacement: str, original: str, first: bool) -> str:
    if original[:1].isupper() and not first:
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _english(tokens: List[_Token], clause: int) -> bool:
    return any(t.low in _ENGLISH for t in tokens if t.clause == clause)


def _ons_as_subject(tokens: List[_Token], i: int) -> bool:
    """Broken Dutch "ons wonen in het azc": "ons" opens the clause and a plural verb follows."""
    token = tokens[i]
    if token.low != "ons":
        return False
    prev = tokens[i - 1] if i > 0 and tokens[i - 1].clause == token.clause else None
    if prev is not None and prev.low not in _COORDINATORS:
        return False
    nxt = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].clause == token.clause else None
    return (
        nxt is not None
        and nxt.low not in _ONS_NOUNS
        and nxt.low not in _POSSESSED_NOUNS
        and _plural_verb(nxt.low) is not None
    )


# "Weet ik niet." opens a sentence without its "dat": given back as "weet u niet" it reads
# as a question; in full it is "u weet het niet" ("Weet ik nog niet" -> "U weet het nog niet").
_ELLIPTIC_DONT_KNOW = re.compile(
    r"(^|[.!?;]\s+)(weet|wee|wet)\s+ik\s+(?:het\s+|dat\s+)?(nog\s+|echt\s+|ook\s+)?(niet|nie)\b",
    re.IGNORECASE,
)


def _dont_know_in_full(match: "re.Match[str]") -> str:
    lead, verb, adverb = match.group(1), match.group(2), match.group(3) or ""
    subject = "Ik" if verb[:1].isupper() else "ik"
    return f"{lead}{subject} weet het {adverb}niet"


def to_second_person(text: str) -> str:
    """'ik woon in Ter Apel met mijn broer' -> 'u woont in Ter Apel met uw broer';
    'wij wonen met ons gezin in het azc' -> 'u woont met uw gezin in het azc'."""
    text = _APOSTROPHE_K.sub("ik", text or "")
    text = _ELLIPTIC_DONT_KNOW.sub(_dont_know_in_full, text)
    tokens = _tokens(text)
    replace: Dict[int, str] = {}
    reflexive_clauses: Set[int] = set()  # "ik voel me": "me" is "zich"
    plural_reflexive_clauses: Set[int] = set()  # "we voelen ons": "ons" is "zich"
    plural_clauses: Set[int] = set()  # clauses with "we" as the subject
    for i, token in enumerate(tokens):
        plural = token.low in _PLURAL_SUBJECT or _ons_as_subject(tokens, i)
        if token.low not in _SUBJECT and not plural:
            continue
        if plural and _english(tokens, token.clause):
            continue  # "we are happy"
        replace[i] = "uzelf" if token.low in ("ikzelf", "wijzelf") else "u"
        if plural:
            plural_clauses.add(token.clause)
        verb_at = _conjugate_for_subject(tokens, i, replace, plural)
        if verb_at is not None and not plural:
            _conjugate_coordinated(tokens, verb_at, replace)
        if verb_at is not None:
            verb = tokens[verb_at].low
            if verb in _REFLEXIVE_STEMS or stem_of(verb) in _REFLEXIVE_STEMS:
                (plural_reflexive_clauses if plural else reflexive_clauses).add(token.clause)
    reflexive_ons_used: Set[int] = set()
    for i, token in enumerate(tokens):
        if i in replace:
            continue
        low = token.low
        nxt = tokens[i + 1].low if i + 1 < len(tokens) and tokens[i + 1].clause == token.clause else ""
        if low in _POSSESSIVE:
            replace[i] = _POSSESSIVE[low]
        elif low == "ons":
            replace[i] = _ons(
                tokens,
                i,
                nxt,
                token.clause in plural_clauses,
                token.clause in plural_reflexive_clauses and token.clause not in reflexive_ons_used,
            )
            if replace[i] == "zich":
                reflexive_ons_used.add(token.clause)
        elif low in _OBJECT:
            reflexive = plural_reflexive_clauses if low not in _SINGULAR_REFLEXIVE else reflexive_clauses
            if low in ("mij", "me") and nxt in _POSSESSED_NOUNS:
                replace[i] = "uw"  # "ik mis mij familie"
            elif token.clause in reflexive:
                replace[i] = _REFLEXIVE_OBJECT[low]
            else:
                replace[i] = _OBJECT[low]
    for i, j in _inversions(tokens, replace):  # "thuis u had" -> "thuis had u"
        replace[i], replace[j] = replace[j], replace[i]
    out: List[str] = []
    last = 0
    for i, token in enumerate(tokens):
        if i in replace:
            out.append(text[last : token.start])
            out.append(_cased(replace[i], token.text, first=(i == 0)))
            last = token.end
    out.append(text[last:])
    return "".join(out)


# A main clause that opens with one of these has its verb second: "thuis had ik een winkel".
# Clients often keep "ik" first ("thuis ik had een winkel"); the reflection puts it right.
_FRONT_ADVERBS = frozenset(
    """
    thuis hier daar nu vroeger toen vandaag morgen gisteren soms straks later eerst daarna dan
    altijd vaak nooit elke iedere misschien gelukkig helaas eigenlijk
""".split()
)
_FRONT_PREPOSITIONS = frozenset({"in", "op", "bij", "met", "na", "uit", "voor", "sinds", "over"})
_MAX_FRONT = 3  # words before the subject: "in mijn land", "in Guinee", "elke dag"


def _inversions(tokens: List[_Token], replace: Dict[int, str]) -> List[tuple]:
    """(subject, verb) index pairs to swap: a clause opened by an adverb or a short
    prepositional phrase, then "ik"/"we" and its conjugated verb right after it."""
    pairs = []
    for i, token in enumerate(tokens[:-1]):
        if replace.get(i) != "u" or (token.low not in _SUBJECT and token.low not in _PLURAL_SUBJECT):
            continue
        verb = tokens[i + 1]
        if i + 1 not in replace or verb.clause != token.clause or verb.after_boundary:
            continue
        front = [t for t in tokens[:i] if t.clause == token.clause]
        if not 1 <= len(front) <= _MAX_FRONT or any(t.after_boundary for t in front[1:]):
            continue
        first = front[0].low
        if first in _CONJUNCTIONS and tokens[0] is not front[0] and not front[0].after_boundary:
            continue  # "ik was 15 toen ik wegging": "toen" joins a clause here, no verb second
        if first in _FRONT_ADVERBS and (len(front) == 1 or first in ("elke", "iedere")):
            pairs.append((i, i + 1))
        elif first in _FRONT_PREPOSITIONS and len(front) >= 2:
            pairs.append((i, i + 1))
    return pairs


_PREPOSITIONS = frozenset(
    """
    met voor bij naar van aan tegen zonder over door om op in uit achter naast tussen onder
    boven na sinds tot vanuit rond binnen buiten via per behalve
""".split()
)


def _ons(tokens: List[_Token], i: int, nxt: str, we_subject: bool, reflexive: bool) -> str:
    """ "ons" is possessive ("ons gezin" -> "uw gezin"), object ("met ons" -> "met u")
    or reflexive ("we voelen ons veilig" -> "u voelt zich veilig")."""
    prev = tokens[i - 1].low if i > 0 and tokens[i - 1].clause == tokens[i].clause else ""
    dative = (
        not we_subject
        and prev not in _PREPOSITIONS
        and any(_dative(t.low) for t in tokens if t.clause == tokens[i].clause)
    )
    if nxt in _POSSESSED_NOUNS and not (dative and nxt in _GIVEN):
        return "uw"
    if reflexive and prev not in _PREPOSITIONS:
        return "zich"
    if not nxt or nxt in _AFTER_OBJECT_ONS or _finite(nxt) is not None or _plural_verb(nxt) is not None:
        return "u"  # "ze helpen ons niet", "met ons", "ze willen ons helpen"
    if nxt.startswith("ge") and nxt.endswith(("d", "t", "en")) and len(nxt) > 5:
        return "u"  # a participle: "ze hebben ons geholpen"
    if dative:
        return "u"  # "ze geven ons hulp"
    return "uw"


def _dative(word: str) -> bool:
    if word in _DATIVE_IRREGULAR:
        return True
    for infinitive in _DATIVE_INFINITIVES:
        stem = stem_of(infinitive)
        participle_stem = stem[:-1] + "v" if stem.endswith("f") else stem
        if (
            word in (infinitive, stem, u_form_of_stem(stem))
            or word.startswith(stem)
            and word[len(stem) :] in ("de", "te", "den", "ten")
            or word in ("ge" + stem + "d", "ge" + stem + "t", "ge" + participle_stem + "en")
        ):
            return True
    return False


def _finite(word: str) -> Optional[str]:
    """The u-form of a word that is surely a finite verb (or past tense), else None."""
    return _known_verb(word) or _OTHER_FORMS.get(word)


def _is_subordinate(clause_words: List[_Token], plural: bool = False) -> bool:
    """A clause opened by "dat", "als", "omdat" … - unless a verb follows at once
    ("Dat weet ik niet", "Waar woon ik?", "Waar wonen we?" are main clauses)."""
    if len(clause_words) < 2 or clause_words[0].low not in _SUBORDINATORS:
        return False
    finite = _plural_verb if plural else _finite
    return finite(clause_words[1].low) is None


def _compound_subject(tokens: List[_Token], i: int, plural: bool) -> bool:
    """ "mijn broer en ik wonen", "mijn vrouw en wij hebben": the verb is plural and stays."""
    prev = tokens[i - 1] if i > 0 else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].clause == tokens[i].clause else None
    if prev is None or prev.clause != tokens[i].clause or prev.low not in _COORDINATORS:
        return False
    if not plural:
        return (
            nxt is not None
            and nxt.low.endswith("en")
            and nxt.low not in _NOT_VERBS
            and nxt.low not in _IRREGULAR
        )
    # "we" is plural on its own: it is part of a compound only right after "mijn X en",
    # "ik en" or "Ahmed en" (not "ik werk en we wonen …").
    if prev.low != "en" or prev.after_boundary or i < 2:
        return False
    before = tokens[i - 2]
    determiner = tokens[i - 3].low if i > 2 and not before.after_boundary else ""
    return (
        before.low in _SUBJECT
        or before.low == "u"
        or (before.low in _POSSESSED_NOUNS and determiner in _DETERMINERS)
        or (before.text[:1].isupper() and i > 2 and not before.after_boundary)
    )


# ik-forms that are as often nouns ("ik heb een huis en werk"): after "en" they stay as typed.
_NOUN_LIKE_STEMS = frozenset(
    {
        "werk",
        "zorg",
        "hoop",
        "droom",
        "reis",
        "les",
        "plan",
        "vraag",
        "slaap",
        "leer",
        "kook",
        "bel",
        "hulp",
        "angst",
        "dans",
        "wens",
    }
)


def _conjugate_coordinated(tokens: List[_Token], verb_at: int, replace: Dict[int, str]) -> None:
    """ "ik lees veel en help met vertalen": the verb after "en"/"maar" shares the subject
    ("u leest veel en helpt …"). Only a known ik-form right after the coordinator, in the
    same clause, with no subject of its own; a word that is often a noun stays."""
    clause = tokens[verb_at].clause
    for j in range(verb_at + 1, len(tokens) - 1):
        if tokens[j].clause == clause:
            continue
        # The next clause: it must open with the coordinator, its verb right after it.
        word = tokens[j + 1]
        if (
            tokens[j].clause != clause + 1
            or tokens[j].low not in ("en", "maar", "of")
            or word.clause != tokens[j].clause
            or j + 1 in replace
            or word.low in _NOUN_LIKE_STEMS
        ):
            return
        form = _known_verb(word.low)
        if form is not None and form != word.low:
            replace[j + 1] = form
        return


def _sure(form: Optional[str], word: str) -> str:
    """The u-form of a word already known to be a finite verb (an irregular or other form)."""
    if form is None:
        raise ValueError(f"{word!r} was taken for a finite verb but has no u-form")
    return form


def _conjugate_for_subject(
    tokens: List[_Token], i: int, replace: Dict[int, str], plural: bool = False
) -> Optional[int]:
    """Conjugate the finite verb of the "ik" (or "we") at ``i``; return its index (or None)."""
    clause = tokens[i].clause
    clause_words = [t for t in tokens if t.clause == clause]
    prev = tokens[i - 1] if i > 0 and tokens[i - 1].clause == clause else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].clause == clause else None
    finite = _plural_verb if plural else _finite
    if nxt is not None and nxt.low == "en":
        return None  # "ik en mijn broer wonen": a plural subject keeps its verb
    if _compound_subject(tokens, i, plural):
        return None  # "mijn broer en ik wonen" (but "voetbal, en ik ben …" is singular)
    if prev is not None and prev.low in _COORDINATORS:
        prev = None  # "…, en ik mis mijn moeder": a new clause with ik first
    if _is_subordinate(clause_words, plural) and clause_words[0] is not tokens[i]:
        # The finite verb stands late. An irregular form ("heb", "kan", "is") is
        # surely it; otherwise the last known verb ("omdat ik werk zoek"), or for
        # "we" the first ("als we hier blijven wonen": the infinitives follow it).
        found = None
        for j in range(i + 1, len(tokens)):
            if tokens[j].clause != clause:
                break
            if tokens[j].low in _OTHER_FORMS or (not plural and tokens[j].low in _IRREGULAR):
                found = j
                break
            if finite(tokens[j].low) is not None and not (plural and found is not None):
                found = j
        if found is not None:
            replace[found] = _sure(finite(tokens[found].low), tokens[found].low)
        return found
    if nxt is not None and (nxt.low in _OTHER_FORMS or (not plural and nxt.low in _IRREGULAR)):
        replace[i + 1] = _sure(finite(nxt.low), nxt.low)  # "ik heb", "ik is", "we hebben": surely the verb
        return i + 1
    prev_form = finite(prev.low) if prev is not None else None
    if prev is not None and prev_form is not None and not _after_determiner(tokens, i - 1):
        replace[i - 1] = _cased(prev_form, prev.text, first=(i - 1 == 0))
        return i - 1  # inverted: "nu woon ik", "dat weet ik niet", "nu wonen we"
    if (
        nxt is not None
        and nxt.low in _SUBJECT_ADVERBS
        and i + 2 < len(tokens)
        and tokens[i + 2].clause == clause
    ):
        nxt, i = tokens[i + 2], i + 1  # "wij zelf willen", "ik zelf heb"
    if nxt is not None:
        form = (_plural_main_clause_verb if plural else _main_clause_verb)(nxt.low, nxt.text)
        if form is not None:
            replace[i + 1] = form
            return i + 1
    return None


_SUBJECT_ADVERBS = frozenset({"zelf", "allemaal", "allebei", "samen", "alle", "beiden"})
_DETERMINERS = frozenset(
    {
        "de",
        "het",
        "een",
        "geen",
        "mijn",
        "m'n",
        "mn",
        "uw",
        "zijn",
        "haar",
        "ons",
        "onze",
        "hun",
        "dit",
        "deze",
        "veel",
        "weinig",
    }
)


def _after_determiner(tokens: List[_Token], j: int) -> bool:
    """'geen werk ik heb': a word after a determiner is a noun, not the verb."""
    return j > 0 and tokens[j - 1].clause == tokens[j].clause and tokens[j - 1].low in _DETERMINERS

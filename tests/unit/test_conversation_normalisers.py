"""Dates, money, factor scoring words, rulers and double-sided reflections."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.conversation import normalise
from bot.conversation.dates import due_date
from bot.conversation.money import amount
from bot.conversation.reflection import double_sided

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("vandaag", date(2026, 11, 23)),
        ("morgen", date(2026, 11, 24)),
        ("overmorgen", date(2026, 11, 25)),
        ("over twee weken", date(2026, 12, 7)),
        ("over 3 dagen", date(2026, 11, 26)),
        ("binnen een maand", date(2026, 12, 23)),
        ("deze week", date(2026, 11, 29)),
        ("volgende week", date(2026, 12, 6)),
        ("volgende maand", date(2026, 12, 31)),
        ("in maart", date(2027, 3, 31)),
        ("eind april", date(2027, 4, 30)),
        ("begin januari", date(2027, 1, 10)),
        ("half december", date(2026, 12, 15)),
        ("1 mei", date(2027, 5, 1)),
        ("15-6", date(2027, 6, 15)),
        ("15/06/2027", date(2027, 6, 15)),
        ("vrijdag", date(2026, 11, 27)),
        ("maandag", date(2026, 11, 30)),
        ("next week", date(2026, 12, 6)),
        ("dans deux semaines", date(2026, 12, 7)),
        ("in two weeks", date(2026, 12, 7)),
    ],
    ids=lambda v: str(v),
)
def test_due_dates(text, expected):
    assert due_date(text, MONDAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "zo snel mogelijk",
        "voor de volgende afspraak",
        "na de ramadan",
        "als ik geld heb",
        "",
        "31-02",
        "ik weet het niet",
    ],
)
def test_vague_or_impossible_dates_give_none(text):
    assert due_date(text, MONDAY) is None


def test_a_past_day_this_year_means_next_year():
    assert due_date("1 maart", date(2026, 3, 20)) == date(2027, 3, 1)
    assert due_date("in november", MONDAY) == date(2026, 11, 30)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("500 euro", (Decimal("500"), "EUR")),
        ("€ 1.200", (Decimal("1200"), "EUR")),
        ("1200,50 eur", (Decimal("1200.50"), "EUR")),
        ("2k", (Decimal("2000"), None)),
        ("twee duizend euro", (Decimal("2000"), "EUR")),
        ("drie honderd euro", (Decimal("300"), "EUR")),
        ("3000 dollar", (Decimal("3000"), "USD")),
        ("500.000 naira", (Decimal("500000"), "NGN")),
        ("ik heb 3000 euro schuld", (Decimal("3000"), "EUR")),
    ],
)
def test_amounts(text, expected):
    assert amount(text) == expected


def test_no_amount_is_none():
    assert amount("geen geld") is None and amount("") is None


@pytest.mark.parametrize(
    "text, direction",
    [
        ("Moeilijker", "harder"),
        ("het maakt het zwaarder", "harder"),
        ("Makkelijker", "easier"),
        ("easier", "easier"),
        ("Allebei / weet ik niet", "neither"),
        ("moeilijker en makkelijker", "neither"),
        ("mijn moeder", None),
    ],
)
def test_factor_direction(text, direction):
    assert normalise.factor_direction(text) == direction


def test_factor_amount_and_score():
    assert [normalise.factor_amount(t) for t in ("Een beetje", "Best veel", "Heel veel", "ja")] == [
        1,
        2,
        3,
        None,
    ]
    assert normalise.factor_score("harder", 3) == -3
    assert normalise.factor_score("easier", 1) == 1
    assert normalise.factor_score("neither", 2) is None
    assert normalise.factor_score("harder", None) is None


@pytest.mark.parametrize(
    "text, score",
    [
        ("7", 7),
        ("een 7", 7),
        ("zeven", 7),
        ("8/10", 8),
        ("0", 0),
        ("tien", 10),
        ("dix", 10),
        ("11", None),
        ("heel belangrijk", None),
    ],
)
def test_ruler(text, score):
    assert normalise.ruler(text) == score


def test_double_sided():
    assert double_sided("ik mis mijn moeder, maar hier heb ik mijn werk") == (
        "u mist uw moeder",
        "hier heeft u uw werk",
    )
    assert double_sided("I miss my family but here is my life") == ("I miss my family", "here is my life")
    assert double_sided("mijn moeder is ziek maar ja") is None
    assert double_sided("ik woon hier") is None


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Juridisch laten nakijken", "legal_check"),
        ("Netwerk en contacten", "social_network"),
        ("Rust en gezondheid", "wellbeing"),
        ("Geld en schulden", "debts_and_money"),
        ("Wonen bij aankomst", "housing_on_arrival"),
        ("School voor de kinderen", "children_school"),
        ("Werk of eigen zaak", "work_or_business"),
        ("Medicijnen en medisch dossier", "medication_and_records"),
        ("Reisdocument", "travel_document"),
        ("Hulp aanvragen bij IOM", "return_support_application"),
        ("Contact met familie", "contact_family"),
        ("Iets anders", "other"),
    ],
)
def test_step_kind_buttons_map_to_action_kinds(text, kind):
    assert normalise.action_kind(text) == kind


@pytest.mark.parametrize(
    "text, expected",
    [
        ("hallo", True),
        ("Goedemorgen!", True),
        ("hallo daar", True),
        ("salaam aleikum", True),
        ("elke dag", False),
        ("dag en nacht", False),
        ("hallo, ik woon in het azc", False),
    ],
)
def test_is_greeting(text, expected):
    assert normalise.is_greeting(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("niemand", True),
        ("niemand hier", True),
        ("ik ben alleen, geen familie", True),
        ("nobody", True),
        ("niemand behalve mijn broer", False),
        ("mijn broer", False),
    ],
)
def test_is_nobody(text, expected):
    assert normalise.is_nobody(text) is expected

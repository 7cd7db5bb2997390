"""Money amounts as clients type them -> (amount in whole units, currency).

"500 euro", "€ 1.200", "1200,50 eur", "2k", "twee duizend euro", "3000 dollar",
"500.000 naira". Used for debts and savings in action items; the plan keeps the
client's words too. None when there is no amount; the bot never invents one.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Optional, Tuple

from bot.conversation.normalise import fold

_CURRENCIES = {
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "€": "EUR",
    "e": "EUR",
    "dollar": "USD",
    "dollars": "USD",
    "usd": "USD",
    "$": "USD",
    "naira": "NGN",
    "cedi": "GHS",
    "leone": "SLE",
    "leones": "SLE",
    "franc": "XOF",
    "francs": "XOF",
    "cfa": "XOF",
    "pond": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "£": "GBP",
}
_WORDS = {
    "een": 1,
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "honderd": 100,
}
_SCALE = {"honderd": 100, "duizend": 1000, "k": 1000, "miljoen": 1_000_000, "thousand": 1000, "mille": 1000}


def _currency(raw: str) -> Optional[str]:
    lowered = raw.lower()
    for symbol in ("€", "$", "£"):
        if symbol in lowered:
            return _CURRENCIES[symbol]
    for word in fold(raw).split():
        if word in _CURRENCIES and word != "e":
            return _CURRENCIES[word]
    return None


def _to_decimal(number: str) -> Optional[Decimal]:
    """'1.200' and '1,200' are thousands; '12,50' and '12.5' are decimals."""
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", number):
        number = re.sub(r"[.,]", "", number)
    else:
        number = number.replace(",", ".")
    try:
        return Decimal(number)
    except InvalidOperation:
        return None


def amount(text: str) -> Optional[Tuple[Decimal, Optional[str]]]:
    """(amount, ISO currency or None) of the first amount in ``text``."""
    raw = text or ""
    currency = _currency(raw)
    match = re.search(r"(\d+(?:[.,]\d+)*)\s*(k|duizend|miljoen|thousand|mille)?\b", raw.lower())
    if match:
        value = _to_decimal(match.group(1))
        if value is None:
            return None
        if match.group(2):
            value *= _SCALE[match.group(2)]
        return value, currency
    words = fold(raw).split()
    total, current, seen = 0, 0, False
    for word in words:
        if word in _WORDS and word != "honderd":
            current += _WORDS[word]
            seen = True
        elif word in _SCALE:
            current = (current or 1) * _SCALE[word]
            if _SCALE[word] >= 1000:
                total, current = total + current, 0
            seen = True
        elif seen and word not in ("en",):
            break
    if not seen:
        return None
    return Decimal(total + current), currency

"""Dutch (and a little English/French) time phrases -> a due date for an action item.

"over twee weken", "volgende week", "in maart", "eind april", "1 mei", "15-6",
"maandag", "morgen". The plan keeps the client's words in ``due_text`` and,
when we are sure, the date in ``due_date``. Vague phrases ("zo snel mogelijk",
"voor de volgende afspraak", "na de ramadan") give no date: we never guess.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Optional

from bot.conversation.normalise import fold

_NUMBERS = {
    "een": 1,
    "één": 1,
    "1": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
}
_MONTHS = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "janvier": 1,
    "februari": 2,
    "feb": 2,
    "february": 2,
    "fevrier": 2,
    "maart": 3,
    "mrt": 3,
    "march": 3,
    "mars": 3,
    "april": 4,
    "apr": 4,
    "avril": 4,
    "mei": 5,
    "may": 5,
    "mai": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juin": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "juillet": 7,
    "augustus": 8,
    "aug": 8,
    "august": 8,
    "aout": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "septembre": 9,
    "oktober": 10,
    "okt": 10,
    "october": 10,
    "octobre": 10,
    "november": 11,
    "nov": 11,
    "novembre": 11,
    "december": 12,
    "dec": 12,
    "decembre": 12,
}
_WEEKDAYS = {
    "maandag": 0,
    "monday": 0,
    "lundi": 0,
    "dinsdag": 1,
    "tuesday": 1,
    "mardi": 1,
    "woensdag": 2,
    "wednesday": 2,
    "mercredi": 2,
    "donderdag": 3,
    "thursday": 3,
    "jeudi": 3,
    "vrijdag": 4,
    "friday": 4,
    "vendredi": 4,
    "zaterdag": 5,
    "saturday": 5,
    "samedi": 5,
    "zondag": 6,
    "sunday": 6,
    "dimanche": 6,
}
_UNITS = {
    "dag": 1,
    "dagen": 1,
    "day": 1,
    "days": 1,
    "jour": 1,
    "jours": 1,
    "week": 7,
    "weken": 7,
    "weeks": 7,
    "semaine": 7,
    "semaines": 7,
    "maand": 30,
    "maanden": 30,
    "month": 30,
    "months": 30,
    "mois": 30,
}


def _number(word: str) -> Optional[int]:
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word)


def _month_date(month: int, today: date, *, day: Optional[int] = None, end: bool = False) -> Optional[date]:
    """The next date in ``month`` (this year, or next year if it has passed).

    No day: the end of the month ("in maart" = by the end of March)."""
    for year in (today.year, today.year + 1):
        last = calendar.monthrange(year, month)[1]
        wanted = last if day is None or end else day
        if not 1 <= wanted <= last:
            continue
        candidate = date(year, month, wanted)
        if candidate >= today:
            return candidate
    return None


def due_date(text: str, today: date) -> Optional[date]:
    """The date a phrase points to, counted from ``today``; None when vague."""
    folded = fold(text)
    if not folded:
        return None
    words = folded.split()
    if re.search(r"\b(vandaag|today|aujourd hui)\b", folded):
        return today
    if re.search(r"\bovermorgen\b", folded):
        return today + timedelta(days=2)
    if re.search(r"\b(morgen|tomorrow|demain)\b", folded):
        return today + timedelta(days=1)
    # "over twee weken", "in 3 dagen", "binnen een maand", "in two weeks", "dans deux semaines"
    match = re.search(r"\b(?:over|in|binnen|within|dans|na)\s+(\w+)\s+(\w+)\b", folded)
    if match:
        count, unit = _number(match.group(1)), _UNITS.get(match.group(2))
        if count and unit:
            return today + timedelta(days=count * unit)
    if re.search(r"\b(deze week|this week|cette semaine)\b", folded):
        return today + timedelta(days=6 - today.weekday())  # Sunday of this week
    if re.search(r"\b(volgende week|next week|la semaine prochaine|semaine prochaine)\b", folded):
        return today + timedelta(days=13 - today.weekday())  # Sunday of next week
    if re.search(r"\b(volgende maand|next month|le mois prochain|mois prochain)\b", folded):
        month = today.month % 12 + 1
        return _month_date(month, today.replace(day=1) if month != 1 else date(today.year + 1, 1, 1))
    # "15-6", "15/06/2026"
    match = re.search(r"\b(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2,4}))?\b", (text or "").lower())
    if match:
        day, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            if match.group(3):
                year = int(match.group(3))
                year = year + 2000 if year < 100 else year
                try:
                    return date(year, month, day)
                except ValueError:
                    return None
            return _month_date(month, today, day=day)
        return None
    for index, word in enumerate(words):
        named_month = _MONTHS.get(word)
        if named_month is None:
            continue
        month = named_month
        before = words[index - 1] if index else ""
        if before.isdigit():  # "1 mei"
            return _month_date(month, today, day=int(before))
        if before in ("begin", "start", "debut"):
            return _month_date(month, today, day=10)
        if before in ("half", "midden", "mid", "mi"):
            return _month_date(month, today, day=15)
        return _month_date(month, today, end=True)  # "in maart", "eind maart"
    for word in words:
        if word in _WEEKDAYS:
            ahead = (_WEEKDAYS[word] - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
    return None

"""The text of a bot message as the client sees it.

Some responses in domain.yml start with a fill-in ("{words}: dat heeft u al laten
zien."), and the fill-in is the client's own words in lower case ("u kunt goed
naaien"). Every message the client sees starts with a capital, so the capital is
set where the messages leave Rasa (the `coach` channel), for every response at once.
"""
from __future__ import annotations

import re

# Opening quotes, brackets and spaces before the first letter; an apostrophe is not
# skipped: "'s avonds" and "'t is" start with a lower-case letter in Dutch.
_LEAD = re.compile(r"^[\s\"“„«(\[]*")


def capitalise_first(text: str) -> str:
    """'u kunt goed naaien: dat …' -> 'U kunt goed naaien: dat …'; only the first
    letter changes, and only when the message starts with a word."""
    if not text:
        return text
    at = _LEAD.match(text).end()
    if at < len(text) and text[at].islower():
        return text[:at] + text[at].upper() + text[at + 1:]
    return text

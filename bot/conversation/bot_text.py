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


def _lead_length(text: str) -> int:
    """How many opening quotes, brackets and spaces come before the first word."""
    match = _LEAD.match(text)
    if match is None:  # the pattern matches the empty string: cannot happen
        raise ValueError(f"no lead match in {text!r}")
    return match.end()


def capitalise_first(text: str) -> str:
    """'u kunt goed naaien: dat …' -> 'U kunt goed naaien: dat …'; only the first
    letter changes, and only when the message starts with a word."""
    if not text:
        return text
    at = _lead_length(text)
    if at < len(text) and text[at].islower():
        return text[:at] + text[at].upper() + text[at + 1 :]
    return text


# A sentence ends at ".", "!" or "?" followed by a space; not after a short abbreviation
# ("bijv.", "o.a.", "nr.", "ca."), where Dutch goes on in lower case.
_ABBREVIATIONS = (
    "bijv",
    "bv",
    "o.a",
    "nr",
    "ca",
    "enz",
    "etc",
    "evt",
    "m.b.v",
    "i.p.v",
    "z.s.m",
    "d.w.z",
    "t/m",
    "blz",
    "mevr",
    "dhr",
    "st",
    "jl",
    "a.s",
)
_SENTENCE_END = re.compile(
    r"(?P<word>[\w./]*)(?P<end>[.!?]+[\"”’)]*\s+)(?P<lead>[\"“„«(\[]*)(?P<letter>[a-zà-ÿ])"
)


def capitalise_sentences(text: str) -> str:
    """'u werkt. u heeft kinderen' -> 'u werkt. U heeft kinderen': a capital after every
    full stop, question mark or exclamation mark inside the text (not the first letter:
    see ``capitalise_first``; not after "bijv." and other abbreviations)."""

    def fix(match: "re.Match[str]") -> str:
        word = match.group("word").lower().rstrip(".")
        if match.group("end").startswith(".") and word in _ABBREVIATIONS:
            return match.group(0)
        return match.group("word") + match.group("end") + match.group("lead") + match.group("letter").upper()

    return _SENTENCE_END.sub(fix, text or "")

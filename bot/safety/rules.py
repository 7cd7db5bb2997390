"""Load the YAML rule files of rules/ into precompiled regexes.

Pattern syntax (see rules/vocab.yml): ``{NAME}`` macros, a literal space means
whitespace, " ?" means optional whitespace, and every pattern is anchored on
word boundaries at both ends (use ``\\w*`` to allow a suffix).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import yaml

from bot.safety.normalise import RULES_DIR

RULE_FILES = ("crisis.yml", "emotion.yml", "signals.yml", "request.yml")
# The feelings a rule or a concept signal may name (SafetyResult.kind).
KINDS = (
    "grief",
    "longing",
    "fear",
    "shame",
    "anger",
    "loneliness",
    "sadness",
    "crying",
    "hopelessness",
    "trauma",
    "overwhelmed",
    "pain",
    "worry",
)
_MACRO = re.compile(r"\{([A-Z_]+)\}")


class RuleError(ValueError):
    """A rule file is malformed; raised at load time, never while detecting."""


@dataclass(frozen=True)
class Rule:
    id: str  # "crisis.yml#3" — stable enough to tell rules apart in counts
    flag: Optional[str]
    tier: int
    regex: re.Pattern
    on_raw: bool = False  # "scope: raw": match the text before masks are applied
    check: Optional[str] = None
    kind: Optional[str] = None  # the feeling the rule names (SafetyResult.kind)


def _load(name: str) -> dict:
    return yaml.safe_load((RULES_DIR / name).read_text(encoding="utf-8")) or {}


def _expand(pattern: str, macros: dict[str, str], where: str) -> str:
    for _ in range(5):  # macros may use macros
        expanded = _MACRO.sub(lambda m: _macro(m.group(1), macros, where), pattern)
        if expanded == pattern:
            break
        pattern = expanded
    return pattern


def _macro(name: str, macros: dict[str, str], where: str) -> str:
    if name not in macros:
        raise RuleError(f"{where}: unknown macro {{{name}}}")
    return macros[name].replace(" ?", "\x00").replace(" ", r"\s+").replace("\x00", r"\s*")


def compile_pattern(patterns: list[str], macros: dict[str, str], where: str) -> re.Pattern:
    parts = []
    for pattern in patterns:
        spaced = pattern.replace(" ?", "\x00").replace(" ", r"\s+").replace("\x00", r"\s*")
        parts.append(f"(?:{_expand(spaced, macros, where)})")
    source = r"(?<![a-z0-9])(?:" + "|".join(parts) + r")(?![a-z0-9])"
    try:
        return re.compile(source)
    except re.error as exc:
        raise RuleError(f"{where}: {exc}") from exc


def _macros() -> dict[str, str]:
    return dict(_load("vocab.yml").get("macros", {}))


def _build(entries: list[dict], file: str, macros: dict[str, str]) -> tuple[Rule, ...]:
    rules = []
    for index, entry in enumerate(entries):
        where = f"{file}#{index}"
        tier = entry.get("tier")
        if tier not in (0, 1, 2, 3) or not entry.get("patterns"):
            raise RuleError(f"{where}: needs tier 0..3 and patterns")
        if entry.get("kind") is not None and entry["kind"] not in KINDS:
            raise RuleError(f"{where}: kind {entry['kind']!r} not in {KINDS}")
        rules.append(
            Rule(
                id=where,
                flag=entry.get("flag"),
                tier=tier,
                regex=compile_pattern(entry["patterns"], macros, where),
                on_raw=entry.get("scope") == "raw",
                check=entry.get("check"),
                kind=entry.get("kind"),
            )
        )
    return tuple(rules)


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    macros = _macros()
    rules: list[Rule] = []
    for file in RULE_FILES:
        rules.extend(_build(_load(file).get("rules", []), file, macros))
    return tuple(rules)


@lru_cache(maxsize=1)
def load_masks() -> tuple[Rule, ...]:
    return _build(_load("masks.yml").get("masks", []), "masks.yml", _macros())

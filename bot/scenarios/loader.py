"""Read and write scenario files, with errors that name the file and the line.

PyYAML's node tree keeps a mark (line, column) for every key and value, so a
mistake is reported where the trainer made it: ``p1.yml:14: onbekend veld
'expetc' — bedoelt u 'expect'?``. All mistakes of a file are reported at once.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Collection, Dict, Iterable, List, Optional, Tuple, Union

import yaml

from bot.scenarios.schema import (
    CLOSE,
    COUNSELLOR_ACTIONS,
    FILLED,
    HANDBACK,
    HANDOFF_REASONS,
    LANGUAGES,
    NAME_PATTERN,
    NO_HANDOFF,
    PHASES,
    PLAN_STATES,
    STATUSES,
    Expect,
    Scenario,
    Turn,
)

MAX_TEXT_CHARS = 2000  # the API's limit for one message
TOP_KEYS = ("title", "persona", "language", "trainer_checks", "not_says", "text_checks", "opening", "turns")
TURN_ACTIONS = ("client", "button", "counsellor", "counsellor_says")
TURN_KEYS = TURN_ACTIONS + ("phase", "note", "expect")
EXPECT_KEYS = (
    "phase",
    "status",
    "handoff",
    "says",
    "not_says",
    "matches",
    "responses",
    "not_responses",
    "buttons",
    "silent",
    "plan",
)
YAML_HINT = (
    "Tip: staat er een dubbele punt, een # of een aanhalingsteken in een tekst, zet dan de hele "
    "tekst tussen aanhalingstekens; en let op dat de streepjes onder elkaar staan."
)
MAX_PATTERN_CHARS = 200
# A quantified group that is itself quantified ("(a+)+", "(\\w*)*"): the shape that can make a regex
# engine backtrack for minutes. A `matches` pattern may not have it.
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")
PLAN_PATH = re.compile(r"^(?P<base>[a-z0-9_]+(?:\.[a-z0-9_]+)*)(?:\[(?P<key>[^\[\]]+)\])?$")

Path_ = Tuple[Union[str, int], ...]


@dataclass(frozen=True)
class Issue:
    line: Optional[int]
    field: str
    message: str

    def to_dict(self) -> Dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


class ScenarioInvalid(ValueError):
    """A scenario file with mistakes; ``issues`` lists each with its line."""

    def __init__(self, source: str, issues: List[Issue]):
        self.source = source
        self.issues = issues
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(f"{self.source}:{i.line or '?'}: {i.message}" for i in self.issues)

    def to_dict(self) -> Dict[str, Any]:
        return {"source": self.source, "errors": [i.to_dict() for i in self.issues]}


def version_of(text: str) -> str:
    """A short fingerprint of a file's text, for 'someone else changed it' checks."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def valid_name(name: str) -> bool:
    # fullmatch: with re.match, "$" also matches before a final newline ("name\n").
    return isinstance(name, str) and bool(re.fullmatch(NAME_PATTERN, name))


# --- the YAML node tree ---------------------------------------------------------


class _NoAliasLoader(yaml.SafeLoader):
    """Refuses aliases (``*name``): a few hundred bytes of nested aliases expand to
    billions of nodes ("billion laughs") and would hold a worker for minutes."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                "verwijzingen (*naam, YAML-aliassen) zijn niet toegestaan; schrijf de tekst uit",
                event.start_mark,
            )
        return super().compose_node(parent, index)


class _Document:
    """Plain Python data from a YAML text, plus the line of every key and item."""

    def __init__(self, text: str):
        self.lines: Dict[Path_, int] = {}
        self.raw: Dict[Path_, str] = {}
        self.issues: List[Issue] = []
        loader = _NoAliasLoader(text)
        try:
            node = loader.get_single_node()
            self.data = self._walk(loader, node, ()) if node is not None else None
        finally:
            loader.dispose()

    def _walk(self, loader: yaml.SafeLoader, node: yaml.Node, path: Path_) -> Any:
        if isinstance(node, yaml.MappingNode):
            result: Dict[str, Any] = {}
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    self.issues.append(Issue(line, _dotted(path), "een veldnaam moet gewone tekst zijn"))
                    continue
                key = str(key_node.value)
                if key in result:
                    first = self.lines.get(path + (key,))
                    self.issues.append(
                        Issue(
                            line,
                            _dotted(path + (key,)),
                            f"veld '{key}' staat er twee keer (ook op regel {first})",
                        )
                    )
                    continue
                self.lines[path + (key,)] = line
                result[key] = self._walk(loader, value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[path + (index,)] = item.start_mark.line + 1
                items.append(self._walk(loader, item, path + (index,)))
            return items
        if (
            isinstance(node, yaml.ScalarNode) and node.style is None
        ):  # plain scalar: YAML may read "nee"/"no"/"7" as bool/number
            self.raw[path] = str(node.value)
        return loader.construct_object(node, deep=True)

    def line(self, path: Path_) -> Optional[int]:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


def _dotted(path: Path_) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(path))


def _suggest(word: str, options: Collection[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" — bedoelt u '{close[0]}'?" if close else f" (mogelijk: {', '.join(options)})"


# --- validation -------------------------------------------------------------------


class _Validator:
    def __init__(self, doc: _Document, known_responses: Optional[Collection[str]]):
        self.doc = doc
        self.known_responses = set(known_responses) if known_responses is not None else None
        self.issues: List[Issue] = list(doc.issues)

    def fail(self, path: Path_, message: str) -> None:
        self.issues.append(Issue(self.doc.line(path), _dotted(path), message))

    def mapping(self, value: Any, path: Path_, allowed: Iterable[str], what: str) -> Dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, f"{what} moet een lijstje 'veld: waarde' zijn")
            return {}
        allowed = tuple(allowed)
        for key in value:
            if key not in allowed:
                self.fail(path + (key,), f"onbekend veld '{key}'{_suggest(key, allowed)}")
        return value

    def text(self, value: Any, path: Path_, *, required: bool = False, limit: int = 20000) -> Optional[str]:
        if value is None:
            if required:
                self.fail(path, f"'{path[-1]}' mag niet leeg zijn")
            return None
        if isinstance(value, (bool, int, float)):
            value = self.doc.raw.get(path, str(value))
        if isinstance(value, dict):
            # `- Let op: iets` without quotes is read by YAML as a field `Let op` with a value.
            self.fail(
                path,
                f"'{_dotted(path)}' moet tekst zijn, maar de dubbele punt maakt er een veld van. "
                "Zet de hele tekst tussen aanhalingstekens.",
            )
            return None
        if not isinstance(value, str):
            self.fail(path, f"'{_dotted(path)}' moet tekst zijn")
            return None
        value = value.strip()
        if required and not value:
            self.fail(path, f"'{path[-1]}' mag niet leeg zijn")
            return None
        if len(value) > limit:
            self.fail(path, f"tekst is {len(value)} tekens lang; het maximum is {limit}")
        return value

    def texts(self, value: Any, path: Path_) -> List[str]:
        """One text or a list of texts."""
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        found = []
        for index, item in enumerate(items):
            item_path = path + (index,) if isinstance(value, list) else path
            text = self.text(item, item_path, required=True)
            if text:
                found.append(text)
        return found

    def patterns(self, value: Any, path: Path_) -> List[str]:
        """Regular expressions for ``matches``: short, compiled here, no nested repetition."""
        found = []
        for index, pattern in enumerate(self.texts(value, path)):
            where = path + (index,) if isinstance(value, list) else path
            if len(pattern) > MAX_PATTERN_CHARS:
                self.fail(where, f"een patroon mag hoogstens {MAX_PATTERN_CHARS} tekens hebben")
                continue
            if _NESTED_QUANTIFIER.search(pattern):
                self.fail(
                    where,
                    "dit patroon herhaalt een herhaling, zoals (a+)+; dat kan heel traag worden. "
                    "Schrijf het eenvoudiger",
                )
                continue
            try:
                re.compile(pattern)
            except re.error as error:
                self.fail(where, f"dit patroon klopt niet: {error}")
                continue
            found.append(pattern)
        return found

    def choice(self, value: Any, path: Path_, options: Tuple[str, ...]) -> Optional[str]:
        text = self.text(value, path)
        if text is None:
            return None
        if text not in options:
            self.fail(path, f"'{text}' kan niet bij '{path[-1]}'{_suggest(text, options)}")
            return None
        return text

    # --- parts ---------------------------------------------------------------------
    def expect(self, value: Any, path: Path_) -> Expect:
        if value is None:
            return Expect()
        data = self.mapping(value, path, EXPECT_KEYS, "'expect'")
        expect = Expect(line=self.doc.line(path))
        expect.phase = self.choice(data.get("phase"), path + ("phase",), PHASES)
        expect.status = self.choice(data.get("status"), path + ("status",), STATUSES)
        expect.handoff = self.choice(
            data.get("handoff"), path + ("handoff",), HANDOFF_REASONS + (NO_HANDOFF,)
        )
        for key in ("says", "not_says", "buttons"):
            setattr(expect, key, self.texts(data.get(key), path + (key,)))
        expect.matches = self.patterns(data.get("matches"), path + ("matches",))
        for key in ("responses", "not_responses"):
            names = self.texts(data.get(key), path + (key,))
            self.check_responses(names, data.get(key), path + (key,))
            setattr(expect, key, names)
        if "silent" in data:
            if isinstance(data["silent"], bool):
                expect.silent = data["silent"]
            else:
                self.fail(path + ("silent",), "'silent' is true of false")
        if "plan" in data:
            expect.plan = self.plan(data["plan"], path + ("plan",))
        return expect

    def check_responses(self, names: List[str], raw: Any, path: Path_) -> None:
        if self.known_responses is None:
            return
        for index, name in enumerate(names):
            if name not in self.known_responses:
                where = path + (index,) if isinstance(raw, list) else path
                self.fail(
                    where,
                    f"domain.yml kent geen response '{name}'"
                    f"{_suggest(name, sorted(self.known_responses))}",
                )

    def plan(self, value: Any, path: Path_) -> Dict[str, Any]:
        if isinstance(value, (str, list)):
            return {p: FILLED for p in self.texts(value, path) if self.plan_path(p, path)}
        if not isinstance(value, dict):
            self.fail(path, "'plan' is een lijst van velden, of 'veld: verwachting'")
            return {}
        found: Dict[str, Any] = {}
        for key, wanted in value.items():
            if not self.plan_path(key, path + (key,)):
                continue
            if wanted is None or (isinstance(wanted, str) and not wanted.strip()):
                self.fail(
                    path + (key,),
                    f"geef een verwachting voor '{key}' "
                    f"({', '.join(PLAN_STATES)}, of tekst die erin moet staan)",
                )
                continue
            if isinstance(wanted, (dict, list)):
                self.fail(path + (key,), f"de verwachting voor '{key}' is één waarde")
                continue
            found[key] = wanted.strip() if isinstance(wanted, str) else wanted
        return found

    def plan_path(self, text: str, path: Path_) -> bool:
        from bot.plan.schema import PlanPathError, item_schema, node_at

        match = PLAN_PATH.match(text)
        if not match:
            self.fail(path, f"'{text}' is geen plan-veld (zoals sections.background.talents)")
            return False
        try:
            node, _ = node_at(match.group("base"))
        except PlanPathError:
            self.fail(path, f"het plan heeft geen veld '{match.group('base')}'")
            return False
        if match.group("key") and item_schema(node) is None:
            self.fail(path, f"'{match.group('base')}' is geen lijst; [{match.group('key')}] kan daar niet")
            return False
        return True

    def turn(self, value: Any, path: Path_) -> Optional[Turn]:
        data = self.mapping(value, path, TURN_KEYS, "een beurt")
        if not data:
            if isinstance(value, dict):
                self.fail(path, "een lege beurt: zet er client, button of counsellor in")
            return None
        actions = [k for k in TURN_ACTIONS if k in data]
        if len(actions) != 1:
            self.fail(
                path,
                "een beurt heeft precies één van: "
                + ", ".join(TURN_ACTIONS)
                + (f" (hier: {', '.join(actions)})" if actions else ""),
            )
            return None
        action = actions[0]
        turn = Turn(kind=action, line=self.doc.line(path))
        if action == "counsellor":
            kind = self.choice(data["counsellor"], path + ("counsellor",), COUNSELLOR_ACTIONS)
            if kind is None:
                return None
            turn.kind = kind
        else:
            turn.text = self.text(data[action], path + (action,), required=True, limit=MAX_TEXT_CHARS)
            if turn.text is None:
                return None
        if "phase" in data:
            if turn.kind == HANDBACK:
                turn.handback_phase = self.choice(data["phase"], path + ("phase",), PHASES)
            else:
                self.fail(path + ("phase",), "'phase' hoort alleen bij 'counsellor: handback'")
        turn.note = self.text(data.get("note"), path + ("note",))
        turn.expect = self.expect(data.get("expect"), path + ("expect",))
        return turn

    def scenario(self, name: str, source: str) -> Optional[Scenario]:
        if self.doc.data is None:
            self.fail((), "het bestand is leeg")
            return None
        data = self.mapping(self.doc.data, (), TOP_KEYS, "een scenario")
        if not data:
            if isinstance(self.doc.data, dict):
                self.fail((), "het scenario is leeg: title, persona en turns ontbreken")
            return None
        title = self.text(data.get("title"), ("title",), required=True, limit=200)
        persona = self.text(data.get("persona"), ("persona",), required=True)
        language = self.choice(data.get("language", "nl"), ("language",), LANGUAGES) or "nl"
        checks = self.texts(data.get("trainer_checks"), ("trainer_checks",))
        never = self.texts(data.get("not_says"), ("not_says",))
        text_checks = data.get("text_checks", True)
        if not isinstance(text_checks, bool):
            self.fail(("text_checks",), "'text_checks' is true of false")
            text_checks = True
        opening = self.expect(data.get("opening"), ("opening",))
        turns: List[Turn] = []
        raw_turns = data.get("turns")
        if not isinstance(raw_turns, list) or not raw_turns:
            self.fail(("turns",), "'turns' moet een lijst met minstens één beurt zijn")
        else:
            for index, raw in enumerate(raw_turns):
                turn = self.turn(raw, ("turns", index))
                if turn is not None:
                    turns.append(turn)
            closed = next((i for i, t in enumerate(turns) if t.kind == CLOSE), None)
            if closed is not None and closed < len(turns) - 1:
                self.fail(("turns", closed + 1), "na 'counsellor: close' kan er geen beurt meer komen")
        if self.issues:
            return None
        return Scenario(
            name=name,
            title=title or "",
            persona=persona or "",
            turns=turns,
            language=language,
            opening=opening,
            trainer_checks=checks,
            not_says=never,
            text_checks=text_checks,
            source=source,
        )


# --- public functions ---------------------------------------------------------------


def parse_scenario(
    text: str, *, name: str, source: Optional[str] = None, known_responses: Optional[Collection[str]] = None
) -> Scenario:
    """A scenario from YAML text; raises ScenarioInvalid listing every mistake with its line."""
    source = source or f"{name}.yml"
    if not valid_name(name):
        raise ScenarioInvalid(
            source,
            [
                Issue(
                    None,
                    "name",
                    f"'{name}' is geen geldige naam: gebruik "
                    "kleine letters, cijfers, - en _ (maximaal 64 tekens)",
                )
            ],
        )
    try:
        doc = _Document(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(str(p) for p in (error.context, error.problem) if p)
        raise ScenarioInvalid(
            source, [Issue(line, "", f"geen geldige YAML: {problem}. {YAML_HINT}")]
        ) from None
    except yaml.YAMLError as error:
        raise ScenarioInvalid(source, [Issue(None, "", f"geen geldige YAML: {error}")]) from None
    validator = _Validator(doc, known_responses)
    scenario = validator.scenario(name, source)
    if scenario is None:
        raise ScenarioInvalid(source, sorted(validator.issues, key=lambda i: i.line or 0))
    return scenario


def scenario_from_data(
    data: Dict[str, Any], *, name: str, known_responses: Optional[Collection[str]] = None
) -> Scenario:
    """A scenario from the JSON the console sends; errors name the field (line of the YAML form)."""
    return parse_scenario(dump_data(data), name=name, known_responses=known_responses)


def load_scenario(path: Union[str, Path], *, known_responses: Optional[Collection[str]] = None) -> Scenario:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioInvalid(str(path), [Issue(None, "", "het bestand is geen UTF-8-tekst")]) from None
    return parse_scenario(text, name=path.stem, source=str(path), known_responses=known_responses)


def scenario_files(directory: Union[str, Path]) -> List[Path]:
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())


def load_directory(
    directory: Union[str, Path], *, known_responses: Optional[Collection[str]] = None
) -> Tuple[List[Scenario], Dict[str, ScenarioInvalid]]:
    """Every scenario in a folder, and the broken files with their mistakes."""
    scenarios: List[Scenario] = []
    broken: Dict[str, ScenarioInvalid] = {}
    for path in scenario_files(directory):
        try:
            scenarios.append(load_scenario(path, known_responses=known_responses))
        except ScenarioInvalid as error:
            broken[path.stem] = error
    return scenarios, broken


def find_file(directory: Union[str, Path], name: str) -> Optional[Path]:
    if not valid_name(name):
        return None
    for suffix in (".yml", ".yaml"):
        path = Path(directory) / f"{name}{suffix}"
        if path.is_file():
            return path
    return None


# --- writing ------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Readable YAML: multi-line text as blocks, short word lists on one line."""


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value.strip() else None
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", value if style is None else value.strip() + "\n", style=style
    )


def _represent_list(dumper: yaml.SafeDumper, value: list):
    short = all(isinstance(v, str) and "\n" not in v for v in value) and sum(len(v) + 4 for v in value) < 70
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=short and bool(value))


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)


def dump_data(data: Dict[str, Any]) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
        indent=2,
    )


def dump_scenario(scenario: Scenario) -> str:
    return dump_data(scenario.to_data())


def write_text_atomically(path: Path, text: str) -> None:
    """Write next to the target, then rename: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text if text.endswith("\n") else text + "\n")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise

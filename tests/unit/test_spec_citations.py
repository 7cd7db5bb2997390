"""Every spec a comment cites is a file in the repository, and every section it names exists.

The specs live in docs/specs/ (conversation, action plan, safety). A comment, docstring or
data-file note that names one of them must give the path (``docs/specs/safety.md §1.5``),
so a maintainer with only the repository can follow it; a section number must be a
heading of that file (``### 1.5 …``, ``### §4 …``) or a numbered item of one
(``§0.5`` = item 5 under ``## 0.``). The old design sketch outside the repository is
``docs/architecture.md`` now, and nothing may point at the briefs outside the repository.

Python files are read for comments and docstrings only (code may hold file names for
other reasons); every other text file is read whole.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "docs" / "specs"
SPEC_NAMES = ("safety", "conversation", "action-plan")
# Where code, data and their notes live (the top-level README and docs/*.md are prose
# about the project, checked by their own reviews; docs/specs/*.md cite each other).
SCANNED_DIRS = (
    "bot",
    "api",
    "actions",
    "cli",
    "rasa_plugins",
    "data",
    "tests",
    "bench",
    "docker",
    "deploy",
    "scripts",
    "docs/specs",
)
SCANNED_FILES = ("domain.yml", "config.yml", "endpoints.yml", "credentials.yml", "Makefile")
SUFFIXES = {".py", ".yml", ".yaml", ".js", ".mjs", ".html", ".json", ".md", ".sh", ".toml", ".cfg"}
SKIPPED_PARTS = {"node_modules", "__pycache__", ".venv", "build", ".pytest_cache"}

# A file name ending in one of the spec names (or the old design sketch), with what precedes it.
CITED = re.compile(r"(?<![\w-])([\w./-]*?)\b(safety|conversation|action-plan|design)\.md\b")
OUTSIDE = re.compile(r"shared/domain|\.\./shared|shared/design")
SECTION_ID = r"\d+[a-z]?(?:\.\d+)*"
# The section list right after a path: "§1.2, §1.5", "§1-§4", "§4, §11, §12", "§2.1 and §3".
SECTIONS_AFTER = re.compile(rf"^(?:\s*(?:,|;|and|en)?\s*§\s*{SECTION_ID}(?:\s*[-–]\s*§?\s*{SECTION_ID})?)+")
ONE_SECTION = re.compile(rf"§\s*({SECTION_ID})(?:\s*[-–]\s*§?\s*({SECTION_ID}))?")


def _files() -> Iterator[Path]:
    for name in SCANNED_FILES:
        if (ROOT / name).is_file():
            yield ROOT / name
    for top in SCANNED_DIRS:
        base = ROOT / top
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and path.suffix in SUFFIXES and not SKIPPED_PARTS & set(path.parts):
                yield path


def _python_notes(source: str) -> List[Tuple[int, str]]:
    """(line, text) of every comment and docstring of a Python source."""
    notes: List[Tuple[int, str]] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                notes.append((token.start[0], token.string))
    except (tokenize.TokenError, IndentationError):
        pass
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return notes
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(getattr(body[0], "value", None), ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                notes.append((body[0].lineno, body[0].value.value))
    return notes


def _notes(path: Path) -> List[Tuple[int, str]]:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".py":
        return _python_notes(text)
    return [(1, text)]


def _line(text: str, offset: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, offset)


def spec_sections(path: Path) -> Set[str]:
    """Section ids of a spec: its numbered headings, and the numbered items under a heading."""
    ids: Set[str] = set()
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = re.match(rf"^#{{2,4}}\s+§?({SECTION_ID})\.?(?:\s|$)", line)
        if heading:
            current = heading.group(1)
            ids.add(current)
            continue
        if line.startswith("#"):
            current = None
            continue
        item = re.match(r"^(\d+)\.\s", line)
        if item and current is not None:
            ids.add(f"{current}.{item.group(1)}")
    return ids


def _known_sections() -> Dict[str, Set[str]]:
    return {name: spec_sections(SPECS / f"{name}.md") for name in SPEC_NAMES}


def _expand(first: str, last: str) -> List[str]:
    """§1-§4 names 1, 2, 3 and 4 when both ends are plain numbers; else just its ends."""
    if first.isdigit() and last.isdigit() and int(first) <= int(last):
        return [str(n) for n in range(int(first), int(last) + 1)]
    return [first, last]


def citation_problems(text: str, first_line: int, known: Dict[str, Set[str]]) -> List[str]:
    problems: List[str] = []
    for match in OUTSIDE.finditer(text):
        problems.append(
            f"line {_line(text, match.start(), first_line)}: points outside the repo: "
            f"{text[max(0, match.start() - 20): match.end() + 30]!r}"
        )
    for match in CITED.finditer(text):
        prefix, name = match.group(1), match.group(2)
        where = f"line {_line(text, match.start(), first_line)}"
        if name == "design":
            problems.append(f"{where}: design.md is docs/architecture.md")
            continue
        if prefix != "docs/specs/":
            problems.append(f"{where}: {prefix}{name}.md: cite docs/specs/{name}.md")
            continue
        listed = SECTIONS_AFTER.match(text[match.end() :])
        if not listed:
            continue
        for section in ONE_SECTION.finditer(listed.group(0)):
            first, last = section.group(1).rstrip("."), section.group(2)
            wanted = _expand(first, last.rstrip(".")) if last else [first]
            for number in wanted:
                if number not in known[name]:
                    problems.append(f"{where}: docs/specs/{name}.md has no §{number}")
    return problems


def test_the_specs_exist_with_the_sections_the_code_relies_on():
    known = _known_sections()
    assert {"1.2", "1.3", "1.5", "1.6", "2.1", "3", "5", "6"} <= known["safety"]
    assert {"0.5", "0.6", "1", "2", "4.2", "5", "6", "7"} <= known["conversation"]
    assert {"1", "2", "3", "4", "4.1", "4.2", "4.3", "6", "11", "12"} <= known["action-plan"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("# see docs/specs/safety.md §1.5: ambiguity goes up", []),
        ("(docs/specs/safety.md §1.2, §1.5)", []),
        ("(docs/specs/action-plan.md §1-§4, docs/specs/conversation.md §1)", []),
        ("# (safety.md §1.5)", ["line 1: safety.md: cite docs/specs/safety.md"]),
        ("# shared/domain/conversation.md §6", None),
        ("# docs/specs/safety.md §9.9", ["line 1: docs/specs/safety.md has no §9.9"]),
        ("# two turns (design.md)", ["line 1: design.md is docs/architecture.md"]),
        ("see bench/safety_sets/README.md and data/nlu_test/safety.yml", []),
    ],
)
def test_the_check_itself(text, expected):
    problems = citation_problems(text, 1, _known_sections())
    if expected is None:
        assert problems  # outside the repo, and a bare name
    else:
        assert problems == expected


def test_every_cited_spec_is_in_the_repo_with_its_section():
    known = _known_sections()
    problems: List[str] = []
    for path in _files():
        if path == Path(__file__).resolve():
            continue  # its examples are wrong on purpose
        for first_line, text in _notes(path):
            problems += [f"{path.relative_to(ROOT)} {p}" for p in citation_problems(text, first_line, known)]
    assert not problems, "\n".join(problems)


# Code too, not only its notes: nothing in the product's packages reaches the documents kept
# beside the repository (a path built from "shared" counts as much as a written one).
PRODUCT_PACKAGES = ("bot", "api", "actions", "cli", "rasa_plugins")
OUTSIDE_IN_CODE = re.compile(r"\.\./shared|shared/(?:domain|design|api-contract|seeds)|[\"']shared[\"']")


def test_no_product_file_reaches_the_documents_beside_the_repository():
    problems = []
    for top in PRODUCT_PACKAGES:
        for path in sorted((ROOT / top).rglob("*")):
            if not path.is_file() or path.suffix not in SUFFIXES or SKIPPED_PARTS & set(path.parts):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if OUTSIDE_IN_CODE.search(line):
                    problems.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "line",
    [
        'return root.parent / "shared" / "domain"',
        "# see ../shared/x.md",
        "(contract: shared/api-contract.md)",
    ],
)
def test_the_outside_check_sees_each_way_of_pointing_out(line):
    assert OUTSIDE_IN_CODE.search(line)

"""Which responses each custom action can say, read from the action source code.

The source is parsed (``ast``), never imported: the domain layer stays free of
rasa_sdk. For every class whose ``name()`` returns an action name, the scan
collects the ``utter_*`` texts in its body, in its bases' bodies and in the
module-level functions and constants it uses. An f-string such as
``f"utter_summary_{self.phase}_intro"`` becomes ``utter_summary_kiezen_intro``
when the class sets ``phase = "kiezen"``, and a ``*`` wildcard otherwise.
"""

from __future__ import annotations

import ast
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set


@dataclass
class ActionCode:
    name: str
    doc: str = ""
    responses: List[str] = field(default_factory=list)  # names and fnmatch patterns
    file: str = ""

    def exact(self) -> Set[str]:
        return {r for r in self.responses if "*" not in r}

    def patterns(self) -> List[str]:
        return [r for r in self.responses if "*" in r]

    def may_say(self, response: str, *, exact_only: bool = False) -> bool:
        if response in self.exact():
            return True
        return not exact_only and any(fnmatch.fnmatchcase(response, p) for p in self.patterns())


class _Module:
    def __init__(self, tree: ast.Module, file: str):
        self.file = file
        self.functions: Dict[str, ast.AST] = {}
        self.constants: Dict[str, ast.AST] = {}
        self.classes: Dict[str, ast.ClassDef] = {}
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions[node.name] = node
            elif isinstance(node, ast.ClassDef):
                self.classes[node.name] = node
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        self.constants[target.id] = node

    def lineage(self, cls: ast.ClassDef) -> List[ast.ClassDef]:
        """The class and its bases defined in this module, nearest first."""
        found = [cls]
        for base in cls.bases:
            if isinstance(base, ast.Name) and base.id in self.classes:
                found += [c for c in self.lineage(self.classes[base.id]) if c not in found]
        return found

    def attributes(self, cls: ast.ClassDef) -> Dict[str, str]:
        values: Dict[str, str] = {}
        for klass in reversed(self.lineage(cls)):  # the subclass wins
            for node in klass.body:
                if (
                    isinstance(node, ast.Assign)
                    and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str)
                ):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            values[target.id] = node.value.value
        return values


def _render(node: ast.AST, attrs: Dict[str, str]) -> Optional[str]:
    """A string constant or an f-string with ``self.x`` filled in (other parts: ``*``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            elif (
                isinstance(value, ast.FormattedValue)
                and isinstance(value.value, ast.Attribute)
                and isinstance(value.value.value, ast.Name)
                and value.value.value.id == "self"
                and value.value.attr in attrs
            ):
                parts.append(attrs[value.value.attr])
            else:
                parts.append("*")
        return "".join(parts)
    return None


def _action_name(module: _Module, cls: ast.ClassDef, attrs: Dict[str, str]) -> Optional[str]:
    for klass in module.lineage(cls):
        for node in klass.body:
            if isinstance(node, ast.FunctionDef) and node.name == "name":
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Return) and inner.value is not None:
                        name = _render(inner.value, attrs)
                        return name if name and "*" not in name else None
    return None


def _responses(module: _Module, roots: Iterable[ast.AST], attrs: Dict[str, str]) -> List[str]:
    found: List[str] = []
    seen: Set[str] = set()
    pending = list(roots)
    while pending:
        root = pending.pop()
        nodes = list(ast.walk(root))
        # The literal pieces of an f-string are not names of their own.
        pieces = {id(v) for n in nodes if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in nodes:
            if id(node) in pieces:
                continue
            text = _render(node, attrs)
            if text and text.startswith("utter_") and text not in found:
                found.append(text)
            if isinstance(node, ast.Name) and node.id not in seen:
                target = module.functions.get(node.id) or module.constants.get(node.id)
                if target is not None:
                    seen.add(node.id)
                    pending.append(target)
    return found


def scan_actions(paths: Iterable[Path]) -> Dict[str, ActionCode]:
    actions: Dict[str, ActionCode] = {}
    for path in paths:
        try:
            tree = ast.parse(Path(path).read_text(encoding="utf-8"))
        except (OSError, SyntaxError):
            continue
        module = _Module(tree, Path(path).name)
        for cls in module.classes.values():
            attrs = module.attributes(cls)
            name = _action_name(module, cls, attrs)
            if not name:
                continue
            lineage = module.lineage(cls)
            doc = next((ast.get_docstring(k) or "" for k in lineage if ast.get_docstring(k)), "")
            actions[name] = ActionCode(
                name=name,
                doc=doc.split("\n\n")[0].replace("\n", " "),
                responses=_responses(module, lineage, attrs),
                file=module.file,
            )
    return actions

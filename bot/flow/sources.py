"""The files the flow picture is drawn from: domain, rules, stories, action code.

Read fresh on every build (they change while the assistant is developed); the
fingerprint tells a cache when to rebuild.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class FlowSources:
    domain: List[Path]
    rules: List[Path]
    stories: List[Path]
    actions: List[Path]

    @classmethod
    def from_repo(cls, root: Optional[Path] = None) -> "FlowSources":
        root = Path(root or REPO_ROOT)
        domain = [root / "domain.yml"] if (root / "domain.yml").exists() else _yaml_files(root / "domain")
        rules = [root / "data" / "rules.yml"] if (root / "data" / "rules.yml").exists() else []
        rules += _yaml_files(root / "data" / "rules")
        return cls(
            domain=domain,
            rules=rules,
            stories=_yaml_files(root / "data" / "stories"),
            actions=sorted((root / "actions").glob("*.py")) if (root / "actions").is_dir() else [],
        )

    def all_files(self) -> List[Path]:
        return [*self.domain, *self.rules, *self.stories, *self.actions]

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for path in self.all_files():
            digest.update(str(path).encode())
            try:
                stat = path.stat()
            except OSError:
                continue
            digest.update(f"{stat.st_mtime_ns}:{stat.st_size}".encode())
        return digest.hexdigest()[:16]


def _yaml_files(folder: Path) -> List[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml"))


def _load(path: Path) -> Dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data if isinstance(data, dict) else {}


@dataclass
class Domain:
    responses: Dict[str, List[Dict[str, Any]]] = field(default_factory=dict)
    forms: Dict[str, List[str]] = field(default_factory=dict)  # form -> required slots
    actions: List[str] = field(default_factory=list)
    intents: List[str] = field(default_factory=list)
    slots: Dict[str, Dict[str, Any]] = field(default_factory=dict)


def read_domain(paths: List[Path]) -> Domain:
    domain = Domain()
    for path in paths:
        data = _load(path)
        for name, variations in (data.get("responses") or {}).items():
            domain.responses.setdefault(name, []).extend(v for v in variations or [] if isinstance(v, dict))
        for name, spec in (data.get("forms") or {}).items():
            slots = (spec or {}).get("required_slots") or []
            if isinstance(slots, dict):  # the older per-slot mapping form
                slots = list(slots)
            domain.forms[name] = [str(s) for s in slots]
        domain.actions += [str(a) for a in data.get("actions") or []]
        domain.intents += [
            next(iter(i)) if isinstance(i, dict) else str(i) for i in data.get("intents") or []
        ]
        domain.slots.update(data.get("slots") or {})
    return domain


def read_steps(paths: List[Path], key: str) -> List[Dict[str, Any]]:
    """Rules (key 'rules') or stories (key 'stories'), each with the file it came from."""
    found: List[Dict[str, Any]] = []
    for path in paths:
        for item in _load(path).get(key) or []:
            if isinstance(item, dict) and isinstance(item.get("steps"), list):
                found.append({**item, "_file": path.name})
    return found

"""Bot wording the API itself must send, read from Rasa's domain file.

The API speaks on its own only when Rasa cannot: the crisis route when Rasa
missed a crisis, and "a counsellor is coming" when Rasa is down. Those texts
live in `domain.yml` responses like every other bot utterance, so there is one
place to word them and to translate them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
# Responses the API sends itself; `create_app` checks they exist at start-up.
CRISIS_RESPONSE = "utter_handoff_crisis"
RASA_DOWN_RESPONSE = "utter_system_rasa_down"
REQUIRED_RESPONSES = (CRISIS_RESPONSE, RASA_DOWN_RESPONSE)


class MissingResponse(LookupError):
    """The domain has no usable variation of a response the API needs."""


@dataclass
class Utterance:
    name: str
    text: str
    buttons: List[Dict[str, str]] = field(default_factory=list)


def default_domain_path() -> Path:
    """`domain.yml` at the repository root, or a `domain/` folder of YAML files."""
    single = REPO_ROOT / "domain.yml"
    return single if single.exists() else REPO_ROOT / "domain"


def _domain_files(path: Path) -> List[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*.yml")) + sorted(path.rglob("*.yaml"))
    return [path]


def _language_of(variation: Dict[str, Any]) -> Optional[str]:
    """The `language` slot value a variation is conditioned on, if any."""
    for condition in variation.get("condition") or []:
        if isinstance(condition, dict) and condition.get("name") == "language":
            return str(condition.get("value"))
    return None


class DomainTexts:
    def __init__(self, responses: Dict[str, List[Dict[str, Any]]]) -> None:
        self.responses = responses

    @classmethod
    def load(cls, path: Union[str, Path, None] = None) -> "DomainTexts":
        responses: Dict[str, List[Dict[str, Any]]] = {}
        for file in _domain_files(Path(path) if path else default_domain_path()):
            if not file.exists():
                continue
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
            for name, variations in (data.get("responses") or {}).items():
                responses.setdefault(name, []).extend(v for v in variations or [] if isinstance(v, dict))
        return cls(responses)

    def missing(self, names=REQUIRED_RESPONSES) -> List[str]:
        return [n for n in names if not any(v.get("text") for v in self.responses.get(n, []))]

    def get(self, name: str, language: str = "nl") -> Utterance:
        """The variation for `language`, else the first one without a language condition."""
        variations = [v for v in self.responses.get(name, []) if v.get("text")]
        if not variations:
            raise MissingResponse(f"domain.yml has no text for response {name!r}")
        for_language = [v for v in variations if _language_of(v) == language]
        unconditioned = [v for v in variations if _language_of(v) is None]
        chosen = (for_language or unconditioned or variations)[0]
        buttons = [
            {"title": str(b.get("title")), "payload": str(b.get("payload") or b.get("title"))}
            for b in chosen.get("buttons") or []
            if isinstance(b, dict) and b.get("title")
        ]
        return Utterance(name=name, text=str(chosen["text"]).strip(), buttons=buttons)

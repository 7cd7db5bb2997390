"""The scenario folder: list, read, save (validated, never half-written), delete.

A save names the version (fingerprint of the text) it replaces, so two trainers
editing the same scenario cannot silently overwrite each other; a new scenario
is saved with no version and may not replace an existing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Collection, Dict, List, Optional

from bot.scenarios.loader import (
    Issue,
    ScenarioInvalid,
    dump_data,
    find_file,
    parse_scenario,
    scenario_files,
    valid_name,
    version_of,
    write_text_atomically,
)
from bot.scenarios.schema import Scenario

REPO_SCENARIOS = Path(__file__).resolve().parents[2] / "data" / "scenarios"


class ScenarioNotFound(LookupError):
    pass


class VersionConflict(Exception):
    """The file changed (or exists) since the editor loaded it."""


@dataclass
class StoredScenario:
    name: str
    path: Path
    text: str
    scenario: Optional[Scenario] = None
    error: Optional[ScenarioInvalid] = None

    @property
    def version(self) -> str:
        return version_of(self.text)

    def listing(self) -> Dict[str, Any]:
        base = {
            "name": self.name,
            "file": self.path.name,
            "version": self.version,
            "valid": self.error is None,
            "errors": [i.to_dict() for i in self.error.issues] if self.error else [],
        }
        if self.scenario is not None:
            base.update({k: v for k, v in self.scenario.summary().items() if k != "name"})
        else:
            base.update({"title": self.name, "persona": "", "turns": 0, "checks": 0})
        return base

    def detail(self) -> Dict[str, Any]:
        return {
            **self.listing(),
            "yaml": self.text,
            "scenario": self.scenario.to_data() if self.scenario is not None else None,
        }


class ScenarioStore:
    def __init__(self, directory: Optional[Path] = None, known_responses: Optional[Collection[str]] = None):
        self.directory = Path(directory or REPO_SCENARIOS)
        self.known_responses = known_responses

    def _read(self, path: Path) -> StoredScenario:
        text = path.read_text(encoding="utf-8", errors="replace")
        stored = StoredScenario(name=path.stem, path=path, text=text)
        try:
            stored.scenario = parse_scenario(
                text, name=path.stem, source=self._shown(path), known_responses=self.known_responses
            )
        except ScenarioInvalid as error:
            stored.error = error
        return stored

    def _shown(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.directory.parent.parent))
        except ValueError:
            return path.name

    def all(self) -> List[StoredScenario]:
        return [self._read(path) for path in scenario_files(self.directory)]

    def get(self, name: str) -> StoredScenario:
        path = find_file(self.directory, name)
        if path is None:
            raise ScenarioNotFound(name)
        return self._read(path)

    def save(
        self,
        name: str,
        *,
        text: Optional[str] = None,
        data: Optional[Dict[str, Any]] = None,
        version: Optional[str] = None,
    ) -> StoredScenario:
        """Validate and write; ``text`` is kept as typed (comments too), ``data`` is formatted."""
        if not valid_name(name):
            raise ScenarioInvalid(
                f"{name}.yml",
                [
                    Issue(
                        None,
                        "name",
                        f"'{name}' is geen geldige naam: gebruik "
                        "kleine letters, cijfers, - en _ (maximaal 64 tekens)",
                    )
                ],
            )
        if text is None:
            text = dump_data(data or {})
        path = find_file(self.directory, name) or self.directory / f"{name}.yml"
        scenario = parse_scenario(
            text, name=name, source=self._shown(path), known_responses=self.known_responses
        )
        current = path.read_text(encoding="utf-8", errors="replace") if path.exists() else None
        if current is not None and version != version_of(current):
            raise VersionConflict(
                "dit scenario is intussen veranderd of bestaat al; laad het opnieuw"
                if version
                else f"er bestaat al een scenario '{name}'"
            )
        if current is None and version:
            raise VersionConflict(f"het scenario '{name}' bestaat niet meer")
        write_text_atomically(path, text)
        return StoredScenario(name=name, path=path, text=path.read_text(encoding="utf-8"), scenario=scenario)

    def delete(self, name: str, version: Optional[str] = None) -> None:
        stored = self.get(name)
        if version is not None and version != stored.version:
            raise VersionConflict("dit scenario is intussen veranderd; laad het opnieuw")
        stored.path.unlink()

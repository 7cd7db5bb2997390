"""Which plan fields the client answers, with their Dutch labels and phase.

Labels, kinds and options come from the schema; who answers and in which phase
come from ``docs/specs/action-plan.md`` §2 (who answers each field, in which
phase), written down once here. Fields the counsellor or the
organisation fills (identity, care availability, appointments …) are absent.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from bot.plan.schema import answer_kind, enum_options, is_answer, item_schema, load_schema, node_at

# path -> phase in which the bot asks it
# (docs/specs/action-plan.md §1-§4, docs/specs/conversation.md §1)
CLIENT_FIELDS: Dict[str, str] = {
    "client_info.country_of_origin": "verkennen",
    "sections.background.education": "verkennen",
    "sections.background.work_experience": "verkennen",
    "sections.background.interests": "verkennen",
    "sections.background.talents": "verkennen",
    "sections.support.supporters": "verkennen",
    "sections.children.has_children": "verkennen",
    "sections.safety.worried": "verkennen",
    "sections.safety.worries": "verkennen",
    "sections.safety.basis_of_worries": "verkennen",
    "sections.information.current_sources": "verkennen",
    "sections.health.physical_complaints": "verkennen",
    "sections.health.mental_complaints": "verkennen",
    "sections.health.uses_medication": "verkennen",
    "factors.overview_1": "verkennen",
    "sections.goals.items": "kiezen",
    "sections.goal_needs.items": "kiezen",
    "sections.expectations_left_behind.had_expectations": "kiezen",
    "sections.expectations_left_behind.expectations": "kiezen",
    "sections.expectations_left_behind.still_expected": "kiezen",
    "sections.expectations_left_behind.still_expected_why": "kiezen",
    "sections.expectations_left_behind.meaning_for_client": "kiezen",
    "sections.own_expectations.looking_forward_to": "kiezen",
    "sections.own_expectations.worries": "kiezen",
    "factors.overview_2": "kiezen",
    "factors.overview_3": "kiezen",
    "provisional_decision.option": "kiezen",
    "provisional_decision.reasons_for": "kiezen",
    "provisional_decision.reasons_against": "kiezen",
    "provisional_decision.importance": "kiezen",
    "provisional_decision.confidence": "kiezen",
    "provisional_decision.what_would_change_it": "kiezen",
    "sections.support.new_contacts_needed": "verkrijgen",
    "sections.support.new_contacts": "verkrijgen",
    "sections.children.school": "verkrijgen",
    "sections.children.school_contacted": "verkrijgen",
    "sections.children.language_skills": "verkrijgen",
    "sections.children.language_learning": "verkrijgen",
    "sections.children.customs_differences": "verkrijgen",
    "sections.children.peer_contact": "verkrijgen",
    "sections.children.activities": "verkrijgen",
    "sections.children.childcare": "verkrijgen",
    "sections.safety.ways_to_feel_safer": "verkrijgen",
    "sections.safety.most_realistic": "verkrijgen",
    "sections.information.additional_sources": "verkrijgen",
    "sections.expectations_left_behind.adjusting_expectations": "verkrijgen",
    "sections.expectations_left_behind.easing_feelings": "verkrijgen",
    "sections.expectations_left_behind.who_can_help": "verkrijgen",
    "sections.organisations_handover.client_role": "verkrijgen",
    "consent.share_with_organisations": "verkrijgen",
    "consent.consult_care_providers": "verkrijgen",
    "sections.monitoring.wants_guidance": "verkrijgen",
    "sections.monitoring.agrees_to_check_ins": "verkrijgen",
    "sections.monitoring.duration_and_moments": "verkrijgen",
    "actions": "verkrijgen",
}


@dataclass(frozen=True)
class PlanField:
    path: str
    label_nl: str
    section: str  # the top block, or the section key under ``sections``
    section_label_nl: str
    phase: str
    kind: str  # text | yes_no | date | text_list | ruler | choice | multi_choice | list
    sensitivity: Optional[str] = None
    options: Tuple[Tuple[str, str], ...] = field(default_factory=tuple)
    item_required: Tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["options"] = [list(pair) for pair in self.options]
        data["item_required"] = list(self.item_required)
        return data


def _section_of(path: str) -> Tuple[str, str, Optional[str]]:
    parts = path.split(".")
    block = ".".join(parts[:2]) if parts[0] == "sections" else parts[0]
    node, _ = node_at(block)
    key = parts[1] if parts[0] == "sections" else parts[0]
    return key, node.get("x-label-nl", key), node.get("x-sensitivity")


def _describe(path: str, phase: str) -> PlanField:
    node, chain = node_at(path)
    section, section_label, section_sensitivity = _section_of(path)
    if is_answer(chain):
        kind = answer_kind(node, chain)
        options = tuple(enum_options(node)) if kind in ("choice", "multi_choice") else ()
        required: Tuple[str, ...] = ()
        sensitivity = node.get("x-sensitivity")
    else:
        items = item_schema(node)
        if items is None:
            raise ValueError(f"{path} is neither an answer nor a list")
        kind, options = "list", ()
        required = tuple(items.get("required", []))
        sensitivity = node.get("x-sensitivity") or items.get("x-sensitivity")
    return PlanField(
        path=path,
        label_nl=node.get("x-label-nl", path),
        section=section,
        section_label_nl=section_label,
        phase=phase,
        kind=kind,
        sensitivity=sensitivity or section_sensitivity,
        options=options,
        item_required=required,
    )


@lru_cache(maxsize=1)
def _catalog() -> Tuple[PlanField, ...]:
    load_schema()
    return tuple(_describe(path, phase) for path, phase in CLIENT_FIELDS.items())


def field_catalog(phase: Optional[str] = None) -> List[PlanField]:
    """Every client-answerable field, in asking order within each phase."""
    fields = list(_catalog())
    return [f for f in fields if phase is None or f.phase == phase]


def field_by_path(path: str) -> PlanField:
    for entry in _catalog():
        if entry.path == path:
            return entry
    raise KeyError(f"{path!r} is not a client-answerable field")

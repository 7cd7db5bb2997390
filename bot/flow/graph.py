"""The conversation's structure as a graph, built from domain, rules and stories.

Nodes are the steps the bot can take (responses, custom actions, forms with
their slots) plus three markers: the start of a conversation, "op elk moment"
(rules that hold anywhere, also inside a form) and the counsellor who takes
over after a hand-off. Edges follow the order of the steps in every rule and
story, labelled with the client's intent in between.

Each node gets a lane: the phase in which the stories first reach it (``begin``
before the first form, ``altijd`` for what is reached from anywhere). Nothing
here is typed in by hand, so the picture follows the data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from types import ModuleType
from typing import Any, Dict, List, Optional, Tuple

from bot import staff_words
from bot.flow.action_code import ActionCode, scan_actions
from bot.flow.sources import Domain, FlowSources, read_domain, read_steps

START, ANYWHERE, COUNSELLOR = "start", "anywhere", "counsellor"
LANES: Tuple[Tuple[str, str], ...] = (
    ("begin", "Begin"),
    ("verkennen", "Verkennen"),
    ("kiezen", "Kiezen"),
    ("verkrijgen", "Verkrijgen"),
    ("afgerond", "Afgerond"),
)
ALWAYS_LANE = "altijd"
# The message the API sends on hand-back (docs/architecture.md, "Hand-back").
RESUME_INTENT = "resume_conversation"
HANDOFF_RESPONSE_PREFIX = "utter_handoff_"
IGNORED_ACTIONS = ("action_listen", "action_restart", "action_session_start")


@dataclass
class Node:
    id: str
    kind: str  # start | anywhere | counsellor | response | action | form
    label: str
    lane: Optional[str] = None
    text: Optional[str] = None  # first wording of a response
    doc: Optional[str] = None  # what a custom action does (its docstring)
    slots: List[Dict[str, Any]] = field(default_factory=list)
    responses: List[str] = field(default_factory=list)  # what it may say (names or patterns)
    mi_code: Optional[str] = None
    order: int = 0
    x: float = 0
    y: float = 0
    w: float = 0
    h: float = 0


@dataclass
class Edge:
    id: str
    source: str
    target: str
    kind: str = "flow"  # flow | form | handoff | resume
    intents: List[str] = field(default_factory=list)
    via: List[str] = field(default_factory=list)  # "regel: …" / "verhaal: …"


@dataclass
class FlowGraph:
    nodes: Dict[str, Node] = field(default_factory=dict)
    edges: Dict[Tuple[str, str], Edge] = field(default_factory=dict)
    width: float = 0
    height: float = 0
    band_y: float = 0
    lane_x: Dict[str, float] = field(default_factory=dict)  # left edge of each phase column
    lane_w: float = 0
    fingerprint: str = ""
    files: List[str] = field(default_factory=list)
    # Every response of the domain: one the picture has no step for is said inside the current step
    # (reflections and deepening lines that actions choose), not an unknown one.
    known_responses: List[str] = field(default_factory=list)

    def edge_between(self, source: str, target: str) -> Optional[Edge]:
        return self.edges.get((source, target))

    def successors(self, node_id: str) -> List[str]:
        return [t for (s, t) in self.edges if s == node_id]

    def to_dict(self) -> Dict[str, Any]:
        return {
            "lanes": [
                {"key": k, "label": label, "x": self.lane_x.get(k), "w": self.lane_w} for k, label in LANES
            ]
            + [{"key": ALWAYS_LANE, "label": "Op elk moment", "x": None, "w": None}],
            "nodes": [asdict(n) for n in sorted(self.nodes.values(), key=lambda n: n.order)],
            "edges": [asdict(e) for e in self.edges.values()],
            "width": self.width,
            "height": self.height,
            "band_y": self.band_y,
            "fingerprint": self.fingerprint,
            "files": self.files,
        }


class _Builder:
    def __init__(self, domain: Domain, code: Dict[str, ActionCode]):
        self.domain = domain
        self.code = code
        self.graph = FlowGraph()
        self.lane_hint: Dict[str, str] = {}
        self._add(START, "start", "Begin van het gesprek", lane="begin")

    # --- nodes and edges ---------------------------------------------------------
    def _add(self, node_id: str, kind: str, label: str, lane: Optional[str] = None) -> Node:
        node = self.graph.nodes.get(node_id)
        if node is None:
            node = Node(id=node_id, kind=kind, label=label, lane=lane, order=len(self.graph.nodes))
            self.graph.nodes[node_id] = node
        return node

    def step_node(self, name: str) -> Node:
        if name in self.domain.forms:
            node = self._add(name, "form", name)
            if not node.slots:
                node.slots = self.form_slots(name)
                validator = self.code.get(f"validate_{name}")
                node.responses = list(validator.responses) if validator else []
                node.doc = validator.doc if validator else None
            return node
        if name.startswith("utter_"):
            node = self._add(name, "response", name)
            variation = _plain_variation(self.domain.responses.get(name) or [])
            if variation and node.text is None:
                node.text = str(variation.get("text") or "").strip() or None
                node.mi_code = (variation.get("metadata") or {}).get("mi_code")
            node.responses = [name]
            return node
        node = self._add(name, "action", name)
        if name in self.code and not node.responses:
            node.responses = list(self.code[name].responses)
            node.doc = self.code[name].doc or None
        return node

    def form_slots(self, form: str) -> List[Dict[str, Any]]:
        questions: Optional[ModuleType]
        try:
            from bot.conversation import questions
        except ImportError:  # the picture does not depend on it
            questions = None
        slots = []
        for slot in self.domain.forms.get(form, []):
            question = f"utter_ask_{slot}" if f"utter_ask_{slot}" in self.domain.responses else None
            variation = _plain_variation(self.domain.responses.get(question or "", []))
            path = None
            if questions is not None and questions.has_question(slot):
                path = questions.question(slot).path
            slots.append(
                {
                    "name": slot,
                    "label": staff_words.slot_label(slot),
                    "question": question,
                    "plan_path": path,
                    "text": str(variation.get("text") or "").strip() if variation else None,
                }
            )
        return slots

    def edge(self, source: str, target: str, *, intent: Optional[str], via: str, kind: str = "flow") -> None:
        key = (source, target)
        edge = self.graph.edges.get(key)
        if edge is None:
            edge = Edge(id=f"{source}->{target}", source=source, target=target, kind=kind)
            self.graph.edges[key] = edge
        if intent and intent not in edge.intents:
            edge.intents.append(intent)
        if via not in edge.via:
            edge.via.append(via)

    # --- walking rules and stories -----------------------------------------------
    def walk(self, item: Dict[str, Any], *, is_rule: bool) -> None:
        via = f"{'regel' if is_rule else 'verhaal'}: {item.get('rule') or item.get('story')}"
        prev: Optional[str] = START if (not is_rule or item.get("conversation_start")) else None
        if is_rule:
            for condition in item.get("condition") or []:
                if isinstance(condition, dict) and condition.get("active_loop"):
                    prev = str(condition["active_loop"])
                    self.step_node(prev)
        intent: Optional[str] = None
        lane = "begin"
        for step in item["steps"]:
            if not isinstance(step, dict):
                continue
            if "intent" in step or "user" in step or "or" in step:
                intent = step.get("intent") or _first_or_intent(step)
                prev = prev or ANYWHERE
                if prev == ANYWHERE:
                    self._add(ANYWHERE, "anywhere", "Op elk moment", lane=ALWAYS_LANE)
            elif "action" in step or "active_loop" in step:
                name = step.get("action") or step.get("active_loop")
                if not name or name in IGNORED_ACTIONS:
                    continue
                name = str(name)
                self.step_node(name)
                if name in self.domain.forms and lane == "begin":
                    lane = "verkennen"
                if not is_rule:
                    self.lane_hint.setdefault(name, lane)
                if prev is not None and prev != name:
                    kind = "form" if "active_loop" in step else "flow"
                    self.edge(prev, name, intent=intent, via=via, kind=kind)
                prev, intent = name, None
            elif "slot_was_set" in step:
                for entry in step.get("slot_was_set") or []:
                    if isinstance(entry, dict) and entry.get("phase") in dict(LANES):
                        lane = entry["phase"]
                        if prev and not is_rule:
                            self.lane_hint[prev] = lane  # the step that changes the phase opens it

    # --- hand-offs ------------------------------------------------------------------
    def add_counsellor(self) -> None:
        handing_off = [
            n
            for n in self.graph.nodes.values()
            if any(r.startswith(HANDOFF_RESPONSE_PREFIX) for r in n.responses)
        ]
        if not handing_off:
            return
        self._add(COUNSELLOR, "counsellor", "Begeleider neemt over", lane=ALWAYS_LANE)
        for node in handing_off:
            self.edge(node.id, COUNSELLOR, intent=None, via="overdracht (ConversationPaused)", kind="handoff")
        for (source, target), edge in list(self.graph.edges.items()):
            if source == ANYWHERE and RESUME_INTENT in edge.intents:
                edge.intents.remove(RESUME_INTENT)
                if not edge.intents:
                    del self.graph.edges[(source, target)]
                self.edge(
                    COUNSELLOR,
                    target,
                    intent=RESUME_INTENT,
                    via="teruggave door de begeleider",
                    kind="resume",
                )

    # --- lanes -----------------------------------------------------------------------
    def assign_lanes(self) -> None:
        nodes = self.graph.nodes
        for node_id, lane in self.lane_hint.items():
            if nodes[node_id].lane is None:
                nodes[node_id].lane = lane
        changed = True
        while changed:  # a node only rules reach takes the lane of the step before it
            changed = False
            for source, target in self.graph.edges:
                if (
                    nodes[target].lane is None
                    and nodes[source].lane
                    and source not in (ANYWHERE, COUNSELLOR)
                    and nodes[source].lane != ALWAYS_LANE
                ):
                    nodes[target].lane = nodes[source].lane
                    changed = True
        for node in nodes.values():
            if node.lane is None:
                node.lane = ALWAYS_LANE


def _plain_variation(variations: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The wording most clients see: the first variation without a condition (e.g. not the
    'welcome back' one for a returning client), else the first one."""
    return next((v for v in variations if not v.get("condition")), variations[0] if variations else None)


def _first_or_intent(step: Dict[str, Any]) -> Optional[str]:
    for option in step.get("or") or []:
        if isinstance(option, dict) and option.get("intent"):
            return str(option["intent"])
    return None


def build_graph(sources: Optional[FlowSources] = None) -> FlowGraph:
    from bot.flow.layout import place

    sources = sources or FlowSources.from_repo()
    builder = _Builder(read_domain(sources.domain), scan_actions(sources.actions))
    for story in read_steps(sources.stories, "stories"):
        builder.walk(story, is_rule=False)
    for rule in read_steps(sources.rules, "rules"):
        builder.walk(rule, is_rule=True)
    builder.add_counsellor()
    builder.assign_lanes()
    graph = builder.graph
    graph.fingerprint = sources.fingerprint()
    graph.files = [p.name for p in sources.all_files()]
    graph.known_responses = sorted(builder.domain.responses)
    place(graph)
    return graph

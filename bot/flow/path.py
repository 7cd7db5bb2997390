"""The path a conversation took through the flow picture, from the responses the
bot used (the ``utter_action`` of every bot message in the transcript).

A response can belong to several steps (``utter_ask_summary_correct`` ends every
phase summary), so each is placed where the conversation just was if it can
be said there, else at a step the previous one leads to, else at the first
step that can say it; a response of the domain with no step of its own is said
inside the current step (no warning). Gaps (a hand-off, the counsellor, the hand-back) are
filled with the shortest route through the picture.
"""

from __future__ import annotations

import fnmatch
from collections import deque
from typing import Any, Dict, List, Optional, Tuple

from bot.flow.graph import ANYWHERE, START, FlowGraph, Node

MAX_GAP = 3


def _slot_of(node: Node, response: str) -> Optional[str]:
    """The slot of a form that this question, reflection or deepening line is about (longest name wins)."""
    best = None
    for slot in node.slots:
        name = slot["name"]
        if response == f"utter_ask_{name}" or any(
            response == f"utter_{kind}_{name}" or response.startswith(f"utter_{kind}_{name}_")
            for kind in ("reflect", "deepen")
        ):
            if best is None or len(name) > len(best):
                best = name
    return best


def candidates(graph: FlowGraph, response: str) -> List[Tuple[str, Optional[str]]]:
    """(node id, slot) pairs that can say ``response``, most specific first."""
    exact: List[Tuple[str, Optional[str]]] = []
    by_slot: List[Tuple[str, Optional[str]]] = []
    named: List[Tuple[str, Optional[str]]] = []
    pattern: List[Tuple[str, Optional[str]]] = []
    for node in graph.nodes.values():
        if node.id == response:
            exact.append((node.id, None))
            continue
        if node.kind == "form":
            slot = _slot_of(node, response)
            if slot:
                by_slot.append((node.id, slot))
                continue
        if response in node.responses:
            named.append((node.id, None))
        elif any("*" in p and fnmatch.fnmatchcase(response, p) for p in node.responses):
            pattern.append((node.id, None))
    return exact + by_slot + named + pattern


def _route(graph: FlowGraph, source: str, target: str) -> Optional[List[str]]:
    """Node ids from source to target (both included) over at most MAX_GAP edges."""
    queue = deque([[source]])
    while queue:
        route = queue.popleft()
        if route[-1] == target:
            return route
        if len(route) > MAX_GAP:
            continue
        for nxt in graph.successors(route[-1]):
            if nxt not in route:
                queue.append(route + [nxt])
    return None


def trace(graph: FlowGraph, responses: List[str]) -> Dict[str, Any]:
    nodes: List[str] = [START]
    edges: List[str] = []
    slots: List[str] = []
    unplaced: List[str] = []
    current = START

    def visit(node_id: str) -> None:
        if node_id not in nodes:
            nodes.append(node_id)

    def use_edge(source: str, target: str) -> None:
        edge = graph.edge_between(source, target)
        if edge and edge.id not in edges:
            edges.append(edge.id)

    known = set(graph.known_responses)
    for response in responses:
        options = candidates(graph, response)
        if not options:
            # A response of the domain without a step of its own (a reflection or deepening line an
            # action chose) is said inside the current step; only an unknown name is worth a warning.
            if response not in known and response not in unplaced:
                unplaced.append(response)
            continue
        ids = [node_id for node_id, _ in options]
        if current in ids:
            chosen = options[ids.index(current)]
        else:
            by_edge = next((o for o in options if graph.edge_between(current, o[0])), None)
            chosen = (
                by_edge
                if by_edge is not None
                else next((o for o in options if _route(graph, current, o[0])), options[0])
            )
        target, slot = chosen
        if slot:
            key = f"{target}.{slot}"
            if key not in slots:
                slots.append(key)
        if target != current:
            route = _route(graph, current, target)
            if route:
                for source, nxt in zip(route, route[1:]):
                    use_edge(source, nxt)
                    visit(nxt)
            elif graph.edge_between(ANYWHERE, target):
                visit(ANYWHERE)
                use_edge(ANYWHERE, target)
            visit(target)
            current = target
    return {"nodes": nodes, "edges": edges, "slots": slots, "unplaced": unplaced}

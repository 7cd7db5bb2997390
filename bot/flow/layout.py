"""Positions for the flow picture: one column per phase, a band below for what
can happen at any moment. Computed here so the picture is the same in every
browser and can be checked in tests; the console only draws it.
"""

from __future__ import annotations

from typing import Dict, List

from bot.flow.graph import ALWAYS_LANE, ANYWHERE, COUNSELLOR, LANES, FlowGraph, Node

# Sized for 12-14 px text at 100 % (the console shows the picture unscaled): ~34 characters a line.
LANE_W = 300
NODE_W = 260
MARGIN = 20
TOP = 56  # room for the lane titles
GAP = 22
NODE_H = 58
SLOT_H = 20
FORM_HEAD = 48
BAND_COLUMNS = 5


def node_height(node: Node) -> float:
    if node.kind == "form":
        return FORM_HEAD + SLOT_H * len(node.slots) + 8
    return NODE_H


def _band_order(graph: FlowGraph, band: List[Node]) -> List[Node]:
    """Op elk moment first, then the hand-off chain, then the client's controls."""
    handing_off = {s for (s, t) in graph.edges if t == COUNSELLOR}
    resumed = {t for (s, t) in graph.edges if s == COUNSELLOR}

    def rank(node: Node):
        if node.id == ANYWHERE:
            return (0, node.order)
        if node.id in handing_off:
            return (1, node.order)
        if node.id == COUNSELLOR:
            return (2, node.order)
        if node.id in resumed:
            return (3, node.order)
        return (4, node.order)

    return sorted(band, key=rank)


def place(graph: FlowGraph) -> None:
    lane_index: Dict[str, int] = {key: i for i, (key, _) in enumerate(LANES)}
    graph.lane_x = {key: MARGIN + i * LANE_W for key, i in lane_index.items()}
    graph.lane_w = NODE_W
    bottoms: List[float] = [TOP] * len(LANES)
    for node in sorted(graph.nodes.values(), key=lambda n: n.order):
        if node.lane == ALWAYS_LANE or node.lane not in lane_index:
            continue
        column = lane_index[node.lane]
        node.w, node.h = NODE_W, node_height(node)
        node.x = MARGIN + column * LANE_W
        node.y = bottoms[column]
        bottoms[column] += node.h + GAP
    band = _band_order(graph, [n for n in graph.nodes.values() if n.lane == ALWAYS_LANE])
    graph.band_y = max(bottoms) + 40
    y = graph.band_y + 40
    for index, node in enumerate(band):
        column, row = index % BAND_COLUMNS, index // BAND_COLUMNS
        node.w, node.h = NODE_W, node_height(node)
        node.x = MARGIN + column * LANE_W
        node.y = y + row * (NODE_H + GAP + 30)
    rows = (len(band) + BAND_COLUMNS - 1) // BAND_COLUMNS
    graph.width = MARGIN * 2 + len(LANES) * LANE_W - (LANE_W - NODE_W)
    graph.height = y + max(rows, 1) * (NODE_H + GAP + 30) + MARGIN

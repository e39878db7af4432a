"""The team graph as an SVG drawing: a deterministic layout of the networkx handoff graph, with
a run's path (and, for an evaluation, the expected path) laid over it.

The drawing is plain values (nodes, curved edges, labels) that a template turns into inline SVG,
so a new card shows up without code changes and the same team always draws the same picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

__all__ = ["Drawing", "DrawnEdge", "DrawnNode", "draw_team", "resolve_expected"]

WIDTH, HEIGHT = 820, 540
NODE_W, NODE_H = 164, 44
_LABEL_CHARS = 44


@dataclass(frozen=True)
class DrawnNode:
    """A role's box: where it is and how the run treated it.

    Attributes:
        order: The 1-based positions at which the run visited the role (empty: never visited).
        expected: The 1-based positions at which the expected path has the role.
    """

    id: str
    name: str
    x: float
    y: float
    order: tuple[int, ...]
    expected: tuple[int, ...] = ()
    diverged: bool = False

    @property
    def visited(self) -> bool:
        return bool(self.order)

    @property
    def left(self) -> float:
        return self.x - NODE_W / 2

    @property
    def top(self) -> float:
        return self.y - NODE_H / 2


@dataclass(frozen=True)
class DrawnEdge:
    """One curve. ``kind``: ``edge`` (the card allows it), ``taken`` (the run handed off along
    it), ``expected`` (the expected path goes along it), ``triage`` (the request's entry)."""

    source: str
    target: str
    kind: str
    d: str
    criterion: str = ""
    steps: tuple[int, ...] = ()
    label_x: float = 0.0
    label_y: float = 0.0

    @property
    def short_label(self) -> str:
        text = self.criterion
        return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class Drawing:
    """Everything the SVG template needs."""

    width: int
    height: int
    nodes: tuple[DrawnNode, ...]
    edges: tuple[DrawnEdge, ...]
    center: tuple[float, float]

    def of_kind(self, kind: str) -> list[DrawnEdge]:
        return [e for e in self.edges if e.kind == kind]


def _layout(roles: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Roles on an ellipse in card order, the first at the top, clockwise."""
    cx, cy = WIDTH / 2, HEIGHT / 2
    rx, ry = WIDTH / 2 - NODE_W / 2 - 16, HEIGHT / 2 - NODE_H / 2 - 24
    count = max(len(roles), 1)
    places = {}
    for index, role in enumerate(roles):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        places[role] = (round(cx + rx * math.cos(angle), 1), round(cy + ry * math.sin(angle), 1))
    return places


def _clip(
    center: tuple[float, float], toward: tuple[float, float], pad: float
) -> tuple[float, float]:
    """Where the line from a box's center toward a point leaves the box (plus ``pad``)."""
    dx, dy = toward[0] - center[0], toward[1] - center[1]
    if dx == 0 and dy == 0:
        return center
    half_w, half_h = NODE_W / 2 + pad, NODE_H / 2 + pad
    t = min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)
    return center[0] + dx * t, center[1] + dy * t


Point = tuple[float, float]
Box = tuple[float, float, float, float]


def _curve(
    start: Point, end: Point, bow: float, *, clip_start: bool = True
) -> tuple[Point, Point, Point]:
    """A quadratic curve between two boxes bowed ``bow`` pixels to its left (A->B and B->A bow
    to opposite sides): its start, control and end points."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy) or 1.0
    nx_, ny_ = -dy / length, dx / length
    control = ((start[0] + end[0]) / 2 + nx_ * bow, (start[1] + end[1]) / 2 + ny_ * bow)
    p0 = _clip(start, control, 2) if clip_start else start
    return p0, control, _clip(end, control, 7)


def _svg_path(curve: tuple[Point, Point, Point]) -> str:
    (x0, y0), (cx, cy), (x1, y1) = curve
    return f"M{x0:.1f},{y0:.1f} Q{cx:.1f},{cy:.1f} {x1:.1f},{y1:.1f}"


def _at(curve: tuple[Point, Point, Point], t: float) -> Point:
    (x0, y0), (cx, cy), (x1, y1) = curve
    u = 1 - t
    return (
        round(u * u * x0 + 2 * u * t * cx + t * t * x1, 1),
        round(u * u * y0 + 2 * u * t * cy + t * t * y1, 1),
    )


def _label_box(point: Point, text: str) -> Box:
    """The box a step badge and its criterion label take (the template draws them so)."""
    width = len(text) * 5.6 + 12
    return point[0] - width / 2, point[1] - 11, point[0] + width / 2, point[1] + 27


def _overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _place_label(curve: tuple[Point, Point, Point], text: str, taken: list[Box]) -> Point:
    """The point along the curve where the label overlaps boxes and other labels least."""
    best: tuple[float, Point] | None = None
    candidates = [
        (x + dx, y + dy)
        for dx, dy in ((0, 0), (0, -26), (0, 26), (-70, 0), (70, 0), (0, -46), (0, 46))
        for x, y in (_at(curve, t) for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78))
    ]
    for point in candidates:
        box = _label_box(point, text)
        outside = max(0.0, -box[0]) + max(0.0, box[2] - WIDTH) + max(0.0, box[3] - HEIGHT)
        cost = sum(_overlap(box, other) for other in taken) + 100 * outside
        if best is None or cost < best[0]:
            best = (cost, point)
        if cost == 0:
            break
    assert best is not None
    taken.append(_label_box(best[1], text))
    return best[1]


def resolve_expected(expected: Sequence[str], actual: Sequence[str]) -> list[str]:
    """An expected path as concrete roles: ``a|b`` becomes the visited role when it fits (else
    ``a``), ``*`` the visited role at that step (dropped when the run ended earlier).

    Example:
        >>> resolve_expected(["pm|ml_engineer", "*", "data_engineer"], ["ml_engineer"])
        ['ml_engineer', 'data_engineer']
    """
    roles = []
    for index, entry in enumerate(expected):
        got = actual[index] if index < len(actual) else None
        if entry == "*":
            if got is not None:
                roles.append(got)
            continue
        options = entry.split("|")
        roles.append(got if got in options else options[0])
    return roles


def _positions(path: Sequence[str]) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = {}
    for index, role in enumerate(path, start=1):
        found.setdefault(role, []).append(index)
    return {role: tuple(steps) for role, steps in found.items()}


def draw_team(
    team: Any,
    *,
    path: Sequence[str] = (),
    handoffs: Sequence[dict[str, Any]] = (),
    entries: Sequence[str] = (),
    expected: Sequence[str] | None = None,
    diverged: str | None = None,
) -> Drawing:
    """Lay out ``team.graph`` and lay a run over it.

    Args:
        team: A ``Team`` (its networkx ``graph`` and cards).
        path: The roles in the order they held the work.
        handoffs: The run's handoff records (``source``, ``target``, ``criterion``), in order.
        entries: The roles triage picked, one per user turn.
        expected: An expected path of concrete roles (see ``resolve_expected``), drawn dashed.
        diverged: The role where the run left the expected path, outlined.

    Example:
        >>> from team.topology import Team
        >>> drawing = draw_team(Team.load(), path=["pm"], entries=["pm"])
        >>> [n.id for n in drawing.nodes if n.visited]
        ['pm']
    """
    graph = team.graph
    roles = [r for r in team.roles if r in graph] + sorted(
        r for r in graph.nodes if r not in team.roles
    )
    places = _layout(roles)
    visits, wanted = _positions(path), _positions(expected or ())
    nodes = tuple(
        DrawnNode(
            id=role,
            name=str(graph.nodes[role].get("name", role)),
            x=places[role][0],
            y=places[role][1],
            order=visits.get(role, ()),
            expected=wanted.get(role, ()),
            diverged=role == diverged,
        )
        for role in roles
    )
    edges: list[DrawnEdge] = []
    for source, target, data in graph.edges(data=True):
        curve = _curve(places[source], places[target], 14)
        criterion = str(data.get("condition", ""))
        edges.append(
            DrawnEdge(source, target, "edge", _svg_path(curve), criterion, (), *_at(curve, 0.5))
        )
    if expected:
        for index, (source, target) in enumerate(pairwise(expected), 1):
            if source in places and target in places and source != target:
                curve = _curve(places[source], places[target], 34)
                data = graph.get_edge_data(source, target) or {}
                criterion = str(data.get("condition", "(no such edge in the team graph)"))
                edges.append(
                    DrawnEdge(
                        source,
                        target,
                        "expected",
                        _svg_path(curve),
                        criterion,
                        (index,),
                        *_at(curve, 0.5),
                    )
                )
    # The request sits between the center and the first entry, so its arrow stays short.
    first = places.get(entries[0]) if entries else None
    center = (WIDTH / 2, HEIGHT / 2)
    if first is not None:
        center = (
            round(first[0] + (center[0] - first[0]) * 0.55, 1),
            round(first[1] + (center[1] - first[1]) * 0.55, 1),
        )
    for turn, role in enumerate(entries, start=1):
        if role in places:
            curve = _curve(center, places[role], 0, clip_start=False)
            edges.append(
                DrawnEdge("", role, "triage", _svg_path(curve), "triage", (turn,), *_at(curve, 0.5))
            )
    steps: dict[tuple[str, str], list[int]] = {}
    criteria: dict[tuple[str, str], str] = {}
    for step, record in enumerate(handoffs, start=1):
        key = (record["source"], record["target"])
        steps.setdefault(key, []).append(step)
        criteria.setdefault(key, str(record.get("criterion", "")))
    obstacles: list[Box] = [
        (n.left - 16, n.top - 16, n.left + NODE_W, n.top + NODE_H) for n in nodes
    ] + [(center[0] - 40, center[1] - 16, center[0] + 40, center[1] + 16)]
    for (source, target), numbers in steps.items():
        if source in places and target in places:
            curve = _curve(places[source], places[target], 14)
            edge = DrawnEdge(
                source, target, "taken", _svg_path(curve), criteria[source, target], tuple(numbers)
            )
            x, y = _place_label(curve, edge.short_label, obstacles)
            edges.append(replace(edge, label_x=x, label_y=y))
    return Drawing(WIDTH, HEIGHT, nodes, tuple(edges), center)

"""Graphs of who is mentioned with whom, laid out at build time for inline SVG.

Two pictures: around one entity (its most frequent companions on a ring)
and across the whole briefing (the most mentioned entities, placed by a
force layout). Both are plain numbers for a template to draw, so no script
is needed to see them (site.js only adds zoom and pan to the whole graph); and every step is deterministic (no
randomness, fixed iteration counts, rounded coordinates), so the same
site gives the same picture byte for byte.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from .link import RELATED_LIMIT, EntityPage, Site
from .memo import LastRun

EGO_LIMIT = RELATED_LIMIT + 1  # the entity and every companion its page lists beside the graph
WHOLE_LIMIT = 60
WHOLE_EDGES_PER_NODE = 4  # each node keeps its strongest links: more turns the picture into a hairball
EGO_FONT = 14  # label sizes in viewBox units, the same as in style.css: the ego graph
WHOLE_FONT = 13  # is drawn smaller on a phone, the whole graph zooms there instead
LINE_HEIGHT = 1.15  # of a label wrapped over lines, in ems
LABEL_LINES = 3  # a name longer than that is cut, with an ellipsis (its full name is in the node's title)
WHOLE_LABEL_WIDTH = 150
# Line widths in viewBox units: within a few pixels whatever the counts, so that one
# heavy pair never draws a blob. In an ego graph every line to the centre is drawn
# thicker than any line between two companions, however many passages those share.
SPOKE_WIDTHS = (1.5, 4.0)
RIM_WIDTHS = (0.75, 1.25)
WHOLE_WIDTHS = (0.75, 3.25)
LAYOUT_ROUNDS = 220
SEPARATION_ROUNDS = 120
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


@dataclass(frozen=True)
class Node:
    entity_id: str
    name: str
    label: tuple[tuple[str, float], ...]  # the name wrapped to fit: (line, its baseline)
    kind: str
    url: str
    weight: int  # mentions (whole graph), or passages shared with the centre (ego graph)
    x: float
    y: float
    r: float
    label_x: float
    anchor: str  # SVG text-anchor of the label: start, middle or end
    centre: bool = False


@dataclass(frozen=True)
class Edge:
    a: str  # entity ids of the two ends
    b: str
    x1: float
    y1: float
    x2: float
    y2: float
    # Passages the two entities share. None on an ego graph's rim (between two companions),
    # which draws only the line's width: a count there that changes without changing the
    # picture would make the page differ from the last build's, and render it again.
    weight: int | None
    width: float
    strong: bool  # to the centre of an ego graph; among the heaviest links of the whole graph


@dataclass(frozen=True)
class Graph:
    width: int
    height: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def links_of(self, entity_id: str) -> list[tuple[Node, int]]:
        """The nodes joined to one node, strongest link first: the graph told as a list."""
        by_id = {node.entity_id: node for node in self.nodes}
        ends = [(by_id[e.b if e.a == entity_id else e.a], e.weight) for e in self.edges if entity_id in (e.a, e.b) and e.weight is not None]
        return sorted(ends, key=lambda end: (-end[1], end[0].name))


def label_width(text: str, size: float) -> float:
    """An estimate of a label's width in a sans-serif system font, without the font at hand.
    Generous: Debian's default sans (DejaVu) is wider than most."""
    em = 0.0
    for ch in text:
        if ch in "il.,;:'|!j ":
            em += 0.32
        elif ch in "frt()-":
            em += 0.42
        elif ch in "mwMW":
            em += 0.92
        elif ch.isupper() or ch.isdigit():
            em += 0.7
        else:
            em += 0.6
    return em * size


def shorten(name: str, width: float, size: float) -> str:
    """The name, cut at a word boundary with an ellipsis when wider than `width`;
    the full name stays in the node's title."""
    if label_width(name, size) <= width:
        return name
    head = name
    while head and label_width(head + "…", size) > width:
        head = head.rsplit(" ", 1)[0] if " " in head else head[:-1]
    return head.rstrip(" ,;-") + "…"


def wrap(name: str, width: float, size: float, lines: int = LABEL_LINES) -> tuple[str, ...]:
    """The name over as few lines as fit `width`, broken between words (a cut name
    reads as another one: "Volodymyr…"); only a name that needs more than `lines`
    lines, or a word wider than `width`, is shortened."""
    out: list[str] = []
    for word in name.split():
        if out and label_width(out[-1] + " " + word, size) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out[lines - 1 :] = [" ".join(out[lines - 1 :])]
    return tuple(shorten(line, width, size) for line in out) or (name,)


def _baselines(lines: tuple[str, ...], first: float, size: float) -> tuple[tuple[str, float], ...]:
    return tuple((line, _round(first + i * size * LINE_HEIGHT)) for i, line in enumerate(lines))


def _block_height(lines: tuple[str, ...], size: float) -> float:
    """From the first baseline to the last."""
    return (len(lines) - 1) * size * LINE_HEIGHT


def shared_passages(pages: dict[str, EntityPage]) -> dict[tuple[str, str], int]:
    """Passages shared by two entities (ids in sorted order), from each page's ranked companions."""
    weights: dict[tuple[str, str], int] = {}
    for entity_id, page in pages.items():
        for other, n in page.related:
            if other.id in pages:
                pair = (min(entity_id, other.id), max(entity_id, other.id))
                weights[pair] = max(weights.get(pair, 0), n)
    return weights


def ego_graph(page: EntityPage, pages: dict[str, EntityPage], width: int = 480, height: int = 380, memo: LastRun[str, Graph] | None = None) -> Graph | None:
    """The entity in the middle and its companions on an upright ring, clockwise from the
    top by passages shared; None when it has no companion. Upright, so that it stays
    readable when a phone shrinks it to fit. With the `memo` of the last build, a graph
    drawn from the same entities, counts and shared passages is the very same object,
    which the entity page's memo compares at the cost of a pointer (see render.RenderMemo)."""
    companions = [(pages[entity.id], n) for entity, n in page.related if entity.id in pages][: EGO_LIMIT - 1]
    if not companions:
        return None
    pairs = shared_passages({p.entity.id: p for p in (page, *(companion for companion, _ in companions))})
    drawn_from = (width, height, page.entity.link, page.mention_count, tuple((companion.entity.link, n) for companion, n in companions), pairs)
    memo = memo or LastRun(keep=False)
    return memo.reuse(page.entity.id, (), lambda: _ego_graph(page, companions, pairs, width, height), equal=drawn_from)


def _ego_graph(page: EntityPage, companions: list[tuple[EntityPage, int]], pairs: dict[tuple[str, str], int], width: int, height: int) -> Graph:
    cx, cy = width / 2, height / 2
    rx, ry = width * 0.18, height / 2 - 48
    heaviest = max(n for _, n in companions)
    ring: list[Node] = []
    for i, (companion, n) in enumerate(companions):
        angle = -math.pi / 2 + 2 * math.pi * i / len(companions)
        x, y = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        r = 5 + 8 * math.sqrt(n / heaviest)
        ring.append(_node(companion, n, (x, y, r), _ring_label(companion.entity.name, x, y, r, width, height)))
    centre = _node(page, page.mention_count, (cx, cy, 16), _centre_label(page.entity.name, cx, cy, 16, ring), centre=True)
    nodes = [centre] + ring
    by_id = {node.entity_id: node for node in nodes}
    spokes = sorted(pair for pair in pairs if page.entity.id in pair)
    # Among the companions, only the strongest links: all of them would hide the spokes.
    rim = sorted(sorted((pair for pair in pairs if page.entity.id not in pair), key=lambda pair: (-pairs[pair], pair))[: len(companions)])
    heaviest_rim = max((pairs[pair] for pair in rim), default=1)
    edges = [_edge(by_id[a], by_id[b], None, _width(pairs[(a, b)], heaviest_rim, RIM_WIDTHS), strong=False) for a, b in rim]
    edges += [_edge(by_id[a], by_id[b], pairs[(a, b)], _width(pairs[(a, b)], heaviest, SPOKE_WIDTHS), strong=True) for a, b in spokes]
    return Graph(width, height, tuple(nodes), tuple(edges))


def _centre_label(name: str, cx: float, cy: float, r: float, ring: list[Node]) -> tuple[tuple[tuple[str, float], ...], float, str]:
    """Below the centre, or above it where the ring leaves more room; narrowed to pass between
    ring nodes, on one line where it fits, else on two."""
    options = []
    for lines in (1, 2):
        for below in (True, False):
            baseline = cy + r + EGO_FONT + 2 if below else cy - r - 7
            extra = (lines - 1) * EGO_FONT * LINE_HEIGHT
            top, bottom = (baseline - EGO_FONT, baseline + 4 + extra) if below else (baseline - EGO_FONT - extra, baseline + 4)
            in_the_way = [n for n in ring if n.y + n.r > top and n.y - n.r < bottom]
            room = min((2 * (abs(n.x - cx) - n.r) - 8 for n in in_the_way), default=2 * cx)
            wrapped = wrap(name, room, EGO_FONT, lines=lines)
            options.append((len(wrapped) == lines and not wrapped[-1].endswith("…"), -lines, room, below, baseline, wrapped))
    *_, below, baseline, wrapped = max(options, key=lambda option: option[:3])
    first = baseline if below else baseline - _block_height(wrapped, EGO_FONT)
    return _baselines(wrapped, first, EGO_FONT), cx, "middle"


def _ring_label(name: str, x: float, y: float, r: float, width: float, height: float) -> tuple[tuple[tuple[str, float], ...], float, str]:
    """A ring node's label points away from the centre: beside it on the sides, above or below it at the poles."""
    cx, cy = width / 2, height / 2
    if abs(x - cx) < 12:
        lines = wrap(name, 2 * min(x, width - x) - 8, EGO_FONT)
        if y < cy:
            return _baselines(lines, y - r - 6 - _block_height(lines, EGO_FONT), EGO_FONT), x, "middle"
        return _baselines(lines, y + r + EGO_FONT + 2, EGO_FONT), x, "middle"
    if x > cx:
        lines, lx, anchor = wrap(name, width - (x + r + 5) - 4, EGO_FONT), x + r + 5, "start"
    else:
        lines, lx, anchor = wrap(name, x - r - 5 - 4, EGO_FONT), x - r - 5, "end"
    return _baselines(lines, y + EGO_FONT * 0.35 - _block_height(lines, EGO_FONT) / 2, EGO_FONT), lx, anchor


def whole_graph(site: Site, width: int = 960, height: int = 640) -> Graph | None:
    """The most mentioned entities, each joined to its strongest companions; None if fewer than two."""
    chosen = sorted(site.entity_pages, key=lambda p: (-p.mention_count, p.entity.name.lower(), p.entity.id))[:WHOLE_LIMIT]
    if len(chosen) < 2:
        return None
    pages = {p.entity.id: p for p in chosen}
    ids = [p.entity.id for p in chosen]
    weights = _strongest_links(shared_passages(pages), ids)
    index = {entity_id: i for i, entity_id in enumerate(ids)}
    links = [(index[a], index[b], n) for (a, b), n in sorted(weights.items())]
    most = chosen[0].mention_count
    # Sizes and pulls in coarse steps: one more mention here or there leaves the
    # layout's inputs, and so the picture, as they were (and the layout memoised).
    radii = [_quantise(4 + 9 * math.sqrt(p.mention_count / most), 0.5) for p in chosen]
    heaviest_link = max((n for _, _, n in links), default=1)
    pulls = tuple((a, b, _quantise(n / heaviest_link, 0.1)) for a, b, n in links)
    labels = [wrap(p.entity.name, WHOLE_LABEL_WIDTH, WHOLE_FONT, lines=2) for p in chosen]
    margin = 24
    xs, ys = _force_layout(len(chosen), pulls, width - 2 * margin, height - 2 * margin)
    halves = tuple(max(r, max(label_width(line, WHOLE_FONT) for line in label) / 2) + 4 for r, label in zip(radii, labels, strict=True))
    # above and below the node's centre
    boxes = tuple((r + 2, r + WHOLE_FONT + 6 + _block_height(label, WHOLE_FONT)) for r, label in zip(radii, labels, strict=True))
    xs, ys = _separate(xs, ys, halves, boxes, width - 2 * margin, height - 2 * margin)
    nodes = tuple(
        _node(p, p.mention_count, (x + margin, y + margin, r), (_baselines(label, y + margin + r + WHOLE_FONT + 1, WHOLE_FONT), x + margin, "middle"))
        for p, label, r, x, y in zip(chosen, labels, radii, xs, ys, strict=True)
    )
    heaviest = max((n for _, _, n in links), default=1)
    threshold = sorted((n for _, _, n in links), reverse=True)[max(0, len(links) // 4 - 1)] if links else 0
    edges = tuple(sorted((_edge(nodes[a], nodes[b], n, _width(n, heaviest, WHOLE_WIDTHS), strong=n >= threshold) for a, b, n in links), key=lambda e: (e.strong, e.weight)))
    return Graph(width, height, nodes, edges)


def _strongest_links(weights: dict[tuple[str, str], int], ids: list[str]) -> dict[tuple[str, str], int]:
    """Keep a link when it is among the strongest few of either of its ends."""
    kept: dict[tuple[str, str], int] = {}
    for entity_id in ids:
        own = sorted(((pair, n) for pair, n in weights.items() if entity_id in pair), key=lambda item: (-item[1], item[0]))
        kept.update(own[:WHOLE_EDGES_PER_NODE])
    return kept


# The two layout steps are the slowest of rendering, and pure: `briefing watch` keeps
# the last results, which serve again whenever an edit leaves the graph as it was.
@functools.lru_cache(maxsize=4)
def _force_layout(count: int, links: tuple[tuple[int, int, float], ...], width: float, height: float) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Fruchterman–Reingold from a sunflower spiral (heaviest nodes in the middle), with a pull
    to the centre so that unlinked nodes stay in the picture; `links` are (node, node, pull
    from 0 to 1). Coordinates inside width × height.

    Vectorised with numpy (a pure-Python round over 60 nodes' 1,770 pairs made this a fifth of
    an edit's rebuild). Every sum is taken in a fixed order, a column or a link at a time, and
    never with numpy's pairwise reductions, whose grouping is numpy's own choice: elementwise
    arithmetic is exact IEEE on every CPU, so the layout, chaotic over 220 rounds, is the same
    on every machine."""
    k = 0.75 * math.sqrt(width * height / count)
    spread = min(width, height) / 2
    order = np.arange(count, dtype=np.float64)
    radius = np.sqrt((order + 0.5) / count) * spread
    xs, ys = radius * np.cos(order * _GOLDEN_ANGLE), radius * np.sin(order * _GOLDEN_ANGLE)
    ends_a = np.array([a for a, _, _ in links], dtype=np.intp)
    ends_b = np.array([b for _, b, _ in links], dtype=np.intp)
    strengths = np.array([(0.5 + pull) / k for _, _, pull in links], dtype=np.float64)
    squash = 0.08 * width / height
    for step in range(LAYOUT_ROUNDS):
        temperature = spread * 0.2 * (1 - step / LAYOUT_ROUNDS) + 0.5
        # Every pair pushes apart: row i holds what each other node does to node i.
        ox, oy = xs[:, None] - xs[None, :], ys[:, None] - ys[None, :]
        d2 = ox * ox + oy * oy
        d2[d2 == 0] = 0.01
        push = (k * k) / d2
        px, py = ox * push, oy * push
        dx, dy = np.zeros(count), np.zeros(count)
        for j in range(count):
            dx += px[:, j]
            dy += py[:, j]
        # Linked nodes pull together; bincount adds the pulls in the links' order.
        lx, ly = xs[ends_a] - xs[ends_b], ys[ends_a] - ys[ends_b]
        d = np.sqrt(lx * lx + ly * ly)
        d[d == 0] = 0.1
        pull_x, pull_y = lx * d * strengths, ly * d * strengths
        dx += np.bincount(ends_b, pull_x, count) - np.bincount(ends_a, pull_x, count)
        dy += np.bincount(ends_b, pull_y, count) - np.bincount(ends_a, pull_y, count)
        dx -= xs * 0.08
        dy -= ys * squash
        length = np.sqrt(dx * dx + dy * dy)
        length[length == 0] = 1.0
        step_size = np.minimum(length, temperature) / length
        xs, ys = xs + dx * step_size, ys + dy * step_size
    return _fit(xs.tolist(), width), _fit(ys.tolist(), height)


def _fit(values: list[float], size: float) -> tuple[float, ...]:
    low, high = min(values), max(values)
    span = high - low or 1.0
    return tuple((v - low) / span * size for v in values)


@functools.lru_cache(maxsize=4)
def _separate(
    start_xs: tuple[float, ...], start_ys: tuple[float, ...], halves: tuple[float, ...], boxes: tuple[tuple[float, float], ...], width: float, height: float
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Push apart nodes whose label boxes overlap, along the axis where they overlap least."""
    xs, ys = list(start_xs), list(start_ys)
    pairs = list(combinations(range(len(xs)), 2))
    for _ in range(SEPARATION_ROUNDS):
        moved = False
        for i, j in pairs:
            overlap_x = halves[i] + halves[j] - abs(xs[i] - xs[j])
            if overlap_x <= 0:  # most pairs, and the cheaper test
                continue
            above, below = (i, j) if ys[i] <= ys[j] else (j, i)
            overlap_y = boxes[above][1] + boxes[below][0] - (ys[below] - ys[above])
            if overlap_y <= 0:
                continue
            moved = True
            if overlap_x < overlap_y:
                left, right = (i, j) if xs[i] <= xs[j] else (j, i)
                xs[left] -= overlap_x / 2
                xs[right] += overlap_x / 2
            else:
                ys[above] -= overlap_y / 2
                ys[below] += overlap_y / 2
        for i in range(len(xs)):
            xs[i] = min(max(xs[i], halves[i]), width - halves[i])
            ys[i] = min(max(ys[i], boxes[i][0]), height - boxes[i][1])
        if not moved:
            break
    return tuple(xs), tuple(ys)


def _node(page: EntityPage, weight: int, circle: tuple[float, float, float], label: tuple[tuple[tuple[str, float], ...], float, str], centre: bool = False) -> Node:
    entity = page.entity
    x, y, r = circle
    lines, lx, anchor = label
    return Node(entity.id, entity.name, lines, entity.kind, entity.url, weight, _round(x), _round(y), _round(r), _round(lx), anchor, centre)


def _width(n: int, heaviest: int, widths: tuple[float, float]) -> float:
    """A line's width between the two of `widths`, by its passages against the heaviest line of its kind."""
    thinnest, thickest = widths
    return _round(thinnest + (thickest - thinnest) * min(n / heaviest, 1.0))


def _edge(a: Node, b: Node, n: int | None, width: float, strong: bool) -> Edge:
    return Edge(a.entity_id, b.entity_id, a.x, a.y, b.x, b.y, n, width, strong)


def _quantise(value: float, step: float) -> float:
    return round(round(value / step) * step, 3)


def _round(value: float) -> float:
    return round(value, 1)

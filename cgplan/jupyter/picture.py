"""Pictures of the constellation as SVG: the whole map, and one gap with what it touches.

The graph is a :mod:`networkx` graph; its breadth-first distances drive a stress
majorization layout (Gansner, Koren and North, *Graph Drawing by Stress
Majorization*, 2004) written here in plain Python, seeded with
:class:`random.Random`. Then every node's box (marker plus label, sized from
the font's advance widths) is pushed apart until no two overlap, and the
picture's viewport is the union of the boxes, so no label is clipped.

Why not ``networkx.spring_layout`` or ``kamada_kawai_layout``: their results
change between networkx releases (and kamada-kawai needs SciPy), while nbval
compares the stored SVG of the notebooks byte for byte. Plain-Python
arithmetic (``+ - * /`` and ``sqrt``, correctly rounded in IEEE 754, summed in
a fixed order; no ``sum()`` of floats, whose rounding changed in Python 3.12,
and no trigonometry, which depends on the C library) and
``random.Random(seed).random()`` give the same bytes on every platform and
Python version, whatever networkx's version: networkx only supplies the graph
and its breadth-first distances, which are whole numbers.
"""

from __future__ import annotations

import html
import math
import random
import re
from dataclasses import dataclass, field

#: Font for every text of the pictures; widths below are DejaVu Sans's, the
#: widest of the common sans-serif fonts (Verdana is as wide, Arial narrower).
FONT_FAMILY = "DejaVu Sans, Verdana, sans-serif"
LABEL_SIZE = 12
LEGEND_SIZE = 11
HEADING_SIZE = 14

# DejaVu Sans advance widths of ASCII 32..126, in thousandths of an em.
_WIDTHS = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)  # fmt: skip
_WIDE = 1000  # any other character: a full em, wider than almost every glyph
#: Font ascent and descent of DejaVu Sans, in ems (a text's box in the browser).
_ASCENT, _DESCENT = 0.93, 0.24
MAX_LABEL = 44  # characters; longer names are cut with an ellipsis (the full name is in the hover title)

PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#bab0ac"]
GAP_COLOR = "#e15759"
GAP_TEXT = "#7a1f1f"
COMPONENT_FILL = "#f4f4f4"
INTEGRATION_STROKE = "#555"
USES_STROKE = "#8c8c8c"
PART_STROKE = "#d4a5a5"
DASH = "4 3"

_PAD_X, _PAD_Y = 10.0, 9.0  # empty space kept between two nodes' boxes
_MARGIN = 12.0  # around the picture
_UNIT = 90.0  # ideal length of one edge, in pixels
#: pictures aim to fit this width (a JupyterLab notebook beside its file browser), growing taller instead
TARGET_WIDTH = 940.0


def text_width(text: str, size: float = LABEL_SIZE) -> float:
    """Width of ``text`` in pixels at ``size`` (no kerning, so never narrower than the browser draws it)."""
    total = 0
    for ch in text:
        o = ord(ch)
        total += _WIDTHS[o - 32] if 32 <= o < 127 else _WIDE
    return total * size / 1000


def type_key(star_type: str) -> str:
    """The first word of a star's type (``Database (Amazon RDS ...)`` -> ``Database``)."""
    m = re.match(r"\s*([A-Za-z][A-Za-z0-9/+-]*)", star_type or "")
    return (m.group(1)[0].upper() + m.group(1)[1:]) if m else "Other"


def short(text: str, limit: int = MAX_LABEL) -> str:
    """``text`` cut to ``limit`` characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-") + "…"


# --------------------------------------------------------------------------- nodes and their boxes


@dataclass
class Node:
    """One shape of a picture: a star (circle), a gap (diamond) or a component (box holding its name)."""

    key: str
    kind: str  # "star" | "gap" | "component"
    label: str
    title: str
    fill: str
    x: float = 0.0
    y: float = 0.0
    #: box around marker and label, relative to (x, y): left, top, right, bottom
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    emphasis: bool = False
    #: the label's side of the marker: 1 right, -1 left (components hold theirs)
    side: int = 1

    def __post_init__(self) -> None:
        self.place_label(1)

    def place_label(self, side: int) -> None:
        self.side = side
        tw = text_width(self.label)
        top, bottom = 4 - _ASCENT * LABEL_SIZE, 4 + _DESCENT * LABEL_SIZE
        if self.kind == "component":
            half = tw / 2 + 8
            self.box = (-half, -12.0, half, 12.0)
        elif side > 0:  # marker of radius 8 at (0, 0), label from x = 13
            self.box = (-9.0, min(-9.0, top), 13 + tw, max(9.0, bottom))
        else:  # label ending at x = -13
            self.box = (-13 - tw, min(-9.0, top), 9.0, max(9.0, bottom))

    def bounds(self) -> tuple[float, float, float, float]:
        left, top, right, bottom = self.box
        return self.x + left, self.y + top, self.x + right, self.y + bottom


@dataclass
class Edge:
    a: str
    b: str
    kind: str  # "integration" | "must-connect" | "uses" | "part"
    title: str = ""


@dataclass
class Picture:
    """Nodes and edges before layout; :func:`render` lays them out and draws them."""

    title: str
    heading: str = ""  # a line of text above the picture
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    legend: list[tuple[str, str, str]] = field(default_factory=list)  # (shape, colour, text)

    def node(self, key: str) -> Node | None:
        for n in self.nodes:
            if n.key == key:
                return n
        return None


# --------------------------------------------------------------------------- layout


def _graph(pic: Picture):
    import networkx as nx

    g = nx.Graph()
    for n in pic.nodes:
        g.add_node(n.key)
    for e in pic.edges:
        if e.a != e.b:
            g.add_edge(e.a, e.b)
    return g


def _distances(pic: Picture) -> list[list[float]]:
    """Graph distances between every two nodes (breadth first); nodes not connected count as one step further
    than the longest distance, at most 4 steps, so a star without integrations stays near the rest."""
    import networkx as nx

    g = _graph(pic)
    keys = [n.key for n in pic.nodes]
    index = {k: i for i, k in enumerate(keys)}
    n = len(keys)
    d = [[0.0] * n for _ in range(n)]
    longest = 1
    found: dict[tuple[int, int], int] = {}
    for src, lengths in nx.all_pairs_shortest_path_length(g):
        for dst, length in lengths.items():
            found[index[src], index[dst]] = length
            longest = max(longest, length)
    for i in range(n):
        for j in range(n):
            if i != j:
                d[i][j] = float(found.get((i, j), min(longest + 1, 4)))
    return d


def _stress(pos: list[list[float]], d: list[list[float]]) -> float:
    total = 0.0
    n = len(pos)
    for i in range(n):
        xi, yi = pos[i]
        for j in range(i + 1, n):
            dx, dy = xi - pos[j][0], yi - pos[j][1]
            dist = math.sqrt(dx * dx + dy * dy)
            want = d[i][j] * _UNIT
            total += (dist - want) * (dist - want) / (want * want)
    return total


def _majorize(d: list[list[float]], seed: int, rounds: int) -> list[list[float]]:
    """Stress majorization, one node at a time, from seeded random positions."""
    n = len(d)
    rng = random.Random(seed)
    side = _UNIT * math.sqrt(n)
    xs, ys = [], []
    for _ in range(n):
        xs.append(rng.random() * side)
        ys.append(rng.random() * side)
    if n < 2:
        return [[x, y] for x, y in zip(xs, ys, strict=True)]
    # weights 1/d^2, and weight times wanted length, per pair
    w = [[(1.0 / (d[i][j] * d[i][j]) if i != j else 0.0) for j in range(n)] for i in range(n)]
    wl = [[w[i][j] * d[i][j] * _UNIT for j in range(n)] for i in range(n)]
    wsum = []
    for row in w:  # a plain loop: sum() of floats rounds differently since Python 3.12
        total = 0.0
        for v in row:
            total += v
        wsum.append(total)
    sqrt = math.sqrt
    for _ in range(rounds):
        moved = 0.0
        for i in range(n):
            xi, yi = xs[i], ys[i]
            sx = sy = 0.0
            wi, wli = w[i], wl[i]
            for j in range(n):
                if j == i:
                    continue
                xj, yj = xs[j], ys[j]
                dx, dy = xi - xj, yi - yj
                dist = sqrt(dx * dx + dy * dy)
                if dist < 1e-9:
                    dist, dx, dy = 1e-9, 1e-9, 0.0
                pull = wli[j] / dist
                sx += wi[j] * xj + pull * dx
                sy += wi[j] * yj + pull * dy
            nx_, ny_ = sx / wsum[i], sy / wsum[i]
            moved = max(moved, abs(nx_ - xi) + abs(ny_ - yi))
            xs[i], ys[i] = nx_, ny_
        if moved < 0.05:
            break
    return [[x, y] for x, y in zip(xs, ys, strict=True)]


def _overlaps(a: tuple, b: tuple) -> tuple[float, float]:
    """How far two boxes (with the padding) overlap along x and y; either <= 0 means they do not."""
    ox = min(a[2], b[2]) - max(a[0], b[0]) + _PAD_X
    oy = min(a[3], b[3]) - max(a[1], b[1]) + _PAD_Y
    return ox, oy


def _close_pairs(nodes: list[Node]) -> list[tuple[int, int]]:
    """Pairs of nodes whose padded boxes overlap now, found by a sweep from left to right."""
    boxes = [nd.bounds() for nd in nodes]
    order = sorted(range(len(nodes)), key=lambda k: (boxes[k][0], k))
    pairs = []
    for pos, i in enumerate(order):
        a = boxes[i]
        for j in order[pos + 1 :]:
            b = boxes[j]
            if b[0] >= a[2] + _PAD_X:
                break
            if min(a[3], b[3]) - max(a[1], b[1]) + _PAD_Y > 0:
                pairs.append((min(i, j), max(i, j)))
    return sorted(pairs)


def _separate(nodes: list[Node], passes: int = 120) -> None:
    """Push overlapping boxes apart along the axis where they overlap least, then guarantee no overlap
    by a final top-to-bottom sweep."""
    for _ in range(passes):
        pairs = _close_pairs(nodes)
        if not pairs:
            return
        for i, j in pairs:
            a, b = nodes[i], nodes[j]
            ox, oy = _overlaps(a.bounds(), b.bounds())
            if ox <= 0 or oy <= 0:
                continue
            if ox < oy:
                shift = ox / 2 + 0.5
                sign = 1.0 if (b.x, j) >= (a.x, i) else -1.0
                a.x -= sign * shift
                b.x += sign * shift
            else:
                shift = oy / 2 + 0.5
                sign = 1.0 if (b.y, j) >= (a.y, i) else -1.0
                a.y -= sign * shift
                b.y += sign * shift
    placed: list[Node] = []
    for node in sorted(nodes, key=lambda m: (m.bounds()[1], m.key)):
        moved = True
        while moved:  # only ever down, so this ends
            moved = False
            for other in placed:
                ox, oy = _overlaps(node.bounds(), other.bounds())
                if ox > 0 and oy > 0:
                    node.y += oy + 0.5
                    moved = True
        placed.append(node)


def _choose_label_sides(pic: Picture) -> None:
    """Put each label on the side of its marker that fewer lines leave from (right when even)."""
    at = {n.key: n for n in pic.nodes}
    leaving: dict[str, list[int]] = {n.key: [0, 0] for n in pic.nodes}  # [left, right]
    for e in pic.edges:
        a, b = at.get(e.a), at.get(e.b)
        if a is None or b is None or a is b:
            continue
        for one, other in ((a, b), (b, a)):
            dx, dy = other.x - one.x, other.y - one.y
            if abs(dx) > abs(dy) / 2:  # within about 63 degrees of the horizontal
                leaving[one.key][1 if dx > 0 else 0] += 1
    for n in pic.nodes:
        if n.kind != "component":
            left, right = leaving[n.key]
            n.place_label(-1 if right > left else 1)


def layout(pic: Picture, *, seeds: tuple[int, ...] = (1, 2, 3)) -> None:
    """Place every node of ``pic``: the least-stress of a few seeded layouts, then no box overlapping another."""
    if not pic.nodes:
        return
    d = _distances(pic)
    best: list[list[float]] | None = None
    best_stress = 0.0
    if len(pic.nodes) > 80:  # big pictures: one start and fewer rounds, to stay within seconds
        seeds, rounds = seeds[:1], 60
    else:
        rounds = 160
    for seed in seeds:
        pos = _majorize(d, seed, rounds)
        s = _stress(pos, d)
        if best is None or s < best_stress:
            best, best_stress = pos, s
    assert best is not None
    # labels run sideways, so lie the layout on its long side and stretch it sideways; while the picture is
    # wider than a notebook, narrow it step by step, then stand it up and narrow again
    xs, ys = [p[0] for p in best], [p[1] for p in best]
    flipped = [[p[1], p[0]] for p in best]
    wide, tall = (best, flipped) if max(xs) - min(xs) >= max(ys) - min(ys) else (flipped, best)
    tries = [(wide, 1.4), (wide, 1.2), (wide, 1.0), (wide, 0.85), (wide, 0.7), (tall, 1.0), (tall, 0.8), (tall, 0.6)]
    for pos, stretch in tries:
        for node, (x, y) in zip(pic.nodes, pos, strict=True):
            node.x, node.y = x * stretch, y
        _choose_label_sides(pic)
        _separate(pic.nodes)
        width = max(n.bounds()[2] for n in pic.nodes) - min(n.bounds()[0] for n in pic.nodes)
        if width + 2 * _MARGIN <= TARGET_WIDTH:
            break
    # round now, so the drawing and every later box computation agree on the same numbers
    left = min(n.bounds()[0] for n in pic.nodes)
    top = min(n.bounds()[1] for n in pic.nodes)
    for node in pic.nodes:
        node.x = round(node.x - left + _MARGIN, 1)
        node.y = round(node.y - top + _MARGIN, 1)


# --------------------------------------------------------------------------- drawing


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text(text: str) -> str:
    """``text`` as the content of an SVG element: ``&``, ``<`` and ``>`` escaped (quotes need not be, and
    IPython's SVG display would write them back as they are), control characters XML forbids left out."""
    return html.escape(_NOT_XML.sub("", text), quote=False)


def _f(x: float) -> str:
    return f"{x:.1f}"


def _diamond(x: float, y: float, r: float) -> str:
    return f"{_f(x)},{_f(y - r)} {_f(x + r)},{_f(y)} {_f(x)},{_f(y + r)} {_f(x - r)},{_f(y)}"


def _legend(pic: Picture, width: float, top: float) -> tuple[list[str], float]:
    """Legend rows under the picture, wrapped to ``width``; returns the SVG lines and the height used."""
    e = _text
    out: list[str] = []
    x, y, row = _MARGIN, top + 14, 18.0
    for shape, colour, text in pic.legend:
        item = 26 + text_width(text, LEGEND_SIZE) + 14
        if x > _MARGIN and x + item > width - _MARGIN:
            x, y = _MARGIN, y + row
        cx, cy = x + 10, y - 4
        if shape == "circle":
            out.append(f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="6" fill="{colour}" stroke="#222"/>')
        elif shape == "diamond":
            out.append(f'<polygon points="{_diamond(cx, cy, 7)}" fill="{colour}" stroke="#222"/>')
        elif shape == "box":
            out.append(
                f'<rect x="{_f(cx - 9)}" y="{_f(cy - 6)}" width="18" height="12" rx="3" fill="{colour}" stroke="#444"/>'
            )
        else:  # a line style: "line" or "dash"
            dash = f' stroke-dasharray="{DASH}"' if shape == "dash" else ""
            out.append(
                f'<line x1="{_f(cx - 10)}" y1="{_f(cy)}" x2="{_f(cx + 10)}" y2="{_f(cy)}" '
                f'stroke="{colour}" stroke-width="1.5"{dash}/>'
            )
        out.append(f'<text class="legend" x="{_f(x + 26)}" y="{_f(y)}" font-size="{LEGEND_SIZE}">{e(text)}</text>')
        x += item
    return out, (y - top) + 8 if pic.legend else 0.0


_EDGE_STYLE = {
    "integration": f'stroke="{INTEGRATION_STROKE}" stroke-width="1.5"',
    "must-connect": f'stroke="{GAP_COLOR}" stroke-width="1.2" stroke-dasharray="{DASH}"',
    "uses": f'stroke="{USES_STROKE}" stroke-width="1"',
    "part": f'stroke="{PART_STROKE}" stroke-width="1.5"',
}


def render(pic: Picture) -> str:
    """Lay ``pic`` out and draw it as a standalone SVG document (deterministic; every text XML-escaped)."""
    layout(pic)
    e = _text
    heading_height = 24.0 if pic.heading else 0.0
    for n in pic.nodes:
        n.y += heading_height
    right = max((n.bounds()[2] for n in pic.nodes), default=200.0) + _MARGIN
    bottom = max((n.bounds()[3] for n in pic.nodes), default=0.0) + _MARGIN
    width = max(right, 360.0, text_width(pic.heading, HEADING_SIZE) + 2 * _MARGIN)
    legend, legend_height = _legend(pic, width, bottom)
    height = bottom + legend_height
    w, h = math.ceil(width), math.ceil(height)
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            f'font-family="{FONT_FAMILY}" font-size="{LABEL_SIZE}">'
        ),
        f"<title>{e(pic.title)}</title>",
        f'<rect width="{w}" height="{h}" fill="#ffffff"/>',
    ]
    if pic.heading:
        parts.append(
            f'<text class="heading" x="{_f(_MARGIN)}" y="{_f(_MARGIN + _ASCENT * HEADING_SIZE)}" '
            f'font-size="{HEADING_SIZE}" fill="{GAP_TEXT}">{e(pic.heading)}</text>'
        )
    at = {n.key: n for n in pic.nodes}
    order = {"uses": 0, "part": 1, "must-connect": 2, "integration": 3}
    for edge in sorted(pic.edges, key=lambda ed: order[ed.kind]):
        a, b = at.get(edge.a), at.get(edge.b)
        if a is None or b is None or a is b:
            continue
        parts.append(
            f'<line class="edge {edge.kind}" x1="{_f(a.x)}" y1="{_f(a.y)}" x2="{_f(b.x)}" y2="{_f(b.y)}" '
            f"{_EDGE_STYLE[edge.kind]}><title>{e(edge.title)}</title></line>"
        )
    for n in pic.nodes:
        t = f"<title>{e(n.title)}</title>"
        if n.kind == "component":
            left, top, right_, bottom_ = n.bounds()
            parts.append(
                f'<rect class="node component" x="{_f(left)}" y="{_f(top)}" width="{_f(right_ - left)}" '
                f'height="{_f(bottom_ - top)}" rx="4" fill="{n.fill}" stroke="#444">{t}</rect>'
            )
            parts.append(
                f'<text class="label" x="{_f(n.x)}" y="{_f(n.y + 4)}" text-anchor="middle">{e(n.label)}</text>'
            )
            continue
        stroke = ' stroke="#222" stroke-width="2.5"' if n.emphasis else ' stroke="#222"'
        if n.kind == "gap":
            parts.append(
                f'<polygon class="node gap" points="{_diamond(n.x, n.y, 9)}" fill="{n.fill}"{stroke}>{t}</polygon>'
            )
            colour = f' fill="{GAP_TEXT}"'
        else:
            parts.append(
                f'<circle class="node star" cx="{_f(n.x)}" cy="{_f(n.y)}" r="8" fill="{n.fill}"{stroke}>{t}</circle>'
            )
            colour = ""
        anchor = "" if n.side > 0 else ' text-anchor="end"'
        parts.append(
            f'<text class="label" x="{_f(n.x + 13 * n.side)}" y="{_f(n.y + 4)}"{anchor}{colour} stroke="#ffffff" '
            f'stroke-width="3" paint-order="stroke">{e(n.label)}</text>'
        )
    parts += legend
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


# --------------------------------------------------------------------------- the two pictures


def _star_colours(stars) -> dict[str, str]:
    types = sorted({type_key(s.type) for s in stars})
    return {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(types)}


def _star_node(s, colour: dict[str, str], *, emphasis: bool = False) -> Node:
    return Node(
        key="star:" + s.name,
        kind="star",
        label=short(s.name),
        title=f"{s.name} — {s.type}" if s.type else s.name,
        fill=colour[type_key(s.type)],
        emphasis=emphasis,
    )


def _gap_node(g) -> Node:
    return Node(
        key="gap:" + g.slug, kind="gap", label=short(f"Gap {g.number}: {g.name}"), title=f"Gap {g.number}: {g.name}",
        fill=GAP_COLOR,
    )  # fmt: skip


def _integration_edges(construction, keep: set[str]) -> list[Edge]:
    """One line per pair of stars the map integrates (both directions and repeats drawn once, titled together)."""
    out: dict[frozenset, Edge] = {}
    for integ in construction.constellation.integrations:
        a, b = integ.stars
        if a in keep and b in keep and a != b:
            text = f"{a} ↔ {b}: {integ.connection_type or 'integration'}"
            pair = frozenset((a, b))
            if pair in out:
                out[pair].title += "\n" + text
            else:
                out[pair] = Edge("star:" + a, "star:" + b, "integration", text)
    return list(out.values())


def constellation_picture(construction) -> Picture:
    """Every star (coloured by type), every integration point, every gap joined to the stars it must connect to."""
    stars = list(construction.stars)
    colour = _star_colours(stars)
    pic = Picture(title=construction.system or "Constellation")
    pic.nodes = [_star_node(s, colour) for s in stars]
    pic.edges = _integration_edges(construction, {s.name for s in stars})
    names = {s.name for s in stars}
    for g in construction.gaps:
        pic.nodes.append(_gap_node(g))
        seen: set[str] = set()
        for ref in g.connects_to:
            if ref.star in names and ref.star not in seen:
                seen.add(ref.star)
                pic.edges.append(
                    Edge("gap:" + g.slug, "star:" + ref.star, "must-connect", f"Gap {g.number} → {ref.star}")
                )
    pic.legend = [("circle", colour[t], t) for t in colour]
    pic.legend += [
        ("diamond", GAP_COLOR, "Gap"),
        ("line", INTEGRATION_STROKE, "integration point"),
        ("dash", GAP_COLOR, "gap must connect to"),
    ]
    return pic


def gap_picture(construction, gap, plan=None) -> Picture:
    """One gap: the stars it must connect to (thick outline) and the others its sketch uses, the integration
    points among them, and the sketch's components joined to the stars each integrates with."""
    if plan is None:
        from cgplan.plan.build import build_plan

        plan = build_plan(construction, gap)
    must = [r.star for r in gap.connects_to if r.star and construction.star(r.star) is not None]
    names: list[str] = []
    for name in must + [u.name for cp in plan.components for u in cp.stars]:
        if name not in names and construction.star(name) is not None:
            names.append(name)
    sk = construction.sketch_for(gap)
    for st in sk.stars if sk else []:
        if st.ref.star and st.ref.star not in names and construction.star(st.ref.star) is not None:
            names.append(st.ref.star)
    stars = [construction.star(n) for n in names]
    colour = _star_colours(construction.stars)  # the same colours as the whole constellation's
    pic = Picture(title=f"Gap {gap.number}: {gap.name}", heading=f"Gap {gap.number}: {gap.name}")
    gap_node = _gap_node(gap)
    gap_node.label = f"Gap {gap.number}"  # its name is the heading
    gap_node.place_label(1)
    pic.nodes = [gap_node]
    pic.nodes += [_star_node(s, colour, emphasis=s.name in must) for s in stars]
    seen: set[str] = set()
    for name in must:
        if name not in seen:
            seen.add(name)
            pic.edges.append(Edge("gap:" + gap.slug, "star:" + name, "must-connect", f"Gap {gap.number} → {name}"))
    pic.edges += _integration_edges(construction, set(names))
    for cp in plan.components:
        key = "component:" + cp.name
        if any(n.key == key for n in pic.nodes):
            continue
        pic.nodes.append(Node(key=key, kind="component", label=short(cp.name), title=cp.name, fill=COMPONENT_FILL))
        pic.edges.append(Edge("gap:" + gap.slug, key, "part", f"{cp.name}: a component of the sketch"))
        for use in cp.stars:
            if use.name in names:
                pic.edges.append(Edge(key, "star:" + use.name, "uses", f"{cp.name} → {use.name}"))
    pic.legend = [("circle", colour[t], t) for t in sorted({type_key(s.type) for s in stars})]
    pic.legend += [
        ("diamond", GAP_COLOR, "the gap"),
        ("line", PART_STROKE, "gap to its sketch's components"),
        ("box", COMPONENT_FILL, "component of its sketch"),
        ("dash", GAP_COLOR, "must connect to (thick outline)"),
        ("line", USES_STROKE, "component uses star"),
        ("line", INTEGRATION_STROKE, "integration point"),
    ]
    return pic


def constellation_svg(construction) -> str:
    """The whole constellation as a standalone SVG document."""
    return render(constellation_picture(construction))


def gap_svg(construction, gap, plan=None) -> str:
    """One gap, its stars, their integration points and its sketch's components, as a standalone SVG document."""
    return render(gap_picture(construction, gap, plan))

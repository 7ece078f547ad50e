"""A sketch's data-flow block (arrows drawn in text) as a graph, and as a Mermaid flowchart.

Horizontal arrows (``→``, ``->``, ``=>``, ``←``, ``<-``, ``↔``, ``⇄``, ``<->``)
join the nodes written on one line; vertical arrows (``↓``, ``↑``, ``↕``) join
the node above to the node below, matched by column. Text in parentheses on an
arrow-only line labels that arrow. Anything that does not parse is skipped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from cgplan.load.fields import norm_key
from cgplan.model.plan import Flow, FlowEdge

_H_ARROWS = [
    ("<-->", "both"),
    ("<->", "both"),
    ("<=>", "both"),
    ("↔", "both"),
    ("⇄", "both"),
    ("⟷", "both"),
    ("⇆", "both"),
    ("-->", "right"),
    ("->", "right"),
    ("==>", "right"),
    ("=>", "right"),
    ("→", "right"),
    ("⟶", "right"),
    ("⇒", "right"),
    ("➔", "right"),
    ("➜", "right"),
    ("▶", "right"),
    ("<--", "left"),
    ("<-", "left"),
    ("<==", "left"),
    ("←", "left"),
    ("⟵", "left"),
    ("⇐", "left"),
]
_H_RE = re.compile("|".join(re.escape(a) for a, _ in _H_ARROWS))
_H_KIND = dict(_H_ARROWS)
_V_ARROWS = {"↓": "down", "⬇": "down", "⇓": "down", "↑": "up", "⬆": "up", "⇑": "up", "↕": "both", "⇕": "both"}
_BOX = "─━│┃┌┐└┘├┤┬┴┼╭╮╯╰═║╔╗╚╝▼▲►◄|"


def _clean_label(text: str) -> str:
    text = "".join(" " if ch in _BOX else ch for ch in text)
    return " ".join(text.split()).strip(" ,;")


def _vertical_only(line: str) -> bool:
    """A line made of vertical arrows, box drawing and parenthesized labels."""
    if not any(ch in _V_ARROWS for ch in line):
        return False
    rest = re.sub(r"\([^()]*\)", "", line)
    return all(ch.isspace() or ch in _V_ARROWS or ch in _BOX for ch in rest)


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _columns(line: str) -> list[int]:
    """Display column of each character."""
    cols, col = [], 0
    for ch in line:
        cols.append(col)
        col += _width(ch)
    return cols


def parse_flow(text: str, components: tuple[str, ...] = ()) -> Flow:
    """Parse a data-flow block into nodes and edges (a fresh object each call).

    ``components``: the sketch's component names. An arrow from above that lands on a node that is no
    component, in the middle of a chain a component heads (``RefundExecutor → Stripe API → ...``), enters
    that chain at the component.
    """
    nodes, edges = _parse_cached(text, components)
    return Flow(nodes=list(nodes), edges=[FlowEdge(*e) for e in edges])


@lru_cache(maxsize=256)
def _parse_cached(
    text: str, components: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[tuple[str, str, str, bool], ...]]:
    flow = _parse(text, components)
    return tuple(flow.nodes), tuple((e.src, e.dst, e.label, e.both) for e in flow.edges)


def component_named(label: str, components: tuple[str, ...] | list[str]) -> str | None:
    """The component a node's label names: the longest component name it starts with
    (``QueueDrainWorker (every 100 ms)`` -> ``QueueDrainWorker``), else ``None``."""
    key = norm_key(label).replace(" ", "")
    best = None
    for name in components:
        name_key = norm_key(name).replace(" ", "")
        if name_key and key.startswith(name_key) and (best is None or len(name_key) > len(norm_key(best))):
            best = name
    return best


def _parse(text: str, components: tuple[str, ...] = ()) -> Flow:
    flow = Flow()
    lines = text.replace("\t", "    ").split("\n")
    # nodes per line: (label, start col, end col)
    spans: list[list[tuple[str, int, int]]] = []
    for line in lines:
        spans.append([] if _vertical_only(line) else _line_nodes(line, flow))
    for i, line in enumerate(lines):
        if not _vertical_only(line):
            continue
        cols = _columns(line)
        for j, ch in enumerate(line):
            kind = _V_ARROWS.get(ch)
            if not kind:
                continue
            x = cols[j]
            above = _nearest(spans, i, -1, x)
            below = _nearest(spans, i, +1, x)
            if not above or not below or above == below:
                continue
            m = re.match(r"\s*\(([^()]*)\)", line[j + 1 :])
            label = " ".join(m.group(1).split()) if m else ""
            if kind == "down" and components and component_named(below, components) is None:
                head = _chain_head(flow, spans, i, below)
                if component_named(head, components) is not None:
                    below = head
            src, dst = (below, above) if kind == "up" else (above, below)
            _add_edge(flow, FlowEdge(src, dst, label, both=kind == "both"))
    return flow


def _line_nodes(line: str, flow: Flow) -> list[tuple[str, int, int]]:
    cols = _columns(line)
    cols.append(cols[-1] + 1 if cols else 0)
    parts: list[tuple[str, int, int]] = []
    arrows: list[str] = []
    pos = 0
    for m in _H_RE.finditer(line):
        parts.append((line[pos : m.start()], pos, m.start()))
        arrows.append(_H_KIND[m.group(0)])
        pos = m.end()
    parts.append((line[pos:], pos, len(line)))
    nodes: list[tuple[str, int, int] | None] = []
    loose: list[tuple[str, int, int]] = []
    for k, (raw, a, b) in enumerate(parts):
        # nodes side by side with no arrow between them: split at wide gaps
        pieces = [(m.group(0), a + m.start()) for m in re.finditer(r"\S+(?:\s{1,2}\S+)*", raw)]
        pieces = [(t, s) for t, s in pieces if _clean_label(t)]
        if not pieces:
            nodes.append(None)
            continue
        spans_here = [(_clean_label(t), cols[s], cols[min(s + len(t), len(cols) - 1)]) for t, s in pieces]
        # the piece touching an arrow is the arrow's node; others stand alone
        if k > 0 and k < len(parts) - 1 and len(spans_here) > 1:
            label = _clean_label(raw)
            lead = len(raw) - len(raw.lstrip())
            nodes.append((label, cols[a + lead], cols[min(b, len(cols) - 1)]))
            continue
        if k > 0:
            nodes.append(spans_here[0])
            loose.extend(spans_here[1:])
        else:
            nodes.append(spans_here[-1])
            loose.extend(spans_here[:-1])
    for k, kind in enumerate(arrows):
        left, right = nodes[k], nodes[k + 1]
        if left is None or right is None:
            continue
        if kind == "left":
            _add_edge(flow, FlowEdge(right[0], left[0]))
        else:
            _add_edge(flow, FlowEdge(left[0], right[0], both=kind == "both"))
    out = sorted([n for n in nodes if n is not None] + loose, key=lambda n: n[1])
    for label, _a, _b in out:
        if label not in flow.nodes and arrows:
            flow.nodes.append(label)
    # a trailing connector (``─┐``) extends the last node's reach to the right
    stripped = line.rstrip()
    if out and stripped and stripped[-1] in _BOX:
        label, a, _b = out[-1]
        out[-1] = (label, a, _columns(stripped)[-1] + 1)
    return out


def _chain_head(flow: Flow, spans: list[list[tuple[str, int, int]]], i: int, node: str) -> str:
    """The first node of the chain ``node`` stands in on the next line below ``i`` with nodes: an arrow from
    above that lands in the middle of ``A → B → C`` enters the chain at ``A``, which the others follow."""
    j = i + 1
    while j < len(spans) and not spans[j]:
        j += 1
    if j == len(spans):
        return node
    on_line = {label for label, _a, _b in spans[j]}
    seen = {node}
    while True:
        before = next((e.src for e in flow.edges if e.dst == node and e.src in on_line and e.src not in seen), None)
        if before is None:
            return node
        node = before
        seen.add(node)


def _nearest(spans: list[list[tuple[str, int, int]]], i: int, step: int, x: int) -> str | None:
    j = i + step
    while 0 <= j < len(spans):
        if spans[j]:
            best = None
            for label, a, b in spans[j]:
                d = 0 if a <= x < b else min(abs(x - a), abs(x - (b - 1)))
                if best is None or d < best[0]:
                    best = (d, label)
            return best[1] if best else None
        j += step
    return None


def _add_edge(flow: Flow, edge: FlowEdge) -> None:
    for n in (edge.src, edge.dst):
        if n not in flow.nodes:
            flow.nodes.append(n)
    for e in flow.edges:
        if e.src == edge.src and e.dst == edge.dst:
            if edge.label and not e.label:
                e.label = edge.label
            return
    flow.edges.append(edge)


# --------------------------------------------------------------------------- mermaid

_ENTITY = {
    '"': "#34;",
    "#": "#35;",
    "&": "#38;",
    "<": "#60;",
    ">": "#62;",
    "`": "#96;",
    "|": "#124;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
}


def mermaid_text(text: str) -> str:
    """Escape a label for a quoted Mermaid node or edge label."""
    return "".join(_ENTITY.get(ch, ch) for ch in " ".join(text.split()))


def node_ids(nodes: list[str]) -> dict[str, str]:
    """Stable ASCII ids for node labels (``API Gateway (Express)`` -> ``api_gateway_express``)."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for label in nodes:
        ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
        base = "_".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:40].strip("_") or "node"
        if base[0].isdigit() or base in ("end", "graph", "subgraph", "flowchart", "style", "class", "click"):
            base = "n_" + base
        nid, k = base, 2
        while nid in used:
            nid, k = f"{base}_{k}", k + 1
        used.add(nid)
        ids[label] = nid
    return ids


def to_mermaid(flow: Flow) -> str:
    """Mermaid ``flowchart LR`` source for the flow, or empty if it has no arrows."""
    if not flow.edges:
        return ""
    ids = node_ids(flow.nodes)
    out = ["flowchart LR"]
    for label in flow.nodes:
        out.append(f'    {ids[label]}["{mermaid_text(label)}"]')
    for e in flow.edges:
        arrow = "<-->" if e.both else "-->"
        mid = f'|"{mermaid_text(e.label)}"|' if e.label else ""
        out.append(f"    {ids[e.src]} {arrow}{mid} {ids[e.dst]}")
    return "\n".join(out)

"""Helpers for the notebooks: normalized executed notebooks, safe Markdown, the constellation picture.

Nothing here imports Jupyter at module level; :func:`normalize_notebook` works
on the plain JSON dict of a notebook.
"""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

from cgplan.extras import require
from cgplan.render.meta import without_meta_line
from cgplan.store.atomic import atomic_write

#: Output MIME type of a live widget view; its model id is random per run.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

_RUN_KEYS = ("start_time", "end_time", "duration", "input_path", "output_path", "environment_variables")


def normalize_notebook(nb: dict) -> dict:
    """Drop what differs from run to run (timings, absolute paths, widget model ids), in place.

    Kept: sources, outputs (minus live widget views, whose ``text/plain``
    fallback stays), execution counts and the parameters papermill injected.
    """
    meta = nb.get("metadata", {})
    meta.pop("widgets", None)
    pm = meta.get("papermill")
    if isinstance(pm, dict):
        for key in _RUN_KEYS:
            pm.pop(key, None)
    for cell in nb.get("cells", []):
        cmeta = cell.get("metadata", {})
        cmeta.pop("execution", None)
        pmc = cmeta.get("papermill")
        if isinstance(pmc, dict):
            for key in ("start_time", "end_time", "duration"):
                pmc.pop(key, None)
        for out in cell.get("outputs", []) or []:
            data = out.get("data")
            if isinstance(data, dict):
                data.pop(WIDGET_VIEW, None)
    return nb


def write_notebook(nb: dict, path: Path) -> None:
    """Write a notebook atomically (temporary file in the same folder, then rename)."""
    path = Path(path)
    atomic_write(path, json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", display=str(path))


# --------------------------------------------------------------------------- Markdown


def escape_markdown_html(text: str) -> str:
    """Markdown whose raw HTML shows as text: ``<`` and ``&`` outside code are backslash-escaped.

    Fenced code blocks and inline code spans are left alone (they already show
    as text), and existing backslash escapes are kept, so escaping twice
    changes nothing.
    """
    out: list[str] = []
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        m = re.match(r"(`{3,}|~{3,})", stripped)
        if fence is not None:
            out.append(line)
            if (
                m
                and m.group(1)[0] == fence[0]
                and len(m.group(1)) >= len(fence)
                and not stripped[len(m.group(1)) :].strip()
            ):
                fence = None
            continue
        if m:
            fence = m.group(1)
            out.append(line)
            continue
        out.append(_escape_inline(line))
    return "".join(out)


def _escape_inline(line: str) -> str:
    res: list[str] = []
    i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if ch == "\\" and i + 1 < n and line[i + 1] in "\\`*_{}[]()#+-.!<>&|~\"'":
            res.append(line[i : i + 2])
            i += 2
            continue
        if ch == "`":
            j = i
            while j < n and line[j] == "`":
                j += 1
            ticks = line[i:j]
            close = line.find(ticks, j)
            while close != -1 and close + len(ticks) < n and line[close + len(ticks)] == "`":
                close = line.find(ticks, close + len(ticks) + 1)
            if close == -1:
                res.append(ticks)
                i = j
                continue
            res.append(line[i : close + len(ticks)])
            i = close + len(ticks)
            continue
        if ch in "<&":
            res.append("\\" + ch)
        else:
            res.append(ch)
        i += 1
    return "".join(res)


def markdown_to_html(text: str) -> str:
    """Render Markdown to HTML with raw HTML disabled: every tag in the text shows as text."""
    MarkdownIt = require("markdown_it", "the plan preview").MarkdownIt

    md = MarkdownIt("zero", {"xhtmlOut": True}).enable(
        [
            "blockquote",
            "code",
            "fence",
            "heading",
            "hr",
            "lheading",
            "list",
            "paragraph",
            "reference",
            "autolink",
            "backticks",
            "emphasis",
            "entity",
            "escape",
            "link",
            "newline",
            "table",
            "strikethrough",
        ]
    )
    return md.render(text)


# --------------------------------------------------------------------------- the constellation picture

_PALETTE = [
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#e15759",
]
_GAP_COLOR = "#e15759"


def type_key(star_type: str) -> str:
    """The first word of a star's type (``Database (Amazon RDS ...)`` -> ``Database``)."""
    m = re.match(r"\s*([A-Za-z][A-Za-z0-9/+-]*)", star_type or "")
    return (m.group(1)[0].upper() + m.group(1)[1:]) if m else "Other"


def constellation_svg(construction, *, width: int = 760) -> str:
    """The constellation as a standalone SVG: stars by type on a circle, integrations as lines,
    gaps in the middle joined (dashed) to the stars they must connect to.

    Deterministic: the same folder gives the same bytes. Every name is XML-escaped.
    """
    stars = list(construction.stars)
    types = sorted({type_key(s.type) for s in stars})
    color = {t: _PALETTE[i % len(_PALETTE)] for i, t in enumerate(types)}
    height = width * 3 // 4
    cx, cy = width / 2, height / 2 - 10
    rx, ry = width * 0.36, height * 0.38
    pos: dict[str, tuple[float, float]] = {}
    for i, s in enumerate(stars):
        a = -math.pi / 2 + 2 * math.pi * i / max(len(stars), 1)
        pos[s.name] = (cx + rx * math.cos(a), cy + ry * math.sin(a))
    # gaps in a column down the middle, each joined to the stars around it
    gaps = list(construction.gaps)
    gpos: dict[str, tuple[float, float]] = {}
    span = ry * 1.1
    for i, g in enumerate(gaps):
        y = cy if len(gaps) == 1 else cy - span / 2 + span * i / (len(gaps) - 1)
        gpos[g.slug] = (cx, y)

    def f(x: float) -> str:
        return f"{x:.1f}"

    e = html.escape
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">'
        ),
        f"<title>{e(construction.system)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for integ in construction.constellation.integrations:
        a, b = integ.stars
        if a in pos and b in pos:
            (x1, y1), (x2, y2) = pos[a], pos[b]
            label = integ.connection_type or "integration"
            parts.append(
                f'<line x1="{f(x1)}" y1="{f(y1)}" x2="{f(x2)}" y2="{f(y2)}" stroke="#555" stroke-width="1.5">'
                f"<title>{e(a)} ↔ {e(b)}: {e(label)}</title></line>"
            )
    for g in gaps:
        gx, gy = gpos[g.slug]
        for ref in g.connects_to:
            if ref.star in pos:
                sx, sy = pos[ref.star]
                parts.append(
                    f'<line x1="{f(gx)}" y1="{f(gy)}" x2="{f(sx)}" y2="{f(sy)}" '
                    f'stroke="{_GAP_COLOR}" stroke-width="1" stroke-dasharray="4 3"/>'
                )
    for s in stars:
        x, y = pos[s.name]
        parts.append(
            f'<circle cx="{f(x)}" cy="{f(y)}" r="16" fill="{color[type_key(s.type)]}" stroke="#222">'
            f"<title>{e(s.name)} — {e(s.type)}</title></circle>"
        )
        anchor = "middle" if abs(x - cx) < 1 else ("start" if x > cx else "end")
        dx = 0 if anchor == "middle" else (20 if anchor == "start" else -20)
        dy = -22 if (anchor == "middle" and y < cy) else (30 if anchor == "middle" else 4)
        parts.append(f'<text x="{f(x + dx)}" y="{f(y + dy)}" text-anchor="{anchor}">{e(s.name)}</text>')
    for g in gaps:
        gx, gy = gpos[g.slug]
        parts.append(
            f'<rect x="{f(gx - 9)}" y="{f(gy - 9)}" width="18" height="18" transform="rotate(45 {f(gx)} {f(gy)})" '
            f'fill="{_GAP_COLOR}" stroke="#222"><title>Gap {g.number}: {e(g.name)}</title></rect>'
        )
        parts.append(
            f'<text x="{f(gx)}" y="{f(gy + 24)}" text-anchor="middle" font-size="11" fill="#7a1f1f" '
            f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{e(f"Gap {g.number}: {g.name}")}</text>'
        )
    # legend
    ly = height - 14
    lx = 10.0
    for t in types:
        parts.append(f'<circle cx="{f(lx + 6)}" cy="{f(ly - 4)}" r="6" fill="{color[t]}" stroke="#222"/>')
        parts.append(f'<text x="{f(lx + 16)}" y="{f(ly)}">{e(t)}</text>')
        lx += 24 + 7 * len(t)
    parts.append(
        f'<rect x="{f(lx)}" y="{f(ly - 10)}" width="10" height="10" '
        f'transform="rotate(45 {f(lx + 5)} {f(ly - 5)})" fill="{_GAP_COLOR}" stroke="#222"/>'
    )
    parts.append(f'<text x="{f(lx + 16)}" y="{f(ly)}">Gap (dashed: must connect to)</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


# --------------------------------------------------------------------------- notebook views


def _bullets(items) -> list[str]:
    return [f"- {escape_markdown_html(t.text)}" for t in items] or ["- *(none stated)*"]


def gap_markdown(construction, gap) -> str:
    """The gap as Markdown: capability, constraints, success criteria (names escaped)."""
    e = escape_markdown_html
    lines = [
        f"### Gap {gap.number}: {e(gap.name)}",
        "",
        f"*{e(gap.source.cite())}* · priority **{e(gap.priority or 'not stated')}**",
        "",
    ]
    lines += ["**Missing capability:** " + (e(gap.missing_capability) or "*(not stated)*"), ""]
    lines += ["**Constraints that must shape it:**", *_bullets(gap.constraints), ""]
    lines += ["**Success criteria:**"]
    lines += [f"- **{sc.id}** {e(sc.text)}" for sc in gap.success_criteria] or ["- *(none stated)*"]
    return "\n".join(lines) + "\n"


def gap_stars(construction, gap) -> list:
    """The stars a gap touches: its must-connect-to stars, then its sketch's, catalog objects, no repeats."""
    names: list[str] = []
    for ref in gap.connects_to:
        if ref.star and ref.star not in names:
            names.append(ref.star)
    sk = construction.sketch_for(gap)
    for st in sk.stars if sk else []:
        if st.ref.star and st.ref.star not in names:
            names.append(st.ref.star)
    return [construction.star(n) for n in names if construction.star(n) is not None]


def stars_markdown(construction, gap) -> str:
    """The stars a gap touches, each with its contracts and failure modes (names escaped)."""
    e = escape_markdown_html
    out: list[str] = []
    for s in gap_stars(construction, gap):
        out += [
            f"#### {e(s.name)}",
            "",
            f"*{e(s.source.cite())}* · {e(s.type or 'type not stated')} · {e(s.status or 'status not stated')}",
            "",
        ]
        out += ["**Exposed contracts:**", *_bullets(s.contracts.all()), ""]
        out += ["**Failure modes and recovery:**", *_bullets(s.errors), ""]
    return "\n".join(out) if out else "*No resolved stars.*\n"


def criteria_frame(plan):
    """Success criteria -> tests, one row per criterion."""
    pd = require("pandas", "notebook tables")

    rows = [{"id": cc.id, "criterion": cc.text, "test": cc.test, "decided": cc.decided} for cc in plan.criteria]
    return pd.DataFrame(rows, columns=["id", "criterion", "test", "decided"]).set_index("id")


def findings_frame(findings):
    """Check findings as a table (rule, severity, line, message)."""
    pd = require("pandas", "notebook tables")

    rows = [{"rule": f.rule, "severity": f.severity, "line": f.line, "message": f.message} for f in findings]
    return pd.DataFrame(rows, columns=["rule", "severity", "line", "message"])


def stars_frame(construction):
    """The catalog as a table: type, status, how many contracts and failure modes, which gaps need it."""
    pd = require("pandas", "notebook tables")

    needed: dict[str, list[str]] = {}
    for g in construction.gaps:
        for s in gap_stars(construction, g):
            needed.setdefault(s.name, []).append(g.slug)
    rows = []
    for s in construction.stars:
        integ = sum(1 for i in construction.constellation.integrations if s.name in i.stars)
        rows.append(
            {
                "star": s.name,
                "type": type_key(s.type),
                "status": s.status,
                "contracts": len(s.contracts.all()),
                "failure modes": len(s.errors),
                "integrations": integ,
                "gaps": ", ".join(needed.get(s.name, [])),
            }
        )
    return pd.DataFrame(
        rows, columns=["star", "type", "status", "contracts", "failure modes", "integrations", "gaps"]
    ).set_index("star")


def problems_frame(construction):
    """The folder's problems as a table (empty when there are none)."""
    pd = require("pandas", "notebook tables")

    rows = [
        {"severity": p.severity, "kind": p.kind, "file": p.file, "line": p.line, "message": p.message}
        for p in construction.problems
    ]
    return pd.DataFrame(rows, columns=["severity", "kind", "file", "line", "message"])


def plan_display_markdown(text: str) -> str:
    """A rendered plan ready for ``IPython.display.Markdown``: meta line dropped, raw HTML shown as text.

    Its ```` ```mermaid ```` block stays a fence, which JupyterLab draws as a diagram.
    """
    return escape_markdown_html(without_meta_line(text))


# --------------------------------------------------------------------------- stored notebooks


def refresh_notebook(path: str | Path, *, timeout: int = 600, kernel: str = "python3") -> None:
    """Re-execute a stored notebook in place (in its own folder, as nbval runs it) and normalize it."""
    nbformat = require("nbformat", "refreshing a notebook")
    NotebookClient = require("nbclient", "refreshing a notebook").NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel,
        resources={"metadata": {"path": str(path.parent.resolve())}},
        shutdown_kernel="immediate",
        record_timing=False,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    client.execute()
    write_notebook(normalize_notebook(json.loads(nbformat.writes(nb))), path)


if __name__ == "__main__":  # python -m cgplan.nbutil notebooks/*.ipynb
    import sys

    for arg in sys.argv[1:]:
        refresh_notebook(arg)
        print(f"refreshed {arg}")

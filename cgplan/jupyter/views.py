"""Helpers for the notebooks: normalized executed notebooks, safe Markdown, the constellation picture.

Nothing here imports Jupyter at module level; :func:`normalize_notebook` works
on the plain JSON dict of a notebook.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from cgplan.extras import require
from cgplan.jupyter import picture
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


# --------------------------------------------------------------------------- the pictures

# Drawn by cgplan.jupyter.picture; re-exported here, where the notebooks find their views.
constellation_svg = picture.constellation_svg
gap_svg = picture.gap_svg
type_key = picture.type_key


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

"""The criteria-to-tests table: one row per success criterion of every gap.

``coverage(c)`` returns a pandas DataFrame (pandas, from the ``jupyter`` extra,
is imported only there, so ``import cgplan`` stays light). ``cgplan.coverage(c)``
works too: the package exposes this function lazily. The text the ``cgplan
coverage`` command prints is made from plain rows (:func:`coverage_rows`,
:func:`render_rows`), so the command runs in the core install, without pandas.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from cgplan.extras import require
from cgplan.model.construction import Construction

COLUMNS = ["gap", "gap_name", "criterion_id", "criterion", "test", "plan", "status"]
"""Columns of the coverage table."""
SUMMARY_COLUMNS = ["gap", "plan", "criteria", "mapped", "unmapped"]
"""Columns of the per-gap summary."""
FORMATS = ("table", "csv", "markdown")
"""Output formats of ``cgplan coverage``."""


@dataclass
class Row:
    """One success criterion and the test that covers it."""

    gap: str
    """Gap slug."""
    gap_name: str
    """Gap name."""
    criterion_id: str
    """``SC1.2``."""
    criterion: str
    """Criterion text."""
    test: str | None
    """Test named for it, if any."""
    plan: str | None
    """Plan file (relative to the folder holding ``construction/``), if any."""
    status: str
    """``mapped``, ``unmapped`` or ``no plan``."""


def coverage_rows(construction: Construction) -> list[Row]:
    """The table as plain rows, gap order then criterion order."""
    from cgplan.check.criteria import map_criteria
    from cgplan.reports.planned import plans_by_gap

    by_gap = plans_by_gap(construction)
    rows: list[Row] = []
    for g in construction.gaps:
        pf = by_gap.get(g.slug)
        if pf is None:
            rows.extend(Row(g.slug, g.name, sc.id, sc.text, None, None, "no plan") for sc in g.success_criteria)
            continue
        for m in map_criteria(g, pf.parsed):
            rows.append(
                Row(
                    g.slug,
                    g.name,
                    m.criterion.id,
                    m.criterion.text,
                    m.test,
                    pf.display,
                    "mapped" if m.test else "unmapped",
                )
            )
    return rows


def coverage(construction: Construction):
    """A DataFrame with one row per success criterion: see :data:`COLUMNS`."""
    pd = require("pandas", "the coverage table")

    rows = coverage_rows(construction)
    return pd.DataFrame([[getattr(r, col) for col in COLUMNS] for r in rows], columns=COLUMNS)


def summary(df):
    """Per gap: its plan, number of criteria, how many are mapped and unmapped."""
    pd = require("pandas", "the coverage table")

    out = []
    for gap, part in df.groupby("gap", sort=False):
        mapped = int((part["status"] == "mapped").sum())
        plans = [p for p in part["plan"].tolist() if isinstance(p, str)]
        out.append([gap, plans[0] if plans else "no plan", len(part), mapped, len(part) - mapped])
    return pd.DataFrame(out, columns=SUMMARY_COLUMNS)


def _md_cell(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).replace("|", "\\|").replace("\n", " ")


def to_markdown(df) -> str:
    """A GitHub-flavoured Markdown table (no extra dependency)."""
    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
    return "\n".join(lines)


def render(df, fmt: str = "table") -> str:
    """The table followed by the per-gap summary, in one of :data:`FORMATS`."""
    summ = summary(df)
    shown = df.fillna("")
    if fmt == "csv":
        return shown.to_csv(index=False, lineterminator="\n") + "\n" + summ.to_csv(index=False, lineterminator="\n")
    if fmt == "markdown":
        return to_markdown(shown) + "\n\n" + to_markdown(summ) + "\n"
    rows = df[["gap", "plan", "criterion_id", "status", "criterion", "test"]].values.tolist()
    return to_text(rows, summ[["gap", "criteria", "mapped", "unmapped"]].values.tolist())


# --------------------------------------------------------------------------- text without pandas


def summary_rows(rows: list[Row]) -> list[list]:
    """Per gap, in order: its plan (or ``no plan``), number of criteria, mapped, unmapped (:data:`SUMMARY_COLUMNS`)."""
    out: dict[str, list] = {}
    for r in rows:
        entry = out.setdefault(r.gap, [r.gap, None, 0, 0, 0])
        if entry[1] is None and r.plan:
            entry[1] = r.plan
        entry[2] += 1
        entry[3 if r.status == "mapped" else 4] += 1
    return [[gap, plan or "no plan", n, mapped, unmapped] for gap, plan, n, mapped, unmapped in out.values()]


def _text(value) -> str:
    return "" if value is None else str(value)


def _csv(columns: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[_text(v) for v in row] for row in rows])
    return buf.getvalue()


def _markdown(columns: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def render_rows(rows: list[Row], fmt: str = "table") -> str:
    """The same text as :func:`render` of the DataFrame, made from :func:`coverage_rows` without pandas."""
    table = [[getattr(r, col) for col in COLUMNS] for r in rows]
    summ = summary_rows(rows)
    if fmt == "csv":
        return _csv(COLUMNS, table) + "\n" + _csv(SUMMARY_COLUMNS, summ)
    if fmt == "markdown":
        return _markdown(COLUMNS, table) + "\n\n" + _markdown(SUMMARY_COLUMNS, summ) + "\n"
    shown = [[r.gap, r.plan, r.criterion_id, r.status, r.criterion, r.test] for r in rows]
    return to_text(shown, [[gap, n, mapped, unmapped] for gap, _plan, n, mapped, unmapped in summ])


TABLE_WIDTH = 100
"""Widest line of the ``table`` format; longer cells are cut on a word boundary with ``…``."""


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters at a word boundary (space, ``_``, ``-``, ``/``), ending in ``…``."""
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    cut = text[: width - 1]
    stop = max(cut.rfind(ch) for ch in " _-/")
    if stop >= width // 2:
        cut = cut[:stop]
    return cut.rstrip(" _-/,;:") + "…"


def _cell(value) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else " ".join(str(value).split())


def to_text(table: list[list], summ: list[list]) -> str:
    """The table for a terminal, no line wider than :data:`TABLE_WIDTH`: one block per gap
    (its slug and plan, then each criterion's id, status and text with its test below), then
    the per-gap summary. ``table`` rows are ``[gap, plan, criterion_id, status, criterion, test]``,
    ``summ`` rows ``[gap, criteria, mapped, unmapped]``."""
    rows = [[_cell(v) for v in row] for row in table]
    id_w = max([2, *(len(r[2]) for r in rows)])
    st_w = max([6, *(len(r[3]) for r in rows)])
    indent = 2 + id_w + 2 + st_w + 2
    room = TABLE_WIDTH - indent
    out = [fit(f"{'':2}{'id':<{id_w}}  {'status':<{st_w}}  criterion / → test", TABLE_WIDTH)]
    current = None
    for gap, plan, cid, status, crit, test in rows:
        if gap != current:
            out.append(fit(f"{gap} ({plan or 'no plan'})", TABLE_WIDTH))
            current = gap
        out.append(f"  {cid:<{id_w}}  {status:<{st_w}}  {fit(crit, room)}".rstrip())
        if plan:
            out.append(" " * indent + fit(f"→ {test or '(no test)'}", room))
    srows = [[_cell(v) for v in row] for row in summ]
    gap_w = min(max([3, *(len(r[0]) for r in srows)]), TABLE_WIDTH - 30)
    out.append("")
    out.append(f"{'gap':<{gap_w}}  criteria  mapped  unmapped")
    for gap, n, mapped, unmapped in srows:
        out.append(f"{fit(gap, gap_w):<{gap_w}}  {n:>8}  {mapped:>6}  {unmapped:>8}")
    return "\n".join(out) + "\n"

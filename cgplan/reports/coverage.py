"""The criteria-to-tests table: one row per success criterion of every gap.

``coverage(c)`` returns a pandas DataFrame (pandas is imported only here, so
``import cgplan`` stays light). ``cgplan.coverage(c)`` works too: the package
exposes this function lazily, and this module is itself callable.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    from cgplan.check.context import Context, find_plans, load_plan
    from cgplan.check.criteria import map_criteria

    ctx = Context.of(construction)
    by_gap = {}
    for path in find_plans(construction):
        pf = load_plan(ctx, path)
        if pf.gap is not None and pf.gap.slug not in by_gap:
            by_gap[pf.gap.slug] = pf
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
    import pandas as pd

    rows = coverage_rows(construction)
    return pd.DataFrame([[getattr(r, col) for col in COLUMNS] for r in rows], columns=COLUMNS)


def summary(df):
    """Per gap: its plan, number of criteria, how many are mapped and unmapped."""
    import pandas as pd

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
    return to_text(df, summ)


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


def to_text(df, summ) -> str:
    """The table for a terminal, no line wider than :data:`TABLE_WIDTH`: one block per gap
    (its slug and plan, then each criterion's id, status and text with its test below), then
    the per-gap summary."""
    rows = [
        [_cell(v) for v in row] for row in df[["gap", "plan", "criterion_id", "status", "criterion", "test"]].values
    ]
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
    srows = [[_cell(v) for v in row] for row in summ[["gap", "criteria", "mapped", "unmapped"]].values]
    gap_w = min(max([3, *(len(r[0]) for r in srows)]), TABLE_WIDTH - 30)
    out.append("")
    out.append(f"{'gap':<{gap_w}}  criteria  mapped  unmapped")
    for gap, n, mapped, unmapped in srows:
        out.append(f"{fit(gap, gap_w):<{gap_w}}  {n:>8}  {mapped:>6}  {unmapped:>8}")
    return "\n".join(out) + "\n"

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
    import pandas as pd

    with pd.option_context("display.max_colwidth", 60, "display.width", 250):
        return shown.to_string(index=False) + "\n\n" + summ.to_string(index=False) + "\n"

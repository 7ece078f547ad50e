"""`cgplan coverage` prints its table from plain rows, without pandas, the same text as from the DataFrame."""

from __future__ import annotations

import pytest

from cgplan.reports.coverage import COLUMNS, Row, render, render_rows

ROWS = [
    Row(
        "g-one",
        "Gap One",
        "SC1.1",
        "p99 under 200 ms",
        "t_fast",
        "construction/design/code-generation-plan-g-one.md",
        "mapped",
    ),
    Row(
        "g-one",
        "Gap One",
        "SC1.2",
        'two\nlines, "quoted" | piped',
        None,
        "construction/design/code-generation-plan-g-one.md",
        "unmapped",
    ),
    Row("g-two", "Gap Two", "SC2.1", "42", None, None, "no plan"),
]


def test_the_table_by_hand():
    assert render_rows(ROWS, "table") == (
        "  id     status    criterion / → test\n"
        "g-one (construction/design/code-generation-plan-g-one.md)\n"
        "  SC1.1  mapped    p99 under 200 ms\n"
        "                   → t_fast\n"
        '  SC1.2  unmapped  two lines, "quoted" | piped\n'
        "                   → (no test)\n"
        "g-two (no plan)\n"
        "  SC2.1  no plan   42\n"
        "\n"
        "gap    criteria  mapped  unmapped\n"
        "g-one         2       1         1\n"
        "g-two         1       0         1\n"
    )


def test_csv_by_hand():
    assert render_rows(ROWS[1:2], "csv") == (
        "gap,gap_name,criterion_id,criterion,test,plan,status\n"
        'g-one,Gap One,SC1.2,"two\nlines, ""quoted"" | piped",,'
        "construction/design/code-generation-plan-g-one.md,unmapped\n"
        "\n"
        "gap,plan,criteria,mapped,unmapped\n"
        "g-one,construction/design/code-generation-plan-g-one.md,1,0,1\n"
    )


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
@pytest.mark.parametrize("rows", [ROWS, ROWS[:1], ROWS[1:], []], ids=["all", "one", "no-test", "none"])
def test_the_same_text_as_the_dataframe(fmt, rows):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame([[getattr(r, c) for c in COLUMNS] for r in rows], columns=COLUMNS)
    assert render_rows(rows, fmt) == render(df, fmt)

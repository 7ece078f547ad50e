"""The criteria-to-tests table and `cgplan coverage`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import cgplan
from cgplan.cli import main
from cgplan.reports.coverage import COLUMNS, coverage, render, summary

PLANS = Path(__file__).parent / "fixtures" / "plans"


@pytest.fixture
def folder(example: Path) -> Path:
    design = example / "construction" / "design"
    shutil.copy(PLANS / "handwritten-rate-limiter.md", design / "code-generation-plan-stripe-api-rate-limiter.md")
    shutil.copy(PLANS / "unmapped-criterion-trip.md", design / "code-generation-plan-webhook-idempotency-guard.md")
    return example


def test_one_row_per_criterion_with_status(folder):
    df = coverage(cgplan.load(folder))
    assert list(df.columns) == COLUMNS
    assert len(df) == 16
    by_gap = df.groupby("gap", sort=False)["status"].apply(list).to_dict()
    assert by_gap["stripe-api-rate-limiter"] == ["mapped"] * 4
    # the webhook plan lists criteria of another gap, so nothing of gap 2 is mapped
    assert by_gap["webhook-idempotency-guard"] == ["unmapped"] * 4
    assert by_gap["refund-approval-workflow"] == ["no plan"] * 4
    row = df[df.criterion_id == "SC1.2"].iloc[0]
    assert row.test == "Integration with API Gateway (Express)"
    assert row.plan == "construction/design/code-generation-plan-stripe-api-rate-limiter.md"
    assert df[df.status == "no plan"].plan.isna().all()


def test_unmapped_entries_in_the_plans_own_gap(example):
    design = example / "construction" / "design"
    text = (PLANS / "unmapped-criterion-trip.md").read_text(encoding="utf-8")
    (design / "code-generation-plan-stripe-api-rate-limiter.md").write_text(text, encoding="utf-8")
    df = coverage(cgplan.load(example))
    gap1 = df[df.gap == "stripe-api-rate-limiter"]
    assert gap1.status.tolist() == ["mapped", "unmapped", "unmapped", "unmapped"]
    assert gap1.test.tolist()[0] == "load test at 500 req/sec"


def test_summary_per_gap(folder):
    s = summary(coverage(cgplan.load(folder)))
    assert s.to_dict("records")[0] == {
        "gap": "stripe-api-rate-limiter",
        "plan": "construction/design/code-generation-plan-stripe-api-rate-limiter.md",
        "criteria": 4,
        "mapped": 4,
        "unmapped": 0,
    }
    assert s.to_dict("records")[3]["plan"] == "no plan"


def test_cgplan_coverage_is_callable_from_the_package(folder):
    c = cgplan.load(folder)
    assert cgplan.coverage(c).equals(coverage(c))


def test_import_cgplan_does_not_import_pandas():
    code = (
        "import sys, cgplan; assert 'pandas' not in sys.modules, 'pandas imported'; "
        "assert callable(cgplan.coverage); assert 'pandas' not in sys.modules"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_cli_formats(folder, capsys, fmt):
    assert main(["coverage", "--dir", str(folder), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert out == render(coverage(cgplan.load(folder)), fmt)
    assert "SC4.4" in out and "Integration with API Gateway (Express)" in out
    if fmt == "csv":
        assert out.splitlines()[0] == ",".join(COLUMNS)
        assert "gap,plan,criteria,mapped,unmapped" in out
    if fmt == "markdown":
        assert out.splitlines()[0] == "| " + " | ".join(COLUMNS) + " |"


def test_markdown_escapes_pipes(example):
    import pandas as pd

    from cgplan.reports.coverage import to_markdown

    df = pd.DataFrame([["a|b", None]], columns=["x", "y"])
    assert to_markdown(df).splitlines()[2] == "| a\\|b |  |"


@pytest.mark.parametrize(
    "text,width,expected",
    [
        ("short", 10, "short"),
        ("Queueing delay stays under 2 seconds", 20, "Queueing delay…"),
        ("meets_queueing_delay_stays_under_2_seconds", 24, "meets_queueing_delay…"),
        ("construction/design/code-generation-plan-x.md", 30, "construction/design/code…"),
        ("Supercalifragilisticexpialidocious", 12, "Supercalifr…"),
    ],
)
def test_fit_cuts_on_a_word_boundary(text, width, expected):
    from cgplan.reports.coverage import fit

    assert fit(text, width) == expected
    assert len(fit(text, width)) <= width


def test_table_fits_100_columns_and_csv_keeps_the_full_text(folder, capsys):
    gaps = folder / "construction" / "requirements" / "gap-analysis.md"
    long = "Every one of the " + "very " * 40 + "many refunds is approved"
    gaps.write_text(
        gaps.read_text(encoding="utf-8").replace(
            "- [ ] Sustains 500 req/sec of checkout traffic",
            f"- [ ] {long}\n- [ ] Sustains 500 req/sec of checkout traffic",
        ),
        encoding="utf-8",
    )
    assert main(["coverage", "--dir", str(folder)]) == 0
    table = capsys.readouterr().out
    assert max(len(line) for line in table.splitlines()) <= 100
    assert "Every one of the very very" in table and long not in table
    lines = table.splitlines()
    assert lines[0].split() == ["id", "status", "criterion", "/", "→", "test"]
    assert "stripe-api-rate-limiter (construction/design/code-generation-plan-stripe-api-rate-limiter.md)" in lines
    assert main(["coverage", "--dir", str(folder), "--format", "csv"]) == 0
    assert long in capsys.readouterr().out


def test_table_shows_each_criterion_with_its_test_below(folder, capsys):
    assert main(["coverage", "--dir", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    i = lines.index("payment-reconciliation-job (no plan)")
    assert lines[i + 1].split()[:3] == ["SC3.1", "no", "plan"]
    assert "→" not in lines[i + 2], "a criterion without a plan has no test line"
    assert lines[-5].split() == ["gap", "criteria", "mapped", "unmapped"]

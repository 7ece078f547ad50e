"""`cgplan status`: missing, up-to-date, stale (naming what changed) or edited."""

from __future__ import annotations

from cgplan import load
from cgplan.cli import main
from cgplan.store.plans import plan_path, write_plans
from cgplan.store.status import plan_status


def _fresh(example):
    for p in (example / "construction" / "design").glob("code-generation-plan-*"):
        p.unlink()
    c = load(example)
    return c


def test_missing_then_up_to_date(example):
    c = _fresh(example)
    assert {r.state for r in plan_status(c)} == {"missing"}
    write_plans(c, c.gaps)
    assert {r.state for r in plan_status(load(example))} == {"up-to-date"}


def test_editing_a_star_makes_only_the_plans_citing_it_stale(example):
    c = _fresh(example)
    write_plans(c, c.gaps)
    m = example / "construction" / "requirements" / "constellation-map.md"
    m.write_text(
        m.read_text(encoding="utf-8").replace(
            "Connection pool max 10 connections", "Connection pool max 12 connections"
        ),
        encoding="utf-8",
    )
    rows = {r.gap: r for r in plan_status(load(example))}
    assert rows["stripe-api-rate-limiter"].state == "stale"
    assert rows["stripe-api-rate-limiter"].changed == ["constellation-map.md § Star: Redis Cache"]
    assert rows["webhook-idempotency-guard"].state == "stale"
    assert rows["payment-reconciliation-job"].state == "up-to-date"  # does not touch Redis Cache


def test_editing_a_gap_section_is_reported(example):
    c = _fresh(example)
    write_plans(c, c.gaps)
    g = example / "construction" / "requirements" / "gap-analysis.md"
    g.write_text(
        g.read_text(encoding="utf-8").replace(
            "A pending request expires after 72 hours", "A pending request expires after 48 hours"
        ),
        encoding="utf-8",
    )
    rows = {r.gap: r for r in plan_status(load(example))}
    assert rows["refund-approval-workflow"].changed == ["gap-analysis.md § Gap 4: Refund Approval Workflow"]
    assert [r.state for r in rows.values()].count("stale") == 1


def test_hand_edit_shows_as_edited(example):
    c = _fresh(example)
    write_plans(c, c.gaps)
    p = plan_path(c, c.gaps[2])
    p.write_text(
        p.read_text(encoding="utf-8").replace("## Test Strategy", "## Test Strategy\n\nAgreed with QA."),
        encoding="utf-8",
    )
    assert {r.gap: r.state for r in plan_status(load(example))}["payment-reconciliation-job"] == "edited"


def test_regenerating_a_stale_plan_makes_it_up_to_date(example):
    c = _fresh(example)
    write_plans(c, c.gaps)
    m = example / "construction" / "requirements" / "constellation-map.md"
    m.write_text(
        m.read_text(encoding="utf-8").replace("keys cached for 10 minutes", "keys cached for 5 minutes"),
        encoding="utf-8",
    )
    c = load(example)
    results = write_plans(c, c.gaps)
    assert "written" in {r.status for r in results}
    assert {r.state for r in plan_status(load(example))} == {"up-to-date"}


def test_cli_status_table(example, capsys):
    _fresh(example)
    assert main(["plan", "1", "--dir", str(example)]) == 0
    capsys.readouterr()
    assert main(["status", "--dir", str(example)]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    assert lines[0].split()[:2] == ["stripe-api-rate-limiter", "up-to-date"]
    assert [ln.split()[1] for ln in lines[1:]] == ["missing", "missing", "missing"]


def test_a_plan_written_by_an_older_cgplan_is_stale_with_the_reason(example):
    from cgplan.store.plans import write_plans
    from cgplan.version import __version__

    construction = load(example)
    write_plans(construction, construction.gaps[:1])
    path = construction.design_dir / f"code-generation-plan-{construction.gaps[0].slug}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f'"version": "{__version__}"', '"version": "0.0.9"'), encoding="utf-8")
    row = plan_status(load(example))[0]
    assert row.state == "stale"
    assert row.changed[0].startswith("written by cgplan 0.0.9")

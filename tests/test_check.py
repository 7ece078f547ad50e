"""The checker on whole folders: generated plans, staleness, plan/gap pairing, folder problems, configuration."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cgplan import ConfigError, UsageError, load
from cgplan.check import RULES, check, run
from cgplan.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
HANDWRITTEN = FIXTURES / "plans" / "handwritten-rate-limiter.md"
EXAMPLE = Path(__file__).resolve().parent.parent / "data"


def _generate(folder: Path) -> list[Path]:
    """Write every plan the planner makes for a folder; skip when the planner is not installed."""
    plan = pytest.importorskip("cgplan.plan.build")
    render = pytest.importorskip("cgplan.render.document")
    c = load(folder)
    c.design_dir.mkdir(parents=True, exist_ok=True)
    out = []
    for g in c.gaps:
        p = c.design_dir / f"code-generation-plan-{g.slug}.md"
        p.write_text(render.render_markdown(plan.build_plan(c, g)), encoding="utf-8")
        out.append(p)
    return out


def test_the_plans_shipped_with_the_example_pass():
    result = run(load(EXAMPLE), config=False)
    assert result.plans >= 1
    assert [f for f in result.findings if f.severity == "error"] == []


def test_every_generated_plan_for_the_example_passes(example):
    paths = _generate(example)
    result = run(load(example))
    assert result.plans == len(paths) == 4
    assert [f for f in result.findings if f.severity == "error"] == []


def test_handwritten_plan_passes_in_the_example_folder(example):
    dest = example / "construction" / "design" / "code-generation-plan-stripe-api-rate-limiter.md"
    shutil.copy(HANDWRITTEN, dest)
    findings = check(load(example))
    assert [f for f in findings if f.file.endswith("stripe-api-rate-limiter.md")] == []
    # the other three gaps have no plan yet
    assert sorted(f.rule for f in findings) == ["unplanned-gap"] * 3


def test_plan_goes_stale_when_a_cited_section_changes(example):
    _generate(example)
    assert not [f for f in check(load(example)) if f.rule == "stale-plan"]
    gaps = example / "construction" / "requirements" / "gap-analysis.md"
    gaps.write_text(
        gaps.read_text(encoding="utf-8").replace(
            "Must handle 500 req/sec peak load", "Must handle 800 req/sec peak load"
        ),
        encoding="utf-8",
    )
    stale = [f for f in check(load(example)) if f.rule == "stale-plan"]
    assert [f.file for f in stale] == ["construction/design/code-generation-plan-stripe-api-rate-limiter.md"]
    assert "gap-analysis.md § Gap 1: Stripe API Rate Limiter" in stale[0].message


def test_plan_without_gap_and_unplanned_gap(example):
    design = example / "construction" / "design"
    (design / "code-generation-plan-fraud-scoring.md").write_text(
        "# Code Generation Plan: Fraud Scoring\n\nNothing yet.\n", encoding="utf-8"
    )
    findings = check(load(example), select=["plan-without-gap", "unplanned-gap"])
    assert [(f.rule, f.file) for f in findings if f.rule == "plan-without-gap"] == [
        ("plan-without-gap", "construction/design/code-generation-plan-fraud-scoring.md")
    ]
    assert len([f for f in findings if f.rule == "unplanned-gap"]) == 4


def test_explicit_plans_do_not_report_unplanned_gaps(example):
    c = load(example)
    findings = check(c, plans=[HANDWRITTEN])
    assert not [f for f in findings if f.rule == "unplanned-gap"]
    assert not [f for f in findings if f.severity == "error"]


@pytest.mark.parametrize(
    "folder", sorted(p.parent for p in (FIXTURES / "folders").glob("*/expected.json")), ids=lambda p: p.name
)
def test_folder_problems_are_reported_under_their_kind(folder):
    c = load(folder)
    findings = check(c, config=False)
    got = {(f.rule, f.file, f.line) for f in findings if f.rule != "unplanned-gap"}
    assert got == {(p.kind, p.file, p.line) for p in c.problems}
    for f in findings:
        if f.rule in ("gap-without-sketch", "sketch-without-gap", "duplicate-star"):
            assert f.severity == "error"
        if f.rule == "missing-field":
            assert f.severity == "warning"


def test_unknown_rule_is_a_usage_error_listing_valid_rules(example):
    with pytest.raises(UsageError) as exc:
        check(load(example), select="unknown-star,no-such-rule")
    assert "no-such-rule" in str(exc.value) and "vague-text" in str(exc.value)


def test_select_and_ignore(example):
    c = load(example)
    assert {f.rule for f in check(c, select="unplanned-gap")} == {"unplanned-gap"}
    assert check(c, ignore=["unplanned-gap"]) == []


@pytest.mark.parametrize(
    "name, content",
    [
        ("cgplan.toml", 'ignore = ["unplanned-gap"]\n'),
        ("cgplan.toml", '[tool.cgplan]\nseverity = { unplanned-gap = "off" }\n'),
        ("pyproject.toml", '[project]\nname = "x"\n\n[tool.cgplan]\nselect = ["vague-text"]\n'),
    ],
)
def test_config_switches_rules_off(example, name, content):
    (example / name).write_text(content, encoding="utf-8")
    assert check(load(example)) == []


def test_config_severity_override_changes_exit_code(example, capsys):
    assert main(["check", "--dir", str(example)]) == 0
    (example / "cgplan.toml").write_text('[severity]\nunplanned-gap = "error"\n', encoding="utf-8")
    assert main(["check", "--dir", str(example)]) == 1
    assert "error [unplanned-gap]" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content, needle",
    [
        ('ignore = ["no-such-rule"]\n', "cgplan.toml:1: unknown rule 'no-such-rule'"),
        ("select = 3\n", "cgplan.toml:1: select must be a list"),
        ('[severity]\nvague-text = "loud"\n', "cgplan.toml:2: severity of vague-text"),
        ("ignore = [\n", "cgplan.toml"),
        ('colour = "red"\n', "unknown key 'colour'"),
    ],
)
def test_bad_config_is_one_line_error_naming_the_file(example, capsys, content, needle):
    (example / "cgplan.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        check(load(example))
    assert needle in str(exc.value) and "\n" not in str(exc.value)
    assert main(["check", "--dir", str(example)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cgplan: error: ") and "Traceback" not in err


def test_check_output_is_deterministic(example):
    shutil.copy(HANDWRITTEN, example / "construction" / "design" / "code-generation-plan-stripe-api-rate-limiter.md")
    (example / "construction" / "design" / "code-generation-plan-refund-approval-workflow.md").write_text(
        (FIXTURES / "plans" / "seed-bad-example.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    a = [f.to_dict() for f in check(load(example))]
    b = [f.to_dict() for f in check(load(example))]
    assert a == b and a == sorted(a, key=lambda d: (d["file"], d["line"], d["rule"], d["message"]))
    assert all(not Path(d["file"]).is_absolute() for d in a)


def test_every_rule_has_a_description_and_a_valid_severity():
    for slug, r in RULES.items():
        assert r.severity in ("error", "warning") and r.description and (r.plan or r.folder), slug
    for slug in (
        "unknown-star",
        "unmapped-criterion",
        "missing-signature",
        "vague-text",
        "missing-failure-test",
        "missing-citation",
        "missing-section",
        "stale-plan",
        "unplanned-gap",
        "plan-without-gap",
    ):
        assert slug in RULES


def test_readme_rules_table_is_the_one_made_from_all_rules():
    from cgplan.check.rules import rules_table

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert rules_table() in readme, "regenerate the README's rule table with python -m cgplan.check.rules"


def test_every_rule_documents_what_it_catches_why_and_an_example():
    from cgplan.check.rules import ALL_RULES

    assert len({rule.slug for rule in ALL_RULES}) == len(ALL_RULES)
    for rule in ALL_RULES:
        assert rule.description and rule.why and rule.example, rule.slug


def test_a_write_failure_needs_a_test_only_where_the_component_writes(tmp_path):
    """TimescaleDB documents one failure, of writes; the component that only lists meters needs no test of it,
    the same component described as writing does."""
    folder = tmp_path / "folder"
    shutil.copytree(FIXTURES / "folders" / "heading-drift", folder)
    assert main(["plan", "estimated", "--dir", str(folder)]) == 0
    plan = folder / "construction" / "design" / "code-generation-plan-estimated-bill-backfill.md"

    def findings() -> list[str]:
        return [f.message for f in check(load(folder), select="missing-failure-test")]

    assert not [m for m in findings() if "MissingDayFinder" in m]
    text = plan.read_text(encoding="utf-8")
    plan.write_text(
        text.replace("lists meters with missing days in the cycle", "lists meters and writes estimates", 1),
        encoding="utf-8",
    )
    assert [m for m in findings() if "MissingDayFinder" in m]


def test_an_outbound_failure_needs_a_test_only_where_the_component_sends(tmp_path):
    """Twilio's documented failures are all of sending; the handler that only receives STOP replies needs no
    test of them, the same handler described as sending a confirmation does."""
    folder = tmp_path / "folder"
    shutil.copytree(FIXTURES / "folders" / "library-reminders", folder)
    assert main(["plan", "preferences", "--dir", str(folder)]) == 0
    plan = folder / "construction" / "design" / "code-generation-plan-reminder-preferences.md"

    def findings() -> list[str]:
        return [f.message for f in check(load(folder), select="missing-failure-test") if "OptOutHandler" in f.message]

    assert findings() == []
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("verifies the signature and", "verifies the signature, sends a confirmation and", 1))
    assert findings()

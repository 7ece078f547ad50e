"""`cgplan check FILE...`: only the plans named are checked, as a pre-commit hook passes them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cgplan.cli import main

PLANS = Path(__file__).parent / "fixtures" / "plans"
CLEAN = "construction/design/code-generation-plan-stripe-api-rate-limiter.md"
TRIP = "construction/design/code-generation-plan-webhook-idempotency-guard.md"


@pytest.fixture
def folder(example: Path, monkeypatch) -> Path:
    """The example with a clean hand-written plan and one naming two stars the map lacks; cwd is the folder."""
    shutil.copy(PLANS / "handwritten-rate-limiter.md", example / CLEAN)
    shutil.copy(PLANS / "unknown-star-trip.md", example / TRIP)
    monkeypatch.chdir(example)
    return example


def findings(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_a_clean_plan_named_alone_passes_although_another_plan_has_errors(folder, capsys):
    assert main(["check", "--format", "json", CLEAN]) == 0
    data = findings(capsys)
    assert data["counts"]["plans"] == 1
    assert data["findings"] == []


def test_only_the_named_plan_is_reported(folder, capsys):
    assert main(["check", "--format", "json", "--select", "unknown-star", TRIP]) == 1
    data = findings(capsys)
    assert data["counts"]["plans"] == 1
    assert [(f["file"], f["line"], f["rule"]) for f in data["findings"]] == [
        (TRIP, 12, "unknown-star"),
        (TRIP, 17, "unknown-star"),
    ]


def test_naming_both_plans_checks_both(folder, capsys):
    assert main(["check", "--format", "json", CLEAN, TRIP]) == 1
    assert findings(capsys)["counts"]["plans"] == 2


def test_paths_may_be_relative_to_dir_or_absolute(folder, capsys, monkeypatch):
    monkeypatch.chdir(folder.parent)
    assert main(["check", "--dir", folder.name, "--format", "json", "--select", "unknown-star", TRIP]) == 1
    by_dir = findings(capsys)
    assert (
        main(["check", "--dir", folder.name, "--format", "json", "--select", "unknown-star", str(folder / TRIP)]) == 1
    )
    assert findings(capsys) == by_dir
    assert {f["file"] for f in by_dir["findings"]} == {TRIP}


def test_paths_from_a_repository_root_above_the_folder(folder, capsys, monkeypatch):
    """As pre-commit passes them when construction/ is not at the root: `args: [--dir, docs]`, files `docs/...`."""
    monkeypatch.chdir(folder.parent)
    argv = ["check", "--dir", folder.name, "--format", "json", "--select", "unknown-star", f"{folder.name}/{TRIP}"]
    assert main(argv) == 1
    assert {f["file"] for f in findings(capsys)["findings"]} == {TRIP}


def test_folder_problems_are_reported_whatever_plan_is_named(folder, capsys):
    map_path = folder / "construction" / "requirements" / "constellation-map.md"
    text = map_path.read_text(encoding="utf-8")
    map_path.write_text(
        text.replace("## Integration Points", "### Star: Redis Cache\n\n**Type:** Cache\n\n## Integration Points", 1),
        encoding="utf-8",
    )
    assert main(["check", "--format", "json", "--select", "duplicate-star", CLEAN]) == 1
    data = findings(capsys)
    assert [(f["file"], f["rule"]) for f in data["findings"]] == [
        ("construction/requirements/constellation-map.md", "duplicate-star")
    ]


@pytest.mark.parametrize(
    "document",
    [
        "construction/requirements/constellation-map.md",
        "construction/requirements/gap-analysis.md",
        "construction/design/implementation-sketches.md",
    ],
)
def test_naming_a_document_checks_every_plan(folder, capsys, document):
    assert main(["check", "--format", "json", document]) == 1
    data = findings(capsys)
    assert data["counts"]["plans"] == 2
    # every plan is known, so the gaps without a plan are reported as in a plain `cgplan check`
    assert {f["rule"] for f in data["findings"]} >= {"unknown-star", "unplanned-gap"}


def test_a_plan_named_does_not_make_other_gaps_unplanned(folder, capsys):
    assert main(["check", "--format", "json", "--select", "unplanned-gap", CLEAN]) == 0
    assert findings(capsys)["findings"] == []


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("construction/design/code-generation-plan-nope.md", "no such file"),
        ("construction/requirements/notes.md", "not a plan or document of the construction folder"),
        ("construction/design/code-generation-plan-stripe-api-rate-limiter.new.md", "not a plan or document"),
        ("../elsewhere/construction/design/code-generation-plan-x.md", "not in the construction folder"),
    ],
)
def test_a_file_that_is_not_a_plan_of_the_folder_exits_2_naming_it(folder, capsys, name, says):
    (folder / "construction" / "requirements" / "notes.md").write_text("# Notes\n", encoding="utf-8")
    (folder / CLEAN.replace(".md", ".new.md")).write_text("# Plan\n", encoding="utf-8")
    other = folder.parent / "elsewhere" / "construction" / "design"
    other.mkdir(parents=True)
    (other / "code-generation-plan-x.md").write_text("# Plan\n", encoding="utf-8")
    assert main(["check", name]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith(f"cgplan: error: {name}: {says}")

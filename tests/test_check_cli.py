"""`cgplan check` as a user or a CI job sees it: formats, summary line, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cgplan.check import CheckResult, Finding
from cgplan.check.output import escape_data, escape_property, format_github, format_text
from cgplan.cli import main

PLANS = Path(__file__).parent / "fixtures" / "plans"


@pytest.fixture
def folder(example: Path) -> Path:
    design = example / "construction" / "design"
    shutil.copy(PLANS / "handwritten-rate-limiter.md", design / "code-generation-plan-stripe-api-rate-limiter.md")
    shutil.copy(PLANS / "unknown-star-trip.md", design / "code-generation-plan-webhook-idempotency-guard.md")
    return example


def test_text_groups_by_file_and_ends_with_summary(folder, capsys):
    assert main(["check", "--dir", str(folder)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("2 plans checked: ") and out[-1].endswith(" in 2 files")
    headers = [ln for ln in out if ln and not ln.startswith(" ") and ln != out[-1]]
    assert headers == [
        "construction/design/code-generation-plan-webhook-idempotency-guard.md",
        "construction/requirements/gap-analysis.md",
    ]
    assert any("error [unknown-star] 'Kafka Event Bus' is not a star" in ln for ln in out)


def test_json_has_findings_and_counts(folder, capsys):
    assert main(["check", "--dir", str(folder), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"findings", "counts"}
    assert data["counts"]["plans"] == 2 and data["counts"]["files"] == 2
    assert data["counts"]["errors"] == sum(1 for f in data["findings"] if f["severity"] == "error") > 0
    assert set(data["findings"][0]) == {"rule", "severity", "message", "file", "line"}


def test_github_annotations_use_paths_relative_to_cwd(folder, capsys, monkeypatch):
    monkeypatch.chdir(folder.parent)
    assert main(["check", "--dir", folder.name, "--format", "github", "--select", "unknown-star"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(
        f"::error file={folder.name}/construction/design/code-generation-plan-webhook-idempotency-guard.md,line="
    )
    assert ",title=unknown-star::" in lines[0]


def test_github_escaping():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%") == "a%2Cb%3Ac%25"
    res = CheckResult(
        [Finding("vague-text", "warning", "line one\nline two, 100%", "construction/design/p,1.md", 3)], plans=1
    )
    out = format_github(res, Path("/x"), cwd=Path("/x")).splitlines()[0]
    assert out == "::warning file=construction/design/p%2C1.md,line=3,title=vague-text::line one%0Aline two, 100%25"


def test_summary_counts_singular_and_plural():
    res = CheckResult([Finding("x", "error", "m", "f.md", 1)], plans=1)
    assert format_text(res).splitlines()[-1] == "1 plan checked: 1 error, 0 warnings in 1 file"
    assert format_text(CheckResult([], plans=4)) == "4 plans checked: 0 errors, 0 warnings"
    assert format_text(CheckResult([], plans=0)) == "0 plans checked: 0 errors, 0 warnings"


@pytest.mark.parametrize("args", [["--select", "nope"], ["--ignore", "unknown-star,nope"]])
def test_unknown_rule_exits_2_listing_valid_rules(folder, capsys, args):
    assert main(["check", "--dir", str(folder), *args]) == 2
    err = capsys.readouterr().err
    assert "unknown rule 'nope'" in err and "valid rules:" in err and "missing-signature" in err


def test_unknown_format_exits_2(folder):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--dir", str(folder), "--format", "xml"])
    assert exc.value.code == 2


def test_missing_folder_exits_2(tmp_path, capsys):
    assert main(["check", "--dir", str(tmp_path / "nowhere")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_clean_folder_exits_0(example, capsys):
    shutil.copy(
        PLANS / "handwritten-rate-limiter.md",
        example / "construction" / "design" / "code-generation-plan-stripe-api-rate-limiter.md",
    )
    assert main(["check", "--dir", str(example)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 plan checked: 0 errors, 3 warnings in 1 file"

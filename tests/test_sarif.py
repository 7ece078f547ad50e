"""`cgplan check --format sarif`: a SARIF 2.1.0 log that GitHub code scanning can show.

Every log is validated against the official OASIS schema shipped in
tests/schemas/ (see the README there for its source and licence).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cgplan.check import ALL_RULES, CheckResult, Finding
from cgplan.check.output import format_sarif, sarif_log
from cgplan.cli import main

jsonschema = pytest.importorskip("jsonschema")

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
PLANS = Path(__file__).parent / "fixtures" / "plans"
TRIP = "construction/design/code-generation-plan-webhook-idempotency-guard.md"


def validate(log: dict) -> None:
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@pytest.fixture
def folder(example: Path) -> Path:
    shutil.copy(PLANS / "handwritten-rate-limiter.md", example / "construction/design/code-generation-plan-x.md")
    shutil.copy(PLANS / "unknown-star-trip.md", example / TRIP)
    return example


def run_sarif(capsys, *args: str) -> tuple[int, dict]:
    code = main(["check", "--format", "sarif", *args])
    return code, json.loads(capsys.readouterr().out)


def test_the_log_of_a_real_run_is_valid_sarif_2_1_0(folder, capsys, monkeypatch):
    monkeypatch.chdir(folder)
    code, log = run_sarif(capsys)
    assert code == 1
    validate(log)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("/sarif-schema-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "cgplan"
    assert driver["version"] == __import__("cgplan").__version__


def test_a_result_points_at_the_file_and_line_with_the_rule_and_its_level(folder, capsys, monkeypatch):
    monkeypatch.chdir(folder)
    code, log = run_sarif(capsys, "--select", "unknown-star,missing-failure-test", TRIP)
    assert code == 1
    validate(log)
    (run,) = log["runs"]
    got = [
        (
            r["ruleId"],
            r["level"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in run["results"]
    ]
    assert got == [
        ("missing-failure-test", "warning", TRIP, 10),
        ("unknown-star", "error", TRIP, 12),
        ("unknown-star", "error", TRIP, 17),
    ]
    kafka = run["results"][1]
    assert kafka["message"]["text"].startswith("'Kafka Event Bus' is not a star in the constellation map")
    assert kafka["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    # ruleIndex points into the driver's rules
    rules = run["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])


def test_uris_are_relative_to_the_folder_the_command_runs_in(folder, capsys, monkeypatch):
    monkeypatch.chdir(folder.parent)
    _, log = run_sarif(capsys, "--dir", folder.name, "--select", "unknown-star")
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {f"{folder.name}/{TRIP}"}


def test_a_severity_changed_by_configuration_is_the_results_level(folder, capsys, monkeypatch):
    (folder / "cgplan.toml").write_text('severity = { unknown-star = "warning" }\n', encoding="utf-8")
    monkeypatch.chdir(folder)
    code, log = run_sarif(capsys, "--select", "unknown-star")
    assert code == 0
    validate(log)
    assert {r["level"] for r in log["runs"][0]["results"]} == {"warning"}


def test_a_clean_run_is_a_valid_log_with_no_results(folder, capsys, monkeypatch):
    monkeypatch.chdir(folder)
    code, log = run_sarif(capsys, "--select", "missing-signature", "construction/design/code-generation-plan-x.md")
    assert code == 0
    validate(log)
    assert log["runs"][0]["results"] == []


def test_every_rule_is_described_from_its_docstring():
    log = sarif_log(CheckResult(), Path("/x"), cwd=Path("/x"), urls={})
    validate(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [rule.slug for rule in ALL_RULES]
    for entry, rule in zip(rules, ALL_RULES, strict=True):
        short = entry["shortDescription"]["text"]
        assert short.endswith(".") and short.count(". ") == 0, short
        assert entry["fullDescription"]["text"].startswith(short)
        assert entry["defaultConfiguration"]["level"] == rule.severity
        assert entry["help"]["text"].startswith("Why: ")
        assert "``" not in entry["fullDescription"]["text"]


def test_a_finding_of_a_kind_no_rule_knows_gets_its_own_rule_entry():
    result = CheckResult([Finding("odd-kind", "error", "something odd", "construction/x y.md", 0)], plans=0)
    log = json.loads(format_sarif(result, Path("/r"), cwd=Path("/r"), urls={}))
    validate(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    (res,) = log["runs"][0]["results"]
    assert rules[res["ruleIndex"]]["id"] == "odd-kind"
    # a space is percent-encoded, and a finding without a line has no region
    assert res["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "construction/x%20y.md", "uriBaseId": "%SRCROOT%"}
    }


def test_project_urls_become_information_and_help_uris():
    urls = {"homepage": "https://example.org/cgplan"}
    log = sarif_log(CheckResult(), Path("/x"), cwd=Path("/x"), urls=urls)
    validate(log)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://example.org/cgplan"
    assert {r["helpUri"] for r in driver["rules"]} == {"https://example.org/cgplan#rules"}
    bare = sarif_log(CheckResult(), Path("/x"), cwd=Path("/x"), urls={})["runs"][0]["tool"]["driver"]
    assert "informationUri" not in bare and all("helpUri" not in r for r in bare["rules"])


def test_the_schema_rejects_what_code_scanning_would_reject():
    """The validation itself can fail: a log whose result has a level SARIF does not know is invalid."""
    log = sarif_log(CheckResult([Finding("unknown-star", "error", "m", "f.md", 3)], plans=1), Path("/x"), Path("/x"))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError):
        validate(log)

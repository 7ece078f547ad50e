"""``cgplan init``: a starter folder that plans cleanly, and never a document overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cgplan.cli import main

DOCS = (
    "construction/requirements/constellation-map.md",
    "construction/requirements/gap-analysis.md",
    "construction/design/implementation-sketches.md",
)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_starter_plans_with_no_findings(tmp_path, capsys):
    target = tmp_path / "proj"
    assert main(["init", str(target)]) == 0
    out = capsys.readouterr().out
    for doc in DOCS:
        assert (target / doc).is_file()
        assert doc in out
    assert "plan --all --dir" in out and "check --dir" in out

    assert main(["plan", "--all", "--dir", str(target)]) == 0
    assert capsys.readouterr().out.startswith("written construction/design/code-generation-plan-overdue-reminders.md")
    assert main(["check", "--dir", str(target), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["findings"] == []
    assert report["counts"]["plans"] == 1


def test_starter_loads_without_problems(tmp_path, capsys):
    main(["init", str(tmp_path)])
    capsys.readouterr()
    assert main(["inspect", "--json", "--dir", str(tmp_path)]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["problems"] == []
    assert [s["name"] for s in got["stars"]] == ["Postgres Catalog DB", "Mail Relay"]
    [gap] = got["gaps"]
    assert gap["name"] == "Overdue Reminders" and gap["sketch"] == "Overdue Reminders"
    assert len(gap["constraints"]) == 2 and len(gap["success_criteria"]) == 2
    [sketch] = got["sketches"]
    assert sketch["components"] == ["OverdueLoanQuery", "ReminderSender"]
    assert "OverdueLoanQuery" in sketch["data_flow"]


def test_init_again_is_refused_and_changes_nothing(tmp_path, capsys):
    assert main(["init", str(tmp_path)]) == 0
    (tmp_path / DOCS[1]).write_text("# Gap Analysis: mine\n", encoding="utf-8")
    before = _snapshot(tmp_path)
    capsys.readouterr()
    assert main(["init", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "constellation-map.md: already exists" in err and "nothing was written" in err
    assert _snapshot(tmp_path) == before


def test_one_existing_document_stops_all_three(tmp_path, capsys):
    gap = tmp_path / DOCS[1]
    gap.parent.mkdir(parents=True)
    gap.write_text("# Gap Analysis: mine\n", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    assert "gap-analysis.md: already exists" in capsys.readouterr().err
    assert _snapshot(tmp_path) == {"construction/requirements/gap-analysis.md": b"# Gap Analysis: mine\n"}


@pytest.mark.parametrize("where", ["construction", "."])
def test_dir_may_be_construction_itself_or_its_parent(tmp_path, monkeypatch, capsys, where):
    monkeypatch.chdir(tmp_path)
    assert main(["init", where]) == 0
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.md")) == sorted(DOCS)
    out = capsys.readouterr().out
    assert "--dir ." in out


def test_a_file_where_the_folder_should_be_is_refused(tmp_path, capsys):
    (tmp_path / "construction").write_text("not a folder", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    assert "is not a folder" in capsys.readouterr().err

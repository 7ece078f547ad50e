"""Writing plans: atomic, never through a symlink, never over a plan a person edited."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from planfolders import make_folder

from cgplan import load
from cgplan.cli import main
from cgplan.errors import WriteError
from cgplan.store.plans import bak_path, new_path, plan_path, write_plans


def _clean(example: Path) -> Path:
    for p in (example / "construction" / "design").glob("code-generation-plan-*"):
        p.unlink()
    return example


def test_first_run_writes_second_run_changes_nothing(example):
    c = load(_clean(example))
    first = write_plans(c, c.gaps)
    assert [r.status for r in first] == ["written"] * 4
    before = {r.path: r.path.read_bytes() for r in first}
    second = write_plans(load(example), load(example).gaps)
    assert [r.status for r in second] == ["unchanged"] * 4
    assert {r.path: r.path.read_bytes() for r in second} == before


def test_edited_plan_is_kept_and_new_version_goes_beside_it(example):
    c = load(_clean(example))
    gap = c.gaps[0]
    write_plans(c, [gap])
    path = plan_path(c, gap)
    edited = path.read_text(encoding="utf-8").replace("## Component 1:", "My note.\n\n## Component 1:")
    path.write_text(edited, encoding="utf-8")
    [res] = write_plans(c, [gap])
    assert res.status == "kept-edited"
    assert path.read_text(encoding="utf-8") == edited
    assert new_path(path).is_file() and "My note." not in new_path(path).read_text(encoding="utf-8")
    assert "--force" in res.message


def test_edited_plan_cli_exit_1_then_force_keeps_a_bak(example, capsys):
    c = load(_clean(example))
    assert main(["plan", "--all", "--dir", str(example)]) == 0
    path = plan_path(c, c.gaps[1])
    edited = path.read_text(encoding="utf-8") + "\nHand-written addendum.\n"
    path.write_text(edited, encoding="utf-8")
    capsys.readouterr()
    assert main(["plan", "2", "--dir", str(example)]) == 1
    out = capsys.readouterr().out
    assert "kept-edited" in out and ".new.md" in out
    assert main(["plan", "2", "--force", "--dir", str(example)]) == 0
    assert bak_path(path).read_text(encoding="utf-8") == edited
    assert "Hand-written addendum." not in path.read_text(encoding="utf-8")
    assert not new_path(path).exists(), "the forced plan supersedes the .new.md of the earlier run"
    assert sorted(p.name for p in path.parent.glob(f"{path.stem}*")) == [path.name, bak_path(path).name]


def test_a_plan_written_after_the_edit_is_undone_leaves_no_new_md(example, capsys):
    c = load(_clean(example))
    [first] = write_plans(c, c.gaps[:1])
    path = first.path
    path.write_text(path.read_text(encoding="utf-8").replace("## Component 1:", "Mine.\n\n## Component 1:"))
    [kept] = write_plans(c, c.gaps[:1])
    assert kept.status == "kept-edited" and new_path(path).is_file()
    path.unlink()  # the person gives up the edit
    [again] = write_plans(c, c.gaps[:1])
    assert again.status == "written" and not new_path(path).exists()


def test_a_file_cgplan_did_not_write_is_never_overwritten(example):
    c = load(_clean(example))
    path = plan_path(c, c.gaps[0])
    path.write_text("# My own plan\n", encoding="utf-8")
    [res] = write_plans(c, c.gaps[:1])
    assert res.status == "kept-edited"
    assert path.read_text(encoding="utf-8") == "# My own plan\n"


def test_gaps_with_the_same_slug_get_distinct_files(tmp_path):
    make_folder(tmp_path, ["Rate Limiter", "Rate-Limiter!"])
    c = load(tmp_path)
    results = write_plans(c, c.gaps)
    assert len({r.path for r in results}) == 2
    texts = [r.path.read_text(encoding="utf-8") for r in results]
    assert texts[0].startswith("# Code Generation Plan: Rate Limiter\n")
    assert texts[1].startswith("# Code Generation Plan: Rate-Limiter!\n")


def test_crash_during_rename_leaves_old_plan_and_no_temp_file(example, monkeypatch):
    c = load(_clean(example))
    gap = c.gaps[0]
    write_plans(c, [gap])
    path = plan_path(c, gap)
    old = path.read_bytes()
    sk = example / "construction" / "design" / "implementation-sketches.md"
    sk.write_text(sk.read_text(encoding="utf-8").replace("every 100 ms", "every 50 ms"), encoding="utf-8")
    c = load(example)

    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(WriteError) as err:
        write_plans(c, [gap])
    assert "nothing was changed" in str(err.value)
    assert path.read_bytes() == old
    leftovers = [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_symlink_pointing_outside_is_refused(example, tmp_path):
    c = load(_clean(example))
    outside = tmp_path / "outside.md"
    outside.write_text("precious\n", encoding="utf-8")
    path = plan_path(c, c.gaps[0])
    path.symlink_to(outside)
    with pytest.raises(WriteError) as err:
        write_plans(c, c.gaps[:1])
    assert "symbolic link" in str(err.value)
    assert outside.read_text(encoding="utf-8") == "precious\n"


def test_design_folder_linked_outside_is_refused(tmp_path):
    make_folder(tmp_path / "proj", ["Audit Log"])
    design = tmp_path / "proj" / "construction" / "design"
    elsewhere = tmp_path / "elsewhere"
    design.rename(elsewhere)
    design.symlink_to(elsewhere, target_is_directory=True)
    c = load(tmp_path / "proj")
    with pytest.raises(WriteError):
        write_plans(c, c.gaps)
    assert not list(elsewhere.glob("code-generation-plan-*"))


def test_cli_prints_one_line_per_plan(example, capsys):
    _clean(example)
    assert main(["plan", "--all", "--dir", str(example)]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    assert len(lines) == 4 and all(ln.startswith("written construction/design/code-generation-plan-") for ln in lines)


def test_cli_stdout_and_json_write_nothing(example, capsys):
    import json

    _clean(example)
    assert main(["plan", "1", "--stdout", "--dir", str(example)]) == 0
    assert capsys.readouterr().out.startswith("# Code Generation Plan: Stripe API Rate Limiter")
    assert main(["plan", "1", "3", "--format", "json", "--dir", str(example)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["gap"] for p in data] == ["stripe-api-rate-limiter", "payment-reconciliation-job"]
    assert not list((example / "construction" / "design").glob("code-generation-plan-*"))


def test_cli_unknown_gap_exits_2_with_suggestions(example, capsys):
    assert main(["plan", "refund-workflow", "--dir", str(example)]) == 2
    err = capsys.readouterr().err
    assert "refund-approval-workflow" in err and "Traceback" not in err

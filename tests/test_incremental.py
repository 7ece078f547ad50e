"""Repeat `plan --all` runs touch only the plans whose inputs changed, and write exactly what a first run writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cgplan import load
from cgplan.plan.decisions import ComponentDecision, Decisions
from cgplan.store.decisions import save_decisions
from cgplan.store.plans import plan_path, write_plans

GAPS = "construction/requirements/gap-analysis.md"
MAP = "construction/requirements/constellation-map.md"
SKETCHES = "construction/design/implementation-sketches.md"


def plans(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "construction" / "design").glob("code-generation-plan-*"))}


def first_run(src: Path, dest: Path) -> dict[str, bytes]:
    """The plans a first run (no plans on disk) writes for the documents of ``src``."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("code-generation-plan-*"))
    construction = load(dest)
    write_plans(construction, construction.gaps)
    return plans(dest)


def test_second_run_reports_unchanged_and_changes_nothing(example):
    construction = load(example)
    assert [r.status for r in write_plans(construction, construction.gaps)] == ["written"] * 4
    first = {
        p: (p.stat().st_mtime_ns, p.read_bytes())
        for p in (example / "construction" / "design").glob("code-generation-plan-*")
    }
    construction = load(example)
    assert [r.status for r in write_plans(construction, construction.gaps)] == ["unchanged"] * 4
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in first} == first


@pytest.mark.parametrize(
    "doc,old,new",
    [
        (MAP, "### Star: Redis Cache", "### Star: Redis Cache Cluster"),
        (GAPS, "- [ ] Sustains 500 req/sec", "- [ ] Sustains 900 req/sec"),
        (SKETCHES, "\n## Sketch 2:", "\nA note added by hand.\n\n## Sketch 2:"),
    ],
    ids=["star-renamed", "criterion-changed", "sketch-note"],
)
def test_a_changed_document_rewrites_and_matches_a_first_run(example, tmp_path, doc, old, new):
    construction = load(example)
    write_plans(construction, construction.gaps)
    before = plans(example)
    path = example / doc
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    construction = load(example)
    write_plans(construction, construction.gaps)
    after = plans(example)
    assert after == first_run(example, tmp_path / "first")
    if doc != SKETCHES:
        assert after != before


def test_a_changed_decisions_file_rewrites_that_plan_only(example):
    construction = load(example)
    write_plans(construction, construction.gaps)
    gap = construction.gaps[0]
    save_decisions(
        construction, gap, Decisions(components={"RateLimitMiddleware": ComponentDecision(file="src/limits/stripe.ts")})
    )
    construction = load(example)
    results = write_plans(construction, construction.gaps)
    assert [r.status for r in results] == ["written", "unchanged", "unchanged", "unchanged"]
    assert "`src/limits/stripe.ts`" in plan_path(construction, gap).read_text(encoding="utf-8")


def test_a_hand_edit_is_kept_and_a_deleted_plan_is_written_again(example):
    construction = load(example)
    write_plans(construction, construction.gaps)
    edited = plan_path(construction, construction.gaps[1])
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("## Component 1:", "My note.\n\n## Component 1:"), encoding="utf-8"
    )
    plan_path(construction, construction.gaps[2]).unlink()
    construction = load(example)
    results = write_plans(construction, construction.gaps)
    assert [r.status for r in results] == ["unchanged", "kept-edited", "written", "unchanged"]
    assert "My note." in edited.read_text(encoding="utf-8")


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name synced files")
def test_written_plans_and_their_folder_are_flushed_to_disk_once_each(example, monkeypatch):
    import os

    synced: list[str] = []
    real = os.fsync

    def recording(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        return real(fd)

    monkeypatch.setattr(os, "fsync", recording)
    construction = load(example)
    results = write_plans(construction, construction.gaps)
    design = str(construction.design_dir.resolve())
    assert sorted(synced) == sorted([str(r.path.resolve()) for r in results] + [design])
    del synced[:]
    write_plans(load(example), construction.gaps)  # nothing written: nothing to flush
    assert synced == []

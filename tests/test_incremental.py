"""Repeat `plan --all` runs skip plans whose inputs did not change, and write exactly what a cold run writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import cgplan.plan
from cgplan import load
from cgplan.decisions import ComponentDecision, Decisions, save_decisions
from cgplan.write import plan_path, write_plans

GAPS = "construction/requirements/gap-analysis.md"
MAP = "construction/requirements/constellation-map.md"
SKETCHES = "construction/design/implementation-sketches.md"



@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Slugs of the plans built (not skipped), in order."""
    seen: list[str] = []
    real = cgplan.plan.build_plan

    def counting(c, gap, decisions=None):
        seen.append(gap.slug)
        return real(c, gap, decisions)

    monkeypatch.setattr(cgplan.plan, "build_plan", counting)
    return seen


def plans(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "construction" / "design").glob("code-generation-plan-*"))}


def cold(src: Path, dest: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The plans a cold run (no cache, no plans on disk) writes for the documents of ``src``."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("code-generation-plan-*"))
    with monkeypatch.context() as m:
        m.setenv("CGPLAN_CACHE", "off")
        c = load(dest)
        write_plans(c, c.gaps)
    return plans(dest)


def test_second_run_builds_nothing_and_changes_nothing(example, cache_dir, builds):
    c = load(example)
    assert [r.status for r in write_plans(c, c.gaps)] == ["written"] * 4
    first = plans(example)
    del builds[:]
    c = load(example)
    assert [r.status for r in write_plans(c, c.gaps)] == ["unchanged"] * 4
    assert builds == []
    assert plans(example) == first


def test_without_the_cache_the_same_files_result(example, cache_dir, builds, monkeypatch, tmp_path):
    c = load(example)
    write_plans(c, c.gaps)
    first = plans(example)
    shutil.rmtree(cache_dir)
    del builds[:]
    c = load(example)
    assert [r.status for r in write_plans(c, c.gaps)] == ["unchanged"] * 4
    assert len(builds) == 4  # rebuilt, since nothing recorded what was written
    assert plans(example) == first == cold(example, tmp_path / "cold", monkeypatch)


@pytest.mark.parametrize(
    "doc,old,new",
    [
        (MAP, "### Star: Redis Cache", "### Star: Redis Cache Cluster"),
        (GAPS, "- [ ] Sustains 500 req/sec", "- [ ] Sustains 900 req/sec"),
        (SKETCHES, "\n## Sketch 2:", "\nA note added by hand.\n\n## Sketch 2:"),
    ],
    ids=["star-renamed", "criterion-changed", "sketch-note"],
)
def test_a_changed_document_rebuilds_and_matches_a_cold_run(example, cache_dir, builds, monkeypatch, tmp_path, doc, old, new):
    c = load(example)
    write_plans(c, c.gaps)
    before = plans(example)
    path = example / doc
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    del builds[:]
    c = load(example)
    write_plans(c, c.gaps)
    assert builds  # something was rebuilt
    after = plans(example)
    assert after == cold(example, tmp_path / "cold", monkeypatch)
    if doc != SKETCHES:
        assert after != before


def test_a_changed_decisions_file_rebuilds_that_plan_only(example, cache_dir, builds):
    c = load(example)
    write_plans(c, c.gaps)
    gap = c.gaps[0]
    save_decisions(c, gap, Decisions(components={"RateLimitMiddleware": ComponentDecision(file="src/limits/stripe.ts")}))
    del builds[:]
    c = load(example)
    results = write_plans(c, c.gaps)
    assert builds == [gap.slug]
    assert [r.status for r in results] == ["written", "unchanged", "unchanged", "unchanged"]
    assert "`src/limits/stripe.ts`" in plan_path(c, gap).read_text(encoding="utf-8")


def test_a_hand_edit_or_a_deleted_plan_is_never_skipped(example, cache_dir, builds):
    c = load(example)
    write_plans(c, c.gaps)
    edited = plan_path(c, c.gaps[1])
    edited.write_text(edited.read_text(encoding="utf-8").replace("## Component 1:", "My note.\n\n## Component 1:"), encoding="utf-8")
    plan_path(c, c.gaps[2]).unlink()
    del builds[:]
    c = load(example)
    results = write_plans(c, c.gaps)
    assert [r.status for r in results] == ["unchanged", "kept-edited", "written", "unchanged"]
    assert builds == [c.gaps[1].slug, c.gaps[2].slug]
    assert "My note." in edited.read_text(encoding="utf-8")


def test_with_the_cache_off_every_plan_is_built(example, cache_dir, builds, monkeypatch):
    monkeypatch.setenv("CGPLAN_CACHE", "off")
    for _ in range(2):
        c = load(example)
        write_plans(c, c.gaps)
    assert len(builds) == 8
    assert not cache_dir.exists()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name synced files")
def test_written_plans_and_their_folder_are_flushed_to_disk_once_each(example, cache_dir, monkeypatch):
    import os

    synced: list[str] = []
    real = os.fsync

    def recording(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        return real(fd)

    monkeypatch.setattr(os, "fsync", recording)
    c = load(example)
    results = write_plans(c, c.gaps)
    design = str(c.design_dir.resolve())
    assert sorted(synced) == sorted([str(r.path.resolve()) for r in results] + [design])
    del synced[:]
    write_plans(load(example), c.gaps)  # nothing written: nothing to flush
    assert synced == []

"""The parsed-folder cache: a repeat load is served from it, and it never changes a result."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from cgplan import cache, load
from cgplan import folder as folder_mod
from cgplan.errors import InputError
from cgplan.report import summary

FOLDERS = sorted(p for p in (Path(__file__).parent / "fixtures" / "folders").iterdir() if (p / "construction").is_dir())
GAPS = "construction/requirements/gap-analysis.md"
MAP = "construction/requirements/constellation-map.md"
SKETCHES = "construction/design/implementation-sketches.md"



def entries(d: Path) -> list[Path]:
    return sorted(d.glob("*.pickle")) if d.is_dir() else []


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*a, **k):
        raise AssertionError("the folder was parsed again")

    monkeypatch.setattr(folder_mod, "parse_text", refuse)


@pytest.mark.parametrize("src", FOLDERS + [Path(__file__).resolve().parent.parent / "data"], ids=lambda p: p.name)
def test_warm_load_equals_cold_load_without_parsing(src, tmp_path, cache_dir, monkeypatch):
    root = tmp_path / "f"
    shutil.copytree(src, root, ignore=shutil.ignore_patterns("code-generation-plan-*", "expected.json"))
    cold = load(root)
    assert len(entries(cache_dir)) == 1
    no_parsing(monkeypatch)
    warm = load(root)
    assert summary(warm) == summary(cold)
    assert (warm.root, warm.dir) == (cold.root, cold.dir)
    assert warm.problems == cold.problems


def test_same_documents_in_another_folder_get_that_folders_paths(example, tmp_path, cache_dir, monkeypatch):
    first = load(example)
    other = tmp_path / "elsewhere"
    shutil.copytree(example, other)
    no_parsing(monkeypatch)
    second = load(other / "construction")  # given the construction/ folder itself
    assert second.root == other and second.dir == other / "construction"
    assert second.design_dir == other / "construction" / "design"
    assert summary(second) == summary(first)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b"",
        lambda b: b[: len(b) // 2],
        lambda b: b"not a cache entry at all",
        lambda b: b[:13] + b"\x80\x05garbage",
        lambda b: b[:13] + pickle.dumps((cache.FORMAT + 1, "folder", "x", None)),
        lambda b: b[:13] + pickle.dumps((cache.FORMAT, "folder", "another key", {"not": "a folder"})),
    ],
    ids=["empty", "truncated", "foreign", "corrupt-pickle", "other-format", "wrong-content"],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(example, cache_dir, damage):
    cold = summary(load(example))
    [entry] = entries(cache_dir)
    entry.write_bytes(damage(entry.read_bytes()))
    assert summary(load(example)) == cold
    [again] = entries(cache_dir)
    assert again.read_bytes()[:13] == b"cgplan-cache\n" and len(again.read_bytes()) > 1000
    assert summary(load(example)) == cold


@pytest.mark.parametrize(
    "doc,old,new,check",
    [
        (GAPS, "### Gap 1: Stripe API Rate Limiter", "### Gap 1: Stripe API Throttle", lambda c: c.gaps[0].name == "Stripe API Throttle"),
        (MAP, "### Star: Redis Cache", "### Star: Redis Store", lambda c: "Redis Store" in [s.name for s in c.stars]),
        (SKETCHES, "Gap Reference", "Gap Reference", lambda c: True),  # same bytes: still served from the cache
    ],
    ids=["gap-analysis", "constellation-map", "unchanged"],
)
def test_editing_a_document_invalidates(example, cache_dir, doc, old, new, check):
    load(example)
    path = example / doc
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    c = load(example)
    assert check(c)
    assert len(entries(cache_dir)) == (1 if old == new else 2)


def test_cache_off_writes_nothing(example, cache_dir, monkeypatch):
    monkeypatch.setenv("CGPLAN_CACHE", "off")
    a, b = load(example), load(example)
    assert summary(a) == summary(b)
    assert not cache_dir.exists()


def test_errors_are_not_cached(example, cache_dir):
    path = example / MAP
    path.write_text("# System Constellation Map: Nothing\n\nNo stars here.\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError, match="no stars found"):
            load(example)
    assert entries(cache_dir) == []


def test_never_caches_inside_the_construction_folder(example, monkeypatch):
    inside = example / "construction" / "design" / ".cache"
    monkeypatch.setenv("CGPLAN_CACHE_DIR", str(inside))
    load(example)
    assert entries(inside) == []


def test_a_cache_folder_others_can_write_is_not_used(example, cache_dir):
    cache_dir.mkdir()
    os.chmod(cache_dir, 0o777)
    load(example)
    assert entries(cache_dir) == []


def test_the_cache_keeps_a_bounded_number_of_entries(example, cache_dir, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    path = example / GAPS
    text = path.read_text(encoding="utf-8")
    for n in range(6):
        path.write_text(text + f"\n<!-- revision {n} -->\n", encoding="utf-8")
        load(example)
    assert len(entries(cache_dir)) == 3


def test_location_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("CGPLAN_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.location() == tmp_path / "xdg" / "cgplan"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.location() == tmp_path / "home" / ".cache" / "cgplan"
    monkeypatch.setenv("CGPLAN_CACHE_DIR", str(tmp_path / "own"))
    assert cache.location() == tmp_path / "own"


# --------------------------------------------------------------------------- checker findings


def _findings_folder(example: Path) -> Path:
    """The example with its plans written, one of them made vague and one cut short, one gap left unplanned."""
    from cgplan.write import plan_path, write_plans

    c = load(example)
    write_plans(c, c.gaps)
    vague = plan_path(c, c.gaps[0])
    vague.write_text(vague.read_text(encoding="utf-8").replace("## Component 1:", "TBD: handle errors appropriately.\n\n## Component 1:", 1), encoding="utf-8")
    short = plan_path(c, c.gaps[1])
    short.write_text(short.read_text(encoding="utf-8").split("## Component 1:")[0], encoding="utf-8")
    plan_path(c, c.gaps[3]).unlink()
    return example


def _check(example: Path, **kw) -> dict:
    from cgplan.check import run

    return run(load(example), config=False, **kw).to_dict()


@pytest.mark.parametrize("select", [None, "vague-text,missing-section", "unplanned-gap"])
def test_cached_findings_equal_uncached_ones_without_parsing(example, cache_dir, monkeypatch, select):
    import cgplan.check as check_mod

    folder = _findings_folder(example)
    with monkeypatch.context() as m:
        m.setenv("CGPLAN_CACHE", "off")
        uncached = _check(folder, select=select)
    assert uncached["findings"]
    assert _check(folder, select=select) == uncached  # cold, fills the cache
    monkeypatch.setattr(check_mod, "load_plan", lambda *a, **k: pytest.fail("a plan was parsed again"))
    assert _check(folder, select=select) == uncached  # warm
    assert _check(folder, select=select, jobs=2) == uncached


def test_editing_a_plan_or_a_document_invalidates_findings(example, cache_dir, monkeypatch):
    from cgplan.write import plan_path

    folder = _findings_folder(example)
    before = _check(folder)
    c = load(folder)
    plan = plan_path(c, c.gaps[2])
    plan.write_text(plan.read_text(encoding="utf-8").replace("## Component 1:", "TODO later.\n\n## Component 1:", 1), encoding="utf-8")
    edited = _check(folder)
    assert edited != before and any("TODO" in f["message"] and f["file"].endswith(plan.name) for f in edited["findings"])
    gaps = folder / GAPS
    gaps.write_text(gaps.read_text(encoding="utf-8").replace("### Gap 1: Stripe API Rate Limiter", "### Gap 1: Stripe Request Throttle", 1), encoding="utf-8")
    renamed = _check(folder)
    with monkeypatch.context() as m:
        m.setenv("CGPLAN_CACHE", "off")
        assert renamed == _check(folder)
    assert renamed != edited


def test_a_document_changed_while_loading_is_not_cached(example, cache_dir, monkeypatch):
    real = folder_mod._load

    def edit_meanwhile(*args, **kw):
        c = real(*args, **kw)
        path = example / GAPS
        path.write_text(path.read_text(encoding="utf-8") + "\nAdded while cgplan was reading.\n", encoding="utf-8")
        return c

    monkeypatch.setattr(folder_mod, "_load", edit_meanwhile)
    c = load(example)
    assert entries(cache_dir) == [] and folder_mod.content_key(c) is None

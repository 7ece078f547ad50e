"""cgplan pauses Python's cyclic garbage collector while it builds big trees, and
always gives it back as it found it: a notebook or script that calls cgplan keeps
its collector settings, also when loading fails."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from cgplan import load
from cgplan.errors import CgplanError
from cgplan.write import write_plans


@pytest.fixture
def collector():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("enabled", [True, False])
def test_load_and_write_leave_the_collector_as_they_found_it(example, cache_dir, collector, enabled):
    (gc.enable if enabled else gc.disable)()
    c = load(example)  # parsed
    assert gc.isenabled() is enabled
    c = load(example)  # from the cache
    assert gc.isenabled() is enabled
    write_plans(c, c.gaps)
    assert gc.isenabled() is enabled


def test_a_failed_load_gives_the_collector_back(example, cache_dir, collector):
    gc.enable()
    (example / "construction" / "requirements" / "gap-analysis.md").write_bytes(b"\xff\xfe not text")
    with pytest.raises(CgplanError):
        load(example)
    assert gc.isenabled()


def test_the_collector_is_off_while_a_folder_is_parsed(example, cache_dir, collector, monkeypatch):
    import cgplan.folder as folder

    seen = []
    real = folder._load

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(folder, "_load", spy)
    gc.enable()
    load(example)
    assert seen == [False]
    assert gc.isenabled()


def test_objects_the_program_froze_stay_frozen(example, cache_dir, collector):
    gc.enable()
    keep = [[i] for i in range(10)]  # tracked by the collector, unlike a bare object()
    gc.freeze()
    try:
        c = load(example)
        write_plans(c, c.gaps)
        # frozen objects are in no generation; the count alone could drop as other frozen objects die
        tracked = {id(o) for o in gc.get_objects()}
        assert not any(id(k) in tracked for k in keep), "the program's frozen objects were thawed"
        assert gc.get_freeze_count() >= len(keep)
    finally:
        gc.unfreeze()


def test_what_a_load_made_is_handed_to_the_collector_afterwards(example, cache_dir, collector):
    gc.enable()
    assert gc.get_freeze_count() == 0
    c = load(example)
    assert gc.get_freeze_count() == 0  # nothing left frozen
    # the folder went straight to the oldest generation: young collections never walk it again
    assert any(o is c for o in gc.get_objects(generation=2))


def _cgplan_garbage() -> list[str]:
    """Names of the cgplan objects and functions only the cyclic collector could free."""
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        out = []
        for o in gc.garbage:
            code = getattr(o, "__code__", None)
            if code is not None and "cgplan" in code.co_filename:
                out.append(o.__qualname__)
            elif type(o).__module__.startswith("cgplan"):
                out.append(type(o).__name__)
        return out
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


FOLDERS = sorted(p.name for p in (Path(__file__).parent / "fixtures" / "folders").iterdir() if p.is_dir())


@pytest.mark.parametrize("folder", ["example", *FOLDERS])
def test_loading_and_planning_leave_no_reference_cycles(request, monkeypatch, collector, folder):
    """With the collector paused, anything held in a reference cycle would stay in memory
    (a whole document's tree, once): loading and planning must free everything by reference count."""
    root = request.getfixturevalue("example") if folder == "example" else Path(__file__).parent / "fixtures" / "folders" / folder
    monkeypatch.setenv("CGPLAN_CACHE", "off")
    gc.collect()
    gc.disable()
    from cgplan.plan import build_plan
    from cgplan.render import render_markdown

    c = load(root)
    for g in c.gaps:
        render_markdown(build_plan(c, g))
    del c
    assert _cgplan_garbage() == []

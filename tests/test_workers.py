"""Big jobs are shared with helper processes (cgplan.workers); the results must
be exactly what one process gives: the same folder model, byte-identical
plans, the same first error, and a working fallback when a helper fails.

The size thresholds are lowered here so the small fixture folders use helpers.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import cgplan.folder as folder_mod
import cgplan.workers as workers
import cgplan.write as write_mod
from cgplan import load
from cgplan.errors import CgplanError
from cgplan.write import write_plans

FOLDERS = Path(__file__).resolve().parent / "fixtures" / "folders"
EXAMPLE = Path(__file__).resolve().parent.parent / "data"
ALL = [EXAMPLE, *sorted(p.parent for p in FOLDERS.glob("*/construction"))]


def _model(x):
    """A folder model as plain nested tuples (paths of the copy left out)."""
    if dataclasses.is_dataclass(x):
        return (type(x).__name__, *(_model(getattr(x, f.name)) for f in dataclasses.fields(x) if not f.name.startswith("_") and f.name not in ("root", "dir")))
    if isinstance(x, (list, tuple)):
        return tuple(_model(i) for i in x)
    if isinstance(x, dict):
        return tuple((k, _model(v)) for k, v in x.items())
    return x


def _copy(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("code-generation-plan-*", "notebooks"))
    return dest


@pytest.fixture
def helpers(monkeypatch):
    """Helpers for any size of job, three processes at once."""
    monkeypatch.setattr(folder_mod, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(write_mod, "PARALLEL_PLANS", 1)
    monkeypatch.setenv("CGPLAN_JOBS", "3")
    monkeypatch.setenv("CGPLAN_CACHE", "off")


def _serial(fn, monkeypatch):
    with monkeypatch.context() as m:
        m.setenv("CGPLAN_JOBS", "1")
        return fn()


def _plans(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "construction" / "design").glob("code-generation-plan-*"))}


def _started(monkeypatch) -> list:
    """Record every helper process started."""
    calls = []
    real = subprocess.Popen

    def spy(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(workers.subprocess, "Popen", spy)
    return calls


@pytest.mark.parametrize("src", ALL, ids=lambda p: p.name)
def test_helpers_give_the_same_folder_and_byte_identical_plans(src, tmp_path, helpers, monkeypatch):
    one = _copy(src, tmp_path / "one")
    many = _copy(src, tmp_path / "many")
    c1 = _serial(lambda: load(one), monkeypatch)
    _serial(lambda: write_plans(c1, c1.gaps), monkeypatch)
    started = _started(monkeypatch)
    c2 = load(many)
    r2 = write_plans(c2, c2.gaps)
    assert started, "the helpers were not used"
    assert _model(c2) == _model(c1)
    assert [r.status for r in r2] == ["written"] * len(c2.gaps)
    assert _plans(many) == _plans(one)


def test_cgplan_jobs_1_starts_no_helper(tmp_path, helpers, monkeypatch):
    folder = _copy(EXAMPLE, tmp_path / "ex")
    monkeypatch.setenv("CGPLAN_JOBS", "1")
    started = _started(monkeypatch)
    c = load(folder)
    write_plans(c, c.gaps)
    assert started == []
    assert len(_plans(folder)) == len(c.gaps)


@pytest.mark.parametrize("value,expected", [("2", 2), ("7", 7), ("0", None), ("many", None), ("", None)])
def test_cgplan_jobs_is_read_and_bad_values_fall_back_to_the_processors(monkeypatch, value, expected):
    monkeypatch.setenv("CGPLAN_JOBS", value)
    default = max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, workers.MAX_JOBS))
    assert workers.jobs() == (expected if expected is not None else default)


def test_an_error_in_a_document_a_helper_loads_reads_as_without_helpers(tmp_path, helpers, monkeypatch):
    folder = _copy(EXAMPLE, tmp_path / "ex")
    (folder / "construction" / "requirements" / "constellation-map.md").write_bytes(b"# Map\n\n\xff\xfe broken\n")
    (folder / "construction" / "design" / "implementation-sketches.md").write_bytes(b"")
    with pytest.raises(CgplanError) as serial:
        _serial(lambda: load(folder), monkeypatch)
    with pytest.raises(CgplanError) as shared:
        load(folder)
    assert str(shared.value) == str(serial.value)
    assert "constellation-map.md:3" in str(shared.value)  # the first document's error, not the sketches'


def test_a_helper_that_cannot_start_leaves_the_work_to_this_process(tmp_path, helpers, monkeypatch):
    one = _copy(EXAMPLE, tmp_path / "one")
    many = _copy(EXAMPLE, tmp_path / "many")
    c1 = _serial(lambda: load(one), monkeypatch)
    _serial(lambda: write_plans(c1, c1.gaps), monkeypatch)
    monkeypatch.setattr(workers.sys, "executable", str(tmp_path / "no-such-python"))
    c2 = load(many)
    write_plans(c2, c2.gaps)
    assert _model(c2) == _model(c1)
    assert _plans(many) == _plans(one)


def test_a_helper_answering_nonsense_is_ignored(tmp_path, helpers, monkeypatch):
    one = _copy(EXAMPLE, tmp_path / "one")
    many = _copy(EXAMPLE, tmp_path / "many")
    c1 = _serial(lambda: load(one), monkeypatch)
    _serial(lambda: write_plans(c1, c1.gaps), monkeypatch)
    monkeypatch.setattr(workers, "_OK", "another-tag")  # every answer now looks foreign
    c2 = load(many)
    write_plans(c2, c2.gaps)
    assert _model(c2) == _model(c1)
    assert _plans(many) == _plans(one)


def test_a_plan_that_fails_in_a_helper_fails_here_after_the_same_plans(tmp_path, helpers, monkeypatch):
    one = _copy(EXAMPLE, tmp_path / "one")
    many = _copy(EXAMPLE, tmp_path / "many")
    for folder in (one, many):
        c = load(folder)
        last = c.gaps[-1]  # built by a helper: the last share
        d = folder / "construction" / "design" / "decisions"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{last.slug}.yaml").write_text("components: [unclosed\n", encoding="utf-8")
    c1 = _serial(lambda: load(one), monkeypatch)
    with pytest.raises(CgplanError) as serial:
        _serial(lambda: write_plans(c1, c1.gaps), monkeypatch)
    c2 = load(many)
    with pytest.raises(CgplanError) as shared:
        write_plans(c2, c2.gaps)
    assert str(shared.value) == str(serial.value)
    assert _plans(many) == _plans(one)
    assert len(_plans(many)) == len(c2.gaps) - 1


def test_a_script_without_a_main_guard_can_use_helpers(tmp_path):
    folder = _copy(EXAMPLE, tmp_path / "ex")
    script = tmp_path / "plan_all.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import cgplan, cgplan.folder, cgplan.write
            cgplan.folder.PARALLEL_BYTES = 0
            cgplan.write.PARALLEL_PLANS = 1
            c = cgplan.load({str(folder)!r})
            print(len(cgplan.write.write_plans(c, c.gaps)), "plans")
            """
        ),
        encoding="utf-8",
    )
    env = dict(os.environ, CGPLAN_JOBS="2", CGPLAN_CACHE="off")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "4 plans"
    assert proc.stderr == ""


def test_a_helper_started_by_someone_else_does_nothing(tmp_path):
    import pickle

    payload = pickle.dumps(("cgplan.folder:find_construction", (str(EXAMPLE),)))
    env = dict(os.environ, CGPLAN_WORKER_PARENT="1")  # not its parent
    proc = subprocess.run([sys.executable, "-m", "cgplan.workers"], input=payload, capture_output=True, env=env, timeout=60)
    assert proc.returncode == 1
    assert proc.stdout == b""
    env["CGPLAN_WORKER_PARENT"] = str(os.getpid())
    proc = subprocess.run([sys.executable, "-m", "cgplan.workers"], input=payload, capture_output=True, env=env, timeout=60)
    assert proc.returncode == 0
    assert pickle.loads(proc.stdout)[1] == (EXAMPLE, EXAMPLE / "construction")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="helpers die with their parent on Linux")
def test_helpers_do_not_outlive_a_killed_run(tmp_path):
    script = tmp_path / "killed.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import os, signal, sys, time
            import cgplan
            from cgplan.workers import Share
            c = cgplan.load({str(EXAMPLE)!r})
            share = Share("cgplan.write:render_share", c, c.gaps * 5000)  # a minute of work
            time.sleep(0.5)
            print(share._proc.pid, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
            """
        ),
        encoding="utf-8",
    )
    env = dict(os.environ, CGPLAN_CACHE="off")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == -9
    pid = int(proc.stdout.strip())
    import time

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        # a zombie counts as gone: it no longer runs
        try:
            if Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z":
                break
        except OSError:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"helper {pid} still runs after its parent was killed")

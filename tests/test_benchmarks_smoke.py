"""The benchmarks' synthetic folders load exactly as written, and the benchmark script starts and knows its figures."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from cgplan import load

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import synth  # noqa: E402

FIGURES = {
    "command_seconds_30_gaps",
    "check_vs_pymarkdownlnt",
    "pipeline_seconds_1000_gaps",
    "scaling_2x",
    "peak_rss_mb",
    "papermill_vs_floor",
    "parallel_speedup",
    "noop_batch_seconds",
    "pipeline_vs_tokenize",
}

CASES = [
    {"stars": 30, "gaps": 12, "seed": 0},
    {"stars": 30, "gaps": 12, "seed": 7},
    {"stars": 12, "gaps": 5, "seed": 3, "crlf": True},
    {"stars": 12, "gaps": 5, "seed": 3, "drift": False},
]


def _refs(c):
    gap_refs = [(r.text, r.star or "") for g in c.gaps for r in g.connects_to]
    sketch_refs = [(st.ref.text, st.ref.star or "") for sk in c.sketches for st in sk.stars]
    return sorted(gap_refs + sketch_refs)


@pytest.mark.parametrize("kw", CASES, ids=lambda kw: "-".join(f"{k}{v}" for k, v in kw.items()))
def test_generated_folder_loads_as_written(tmp_path: Path, kw: dict):
    s = synth.generate(tmp_path, **kw)
    c = load(tmp_path)
    assert [x.name for x in c.stars] == s.stars
    assert {x.name: x.aliases for x in c.stars if x.aliases} == s.aliases
    assert [g.name for g in c.gaps] == s.gaps
    assert [sk.gap for sk in c.sketches] == [g.slug for g in c.gaps]
    assert sum(len(g.success_criteria) for g in c.gaps) == s.criteria
    assert len(c.non_gaps) == s.non_gaps
    assert _refs(c) == sorted(s.refs)
    assert all(star for _, star in s.refs)
    assert [p.message for p in c.problems] == []


def test_references_use_varied_forms(tmp_path: Path):
    s = synth.generate(tmp_path, stars=60, gaps=30, seed=2)
    written = {text for text, _ in s.refs}
    canon = set(s.stars)
    lowered = {n.lower() for n in s.stars}
    assert written & canon
    assert written & lowered
    assert any(
        text not in canon and text.lower() not in lowered and " star" not in text for text in written
    )  # alias, acronym or prefix
    assert any(star for text, star in s.refs if text.isupper() and len(text) <= 5)  # an acronym


def test_unknown_references_are_reported(tmp_path: Path):
    s = synth.generate(tmp_path, stars=12, gaps=6, seed=1, unknown_refs=2)
    ghosts = sorted(text for text, star in s.refs if not star)
    assert len(ghosts) == 2
    c = load(tmp_path)
    assert sorted(p.fields["name"] for p in c.problems if p.kind == "unknown-star") == ghosts


def test_same_seed_same_bytes(tmp_path: Path):
    synth.generate(tmp_path / "a", stars=20, gaps=8, seed=5)
    synth.generate(tmp_path / "b", stars=20, gaps=8, seed=5)
    synth.generate(tmp_path / "c", stars=20, gaps=8, seed=6)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.md"))
    assert len(files) == 3
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert any((tmp_path / "a" / f).read_bytes() != (tmp_path / "c" / f).read_bytes() for f in files)


def test_benchmark_script_help_and_figures():
    proc = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "--quick" in proc.stdout and "--json" in proc.stdout
    spec = importlib.util.spec_from_file_location("cgplan_benchmarks_run", BENCHMARKS / "run.py")
    run = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = run  # dataclasses look their module up while the class is built
    spec.loader.exec_module(run)
    assert set(run.TARGETS) == FIGURES
    assert {k for keys in run.GROUPS.values() for k in keys} == FIGURES
    assert all(op in ("<=", ">=") and target > 0 for op, target, _ in run.TARGETS.values())

"""Measure cgplan's speed, scaling and memory, each figure next to its target.

    python benchmarks/run.py            # full run (many minutes: pymarkdown alone takes over a minute)
    python benchmarks/run.py --quick    # smaller sizes, fewer repeats (about 2 minutes)
    python benchmarks/run.py --json     # one JSON object instead of the table

Folders come from ``benchmarks/synth.py`` (deterministic for a seed) in a
private temporary folder. Everything timed starts cold, in a fresh process:
the commands run as subprocesses of the installed ``cgplan`` console script,
the pipeline runs in a child Python process. Progress goes to stderr.

Output without ``--json``: one row per figure (value, target, ok / MISS / n/a,
what it means), then a details section saying what was measured for each
figure, then the machine. With ``--json``, one object on stdout::

    {
      "figures": {"command_seconds_30_gaps": 0.41, ...},   # exactly the keys of TARGETS; null = n/a
      "details": {"command_seconds_30_gaps": "0.41 s worst: plan --all (...)", ...},  # same keys
      "run": {"mode": "quick" | "full", "machine": "...", "seconds": 118.2}
    }

A figure whose tool is missing (``pymarkdown`` from the PyPI package
``pymarkdownlnt``, ``pyromark``, a Jupyter kernel) or whose measurement fails
is ``n/a`` (``null``), with the reason in its details. With ``--quick`` every
figure is still measured, at smaller sizes (the details say which).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

#: Figure key -> (comparison, target, meaning).
TARGETS = {
    "command_seconds_30_gaps": (
        "<=",
        0.5,
        "worst median wall time of inspect, plan --all, check, status (30 gaps, 40 stars), seconds",
    ),
    "check_vs_pymarkdownlnt": ("<=", 0.02, "`cgplan check` wall / `pymarkdown scan` wall, same plans (lower = faster)"),
    "pipeline_seconds_1000_gaps": ("<=", 10.0, "load + plan + render + write, 2,000 stars / 1,000 gaps, seconds"),
    "scaling_2x": ("<=", 2.2, "pipeline at 2x size / at 1x (linear = 2.0)"),
    "peak_rss_mb": ("<=", 500.0, "peak RSS of the pipeline at 1,000 gaps, the process plus its children, MB"),
    "papermill_vs_floor": ("<=", 2.0, "batch s/gap / empty one-cell notebook s/notebook"),
    "parallel_speedup": (">=", 1.7, "batch --jobs 1 wall / --jobs 2 wall"),
    "noop_batch_seconds": ("<=", 1.0, "second batch of 100 gaps, nothing changed, seconds"),
    "pipeline_vs_tokenize": ("<=", 15.0, "cold pipeline / reading and tokenizing the 3 documents with pyromark"),
}

#: Measurement group -> the figures it sets (``--only`` picks groups).
GROUPS = {
    "commands": ("command_seconds_30_gaps",),
    "check": ("check_vs_pymarkdownlnt",),
    "pipeline": ("pipeline_seconds_1000_gaps", "scaling_2x", "peak_rss_mb", "pipeline_vs_tokenize"),
    "batch": ("papermill_vs_floor", "parallel_speedup", "noop_batch_seconds"),
}

#: Exit codes that still mean "ran to the end" (1 = findings / stale plans / problems reported).
OK_CODES = (0, 1)


@dataclass(frozen=True)
class Config:
    """Sizes and repeats for one run."""

    quick: bool
    """Smaller sizes and fewer repeats."""
    command_repeats: int
    """Runs of each command for command_seconds_30_gaps (median taken)."""
    pipeline_repeats: int
    """Runs of the pipeline at each size (median taken)."""
    floor_repeats: int
    """Runs of the tokenize floor (median taken, after one warm-up)."""
    base: tuple[int, int]
    """(stars, gaps) of the pipeline at 1x; 2x doubles both."""
    check_plans: int
    """Plans checked by cgplan check and pymarkdown scan."""
    check_repeats: int
    """Runs of cgplan check (median taken); pymarkdown runs once."""
    batch_gaps: int
    """Gaps per timed batch."""
    noop_gaps: int = 100
    """Gaps in the no-op batch."""
    command_folder: tuple[int, int] = (40, 30)
    """(stars, gaps) of the folder the commands run on."""
    seed: int = 1
    """Generator seed."""


FULL = Config(
    quick=False,
    command_repeats=5,
    pipeline_repeats=3,
    floor_repeats=5,
    base=(2000, 1000),
    check_plans=100,
    check_repeats=3,
    batch_gaps=16,
)
QUICK = Config(
    quick=True,
    command_repeats=3,
    pipeline_repeats=1,
    floor_repeats=3,
    base=(1000, 500),
    check_plans=20,
    check_repeats=1,
    batch_gaps=6,
)


@dataclass
class Results:
    """The figures and, per figure, what was measured (or why it is n/a)."""

    figures: dict[str, float | None] = field(default_factory=lambda: dict.fromkeys(TARGETS))
    """Figure key -> value, ``None`` when not measured."""
    details: dict[str, str] = field(default_factory=dict)
    """Figure key -> what was measured / why it is n/a."""

    def na(self, keys, why: str) -> None:
        """Mark the figures of ``keys`` not yet measured as n/a for ``why``."""
        for key in keys:
            if self.figures[key] is None:
                self.details[key] = f"n/a: {why}"


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def beside_python(name: str) -> str | None:
    """The console script ``name`` installed beside this Python (the venv's), else the one on PATH, else ``None``."""
    exe = Path(sys.executable).with_name(name)
    return str(exe) if exe.is_file() else shutil.which(name)


def cgplan_exe() -> list[str]:
    """The installed ``cgplan`` console script; RuntimeError (an n/a reason) when there is none."""
    exe = beside_python("cgplan")
    if exe is None:
        raise RuntimeError("the cgplan console script is not installed (pip install -e .)")
    return [exe]


def timed(cmd: list[str], cwd: Path, what: str) -> tuple[float, str]:
    """(wall seconds, combined output) of one subprocess; RuntimeError unless it exits 0 or 1."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode not in OK_CODES:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
        raise RuntimeError(f"{what} exited {proc.returncode}: {' | '.join(tail)}")
    return wall, proc.stdout + proc.stderr


def plan_all(root: Path, work: Path) -> None:
    """Write every gap's plan with ``cgplan plan --all`` (not timed)."""
    timed(cgplan_exe() + ["plan", "--all", "--dir", str(root)], work, "cgplan plan --all")


def plan_files(root: Path) -> list[Path]:
    return sorted((root / "construction" / "design").glob("code-generation-plan-*.md"))


# --------------------------------------------------------------------------- commands


def bench_commands(cfg: Config, res: Results, work: Path) -> None:
    stars, gaps = cfg.command_folder
    exe = cgplan_exe()
    src = work / "cmd"
    synth.generate(src, stars=stars, gaps=gaps, seed=cfg.seed)
    planned = work / "cmd-planned"
    shutil.copytree(src, planned)
    plan_all(planned, work)
    log(f"commands: inspect, plan --all, check, status on {gaps} gaps / {stars} stars, {cfg.command_repeats} runs each")
    times: dict[str, list[float]] = {"inspect": [], "plan --all": [], "check": [], "status": []}
    for i in range(cfg.command_repeats):
        fresh = work / f"cmd-fresh-{i}"
        shutil.copytree(src, fresh)  # plan --all on a copy with no plans yet
        runs = {
            "inspect": ["inspect", "--dir", str(src)],
            "plan --all": ["plan", "--all", "--dir", str(fresh)],
            "check": ["check", "--dir", str(planned)],
            "status": ["status", "--dir", str(planned)],
        }
        for name, args in runs.items():
            times[name].append(timed(exe + args, work, f"cgplan {name}")[0])
    medians = {name: statistics.median(ts) for name, ts in times.items()}
    worst = max(medians, key=medians.get)
    res.figures["command_seconds_30_gaps"] = medians[worst]
    each = ", ".join(f"{name} {secs:.2f}" for name, secs in medians.items())
    res.details["command_seconds_30_gaps"] = (
        f"{medians[worst]:.2f} s worst: {worst} (medians of {cfg.command_repeats}: {each} s; "
        f"check and status on the folder with its {gaps} plans)"
    )


# --------------------------------------------------------------------------- check vs pymarkdown


def bench_check(cfg: Config, res: Results, work: Path) -> None:
    n = cfg.check_plans
    exe = cgplan_exe()
    root = work / "lint"
    synth.generate(root, stars=n * 2, gaps=n, seed=cfg.seed)
    plan_all(root, work)
    plans = plan_files(root)
    if len(plans) != n:
        raise RuntimeError(f"cgplan plan --all wrote {len(plans)} plans, not {n}")
    log(f"check: cgplan check ({cfg.check_repeats} runs) vs pymarkdown scan (1 run) on {n} plans")
    walls, summary = [], ""
    for _ in range(cfg.check_repeats):
        wall, out = timed(exe + ["check", "--dir", str(root)], work, "cgplan check")
        walls.append(wall)
        summary = out.strip().splitlines()[-1] if out.strip() else ""
    check_wall = statistics.median(walls)
    pym = beside_python("pymarkdown")
    if pym is None:
        res.details["check_vs_pymarkdownlnt"] = (
            f"n/a: pymarkdown not installed (pip install pymarkdownlnt); cgplan check alone: {check_wall:.2f} s"
        )
        return
    # cwd = the work folder, so no project configuration of either tool applies
    pym_wall, out = timed([pym, "scan", *map(str, plans)], work, "pymarkdown scan")
    pym_findings = sum(1 for line in out.splitlines() if ": MD" in line)
    res.figures["check_vs_pymarkdownlnt"] = check_wall / pym_wall
    res.details["check_vs_pymarkdownlnt"] = (
        f"cgplan check {check_wall:.2f} s (median of {cfg.check_repeats}; the 3 documents + {n} plans: {summary}) / "
        f"pymarkdown scan {pym_wall:.2f} s (1 run; the {n} plans, default rules, {pym_findings} findings); "
        f"cgplan check is {pym_wall / check_wall:.0f}x faster"
    )


# --------------------------------------------------------------------------- pipeline (child process)

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
import cgplan
from cgplan.store.plans import write_plans
c = cgplan.load(sys.argv[1])
t1 = time.perf_counter()
results = write_plans(c, c.gaps)
t2 = time.perf_counter()
self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({
    "gaps": len(c.gaps),
    "load": t1 - t0,
    "write": t2 - t1,
    "pipeline": t2 - t0,
    "statuses": sorted({r.status for r in results}),
    "rss_self_mb": self_mb,
    "rss_children_mb": children_mb,
    "rss_mb": self_mb + children_mb,
}))
"""


def clear_plans(root: Path) -> None:
    for p in (root / "construction" / "design").glob("code-generation-plan-*"):
        p.unlink()


def pipeline_child(root: Path) -> dict:
    """One cold pipeline (no plans on disk, fresh interpreter) in a child process: its figures."""
    clear_plans(root)
    proc = subprocess.run([sys.executable, "-c", CHILD, str(root)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        raise RuntimeError(f"pipeline child failed: {lines[-1] if lines else proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def pipeline(root: Path, runs: int) -> dict:
    """The run with the median pipeline time over ``runs``; the peak RSS is the largest of all runs."""
    outs = sorted((pipeline_child(root) for _ in range(runs)), key=lambda o: o["pipeline"])
    mid = dict(outs[len(outs) // 2])
    peak = max(outs, key=lambda o: o["rss_mb"])
    for key in ("rss_mb", "rss_self_mb", "rss_children_mb"):
        mid[key] = peak[key]
    return mid


def doc_paths(root: Path) -> list[Path]:
    c = root / "construction"
    return [
        c / "requirements" / "constellation-map.md",
        c / "requirements" / "gap-analysis.md",
        c / "design" / "implementation-sketches.md",
    ]


def tokenize_floor(root: Path, runs: int) -> tuple[str, float, dict[str, float]]:
    """(fastest pyromark full parse, its seconds, seconds per API) to read the three documents and tokenize them.

    Each candidate parses every block and inline (``reference_definitions``
    does not, so it is no floor); the events iterator is consumed to the end.
    """
    import pyromark

    md = pyromark.Markdown(options=pyromark.Options.ENABLE_TABLES)
    apis = {
        "pyromark Markdown.html": md.html,
        "pyromark Markdown.events": lambda text: collections.deque(md.events(text), maxlen=0),
        "pyromark events(merge_text=False)": lambda text: collections.deque(
            pyromark.events(text, options=pyromark.Options.ENABLE_TABLES, merge_text=False), maxlen=0
        ),
    }
    paths = doc_paths(root)
    times = {}
    for name, fn in apis.items():

        def once(fn=fn):
            for p in paths:
                fn(p.read_bytes().decode("utf-8-sig"))

        once()  # warm-up
        times[name] = median_time(once, runs)
    best = min(times, key=times.get)
    return best, times[best], times


def bench_pipeline(cfg: Config, res: Results, work: Path) -> None:
    stars, gaps = cfg.base
    runs: dict[int, dict] = {}
    roots: dict[int, Path] = {}
    for mult in (1, 2):
        s, g = stars * mult, gaps * mult
        root = work / f"pipe-{mult}x"
        info = synth.generate(root, stars=s, gaps=g, seed=cfg.seed)
        log(f"pipeline {mult}x: {s} stars / {g} gaps, {info.bytes / 1e6:.1f} MB, {cfg.pipeline_repeats} cold runs")
        runs[mult] = pipeline(root, cfg.pipeline_repeats)
        runs[mult]["bytes"] = info.bytes
        roots[mult] = root
    one, two = runs[1], runs[2]
    bad = sorted({s for o in (one, two) for s in o["statuses"]} - {"written"})
    if bad:
        raise RuntimeError(f"write_plans reported {', '.join(bad)} on a folder with no plans")
    res.figures["scaling_2x"] = two["pipeline"] / one["pipeline"]
    res.details["scaling_2x"] = f"{two['pipeline']:.2f} s / {one['pipeline']:.2f} s at {gaps} -> {gaps * 2} gaps"

    # the 1,000-gap figures come from the run with 1,000 gaps (1x in full mode, 2x in quick mode)
    at_1000 = next((m for m in (1, 2) if runs[m]["gaps"] == 1000), None)
    ref_mult = at_1000 or 2
    ref = runs[ref_mult]
    scaled = "" if at_1000 else f" (scaled linearly from {ref['gaps']} gaps)"
    res.figures["pipeline_seconds_1000_gaps"] = ref["pipeline"] * 1000 / ref["gaps"]
    res.details["pipeline_seconds_1000_gaps"] = (
        f"{ref['pipeline']:.2f} s in a child process{scaled}: load {ref['load']:.2f} s + plan/render/write "
        f"{ref['write']:.2f} s ({ref['bytes'] / 1e6:.1f} MB of input; imports included, "
        f"median of {cfg.pipeline_repeats})"
    )
    res.figures["peak_rss_mb"] = ref["rss_mb"]
    res.details["peak_rss_mb"] = (
        f"{ref['rss_mb']:.0f} MB at {ref['gaps']} gaps: child {ref['rss_self_mb']:.0f} MB "
        f"+ its children {ref['rss_children_mb']:.0f} MB (ru_maxrss)"
    )

    try:
        name, floor, all_times = tokenize_floor(roots[ref_mult], cfg.floor_repeats)
    except ImportError:
        res.details["pipeline_vs_tokenize"] = "n/a: pyromark not installed (pip install pyromark)"
        return
    others = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in sorted(all_times.items(), key=lambda kv: kv[1]))
    res.figures["pipeline_vs_tokenize"] = ref["pipeline"] / floor
    res.details["pipeline_vs_tokenize"] = (
        f"{ref['pipeline']:.2f} s / {floor * 1000:.0f} ms with {name} (tables on) on the same {ref['gaps']}-gap "
        f"documents, median of {cfg.floor_repeats} (all: {others})"
    )


# --------------------------------------------------------------------------- batch


EMPTY_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "empty",
            "metadata": {"tags": ["parameters"]},
            "outputs": [],
            "source": [],
        }
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def batch_unavailable() -> str | None:
    """Why batch cannot be measured, or ``None`` if it can."""
    try:
        from cgplan.jupyter.batch import default_notebook

        default_notebook()
    except Exception as exc:
        return f"batch not available ({type(exc).__name__}: {exc})"
    return None


def run_cli_batch(root: Path, out: Path, jobs: int, *extra: str) -> float:
    cmd = cgplan_exe() + ["batch", "--dir", str(root), "--jobs", str(jobs), "--output-dir", str(out), *extra]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
        raise RuntimeError(f"cgplan batch exited {proc.returncode}: {' | '.join(tail)}")
    return wall


def bench_batch(cfg: Config, res: Results, work: Path) -> None:
    why = batch_unavailable()
    if why:
        res.na(GROUPS["batch"], why)
        return
    g = cfg.batch_gaps
    root = work / "batch"
    synth.generate(root, stars=max(10, g * 3), gaps=g, seed=cfg.seed)
    empty = work / "empty.ipynb"
    empty.write_text(json.dumps(EMPTY_NOTEBOOK), encoding="utf-8")
    log(f"batch: {g} gaps, empty-notebook floor (--jobs 1) / --jobs 1 / --jobs 2")
    try:
        floor = run_cli_batch(root, work / "nb-floor", 1, "--force", "--notebook", str(empty))
        j1 = run_cli_batch(root, work / "nb-j1", 1, "--force")
        j2 = run_cli_batch(root, work / "nb-j2", 2, "--force")
    except RuntimeError as exc:
        res.na(("papermill_vs_floor", "parallel_speedup"), str(exc))
    else:
        res.figures["papermill_vs_floor"] = j1 / floor
        res.details["papermill_vs_floor"] = (
            f"{j1 / g:.2f} s/gap / {floor / g:.2f} s/notebook over {g} gaps, --jobs 1 "
            "(CLI wall, worker and kernel start included)"
        )
        res.figures["parallel_speedup"] = j1 / j2
        res.details["parallel_speedup"] = (
            f"{j1:.1f} s / {j2:.1f} s for {g} gaps on {os.cpu_count()} cores "
            f"({usable_cpus()} usable; at most 1 / 2 kernels alive)"
        )
    bench_noop(cfg, res, work)


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def bench_noop(cfg: Config, res: Results, work: Path) -> None:
    n = cfg.noop_gaps
    root = work / "noop"
    synth.generate(root, stars=n * 2, gaps=n, seed=cfg.seed + 1)
    out = work / "nb-noop"
    if cfg.quick:
        log(f"no-op batch: priming the state of {n} gaps as a completed run would leave it")
        prime_state(root, out)
        how = "state primed as a completed run leaves it"
    else:
        log(f"no-op batch: first run of {n} gaps with --jobs 2 (takes a while)")
        run_cli_batch(root, out, 2)
        how = "after a real first run with --jobs 2"
    secs = run_cli_batch(root, out, 2)
    res.figures["noop_batch_seconds"] = secs
    res.details["noop_batch_seconds"] = f"{secs:.2f} s CLI wall for {n} unchanged gaps, {how}"


def prime_state(root: Path, out: Path) -> None:
    """Leave the folder as a successful batch would: plans written, notebooks saved, fingerprints recorded."""
    import cgplan
    from cgplan.jupyter.batch import default_notebook, fingerprint, write_state
    from cgplan.store.plans import write_plans

    c = cgplan.load(root)
    write_plans(c, c.gaps)
    nb = default_notebook().read_bytes()
    out.mkdir(parents=True, exist_ok=True)
    state = {}
    for g in c.gaps:
        (out / f"{g.slug}.ipynb").write_bytes(nb)
        state[g.slug] = {"fingerprint": fingerprint(c, g, nb)}
    write_state(out, state)


# --------------------------------------------------------------------------- report


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu or 'unknown CPU'}, Python {platform.python_version()}"


def verdict(key: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    op, target, _ = TARGETS[key]
    ok = value <= target if op == "<=" else value >= target
    return "ok" if ok else "MISS"


def fmt(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if abs(value) < 0.1 else f"{value:.2f}"


def table(res: Results) -> str:
    rows = [("figure", "value", "target", "", "meaning")]
    for key, (op, target, meaning) in TARGETS.items():
        v = res.figures[key]
        rows.append((key, fmt(v), f"{op} {target:g}", verdict(key, v), meaning))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [
        "  ".join(r[i].rjust(widths[i]) if i == 1 else r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4]
        for r in rows
    ]
    lines += ["", "details:"]
    lines += [f"  {key}: {res.details.get(key, 'not measured')}" for key in TARGETS]
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats (about 2 minutes)")
    ap.add_argument("--json", action="store_true", help="print one JSON object: figures, details, run")
    ap.add_argument("--only", choices=tuple(GROUPS), action="append", help="measure only these groups")
    args = ap.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    res = Results()
    t0 = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="cgplan-bench-"))
    groups = args.only or list(GROUPS)
    benches = {"commands": bench_commands, "check": bench_check, "pipeline": bench_pipeline, "batch": bench_batch}
    try:
        for name in GROUPS:
            if name not in groups:
                res.na(GROUPS[name], "not measured (--only)")
                continue
            t1 = time.perf_counter()
            try:
                benches[name](cfg, res, work)
            except Exception as exc:  # one group failing leaves the others' figures
                res.na(GROUPS[name], f"{type(exc).__name__}: {exc}")
            log(f"{name}: {time.perf_counter() - t1:.0f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - t0
    mode = "quick" if cfg.quick else "full"
    if args.json:
        out = {
            "figures": {k: (None if v is None else round(v, 4)) for k, v in res.figures.items()},
            "details": {k: res.details.get(k, "not measured") for k in TARGETS},
            "run": {"mode": mode, "machine": machine(), "seconds": round(elapsed, 1)},
        }
        print(json.dumps(out, indent=2))
    else:
        print(table(res))
        print(f"\n{machine()}; {mode} run took {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

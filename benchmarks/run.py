"""Measure cgplan's speed, scaling and memory, each figure next to its target.

    python benchmarks/run.py            # full run (several minutes)
    python benchmarks/run.py --quick    # smaller sizes, fewer repeats (under a minute)
    python benchmarks/run.py --json     # one JSON object, the figures only

Folders come from ``benchmarks/synth.py`` (deterministic for a seed). Timed
work that must start cold (the pipeline, the CLI, batch) runs in child
processes; a figure whose feature is missing from this checkout prints
``n/a`` (``null`` in JSON). Progress and details go to stderr with ``--json``.

The pipeline and checker figures are measured twice per repeat: *cold* (a
fresh, empty cache folder and no plans on disk) and *warm* (the same command
again, same inputs: the parsed folder, the plans and the checker findings come
from the cache). The nine figures of the targets table are the cold ones; the
``*_cold`` / ``*_warm`` keys give both. The benchmark caches in a private
temporary folder, never in the user's cache.
"""

from __future__ import annotations

import argparse
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
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

#: Figure key -> (comparison, target, unit/meaning).
TARGETS = {
    "cli_vs_python_startup": ("<=", 10.0, "`cgplan inspect --dir data` / `python -c pass`, median wall time"),
    "pipeline_vs_tokenize": ("<=", 2.0, "parse+resolve+plan+render+write / read+tokenize with the fastest parser"),
    "pipeline_seconds_1000_gaps": ("<=", 10.0, "seconds, 2,000 stars / 1,000 gaps"),
    "scaling_2x": ("<=", 2.2, "pipeline at 2x size / at 1x (linear = 2.0)"),
    "check_seconds_per_1000_plans": ("<=", 2.0, "seconds of cgplan.check.check per 1,000 plans"),
    "papermill_vs_floor": ("<=", 2.0, "batch s/gap / empty one-cell notebook s/notebook"),
    "parallel_speedup": (">=", 1.7, "batch --jobs 1 wall / --jobs 2 wall"),
    "noop_batch_seconds": ("<=", 1.0, "second batch of 100 gaps, nothing changed"),
    "peak_rss_mb": (
        "<=",
        500.0,
        "peak RSS of the pipeline at the largest size (this process + its largest helper), MB",
    ),
}

#: Detail key -> what it is; printed under the figures, never compared with a target.
DETAILS = {
    "pipeline_vs_tokenize_cold": "= pipeline_vs_tokenize: fresh cache, no plans on disk",
    "pipeline_vs_tokenize_warm": "same command again, same inputs (cache and plans from the cold run)",
    "pipeline_seconds_1000_gaps_cold": "= pipeline_seconds_1000_gaps",
    "pipeline_seconds_1000_gaps_warm": "second run, same inputs",
    "scaling_2x_cold": "= scaling_2x",
    "scaling_2x_warm": "second runs at 2x / at 1x",
    "check_seconds_per_1000_plans_cold": "= check_seconds_per_1000_plans: plans just written, empty findings cache",
    "check_seconds_per_1000_plans_warm": "same plans checked again",
    "peak_rss_mb_cold": "= peak_rss_mb",
    "peak_rss_mb_warm": "second run at the largest size",
    "parallel_speedup_no_ahead": "batch --jobs 1 without starting kernels ahead / --jobs 2",
}


@dataclass
class Config:
    """Sizes and repeats for one run."""

    quick: bool
    """Smaller sizes and fewer repeats."""
    startup_runs: int
    """Runs of each command for the startup figure (median taken)."""
    repeats: int
    """Runs of each timed pipeline (median taken)."""
    base: tuple[int, int]
    """(stars, gaps) at 1x."""
    batch_gaps: int
    """Gaps per timed batch."""
    noop_gaps: int = 100
    """Gaps in the no-op batch."""
    seed: int = 1
    """Generator seed."""


FULL = Config(quick=False, startup_runs=11, repeats=3, base=(2000, 1000), batch_gaps=16)
QUICK = Config(quick=True, startup_runs=5, repeats=1, base=(300, 150), batch_gaps=8)


@dataclass
class Results:
    """Figures and the notes printed beside them."""

    figures: dict[str, float | None] = field(default_factory=lambda: {k: None for k in [*TARGETS, *DETAILS]})
    """Figure (and detail) key -> value, ``None`` when not measured."""
    notes: dict[str, str] = field(default_factory=dict)
    """Figure key -> how it was measured / why it is n/a."""


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def have(module: str, attr: str | None = None) -> bool:
    try:
        mod = __import__(module, fromlist=["_"])
    except Exception:
        return False
    return attr is None or hasattr(mod, attr)


def cgplan_exe() -> list[str]:
    exe = Path(sys.executable).with_name("cgplan")
    return [str(exe)] if exe.is_file() else [sys.executable, "-m", "cgplan.cli"]


# --------------------------------------------------------------------------- startup


def bench_startup(cfg: Config, res: Results, work: Path) -> None:
    log("startup: cgplan inspect vs python -c pass")
    data = REPO / "data"

    def run(cmd):
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    run(cgplan_exe() + ["inspect", "--dir", str(data)])  # warm the file cache
    py = median_time(lambda: run([sys.executable, "-c", "pass"]), cfg.startup_runs)
    cli = median_time(lambda: run(cgplan_exe() + ["inspect", "--dir", str(data)]), cfg.startup_runs)
    res.figures["cli_vs_python_startup"] = cli / py
    res.notes["cli_vs_python_startup"] = f"{cli * 1000:.0f} ms / {py * 1000:.0f} ms"


# --------------------------------------------------------------------------- tokenize floor


def _tokenizers() -> dict[str, object]:
    out = {}
    try:
        from markdown_it_pyrs import MarkdownIt as RsMd

        md = RsMd("commonmark").enable("table")
        out["markdown-it-pyrs"] = md.tree
    except ImportError:
        pass
    try:
        from markdown_it import MarkdownIt as PyMd

        out["markdown-it-py"] = PyMd("commonmark").enable("table").parse
    except ImportError:
        pass
    try:
        import mistune

        out["mistune"] = mistune.create_markdown(renderer=None, plugins=["table"])
    except ImportError:
        pass
    return out


def doc_paths(root: Path) -> list[Path]:
    c = root / "construction"
    return [
        c / "requirements" / "constellation-map.md",
        c / "requirements" / "gap-analysis.md",
        c / "design" / "implementation-sketches.md",
    ]


def tokenize_floor(root: Path, runs: int) -> tuple[str, float, dict[str, float]]:
    """(fastest parser, its seconds, seconds per parser) to read the documents and tokenize them."""
    paths = doc_paths(root)
    times = {}
    for name, fn in _tokenizers().items():

        def once(fn=fn):
            for p in paths:
                fn(p.read_bytes().decode("utf-8-sig"))

        if runs > 1:
            once()  # warm-up
        times[name] = median_time(once, runs)
    best = min(times, key=times.get)
    return best, times[best], times


# --------------------------------------------------------------------------- pipeline (child process)

CHILD = r"""
import json, resource, sys, time
import cgplan
t0 = time.perf_counter()
c = cgplan.load(sys.argv[1])
t1 = time.perf_counter()
out = {"load": t1 - t0, "gaps": len(c.gaps), "planned": False}
try:
    from cgplan.store.plans import write_plans
except ImportError:
    write_plans = None
if write_plans is not None:
    results = write_plans(c, c.gaps, force=False)
    out["planned"] = True
    out["statuses"] = sorted({r.status for r in results})
t2 = time.perf_counter()
out["pipeline"] = t2 - t0
# helper processes (cgplan.workers) run beside this one: their peak counts too
out["rss_self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["rss_helper_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
out["rss_mb"] = out["rss_self_mb"] + out["rss_helper_mb"]
try:
    from cgplan.check import check
except ImportError:
    check = None
if check is not None and out["planned"] and sys.argv[2:] == ["check"]:
    t3 = time.perf_counter()
    findings = check(c)
    out["check"] = time.perf_counter() - t3
    out["findings"] = len(findings)
print(json.dumps(out))
"""


def clear_plans(root: Path) -> None:
    design = root / "construction" / "design"
    for p in design.glob("code-generation-plan-*"):
        p.unlink()


def _child(root: Path, extra: list[str], cache: Path) -> dict:
    env = dict(os.environ, CGPLAN_CACHE_DIR=str(cache))
    env.pop("CGPLAN_CACHE", None)
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(root), *extra], capture_output=True, text=True, check=False, env=env
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"pipeline child failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}"
        )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _median(outs: list[dict]) -> dict:
    outs = sorted(outs, key=lambda o: o["pipeline"])
    mid = dict(outs[len(outs) // 2])
    peak = max(outs, key=lambda o: o["rss_mb"])
    mid["rss_mb"], mid["rss_self_mb"], mid["rss_helper_mb"] = peak["rss_mb"], peak["rss_self_mb"], peak["rss_helper_mb"]
    for o in outs:
        if "check" in o:
            mid["check"], mid["findings"] = o["check"], o["findings"]
    return mid


def pipeline(root: Path, runs: int, work: Path, *, check: bool = False) -> dict[str, dict]:
    """Median child-process figures over ``runs`` repeats, ``{"cold": ..., "warm": ...}`` (the checker timed on the first).

    Each repeat starts with no plans on disk and an empty cache folder (cold),
    then runs the same pipeline again on the same inputs (warm).
    """
    cold, warm = [], []
    for i in range(runs):
        clear_plans(root)
        cache = work / f"cache-{root.name}-{i}"
        shutil.rmtree(cache, ignore_errors=True)
        extra = ["check"] if check and i == 0 else []
        cold.append(_child(root, extra, cache))
        warm.append(_child(root, extra, cache))
        shutil.rmtree(cache, ignore_errors=True)
    return {"cold": _median(cold), "warm": _median(warm)}


def bench_pipeline(cfg: Config, res: Results, work: Path) -> None:
    stars, gaps = cfg.base
    sizes = {"1x": (stars, gaps), "2x": (stars * 2, gaps * 2)}
    runs: dict[str, dict[str, dict]] = {}
    for label, (s, g) in sizes.items():
        root = work / f"pipe-{label}"
        info = synth.generate(root, stars=s, gaps=g, seed=cfg.seed)
        log(f"pipeline {label}: {s} stars / {g} gaps, {info.bytes / 1e6:.1f} MB, cold then warm")
        runs[label] = pipeline(root, cfg.repeats, work, check=label == "1x")
        for m in runs[label].values():
            m["bytes"] = info.bytes
            m["root"] = root
    planned = runs["1x"]["cold"]["planned"]
    what = "" if planned else " (load only: planner not available)"
    name, floor, all_times = tokenize_floor(runs["1x"]["cold"]["root"], 1 if cfg.quick else 5)
    others = ", ".join(f"{k} {v:.2f} s" for k, v in sorted(all_times.items(), key=lambda kv: kv[1]))
    notes = {}
    for mode in ("cold", "warm"):
        one, two = runs["1x"][mode], runs["2x"][mode]
        # the 1,000-gap figure: measured directly in full mode, scaled from the nearest size in quick mode
        ref = one if gaps >= 1000 else two
        ref_gaps = gaps if gaps >= 1000 else gaps * 2
        if planned:
            res.figures[f"scaling_2x_{mode}"] = two["pipeline"] / one["pipeline"]
            res.figures[f"pipeline_seconds_1000_gaps_{mode}"] = ref["pipeline"] * 1000 / ref_gaps
            res.figures[f"peak_rss_mb_{mode}"] = two["rss_mb"]
            res.figures[f"pipeline_vs_tokenize_{mode}"] = one["pipeline"] / floor
        if "check" in one:
            res.figures[f"check_seconds_per_1000_plans_{mode}"] = one["check"] * 1000 / one["gaps"]
        notes[mode] = {
            "scaling_2x": f"{two['pipeline']:.2f} s / {one['pipeline']:.2f} s at {gaps}->{gaps * 2} gaps",
            "pipeline_seconds_1000_gaps": (
                f"{ref['bytes'] / 1e6:.1f} MB, load {ref['load']:.2f} s"
                if ref_gaps == 1000
                else f"scaled linearly from {ref_gaps} gaps ({ref['pipeline']:.2f} s)"
            ),
            "peak_rss_mb": f"at {gaps * 2} gaps, {two['bytes'] / 1e6:.1f} MB of input; this process {two['rss_self_mb']:.0f} MB + largest helper {two['rss_helper_mb']:.0f} MB",
            "check_seconds_per_1000_plans": f"{one['check']:.2f} s for {one['gaps']} plans, {one['findings']} findings"
            if "check" in one
            else "n/a (feature not available)",
            "pipeline_vs_tokenize": f"{one['pipeline']:.2f} s / {floor:.3f} s with {name}",
        }
    for key in (
        "scaling_2x",
        "pipeline_seconds_1000_gaps",
        "peak_rss_mb",
        "check_seconds_per_1000_plans",
        "pipeline_vs_tokenize",
    ):
        res.figures[key] = res.figures[f"{key}_cold"]
        res.notes[key] = f"cold: {notes['cold'][key]}" + what
        res.notes[f"{key}_cold"] = "(the figure above)"
        res.notes[f"{key}_warm"] = f"warm: {notes['warm'][key]}" + what
    res.notes["pipeline_vs_tokenize"] += f" (fastest of: {others})"


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


def batch_available() -> str | None:
    """Why batch cannot be measured, or ``None`` if it can."""
    for mod in ("cgplan.plan.build", "cgplan.store.plans", "cgplan.jupyter.batch"):
        if not have(mod):
            return f"n/a (feature not available: {mod})"
    try:
        from cgplan.jupyter.batch import default_notebook

        default_notebook()
    except Exception as exc:
        return f"n/a (feature not available: {exc})"
    return None


def run_cli_batch(root: Path, out: Path, jobs: int, *extra: str) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(
        cgplan_exe() + ["batch", "--dir", str(root), "--jobs", str(jobs), "--output-dir", str(out), *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
        raise RuntimeError(f"cgplan batch exited {proc.returncode}: {' | '.join(tail)}")
    return wall


def bench_batch(cfg: Config, res: Results, work: Path) -> None:
    why = batch_available()
    if why:
        for k in ("papermill_vs_floor", "parallel_speedup", "noop_batch_seconds"):
            res.notes[k] = why
        return
    g = cfg.batch_gaps
    root = work / "batch"
    synth.generate(root, stars=max(10, g * 3), gaps=g, seed=cfg.seed)
    empty = work / "empty.ipynb"
    empty.write_text(json.dumps(EMPTY_NOTEBOOK), encoding="utf-8")
    log(f"batch: {g} gaps, --jobs 1 / --jobs 2 / empty-notebook floor / --jobs 1 without start-ahead")
    try:
        floor = run_cli_batch(root, work / "nb-floor", 1, "--force", "--notebook", str(empty))
        j1 = run_cli_batch(root, work / "nb-j1", 1, "--force")
        j2 = run_cli_batch(root, work / "nb-j2", 2, "--force")
        j1_plain = run_lib_batch(root, work / "nb-j1-plain", 1, warm=False)
    except RuntimeError as exc:
        for k in ("papermill_vs_floor", "parallel_speedup", "parallel_speedup_no_ahead"):
            res.notes[k] = f"n/a ({exc})"
    else:
        cpus = os.cpu_count() or 1
        res.figures["papermill_vs_floor"] = j1 / floor
        res.notes["papermill_vs_floor"] = (
            f"{j1 / g:.2f} s/gap / {floor / g:.2f} s/notebook over {g} gaps (CLI wall, worker start included)"
        )
        res.figures["parallel_speedup"] = j1 / j2
        res.notes["parallel_speedup"] = (
            f"{j1:.1f} s / {j2:.1f} s for {g} gaps on {cpus} cores (at most 1 / 2 kernels alive)"
        )
        res.figures["parallel_speedup_no_ahead"] = j1_plain / j2
        res.notes["parallel_speedup_no_ahead"] = (
            f"{j1_plain:.1f} s / {j2:.1f} s (run_batch(jobs=1, warm=False): every kernel started in turn)"
        )
    bench_noop(cfg, res, work)


LIB_BATCH = r"""
import sys
from cgplan.jupyter.batch import run_batch
if __name__ == "__main__":
    results = run_batch(sys.argv[1], jobs=int(sys.argv[3]), force=True, output_dir=sys.argv[2], warm=sys.argv[4] == "warm", progress=False)
    bad = [r for r in results if r.status != "ok"]
    sys.exit(f"{len(bad)} gaps failed: {bad[0].message}" if bad else 0)
"""


def run_lib_batch(root: Path, out: Path, jobs: int, *, warm: bool) -> float:
    """Wall time of ``run_batch`` in a child process (for options the command line does not offer)."""
    script = out.with_suffix(".py")
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(LIB_BATCH, encoding="utf-8")
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(script), str(root), str(out), str(jobs), "warm" if warm else "plain"],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
        raise RuntimeError(f"run_batch exited {proc.returncode}: {' | '.join(tail)}")
    return wall


def bench_noop(cfg: Config, res: Results, work: Path) -> None:
    n = cfg.noop_gaps
    root = work / "noop"
    synth.generate(root, stars=n * 2, gaps=n, seed=cfg.seed + 1)
    out = work / "nb-noop"
    try:
        if cfg.quick:
            log(f"no-op batch: priming the state of {n} gaps as a completed run would leave it")
            prime_state(root, out)
            how = "state primed as after a completed run"
        else:
            log(f"no-op batch: first run of {n} gaps with --jobs 2 (takes a while)")
            run_cli_batch(root, out, 2)
            how = "after a real first run"
        secs = run_cli_batch(root, out, 2)
    except RuntimeError as exc:
        res.notes["noop_batch_seconds"] = f"n/a ({exc})"
        return
    res.figures["noop_batch_seconds"] = secs
    res.notes["noop_batch_seconds"] = f"CLI wall, {how}"


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


def table(res: Results) -> str:
    rows = [("figure", "value", "target", "", "how")]
    for key, (op, target, meaning) in TARGETS.items():
        v = res.figures[key]
        note = res.notes.get(key, "")
        rows.append((key, "n/a" if v is None else f"{v:.2f}", f"{op} {target:g}", verdict(key, v), note or meaning))
    rows.append(("", "", "", "", ""))
    rows.append(("details (no target)", "", "", "", "the targets above compare the cold figures"))
    for key, meaning in DETAILS.items():
        v = res.figures[key]
        if key.endswith("_cold"):
            continue  # the same value as the figure above
        rows.append(("  " + key, "n/a" if v is None else f"{v:.2f}", "", "", res.notes.get(key, meaning)))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = []
    for r in rows:
        lines.append(
            (
                "  ".join(r[i].ljust(widths[i]) if i != 1 else r[i].rjust(widths[i]) for i in range(4)) + "  " + r[4]
            ).rstrip()
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats (under a minute)")
    ap.add_argument("--json", action="store_true", help="print one JSON object with the figures")
    ap.add_argument(
        "--only", choices=("startup", "pipeline", "batch"), action="append", help="measure only these groups"
    )
    args = ap.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    res = Results()
    t0 = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="cgplan-bench-"))
    os.environ["CGPLAN_CACHE_DIR"] = str(work / "cache")  # never the user's cache; children inherit it
    os.environ.pop("CGPLAN_CACHE", None)
    groups = args.only or ["startup", "pipeline", "batch"]
    try:
        for name, fn in (("startup", bench_startup), ("pipeline", bench_pipeline), ("batch", bench_batch)):
            if name in groups:
                t1 = time.perf_counter()
                fn(cfg, res, work)
                log(f"{name}: {time.perf_counter() - t1:.0f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - t0
    if args.json:
        print(json.dumps({k: (None if v is None else round(v, 3)) for k, v in res.figures.items()}, indent=2))
        log(f"{machine()}; {'quick' if cfg.quick else 'full'} run took {elapsed:.0f} s")
        for k, v in res.notes.items():
            log(f"{k}: {v}")
    else:
        print(table(res))
        print(f"\n{machine()}; {'quick' if cfg.quick else 'full'} run took {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

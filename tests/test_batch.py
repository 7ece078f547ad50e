"""``cgplan batch``: papermill runs per gap, skip-unchanged, keep-going, parameters as data."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cgplan.cli import build_parser, main
from cgplan.jupyter.batch import (
    STATE_FILE,
    BatchResult,
    format_summary,
    read_state,
    run_batch,
    run_notebook,
    usable_cpus,
)

pytestmark = pytest.mark.jupyter

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = Path(__file__).resolve().parent / "notebooks"
PLAN_NB = ROOT / "notebooks" / "plan_gap.ipynb"


def _outputs(nb_path: Path) -> str:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))


def _plans(root: Path) -> dict[str, bytes]:
    design = root / "construction" / "design"
    return {p.name: p.read_bytes() for p in sorted(design.glob("code-generation-plan-*.md"))}


# --------------------------------------------------------------------------- parameters are data


def _payloads(marker: Path) -> list[str]:
    return [
        f'"); import os; os.system("touch {marker}")  #',
        f"\\\"); import os; os.system('touch {marker}'); (\"",
        f"x'''\nimport os\nos.system('touch {marker}')\n'''",
    ]


@pytest.mark.parametrize("which", [0, 1, 2])
def test_hostile_parameter_values_reach_the_notebook_as_plain_strings(tmp_path, which):
    marker = tmp_path / "pwned"
    payload = _payloads(marker)[which]
    res = run_notebook(
        SCENARIOS / "ok.ipynb",
        tmp_path / "out" / "ok.ipynb",
        {"construction_dir": payload, "gap": payload, "write": True},
        cwd=tmp_path,
    )
    assert res.ok, res.message
    assert not marker.exists(), "a parameter value was executed as code"
    text = _outputs(tmp_path / "out" / "ok.ipynb")
    assert f"gap: {payload!r}\n" in text
    assert f"construction_dir: {payload!r}\n" in text


def test_hostile_gap_name_fails_the_plan_notebook_without_running_it(example, tmp_path):
    marker = tmp_path / "pwned"
    payload = _payloads(marker)[0]
    res = run_notebook(
        PLAN_NB, tmp_path / "out.ipynb", {"construction_dir": ".", "gap": payload, "write": True}, cwd=example
    )
    assert not res.ok
    assert res.message.startswith("UnknownGap: no gap matches")
    assert not marker.exists()
    assert not _plans(example), "nothing may be written for an unknown gap"


def test_hostile_gap_name_on_the_command_line_is_an_unknown_gap(example, tmp_path, capsys):
    marker = tmp_path / "pwned"
    code = main(["batch", "--dir", str(example), _payloads(marker)[0]])
    assert code == 2
    assert "no gap matches" in capsys.readouterr().err
    assert not marker.exists()
    assert not (example / "construction" / "design" / "notebooks").exists()


# --------------------------------------------------------------------------- the bundled example


@pytest.mark.slow
def test_batch_writes_one_notebook_and_the_same_plan_bytes_per_gap_then_skips(example, tmp_path, capsys):
    reference = tmp_path / "reference"
    shutil.copytree(example, reference)
    import cgplan

    rc = cgplan.load(reference)
    assert main(["plan", "--all", "--dir", str(reference)]) == 0
    expected = _plans(reference)
    assert len(expected) == len(rc.gaps)

    assert main(["batch", "--dir", str(example), "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    nb_dir = example / "construction" / "design" / "notebooks"
    slugs = [g.slug for g in rc.gaps]
    assert sorted(p.stem for p in nb_dir.glob("*.ipynb")) == sorted(slugs)
    assert _plans(example) == expected, "batch must write exactly what `cgplan plan` writes"
    for slug in slugs:
        assert f"construction/design/notebooks/{slug}.ipynb" in out
    assert f"{len(slugs)} ran, 0 skipped (unchanged), 0 failed" in out
    # executed notebooks carry no absolute paths or timings
    for p in nb_dir.glob("*.ipynb"):
        text = p.read_text(encoding="utf-8")
        assert str(example) not in text and "start_time" not in text

    mtimes = {p.name: p.stat().st_mtime_ns for p in nb_dir.glob("*.ipynb")}
    results = run_batch(example, jobs=2)
    assert [r.status for r in results] == ["skipped"] * len(slugs)
    assert {p.name: p.stat().st_mtime_ns for p in nb_dir.glob("*.ipynb")} == mtimes

    # a decision for one gap re-runs only that gap
    decisions = example / "construction" / "design" / "decisions"
    decisions.mkdir(parents=True, exist_ok=True)
    first = rc.gaps[0]
    criterion = first.success_criteria[0].id
    (decisions / f"{first.slug}.yaml").write_text(f"tests:\n  {criterion}: test_chosen_by_a_person\n", encoding="utf-8")
    results = run_batch(example, jobs=2)
    assert [(r.gap, r.status) for r in results] == [(first.slug, "ok")] + [(s, "skipped") for s in slugs[1:]]
    assert (
        b"test_chosen_by_a_person"
        in (example / "construction" / "design" / f"code-generation-plan-{first.slug}.md").read_bytes()
    )


def test_a_plan_edited_by_hand_is_kept_edited_not_skipped(example, capsys):
    assert main(["batch", "stripe", "--dir", str(example), "--jobs", "1"]) == 0
    plan = example / "construction" / "design" / "code-generation-plan-stripe-api-rate-limiter.md"
    edited = plan.read_text(encoding="utf-8") + "\nA note of mine.\n"
    plan.write_text(edited, encoding="utf-8")
    capsys.readouterr()
    assert main(["batch", "stripe", "--dir", str(example), "--jobs", "1"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split()[:2] == ["stripe-api-rate-limiter", "kept-edited"]
    assert lines[2].startswith(
        "stripe-api-rate-limiter: kept-edited construction/design/code-generation-plan-stripe-api-rate-limiter.md "
        "was edited by hand; the new plan is in "
    )
    assert lines[-1] == "0 ran, 0 skipped (unchanged), 1 kept-edited, 0 failed"
    assert plan.read_text(encoding="utf-8") == edited
    assert plan.with_name(plan.name.replace(".md", ".new.md")).is_file()


@pytest.mark.slow
def test_a_broken_gap_does_not_stop_the_others(example, capsys):
    import cgplan

    c = cgplan.load(example)
    broken = c.gaps[1]
    decisions = example / "construction" / "design" / "decisions"
    decisions.mkdir(parents=True)
    (decisions / f"{broken.slug}.yaml").write_text("components: [this, is, not, a, mapping]\n", encoding="utf-8")

    code = main(["batch", "--dir", str(example), "--jobs", "2"])
    out = capsys.readouterr().out
    assert code == 1
    by_gap = {line.split()[0]: line.split()[1] for line in out.splitlines()[1 : 1 + len(c.gaps)]}
    assert by_gap == {g.slug: ("failed" if g is broken else "ok") for g in c.gaps}
    assert f"{broken.slug}: ConfigError:" in out
    assert f"{len(c.gaps) - 1} ran, 0 skipped (unchanged), 1 failed" in out
    assert sorted(_plans(example)) == sorted(f"code-generation-plan-{g.slug}.md" for g in c.gaps if g is not broken)
    # the failure is recorded in its executed notebook, and it is not marked done
    assert "ConfigError" in (example / "construction" / "design" / "notebooks" / f"{broken.slug}.ipynb").read_text(
        encoding="utf-8"
    )
    assert broken.slug not in read_state(example / "construction" / "design" / "notebooks")


# --------------------------------------------------------------------------- scenario notebooks


def test_failing_notebook_is_reported_with_its_error_and_kept(example, tmp_path):
    out_dir = tmp_path / "runs"
    results = run_batch(example, ["1"], notebook=SCENARIOS / "raises.ipynb", output_dir=out_dir)
    [r] = results
    assert (r.status, r.message) == ("failed", "ValueError: this scenario always fails (gap stripe-api-rate-limiter)")
    assert "ValueError" in (out_dir / "stripe-api-rate-limiter.ipynb").read_text(encoding="utf-8")
    assert read_state(out_dir) == {}


def test_a_notebook_over_its_time_limit_fails_and_the_batch_goes_on(example, tmp_path):
    results = run_batch(
        example, ["1", "2"], notebook=SCENARIOS / "slow.ipynb", output_dir=tmp_path / "runs", timeout=2, jobs=2
    )
    assert [r.status for r in results] == ["failed", "failed"]
    assert all("timed out" in r.message for r in results)
    assert all(r.seconds < 20 for r in results)


def test_named_gaps_run_in_document_order_once_each(example, tmp_path):
    results = run_batch(
        example,
        ["webhook-idempotency-guard", "1", "Stripe API Rate Limiter"],
        notebook=SCENARIOS / "ok.ipynb",
        output_dir=tmp_path / "runs",
    )
    assert [(r.gap, r.status) for r in results] == [
        ("stripe-api-rate-limiter", "ok"),
        ("webhook-idempotency-guard", "ok"),
    ]
    assert "gap: 'webhook-idempotency-guard'" in _outputs(tmp_path / "runs" / "webhook-idempotency-guard.ipynb")


def test_force_runs_unchanged_gaps_again(example, tmp_path):
    # the scenario notebook writes no plan, so give the gap one to make it skippable
    import cgplan
    from cgplan.store.plans import write_plans

    c = cgplan.load(example)
    write_plans(c, c.gaps[:1])
    kw = dict(notebook=SCENARIOS / "ok.ipynb", output_dir=tmp_path / "runs")
    assert [r.status for r in run_batch(example, ["1"], **kw)] == ["ok"]
    assert [r.status for r in run_batch(example, ["1"], **kw)] == ["skipped"]
    assert [r.status for r in run_batch(example, ["1"], force=True, **kw)] == ["ok"]


def test_a_damaged_state_file_only_means_running_again(tmp_path):
    (tmp_path / STATE_FILE).write_text("{not json", encoding="utf-8")
    assert read_state(tmp_path) == {}
    (tmp_path / STATE_FILE).write_text('["a list"]', encoding="utf-8")
    assert read_state(tmp_path) == {}


def test_bad_jobs_value_is_a_usage_error(example, capsys):
    assert main(["batch", "--dir", str(example), "--jobs", "0"]) == 2
    assert "--jobs must be 1 or more" in capsys.readouterr().err


def test_jobs_default_to_the_usable_cpus():
    import inspect
    import os

    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert usable_cpus() == expected
    assert build_parser().parse_args(["batch"]).jobs is None, "the command line leaves the default to run_batch"
    assert inspect.signature(run_batch).parameters["jobs"].default is None


def test_summary_table_lists_every_gap_and_the_failures():
    text = format_summary(
        [
            BatchResult("alpha", "ok", 2.345, "construction/design/notebooks/alpha.ipynb"),
            BatchResult(
                "beta-gap",
                "skipped",
                0.0,
                "construction/design/notebooks/beta-gap.ipynb",
                "inputs unchanged since the last run",
            ),
            BatchResult("gamma", "failed", 1.0, "construction/design/notebooks/gamma.ipynb", "ValueError: boom"),
        ]
    )
    lines = text.splitlines()
    assert lines[0].split() == ["gap", "status", "seconds", "output"]
    assert lines[1].split() == ["alpha", "ok", "2.3", "construction/design/notebooks/alpha.ipynb"]
    assert lines[2].split() == ["beta-gap", "skipped", "-", "construction/design/notebooks/beta-gap.ipynb"]
    assert "gamma: ValueError: boom" in lines
    assert lines[-1] == "1 ran, 1 skipped (unchanged), 1 failed"
    edited = format_summary(
        [BatchResult("delta", "kept-edited", 1.0, "d.ipynb", "kept-edited d.md was edited by hand")]
    )
    assert edited.splitlines()[-2:] == [
        "delta: kept-edited d.md was edited by hand",
        "0 ran, 0 skipped (unchanged), 1 kept-edited, 0 failed",
    ]


def test_batch_command_imports_no_jupyter_until_it_runs():
    code = (
        "import sys, cgplan.cli, cgplan.jupyter.batch; "
        "bad = [m for m in ('papermill', 'nbclient', 'pandas', 'ipywidgets', 'tqdm') if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _kernels_using(runtime: Path) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "ipykernel" in cmd and str(runtime) in cmd:  # a killed kernel not yet reaped has no command line
            found.append(cmd)
    return found


class _KernelCounter:
    """Counts, from a thread, the most kernels (of one runtime folder) alive at the same moment."""

    def __init__(self, runtime: Path):
        import threading

        self.runtime, self.most, self._stop = runtime, 0, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _alive(self) -> int:
        """Kernels alive now, told apart by connection file (a kernel's short-lived helper processes share it)."""
        procs = [proc for proc in Path("/proc").iterdir() if proc.name.isdigit() and self._kernel(proc)]
        return len({self._kernel(proc) for proc in procs} - {None})  # counted only if still alive after the scan

    def _kernel(self, proc: Path) -> bytes | None:
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            return None
        if b"ipykernel_launcher" not in args or str(self.runtime).encode() not in b" ".join(args):
            return None
        return next((a for a in args if a.endswith(b".json")), b"?")

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.most = max(self.most, self._alive())
            self._stop.wait(0.002)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
@pytest.mark.parametrize("jobs", [1, 2])
def test_jobs_bounds_the_kernels_alive_at_once(example, tmp_path, monkeypatch, jobs):
    runtime = tmp_path / "kernels"
    runtime.mkdir()
    monkeypatch.setenv("TMPDIR", str(runtime))
    with _KernelCounter(runtime) as counter:
        results = run_batch(
            example, ["1", "2", "3", "4"], notebook=SCENARIOS / "ok.ipynb", output_dir=tmp_path / "runs", jobs=jobs
        )
    assert [r.status for r in results] == ["ok"] * 4
    assert 1 <= counter.most <= jobs, f"{counter.most} kernels alive at once with --jobs {jobs}"


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_no_kernel_outlives_the_batch(example, tmp_path, monkeypatch):
    runtime = tmp_path / "kernels"  # connection files go to the temporary folder; kernels name theirs
    runtime.mkdir()
    monkeypatch.setenv("TMPDIR", str(runtime))
    results = run_batch(example, ["1", "2", "3"], notebook=SCENARIOS / "ok.ipynb", output_dir=tmp_path / "runs", jobs=1)
    assert [r.status for r in results] == ["ok"] * 3
    assert _kernels_using(runtime) == [], "every kernel is killed before the batch returns"
    assert not list(runtime.glob("*.json")), "connection files are removed"


def test_a_notebook_that_cannot_be_read_leaves_no_kernel_behind(tmp_path, monkeypatch):
    import tempfile

    kernels = tmp_path / "kernels"
    kernels.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(kernels))  # where connection files go
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not a notebook", encoding="utf-8")
    res = run_notebook(bad, tmp_path / "out.ipynb", {"gap": "x"}, cwd=tmp_path)
    assert not res.ok and res.output == ""
    assert _kernels_using(kernels) == []

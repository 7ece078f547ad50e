"""Run the plan notebook once per gap with papermill, in parallel worker processes.

Each gap's run executes ``plan_gap.ipynb`` with the parameters
``construction_dir``, ``gap`` and ``write=True`` (passed to papermill as data,
never pasted into code), saves the executed notebook as
``<output dir>/<gap slug>.ipynb`` and lets the notebook write the gap's plan.

A run is skipped when its fingerprint (cgplan version, the notebook's bytes,
the hashes of every input section the plan cites, and the gap's decisions
file) matches the one recorded after its last successful run in
``<output dir>/.cgplan-batch.json``, and its outputs are still there.

``jobs`` bounds the resources a batch takes: at most ``jobs`` kernels are alive
at once (starting or running), one per worker process, so ``jobs=1`` runs the
notebooks strictly one after another. The default is the number of CPUs this
process may use. Workers are long-lived processes that import papermill once;
each notebook gets a fresh ``python3`` kernel that is killed (not asked to
quit) when the notebook is done, before the worker starts its next one.
Papermill, nbclient and tqdm are imported only here, when a batch
actually runs.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from cgplan.errors import UsageError
from cgplan.extras import require_all

BATCH_MODULES = ("papermill", "nbformat", "nbclient", "ipykernel", "psutil", "tqdm")
"""What a batch needs (the jupyter extra); checked before anything runs."""

#: File beside the executed notebooks recording each gap's last successful fingerprint.
STATE_FILE = ".cgplan-batch.json"
#: Kernel every notebook runs on (the venv's kernel, registered with ``ipykernel install --sys-prefix``).
KERNEL = "python3"
#: Default limit for one notebook's run, in seconds.
DEFAULT_TIMEOUT = 600

STATUSES = ("ok", "skipped", "kept-edited", "failed")
#: Suffix of the file papermill writes while a notebook runs (renamed to ``<slug>.ipynb`` when done).
RUNNING_SUFFIX = ".running.json"


@dataclass
class RunResult:
    """What one notebook run did."""

    ok: bool
    """Whether every cell ran without an error."""
    seconds: float
    """Wall time of the run, kernel start and shutdown included."""
    output: str
    """Path of the executed notebook, or ``""`` if none was written."""
    message: str = ""
    """For a failure: the error, one line (``UnknownGap: no gap matches 'x'``)."""


@dataclass
class BatchResult:
    """One gap's line in a batch summary."""

    gap: str
    """The gap's slug."""
    status: str
    """``ok`` (executed now), ``skipped`` (inputs unchanged since its last run), ``kept-edited``
    (its plan was edited by hand and kept; the new version went beside it as ``.new.md``, as
    ``cgplan plan`` does) or ``failed``."""
    seconds: float
    """Wall time of its run; 0 when skipped."""
    output: str
    """Executed notebook, relative to the folder holding ``construction/`` where possible."""
    message: str = ""
    """Why it failed or was skipped."""


@dataclass
class BatchPlan:
    """What a batch would do: the jobs to run and the gaps to skip."""

    run: list[dict] = field(default_factory=list)
    """Jobs (gap, notebook, output, parameters, cwd, fingerprint)."""
    skip: list[BatchResult] = field(default_factory=list)
    """Gaps whose inputs have not changed."""


# --------------------------------------------------------------------------- the notebook


def default_notebook() -> Path:
    """The plan notebook: packaged beside cgplan if installed that way, else the source tree's."""
    here = Path(__file__).resolve().parent
    for cand in (here / "notebooks" / "plan_gap.ipynb",):
        if cand.is_file():
            return cand
    raise UsageError("plan notebook plan_gap.ipynb not found", hint="pass --notebook PATH")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.lru_cache(maxsize=1)
def code_hash() -> str:
    """Hash of the bytes of cgplan's own modules and templates: an edited checkout reruns every gap."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(f"{path.relative_to(package).as_posix()}\0".encode("utf-8", "surrogateescape"))
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def fingerprint(construction, gap, notebook_bytes: bytes, index=None) -> str:
    """A hash of everything a gap's run depends on: cgplan's code, notebook, cited inputs, decisions."""
    from cgplan.plan.decisions import decisions_path
    from cgplan.plan.inputs import plan_inputs
    from cgplan.version import __version__

    try:
        inputs = plan_inputs(construction, gap, index=index)
    except Exception as exc:  # a gap the planner cannot handle: always run it, let the notebook report
        inputs = {"!error": f"{type(exc).__name__}: {exc}"}
    dpath = decisions_path(construction, gap)
    decisions = _sha(dpath.read_bytes()) if dpath.is_file() else None
    payload = {
        "version": __version__,
        "code": code_hash(),
        "notebook": _sha(notebook_bytes),
        "inputs": dict(sorted(inputs.items())),
        "decisions": decisions,
    }
    return _sha(json.dumps(payload, sort_keys=True, ensure_ascii=True).encode("ascii"))[:32]


# --------------------------------------------------------------------------- the state file


def read_state(out_dir: Path) -> dict[str, dict]:
    """Gap slug -> ``{"fingerprint": ...}`` from the last runs; empty if none or unreadable."""
    path = out_dir / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        gaps = data.get("gaps", {})
        return {str(k): dict(v) for k, v in gaps.items() if isinstance(v, dict)}
    except FileNotFoundError:
        return {}
    except (ValueError, AttributeError, TypeError, OSError):
        return {}  # a damaged state file only costs a re-run


def write_state(out_dir: Path, gaps: dict[str, dict]) -> None:
    """Write the state file atomically, keys sorted."""
    from cgplan.store.atomic import atomic_write

    path = out_dir / STATE_FILE
    text = json.dumps({"format": 1, "gaps": {k: gaps[k] for k in sorted(gaps)}}, indent=2, sort_keys=True) + "\n"
    atomic_write(path, text, display=str(path))


# --------------------------------------------------------------------------- one run (in a worker)


def _init_worker() -> None:
    """Import papermill once per worker process and follow the batch process if it dies."""
    import logging

    import papermill  # noqa: F401

    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    _exit_with_parent()


def _exit_with_parent() -> None:
    """Stop this worker as soon as the batch process is gone (killed), instead of running
    the notebooks still queued for it; its kernels are killed first, so none writes another plan."""
    import multiprocessing
    import multiprocessing.connection
    import threading

    sentinel = multiprocessing.parent_process().sentinel  # readable once the parent is gone

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        kill_child_processes()
        os._exit(1)

    threading.Thread(target=watch, name="cgplan-parent-watch", daemon=True).start()


def kill_child_processes() -> None:
    """Kill every process this one started (its kernels) and their own children, at once."""
    import psutil

    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    for child in children:
        try:
            child.kill()
        except psutil.Error:
            pass


def usable_cpus() -> int:
    """The processors this process may run on: its affinity mask where the system has one, else the CPU count."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def run_notebook(
    notebook: str | Path,
    output: str | Path,
    parameters: dict,
    *,
    cwd: str | Path,
    timeout: float | None = DEFAULT_TIMEOUT,
    kernel: str = KERNEL,
) -> RunResult:
    """Execute one notebook with papermill and save it, normalized, to ``output``.

    ``parameters`` become literal assignments in the notebook's injected cell
    (papermill translates each value to a Python literal), so a value is always
    data, whatever characters it holds. The executed notebook is written even
    when a cell fails (it shows the error); it is replaced atomically.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from cgplan.jupyter.views import normalize_notebook, write_notebook

    for key, value in parameters.items():
        if not isinstance(value, (str, bool, int, float, type(None))):
            raise UsageError(f"notebook parameter {key!r} must be a string, number, boolean or None")
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.stem}.{os.getpid()}{RUNNING_SUFFIX}")  # not *.ipynb until complete
    t0 = time.perf_counter()
    ok, message = True, ""
    try:
        pm.execute_notebook(
            str(notebook),
            str(tmp),
            parameters=dict(parameters),
            kernel_name=kernel,
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            cwd=str(cwd),
            execution_timeout=timeout,
            record_timing=False,
            store_widget_state=False,  # dropped from the saved notebook anyway
            shutdown_kernel="immediate",
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except PapermillExecutionError as exc:
        ok, message = False, f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # kernel died, timeout, unreadable notebook ...
        ok, message = False, f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - t0
    written = ""
    if tmp.is_file():
        try:
            nb = json.loads(tmp.read_text(encoding="utf-8"))
            write_notebook(normalize_notebook(nb), output)
            written = str(output)
        finally:
            tmp.unlink(missing_ok=True)
    message = " ".join(message.split())
    return RunResult(ok=ok, seconds=seconds, output=written, message=message[:500])


def _job(job: dict) -> RunResult:
    return run_notebook(
        job["notebook"], job["output"], job["parameters"], cwd=job["cwd"], timeout=job["timeout"], kernel=job["kernel"]
    )


# --------------------------------------------------------------------------- the batch


def _rel(construction, path: Path) -> str:
    try:
        return str(Path(os.path.abspath(path)).relative_to(os.path.abspath(construction.root)))
    except ValueError:
        return str(path)


def plan_batch(
    construction,
    gaps=None,
    *,
    force: bool = False,
    output_dir: str | Path | None = None,
    notebook: str | Path | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    kernel: str = KERNEL,
) -> BatchPlan:
    """Decide which gaps to run: the named ones (slug, number or name) or all, minus unchanged ones."""
    from cgplan.load.stars import StarIndex
    from cgplan.plan.build import select_gaps
    from cgplan.store.plans import plan_path

    nb_path = Path(notebook) if notebook else default_notebook()
    try:
        nb_bytes = nb_path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read the notebook ({exc.strerror})", file=str(nb_path)) from None
    chosen = select_gaps(construction, [str(key) for key in gaps or []], all_gaps=not gaps)
    chosen.sort(key=lambda g: construction.gaps.index(g))
    out_dir = Path(output_dir) if output_dir else construction.design_dir / "notebooks"
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError("output folder is a file", file=str(out_dir), hint="pass --output-dir a folder")
    state = read_state(out_dir)
    index = StarIndex(construction.stars)
    bp = BatchPlan()
    for g in chosen:
        out = out_dir / f"{g.slug}.ipynb"
        fp = fingerprint(construction, g, nb_bytes, index)
        done = state.get(g.slug, {})
        plan_file = plan_path(construction, g)
        unchanged = done.get("fingerprint") == fp and out.is_file() and plan_file.is_file()
        if not force and unchanged and not _edited_by_hand(plan_file):
            bp.skip.append(
                BatchResult(g.slug, "skipped", 0.0, _rel(construction, out), "inputs unchanged since the last run")
            )
            continue
        bp.run.append(
            {
                "gap": g.slug,
                "notebook": str(nb_path.resolve()),
                "output": str(out.resolve()),
                "display": _rel(construction, out),
                "parameters": {"construction_dir": ".", "gap": g.slug, "write": True},
                "cwd": str(Path(construction.root).resolve()),
                "timeout": timeout,
                "kernel": kernel,
                "fingerprint": fp,
            }
        )
    return bp


#: How a run's error begins when the notebook kept a plan edited by hand (``cgplan.errors.EditedPlan``).
_EDITED = "EditedPlan: "


def _edited_by_hand(path: Path) -> bool:
    """A plan changed by hand since cgplan wrote it (or one cgplan did not write): its run must
    not be skipped, so the batch says ``kept-edited`` where ``cgplan plan`` does."""
    from cgplan.render import meta

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return True
    return meta.read(text) is None or meta.edited(text)


def run_batch(
    path=".",
    gaps=None,
    *,
    jobs: int | None = None,
    force: bool = False,
    output_dir: str | Path | None = None,
    notebook: str | Path | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    progress: bool | None = None,
    kernel: str = KERNEL,
) -> list[BatchResult]:
    """Execute the plan notebook for every gap (or the ``gaps`` named) and return one result per gap.

    ``path`` is a folder (or an already loaded :class:`~cgplan.models.Construction`).
    Runs go to ``jobs`` worker processes (default: :func:`usable_cpus`, the
    usable CPUs), each with at most one live kernel, so no more than ``jobs``
    kernels are ever alive at once and ``jobs=1`` runs one notebook at a time.
    A failing gap does not stop the others. ``progress=None`` shows a progress
    bar only on a terminal. Results come in the gaps' document order. Workers are started with
    ``spawn``: a script that calls this needs the usual
    ``if __name__ == "__main__":`` guard.
    """
    from cgplan.load.folder import load
    from cgplan.model.construction import Construction

    require_all(BATCH_MODULES, "cgplan batch")
    if jobs is None:
        jobs = usable_cpus()
    if jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, not {jobs}")
    c = path if isinstance(path, Construction) else load(path)
    bp = plan_batch(c, gaps, force=force, output_dir=output_dir, notebook=notebook, timeout=timeout, kernel=kernel)
    out_dir = Path(output_dir) if output_dir else c.design_dir / "notebooks"
    results: dict[str, BatchResult] = {r.gap: r for r in bp.skip}
    if bp.run:
        out_dir.mkdir(parents=True, exist_ok=True)
        for stale in out_dir.glob(f".*{RUNNING_SUFFIX}"):  # left by a run that was killed
            stale.unlink(missing_ok=True)
        for job, res in _execute_all(bp.run, jobs, progress):
            edited = not res.ok and res.message.startswith(_EDITED)
            results[job["gap"]] = BatchResult(
                job["gap"],
                "ok" if res.ok else "kept-edited" if edited else "failed",
                round(res.seconds, 2),
                job["display"] if res.output else "",
                res.message[len(_EDITED) :] if edited else res.message,
            )
        state = read_state(out_dir)
        for job in bp.run:
            if results[job["gap"]].status == "ok":
                state[job["gap"]] = {"fingerprint": job["fingerprint"]}
            else:
                state.pop(job["gap"], None)
        write_state(out_dir, state)
    order = {g.slug: i for i, g in enumerate(c.gaps)}
    return sorted(results.values(), key=lambda r: order.get(r.gap, len(order)))


def _execute_all(jobs_list: list[dict], jobs: int, progress: bool | None):
    """Run the jobs in worker processes; yield ``(job, RunResult)`` as each finishes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from tqdm import tqdm

    # each worker runs one notebook, on one kernel, at a time: at most `jobs` kernels are alive
    workers = max(1, min(jobs, len(jobs_list)))
    ctx = multiprocessing.get_context("spawn")
    bar = tqdm(
        total=len(jobs_list),
        desc="cgplan batch",
        unit="gap",
        disable=None if progress is None else not progress,
        leave=False,
    )
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker) as pool:
            futures = {pool.submit(_job, job): job for job in jobs_list}
            for fut in as_completed(futures):
                job = futures[fut]
                try:
                    res = fut.result()
                except Exception as exc:  # the worker itself died
                    res = RunResult(False, 0.0, "", f"{type(exc).__name__}: {exc}")
                bar.set_postfix_str(job["gap"], refresh=False)
                bar.update(1)
                yield job, res
    finally:
        bar.close()


def format_summary(results: list[BatchResult]) -> str:
    """The summary table: gap, status, seconds, output (and the reason for failures)."""
    rows = [("gap", "status", "seconds", "output")]
    for r in results:
        rows.append((r.gap, r.status, f"{r.seconds:.1f}" if r.status != "skipped" else "-", r.output or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(widths[i]) if i != 2 else cell.rjust(widths[i]) for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]
    for r in results:
        if r.status in ("failed", "kept-edited") and r.message:
            lines.append(f"{r.gap}: {r.message}")
    counts = {s: sum(1 for r in results if r.status == s) for s in STATUSES}
    edited = f", {counts['kept-edited']} kept-edited" if counts["kept-edited"] else ""
    lines.append(f"{counts['ok']} ran, {counts['skipped']} skipped (unchanged){edited}, {counts['failed']} failed")
    return "\n".join(lines)

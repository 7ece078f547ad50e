"""SIGKILL in the middle of `cgplan plan --all` and `cgplan batch`: nothing half-written, the next run finishes.

After each kill, every plan on disk is either the one from before the run or a
complete new one (identical to what an uninterrupted run writes), no temporary
file sits where a plan belongs, and running the command again completes the job.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Copy only the inputs of the bundled example, never plans or notebooks a run may have left there.
NO_OUTPUTS = shutil.ignore_patterns("code-generation-plan-*", "notebooks", ".*")
GAPS = "construction/requirements/gap-analysis.md"
SKETCHES = "construction/design/implementation-sketches.md"
MAP = "construction/requirements/constellation-map.md"
PLAN_NAME = re.compile(r"code-generation-plan-[a-z0-9]+(?:-[a-z0-9]+)*\.md")


def cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cgplan.cli", *args], capture_output=True, text=True, timeout=timeout)


def many_gaps(root: Path, copies: int) -> int:
    """Repeat every gap and its sketch ``copies`` times under new names; return the number of gaps."""
    g = root / GAPS
    text = g.read_text(encoding="utf-8")
    start, end = text.index("### Gap 1:"), text.index("\n## ", text.index("### Gap 1:"))
    gaps = re.findall(r"(?ms)^### Gap \d+: (.*?)$(.*?)(?=^### Gap |\Z)", text[start:end] + "\n")
    s = root / SKETCHES
    stext = s.read_text(encoding="utf-8")
    sstart, send = stext.index("## Sketch 1:"), stext.index("## Cross-Sketch")
    sketches = re.findall(r"(?ms)^## Sketch \d+: (.*?)$(.*?)(?=^## Sketch |\Z)", stext[sstart:send])
    assert len(gaps) == len(sketches) >= 2
    out_g, out_s, n = [], [], 0
    for k in range(1, copies + 1):
        for (gname, gbody), (sname, sbody) in zip(gaps, sketches, strict=True):
            n += 1
            out_g.append(f"### Gap {n}: {gname} {k}{gbody}")
            sbody = re.sub(r"(\*\*Gap Reference:\*\*) Gap \d+", rf"\1 Gap {n}", sbody)
            out_s.append(f"## Sketch {n}: {sname} {k}{sbody}")
    g.write_text(text[:start] + "".join(out_g) + text[end:], encoding="utf-8")
    s.write_text(stext[:sstart] + "".join(out_s) + stext[send:], encoding="utf-8")
    return n


def plans(design: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(design.glob("code-generation-plan-*.md"))}


def change_inputs(root: Path) -> None:
    """An edit every plan cites (the system name), so every plan has a new version."""
    p = root / MAP
    p.write_text(
        p.read_text(encoding="utf-8").replace(
            "# System Constellation Map: Checkout Payments Platform",
            "# System Constellation Map: Checkout Payments Platform EU",
            1,
        ),
        encoding="utf-8",
    )
    p = root / GAPS
    p.write_text(
        p.read_text(encoding="utf-8").replace(
            "# Gap Analysis: Checkout Payments Platform", "# Gap Analysis: Checkout Payments Platform EU", 1
        ),
        encoding="utf-8",
    )


def assert_old_or_new(design: Path, old: dict[str, str], new: dict[str, str]) -> tuple[int, int]:
    """Every plan file is the old text or the complete new text; returns (old count, new count)."""
    n_old = n_new = 0
    for p in design.iterdir():
        if p.name.startswith("code-generation-plan-"):
            assert PLAN_NAME.fullmatch(p.name), f"stray file where plans live: {p.name}"
    for name, text in plans(design).items():
        if text == new[name]:
            n_new += 1
        else:
            assert text == old[name], f"{name} is neither the old plan nor the complete new one"
            n_old += 1
    assert set(plans(design)) == set(old)
    return n_old, n_new


def replaced(design: Path, inodes: dict[str, int]) -> int:
    """How many plans have been replaced since ``inodes`` was taken (a rename gives a new inode): cheap to poll."""
    n = 0
    for name, ino in inodes.items():
        try:
            n += os.stat(design / name).st_ino != ino
        except FileNotFoundError:
            n += 1
    return n


def kill_when(proc: subprocess.Popen, ready, timeout: float = 120) -> None:
    """SIGKILL the process group as soon as ``ready()`` is true."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert proc.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline, "the run never got far enough"
        time.sleep(0.002)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(ROOT / "data", root, ignore=NO_OUTPUTS)
    return root


def test_kill_plan_all_mid_run(folder, tmp_path):
    n = many_gaps(folder, 8)
    design = folder / "construction" / "design"
    assert cli("plan", "--all", "--dir", str(folder)).returncode == 0
    old = plans(design)
    assert len(old) == n
    change_inputs(folder)
    reference = tmp_path / "reference"
    shutil.copytree(folder, reference)
    assert cli("plan", "--all", "--dir", str(reference)).returncode == 0
    new = plans(reference / "construction" / "design")
    assert all(new[k] != old[k] for k in old)
    inodes = {p.name: p.stat().st_ino for p in design.glob("code-generation-plan-*.md")}

    mid_run = 0
    for stop_after in (1, n // 2, n * 3 // 4):
        proc = subprocess.Popen(
            [sys.executable, "-m", "cgplan.cli", "plan", "--all", "--dir", str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        kill_when(proc, lambda stop_after=stop_after: replaced(design, inodes) >= stop_after)
        n_old, n_new = assert_old_or_new(design, old, new)
        assert n_new >= stop_after
        mid_run += n_old > 0
    assert mid_run >= 2, "the kills should land while plans are still being written"

    again = cli("plan", "--all", "--dir", str(folder))
    assert again.returncode == 0, again.stderr
    assert plans(design) == new
    # the plans are exactly what an uninterrupted run writes: nothing stale, nothing edited
    status = cli("status", "--dir", str(folder))
    assert status.returncode == 0 and "stale" not in status.stdout and "edited" not in status.stdout, status.stdout


def _notebooks_whole(nbdir: Path) -> None:
    if not nbdir.is_dir():
        return
    for p in nbdir.glob("*.ipynb"):
        nb = json.loads(p.read_text(encoding="utf-8"))  # never a half-written notebook
        assert nb["cells"], p.name


@pytest.mark.slow
@pytest.mark.jupyter
def test_kill_batch_mid_run(folder, tmp_path):
    design = folder / "construction" / "design"
    assert cli("plan", "--all", "--dir", str(folder)).returncode == 0
    old = plans(design)
    change_inputs(folder)
    reference = tmp_path / "reference"
    shutil.copytree(folder, reference)
    assert cli("plan", "--all", "--dir", str(reference)).returncode == 0
    new = plans(reference / "construction" / "design")

    proc = subprocess.Popen(
        [sys.executable, "-m", "cgplan.cli", "batch", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    kill_when(proc, lambda: any(text == new[name] for name, text in plans(design).items()), timeout=300)
    n_old, n_new = assert_old_or_new(design, old, new)
    assert n_old > 0 and n_new > 0, (n_old, n_new)
    _notebooks_whole(design / "notebooks")

    again = subprocess.run(
        [sys.executable, "-m", "cgplan.cli", "batch", "--dir", str(folder)], capture_output=True, text=True, timeout=600
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert "failed" not in again.stdout.splitlines()[-1] or " 0 failed" in again.stdout
    assert plans(design) == new
    _notebooks_whole(design / "notebooks")
    assert sorted(p.stem for p in (design / "notebooks").glob("*.ipynb")) == sorted(
        name[len("code-generation-plan-") : -3] for name in new
    )
    # and a third run has nothing left to do
    third = cli("batch", "--dir", str(folder))
    assert third.returncode == 0 and "0 ran" in third.stdout, third.stdout


def _session_processes(sid: int) -> list[str]:
    out = subprocess.run(["ps", "-o", "pid=,stat=,args=", "-s", str(sid)], capture_output=True, text=True).stdout
    return [ln for ln in out.splitlines() if ln.split()[1:2] != ["Z"]]


@pytest.mark.slow
@pytest.mark.jupyter
def test_kill_batch_process_alone_leaves_no_workers(folder):
    """`kill -9` of the batch process only (not its group): its workers and kernels stop too, and write nothing more."""
    design = folder / "construction" / "design"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cgplan.cli", "batch", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while not list(design.glob("code-generation-plan-*.md")):
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    proc.kill()
    proc.wait(timeout=30)
    written = sorted(p.name for p in design.glob("code-generation-plan-*.md"))
    deadline = time.monotonic() + 20
    while _session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = _session_processes(proc.pid)
    if left:  # do not leave them running for the rest of the suite
        os.killpg(proc.pid, signal.SIGKILL)
    assert left == []
    assert len(written) < 4
    time.sleep(1)
    assert sorted(p.name for p in design.glob("code-generation-plan-*.md")) == written
    again = cli("batch", "--dir", str(folder))
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(list(design.glob("code-generation-plan-*.md"))) == 4

"""The stored notebooks: executed, safe to validate, and guarded by nbval; papermill runs write real plans."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cgplan.cli import main
from cgplan.jupyter.batch import run_notebook

pytestmark = pytest.mark.jupyter

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SANITIZE = ROOT / "tests" / "nbval-sanitize.cfg"


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def test_both_notebooks_are_stored() -> None:
    assert [p.name for p in NOTEBOOKS] == ["explore_constellation.ipynb", "plan_gap.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_notebook_is_executed_for_the_bundled_example_without_run_dependent_text(path: Path) -> None:
    nb = _nb(path)
    text = path.read_text(encoding="utf-8")
    params = [c for c in _code_cells(nb) if "parameters" in c["metadata"].get("tags", [])]
    assert len(params) == 1, "exactly one cell tagged 'parameters' (papermill injects after it)"
    assert 'construction_dir = "../data"' in "".join(params[0]["source"])
    for cell in _code_cells(nb)[1:]:
        assert cell["outputs"], f"cell {''.join(cell['source'])[:40]!r} has no stored output: re-run `make notebooks`"
        assert all(o["output_type"] != "error" for o in cell["outputs"])
    counts = [c["execution_count"] for c in _code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), "stored from one top-to-bottom run"
    assert str(ROOT) not in text and "/tmp/" not in text
    assert "widgets" not in nb["metadata"] and "application/vnd.jupyter.widget-view+json" not in text
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_stored_plan_notebook_does_not_write_so_validating_it_leaves_data_untouched() -> None:
    nb = _nb(ROOT / "notebooks" / "plan_gap.ipynb")
    params = next(c for c in _code_cells(nb) if "parameters" in c["metadata"].get("tags", []))
    source = "".join(params["source"])
    assert "\nwrite = False" in source and 'gap = "stripe-api-rate-limiter"' in source
    write_cell = next(c for c in _code_cells(nb) if "if write:" in "".join(c["source"]))
    said = "".join("".join(o.get("text", "")) for o in write_cell["outputs"])
    assert said.startswith("Not written (write = False)")


# --------------------------------------------------------------------------- nbval guards the outputs


def _run_nbval(folder: Path, notebook: Path) -> subprocess.CompletedProcess:
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # not the project's options
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--nbval",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        str(SANITIZE),
        str(notebook),
    ]
    return subprocess.run(cmd, cwd=folder, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_nbval_fails_when_a_stored_output_no_longer_matches(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "notebooks").mkdir()
    good = tmp_path / "notebooks" / "explore_constellation.ipynb"
    shutil.copy(ROOT / "notebooks" / "explore_constellation.ipynb", good)

    ok = _run_nbval(tmp_path, good)
    assert ok.returncode == 0, ok.stdout[-3000:]

    nb = _nb(good)
    cell = next(c for c in _code_cells(nb) if any(o.get("name") == "stdout" for o in c["outputs"]))
    out = next(o for o in cell["outputs"] if o.get("name") == "stdout")
    original = "".join(out["text"])
    out["text"] = [original.replace("7 stars", "8 stars")]
    assert out["text"][0] != original
    good.write_text(json.dumps(nb, indent=1), encoding="utf-8")

    bad = _run_nbval(tmp_path, good)
    assert bad.returncode == 1, bad.stdout[-3000:]
    assert "1 failed" in bad.stdout and "8 stars" in bad.stdout


# --------------------------------------------------------------------------- run by papermill


@pytest.mark.slow
def test_papermill_run_writes_exactly_the_plan_cgplan_plan_writes(example: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(example, reference)
    gap = "webhook-idempotency-guard"
    assert main(["plan", gap, "--dir", str(reference)]) == 0
    name = f"code-generation-plan-{gap}.md"

    res = run_notebook(
        ROOT / "notebooks" / "plan_gap.ipynb",
        tmp_path / "run.ipynb",
        {"construction_dir": str(example), "gap": gap, "write": True},
        cwd=tmp_path,
    )
    assert res.ok, res.message
    written = example / "construction" / "design" / name
    assert written.read_bytes() == (reference / "construction" / "design" / name).read_bytes()
    outputs = "".join(
        "".join(o.get("text", "")) for c in _nb(tmp_path / "run.ipynb")["cells"] for o in c.get("outputs", [])
    )
    assert f"written construction/design/{name}" in outputs

    # a second run finds the plan up to date and leaves it alone
    before = written.stat().st_mtime_ns
    res = run_notebook(
        ROOT / "notebooks" / "plan_gap.ipynb",
        tmp_path / "run.ipynb",
        {"construction_dir": str(example), "gap": gap, "write": True},
        cwd=tmp_path,
    )
    assert res.ok and written.stat().st_mtime_ns == before
    assert f"unchanged construction/design/{name}" in "".join(
        "".join(o.get("text", "")) for c in _nb(tmp_path / "run.ipynb")["cells"] for o in c.get("outputs", [])
    )


@pytest.mark.slow
def test_papermill_run_refuses_to_overwrite_a_plan_edited_by_hand(example: Path, tmp_path: Path) -> None:
    gap = "stripe-api-rate-limiter"
    assert main(["plan", gap, "--dir", str(example)]) == 0
    plan = example / "construction" / "design" / f"code-generation-plan-{gap}.md"
    edited = plan.read_text(encoding="utf-8").replace("## Overview", "## Overview\n\nA note written by hand.", 1)
    plan.write_text(edited, encoding="utf-8")
    res = run_notebook(
        ROOT / "notebooks" / "plan_gap.ipynb",
        tmp_path / "run.ipynb",
        {"construction_dir": str(example), "gap": gap, "write": True},
        cwd=tmp_path,
    )
    assert not res.ok and res.message.startswith("EditedPlan:")
    assert plan.read_text(encoding="utf-8") == edited

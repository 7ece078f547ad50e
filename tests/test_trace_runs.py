"""Scaffold, run the real test runner, trace: every criterion failing; write one test, run again: that one passing.

pytest runs everywhere; Node's built-in runner (JUnit reporter, Node 20 or later)
and Go with gotestsum run where they are installed, are skipped with the reason
outside CI and fail in CI (``CI`` set; ``.ci/run`` installs them with
scripts/ensure-runners.sh). Test names are never written here: they come from the
plans through the checker's parser.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import cgplan
from cgplan.cli import main
from cgplan.reports.planned import gap_plans

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "tests" / "fixtures" / "trace" / "folder"


def _need(tool: str, *, version_ok=None) -> str:
    path = shutil.which(tool)
    ok = path is not None and (version_ok is None or version_ok(path))
    if not ok:
        reason = f"{tool} is not installed (sh scripts/ensure-runners.sh installs it as root)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run this test")
        print(f"skipped: {reason}")
        pytest.skip(reason)
    return path


def _node_20(path: str) -> bool:
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout
    m = re.match(r"v(\d+)", out.strip())
    return bool(m and int(m.group(1)) >= 20)


def _trace(folder: Path, tests: Path, report: Path, capsys, gaps=("1",)) -> dict:
    capsys.readouterr()
    main(["trace", *gaps, "--dir", str(folder), "--tests", str(tests), "--junit", str(report), "--format", "json"])
    return json.loads(capsys.readouterr().out)


def _criterion_results(data: dict) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in data["rows"]:
        if r["kind"] == "criterion":
            out.setdefault(f"{r['gap']} {r['criterion_id']}", set()).add(r["result"])
    return out


def _tests_of_one_criterion(folder: Path) -> tuple[str, str, list[str]]:
    """(gap slug, criterion id, planned test names) of a criterion whose tests, once written, verify no other."""
    c = cgplan.load(folder)
    for gp in gap_plans(c):
        for pc in gp.criteria:
            mine = {id(t) for t in pc.tests}
            others = [o for o in gp.criteria if o is not pc and o.tests]
            if mine and not any({id(t) for t in o.tests} <= mine for o in others):
                return gp.gap.slug, pc.criterion.id, [t.name for t in pc.tests]
    raise AssertionError("every criterion shares all its tests with another")


def _fill(out: Path, planned: str, not_implemented: str, replacement: str) -> Path:
    """Write the body of the scaffolded test whose marker names ``planned``: its not-implemented line replaced."""
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        lines = path.read_text().split("\n")
        for i, line in enumerate(lines):
            if line.strip() in (f"# cgplan: {planned}", f"// cgplan: {planned}"):
                j = next(k for k in range(i, len(lines)) if not_implemented in lines[k])
                indent = lines[j][: len(lines[j]) - len(lines[j].lstrip())]
                lines[j] = indent + replacement
                path.write_text("\n".join(lines))
                return path
    raise AssertionError(f"no scaffolded test is marked {planned}")


def _fill_all(out: Path, names: list[str], not_implemented: str, replacement: str) -> None:
    for name in names:
        _fill(out, name, not_implemented, replacement)


def _copy(folder: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "project"
    shutil.copytree(folder, dest, ignore=shutil.ignore_patterns("decisions", "notebooks", "*.new.md", "*.bak"))
    return dest


def _pytest(tests: Path, report: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", os.devnull, "--rootdir", str(tests)]
        + ["--junitxml", str(report), str(tests)],
        cwd=tests,
        capture_output=True,
        check=False,
        timeout=300,
    )


def _fails_then_one_criterion_passes(project, out, report, capsys, run, stub: str, body: str) -> dict:
    """Run the scaffolded tests: every criterion fails; write one criterion's tests (``stub`` -> ``body``) and
    run again: that criterion passes, every other still fails. Returns the second trace."""
    run()
    before = _criterion_results(_trace(project, out, report, capsys))
    assert before and all(results == {"failed"} for results in before.values())
    gap, cid, names = _tests_of_one_criterion(project)
    _fill_all(out, names, stub, body)
    run()
    data = _trace(project, out, report, capsys)
    after = _criterion_results(data)
    assert after.pop(f"{gap} {cid}") == {"passed"}
    assert all(results == {"failed"} for results in after.values())
    return data


def test_python_scaffold_pytest_trace(tmp_path, capsys):
    project = _copy(FOLDER, tmp_path)
    out = tmp_path / "out"
    assert main(["scaffold", "1", "--dir", str(project), "--out", str(out), "--lang", "python"]) == 0
    report = tmp_path / "report.xml"
    data = _fails_then_one_criterion_passes(
        project, out, report, capsys, lambda: _pytest(out, report), "raise NotImplementedError(", "assert 2 + 2 == 4"
    )
    assert data["summary"][0]["verified"] == 1


def test_node_scaffold_node_test_trace(tmp_path, capsys):
    node = _need("node", version_ok=_node_20)
    project = _copy(FOLDER, tmp_path)
    out = tmp_path / "out"
    assert main(["scaffold", "1", "--dir", str(project), "--out", str(out), "--lang", "javascript"]) == 0
    test_files = sorted(str(p) for p in out.rglob("*.test.js"))
    assert test_files
    report = tmp_path / "report.xml"

    def run():
        subprocess.run(
            [node, "--test", "--test-reporter=junit", f"--test-reporter-destination={report}", *test_files],
            cwd=out,
            capture_output=True,
            check=False,
            timeout=300,
        )

    _fails_then_one_criterion_passes(
        project, out, report, capsys, run, "throw new Error(", "require('node:assert').strictEqual(2 + 2, 4);"
    )


def test_go_scaffold_gotestsum_trace(tmp_path, capsys):
    _need("go")
    gotestsum = _need("gotestsum")
    project = _copy(FOLDER, tmp_path)
    out = tmp_path / "out"
    assert main(["scaffold", "1", "--dir", str(project), "--out", str(out), "--lang", "go"]) == 0
    (out / "go.mod").write_text("module example.com/checkout\n\ngo 1.19\n")
    report = tmp_path / "report.xml"
    env = {
        **os.environ,
        "GOCACHE": str(tmp_path / "gocache"),
        "GOFLAGS": "-mod=mod",
        "GOPATH": str(tmp_path / "gopath"),
    }

    def run():
        subprocess.run(
            [gotestsum, "--junitfile", str(report), "--", "./..."],
            cwd=out,
            env=env,
            capture_output=True,
            check=False,
            timeout=600,
        )

    _fails_then_one_criterion_passes(project, out, report, capsys, run, "t.Fatal(", "_ = t")


def test_bundled_example_one_filled_test_one_verified_criterion(tmp_path, capsys):
    """The bundled example: scaffold every plan in Python, fill one test, and exactly one criterion is verified."""
    project = _copy(ROOT / "data", tmp_path)
    out = tmp_path / "out"
    assert main(["scaffold", "--all", "--dir", str(project), "--out", str(out), "--lang", "python"]) == 0
    report = tmp_path / "report.xml"
    _pytest(out, report)
    data = _trace(project, out, report, capsys, gaps=())
    assert sum(s["verified"] for s in data["summary"]) == 0
    assert sum(s["found"] for s in data["summary"]) == sum(s["criteria"] for s in data["summary"])

    gap, cid, names = _tests_of_one_criterion(project)
    _fill_all(out, names, "raise NotImplementedError(", "assert True")
    _pytest(out, report)
    data = _trace(project, out, report, capsys, gaps=())
    assert sum(s["verified"] for s in data["summary"]) == 1
    verified = [k for k, results in _criterion_results(data).items() if results == {"passed"}]
    assert verified == [f"{gap} {cid}"]
    capsys.readouterr()
    args = ["trace", "--dir", str(project), "--tests", str(out), "--junit", str(report), "--require", "passing"]
    assert main(args) == 1


def test_readme_worked_example_runs_as_written(tmp_path):
    """The README's scaffold-to-trace commands, with their output folder moved into a temporary one."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## From plan to passing tests", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2
    bindir = str(Path(sys.executable).parent) + "/"
    script = "set -e\n" + "".join(blocks).replace("/tmp/checkout", str(tmp_path / "checkout"))
    script = script.replace(".venv/bin/", bindir)
    # pytest exits 1 while tests fail; the example goes on regardless
    script = script.replace("/tests  # exits 1\n", "/tests || true\n")
    run = subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    gap, criteria, mapped, found, verified = run.stdout.rstrip("\n").split("\n")[-1].split()[:5]
    assert (gap, verified) == ("stripe-api-rate-limiter", "1")
    assert criteria == mapped == found


def _golden_projects(tmp_path: Path):
    from tests.goldens import GOLDENS, golden_folders

    for name, folder in golden_folders().items():
        dest = tmp_path / name
        shutil.copytree(folder, dest, ignore=shutil.ignore_patterns("code-generation-plan-*", "decisions", "notebooks"))
        (dest / "construction" / "design").mkdir(exist_ok=True)
        for md in (GOLDENS / name).glob("*.md"):
            (dest / "construction" / "design" / f"code-generation-plan-{md.stem}.md").write_text(md.read_text())
        yield name, dest


def test_scaffold_of_every_golden_plan_is_valid_code(tmp_path):
    """Every plan of every fixture folder scaffolds into Python that compiles, JavaScript and Go that parse."""
    from cgplan.reports.scaffold import scaffold_files

    node, gofmt = shutil.which("node"), shutil.which("gofmt")
    checked = 0
    for name, project in _golden_projects(tmp_path / "projects"):
        construction = cgplan.load(project)
        for lang in ("python", "javascript", "go"):
            for f in scaffold_files(construction, [], all_gaps=True, lang=lang):
                where = f"{name}: {lang}: {f.path}"
                if lang == "python":
                    compile(f.text, where, "exec")
                    checked += 1
                    continue
                scratch = tmp_path / f"scratch.{f.path.rsplit('.', 1)[1]}"
                scratch.write_text(f.text)
                tool = [node, "--check"] if lang == "javascript" and node else [gofmt, "-e", "-l"] if gofmt else None
                if tool is None or None in tool:
                    continue
                run = subprocess.run([*tool, str(scratch)], capture_output=True, text=True, check=False)
                assert run.returncode == 0, f"{where}: {run.stderr[:400]}"
                checked += 1
    assert checked > 100


@pytest.mark.jupyter
def test_plan_notebook_traces_the_gap_when_given_tests_and_results(tmp_path):
    import papermill

    project = _copy(FOLDER, tmp_path)
    out = tmp_path / "out"
    assert main(["scaffold", "1", "--dir", str(project), "--out", str(out), "--lang", "python"]) == 0
    gap, cid, names = _tests_of_one_criterion(project)
    _fill_all(out, names, "raise NotImplementedError(", "assert True")
    report = tmp_path / "report.xml"
    _pytest(out, report)
    done = tmp_path / "ran.ipynb"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "plan_gap.ipynb"),
        str(done),
        parameters={"construction_dir": str(project), "gap": gap, "trace_tests": str(out), "trace_junit": str(report)},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    text = done.read_text()
    assert "1 of 4 criteria verified" in text
    assert "Not traced" not in "".join(
        "".join(o.get("text", "")) for c in json.loads(text)["cells"] if c["cell_type"] == "code" for o in c["outputs"]
    )

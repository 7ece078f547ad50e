"""The bad-input catalogue (tests/fixtures/bad/cases.yaml), run end to end through the cgplan command.

Every case: the documented exit code, one clear line naming the file (for exit
2), no traceback, nothing outside ``construction/design/`` touched, and every
plan on disk either the old one or a complete new one. Large inputs (20 MB, a
5 MB line, 50,000-deep nesting) are generated here, not committed.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
#: Copy only the inputs of the bundled example, never plans or notebooks a run may have left there.
NO_OUTPUTS = shutil.ignore_patterns("code-generation-plan-*", "notebooks", ".*")
BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
CASES = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))
DOCS = {
    "map": "construction/requirements/constellation-map.md",
    "gaps": "construction/requirements/gap-analysis.md",
    "sketches": "construction/design/implementation-sketches.md",
    "scope": "construction/requirements/scope-lock.md",
    "construction": "construction",
    "design": "construction/design",
}
PLAN_META = "<!-- cgplan:meta "


def _path(root: Path, doc: str) -> Path:
    return root / DOCS.get(doc, doc)


# --------------------------------------------------------------------------- generators


def _big_20mb(p: Path) -> None:
    """The document followed by 20 MB of ordinary appendix sections."""
    base = p.read_text(encoding="utf-8")
    para = (
        "The gateway forwards each request to the service that owns it; **retries** are the caller's job, "
        "`timeouts` are set per route and [documented](http://example.com) in the runbook. "
    ) * 6
    chunk = "\n## Appendix {i}\n\n" + para + "\n\n- one point\n- another point with *emphasis*\n"
    with p.open("w", encoding="utf-8") as f:
        f.write(base)
        size, i = len(base), 0
        while size < 20 * 1024 * 1024:
            s = chunk.format(i=i)
            f.write(s)
            size += len(s.encode("utf-8"))
            i += 1


def _line(unit: str):
    def gen(p: Path) -> None:
        p.write_text(
            p.read_text(encoding="utf-8")
            + "\n"
            + (unit * (5 * 1024 * 1024 // len(unit) + 1))[: 5 * 1024 * 1024]
            + "\n",
            encoding="utf-8",
        )

    return gen


def _appender(tail: str):
    def gen(p: Path) -> None:
        p.write_text(p.read_text(encoding="utf-8") + "\n\n" + tail, encoding="utf-8")

    return gen


N = 50_000
GENERATORS = {
    "big-20mb": _big_20mb,
    "line-5mb": _line("words, a `code span`, a [link](http://example.com) and <b>a tag</b> "),
    "line-5mb-emphasis": _line("word **bold** `code` "),
    "quotes-50000": _appender("> " * N + "deep\n"),
    "quotes-tight-50000": _appender(">" * N + "deep\n"),
    "dashes-50000": _appender("- " * N + "deep\n"),
    "numbered-50000": _appender("1. " * N + "deep\n"),
    "mixed-50000": _appender("> - 1. * " * (N // 4) + "deep\n"),
    "indented-2000": _appender("".join("  " * i + "- level\n" for i in range(2000))),
    "quote-indented-400": _appender("".join(">" + "  " * i + " - level\n" for i in range(400))),
    "emphasis-50000": _appender("*a " * N + "x" + " b*" * N + "\n"),
    "images-50000": _appender("![a " * N + "x" + "](u)" * N + "\n"),
    "html-hidden-quotes-50000": _appender("<div>\n<b></b>" + "> " * N + "deep\n</div>\n"),
}


# --------------------------------------------------------------------------- setup


def apply(root: Path, case: dict) -> None:
    for step in case.get("setup") or []:
        ((op, arg),) = step.items()
        if op == "overlay":
            shutil.copytree(BAD / case["id"], root, dirs_exist_ok=True)
        elif op == "remove":
            p = _path(root, arg)
            shutil.rmtree(p) if p.is_dir() else p.unlink()
        elif op == "mkdir":
            p = _path(root, arg)
            p.unlink()
            p.mkdir()
        elif op == "write":
            _path(root, arg["doc"]).write_text(arg["text"], encoding="utf-8")
        elif op == "append":
            p = _path(root, arg["doc"])
            p.write_text(p.read_text(encoding="utf-8") + arg["text"], encoding="utf-8")
        elif op == "replace":
            p = _path(root, arg["doc"])
            text, n = re.subn(arg["old"], lambda m, arg=arg: arg["new"], p.read_text(encoding="utf-8"))
            assert n, f"setup of {case['id']}: {arg['old']!r} matched nothing"
            p.write_text(text, encoding="utf-8")
        elif op == "generate":
            GENERATORS[arg["kind"]](_path(root, arg["doc"]))
        elif op == "fifo":
            p = _path(root, arg)
            p.unlink()
            os.mkfifo(p)
        elif op == "devzero":
            p = _path(root, arg)
            p.unlink()
            p.symlink_to("/dev/zero")
        elif op == "sparse":
            with _path(root, arg["doc"]).open("r+b") as f:
                f.truncate(arg["mb"] * 1024 * 1024)
        elif op == "chmod":
            if os.geteuid() == 0:
                pytest.skip("running as root: permission bits do not stop root (the *_simulated tests cover this case)")
            _path(root, arg["doc"]).chmod(arg["mode"])
            CHMODDED.append(_path(root, arg["doc"]))
        elif op == "symlink_out":
            p = _path(root, arg)
            target = root.parent / "outside-target"
            if p.is_dir():
                shutil.move(str(p), str(target))
            else:
                target.write_text(p.read_text(encoding="utf-8") if p.exists() else "outside\n", encoding="utf-8")
                p.unlink(missing_ok=True)
            p.symlink_to(target)
        elif op == "cgplan":
            proc = run_cli([*arg, "--dir", str(root)])
            assert proc.returncode == 0, proc.stderr
        else:  # pragma: no cover - a typo in cases.yaml
            raise AssertionError(f"unknown setup operation {op!r} in case {case['id']}")


CHMODDED: list[Path] = []


@pytest.fixture(autouse=True)
def _restore_modes():
    yield
    while CHMODDED:
        CHMODDED.pop().chmod(0o755)


def snapshot(root: Path) -> dict[str, str]:
    """Every file outside construction/design/ (and every plan) with a content hash."""
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_symlink() or not p.is_file():
            out[str(p.relative_to(root))] = "special"
            continue
        rel = p.relative_to(root)
        if rel.parts[:2] == ("construction", "design") and not p.name.startswith("code-generation-plan-"):
            continue
        if p.stat().st_size > 1024 * 1024:
            out[str(rel)] = f"{p.stat().st_size}:{p.stat().st_mtime_ns}"
        else:
            out[str(rel)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def has_command(name: str) -> bool:
    proc = subprocess.run(
        [sys.executable, "-m", "cgplan.cli", name, "--help"], capture_output=True, text=True, cwd=ROOT
    )
    return proc.returncode == 0


def run_cli(args: list[str], timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("CGPLAN_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "cgplan.cli", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def plan_files(design: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(design.glob("code-generation-plan-*.md"))}


def assert_plans_whole(design: Path, before: dict[str, str]) -> None:
    """Each plan is the old one or a complete new one (ends with its meta line); no temp file looks like a plan."""
    for name, text in plan_files(design).items():
        if before.get(name) == text:
            continue
        assert text.rstrip("\n").splitlines()[-1].startswith(PLAN_META), f"{name} is not a complete plan"
    for p in design.iterdir():
        if p.name.startswith("code-generation-plan-"):
            assert re.fullmatch(r"code-generation-plan-[a-z0-9]+(?:-[a-z0-9]+)*(?:\.md|\.new\.md|\.md\.bak)", p.name), (
                p.name
            )


# --------------------------------------------------------------------------- the catalogue


def _params():
    for case in CASES:
        marks = [pytest.mark.slow] if case.get("slow") else []
        yield pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_bad_input(tmp_path, case):
    if case.get("needs") and not has_command(case["needs"]):
        pytest.skip(f"the {case['needs']} command is not available")
    root = tmp_path / "example"
    shutil.copytree(ROOT / "data", root, ignore=NO_OUTPUTS)
    outside = tmp_path / "outside.md"
    outside.write_text("not cgplan's\n", encoding="utf-8")
    apply(root, case)
    design = root / "construction" / "design"
    plans_before = plan_files(design) if design.is_dir() else {}
    before = snapshot(root)

    where = str(root / case["dir"]) if case.get("dir") else str(root)
    if case["run"] == "plan-twice-at-once":
        proc = plan_twice_at_once(root)
    else:
        args = (
            case["run"]
            if isinstance(case["run"], list)
            else {"inspect": ["inspect"], "gaps": ["gaps"], "plan": ["plan", "--all"]}[case["run"]]
        )
        proc = run_cli([*args, "--dir", where])

    assert "Traceback" not in proc.stderr + proc.stdout and "panicked" not in proc.stderr
    if proc.returncode == 0:
        assert proc.stderr == ""
    if case.get("exit") is not None:
        assert proc.returncode == case["exit"], proc.stderr
    else:
        assert proc.returncode in (0, 1), proc.stderr
    if proc.returncode == 2:
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr
        line = lines[0]
    else:
        line = proc.stdout + proc.stderr
    if case.get("message"):
        assert case["message"] in line, line
    if case.get("names"):
        shown = DOCS.get(case["names"], case["names"])
        assert shown in line, line
        if case.get("line"):
            assert f"{shown}:{case['line']}:" in line, line
    if case.get("slugs"):
        assert [ln.split()[1] for ln in proc.stdout.splitlines()] == case["slugs"]

    # nothing outside construction/design/ touched, no plan lost or half-written
    after = snapshot(root)
    assert {k: v for k, v in after.items() if not k.startswith("construction/design/")} == {
        k: v for k, v in before.items() if not k.startswith("construction/design/")
    }
    assert outside.read_text(encoding="utf-8") == "not cgplan's\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "outside-target") == ["example", "outside.md"]
    target = tmp_path / "outside-target"
    if target.is_dir():
        assert sorted(p.name for p in target.iterdir()) == ["implementation-sketches.md"]
    elif target.exists():
        assert target.read_text(encoding="utf-8") == "outside\n"
    if design.is_dir():
        assert_plans_whole(design, plans_before)
    for slug in case.get("plans") or []:
        assert (design / f"code-generation-plan-{slug}.md").is_file(), sorted(plan_files(design))
    for slug, literal in (case.get("plan_contains") or {}).items():
        text = (design / f"code-generation-plan-{slug}.md").read_text(encoding="utf-8")
        assert literal in text
    for slug, literal in (case.get("plan_lacks") or {}).items():
        text = (design / f"code-generation-plan-{slug}.md").read_text(encoding="utf-8")
        assert literal not in text
    for name in case.get("files") or []:
        assert (design / name).is_file(), sorted(p.name for p in design.iterdir())
    for slug, literal in (case.get("kept") or {}).items():
        name = f"code-generation-plan-{slug}.md"
        assert literal in (design / name).read_text(encoding="utf-8")
        assert (design / name).read_text(encoding="utf-8") == plans_before[name]


def plan_twice_at_once(root: Path) -> subprocess.CompletedProcess:
    """Two `cgplan plan --all` on the same folder at the same time: both finish, plans complete and identical."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-m", "cgplan.cli", "plan", "--all", "--dir", str(root)]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    first = plan_files(root / "construction" / "design")
    again = run_cli(["plan", "--all", "--dir", str(root)])
    assert again.returncode == 0 and "written" not in again.stdout, again.stdout  # nothing left to do
    assert plan_files(root / "construction" / "design") == first
    return subprocess.CompletedProcess(cmd, 0, outs[0][0] + outs[1][0], outs[0][1] + outs[1][1])


def test_catalogue_is_big_enough():
    assert len(CASES) >= 25
    assert len({c["id"] for c in CASES}) == len(CASES)


def test_unreadable_simulated(example, monkeypatch):
    """Permission denied, even for root: the read fails and the message names the file."""
    from cgplan import InputError, load

    real, real_open = Path.read_bytes, Path.open

    def deny(self):
        if self.name == "gap-analysis.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    def deny_open(self, *a, **k):
        if self.name == "gap-analysis.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *a, **k)

    monkeypatch.setattr(Path, "read_bytes", deny)
    monkeypatch.setattr(Path, "open", deny_open)  # the cache hashes documents in pieces
    with pytest.raises(
        InputError, match=r"construction/requirements/gap-analysis\.md: cannot read file: permission denied"
    ):
        load(example)


def test_read_only_design_simulated(example, monkeypatch):
    """Even for root: a design folder that refuses new files gives a WriteError and changes nothing."""
    import tempfile

    from cgplan import WriteError, load
    from cgplan.store.plans import write_plans

    c = load(example)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    design = example / "construction" / "design"
    before = sorted(p.name for p in design.iterdir())
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(
        WriteError,
        match=r"construction/design/code-generation-plan-[a-z-]+\.md: .*Permission denied; nothing was changed",
    ):
        write_plans(c, c.gaps)
    assert sorted(p.name for p in design.iterdir()) == before

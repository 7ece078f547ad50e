"""The pre-commit hook (.pre-commit-hooks.yaml), run by real pre-commit on real `git commit`s.

A temporary hook repository holds this source tree (committed once); a
temporary project with the bundled example uses it as `repo: <path>` at that
commit, installs the git hook with `pre-commit install`, and commits. pre-commit
builds the hook's own venv (the core of cgplan, from the package index), so
outside CI the test is skipped, with the reason, when the index cannot be
reached.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLANS = Path(__file__).parent / "fixtures" / "plans"
NO_INDEX = re.compile(
    r"(?i)connection|network is unreachable|temporary failure in name resolution|max retries|timed out"
)
TRIP = "construction/design/code-generation-plan-webhook-idempotency-guard.md"
CLEAN = "construction/design/code-generation-plan-stripe-api-rate-limiter.md"

pytest.importorskip("pre_commit")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT")) and k != "PYTHONPATH"}
    env.update(
        PRE_COMMIT_HOME=str(home / "pre-commit-cache"),
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.org",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.org",
    )
    return env


def git(cwd: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return proc


def commits(project: Path, env: dict) -> int:
    return int(git(project, env, "rev-list", "--count", "HEAD").stdout.strip() or 0)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """``(project folder, env)``: a git project with the example committed and the hook installed."""
    tmp = tmp_path_factory.mktemp("hook")
    env = environment(tmp)
    hooks = tmp / "cgplan-hooks"
    hooks.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(ROOT / name, hooks)
    shutil.copytree(ROOT / "cgplan", hooks / "cgplan", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    assert git(hooks, env, "init", "-q").returncode == 0
    git(hooks, env, "add", "-A")
    assert git(hooks, env, "commit", "-q", "-m", "hooks").returncode == 0
    rev = git(hooks, env, "rev-parse", "HEAD").stdout.strip()

    proj = tmp / "project"
    shutil.copytree(ROOT / "data", proj, ignore=shutil.ignore_patterns("notebooks", "decisions"))
    (proj / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: cgplan-check\n", encoding="utf-8"
    )
    (proj / "README.md").write_text("# A project\n", encoding="utf-8")
    assert git(proj, env, "init", "-q").returncode == 0
    installed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"], cwd=proj, env=env, capture_output=True, text=True, check=False
    )
    assert installed.returncode == 0, installed.stderr
    git(proj, env, "add", "-A")
    first = git(proj, env, "commit", "-m", "the example")
    if first.returncode != 0 and NO_INDEX.search(first.stdout + first.stderr) and os.environ.get("CI") != "true":
        pytest.skip("the package index cannot be reached to build the hook's environment")
    assert first.returncode == 0, first.stdout + first.stderr
    # the example's plans are clean, so the first commit went through with the hook run on them
    assert re.search(r"cgplan check\.+Passed", first.stdout + first.stderr), first.stdout + first.stderr
    return proj, env


def commit(project: Path, env: dict, message: str) -> subprocess.CompletedProcess:
    git(project, env, "add", "-A")
    return git(project, env, "commit", "-m", message)


def test_a_commit_with_a_broken_plan_is_refused_naming_the_plan_and_line(project):
    proj, env = project
    before = commits(proj, env)
    shutil.copy(PLANS / "unknown-star-trip.md", proj / TRIP)
    done = commit(proj, env, "a plan naming two stars the map lacks")
    out = done.stdout + done.stderr
    assert done.returncode != 0, out
    assert re.search(r"cgplan check\.+Failed", out)
    assert TRIP in out
    assert "12: error [unknown-star] 'Kafka Event Bus' is not a star in the constellation map" in out
    assert commits(proj, env) == before
    git(proj, env, "checkout", "--", TRIP)  # back to the committed plan
    git(proj, env, "reset", "-q", "--hard")


def test_only_the_changed_plan_is_checked(project):
    """A broken plan committed past the hook does not block a commit that changes another plan."""
    proj, env = project
    shutil.copy(PLANS / "unknown-star-trip.md", proj / TRIP)
    git(proj, env, "add", "-A")
    assert git(proj, env, "commit", "-q", "--no-verify", "-m", "broken plan, hook skipped").returncode == 0
    shutil.copy(PLANS / "handwritten-rate-limiter.md", proj / CLEAN)
    done = commit(proj, env, "a hand-written plan")
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert re.search(r"cgplan check\.+Passed", out)


def test_a_changed_document_checks_every_plan(project):
    """Renaming a star in the map alone breaks the plans that name it, which the commit does not touch."""
    proj, env = project
    before = commits(proj, env)
    star_map = proj / "construction" / "requirements" / "constellation-map.md"
    star_map.write_text(
        star_map.read_text(encoding="utf-8").replace("Datadog Monitoring", "Prometheus Monitoring"), encoding="utf-8"
    )
    done = commit(proj, env, "rename a star")
    out = done.stdout + done.stderr
    assert done.returncode != 0, out
    assert re.search(r"cgplan check\.+Failed", out)
    assert "[unknown-star] 'Datadog Monitoring' is not a star" in out
    assert "construction/design/code-generation-plan-" in out
    assert commits(proj, env) == before
    git(proj, env, "reset", "-q", "--hard")


def test_a_commit_touching_no_plan_or_document_skips_the_hook(project):
    proj, env = project
    (proj / "README.md").write_text("# A project\n\nMore words.\n", encoding="utf-8")
    done = commit(proj, env, "readme")
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert re.search(r"cgplan check\.+\(no files to check\)Skipped", out)
